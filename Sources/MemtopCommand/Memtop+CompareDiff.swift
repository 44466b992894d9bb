import HeapModel

extension Memtop.Compare {
    /// One line of a file's diff: the same on both sides, or a differing pair (either may be missing).
    enum DiffLine: Equatable {
        case same(String)
        case differs(String?, String?)
    }

    /// The files of both sides, line by line: unchanged lines once, changed ones as `- first` /
    /// `+ second`. slabinfo rows are matched by cache name (kernels order them differently) and
    /// caches empty on both sides are left out.
    ///
    /// With a `context`, only the differing lines are printed, each with up to `context` unchanged
    /// lines around it (`  ...` where lines are left out), and a file that does not differ is one
    /// line saying so; with nil, every line is.
    /// - Parameters:
    ///   - a: The first side's machine.
    ///   - b: The second side's machine.
    ///   - first: The first side's name, for the header.
    ///   - second: The second side's name.
    ///   - context: Unchanged lines kept around each difference, or nil for all of them.
    /// - Returns: The diff, ending with `compare: N lines differ`.
    public static func diff(_ a: Machine, _ b: Machine, first: String, second: String, context: Int? = 2) -> String {
        var out = "--- \(first)\n+++ \(second)\n"
        var differing = 0
        for file in [ProcFile.zones, .buddyinfo, .extfragIndex, .unusableIndex, .slabinfo, .vmallocinfo] {
            let left = file.render(a).split(separator: "\n").map(String.init)
            let right = file.render(b).split(separator: "\n").map(String.init)
            let lines = file == .slabinfo ? slabinfoLines(left, right) : pairedLines(left, right)
            let changed = lines.filter { if case .differs = $0 { true } else { false } }.count
            differing += changed
            if context != nil && changed == 0 {
                out += "\n==> \(file.path) <== (no differences)\n"
                continue
            }
            let header = file == .slabinfo ? 2 : file == .zones ? 1 : 0
            out += "\n==> \(file.path) <==\n" + render(lines, context: context, header: header)
        }
        out += "\ncompare: \(differing) lines differ\n"
        return out
    }

    /// Lines paired by position.
    static func pairedLines(_ left: [String], _ right: [String]) -> [DiffLine] {
        (0..<max(left.count, right.count)).map { i in
            let x = i < left.count ? left[i] : nil, y = i < right.count ? right[i] : nil
            if let x, x == y { return .same(x) }
            return .differs(x, y)
        }
    }

    /// slabinfo's two header lines by position, then its rows by cache name, caches empty on both sides left out.
    static func slabinfoLines(_ left: [String], _ right: [String]) -> [DiffLine] {
        func rows(_ lines: [String]) -> [String: String] {
            Dictionary(lines.dropFirst(2).map { (String($0.split(separator: " ").first ?? ""), $0) }, uniquingKeysWith: { x, _ in x })
        }
        var out = pairedLines(Array(left.prefix(2)), Array(right.prefix(2)))
        let l = rows(left), r = rows(right)
        for name in Set(l.keys).union(r.keys).sorted() {
            let x = l[name], y = r[name]
            let empty = { (s: String?) in s.map { $0.contains("      0      0 ") } ?? true }
            if empty(x) && empty(y) { continue }
            if let x, x == y { out.append(.same(x)) } else {
                out.append(.differs(x ?? "(no such cache) \(name)", y ?? "(no such cache) \(name)"))
            }
        }
        return out
    }

    /// The lines as text: all of them, or (with `context`) the first `header` lines (column names),
    /// the differing ones and their neighbours.
    static func render(_ lines: [DiffLine], context: Int?, header: Int = 0) -> String {
        var keep = [Bool](repeating: context == nil, count: lines.count)
        for i in 0..<min(header, lines.count) { keep[i] = true }
        if let context {
            for (i, line) in lines.enumerated() where line.sameText == nil {
                for j in max(0, i - context)...min(lines.count - 1, i + context) { keep[j] = true }
            }
        }
        var out = ""
        var skipped = false
        for (i, line) in lines.enumerated() {
            guard keep[i] else { skipped = true; continue }
            if skipped { out += "  ...\n" }
            skipped = false
            switch line {
            case .same(let x): out += "  \(x)\n"
            case .differs(let x, let y):
                if let x { out += "- \(x)\n" }
                if let y { out += "+ \(y)\n" }
            }
        }
        if skipped { out += "  ...\n" }
        return out
    }
}

extension Memtop.Compare.DiffLine {
    /// The text of an unchanged line, nil for a difference.
    var sameText: String? { if case .same(let x) = self { x } else { nil } }
}
