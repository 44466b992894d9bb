import Captures
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The shared capture bundles, found relative to this source file: three directories up is the
/// repository, and `shared/` sits beside it.
enum SharedBundles {
    /// The bundles the tests read, by their path below `shared/traces`.
    static let names = ["bundles/6.1-build", "bundles/6.1-vmalloc", "bundles/6.12-build", "formats/6.1-mix"]

    /// The `shared/traces` folder beside the repository (which may not exist).
    static func tracesRoot(from source: String = #filePath) -> String {
        var repository = source
        for _ in 0..<3 { repository = String(repository[..<(repository.lastIndex(of: "/") ?? repository.startIndex)]) }
        return repository + "/../shared/traces"
    }

    /// Whether every bundle is there; the real-data suites are disabled otherwise.
    static var available: Bool {
        names.allSatisfy { access(tracesRoot() + "/" + $0 + "/start/zoneinfo.txt", R_OK) == 0 }
    }

    /// Why the real-data suites are skipped when they are.
    static let skipReason: Comment = "shared/traces/bundles is not beside the repository: real-bundle tests skipped"

    /// The full path of bundle `name`.
    static func path(_ name: String) -> String { tracesRoot() + "/" + name }

    /// Every state folder of every bundle: `(bundle name, "start" or "end", path)`.
    static var stateFolders: [StateFolder] {
        names.flatMap { name in ["start", "end"].map { StateFolder(bundle: name, state: $0) } }
    }

    /// The text of a file, or nil when absent.
    static func text(_ path: String) -> String? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let got = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if got == 0 { break }
            bytes += buffer[0..<got]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// One `start/` or `end/` folder of a shared bundle.
struct StateFolder: CustomTestStringConvertible, Sendable {
    /// The bundle's path below `shared/traces`.
    let bundle: String
    /// `start` or `end`.
    let state: String

    /// The folder's path.
    var path: String { SharedBundles.path(bundle) + "/" + state }

    /// The text of one of its files; records an issue and returns "" when absent.
    func text(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        guard let text = SharedBundles.text(path + "/" + name) else {
            Issue.record("\(path)/\(name) is missing", sourceLocation: sourceLocation)
            return ""
        }
        return text
    }

    /// `6.1-build/start`.
    var testDescription: String { (bundle.split(separator: "/").last.map(String.init) ?? bundle) + "/" + state }
}
