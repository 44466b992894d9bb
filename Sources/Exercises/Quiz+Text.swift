import HeapModel
import Operations
import Traces

extension Quiz {
    /// The quiz as text, OSTEP-style: a header naming the machine, then each exercise with its
    /// setting, numbered operations (in memtop's trace syntax) and numbered questions; with
    /// `answers`, each question is followed by the engine's answer.
    /// - Complexity: O(operations).
    public func text(answers: Bool) -> String {
        let k = configuration.kernel
        var out = "memtop quiz --seed \(seed): kernel \(k), \(configuration.cpus) CPUs, "
            + "\(ByteSize.format(configuration.ramBytes)) RAM\n"
        out += "Each exercise starts on a freshly booted machine. To replay exercise N:\n"
        out += "  memtop quiz --seed \(seed)\(options) --trace N | memtop replay -\(options) --headless --dump buddyinfo,slabinfo\n"
        for (n, exercise) in exercises.enumerated() {
            out += "\nExercise \(n + 1) (\(exercise.topic.rawValue)): \(exercise.title)\n"
            for line in exercise.setting { out += "  " + line + "\n" }
            out += "\n  Operations:\n"
            out += Quiz.operationLines(exercise, kernel: k).map { "  " + $0 + "\n" }.joined()
            out += "\n  Questions:\n"
            for (q, question) in exercise.questions.enumerated() {
                out += "  Q\(q + 1). \(question.text)\n"
                if answers { out += "      Answer: \(question.answer)\n" }
            }
        }
        return out
    }

    /// The options that reproduce the machine, as both commands take them.
    var options: String {
        " --kernel \(configuration.kernel) --cpus \(configuration.cpus) --ram \(configuration.ramBytes >> 20)M"
    }

    /// Exercise `number` (1-based) as a memtop trace (`# memtop trace v1`, one operation a line)
    /// that `memtop replay` runs on a machine of the quiz's configuration; nil when there is no
    /// such exercise.
    public func trace(exercise number: Int) -> String? {
        guard exercises.indices.contains(number - 1) else { return nil }
        let e = exercises[number - 1]
        var out = NativeTraceFormat.header + "\n"
        out += "# memtop quiz --seed \(seed)\(options): exercise \(number) (\(e.topic.rawValue))\n"
        for op in e.operations { out += NativeTraceFormat.line(op, kernel: configuration.kernel) + "\n" }
        return out
    }

    /// The numbered operation lines; a group shows as one line `first-last.` whose ids run
    /// `id=o1..o40`.
    static func operationLines(_ exercise: Exercise, kernel: KernelVersion) -> [String] {
        let ops = exercise.operations
        let width = String(ops.count).count * 2 + 1
        var lines: [String] = [], i = 0
        while i < ops.count {
            let line = NativeTraceFormat.line(ops[i], kernel: kernel)
            if let group = exercise.groups.first(where: { $0.lowerBound == i && $0.count > 1 }) {
                let range = "\(group.lowerBound + 1)-\(group.upperBound)."
                var shown = line
                if case .id(let first)? = ops[i].handle, case .id(let last)? = ops[group.upperBound - 1].handle {
                    shown = NativeTraceFormat.line(relabel(ops[i], .id(first + ".." + last)), kernel: kernel)
                }
                lines.append(range.padding(width + 1) + " " + shown)
                i = group.upperBound
            } else {
                lines.append("\(i + 1).".padding(width + 1) + " " + line)
                i += 1
            }
        }
        return lines
    }
}

extension Quiz {
    /// `op` naming `handle` instead of its own (for the lines that stand for a group).
    static func relabel(_ op: Operation, _ handle: Handle) -> Operation {
        switch op {
        case let .kmalloc(_, size, flags, site): .kmalloc(handle, size: size, flags: flags, site: site)
        case let .kfree(_, site): .kfree(handle, site: site)
        case let .kmemCacheAlloc(cache, _, flags, site): .kmemCacheAlloc(cache: cache, handle, flags: flags, site: site)
        case let .kmemCacheFree(cache, _, site): .kmemCacheFree(cache: cache, handle, site: site)
        case let .allocPages(_, order, flags, owner): .allocPages(handle, order: order, flags: flags, owner: owner)
        case .freePages: .freePages(handle)
        default: op
        }
    }
}

extension String {
    /// The string padded with spaces on the right to `width`.
    func padding(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}
