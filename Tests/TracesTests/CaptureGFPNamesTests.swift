import HeapModel
import MemtopTestSupport
import Testing
import Traces

@Suite("GFP names of the real captures")
struct CaptureGFPNamesTests {
    /// Every distinct `gfp_flags=` value of a trace.
    static func gfpStrings(in path: String) throws -> Set<String> {
        let key = Array("gfp_flags=".utf8)
        var found = Set<String>()
        let source = try LineSource(path: path)
        try source.forEachLine { line in
            var i = 0
            let n = line.count
            while i + key.count <= n {
                if line[i] == key[0] && (0..<key.count).allSatisfy({ line[i + $0] == key[$0] }) {
                    var j = i + key.count
                    while j < n && line[j] != UInt8(ascii: " ") { j += 1 }
                    found.insert(String(decoding: UnsafeBufferPointer(rebasing: line[(i + key.count)..<j]), as: UTF8.self))
                    i = j
                } else {
                    i += 1
                }
            }
            return true
        }
        return found
    }

    @Test("Every gfp_flags string of the Debian 6.12 capture parses with the 6.12 table and prints back the same")
    func debian612() throws {
        let path = try #require(SharedBundle.path("6.12-build", "trace.txt.xz"), "shared/traces/bundles must sit beside the repository")
        let strings = try Self.gfpStrings(in: path)
        #expect(strings.count >= 30)
        for text in strings {
            let flags = try GFPFlags(parsing: text, kernel: .v6_12)
            #expect(flags.traceString(.v6_12) == text)
        }
        // The names that tell 6.12's table from 6.1's and 6.18's: 6.3+ GFP_ATOMIC without
        // __GFP_ATOMIC, GFP_NOWAIT with __GFP_NOWARN, and 6.1's hand-made order of the single bits.
        #expect(strings.contains("GFP_ATOMIC|__GFP_NOWARN"))
        #expect(GFPFlags.atomic(.v6_12).traceString(.v6_12) == "GFP_ATOMIC")
        #expect(strings.contains("GFP_KERNEL|__GFP_NOWARN|__GFP_NORETRY|__GFP_ZERO"))
        #expect(GFPFlags(rawValue: 0x12cc0 | 0x100).traceString(.v6_18) != "GFP_KERNEL|__GFP_NOWARN|__GFP_NORETRY|__GFP_ZERO")
    }
}
