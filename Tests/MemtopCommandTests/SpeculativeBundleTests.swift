import Foundation
@testable import MemtopCommand
import Testing

/// The look at a replay's raw arguments that starts reading its bundle before they are parsed.
@Suite("A replay's bundle read before its arguments are parsed")
struct SpeculativeBundleTests {
    @Test("The options the look takes values for are exactly replay's options with a value")
    func valuedOptionsMatchTheParser() {
        let help = Memtop.helpMessage(for: Memtop.Replay.self)
        // "  --kernel <version>   Kernel whose ...": an option with a value shows its value's name.
        let valued = help.split(separator: "\n").compactMap { line -> String? in
            let words = line.split(separator: " ")
            guard words.count >= 2, words[0].hasPrefix("--"), words[1].hasPrefix("<") else { return nil }
            return String(words[0])
        }
        #expect(Set(valued) == SpeculativeBundle.valuedOptions)
    }

    @Test("Only a headless replay of one bundle with known options is guessed; another file gets nothing")
    func guesses() throws {
        let dir = try EarlyReadingTests.bundle(lines: 3000)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let guess = try #require(SpeculativeBundle.start(["replay", dir, "--headless", "--kernel=6.12", "--dump", "slabinfo"]))
        #expect(guess.path == dir)
        #expect(SpeculativeBundle.start(["replay", dir]) == nil)                          // the viewer
        #expect(SpeculativeBundle.start(["replay", "--headless", "--", dir]) == nil)      // a form it does not read
        #expect(SpeculativeBundle.start(["replay", dir, dir, "--headless"]) == nil)
        #expect(SpeculativeBundle.start(["replay", dir, "--headless", "--at"]) == nil)
        #expect(SpeculativeBundle.start(["replay", dir + "/trace.txt", "--headless"]) == nil)   // a bare trace
        #expect(SpeculativeBundle.start(["run", "idle", "--headless"]) == nil)
        #expect(guess.take(for: dir + "/") == nil)
        let bundle = try #require(guess.take(for: dir)).value().get()
        #expect(bundle.path == dir && bundle.trace != nil)
    }
}
