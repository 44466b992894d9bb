/// A value met while evaluating: a number (with the signedness and pointee size its type gives),
/// or text that lives in the record, the program or the printer's caches.
struct PrintValue {
    var number: UInt64 = 0
    var signed = false
    var pointee: UInt32 = 0
    var text: UnsafeRawBufferPointer?

    static func int(_ v: UInt64, signed: Bool = false) -> PrintValue { PrintValue(number: v, signed: signed) }

    /// The value as a condition or an operand: text counts as non-zero (a string's address).
    var truth: Bool { text != nil || number != 0 }
}
