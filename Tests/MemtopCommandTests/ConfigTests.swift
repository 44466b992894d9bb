import MemtopCommand
import TerminalUI
import Testing

@Suite("Config file and themes")
struct ConfigTests {
    @Test("key = value lines with comments; unknown keys are errors naming the line")
    func parsing() throws {
        let settings = try Config.parse("# memtop defaults\ncpus = 16\n\nram=512M # a comment\ntheme = projector\n", file: "config")
        #expect(settings.map(\.0) == ["cpus", "ram", "theme"])
        #expect(settings.map(\.1) == ["16", "512M", "projector"])
        #expect(throws: RunFailure.self) { try Config.parse("colour = red\n", file: "config") }
        do { _ = try Config.parse("cpus\n", file: "config") } catch let f as RunFailure { #expect(f.message.hasPrefix("config:1: expected key = value")) }
    }

    @Test("Defaults go before the subcommand's options, so the command line wins")
    func applying() throws {
        let settings = [("cpus", "16")]
        #expect(Config.apply(to: ["run", "idle", "--cpus", "4"], settings: settings) == ["run", "--cpus", "16", "idle", "--cpus", "4"])
        #expect(Config.apply(to: [], settings: settings) == ["run", "--cpus", "16"])
        #expect(Config.apply(to: ["workloads"], settings: settings) == ["workloads"])
        let command = try Memtop.parseAsRoot(Config.apply(to: ["run", "idle", "--cpus", "4"], settings: settings))
        #expect((command as? Memtop.Run)?.machine.cpus == 4)
        let defaulted = try Memtop.parseAsRoot(Config.apply(to: ["run", "idle"], settings: settings))
        #expect((defaulted as? Memtop.Run)?.machine.cpus == 16)
    }

    @Test("The projector theme draws one full block per page group")
    func projector() {
        let snapshot = FrameSnapshot(machine: TestMachinesProxy.machine(), status: StatusInfo(source: "t"))
        let (buffer, layout) = Screen.render(snapshot, state: ViewState(), theme: Theme(mode: .full256, projector: true), width: 120, height: 40)
        #expect(layout?.pixelsPerCell == 1)
        #expect(buffer.text.contains("█") && !buffer.text.contains("▀"))
    }
}

import HeapModel
import MemtopTestSupport

enum TestMachinesProxy {
    static func machine() -> Machine { TestMachines.kernel(ram: 256 << 20) }
}
