import HeapModel
import Operations

/// A run's timeline as Chrome trace-event JSON, the format Perfetto's UI opens (`--perfetto FILE`).
///
/// Counter events (`"ph":"C"`, one track per `args` key) sample the machine: free pages per zone
/// and order, per-CPU list pages per zone, objects and pages of the top slab caches, vmalloc pages
/// and large kmalloc pages. Instant events (`"ph":"i"`, global scope) mark allocation failures,
/// contract violations, lost trace events and lesson narration. Timestamps are microseconds of the
/// trace's clock when the source has one (ftrace text, trace.dat), else the event index (the `seq`
/// of `--events-out`) read as microseconds.
///
/// Memory stays bounded on any trace: events are streamed to the file as they are made, and the
/// writer keeps only the last value of each track. A counter is written when its value changed,
/// and the machine is sampled at most once per ``stride`` events (and at every instant event, and
/// at the end), so a trace of N events writes at most about N / stride samples per track.
///
/// # Invariants
/// - `ts` never decreases from one written event to the next (a trace whose lines go back in time,
///   as merged per-CPU buffers can by a few µs, is clamped to the latest time written).
/// - At most ``maxCacheTracks`` slab caches get a track; a cache that has one keeps it.
struct PerfettoTrace {
    /// The file.
    let writer: TextFileWriter
    /// Events between two samples of the machine, at least.
    let stride: Int
    /// The latest `ts` written.
    private(set) var lastTime: Double = 0
    /// The event count at the last sample, nil before the first.
    private var sampledAt: Int?
    /// The last values written, by track name.
    private var lastValues: [String: [Int]] = [:]
    /// The slab caches with a track, in the order they got one, with their track names.
    var cacheTracks: [(id: CacheID, name: String)] = []
    /// Lost-event count last reported.
    private var lostSeen = 0

    /// Slab caches that get a track, at most.
    static let maxCacheTracks = 24
    /// Caches, by slab pages, that may get a track at each sample.
    static let topCaches = 12

    /// Opens `path` and writes the opening of the document and the process and track names.
    /// - Parameters:
    ///   - path: The file to write (`-` for standard output).
    ///   - title: The process name Perfetto shows.
    ///   - stride: Events between two samples of the machine, at least.
    /// - Throws: ``RunFailure`` when the file cannot be opened.
    init(path: String, title: String = "memtop", stride: Int = 64) throws {
        writer = try TextFileWriter(path: path)
        self.stride = max(1, stride)
        writer.write("{\"displayTimeUnit\":\"ms\",\"traceEvents\":[\n")
        writer.write(Self.metadata("process_name", tid: 0, name: title))
        writer.write(",\n" + Self.metadata("thread_name", tid: 0, name: "machine"))
    }

    /// A `"ph":"M"` naming event.
    private static func metadata(_ kind: String, tid: Int, name: String) -> String {
        "{\"name\":\"\(kind)\",\"ph\":\"M\",\"ts\":0,\"pid\":1,\"tid\":\(tid),\"args\":{\"name\":\(jsonQuoted(name))}}"
    }

    /// Takes a batch of the machine's events: instants for failures and violations, then a sample
    /// of the counters when ``stride`` events have passed since the last (or an instant was written).
    /// - Parameters:
    ///   - events: The events just taken from `machine`.
    ///   - machine: The machine after them.
    ///   - count: Events taken so far, these included (the next event's index).
    ///   - time: The trace's time in µs, nil when the source has no clock.
    mutating func absorb(_ events: [HeapEvent], machine: Machine, count: Int, time: Double?) {
        var marked = false
        for event in events {
            guard let (name, args) = Self.instant(for: event.kind) else { continue }
            instant(name, args: args, time: time ?? Double(event.sequence))
            marked = true
        }
        if marked || count - (sampledAt ?? Int.min / 2) >= stride {
            sample(machine, count: count, time: time)
        }
    }

    /// Writes an instant event for a narration line, then samples the machine (a lesson's stop shows
    /// the state it talks about).
    mutating func narrate(_ narration: Narration, machine: Machine, count: Int, time: Double?) {
        guard let text = narration.logText ?? (narration.kind == .pause ? "pause" : nil) else { return }
        var args = [("kind", jsonQuoted(narration.kind.rawValue))]
        if let answer = narration.answer { args.append(("answer", jsonQuoted(answer))) }
        instant(text, args: args, time: time ?? Double(count))
        sample(machine, count: count, time: time)
    }

    /// Writes an instant event for events the trace lost, when `total` (the running count) grew.
    mutating func lost(total: Int, count: Int, time: Double?) {
        guard total > lostSeen else { return }
        instant("lost events", args: [("events", "\(total - lostSeen)")], time: time ?? Double(count))
        lostSeen = total
    }

    /// Samples the machine one last time and closes the document.
    /// - Throws: ``RunFailure`` when any write failed.
    mutating func close(_ machine: Machine, count: Int, time: Double?) throws {
        sample(machine, count: count, time: time)
        writer.write("\n]}\n")
        try writer.close()
    }

    /// The next `ts`: `time`, or the latest written when `time` is earlier.
    private mutating func stamp(_ time: Double) -> String {
        lastTime = max(lastTime, time)
        return Self.format(lastTime)
    }

    /// A `ts` in µs: whole numbers without a fraction, else up to three decimals (nanoseconds).
    static func format(_ t: Double) -> String {
        let ns = (t * 1000).rounded()
        let whole = Int64(ns / 1000)
        let frac = Int64(ns) - whole * 1000
        guard frac != 0 else { return "\(whole)" }
        let digits = String(frac)
        return "\(whole)." + String(repeating: "0", count: 3 - digits.count) + digits
    }

    /// Writes one instant event.
    private mutating func instant(_ name: String, args: [(String, String)], time: Double) {
        let ts = stamp(time)
        let fields = args.map { jsonQuoted($0.0) + ":" + $0.1 }.joined(separator: ",")
        writer.write(",\n{\"name\":\(jsonQuoted(name)),\"cat\":\"memtop\",\"ph\":\"i\",\"s\":\"g\",\"ts\":\(ts),\"pid\":1,\"tid\":0,\"args\":{\(fields)}}")
    }

    /// Writes one counter event when `values` differ from the track's last.
    mutating func counter(_ name: String, keys: [String], values: [Int], ts: String) {
        guard lastValues[name] != values else { return }
        lastValues[name] = values
        var fields = ""
        for (i, key) in keys.enumerated() {
            if i > 0 { fields += "," }
            fields += "\"\(key)\":\(values[i])"
        }
        writer.write(",\n{\"name\":\(jsonQuoted(name)),\"ph\":\"C\",\"ts\":\(ts),\"pid\":1,\"tid\":0,\"args\":{\(fields)}}")
    }

    /// Samples every track of `machine` at `time` (or `count` as µs).
    private mutating func sample(_ machine: Machine, count: Int, time: Double?) {
        sampledAt = count
        let ts = stamp(time ?? Double(count))
        sampleCounters(machine, ts: ts)
    }
}
