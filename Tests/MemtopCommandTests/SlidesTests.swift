import HeapModel
@testable import MemtopCommand
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `memtop demo LESSON --slides DIR`: one slide a stop, and a deck.
@Suite("Lesson slides")
struct SlidesTests {
    /// The lines of a lesson that stop the viewer: say, ask and pause.
    static func stops(_ lesson: Lessons.Lesson) throws -> Int {
        let f = try #require(fopen(lesson.path, "r"))
        defer { fclose(f) }
        var n = 0
        var buffer = [CChar](repeating: 0, count: 8192)
        while let line = fgets(&buffer, Int32(buffer.count), f) {
            let text = String(decoding: UnsafeRawBufferPointer(start: line, count: strlen(line)), as: UTF8.self)
            if ["say ", "ask ", "pause"].contains(where: { text.hasPrefix($0) }) { n += 1 }
        }
        return n
    }

    @Test("One SVG a stop, at projector size, each with the narration pane; the deck has every question with its answer",
          arguments: ["size-classes", "buddy", "kvmalloc"])
    func slides(name: String) throws {
        let lesson = try #require(Lessons.named(name))
        let dir = "/tmp/memtop-slides-\(getpid())-\(name)"
        let n = try Slides.write(lesson, configuration: MachineConfiguration(), to: dir)
        #expect(n == (try Self.stops(lesson)), "one slide per say, ask and pause")
        for k in 1...n {
            let path = dir + "/" + (k < 10 ? "0" : "") + "\(k).svg"
            let f = try #require(fopen(path, "r"), "\(path) missing")
            var head = [CChar](repeating: 0, count: 256)
            _ = fgets(&head, 256, f)
            fclose(f)
            let first = String(decoding: head.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            #expect(first.contains("width=\"1440\" height=\"900\""), "\(path): \(first)")
        }
        let played = try Slides.play(lesson, configuration: MachineConfiguration())
        #expect(played.allSatisfy { $0.card != nil }, "every slide is a narration stop")
        let deck = Slides.deck(played, title: lesson.title)
        for card in played.compactMap(\.card) where card.kind == .ask {
            #expect(deck.contains(Slides.html("Q: " + card.text)))
            #expect(deck.contains("<details><summary>Answer</summary><p>" + Slides.html(card.answer ?? "")))
        }
        #expect(deck.components(separatedBy: "<img src=").count - 1 == n)
    }

    @Test("--slides through the command line, and a folder that cannot be made is an error")
    func command() {
        let dir = "/tmp/memtop-slides-cmd-\(getpid())"
        #expect(Memtop.main(arguments: ["demo", "buddy", "--slides", dir]) == 0)
        #expect(access(dir + "/index.html", R_OK) == 0 && access(dir + "/01.svg", R_OK) == 0)
        #expect(Memtop.main(arguments: ["demo", "buddy", "--slides", "/proc/no/such/dir"]) == 1)
    }
}
