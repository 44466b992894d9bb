import HeapModel
@testable import MemtopCommand
import TerminalUI
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The narration pane of a lesson in the viewer, read off the rendered screen as a class would.
@Suite("Narration pane")
struct NarrationPaneTests {
    /// A viewer session on lesson `name`.
    static func session(_ name: String) throws -> ViewerSession {
        let lesson = try #require(Lessons.named(name))
        return try ViewerSession(ViewerRequest(source: .trace(lesson.path), configuration: MachineConfiguration(), seed: 1),
                                 theme: Theme(mode: .monochrome))
    }

    /// The pane's text lines (inside its border) on a `width` x `height` screen, joined by spaces.
    static func paneText(_ s: inout ViewerSession, width: Int = 80, height: Int = 24) -> String {
        let screen = s.render(width: width, height: height).textLines
        guard let top = screen.lastIndex(where: { $0.hasPrefix("┌ Lesson") || $0.hasPrefix("┌ Question") }) else { return "" }
        return screen[(top + 1)...].filter { $0.hasPrefix("│") }
            .map { $0.dropFirst().dropLast().trimmingCharacters() }.joined(separator: " ")
    }

    /// Plays until the session stops by itself (at a pause, a question or a `say`).
    static func playToStop(_ s: inout ViewerSession) {
        s.state.playing = true
        s.advance(10_000)
    }

    @Test("A say line stops playing, and its whole sentence is on an 80x24 screen, wrapped at words")
    func sayWrapsAndPauses() throws {
        var s = try Self.session("size-classes")
        Self.playToStop(&s)
        #expect(!s.state.playing)
        let first = "kmalloc serves small requests from caches of fixed-size slots: 8, 16, 32, 64, 96, 128, 192, 256 bytes, then powers of two up to 8K."
        #expect(Self.paneText(&s) == first)
        // Wrapped, not cut: no line of the pane ends inside a word of the sentence.
        let lines = s.render(width: 80, height: 24).textLines.filter { $0.hasPrefix("│ ") && first.contains($0.dropFirst(2).dropLast().trimmingCharacters()) }
        #expect(lines.count >= 2)
    }

    @Test("The narration stays until the next key: events played after it do not scroll it away")
    func staysUntilKey() throws {
        var s = try Self.session("size-classes")
        Self.playToStop(&s)
        let before = Self.paneText(&s)
        // The class reads; nothing happens until a key. Then a key goes on to the next line.
        #expect(Self.paneText(&s) == before)
        _ = s.handle(.char(" "))
        Self.playToStop(&s)
        #expect(Self.paneText(&s).hasPrefix("Q: A driver asks for 72 bytes."))
        #expect(Self.paneText(&s).contains("(the answer comes at the next key)"))
        _ = s.handle(.char(" "))
        let answered = Self.paneText(&s)
        #expect(answered.contains("A: kmalloc-96: 72 rounds up"))
        // One more operation (the kmalloc asked about) goes to the log; the pane keeps the question.
        let logBefore = s.log.count
        s.advance(1)
        #expect(s.log.count > logBefore)
        #expect(Self.paneText(&s) == answered)
    }

    @Test("pause show=slabinfo shows the file in the pane as it reads at that moment")
    func pauseShowsFile() throws {
        var s = try Self.session("size-classes")
        var seen = ""
        for _ in 0..<8 where !seen.contains("/proc/slabinfo") {
            Self.playToStop(&s)
            seen = Self.paneText(&s, width: 120, height: 40)
            _ = s.handle(.char(" "))
        }
        #expect(seen.contains("/proc/slabinfo"))
        let row = try #require(seen.firstRange(of: "kmalloc-96"))
        #expect(seen[row.lowerBound...].hasPrefix("kmalloc-96"))
        // The row is slabinfo's, with SLUB's zero tunables dropped so that it fits.
        let file = try #require(s.snapshot().narration.last?.files.first)
        let slab = try #require(s.machine.slabCaches.first { $0.name == "kmalloc-96" })
        #expect(file.text.contains("kmalloc-96"))
        #expect(file.text.contains(" \(slab.activeObjects) ") && !file.text.contains("tunables"))
    }

