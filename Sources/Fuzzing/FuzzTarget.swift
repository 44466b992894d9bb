import Allocators
import ArgumentParser
import HeapModel
import MemtopCommand
import Traces

#if canImport(Glibc)
import Glibc
#endif

/// The inputs memtop reads from users, each run on mutated copies of real samples: a target must
/// end every input with a result or a typed error, never a trap.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// ftrace text, replayed placing pages as traced and as memtop decides.
    case ftrace
    /// `perf script -g` text (events with their call chains), replayed.
    case perf
    /// `trace-cmd report` text, replayed.
    case traceCmd = "trace-cmd"
    /// memtop's own trace format, replayed.
    case native
    /// The config file: what it accepts, the command line must accept too.
    case config
    /// trace-cmd's trace.dat (versions 6 and 7, zstd-compressed sections): bytes mutated, the
    /// text it gives replayed.
    case traceDat = "trace.dat"

    /// Whether the target's inputs are bytes (mutated as bytes) rather than lines.
    public var isBinary: Bool { self == .traceDat }

    /// The most lines of a trace.dat's text replayed per input, so one execution stays short.
    static let traceDatLines = 4_000

    /// Runs one text input.
    /// - Returns: what went wrong short of a trap (an input the config parser accepted that the
    ///   command line refused), or nil.
    @discardableResult
    public func run(_ lines: [String], machine: Machine) -> String? {
        switch self {
        case .ftrace, .perf, .traceCmd:
            for placement in self == .ftrace ? [true, false] : [true] {
                var m = machine
                var r = FtraceReplayer(file: "fuzz", kernel: m.configuration.kernel, check: true, placement: placement)
                for (i, line) in lines.enumerated() {
                    do { try r.apply(line[...], line: i + 1, strict: false, to: &m) } catch { break }
                }
                try? r.finishCallChain(strict: false, on: &m)
            }
        case .native:
            var m = machine
            var r = NativeTraceReplayer(file: "fuzz", kernel: m.configuration.kernel)
            for (i, line) in lines.enumerated() {
                do { try r.apply(line[...], number: i + 1, to: &m) } catch { continue }
            }
        case .config:
            return FuzzTarget.checkConfig(lines.joined(separator: "\n"))
        case .traceDat:
            return run(bytes: Array(lines.joined(separator: "\n").utf8), machine: machine)
        }
        return nil
    }

    /// Runs one binary input: written to a scratch file, opened as a trace.dat, its text replayed.
    @discardableResult
    public func run(bytes: [UInt8], machine: Machine) -> String? {
        let path = "/tmp/memtop-fuzz-\(getpid()).dat"
        guard writeFile(path, bytes) else { return "cannot write \(path)" }
        defer { unlink(path) }
        guard let reader = try? TraceDatReader(path: path, name: "fuzz.dat") else { return nil }
        var m = machine
        var r = FtraceReplayer(file: "fuzz.dat", kernel: m.configuration.kernel, check: true, placement: true)
        var line = 0
        try? reader.text { block throws(TraceInputError) in
            for text in block.split(separator: UInt8(ascii: "\n")) where line < FuzzTarget.traceDatLines {
                line += 1
                let s = String(decoding: text, as: UTF8.self)
                do { try r.apply(s[...], line: line, strict: false, to: &m) } catch { return false }
            }
            return true   // the rest of the file is still decoded: its pages are what the mutations hit
        }
        return nil
    }

    /// A config text the parser accepts must give arguments the command line accepts.
    static func checkConfig(_ text: String) -> String? {
        guard let settings = try? Config.parse(text, file: "fuzz.config") else { return nil }
        for command in [["run", "--headless"], ["replay", "x.txt"], ["demo"], ["record", "tour", "-o", "/tmp/memtop-fuzz.trace"], ["quiz"]] {
            let arguments = Config.apply(to: command, settings: settings)
            do { _ = try Memtop.parseAsRoot(arguments) } catch {
                return "config accepted \(settings) but \(arguments.joined(separator: " ")) was refused: \(Memtop.message(for: error))"
            }
        }
        return nil
    }
}

/// Runs a target on `iterations` mutations of `seedLines`, writing each input to `reproducer`
/// first (so that a trap leaves the input that caused it) when a path is given.
/// - Returns: the executions run.
@discardableResult
public func fuzz(_ target: FuzzTarget, seedLines: [String], seed: UInt64, iterations: Int, machine: Machine,
                 reproducer: String? = nil, findings: ((String) -> Void)? = nil, keepGoing: () -> Bool = { true }) -> Int {
    var mutator = Mutator(seed: seed)
    var done = 0
    while done < iterations && keepGoing() {
        let input = mutator.mutate(seedLines)
        if let reproducer { writeFile(reproducer, Array((input.joined(separator: "\n") + "\n").utf8)) }
        if let finding = target.run(input, machine: machine) { findings?(finding) }
        done += 1
    }
    return done
}

/// Runs a binary target on `iterations` mutations of `seedBytes` (see ``fuzz(_:seedLines:seed:iterations:machine:reproducer:findings:keepGoing:)``).
/// - Returns: the executions run.
@discardableResult
public func fuzz(_ target: FuzzTarget, seedBytes: [UInt8], seed: UInt64, iterations: Int, machine: Machine,
                 reproducer: String? = nil, findings: ((String) -> Void)? = nil, keepGoing: () -> Bool = { true }) -> Int {
    var mutator = Mutator(seed: seed)
    var done = 0
    while done < iterations && keepGoing() {
        let input = mutator.mutate(bytes: seedBytes)
        if let reproducer { writeFile(reproducer, input) }
        if let finding = target.run(bytes: input, machine: machine) { findings?(finding) }
        done += 1
    }
    return done
}

/// Writes `bytes` to `path`; false when it cannot.
@discardableResult
func writeFile(_ path: String, _ bytes: [UInt8]) -> Bool {
    guard let f = fopen(path, "w") else { return false }
    let written = bytes.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, f) }
    return fclose(f) == 0 && written == bytes.count
}
