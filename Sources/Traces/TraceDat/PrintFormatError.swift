/// Why a print format could not be compiled (the event is then printed field by field).
struct PrintFormatError: Error, Sendable {
    let message: String
    init(_ message: String) { self.message = message }
}
