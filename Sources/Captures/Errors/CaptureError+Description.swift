extension CaptureError: CustomStringConvertible {
    /// `FILE:LINE: expected ..., found ...`, as compilers print a diagnostic (`FILE: ...` when the
    /// error has no line).
    public var description: String {
        let place = line.map { "\(file):\($0)" } ?? file
        return "\(place): expected \(expected), found \(found)"
    }
}
