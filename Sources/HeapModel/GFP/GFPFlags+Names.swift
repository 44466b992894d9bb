/// ftrace's rendering of GFP flags (`show_gfp_flags`) and its inverse.
extension GFPFlags {
    /// One name in the kernel's flag-name table.
    public struct Name: Sendable, Hashable {
        /// The flag mask the name stands for.
        public let flags: GFPFlags
        /// The name as ftrace prints it, e.g. `GFP_KERNEL` or `__GFP_ZERO`.
        public let name: String
    }

    /// The name table of a kernel, in the order `trace_print_flags_seq()` walks it.
    ///
    /// 6.1's table is hand-ordered (NOWARN before ZERO); 6.12's is 6.1's without `__GFP_ATOMIC`
    /// and with 6.3+'s GFP_ATOMIC and 6.12's GFP_NOWAIT values (`include/trace/events/mmflags.h` of
    /// 6.12); 6.18's lists the composites, then every single bit in bit order, because it is
    /// generated from the bit enum.
    public static func nameTable(_ kernel: KernelVersion) -> [Name] {
        switch kernel {
        case .v6_1: return table61
        case .v6_12: return table612
        case .v6_18: return table618
        }
    }

    private static let composites61: [(UInt32, String)] = [
        (0x1c24ca, "GFP_TRANSHUGE"), (0x1c20ca, "GFP_TRANSHUGE_LIGHT"), (0x100cca, "GFP_HIGHUSER_MOVABLE"),
        (0x100cc2, "GFP_HIGHUSER"), (0x100cc0, "GFP_USER"), (0x400cc0, "GFP_KERNEL_ACCOUNT"),
        (0xcc0, "GFP_KERNEL"), (0xc40, "GFP_NOFS"),
    ]

    /// The single-bit names 6.1 and 6.12 print in the same order after their composites.
    private static let bits61: [(UInt32, String)] = [
        (0x40, "__GFP_IO"), (0x80, "__GFP_FS"), (0x2000, "__GFP_NOWARN"), (0x4000, "__GFP_RETRY_MAYFAIL"),
        (0x8000, "__GFP_NOFAIL"), (0x10000, "__GFP_NORETRY"), (0x40000, "__GFP_COMP"), (0x100, "__GFP_ZERO"),
        (0x80000, "__GFP_NOMEMALLOC"), (0x20000, "__GFP_MEMALLOC"), (0x100000, "__GFP_HARDWALL"),
        (0x200000, "__GFP_THISNODE"), (0x10, "__GFP_RECLAIMABLE"), (0x8, "__GFP_MOVABLE"),
        (0x400000, "__GFP_ACCOUNT"), (0x1000, "__GFP_WRITE"), (0xc00, "__GFP_RECLAIM"),
        (0x400, "__GFP_DIRECT_RECLAIM"), (0x800, "__GFP_KSWAPD_RECLAIM"), (0x800000, "__GFP_ZEROTAGS"),
    ]

    private static let table61: [Name] = (composites61 + [
        (0xa20, "GFP_ATOMIC"), (0xc00, "GFP_NOIO"), (0x800, "GFP_NOWAIT"), (0x1, "GFP_DMA"),
        (0x2, "__GFP_HIGHMEM"), (0x4, "GFP_DMA32"), (0x20, "__GFP_HIGH"), (0x200, "__GFP_ATOMIC"),
    ] + bits61).map { Name(flags: GFPFlags(rawValue: $0.0), name: $0.1) }

    private static let table612: [Name] = (composites61 + [
        (0x820, "GFP_ATOMIC"), (0xc00, "GFP_NOIO"), (0x2800, "GFP_NOWAIT"), (0x1, "GFP_DMA"),
        (0x2, "__GFP_HIGHMEM"), (0x4, "GFP_DMA32"), (0x20, "__GFP_HIGH"),
    ] + bits61).map { Name(flags: GFPFlags(rawValue: $0.0), name: $0.1) }

