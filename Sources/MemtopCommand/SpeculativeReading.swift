import Captures
import HeapModel

/// A headless replay's trace reading, started from a first look at the raw arguments, before
/// the command line is parsed: parsing them takes the first several milliseconds of a replay, on
/// one core, while the other could already be decoding the trace.
///
/// The look is cheap and cautious: `replay` with `--headless`, one capture bundle and only
/// options it knows. The parsed command then decides: ``take(for:)`` hands the reading over when
/// the parsed replay reads the same trace the same way (same file, kernel profile, placement,
/// limit and timestamps), and cancels it otherwise, so a wrong guess costs some decoding, never
/// a different result.
struct SpeculativeReading {
    let file: String
    let plan: ReplaySetup.Plan
    let placement: Bool
    let limit: Int
    let timestamps: Bool
    let early: EarlyReading

    /// `replay`'s options that take a value (as `--name value` or `--name=value`); every other
    /// option is a flag. A test checks this against the parser's own list.
    static let valuedOptions: Set<String> = ["--cpus", "--ram", "--kernel", "--seed", "--dump", "--summary", "--theme",
                                             "--at", "--export", "--events-out", "--perfetto"]

    /// The reading `arguments` (after the configuration file's) would start, started; nil when
    /// they are not a headless replay of one bundle with options this look knows.
    static func start(_ arguments: [String]) -> SpeculativeReading? {
        guard arguments.first == "replay" else { return nil }
        var file: String?, values: [String: String] = [:], flags: Set<String> = []
        var i = 1
        while i < arguments.count {
            let a = arguments[i]
            i += 1
            guard a.hasPrefix("--") else {
                guard file == nil, a != "-" else { return nil }
                file = a
                continue
            }
            let parts = a.split(separator: "=", maxSplits: 1).map(String.init)
            if valuedOptions.contains(parts[0]) {
                if parts.count == 2 { values[parts[0]] = parts[1] } else if i < arguments.count { values[parts[0]] = arguments[i]; i += 1 } else { return nil }
            } else if parts.count == 1, a != "--" {
                flags.insert(a)
            } else {
                return nil
            }
        }
        guard let file, flags.contains("--headless"), !flags.contains("--help"), CaptureBundle.isBundle(path: file) else { return nil }
        // (Not MachineOptions: an unparsed option group cannot be read.)
        var kernel: KernelVersion?
        if let value = values["--kernel"] {
            guard let version = KernelVersion(rawValue: value) else { return nil }
            kernel = version
        }
        let limit: Int
        if let at = values["--at"] { guard let n = Int(at) else { return nil }; limit = n } else { limit = .max }
        guard let plan = ReplaySetup.Plan(bundle: file, kernel: kernel) else { return nil }
        let placement = !flags.contains("--simulate"), timestamps = values["--perfetto"] != nil
        return SpeculativeReading(file: file, plan: plan, placement: placement, limit: limit, timestamps: timestamps,
                                  early: EarlyReading(trace: plan.trace, kernel: plan.kernel, placement: placement, limit: limit,
                                                      timestamps: timestamps))
    }

    /// The reading, when `replay` as parsed reads the same trace with the same kernel profile,
    /// placement, limit and timestamps as this one does; else nil, with this reading stopped.
    func take(file: String, plan: ReplaySetup.Plan?, placement: Bool, limit: Int, timestamps: Bool) -> EarlyReading? {
        if file == self.file, let plan, plan.trace == self.plan.trace, plan.kernel == self.plan.kernel,
           placement == self.placement, limit == self.limit, timestamps == self.timestamps {
            return early
        }
        cancel()
        return nil
    }

    /// Stops the reading (the command is not the replay this guessed).
    func cancel() { early.reading?.cancel() }
}
