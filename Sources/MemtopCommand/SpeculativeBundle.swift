import Captures

/// A headless replay's capture bundle, read (its /proc state parsed) from a first look at the raw
/// arguments, before the command line is parsed: parsing the arguments takes the first several
/// milliseconds of a replay on one core, and the replay then waited as long again for the
/// bundle's parsers, which now run meanwhile on the other.
///
/// The look is cheap and cautious: `replay` with `--headless`, one capture bundle and only
/// options it knows. The parsed command then decides: ``take(for:)`` hands the bundle over when
/// the parsed replay reads the same one, and drops it otherwise, so a wrong guess costs some
/// parsing, never a different result: what reading the bundle found wrong is said where it always was.
struct SpeculativeBundle {
    let path: String
    let bundle: BackgroundResult<CaptureBundle>

    /// `replay`'s options that take a value (as `--name value` or `--name=value`); every other
    /// option is a flag. A test checks this against the parser's own list.
    static let valuedOptions: Set<String> = ["--cpus", "--ram", "--kernel", "--seed", "--dump", "--summary", "--theme",
                                             "--at", "--export", "--events-out", "--perfetto"]

    /// The bundle `arguments` (after the configuration file's) would replay, being read; nil when
    /// they are not a headless replay of one bundle with options this look knows.
    static func start(_ arguments: [String]) -> SpeculativeBundle? {
        guard arguments.first == "replay" else { return nil }
        var path: String?, flags: Set<String> = []
        var i = 1
        while i < arguments.count {
            let a = arguments[i]
            i += 1
            guard a.hasPrefix("--") else {
                guard path == nil, a != "-" else { return nil }
                path = a
                continue
            }
            let name = a.split(separator: "=", maxSplits: 1).first.map(String.init) ?? a
            if valuedOptions.contains(name) {
                if name == a { guard i < arguments.count else { return nil }; i += 1 }
            } else if name == a, a != "--" {
                flags.insert(a)
            } else {
                return nil
            }
        }
        guard let path, flags.contains("--headless"), !flags.contains("--help"), CaptureBundle.isBundle(path: path) else { return nil }
        return SpeculativeBundle(path: path, bundle: BackgroundResult { () throws(CaptureError) in try CaptureBundle(path: path) })
    }

    /// The bundle being read, when the parsed replay's file is this one; else nil.
    func take(for file: String) -> BackgroundResult<CaptureBundle>? { file == path ? bundle : nil }
}