    @Test("{ scrolls back to earlier narration and } returns; a new line brings the pane back to the newest")
    func scrollBack() throws {
        var s = try Self.session("size-classes")
        Self.playToStop(&s)
        _ = s.handle(.char(" "))
        Self.playToStop(&s)
        let question = Self.paneText(&s)
        _ = s.handle(.char(" "))   // reveals the answer (and is used up by it)
        _ = s.handle(.char("{"))
        #expect(Self.paneText(&s).hasPrefix("kmalloc serves small requests"))
        _ = s.handle(.char("}"))
        #expect(Self.paneText(&s).hasPrefix(String(question.prefix(20))))
        _ = s.handle(.escape)
        #expect(Self.paneText(&s).isEmpty, "Esc hides the pane")
        _ = s.handle(.char(" "))
        Self.playToStop(&s)
        #expect(!Self.paneText(&s).isEmpty, "the next narration line shows it again")
    }

    @Test("Going back in time drops the narration after that point; the questions passed keep their answers")
    func timeTravel() throws {
        var s = try Self.session("size-classes")
        _ = s.handle(.end)
        let all = s.snapshot().narration
        #expect(all.count >= 8)
        // Every question passed has its answer; one at the very end is where the seek stopped,
        // and waits for its key.
        #expect(all.dropLast().filter { $0.kind == .ask }.allSatisfy { $0.answerShown })
        _ = s.handle(.home)
        #expect(s.snapshot().narration.isEmpty)
        // The last narration line of lesson 1 (ksize) can be read at 80x24 once played to.
        _ = s.handle(.end)
        var texts: [String] = []
        for back in 0..<all.count {
            s.state.narrationBack = back
            texts.append(Self.paneText(&s))
        }
        #expect(texts.contains { $0.contains("ksize() reports the whole slot") })
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces.
    func trimmingCharacters() -> String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}

/// A teacher's own lesson: a file, a folder of them, and what the headless run prints.
@Suite("Teachers' own lessons")
struct OwnLessonTests {
    /// A lesson file in a fresh folder.
    static func write(_ text: String, name: String = "7-mine.trace") throws -> (dir: String, path: String) {
        let dir = "/tmp/memtop-lessons-\(getpid())-\(Int.random(in: 0..<1_000_000_000))"
        try #require(mkdir(dir, 0o700) == 0)
        let path = dir + "/" + name
        let f = try #require(fopen(path, "w"))
        fputs(text, f)
        fclose(f)
        return (dir, path)
    }

    static let lesson = """
        # memtop trace v1
        # title: Where 40 bytes go
        kmalloc id=a size=40 site=my_probe+0x10/0x40
        ask "Which cache serves 40 bytes?" answer="kmalloc-64" show=slabinfo
        kfree id=a site=my_remove+0x8/0x20

        """

    @Test("demo FILE plays a lesson file: the handout has its title, question, answer and the show= file")
    func demoFile() throws {
        let (_, path) = try Self.write(Self.lesson)
        let l = try #require(Lessons.named(path))
        #expect(l.title == "Where 40 bytes go")
        let text = try Memtop.Demo.handout(l, machine: MachineConfiguration())
        #expect(text.hasPrefix("# Where 40 bytes go"))
        #expect(text.contains("Q: Which cache serves 40 bytes?\nA: kmalloc-64"))
        #expect(text.contains("/proc/slabinfo:\n") && text.contains("\nkmalloc-64 "))
        #expect(Memtop.main(arguments: ["demo", path, "--headless"]) == 0)
        #expect(Memtop.main(arguments: ["demo", path + ".missing", "--headless"]) == 2)
    }

