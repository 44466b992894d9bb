import ArgumentParser
import HeapModel
import MemtopCommand
import Testing

@Suite("Command line")
struct CommandLineTests {
    @Test("The foundation's headless run parses with every common option")
    func parsesRun() throws {
        let command = try Memtop.parseAsRoot(["run", "idle", "--headless", "--dump", "buddyinfo,extfrag_index,unusable_index",
                                              "--ram", "1G", "--cpus", "2", "--kernel", "6.18", "--seed", "7"])
        let run = try #require(command as? Memtop.Run)
        #expect(run.workload == "idle")
        #expect(run.output.headless)
        #expect(run.output.dump?.files == [.buddyinfo, .extfragIndex, .unusableIndex])
        #expect(run.machine.machineConfiguration == MachineConfiguration(ramBytes: 1 << 30, cpus: 2, kernel: .v6_18))
        #expect(run.machine.seed == 7)
    }

    @Test("--kernel takes every modelled release", arguments: [("6.1", KernelVersion.v6_1), ("6.12", .v6_12), ("6.18", .v6_18)])
    func kernels(text: String, kernel: KernelVersion) throws {
        for subcommand in [["run", "idle"], ["replay", "trace.txt"], ["record", "idle", "-o", "x.trace"]] {
            let command = try Memtop.parseAsRoot(subcommand + ["--kernel", text])
            let options = (command as? Memtop.Run)?.machine ?? (command as? Memtop.Replay)?.machine ?? (command as? Memtop.Record)?.machine
            #expect(options?.kernel == kernel, "\(subcommand)")
        }
    }

    @Test("No arguments runs the default workload")
    func defaultSubcommand() throws {
        let command = try Memtop.parseAsRoot([])
        #expect((command as? Memtop.Run)?.workload == Memtop.Run.defaultWorkload)
    }

    struct BadLine: Sendable, CustomStringConvertible {
        let arguments: [String]
        let mentions: String
        var description: String { arguments.joined(separator: " ") }
    }

    @Test("Bad option values give one line naming the option and exit 2", arguments: [
        BadLine(arguments: ["run", "idle", "--ram", "12X"], mentions: "--ram"),
        BadLine(arguments: ["run", "idle", "--cpus", "0"], mentions: "--cpus"),
        BadLine(arguments: ["run", "idle", "--cpus", "many"], mentions: "--cpus"),
        BadLine(arguments: ["run", "idle", "--kernel", "5.4"], mentions: "--kernel"),
        BadLine(arguments: ["run", "idle", "--ram", "1T"], mentions: "--ram"),
        BadLine(arguments: ["run", "idle", "--dump", "meminfo"], mentions: "--dump"),
        BadLine(arguments: ["run", "no-such-workload"], mentions: "no-such-workload"),
    ])
    func badValues(_ line: BadLine) {
        do {
            var command = try Memtop.parseAsRoot(line.arguments)
            try command.validate()
            Issue.record("accepted \(line)")
        } catch {
            let message = Memtop.message(for: error)
            #expect(message.contains(line.mentions), "\(message)")
            #expect(Memtop.exitCode(for: error) == .validationFailure)
        }
        #expect(Memtop.main(arguments: line.arguments) == 2)
    }

    @Test("--help works on every subcommand", arguments: [["--help"], ["run", "--help"], ["workloads", "--help"]])
    func help(arguments: [String]) {
        #expect(Memtop.main(arguments: arguments) == 0)
    }
}

@Suite("Version and --at")
struct VersionAndAtTests {
    @Test("--version answers with the version and exits 0")
    func version() {
        #expect(Memtop.main(arguments: ["--version"]) == 0)
        #expect(Memtop.version.hasPrefix("memtop ") && Memtop.version.contains("6.12"))
    }

    @Test("--at takes 0 or more; a negative value is refused by name with exit 2, not as a missing value")
    func negativeAt() throws {
        #expect(Memtop.main(arguments: ["run", "idle", "--headless", "--at", "-5"]) == 2)
        do {
            _ = try Memtop.parseAsRoot(["run", "idle", "--headless", "--at", "-5"])
            Issue.record("--at -5 was accepted")
        } catch {
            #expect(Memtop.message(for: error).contains("--at must be an event number, 0 or more; got -5"), "\(Memtop.message(for: error))")
        }
        #expect(Memtop.main(arguments: ["run", "idle", "--headless", "--at", "0", "--dump", "buddyinfo"]) == 0)
    }
}
