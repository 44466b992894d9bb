import HeapModel
import Testing

@Suite("Byte sizes")
struct ByteSizeTests {
    @Test("Sizes as people write them", arguments: [
        ("4096", UInt64(4096)), ("4K", 4096), ("4k", 4096), ("4KiB", 4096), ("2M", 2 << 20), ("1G", 1 << 30),
        ("1.5G", 3 << 29), ("64G", 64 << 30), ("512MB", 512 << 20),
    ])
    func parse(text: String, bytes: UInt64) throws {
        #expect(try ByteSize.parse(text) == bytes)
    }

    @Test("Malformed sizes are refused", arguments: ["", "12X", "G", "1..2G", "-1G", "1 G B", "99999999999999999999"])
    func malformed(text: String) {
        #expect(throws: ByteSize.ParseError.self) { try ByteSize.parse(text) }
    }

    @Test("Formatting")
    func format() {
        #expect(ByteSize.format(1 << 30) == "1G")
        #expect(ByteSize.format(3 << 29) == "1.5G")
        #expect(ByteSize.format(100) == "100B")
    }
}
