// memtop-fuzz: a seeded mutation fuzzer for memtop's input readers.
// Usage: swift run -c release memtop-fuzz [ftrace|perf|trace-cmd|native|config|trace.dat ...] [--seconds N] [--seed S] [--lines N]
// Seeds come from the shared real captures and the lessons (FuzzSeeds). Each input is written to
// /tmp/memtop-fuzz-TARGET.input before it runs, so a trap leaves its reproducer there; a finding
// short of a trap (the config target's cross-check) is printed and makes the exit status 1.
import Allocators
import Fuzzing
import HeapModel
import Traces

#if canImport(Glibc)
import Glibc
#endif

let arguments = Array(CommandLine.arguments.dropFirst())
func option(_ name: String, _ fallback: Int, in arguments: [String]) -> Int {
    guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count, let v = Int(arguments[i + 1]) else { return fallback }
    return v
}
let targets = arguments.compactMap { FuzzTarget(rawValue: $0) }
let seconds = option("--seconds", 10, in: arguments), seed = UInt64(option("--seed", 1, in: arguments))
let lineCount = option("--lines", 200, in: arguments)
let root = "/" + String(#filePath.split(separator: "/").dropLast(3).joined(separator: "/"))
let machine: Machine
do { machine = try Kernel.boot(MachineConfiguration(ramBytes: 256 << 20, cpus: 2, kernel: .v6_1)) } catch { fatalError("\(error)") }
var found = 0
for target in targets.isEmpty ? FuzzTarget.allCases : targets {
    var start = timespec(), now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &start)
    let keepGoing = {
        clock_gettime(CLOCK_MONOTONIC, &now)
        return now.tv_sec - start.tv_sec < seconds
    }
    let report: (String) -> Void = { found += 1; print("\(target.rawValue): finding: \($0)") }
    let reproducer = "/tmp/memtop-fuzz-\(target).input"
    let n: Int
    if target.isBinary {
        // Both file versions, half the time each.
        let seeds = [FuzzSeeds.bytes(target, root: root), FuzzSeeds.bytes(target, root: root, v6: true)].filter { !$0.isEmpty }
        guard !seeds.isEmpty else { print("\(target.rawValue): no seed input found"); continue }
        var total = 0
        for (k, bytes) in seeds.enumerated() {
            clock_gettime(CLOCK_MONOTONIC, &start)
            let share = seconds / seeds.count
            total += fuzz(target, seedBytes: bytes, seed: seed &+ UInt64(k), iterations: .max, machine: machine,
                          reproducer: reproducer, findings: report) {
                clock_gettime(CLOCK_MONOTONIC, &now)
                return now.tv_sec - start.tv_sec < share
            }
        }
        n = total
    } else {
        let lines = FuzzSeeds.lines(target, root: root, count: target == .perf ? lineCount * 4 : lineCount)
        guard !lines.isEmpty else { print("\(target.rawValue): no seed input found"); continue }
        n = fuzz(target, seedLines: lines, seed: seed, iterations: .max, machine: machine, reproducer: reproducer,
                 findings: report, keepGoing: keepGoing)
    }
    print("\(target.rawValue): \(n) executions in \(seconds) s from seed \(seed), no trap")
}
exit(found == 0 ? 0 : 1)