    private static let table618: [Name] = (composites61 + [
        (0x820, "GFP_ATOMIC"), (0xc00, "GFP_NOIO"), (0x2800, "GFP_NOWAIT"), (0x1, "GFP_DMA"),
        (0x4, "GFP_DMA32"), (0xc00, "__GFP_RECLAIM"),
        (0x1, "__GFP_DMA"), (0x2, "__GFP_HIGHMEM"), (0x4, "__GFP_DMA32"), (0x8, "__GFP_MOVABLE"),
        (0x10, "__GFP_RECLAIMABLE"), (0x20, "__GFP_HIGH"), (0x40, "__GFP_IO"), (0x80, "__GFP_FS"),
        (0x100, "__GFP_ZERO"), (0x400, "__GFP_DIRECT_RECLAIM"), (0x800, "__GFP_KSWAPD_RECLAIM"),
        (0x1000, "__GFP_WRITE"), (0x2000, "__GFP_NOWARN"), (0x4000, "__GFP_RETRY_MAYFAIL"),
        (0x8000, "__GFP_NOFAIL"), (0x10000, "__GFP_NORETRY"), (0x20000, "__GFP_MEMALLOC"),
        (0x40000, "__GFP_COMP"), (0x80000, "__GFP_NOMEMALLOC"), (0x100000, "__GFP_HARDWALL"),
        (0x200000, "__GFP_THISNODE"), (0x400000, "__GFP_ACCOUNT"), (0x800000, "__GFP_ZEROTAGS"),
    ]).map { Name(flags: GFPFlags(rawValue: $0.0), name: $0.1) }

    /// The flags as ftrace prints them for `kernel`: greedy over the name table, composites first,
    /// `|` between names, leftover bits as `0x…`, and `none` for zero.
    ///
    /// `GFPFlags(rawValue: 0x400dc0).traceString(.v6_1)` is `GFP_KERNEL_ACCOUNT|__GFP_ZERO`.
    /// - Complexity: O(table size).
    public func traceString(_ kernel: KernelVersion) -> String {
        if rawValue == 0 { return "none" }
        var remaining = rawValue
        var out = ""
        for entry in GFPFlags.nameTable(kernel) where entry.flags.rawValue & remaining == entry.flags.rawValue {
            if !out.isEmpty { out += "|" }
            out += entry.name
            remaining &= ~entry.flags.rawValue
            if remaining == 0 { break }
        }
        if remaining != 0 {
            out += (out.isEmpty ? "0x" : "|0x") + String(remaining, radix: 16)
        }
        return out
    }

    /// Why a flag string could not be read.
    public struct ParseError: Error, Equatable, Sendable {
        /// The part of the string that is neither a known name nor hex.
        public let unknownPart: String
        /// An error naming `unknownPart`.
        public init(unknownPart: String) { self.unknownPart = unknownPart }
    }

    /// Parses ftrace's rendering or a hex mask: `GFP_KERNEL|__GFP_ZERO`, `0xdc0`, `none`,
    /// `GFP_ATOMIC|0x4000000`. Names are looked up in `kernel`'s table (so `GFP_ATOMIC` means
    /// 0xa20 on 6.1 and 0x820 on 6.12 and 6.18).
    /// - Throws: ``ParseError`` naming the first part that is not understood.
    public init(parsing text: some StringProtocol, kernel: KernelVersion) throws(ParseError) {
        var value: UInt32 = 0
        let trimmed = String(text)
        if trimmed == "none" || trimmed == "0" { self.init(rawValue: 0); return }
        for part in trimmed.split(separator: "|", omittingEmptySubsequences: false) {
            if part.hasPrefix("0x") || part.hasPrefix("0X"), let hex = UInt32(part.dropFirst(2), radix: 16) {
                value |= hex
            } else if let entry = GFPFlags.nameTable(kernel).first(where: { $0.name == part }) {
                value |= entry.flags.rawValue
            } else if part == "__GFP_ATOMIC" && !kernel.hasAtomicGFPBit {
                throw ParseError(unknownPart: String(part))
            } else if let other = GFPFlags.nameTable(kernel == .v6_1 ? .v6_18 : .v6_1).first(where: { $0.name == part }),
                      !part.hasPrefix("GFP_ATOMIC"), !part.hasPrefix("GFP_NOWAIT") {
                value |= other.flags.rawValue
            } else {
                throw ParseError(unknownPart: String(part))
            }
        }
        self.init(rawValue: value)
    }
}
