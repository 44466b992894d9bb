extension ProcParser {
    /// Parses `/proc/meminfo`: `Key:  value kB` lines, and unitless `Key:  value` lines.
    ///
    /// - Parameters:
    ///   - text: The file's text.
    ///   - file: The name errors carry.
    /// - Returns: The values by key.
    /// - Throws: ``CaptureError`` for a line that is not `Key: N` or `Key: N kB`, a value that is not
    ///   a non-negative number, or a key printed twice.
    /// - Complexity: O(n) in the length of `text`.
    public static func meminfo(_ text: String, file: String = "meminfo.txt") throws(CaptureError) -> MemInfo {
        let context = ParseContext(file: file)
        var info = MemInfo(kilobytes: [:], counts: [:], keys: [])
        for line in ParseContext.lines(text) where !line.isBlank {
            let fields = line.fields
            guard fields.count == 2 || (fields.count == 3 && fields[2] == "kB"), fields[0].count > 1,
                  fields[0].hasSuffix(":") else {
                throw context.failure(line, expected: "\"Key: N kB\" or \"Key: N\"")
            }
            let key = String(fields[0].dropLast())
            guard info.kilobytes[key] == nil, info.counts[key] == nil else {
                throw context.failure(line, expected: "each key once, but \(key) is repeated")
            }
            let value = try context.count(fields[1], key, on: line)
            if fields.count == 3 { info.kilobytes[key] = value } else { info.counts[key] = value }
            info.keys.append(key)
        }
        return info
    }
}
