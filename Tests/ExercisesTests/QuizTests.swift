import Allocators
import Exercises
import HeapModel
import MemtopTestSupport
import Operations
import Testing
import Traces

@Suite("Quiz")
struct QuizTests {
    static let machine = MachineConfiguration(kernel: .v6_18)

    /// The machine a student replays an exercise's trace on, after the replay.
    static func replayed(_ quiz: Quiz, exercise: Int) throws -> Machine {
        var m = try Kernel.boot(quiz.configuration)
        var replayer = NativeTraceReplayer(file: "quiz", kernel: quiz.configuration.kernel)
        let text = try #require(quiz.trace(exercise: exercise))
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            try replayer.apply(line, number: n + 1, to: &m)
        }
        return m
    }

    @Test("The same seed gives the same quiz, byte for byte, on every kernel", arguments: KernelVersion.allCases)
    func reproducible(kernel: KernelVersion) throws {
        let configuration = MachineConfiguration(kernel: kernel)
        let a = try Quiz(seed: 7, configuration: configuration).text(answers: true)
        let b = try Quiz(seed: 7, configuration: configuration).text(answers: true)
        #expect(a == b)
        #expect(a.contains("Answer:"))
        #expect(!(try Quiz(seed: 7, configuration: configuration).text(answers: false)).contains("Answer:"))
    }

    @Test("Different seeds give different exercises in every topic", arguments: QuizTopic.allCases)
    func seedsDiffer(topic: QuizTopic) throws {
        let texts = try (1...4).map { try Quiz(seed: $0, topics: [topic], configuration: Self.machine).text(answers: true) }
        #expect(Set(texts).count == texts.count)
        let operations = try (1...4).map { try Quiz(seed: $0, topics: [topic], configuration: Self.machine).exercises[0].operations }
        #expect(Set(operations).count > 1)
    }

    @Test("A topic on its own is that topic's exercise of the whole quiz")
    func topicAlone() throws {
        let all = try Quiz(seed: 3, configuration: Self.machine)
        #expect(all.exercises.map(\.topic) == QuizTopic.allCases)
        for (i, topic) in QuizTopic.allCases.enumerated() {
            #expect(try Quiz(seed: 3, topics: [topic], configuration: Self.machine).exercises == [all.exercises[i]])
        }
    }

    @Test("Every topic has operations and answered questions", arguments: QuizTopic.allCases)
    func topicsAsk(topic: QuizTopic) throws {
        let e = try #require(try Quiz(seed: 11, topics: [topic], configuration: Self.machine).exercises.first)
        #expect(e.topic == topic)
        #expect(e.operations.count >= 5)
        #expect(e.questions.count >= 3)
        for q in e.questions {
            #expect(q.text.hasSuffix("?"))
            #expect(!q.answer.isEmpty)
        }
    }

    @Test("An unknown topic is refused, naming the known ones")
    func unknownTopic() throws {
        #expect(throws: QuizError.unknownTopic("heap")) { try Quiz.topic(named: "heap") }
        #expect(QuizError.unknownTopic("heap").description.contains("size-classes, buddy, slabs, fragmentation"))
        #expect(try Quiz.topic(named: "size-classes") == .sizeClasses)
    }

    @Test("The buddy answers are what replaying the printed trace leaves", arguments: [1, 2, 3] as [UInt64])
    func buddyAgreesWithReplay(seed: UInt64) throws {
        let quiz = try Quiz(seed: seed, topics: [.buddy], configuration: Self.machine)
        let m = try Self.replayed(quiz, exercise: 1)
        let questions = quiz.exercises[0].questions
        let line = try #require(m.buddyinfo().split(separator: "\n").first { $0.contains("DMA ") })
        #expect(questions[3].answer == String(line.reversed().drop { $0 == " " }.reversed()))
        // The free blocks the answer lists are free blocks of that order in the replayed machine.
        let listed = questions[2].answer.dropLast().split(separator: ", ")
        #expect(!listed.isEmpty)
        for entry in listed {
            let parts = entry.split(separator: " ")
            let pfn = PageFrameNumber(try #require(Int(parts[0])))
            #expect(m.owner(of: pfn) == .free)
            #expect(m.blockOrder(at: pfn) == Int(parts[2].dropLast()))
        }
    }

    @Test("The slab answers are what replaying the printed trace leaves", arguments: [1, 2, 5] as [UInt64])
    func slabsAgreeWithReplay(seed: UInt64) throws {
        let quiz = try Quiz(seed: seed, topics: [.slabs], configuration: Self.machine)
        let m = try Self.replayed(quiz, exercise: 1)
        let cache = try #require(m.cache(named: "quiz_cache"))
        let end = quiz.exercises[0].questions[3].answer
        #expect(end.hasPrefix("active_objs \(cache.activeObjects), num_objs \(cache.totalObjects), \(cache.slabCount) slabs"))
        #expect(quiz.exercises[0].questions[0].answer.hasPrefix("objsize \(cache.geometry.size), objperslab \(cache.geometry.objectsPerSlab)"))
        #expect(cache.slabCount < cache.totalObjects / cache.geometry.objectsPerSlab + 1 || cache.emptySlabs > 0)
    }

    @Test("The fragmentation answers are the indices of the replayed zone")
    func fragmentationAgreesWithReplay() throws {
        let quiz = try Quiz(seed: 4, topics: [.fragmentation], configuration: Self.machine)
        let m = try Self.replayed(quiz, exercise: 1)
        let last = try #require(quiz.exercises[0].questions.last)
        let order = try #require(Int(last.text.split(separator: " ").last?.dropLast() ?? ""))
        let index = Fragmentation.formatExtfrag(Fragmentation.extfragIndex(nrFree: m[zone: .dma].nrFree, order: Order(order)))
        #expect(last.answer.hasPrefix("extfrag_index \(index)"))
    }

    @Test("Kernels answer the same fragmentation operations differently: 6.1 takes the largest block, 6.12 and 6.18 the smallest",
          arguments: [1, 2, 3] as [UInt64])
    func fallbackDiffersByKernel(seed: UInt64) throws {
        let quizzes = try KernelVersion.allCases.map {
            try Quiz(seed: seed, topics: [.fragmentation], configuration: MachineConfiguration(kernel: $0)).exercises[0]
        }
        #expect(Set(quizzes.map(\.operations)).count == 1)
        let fallbacks = quizzes.map(\.questions[1].answer)
        #expect(fallbacks[0].contains("takes the largest free block"))
        #expect(fallbacks[2].contains("steals the smallest free block"))
        #expect(fallbacks[1].replacing("6.12", with: "6.18") == fallbacks[2])
        #expect(fallbacks[0].replacing("6.1", with: "6.18") != fallbacks[2])
    }

    @Test("Order-0 slab pages are compound in 6.12 and 6.18, not in 6.1")
    func slabFlagsDifferByKernel() throws {
        func flags(_ answer: String) -> Substring {
            answer.split(separator: " ").first { $0.hasPrefix("gfp_flags=") } ?? ""
        }
        var orderZero = 0
        for seed in 1...12 as ClosedRange<UInt64> {
            let answers = try KernelVersion.allCases.map {
                try Quiz(seed: seed, topics: [.slabs], configuration: MachineConfiguration(kernel: $0)).exercises[0].questions[4].answer
            }
            #expect(flags(answers[1]).contains("__GFP_COMP") && flags(answers[2]).contains("__GFP_COMP"))
            guard answers[0].hasPrefix("order=0 ") else { continue }
            orderZero += 1
            #expect(!flags(answers[0]).contains("__GFP_COMP"))
            #expect(answers[0] != answers[2].replacing("6.18", with: "6.1"))
        }
        #expect(orderZero > 0)
    }

    @Test("The size-class answers name the cache kmalloc used and the waste ksize shows")
    func sizeClassesAgreeWithEngine() throws {
        let quiz = try Quiz(seed: 9, topics: [.sizeClasses], configuration: Self.machine)
        let e = quiz.exercises[0]
        var m = try Kernel.boot(Self.machine)
        var runner = OperationRunner()
        for (i, op) in e.operations.enumerated() {
            guard case let .kmalloc(_, size, _, _) = op else { Issue.record("not a kmalloc: \(op)"); continue }
            let p = try #require(try runner.apply(op, to: &m).address)
            let slot = try #require(Kmalloc.ksize(p, in: m))
            #expect(e.questions[i].answer.contains("\(slot - size) bytes wasted"))
            if let cache = m.locateObject(p)?.cache { #expect(e.questions[i].answer.hasPrefix(m.cache(cache).name + ":")) }
            else { #expect(e.questions[i].answer.hasPrefix("no cache")) }
        }
    }
}
