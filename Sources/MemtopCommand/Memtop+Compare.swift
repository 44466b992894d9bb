import Allocators
import ArgumentParser
import BuiltInWorkloads
import HeapModel
import Traces

extension Memtop {
    /// `memtop compare A B`: the same question asked of two runs, and how their answers differ.
    public struct Compare: ParsableCommand {
        /// Command description.
        public static let configuration = CommandConfiguration(
            commandName: "compare",
            abstract: "Play two workloads or traces (or one with two sets of options) and print how their /proc files differ.",
            discussion: """
                Each side is a workload name or a trace file, optionally followed by options in the same quotes: \
                memtop compare "slab-churn --cpus 2" "slab-churn --cpus 64", \
                memtop compare "tour --kernel 6.1" "tour --kernel 6.18". Options after the two sides apply to both.
                """
        )

        /// The first side.
        @Argument(help: "The first side: a workload or trace, with its own options in the same quotes.")
        public var first: String

        /// The second side.
        @Argument(help: "The second side.")
        public var second: String

        /// Options both sides share.
        @OptionGroup public var machine: MachineOptions

        /// Print instead of drawing.
        @Flag(help: "Print the diff of the /proc files instead of opening the side-by-side viewer.")
        public var headless = false

        /// Print every line of the files, not only the differing ones with their context.
        @Flag(help: "With --headless, print every line of the files, not only the lines that differ with two lines of context.")
        public var all = false

        /// Stop both at event N.
        @Option(help: ArgumentHelp("Compare the state as of event N instead of the end.", valueName: "N"))
        public var at: Int?

        /// Creates the command (needed by the parser).
        public init() {}

        /// Refuses `--all` without `--headless` (the viewer draws both sides whole anyway).
        public func validate() throws {
            if all && !headless { throw ValidationError("--all applies to the --headless diff; add --headless") }
        }

        /// Plays both sides and prints the differences.
        public func run() throws {
            let a = try Compare.play(first, common: machine, at: at)
            let b = try Compare.play(second, common: machine, at: at)
            print(Compare.diff(a, b, first: first, second: second, context: all ? nil : 2), terminator: "")
        }

        /// The viewer request of one side.
        func request(_ spec: String) throws -> ViewerRequest {
            let words = spec.split(separator: " ").map(String.init)
            guard let source = words.first else { throw RunFailure("compare: an empty side") }
            var options = machine
            if words.count > 1 {
                do { options = try MachineOptions.parse(Compare.commonArguments(machine) + Array(words.dropFirst())) } catch {
                    throw RunFailure("compare: \"\(spec)\": \(MachineOptions.message(for: error))", exitCode: 2)
                }
            }
            if let workload = Workload.named(source) {
                return ViewerRequest(source: .workload(workload), configuration: options.machineConfiguration, seed: options.seed)
            }
            guard (try? LineSource(path: source)) != nil else {
                throw RunFailure("compare: \"\(source)\" is neither a workload nor a readable trace")
            }
            return ViewerRequest(source: .trace(source), configuration: options.machineConfiguration, seed: options.seed)
        }

        /// One side's final machine.
        public static func play(_ spec: String, common: MachineOptions, at: Int?) throws -> Machine {
            let words = spec.split(separator: " ").map(String.init)
            guard let source = words.first else { throw RunFailure("compare: an empty side") }
            var options = common
            if words.count > 1 {
                do { options = try MachineOptions.parse(commonArguments(common) + Array(words.dropFirst())) } catch {
                    throw RunFailure("compare: \"\(spec)\": \(MachineOptions.message(for: error))", exitCode: 2)
                }
            }
            var m = try RunFailure.boot(options.machineConfiguration)
            let limit = at ?? Int.max
            if let workload = Workload.named(source) {
                var run = workload.start(options.seed, options.machineConfiguration)
                Workload.runToEnd(&run, on: &m, maxSteps: limit)
                return m
            }
            do {
                let trace = try TraceRun(path: source)
                var steps = 0
                while steps < limit && trace.step(&m) { steps += 1 }
                if let error = trace.error { throw RunFailure(error.description) }
            } catch let error as TraceInputError {
                throw RunFailure("compare: \"\(source)\" is neither a workload nor a readable trace: \(error)")
            }
            return m
        }

        static func commonArguments(_ o: MachineOptions) -> [String] {
            ["--cpus", "\(o.cpus)", "--ram", "\(o.ram.bytes)", "--kernel", o.kernel.rawValue, "--seed", "\(o.seed)"]
        }
    }
}
