#if canImport(Glibc)
import Glibc
#endif

/// The classroom lessons in `assets/lessons/`: memtop traces with narration, pauses and questions.
public enum Lessons {
    /// One lesson: its name (the file name without number and extension), title and path.
    public struct Lesson: Hashable, Sendable {
        /// The name `memtop demo` takes, e.g. `size-classes`.
        public let name: String
        /// The `# title:` line.
        public let title: String
        /// The file.
        public let path: String
    }

    /// Where the lessons are: `$MEMTOP_ASSETS/lessons`, else `assets/lessons` above the executable
    /// (a build in the source tree), else beside the sources memtop was built from.
    public static func directory(_ kind: String = "lessons", source: String = #filePath) -> String? {
        var candidates: [String] = []
        if let env = getenv("MEMTOP_ASSETS") { candidates.append(String(cString: env) + "/" + kind) }
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        if n > 0 {
            var dir = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            for _ in 0..<6 {
                dir = String(dir[..<(dir.lastIndex(of: "/") ?? dir.startIndex)])
                candidates.append(dir + "/assets/" + kind)
            }
        }
        var src = source
        for _ in 0..<3 { src = String(src[..<(src.lastIndex(of: "/") ?? src.startIndex)]) }
        candidates.append(src + "/assets/" + kind)
        return candidates.first { access($0, R_OK) == 0 }
    }

    /// Every lesson, in file order.
    public static func all() -> [Lesson] { traces(in: "lessons") }

    /// The hand-written workloads of `assets/workloads`.
    public static func workloads() -> [Lesson] { traces(in: "workloads") }

    /// The traces of an assets folder, with their names and titles.
    static func traces(in kind: String) -> [Lesson] {
        guard let dir = directory(kind), let d = opendir(dir) else { return [] }
        defer { closedir(d) }
        var files: [String] = []
        while let entry = readdir(d) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasSuffix(".trace") { files.append(name) }
        }
        return files.sorted().map { file in
            let path = dir + "/" + file
            var name = String(file.dropLast(".trace".count))
            if let dash = name.firstIndex(of: "-"), name[..<dash].allSatisfy(\.isNumber) { name = String(name[name.index(after: dash)...]) }
            return Lesson(name: name, title: title(of: path) ?? name, path: path)
        }
    }

    /// The `# title:` of a lesson file.
    static func title(of path: String) -> String? {
        guard let f = fopen(path, "r") else { return nil }
        defer { fclose(f) }
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(line) }
        for _ in 0..<5 {
            guard getline(&line, &capacity, f) > 0, let line else { break }
            let text = String(cString: line)
            if text.hasPrefix("# title:") { return String(text.dropFirst(8).drop { $0 == " " }.prefix { $0 != "\n" }) }
        }
        return nil
    }

    /// The lesson called `name` (or its file name).
    public static func named(_ name: String) -> Lesson? {
        all().first { $0.name == name || $0.path.hasSuffix("/" + name) || $0.path.hasSuffix("/" + name + ".trace") }
    }
}
