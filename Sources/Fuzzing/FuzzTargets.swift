import Allocators
import HeapModel
import Traces

/// The inputs memtop reads from users, each run on mutated copies of real samples: a target must
/// end every input with a result or a typed error, never a trap.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// ftrace text, replayed placing pages as traced and as memtop decides.
    case ftrace
    /// memtop's own trace format, replayed.
    case native

    /// Runs one input.
    public func run(_ lines: [String], machine: Machine) {
        var m = machine
        switch self {
        case .ftrace:
            for placement in [true, false] {
                var r = FtraceReplayer(file: "fuzz", kernel: m.configuration.kernel, check: true, placement: placement)
                for (i, line) in lines.enumerated() {
                    do { try r.apply(line[...], line: i + 1, strict: false, to: &m) } catch { break }
                }
                m = machine
            }
        case .native:
            var r = NativeTraceReplayer(file: "fuzz", kernel: m.configuration.kernel)
            for (i, line) in lines.enumerated() {
                do { try r.apply(line[...], number: i + 1, to: &m) } catch { continue }
            }
        }
    }
}

/// Runs a target on `iterations` mutations of `seedLines`, writing each input to `reproducer`
/// first (so that a trap leaves the input that caused it) when a path is given.
/// - Returns: the executions run.
@discardableResult
public func fuzz(_ target: FuzzTarget, seedLines: [String], seed: UInt64, iterations: Int, machine: Machine,
                 reproducer: String? = nil, keepGoing: () -> Bool = { true }) -> Int {
    var mutator = Mutator(seed: seed)
    var done = 0
    while done < iterations && keepGoing() {
        let input = mutator.mutate(seedLines)
        if let reproducer { writeFile(reproducer, input.joined(separator: "\n") + "\n") }
        target.run(input, machine: machine)
        done += 1
    }
    return done
}

#if canImport(Glibc)
import Glibc
#endif

func writeFile(_ path: String, _ text: String) {
    guard let f = fopen(path, "w") else { return }
    var text = text
    text.withUTF8 { _ = fwrite($0.baseAddress, 1, $0.count, f) }
    fclose(f)
}
