extension ProcParser {
    /// Parses `uname.txt`: the output of `uname -a` (or of `uname -r` alone).
    ///
    /// `uname -a` prints the kernel name, the host name and then the release, so the release is
    /// the third field; a file holding only the release is accepted too.
    ///
    /// ```
    /// Linux (none) 6.1.0-56-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.192-2 (2026-11-16) x86_64 GNU/Linux
    /// ```
    /// gives release `6.1.0-56-amd64`, 6.1.
    ///
    /// - Parameters:
    ///   - text: The file's text.
    ///   - file: The name errors carry.
    /// - Returns: The release and its major and minor numbers.
    /// - Throws: ``CaptureError`` when the file is empty or its first line has no
    ///   `MAJOR.MINOR...` release where `uname` puts one.
    public static func uname(_ text: String, file: String = "uname.txt") throws(CaptureError) -> KernelRelease {
        let context = ParseContext(file: file)
        let lines = ParseContext.lines(text)
        guard let line = lines.first(where: { !$0.isBlank }) else {
            throw context.endOfFile(expected: "the output of uname -a", lineCount: lines.count)
        }
        let fields = line.fields
        let candidates = fields.count >= 3 ? [fields[0], fields[2]] : [fields[0]]
        for candidate in candidates {
            if let (major, minor) = seriesNumbers(candidate) {
                return KernelRelease(release: String(candidate), major: major, minor: minor)
            }
        }
        throw context.failure(line, expected: "uname -a output with a MAJOR.MINOR release as its third field")
    }

    /// Parses `nproc.txt`: the number of CPUs `nproc` printed.
    ///
    /// - Parameters:
    ///   - text: The file's text.
    ///   - file: The name errors carry.
    /// - Returns: The CPU count, at least 1.
    /// - Throws: ``CaptureError`` unless the first line is a single positive number.
    public static func nproc(_ text: String, file: String = "nproc.txt") throws(CaptureError) -> Int {
        let context = ParseContext(file: file)
        let lines = ParseContext.lines(text)
        guard let line = lines.first else {
            throw context.endOfFile(expected: "a CPU count", lineCount: 0)
        }
        guard let cpus = Int(line.trimmed), cpus >= 1 else {
            throw context.failure(line, expected: "a positive CPU count")
        }
        return cpus
    }

    /// The leading `MAJOR.MINOR` of a release such as `6.12.117+deb12-amd64`, or nil.
    static func seriesNumbers(_ release: Substring) -> (Int, Int)? {
        let majorDigits = release.prefix(while: \.isASCIIDigit)
        let afterMajor = release.dropFirst(majorDigits.count)
        guard !majorDigits.isEmpty, afterMajor.first == "." else { return nil }
        let minorDigits = afterMajor.dropFirst().prefix(while: \.isASCIIDigit)
        guard !minorDigits.isEmpty, let major = Int(majorDigits), let minor = Int(minorDigits) else { return nil }
        return (major, minor)
    }
}