    @Test("--dump at a lesson's end prints the files as the lesson leaves them; --at stops earlier")
    func dumpAtEnd() throws {
        let (dir, path) = try Self.write(Self.lesson)
        let out = dir + "/out.txt"
        #expect(Memtop.main(arguments: ["demo", path, "--headless", "--dump", "slabinfo", "--events-out", out]) == 0)
        let events = try #require(fopen(out, "r"))
        var lines = 0
        var buffer = [CChar](repeating: 0, count: 4096)
        while fgets(&buffer, 4096, events) != nil { lines += 1 }
        fclose(events)
        #expect(lines >= 2, "the kmalloc and the kfree are in --events-out")
        var sink = try EventSink()
        let l = try #require(Lessons.named(path))
        let end = try Memtop.Demo.play(l, machine: MachineConfiguration(), sink: &sink).machine
        let atKmalloc = try Memtop.Demo.play(l, machine: MachineConfiguration(), until: 3, sink: &sink).machine
        let inUse = { (m: Machine) in m.slabCaches.first { $0.name == "kmalloc-64" }?.objectsInUse ?? -1 }
        #expect(inUse(atKmalloc) == 1 && inUse(end) == 0)
    }

    @Test("A lessons folder (--lessons, or lessons = DIR in the config) adds the teacher's lessons to the list")
    func lessonsFolder() throws {
        let (dir, _) = try Self.write(Self.lesson)
        let names = Lessons.all(folder: dir).map(\.name)
        #expect(names.contains("mine") && names.contains("size-classes"))
        #expect(Lessons.named("mine", folder: dir)?.title == "Where 40 bytes go")
        #expect(Lessons.named("mine") == nil)
        let settings = try Config.parse("lessons = \(dir)\n", file: "config")
        let args = Config.apply(to: ["demo", "mine", "--headless"], settings: settings)
        let parsed = try #require(try Memtop.parseAsRoot(args) as? Memtop.Demo)
        #expect(parsed.chosen?.path == dir + "/7-mine.trace")
        #expect(throws: RunFailure.self) { try Config.parse("lessons = /nonexistent/dir\n", file: "config") }
        #expect(Config.apply(to: ["run", "idle"], settings: settings) == ["run", "idle"], "only demo takes lessons")
    }

    @Test("The complete lesson in docs/trace-format.md plays, and what it says is what memtop shows")
    func documentedExample() throws {
        let docs = try #require(Lessons.directory("lessons")).split(separator: "/").dropLast(2).joined(separator: "/")
        let f = try #require(fopen("/" + docs + "/docs/trace-format.md", "r"))
        var text = ""
        var buffer = [UInt8](repeating: 0, count: 65536)
        while case let n = fread(&buffer, 1, buffer.count, f), n > 0 { text += String(decoding: buffer[..<n], as: UTF8.self) }
        fclose(f)
        let section = try #require(text.firstRange(of: "## Write your own lesson"))
        let body = text[section.upperBound...].split(separator: "```", maxSplits: 2)[1]
        let (_, path) = try Self.write(String(body.drop { $0 == "\n" }), name: "doc.trace")
        let handout = try Memtop.Demo.handout(try #require(Lessons.named(path)), machine: MachineConfiguration())
        #expect(handout.hasPrefix("# Where do 40 bytes go?"))
        #expect(handout.contains("A: One: a 4K slab holds 64 objects of 64 bytes."))
        let rows = handout.split(separator: "\n").filter { $0.hasPrefix("kmalloc-64 ") }
        #expect(rows.count == 3)
        // 64 objects of 64, one slab of one page, as the answers say.
        #expect(rows[1].split(separator: " ").prefix(6).map(String.init) == ["kmalloc-64", "64", "64", "64", "64", "1"])
        #expect(rows[1].split(separator: " ").dropLast().last == "1")
    }
}

@Suite("Export names")
struct ExportNameTests {
    @Test("An export keeps the whole trace name, so two traces of one stem never collide")
    func wholeName() {
        #expect(ViewerSession.exportBase(source: "capture.trace.xz", step: 12) == "memtop-capture.trace.xz-12")
        #expect(ViewerSession.exportBase(source: "capture.dat", step: 12) != ViewerSession.exportBase(source: "capture.trace", step: 12))
        #expect(ViewerSession.exportBase(source: "", step: 0) == "memtop-screen-0")
    }
}
