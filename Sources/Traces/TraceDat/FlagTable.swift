/// A `__print_flags` or `__print_symbolic` table: `{value, "name"}` pairs in the kernel's order.
struct FlagTable: Sendable {
    var delimiter: [UInt8] = []
    var entries: [(value: UInt64, name: [UInt8])] = []
    /// The table is the kernel's GFP flags (it names `GFP_KERNEL`): memtop's own table prints them,
    /// for the kernel the trace.dat's uname names.
    var isGFP = false
}
