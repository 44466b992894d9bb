import Foundation
import Testing

/// The house style's size limits over the source tree (issue 11): no file under `Sources/` over 400
/// lines, no function, initialiser or closure-bodied member over 60.
@Suite("Source size limits")
struct SourceSizeTests {
    /// Lines a file may have.
    static let fileLimit = 400
    /// Lines a function-like body may have.
    static let bodyLimit = 60

    /// Every `.swift` file under the repository's `Sources/`, by path relative to the repository.
    static func sourceFiles() throws -> [(path: String, text: String)] {
        let root = CaptureMachine.repository() + "/Sources"
        let paths = try #require(FileManager.default.subpathsOfDirectory(atPath: root) as [String]?)
        return try paths.filter { $0.hasSuffix(".swift") }.sorted().map { path in
            ("Sources/" + path, try String(contentsOfFile: root + "/" + path, encoding: .utf8))
        }
    }

    /// What breaks the limits in one text: `PATH: N lines` and `PATH: NAME (line L, N lines)`.
    static func violations(path: String, text: String) -> [String] {
        let size = SourceSize(scanning: text)
        var out = size.lines > fileLimit ? ["\(path): \(size.lines) lines"] : []
        out += size.bodies.filter { $0.lines > bodyLimit }.map { "\(path): \($0)" }
        return out
    }

    @Test("No file under Sources/ is over 400 lines and no function-like body over 60")
    func sourceTree() throws {
        let files = try Self.sourceFiles()
        #expect(files.count > 100, "found only \(files.count) source files")
        var bodies = 0, longest = 0, broken: [String] = []
        for (path, text) in files {
            let size = SourceSize(scanning: text)
            bodies += size.bodies.count
            longest = max(longest, size.bodies.map(\.lines).max() ?? 0)
            broken += Self.violations(path: path, text: text)
        }
        #expect(broken.isEmpty, "\(broken.joined(separator: "\n"))")
        // The scan sees the tree's bodies (so it cannot pass by finding none), and long ones among them.
        #expect(bodies > 1000 && longest > 40, "\(bodies) bodies, the longest \(longest) lines")
    }

    /// A function of `lines` lines (declaration and closing brace included), indented as a member.
    static func function(_ name: String, lines: Int, filler: String = "        x += 1") -> String {
        (["    func \(name)() {"] + Array(repeating: filler, count: lines - 2) + ["    }"]).joined(separator: "\n") + "\n"
    }

    @Test("A 61-line function and a 401-line file fail; 60 and 400 pass")
    func limits() {
        let long = "struct S {\n" + Self.function("long", lines: 61) + Self.function("fine", lines: 60) + "}\n"
        #expect(Self.violations(path: "S.swift", text: long) == ["S.swift: long (line 2, 61 lines)"])
        let file400 = String(repeating: "let x = 1\n", count: 400)
        #expect(Self.violations(path: "F.swift", text: file400).isEmpty)
        #expect(Self.violations(path: "F.swift", text: file400 + "let y = 2") == ["F.swift: 401 lines"])
    }

    @Test("Braces in comments and string literals of every kind do not count")
    func literals() {
        let fillers = [
            #"        let s = "}}}} { \" }""#,
            ##"        let r = #"}"} \(x) \#(y) }"#"##,
            #"        print("\(a.map { "}" + $0 })}")"#,
            "        // } } }",
            "        /* } /* nested } */ still a comment } */",
            "        let m = \"\"\"\n        }}} \" \"\" {\n        \"\"\"",
        ]
        for filler in fillers {
            let text = "struct S {\n" + Self.function("f", lines: 12, filler: filler) + Self.function("g", lines: 5) + "}\n"
            let size = SourceSize(scanning: text)
            let fLines = 2 + 10 * filler.split(separator: "\n", omittingEmptySubsequences: false).count
            #expect(size.bodies.map(\.name) == ["f", "g"], "\(filler): \(size.bodies)")
            #expect(size.bodies.first?.lines == fLines && size.bodies.last?.lines == 5, "\(filler): \(size.bodies)")
        }
    }

    @Test("Initialisers, computed properties, closures assigned to members and multi-line signatures are measured; types and statements are not")
    func declarations() {
        let text = """
        public struct S: Sendable {
            @inlinable public init(a: Int,
                                   b: Int) throws {
                if a > b {
                    print(a)
                }
            }
            var count: Int {
                items.map { $0 * 2 }.count
            }
            static let table: [Int] = {
                [1, 2, 3]
            }()
            @available(*, deprecated) mutating func step<T>(_ t: T)
                -> Int where T: Equatable {
                for _ in 0..<3 { }
                return 0
            }
            subscript(i: Int) -> Int { i }
            deinit {
            }
        }
        """
        let bodies = SourceSize(scanning: text).bodies.map { "\($0.name):\($0.line):\($0.lines)" }
        #expect(bodies == ["init:2:6", "count:8:3", "table:11:3", "step:14:5", "subscript:19:1", "deinit:20:2"], "\(bodies)")
        #expect(SourceSize(scanning: text).lines == 22)
    }
}
