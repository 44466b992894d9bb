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

    @Test("A replay read while its arguments were parsed prints what one read after them prints")
    func sameOutput() async throws {
        let dir = try EarlyReadingTests.bundle(lines: 20000)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        setenv("MEMTOP_TEST_BUNDLE", dir, 1)
        var outputs: [String] = []
        for guessed in [true, false] {
            setenv("MEMTOP_TEST_GUESSED", guessed ? "1" : "0", 1)
            let result = await #expect(processExitsWith: .success, observing: [\.standardOutputContent]) {
                let dir = String(cString: getenv("MEMTOP_TEST_BUNDLE"))
                // "--" ends the options for the parser, and the look does not read that form.
                let arguments = String(cString: getenv("MEMTOP_TEST_GUESSED")) == "1"
                    ? ["replay", dir, "--headless", "--dump", "buddyinfo,slabinfo"]
                    : ["replay", "--headless", "--dump", "buddyinfo,slabinfo", "--", dir]
                guard case .exit(let code) = Memtop.start(arguments: arguments) else { exit(97) }
                exit(code)
            }
            outputs.append(String(decoding: try #require(result).standardOutputContent, as: UTF8.self))
        }
        #expect(outputs[0].contains("20000 lines") && outputs[0].contains("slabinfo - version: 2.1"))
        #expect(outputs[0] == outputs[1])
    }
}
