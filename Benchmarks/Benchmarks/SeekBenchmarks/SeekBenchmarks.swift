import Benchmark
import HeapModel
import MemtopCommand

#if canImport(Glibc)
import Glibc
#endif

/// Time travel in a 10M-event trace: the viewer's session plays it once (taking its periodic
/// snapshots), then each measured iteration seeks to a random event and back. Also reports the
/// process's peak RSS after the whole replay.
let traceLines = 10_000_000

/// A synthetic ftrace capture: kmalloc and kfree of a churning live set, 10M lines.
func makeTrace() -> String {
    let path = "/tmp/memtop-seek-10M.txt"
    if access(path, R_OK) == 0 { return path }
    guard let f = fopen(path, "w") else { fatalError("cannot write \(path)") }
    var rng = SplitMix64(seed: 1)
    var live: [UInt64] = []
    let sizes = [8, 24, 64, 72, 100, 200, 500, 1000, 3000]
    var line = ""
    for i in 0..<traceLines {
        let r = rng.next()
        if live.isEmpty || r % 100 < 55 && live.count < 200_000 {
            let ptr = 0xffff_8880_0000_0000 &+ UInt64(i) &* 64
            let size = sizes[Int(r >> 8) % sizes.count]
            line = "  sh-1 [000] ..... 1.0: kmalloc: call_site=bench+0x1/0x2 ptr=\(String(ptr, radix: 16)) bytes_req=\(size) bytes_alloc=\(size) gfp_flags=GFP_KERNEL node=-1 accounted=false\n"
            live.append(ptr)
        } else {
            let j = Int(r >> 16) % live.count
            live.swapAt(j, live.count - 1)
            line = "  sh-1 [000] ..... 1.0: kfree: call_site=bench+0x3/0x4 ptr=\(String(live.removeLast(), radix: 16))\n"
        }
        fputs(line, f)
    }
    fclose(f)
    return path
}

/// A real capture made 10M lines long: the shared 6.1 build bundle's trace, repeated (as
/// replay-vs-mawk.sh repeats the boot capture), for seeks in a replay that places pages as traced.
func makeRealTrace() -> String? {
    let path = "/tmp/memtop-seek-real-10M.txt"
    if access(path, R_OK) == 0 { return path }
    var dir = #filePath
    for _ in 0..<4 { dir = String(dir[..<(dir.lastIndex(of: "/") ?? dir.startIndex)]) }
    let capture = dir + "/../shared/traces/bundles/6.1-build/trace.txt.xz"
    guard access(capture, R_OK) == 0 else { return nil }
    let script = "xz -dc '\(capture)' > \(path).one && head -12 \(path).one > \(path) && "
        + "for i in 1 2 3 4 5 6; do tail -n +13 \(path).one >> \(path); done && "
        + "head -n \(traceLines) \(path) > \(path).tmp && mv \(path).tmp \(path); rm -f \(path).one"
    return system(script) == 0 ? path : nil
}

let benchmarks: @Sendable () -> Void = {
    // One iteration: play the trace once, then 20 seeks; the wall clock covers the seeks only.
    // The synthetic trace has no page events and pointers that are no slot of any slab, so it is
    // replayed with memtop's own decisions (--simulate); the real one is placed as traced.
    Benchmark("20 seeks anywhere in a 10M-event trace", configuration: .init(metrics: [.wallClock, .peakMemoryResident],
                                                                             maxDuration: .seconds(600), maxIterations: 1)) { benchmark in
        try seeks(in: makeTrace(), placement: false, report: "/tmp/memtop-seek-report.txt", benchmark)
    }
    Benchmark("20 seeks anywhere in a 10M-line real capture, placed as traced",
              configuration: .init(metrics: [.wallClock, .peakMemoryResident], maxDuration: .seconds(600), maxIterations: 1)) { benchmark in
        guard let path = makeRealTrace() else { return }
        try seeks(in: path, placement: true, report: "/tmp/memtop-seek-real-report.txt", benchmark)
    }
}

/// Plays `path` in a viewer session, then measures 20 random seeks and the worst cases by construction.
func seeks(in path: String, placement: Bool, report: String, _ benchmark: Benchmark) throws {
        var request = ViewerRequest(source: .trace(path), configuration: MachineConfiguration(ramBytes: 1 << 30, kernel: .v6_1), seed: 1)
        request.placement = placement
        var session = try ViewerSession(request, theme: .init(mode: .monochrome))
        var a = timespec(), b = timespec()
        clock_gettime(CLOCK_MONOTONIC, &a)
        session.advance(traceLines)
        clock_gettime(CLOCK_MONOTONIC, &b)
        var rng = SplitMix64(seed: 9)
        var missed: [String] = []
        func timedSeek(_ target: Int) -> UInt64 {
            var t0 = timespec(), t1 = timespec()
            clock_gettime(CLOCK_MONOTONIC, &t0)
            session.seek(to: target)
            clock_gettime(CLOCK_MONOTONIC, &t1)
            if session.status.step != target { missed.append("seek to \(target) ended at \(session.status.step) finished \(session.status.finished) log \(session.log.suffix(2).map(\.text))") }
            return UInt64(t1.tv_sec - t0.tv_sec) * 1_000_000_000 + UInt64(t1.tv_nsec) - UInt64(t0.tv_nsec)
        }
        benchmark.startMeasurement()
        var worst: UInt64 = 0
        for _ in 0..<20 { worst = max(worst, timedSeek(Int(rng.next() % UInt64(traceLines)))) }
        benchmark.stopMeasurement()
        // The worst case by construction: one line before a snapshot, coming back from the end, so
        // the whole interval is replayed (k = 1: before the first snapshot, the trace is reread).
        // The seeks to the end and to the first lines count too.
        let interval = session.snapshotInterval
        var worstCase: UInt64 = 0
        for k in [1, 2, 7, 19, 33, 38] where k * interval < traceLines {
            worstCase = max(worstCase, timedSeek(traceLines))
            worstCase = max(worstCase, timedSeek(k * interval - 1))
        }
        for target in [0, 1, 2, 999] { worstCase = max(worstCase, timedSeek(target)) }
        if let f = fopen(report, "w") {
            fputs("playing \(traceLines) lines: \(b.tv_sec - a.tv_sec) s; snapshots every \(interval) lines; "
                  + "worst of 20 random seeks: \(worst / 1_000_000) ms; worst case (a line before a snapshot, the end, the start): \(worstCase / 1_000_000) ms\n"
                  + missed.map { $0 + "\n" }.joined(), f)
            fclose(f)
        }
        blackHole(session.status.step)
}
