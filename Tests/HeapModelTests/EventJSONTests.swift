import HeapModel
import MemtopTestSupport
import Testing

@Suite("Event JSON Lines")
struct EventJSONTests {
    @Test("A page allocation as one JSON line")
    func pageAlloc() throws {
        var m = TestMachines.make(ram: 128 << 20)
        m.setRecording(true)
        _ = try m.allocPages(order: 0, gfp: [.kernel, .zero])
        let events = m.takeEvents()
        let alloc = try #require(events.last { $0.kindName == "page_alloc" })
        #expect(alloc.jsonLine(in: m)
            == #"{"seq":\#(alloc.sequence),"kind":"page_alloc","pfn":14336,"order":0,"migratetype":0,"gfp":"GFP_KERNEL|__GFP_ZERO","gfp_raw":"0xdc0","zone":"DMA32"}"#)
        let kinds = Set(events.map(\.kindName))
        #expect(kinds.isSuperset(of: ["split", "extfrag", "page_alloc"]))
    }

    @Test("A refused page free is its own kind, bad_page, apart from the allocator contract's violation")
    func badPage() throws {
        var m = TestMachines.make(ram: 128 << 20)
        m.setRecording(true)
        #expect(throws: BadPageFree.self) { try m.freePages(PageFrameNumber(5), order: 0) }
        let bad = try #require(m.takeEvents().last)
        #expect(bad.jsonLine(in: m) == #"{"seq":\#(bad.sequence),"kind":"bad_page","pfn":5,"order":0,"report":"BUG: Bad page state: pfn:0x5 order:0: page is reserved or outside RAM"}"#)
        let violation = HeapEvent(sequence: 7, kind: .contractViolated(ContractViolation(
            kind: .doubleFree, address: VirtualAddress(0x10), function: .kmemCacheFree)))
        #expect(violation.kindName == "violation")
        #expect(violation.jsonLine(in: m).hasPrefix(#"{"seq":7,"kind":"violation","violation":"double-free","ptr":"0000000000000010","function":"kmem_cache_free","report":"====="#))
    }

    @Test("Typed payloads print as before: the function of a failure, the allocator of a realloc")
    func typedPayloads() {
        let m = TestMachines.make(ram: 128 << 20)
        let failed = HeapEvent(sequence: 1, kind: .allocationFailed(function: .kmemCacheAlloc, size: 192, gfp: .kernel, warn: true))
        #expect(failed.jsonLine(in: m) == #"{"seq":1,"kind":"alloc_fail","function":"kmem_cache_alloc","size":192,"gfp":"GFP_KERNEL","warn":true}"#)
        let realloc = HeapEvent(sequence: 2, kind: .rustReallocated(allocator: .kvmalloc, old: nil, new: VirtualAddress(0x40), oldSize: 0,
                                                                   newSize: 24, align: 8))
        #expect(realloc.jsonLine(in: m)
            == #"{"seq":2,"kind":"realloc","allocator":"KVmalloc","old_ptr":null,"ptr":"0000000000000040","old_size":0,"bytes_req":24,"align":8}"#)
    }
}
