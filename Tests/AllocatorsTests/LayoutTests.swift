import Allocators
import Testing

@Suite("Layout")
struct LayoutTests {
    @Test("Alignment must be a power of two")
    func alignment() {
        #expect(Layout(size: 10, align: 3) == nil)
        #expect(Layout(size: 10, align: 0) == nil)
        #expect(Layout(size: -1, align: 8) == nil)
        #expect(Layout(size: 10, align: 8) != nil)
    }

    @Test("pad_to_align rounds the size up to the alignment")
    func padding() throws {
        #expect(try #require(Layout(size: 10, align: 8)).paddedToAlign.size == 16)
        #expect(try #require(Layout(size: 16, align: 8)).paddedToAlign.size == 16)
        #expect(try #require(Layout(size: 0, align: 64)).paddedToAlign.size == 0)
    }

    @Test("Array layouts refuse overflow")
    func arrays() {
        #expect(Layout.array(elementSize: 8, alignment: 8, count: 4)?.size == 32)
        #expect(Layout.array(elementSize: Int.max / 2, alignment: 8, count: 4) == nil)
    }
}
