#if canImport(Glibc)
import Glibc
#endif
import Captures
import HeapModel
import Reconstruction
import Traces

/// What a replay starts from: a plain trace on a freshly booted machine, or a capture bundle's
/// trace on the machine rebuilt from its `start/` state (and compared with its `end/` state).
struct ReplaySetup {
    /// The trace file to read.
    let trace: String
    /// The machine replayed on.
    var machine: Machine
    /// The replayer.
    var replayer: FtraceReplayer
    /// The bundle, when replaying one.
    let bundle: CaptureBundle?
    /// Where the kernel profile came from.
    let kernelSource: String
    /// What the start state could not rebuild exactly.
    let notes: [String]

    /// What a replay of `file` reads before its machine is built: the trace file and the kernel
    /// profile its lines are read with (a bundle's uname or `--kernel`; for a bare trace, what
    /// ``configuration(forTrace:options:)`` decides).
    struct Plan {
        let trace: String
        let kernel: KernelVersion
        /// For a bare trace: its machine and where its profile came from (decided once).
        fileprivate let bare: (MachineConfiguration, String)?

        /// The plan for `file`, read cheaply (no start state is parsed); nil for a trace that is
        /// not a regular file, and for a bundle whose trace or uname cannot be read (building its
        /// machine then says what is wrong, as it always has, in the order it checks).
        init?(file: String, options: MachineOptions) {
            guard CaptureBundle.isBundle(path: file) else {
                // Standard input or a pipe is read only once the machine is built: reading it
                // first could wait on a writer while a setup error goes unsaid.
                guard ReplaySetup.isRegularFile(file) else { return nil }
                let bare = ReplaySetup.configuration(forTrace: file, options: options)
                (trace, kernel, self.bare) = (file, bare.0.kernel, bare)
                return
            }
            guard let plan = Plan(bundle: file, kernel: options.kernelOption) else { return nil }
            self = plan
        }

        /// The plan for the capture bundle `file`, with `--kernel`'s profile if given (nil as above).
        init?(bundle file: String, kernel override: KernelVersion?) {
            let release: KernelRelease?
            do { release = try CaptureBundle.release(at: file) } catch { return nil }
            guard let traceFile = try? CaptureBundle.traceFile(in: file) else { return nil }
            trace = traceFile.path
            kernel = CapturedMachine.profile(release, override: override).0
            bare = nil
        }
    }

    /// Whether `path` names a regular file (following links): not `-`, a pipe or a device.
    static func isRegularFile(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFREG
    }

    /// Sets up a replay of `file` (a trace or a bundle folder).
    /// - Throws: ``RunFailure`` for an unreadable bundle or a machine that cannot be built.
    init(file: String, options: MachineOptions, check: Bool, placement: Bool) throws {
        try self.init(file: file, plan: Plan(file: file, options: options), options: options, check: check, placement: placement)
    }

    /// Sets up a replay of `file` as `plan` says.
    /// - Precondition: `plan` is `Plan(file: file, options: options)`'s.
    /// - Throws: ``RunFailure`` for an unreadable bundle or a machine that cannot be built.
    /// `stateRead` is called once the bundle's /proc state is read (at once for a bare trace): a
    /// replay starts reading its trace then, when the second core is no longer parsing that state.
    /// `prepared` is the bundle `file` already being read (``SpeculativeBundle``).
    init(file: String, plan: Plan?, options: MachineOptions, check: Bool, placement: Bool,
         prepared: BackgroundResult<CaptureBundle>? = nil, stateRead: () -> Void = {}) throws {
        if let (configuration, source) = plan?.bare ?? (CaptureBundle.isBundle(path: file) ? nil : ReplaySetup.configuration(forTrace: file, options: options)) {
            stateRead()
            machine = try RunFailure.boot(configuration)
            trace = file
            bundle = nil
            kernelSource = source
            notes = []
            replayer = FtraceReplayer(file: file, kernel: machine.configuration.kernel, check: check, placement: placement)
            return
        }
        let bundle: CaptureBundle
        do throws(CaptureError) {
            if let prepared { bundle = try prepared.value().get() } else { bundle = try CaptureBundle(path: file) }
        } catch {
            stateRead()
            throw RunFailure(error.description)
        }
        stateRead()
        guard let traceFile = bundle.trace else { throw RunFailure("\(file): expected a trace.* file in the bundle, found none") }
        let captured: CapturedMachine
        do { captured = try CapturedMachine(bundle, kernel: options.kernelOption) } catch { throw RunFailure(error.description, exitCode: 2) }
        self.bundle = bundle
        trace = traceFile.path
        machine = captured.machine
        kernelSource = captured.kernelSource
        notes = captured.notes
        if let plan { precondition(traceFile.path == plan.trace && captured.kernel == plan.kernel, "a replay plan for another bundle") }
        replayer = FtraceReplayer(file: traceFile.path, kernel: captured.kernel, check: check, placement: placement)
        replayer.hasReconstructedState = true
        for area in captured.vmallocAreas { replayer.adoptVmallocArea(real: area.real, ours: area.ours) }
    }

