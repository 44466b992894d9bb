import ArgumentParser
import HeapModel
import MemtopCommand
import Testing

@Suite("Quiz command")
struct QuizCommandTests {
    @Test("memtop quiz parses a topic, the machine options, --answers and --trace")
    func parses() throws {
        let quiz = try #require(try Memtop.parseAsRoot(["quiz", "buddy", "--seed", "4", "--kernel", "6.1", "--answers", "--trace", "1"])
            as? Memtop.Quiz)
        #expect(quiz.topic == "buddy")
        #expect(quiz.machine.seed == 4)
        #expect(quiz.machine.kernel == .v6_1)
        #expect(quiz.answers)
        #expect(quiz.trace == 1)
    }

    @Test("An unknown topic or exercise number is one line naming the known ones, exit 2", arguments: [
        (["quiz", "heap"], "size-classes, buddy, slabs, fragmentation"),
        (["quiz", "--trace", "5"], "--trace must be between 1 and 4"),
        (["quiz", "slabs", "--trace", "2"], "--trace must be between 1 and 1"),
    ])
    func refused(arguments: [String], mentions: String) {
        do {
            var command = try Memtop.parseAsRoot(arguments)
            try command.validate()
            Issue.record("accepted \(arguments)")
        } catch {
            #expect(Memtop.message(for: error).contains(mentions))
            #expect(Memtop.exitCode(for: error) == .validationFailure)
        }
        #expect(Memtop.main(arguments: arguments) == 2)
    }

    @Test("--help lists every topic")
    func helpListsTopics() {
        let help = Memtop.helpMessage(for: Memtop.Quiz.self)
        for topic in ["size-classes", "buddy", "slabs", "fragmentation"] { #expect(help.contains(topic)) }
    }

    @Test("The config file's defaults reach quiz, not run")
    func configDefaults() {
        let args = Config.apply(to: ["quiz", "buddy"], settings: [("kernel", "6.1"), ("theme", "projector")])
        #expect(args == ["quiz", "--kernel", "6.1", "buddy"])
    }
}
