// memtop-fuzz: a seeded mutation fuzzer for memtop's input readers.
// Usage: swift run -c release memtop-fuzz [ftrace|native] [--seconds N] [--seed S] [--lines N]
// Seeds come from the shared real capture (ftrace) and the lessons (native). Each input is written
// to /tmp/memtop-fuzz-TARGET.input before it runs, so a trap leaves its reproducer there.
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
let here = String(#filePath.split(separator: "/").dropLast(3).joined(separator: "/"))
func sample(_ target: FuzzTarget, lines lineCount: Int, root here: String) -> [String] {
    let path = target == .ftrace ? "/" + here + "/../shared/traces/real/qemu-6.1.0-56-amd64-boot.trace.txt.xz"
                                 : "/" + here + "/assets/lessons/7-contract.trace"
    guard let source = try? LineSource(path: path) else { return [] }
    var lines: [String] = []
    while lines.count < lineCount, let line = try? source.nextLine() { lines.append(String(line)) }
    return lines
}
let machine: Machine
do { machine = try Kernel.boot(MachineConfiguration(ramBytes: 256 << 20, cpus: 2, kernel: .v6_1)) } catch { fatalError("\(error)") }
for target in targets.isEmpty ? FuzzTarget.allCases : targets {
    let lines = sample(target, lines: lineCount, root: here)
    guard !lines.isEmpty else { print("\(target): no seed input found"); continue }
    var start = timespec(), now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &start)
    let n = fuzz(target, seedLines: lines, seed: seed, iterations: .max, machine: machine,
                 reproducer: "/tmp/memtop-fuzz-\(target).input") {
        clock_gettime(CLOCK_MONOTONIC, &now)
        return now.tv_sec - start.tv_sec < seconds
    }
    print("\(target): \(n) executions in \(seconds) s from seed \(seed), no trap")
}
