import ArgumentParser
import HeapModel

/// A `--dump` list: known file names separated by commas.
public struct DumpList: ExpressibleByArgument, Sendable, Hashable {
    /// The files, in the order given.
    public let files: [ProcFile]

    /// Parses `buddyinfo,extfrag_index`; nil when any name is unknown.
    public init?(argument: String) {
        var files: [ProcFile] = []
        for name in argument.split(separator: ",", omittingEmptySubsequences: true) {
            guard let file = ProcFile(rawValue: String(name).lowercased()) else { return nil }
            if !files.contains(file) { files.append(file) }
        }
        guard !files.isEmpty else { return nil }
        self.files = files
    }

    /// The accepted names, for help.
    public static var allValueStrings: [String] { ProcFile.allCases.map(\.rawValue) }

    /// The files for `machine`: one file alone, several under `==> path <==` headers.
    public func render(_ machine: Machine) -> String {
        if files.count == 1 { return files[0].render(machine) }
        return files.map { "==> \($0.path) <==\n" + $0.render(machine) }.joined(separator: "\n")
    }
}
