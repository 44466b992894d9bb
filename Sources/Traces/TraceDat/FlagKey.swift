/// A cached `__print_flags`/`__print_symbolic` text: which table, of which program, for which value.
struct FlagKey: Hashable {
    let program: ObjectIdentifier
    let table: Int
    let value: UInt64
}
