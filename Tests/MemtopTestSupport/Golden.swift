#if canImport(Glibc)
import Glibc
#endif
import Testing

/// Golden-file comparison: text produced by a test against a file under the test target's
/// `Golden/` folder. Set `MEMTOP_RECORD_GOLDEN=1` to (re)write the files; a recording run fails so
/// that a person reviews the diff before committing it.
public enum Golden {
    /// Compares `text` with the golden file `name`, recording it when asked.
    public static func check(_ text: String, named name: String, folder: String = #filePath,
                             sourceLocation: SourceLocation = #_sourceLocation) throws {
        let directory = String(folder[..<(folder.lastIndex(of: "/") ?? folder.endIndex)]) + "/Golden"
        let path = directory + "/" + name
        if getenv("MEMTOP_RECORD_GOLDEN") != nil {
            guard let f = fopen(path, "w") else { Issue.record("cannot write \(path)", sourceLocation: sourceLocation); return }
            fputs(text, f)
            fclose(f)
            Issue.record("recorded \(path); review it and run again without MEMTOP_RECORD_GOLDEN", sourceLocation: sourceLocation)
            return
        }
        guard let expected = readFile(path) else {
            Issue.record("no golden file \(path); run with MEMTOP_RECORD_GOLDEN=1 to create it", sourceLocation: sourceLocation)
            return
        }
        if expected != text {
            let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let t = text.split(separator: "\n", omittingEmptySubsequences: false)
            let first = zip(e, t).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(e.count, t.count)
            Issue.record("""
                \(name) differs at line \(first + 1):
                  expected: \(first < e.count ? String(e[first]) : "<end>")
                  actual:   \(first < t.count ? String(t[first]) : "<end>")
                """, sourceLocation: sourceLocation)
        }
    }

    /// The whole text of a file, or nil.
    public static func readFile(_ path: String) -> String? {
        guard let f = fopen(path, "r") else { return nil }
        defer { fclose(f) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&buffer, 1, buffer.count, f)
            if n <= 0 { break }
            bytes += buffer[0..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
