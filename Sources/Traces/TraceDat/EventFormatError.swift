/// Why a format file could not be read (placed in a ``TraceInputError`` by the caller).
struct EventFormatError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
