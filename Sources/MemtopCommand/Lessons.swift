import HeapModel

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

    /// Where the lessons are: `$MEMTOP_ASSETS/lessons`, else `../share/memtop/lessons` beside the
    /// executable's folder (an installed memtop), else `assets/lessons` above the executable (a
    /// build in the source tree), else beside the sources memtop was built from.
    public static func directory(_ kind: String = "lessons", source: String = #filePath) -> String? {
        var candidates: [String] = []
        if let env = getenv("MEMTOP_ASSETS") { candidates.append(String(cString: env) + "/" + kind) }
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        if n > 0 {
            var dir = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            // An installed memtop (./dev install PREFIX): PREFIX/bin/memtop, PREFIX/share/memtop/lessons.
            let bin = String(dir[..<(dir.lastIndex(of: "/") ?? dir.startIndex)])
            candidates.append(String(bin[..<(bin.lastIndex(of: "/") ?? bin.startIndex)]) + "/share/memtop/" + kind)
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

    /// Every lesson, in file order: the built-in ones, and those of `folder` (a teacher's own,
    /// from `--lessons` or the config's `lessons = DIR`), which replace a built-in one of the
    /// same name.
    public static func all(folder: String? = nil) -> [Lesson] {
        let own = folder.map { traces(at: $0) } ?? []
        let names = Set(own.map(\.name))
        return traces(in: "lessons").filter { !names.contains($0.name) } + own
    }

    /// The hand-written workloads of `assets/workloads`.
    public static func workloads() -> [Lesson] { traces(in: "workloads") }

    /// The traces of an assets folder, with their names and titles.
    static func traces(in kind: String) -> [Lesson] { directory(kind).map { traces(at: $0) } ?? [] }

    /// The `.trace` files of folder `dir`, sorted, with their names and titles.
    static func traces(at dir: String) -> [Lesson] {
        guard let d = opendir(dir) else { return [] }
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
    static func title(of path: String) -> String? { header(of: path)["title"] }

    /// Whether a lesson's `say` lines stop playing: yes unless its header says `# say: continue`.
    public static func sayPauses(_ path: String) -> Bool { header(of: path)["say"] != "continue" }

    /// A /proc file as a lesson shows it: slabinfo with only the caches in use; `narrow` (the
    /// viewer's pane) also drops SLUB's always-zero tunables and the sharedavail column, so that
    /// a row fits 80 columns.
    public static func shownText(_ file: ProcFile, machine: Machine, narrow: Bool = false) -> String {
        let text = file.render(machine)
        guard file == .slabinfo else { return text }
        let rows = text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            .filter { $0.offset < 2 || !$0.element.contains("      0      0 ") }.map { String($0.element) }
        guard narrow else { return rows.joined(separator: "\n") }
        return rows.dropFirst().map { row in
            var r = Substring(row)
            if let t = r.firstRange(of: " : tunables"), let d = r.firstRange(of: " : slabdata") { r.removeSubrange(t.lowerBound..<d.lowerBound) }
            if let last = r.lastIndex(of: " ") { r = r[..<last] }
            return String(r)
        }.joined(separator: "\n")
    }

    /// The `# key: value` lines at the top of a lesson file (title, say).
    static func header(of path: String) -> [String: String] {
        guard let f = fopen(path, "r") else { return [:] }
        defer { fclose(f) }
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(line) }
        var found: [String: String] = [:]
        for _ in 0..<8 {
            guard getline(&line, &capacity, f) > 0, let line else { break }
            let text = String(cString: line)
            guard text.hasPrefix("#") else { break }
            let body = text.dropFirst().drop { $0 == " " }
            guard let colon = body.firstIndex(of: ":") else { continue }
            let key = String(body[..<colon])
            guard key.allSatisfy({ $0.isLetter }) else { continue }
            found[key] = String(body[body.index(after: colon)...].drop { $0 == " " }.prefix { $0 != "\n" && $0 != "\r" })
        }
        return found
    }

    /// The lesson called `name` (or its file name) among ``all(folder:)``; else, when `name` is a
    /// path to a readable file, that file as a lesson (`memtop demo ./mylesson.trace`).
    public static func named(_ name: String, folder: String? = nil) -> Lesson? {
        let known = all(folder: folder).first {
            $0.name == name || $0.path.hasSuffix("/" + name) || $0.path.hasSuffix("/" + name + ".trace")
        }
        if let known { return known }
        guard name.contains("/") || name.hasSuffix(".trace"), isRegularFile(name) else { return nil }
        var base = String(name.split(separator: "/").last ?? Substring(name))
        if base.hasSuffix(".trace") { base = String(base.dropLast(".trace".count)) }
        return Lesson(name: base, title: title(of: name) ?? base, path: name)
    }

    /// Whether `path` is a regular file this process can read.
    static func isRegularFile(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && st.st_mode & S_IFMT == S_IFREG && access(path, R_OK) == 0
    }
}
