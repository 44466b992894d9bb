import HeapModel
import MemtopTestSupport
import Testing
@testable import Traces

@Suite("Reading traces fast: the block reader and the pointer map")
struct ReadingTests {
    @Test("Lines across block boundaries, CRLF, a last line without newline, and offsets for seeking")
    func blockBoundaries() throws {
        // Lines of varied lengths so that several straddle the 1 MiB block boundary.
        var text = ""
        var expected: [String] = []
        var rng = SeededGenerator(seed: 7)
        while text.utf8.count < 3 * LineSource.blockSize {
            let line = String(repeating: "x", count: Int.random(in: 0..<3000, using: &rng)) + "\(expected.count)"
            expected.append(line)
            text += line + (expected.count % 5 == 0 ? "\r\n" : "\n")
        }
        text += "last"
        expected.append("last")
        let path = temporaryFile(text)
        let source = try LineSource(path: path)
        var got: [String] = []
        var offsets: [Int64] = []
        try source.forEachLine { bytes in
            got.append(String(decoding: bytes, as: UTF8.self))
            offsets.append(source.offset)
            return true
        }
        #expect(got == expected)
        #expect(source.lineNumber == expected.count)
        #expect(source.bytesRead == text.utf8.count)
        // Seeking to the offset after line k continues with line k + 1.
        for k in [0, 400, expected.count / 2, expected.count - 2] {
            #expect(source.seek(toOffset: offsets[k], line: k + 1))
            let next = try source.nextLine()
            #expect(next.map(String.init) == expected[k + 1])
            #expect(source.lineNumber == k + 2)
        }
    }

    @Test("A NUL byte is refused on its own line, even past the first block; an over-long line is refused")
    func binaryAndLongLines() throws {
        let filler = String(repeating: "a", count: 99) + "\n"
        let lines = LineSource.blockSize / 100 + 10
        let path = temporaryFile(String(repeating: filler, count: lines) + "ok\nbad\u{0}line\nafter\n")
        let source = try LineSource(path: path)
        var seen = 0
        #expect(throws: TraceInputError(file: path, line: lines + 2, message: "expected text, found a NUL byte (a binary file?)")) {
            try source.forEachLine { _ in seen += 1; return true }
        }
        #expect(seen == lines + 1)
        let long = temporaryFile("short\n" + String(repeating: "b", count: LineSource.maxLine + 10) + "\n")
        let longSource = try LineSource(path: long)
        #expect(throws: TraceInputError.self) { try longSource.forEachLine { _ in true } }
        #expect(longSource.lineNumber == 2)
    }

    @Test("PointerMap agrees with Dictionary over seeded random inserts, replacements and removals")
    func pointerMapMatchesDictionary() {
        for seed in UInt64(1)...4 {
            var rng = SeededGenerator(seed: seed)
            var map = PointerMap<Int>(filler: -1)
            var reference: [UInt64: Int] = [:]
            // Keys like kernel pointers (clustered, aligned), small numbers, and the reserved empty key.
            func key() -> UInt64 {
                switch Int.random(in: 0..<10, using: &rng) {
                case 0: return .max
                case 1...3: return UInt64.random(in: 0..<64, using: &rng)
                default: return 0xff25_2c4e_4400_0000 &+ UInt64.random(in: 0..<4096, using: &rng) &* 64
                }
            }
            var firstDifference: Int?
            for step in 0..<20_000 where firstDifference == nil {
                let k = key()
                let same = Int.random(in: 0..<3, using: &rng) == 0
                    ? map.removeValue(forKey: k) == reference.removeValue(forKey: k)
                    : map.updateValue(step, forKey: k) == reference.updateValue(step, forKey: k)
                if !same || map.count != reference.count { firstDifference = step }
            }
            #expect(firstDifference == nil, "seed \(seed)")
            #expect(reference.count > 1000, "the test must grow the table several times")
            #expect(reference.keys.allSatisfy { map[$0] == reference[$0] })
            #expect((0..<1000).allSatisfy { _ in let k = key(); return map[k] == reference[k] })
        }
    }
}