    /// The machine a bare trace replays on, and where its kernel profile came from: `--kernel`,
    /// else what the trace reveals (``KernelGuess``), else the default.
    static func configuration(forTrace file: String, options: MachineOptions) -> (MachineConfiguration, String) {
        var configuration = options.machineConfiguration
        if options.kernelOption != nil { return (configuration, "--kernel") }
        guard let guess = KernelGuess.guess(path: file) else {
            return (configuration, "default, the trace does not say; pass --kernel to follow another kernel")
        }
        configuration.kernel = guess.kernel
        return (configuration, "from the trace: \(guess.reason); pass --kernel to follow another kernel")
    }

    /// The machine rebuilt from a bundle's start state, its trace file and its rebuilt vmalloc areas.
    /// - Throws: ``RunFailure`` for an unreadable bundle.
    static func rebuild(bundle path: String, kernel: KernelVersion?) throws -> (machine: Machine, trace: String,
                                                                               vmallocAreas: [(real: UInt64, ours: VirtualAddress)]) {
        let bundle: CaptureBundle
        do { bundle = try CaptureBundle(path: path) } catch { throw RunFailure(error.description) }
        guard let traceFile = bundle.trace else { throw RunFailure("\(path): expected a trace.* file in the bundle, found none") }
        let captured: CapturedMachine
        do { captured = try CapturedMachine(bundle, kernel: kernel) } catch { throw RunFailure(error.description, exitCode: 2) }
        return (captured.machine, traceFile.path, captured.vmallocAreas)
    }

    /// The end state against the bundle's `end/`, when replaying a bundle that has one.
    /// - Throws: ``RunFailure`` when memtop's own /proc text cannot be read back (a bug).
    func endStateComparison() throws -> StateComparison? {
        try beginEndStateComparison()()
    }

    /// Starts reading memtop's end state back as /proc text, on other threads and from a copy of
    /// the machine that nothing writes, so that the summary's tables are printed meanwhile;
    /// returns what waits for it and compares it with the bundle's `end/` (nil without one).
    /// Printing and parsing slabinfo and vmallocinfo is most of the work after a small replay.
    func beginEndStateComparison() -> () throws -> StateComparison? {
        guard let end = bundle?.end else { return { nil } }
        let snapshot = machine
        let tables = BackgroundResult { () throws(CaptureError) in
            try ProcState.parse(buddyinfo: snapshot.buddyinfo(), slabinfo: snapshot.slabinfo(), pagetypeinfo: snapshot.pagetypeinfo(),
                                origin: "memtop")
        }
        let vmallocinfo = BackgroundResult { () throws(CaptureError) in
            try ProcParser.vmallocinfo(snapshot.vmallocinfo(), file: "memtop vmallocinfo")
        }
        let pcp = machine.populatedZones.flatMap { zone in
            (0..<machine.configuration.cpus).map { cpu in
                PCPList(node: 0, zone: zone.kind.description, cpu: cpu, count: machine.perCPUPageCount(zone: zone.kind, cpu: cpu),
                        high: 0, batch: 0, vmStatsThreshold: nil)
            }
        }
        return {
            var ours: ProcState
            do {
                ours = try tables.value().get()
                ours.vmallocinfo = try vmallocinfo.value().get()
            } catch {
                throw RunFailure("memtop's own /proc text did not parse: \(error)")
            }
            ours.pcp = pcp
            return StateComparison(real: end, memtop: ours)
        }
    }
}

extension Memtop.Replay {
    /// What a headless replay of `path` (a trace or a capture bundle) ends with: the machine, the
    /// replay's summary and, for a bundle with an `end/` state, the end-state comparison.
    /// - Throws: ``RunFailure`` for an unreadable input.
    public static func endState(of path: String, kernel: KernelVersion? = nil, placement: Bool = true) throws
        -> (machine: Machine, summary: ReplaySummary, comparison: StateComparison?) {
        var options = try MachineOptions.parse([])
        options.kernelOption = kernel
        var setup = try ReplaySetup(file: path, options: options, check: false, placement: placement)
        do {
            let source = try LineSource(path: setup.trace)
            try setup.replayer.replayAll(from: source, strict: false, on: &setup.machine, every: 4096) { _, machine, _ in
                _ = machine.takeEvents()
            }
        } catch {
            throw RunFailure(error.description)
        }
        return (setup.machine, setup.replayer.summary, try setup.endStateComparison())
    }
}
