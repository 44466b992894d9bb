/// How one event's records are printed, compiled once from its format file: the kernel's print
/// format as literal runs and conversions of argument expressions, or, for events memtop does not
/// read and print formats it cannot compile, every field as `name=value`.
///
/// # Invariants
/// `storage` holds the bytes every `Step.literal` range points into, then the string literals
/// (`strings`), until `deinit`; the program is never mutated after `init`.
final class EventProgram {
    enum StepKind: UInt8 {
        /// Bytes `start..<end` of `literals`.
        case literal
        /// `spec` applied to argument node `arg`.
        case convert
        /// A kprobe's probe address: `symbol+0xoff/0xsize` (`withOffset`) or `symbol`, `0` for 0.
        case probeSymbol
        /// A non-text array field, as hex bytes.
        case hexArray
    }

    /// A conversion of a plain field with no width, precision or flags, printed without
    /// evaluating an expression (most conversions of the kmem events are).
    enum Fast: UInt8 {
        case none, signed, unsigned, hex, pointer, symbol, symbolName, text, dataText
        /// `%s` of `(F) ? __print_flags(F, ...) : "none"`: table `fastA`, string `fastB` for zero.
        case flagsOrString
        /// `%s` of `(F & mask) ? "a" : "b"` (also `F ? ...` and `1 && (F & mask) ? ...`): strings `fastA`, `fastB`.
        case testString
    }

    struct Step {
        var kind: StepKind
        var start: Int32 = 0, end: Int32 = 0
        var spec = PrintSpec()
        var arg: Int32 = -1
        var widthArg: Int32 = -1, precisionArg: Int32 = -1
        var fast = Fast.none
        /// The field a fast conversion reads, and what else it needs.
        var fastField: Int32 = -1
        var fastMask: UInt64 = .max
        var fastA: Int32 = -1, fastB: Int32 = -1
    }

    /// What the printer runs per step of an event: a small value, with the field's offset, size
    /// and sign in it for the fast conversions; the others refer to their ``Step``.
    struct Op {
        enum Code: UInt8 {
            case literal, signed, unsigned, hex, pointer, symbol, symbolName, text, dataText, flagsOrString, testString
            case general, probeSymbol, hexArray
        }
        var code: Code
        /// The integer conversion's size (`%d` 4, `%ld` 8).
        var length: UInt8 = 8
        var fieldSize: UInt8 = 0
        var fieldSigned = false
        /// A literal's offset in `storage`, or the field's offset in the record.
        var start: Int32 = 0
        /// A literal's length, or the field's index.
        var count: Int32 = 0
        /// Table and string indices, or the step's index.
        var a: Int32 = 0, b: Int32 = 0
        var mask: UInt64 = .max
    }

    /// A field as the evaluator reads it.
    struct Field {
        let offset: Int
        let size: Int
        let signed: Bool
        let layout: EventField.Layout
        let isText: Bool
    }

    /// `name: `, printed after the line's context (in `storage`).
    let prefix: UnsafeRawBufferPointer
    /// The steps, nodes and fields, in memory of the program's own (read per event without
    /// reference counting or bounds checks).
    let steps: UnsafeBufferPointer<Step>
    let ops: UnsafeBufferPointer<Op>
    let nodes: UnsafeBufferPointer<PrintNode>
    let fields: UnsafeBufferPointer<Field>
    let tables: [FlagTable]
    /// The literal runs' bytes, then the string literals'.
    private let storage: UnsafeMutableRawPointer
    let strings: [UnsafeRawBufferPointer]
    /// The print format could not be compiled (why, for a note), so the fields are printed instead.
    let fallbackReason: String?

    /// Compiles `format`; `kernelPrintFormat` says whether to follow its print format (the events
    /// memtop reads) or print its fields (the others).
    init(_ format: EventFormat, kernelPrintFormat: Bool) {
        fields = EventProgram.copy(format.fields.map {
            Field(offset: $0.offset, size: $0.size, signed: $0.isSigned, layout: $0.layout, isText: $0.isText)
        })
        var compiled: (steps: [Step], parser: PrintParser, literals: [UInt8])?
        var reason: String?
        if kernelPrintFormat {
            do throws(PrintFormatError) {
                compiled = try EventProgram.compile(format)
            } catch {
                reason = error.message
            }
        }
        var (steps, parser, literals) = compiled ?? EventProgram.fieldSteps(format)
        EventProgram.fastPaths(&steps, parser.nodes, format)
        (self.steps, nodes, tables) = (EventProgram.copy(steps), EventProgram.copy(parser.nodes), parser.tables)
        ops = EventProgram.copy(steps.indices.map { EventProgram.op(steps[$0], index: $0, format) })
        fallbackReason = reason
        let all = [literals, Array(format.name.utf8) + [58, 32]] + parser.strings   // "name: "
        let memory = UnsafeMutableRawPointer.allocate(byteCount: max(all.reduce(0) { $0 + $1.count }, 1), alignment: 1)
        var offset = 0
        var views: [UnsafeRawBufferPointer] = []
        for s in all {
            s.withUnsafeBytes { if let b = $0.baseAddress { (memory + offset).copyMemory(from: b, byteCount: s.count) } }
            views.append(UnsafeRawBufferPointer(start: memory + offset, count: s.count))
            offset += s.count
        }
        storage = memory
        prefix = views[1]
        strings = Array(views.dropFirst(2))
    }

    deinit {
        storage.deallocate()
        steps.deallocate()
        ops.deallocate()
        nodes.deallocate()
        fields.deallocate()
    }

