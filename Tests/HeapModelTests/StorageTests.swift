import HeapModel
import Testing

@Suite("Chunked copy-on-write arrays")
struct ChunkedArrayTests {
    @Test("A copy shares every chunk; a write copies only the chunk it lands in")
    func copyOnWritePerChunk() {
        let n = ChunkedArray<Int32>.chunkSize * 10 + 5
        var a = ChunkedArray<Int32>(repeating: 7, count: n)
        var b = a
        var census = StorageCensus()
        census.exclude { a.count(in: &$0) }
        b.count(in: &census)
        #expect(census.bytes == 0)

        b[ChunkedArray<Int32>.chunkSize * 3 + 1] = 9
        var after = StorageCensus()
        after.exclude { a.count(in: &$0) }
        b.count(in: &after)
        #expect(after.bytes == ChunkedArray<Int32>.chunkSize * 4)
        #expect(a[ChunkedArray<Int32>.chunkSize * 3 + 1] == 7)
        #expect(b[ChunkedArray<Int32>.chunkSize * 3 + 1] == 9)
        #expect(a != b)
        a[ChunkedArray<Int32>.chunkSize * 3 + 1] = 9
        #expect(a == b)
        #expect(a.count == n && Array(a.suffix(5)) == [7, 7, 7, 7, 7])
    }

    @Test("Appending fills the last chunk, then starts a new one; elements keep their order")
    func append() {
        var a = ChunkedArray<UInt32>()
        let plain = (0..<UInt32(10_000)).map { $0 &* 2_654_435_761 }
        for x in plain { a.append(x) }
        #expect(a.count == plain.count)
        #expect(Array(a) == plain)
        #expect(ChunkedArray(plain) == a)
        let copy = a
        a.append(1)
        #expect(copy.count == plain.count && a.count == plain.count + 1 && a.last == 1)
        #expect(Array(copy) == plain)
    }

    @Test("The census counts a buffer once however many values share it")
    func censusCountsOnce() {
        let x = [UInt64](repeating: 1, count: 1000)
        let y = x
        var census = StorageCensus()
        census.count(x)
        census.count(y)
        #expect(census.bytes == 8000)
    }
}

@Suite("Frame records")
struct FrameRecordTests {
    @Test("A frame's record is 16 bytes: 64 GiB of RAM needs 256 MiB of them")
    func sixteenBytes() {
        #expect(Machine.frameRecordStride == 16)
    }
}
