import HeapModel
import Testing

@Suite("GFP flags")
struct GFPFlagsTests {
    @Test("Composite values")
    func composites() {
        #expect(GFPFlags.kernel.rawValue == 0xcc0)
        #expect(GFPFlags.kernelAccount.rawValue == 0x400cc0)
        #expect(GFPFlags.highUserMovable.rawValue == 0x100cca)
        #expect(GFPFlags.atomic(.v6_1).rawValue == 0xa20)
        #expect(GFPFlags.atomic(.v6_18).rawValue == 0x820)
        #expect(GFPFlags.noWait(.v6_1).rawValue == 0x800)
        #expect(GFPFlags.noWait(.v6_18).rawValue == 0x2800)
        // 6.12: no __GFP_ATOMIC (gone since 6.3), and GFP_NOWAIT already carries __GFP_NOWARN.
        #expect(GFPFlags.atomic(.v6_12).rawValue == 0x820)
        #expect(GFPFlags.noWait(.v6_12).rawValue == 0x2800)
    }

    struct Rendering: Sendable, CustomStringConvertible {
        let raw: UInt32
        let kernel: KernelVersion
        let text: String
        var description: String { "\(text) on \(kernel)" }
    }

    static let renderings: [Rendering] = [
        Rendering(raw: 0xdc0, kernel: .v6_1, text: "GFP_KERNEL|__GFP_ZERO"),
        Rendering(raw: 0x400dc0, kernel: .v6_1, text: "GFP_KERNEL_ACCOUNT|__GFP_ZERO"),
        Rendering(raw: 0x2dc0, kernel: .v6_1, text: "GFP_KERNEL|__GFP_NOWARN|__GFP_ZERO"),
        Rendering(raw: 0x2dc0, kernel: .v6_18, text: "GFP_KERNEL|__GFP_ZERO|__GFP_NOWARN"),
        Rendering(raw: 0x52000, kernel: .v6_1, text: "__GFP_NOWARN|__GFP_NORETRY|__GFP_COMP"),
        Rendering(raw: 0xd20d0, kernel: .v6_1,
                  text: "__GFP_IO|__GFP_FS|__GFP_NOWARN|__GFP_NORETRY|__GFP_COMP|__GFP_NOMEMALLOC|__GFP_RECLAIMABLE"),
        Rendering(raw: 0xd20d0, kernel: .v6_18,
                  text: "__GFP_RECLAIMABLE|__GFP_IO|__GFP_FS|__GFP_NOWARN|__GFP_NORETRY|__GFP_COMP|__GFP_NOMEMALLOC"),
        Rendering(raw: 0x2a20, kernel: .v6_1, text: "GFP_ATOMIC|__GFP_NOWARN"),
        Rendering(raw: 0x2820, kernel: .v6_18, text: "GFP_ATOMIC|__GFP_NOWARN"),
        Rendering(raw: 0x2800, kernel: .v6_1, text: "GFP_NOWAIT|__GFP_NOWARN"),
        Rendering(raw: 0x2800, kernel: .v6_18, text: "GFP_NOWAIT"),
        Rendering(raw: 0x2800, kernel: .v6_12, text: "GFP_NOWAIT"),
        Rendering(raw: 0x2dc0, kernel: .v6_12, text: "GFP_KERNEL|__GFP_NOWARN|__GFP_ZERO"),
        Rendering(raw: 0x2820, kernel: .v6_12, text: "GFP_ATOMIC|__GFP_NOWARN"),
        Rendering(raw: 0x1000cc0, kernel: .v6_12, text: "GFP_KERNEL|0x1000000"),
        Rendering(raw: 0, kernel: .v6_18, text: "none"),
        Rendering(raw: 0x4000cc0, kernel: .v6_18, text: "GFP_KERNEL|0x4000000"),
    ]

    @Test("ftrace rendering, composites first, per kernel", arguments: renderings)
    func rendering(_ r: Rendering) throws {
        #expect(GFPFlags(rawValue: r.raw).traceString(r.kernel) == r.text)
        #expect(try GFPFlags(parsing: r.text, kernel: r.kernel).rawValue == r.raw)
    }
    @Test("Parsing hex and refusing unknown names")
    func parsing() throws {
        #expect(try GFPFlags(parsing: "0xdc0", kernel: .v6_1) == [.kernel, .zero])
        #expect(throws: GFPFlags.ParseError(unknownPart: "__GFP_BOGUS")) { try GFPFlags(parsing: "GFP_KERNEL|__GFP_BOGUS", kernel: .v6_1) }
        #expect(throws: GFPFlags.ParseError.self) { try GFPFlags(parsing: "__GFP_ATOMIC", kernel: .v6_18) }
    }

    @Test("Zone and migratetype from the flags")
    func effects() {
        #expect(GFPFlags.kernel.highestZone == .normal)
        #expect(GFPFlags([.kernel, .dma]).highestZone == .dma)
        #expect(GFPFlags([.kernel, .dma32]).highestZone == .dma32)
        #expect(GFPFlags.highUserMovable.migrateType == .movable)
        #expect(GFPFlags([.kernel, .reclaimable]).migrateType == .reclaimable)
        #expect(GFPFlags.kernel.migrateType == .unmovable)
        #expect(GFPFlags.kernel.allowsBlocking && !GFPFlags.atomic(.v6_18).allowsBlocking)
    }
}