    /// The literal bytes of an op.
    @inline(__always) func literal(_ op: Op) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: storage + Int(op.start), count: Int(op.count))
    }

    /// The kernel's print format as steps; kprobe events get the kernel's `(symbol+off/size)` header.
    private static func compile(_ format: EventFormat) throws(PrintFormatError) -> ([Step], PrintParser, [UInt8]) {
        guard let text = format.printFormat else { throw PrintFormatError("no print fmt") }
        var parser = PrintParser(try PrintLexer.tokens(text), format: format)
        let (f, arguments) = try parser.parse()
        var steps: [Step] = []
        var next = 0, literalStart = 0, i = 0
        func argument() throws(PrintFormatError) -> Int32 {
            guard next < arguments.count else { throw PrintFormatError("more conversions than arguments") }
            next += 1
            return arguments[next - 1]
        }
        while i < f.count {
            guard f[i] == 37 else { i += 1; continue }   // %
            if i > literalStart { steps.append(Step(kind: .literal, start: Int32(literalStart), end: Int32(i))) }
            let (spec, after) = try PrintSpec.parse(f, i + 1)
            if spec.conversion == 37 {
                steps.append(Step(kind: .literal, start: Int32(after - 1), end: Int32(after)))
            } else {
                var step = Step(kind: .convert, spec: spec)
                if spec.width == -2 { step.widthArg = try argument() }
                if spec.precision == -2 { step.precisionArg = try argument() }
                step.arg = try argument()
                steps.append(step)
            }
            i = after
            literalStart = after
        }
        if literalStart < f.count { steps.append(Step(kind: .literal, start: Int32(literalStart), end: Int32(f.count))) }
        probeHeader(&steps, parser.nodes, format)
        return (steps, parser, f)
    }

    /// `array` in memory of its own.
    private static func copy<T>(_ array: [T]) -> UnsafeBufferPointer<T> {
        let b = UnsafeMutableBufferPointer<T>.allocate(capacity: max(array.count, 1))
        _ = b.initialize(from: array)
        return UnsafeBufferPointer(rebasing: b[0..<array.count])
    }

    /// A kprobe's `(%lx)` of `__probe_ip` prints as `(symbol+0xoff/0xsize)`, and a kretprobe's
    /// `(%lx <- %lx)` of `__probe_func, __probe_ret_ip` as `(caller+0xoff/0xsize <- function)`:
    /// the kernel prints these headers itself rather than through the print format.
    private static func probeHeader(_ steps: inout [Step], _ nodes: [PrintNode], _ format: EventFormat) {
        func fieldIndex(_ name: String) -> Int? { format.fields.firstIndex { $0.name == name } }
        let conversions = steps.indices.filter { steps[$0].kind == .convert }
        func reads(_ step: Int, _ field: Int?) -> Bool {
            guard let field, steps[step].arg >= 0 else { return false }
            let n = nodes[Int(steps[step].arg)]
            return n.op == .field && n.value == UInt64(field)
        }
        if let ip = fieldIndex("__probe_ip"), let first = conversions.first, reads(first, ip) {
            steps[first].kind = .probeSymbol
            steps[first].spec.alternate = true   // with the offset
        } else if conversions.count >= 2, reads(conversions[0], fieldIndex("__probe_func")),
                  reads(conversions[1], fieldIndex("__probe_ret_ip")) {
            let (function, caller) = (steps[conversions[0]].arg, steps[conversions[1]].arg)
            steps[conversions[0]].kind = .probeSymbol
            steps[conversions[0]].arg = caller
            steps[conversions[0]].spec.alternate = true
            steps[conversions[1]].kind = .probeSymbol
            steps[conversions[1]].arg = function
            steps[conversions[1]].spec.alternate = false
        }
    }

    /// Every field but the common ones, `name=value` separated by spaces.
    private static func fieldSteps(_ format: EventFormat) -> ([Step], PrintParser, [UInt8]) {
        var parser = PrintParser([], format: format)
        var literals: [UInt8] = [], steps: [Step] = []
        for (index, field) in format.fields.enumerated() where !field.name.hasPrefix("common_") {
            let start = literals.count
            literals += (steps.isEmpty ? [] : [32]) + Array(field.name.utf8) + [61]   // " name="
            steps.append(Step(kind: .literal, start: Int32(start), end: Int32(literals.count)))
            var spec = PrintSpec()
            spec.length = 8
            switch field.layout {
            case .dataLoc where field.isText, .relLoc where field.isText, .array where field.isText:
                spec.conversion = 115   // s
            case .array, .dataLoc, .relLoc:
                steps.append(Step(kind: .hexArray, arg: parser.fieldNode(index)))
                continue
            case .scalar:
                spec.conversion = field.isPointer ? 112 : (field.isSigned ? 100 : 117)   // p d u
                if field.isPointer { spec.pointerKind = 120 }   // raw, like %px
            }
            let node = field.layout == .dataLoc || field.layout == .relLoc ? parser.dataTextNode(index) : parser.fieldNode(index)
            steps.append(Step(kind: .convert, spec: spec, arg: node))
        }
        return (steps, parser, literals)
    }
}

extension PrintParser {
    /// A node reading field `index` (for field-by-field printing).
    mutating func fieldNode(_ index: Int) -> Int32 { appendNode(PrintNode(op: .field, value: UInt64(index))) }

    /// A node reading data_loc field `index` as text.
    mutating func dataTextNode(_ index: Int) -> Int32 { appendNode(PrintNode(op: .dataText, value: UInt64(index))) }
}
