import Foundation
@testable import MemtopCommand
import Testing

/// The look at a replay's raw arguments that starts reading its trace before they are parsed.
@Suite("A replay's reading started before its arguments are parsed", .serialized)
struct SpeculativeReadingTests {
    @Test("The options the look takes values for are exactly replay's options with a value")
    func valuedOptionsMatchTheParser() {
        let help = Memtop.helpMessage(for: Memtop.Replay.self)
        // "  --kernel <version>   Kernel whose ...": an option with a value shows its value's name.
        let valued = help.split(separator: "\n").compactMap { line -> String? in
            let words = line.split(separator: " ")
            guard words.count >= 2, words[0].hasPrefix("--"), words[1].hasPrefix("<") else { return nil }
            return String(words[0])
        }
        #expect(Set(valued) == SpeculativeReading.valuedOptions)
    }

    @Test("Only a headless replay of one bundle with known options is guessed; a guess the parsed command contradicts is dropped")
    func guesses() throws {
        let dir = try EarlyReadingTests.bundle(lines: 3000)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let guess = try #require(SpeculativeReading.start(["replay", dir, "--headless", "--kernel=6.12", "--dump", "slabinfo"]))
        #expect(guess.plan.kernel == .v6_12 && guess.placement && guess.limit == .max && !guess.timestamps)
        #expect(SpeculativeReading.start(["replay", dir]) == nil)                          // the viewer
        #expect(SpeculativeReading.start(["replay", "--headless", "--", dir]) == nil)      // a form it does not read
        #expect(SpeculativeReading.start(["replay", dir, dir, "--headless"]) == nil)
        #expect(SpeculativeReading.start(["replay", dir, "--headless", "--at"]) == nil)
        #expect(SpeculativeReading.start(["run", "idle", "--headless"]) == nil)
        let plan = try #require(ReplaySetup.Plan(bundle: dir, kernel: nil))   // 6.1, from the uname
        #expect(guess.take(file: dir, plan: plan, placement: true, limit: .max, timestamps: false) == nil)
        let same = try #require(SpeculativeReading.start(["replay", "--headless", dir]))
        #expect(same.take(file: dir, plan: plan, placement: true, limit: .max, timestamps: false) != nil)
        same.cancel()
    }
}
