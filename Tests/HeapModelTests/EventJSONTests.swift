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
}
