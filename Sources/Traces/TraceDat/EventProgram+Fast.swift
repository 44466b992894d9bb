/// The fast paths: conversions of a plain field with no width, precision or flags, and the two
/// conditionals the kmem events print, made into ops the printer runs without the evaluator.
extension EventProgram {
    /// The op for step `index`.
    static func op(_ step: Step, index: Int, _ format: EventFormat) -> Op {
        switch step.kind {
        case .literal: return Op(code: .literal, start: step.start, count: step.end - step.start)
        case .probeSymbol: return Op(code: .probeSymbol, a: Int32(index))
        case .hexArray: return Op(code: .hexArray, a: Int32(index))
        case .convert: break
        }
        let code: Op.Code
        switch step.fast {
        case .none: return Op(code: .general, a: Int32(index))
        case .signed: code = .signed
        case .unsigned: code = .unsigned
        case .hex: code = .hex
        case .pointer: code = .pointer
        case .symbol: code = .symbol
        case .symbolName: code = .symbolName
        case .text: code = .text
        case .dataText: code = .dataText
        case .flagsOrString: code = .flagsOrString
        case .testString: code = .testString
        }
        let f = format.fields[Int(step.fastField)]
        return Op(code: code, length: step.spec.length, fieldSize: UInt8(clamping: f.size), fieldSigned: f.isSigned, start: Int32(f.offset),
                  count: step.fastField, a: step.fastA, b: step.fastB, mask: step.fastMask)
    }

    /// Marks the conversions that print a plain field with no width, precision or flags.
    static func fastPaths(_ steps: inout [Step], _ nodes: [PrintNode], _ format: EventFormat) {
        for i in steps.indices where steps[i].kind == .convert && steps[i].arg >= 0 {
            let s = steps[i].spec
            guard s.width == -1, s.precision == -1, !s.leftAlign, !s.zeroPad, !s.plus, !s.space, !s.alternate else { continue }
            let node = nodes[Int(steps[i].arg)]
            if s.conversion == 115, node.op == .conditional, choice(&steps[i], node, nodes, format) { continue }
            guard node.op == .field || node.op == .dataText else { continue }
            let field = format.fields[Int(node.value)]
            let scalar = node.op == .field && field.layout == .scalar
            let fast: Fast
            switch s.conversion {
            case 100 where scalar, 105 where scalar: fast = .signed
            case 117 where scalar: fast = .unsigned
            case 120 where scalar: fast = .hex
            case 112 where scalar: fast = s.isSymbol ? (s.symbolWithOffset ? .symbol : .symbolName) : s.pointerKind == 66 ? .none : .pointer
            case 115 where node.op == .dataText: fast = .dataText
            case 115 where field.isText && field.layout != .scalar: fast = field.layout == .dataLoc || field.layout == .relLoc ? .dataText : .text
            default: fast = .none
            }
            (steps[i].fast, steps[i].fastField) = (fast, Int32(node.value))
        }
    }

    /// `%s` of the two conditionals the kmem events print (GFP flags or "none"; "true"/"false").
    static func choice(_ step: inout Step, _ node: PrintNode, _ nodes: [PrintNode], _ format: EventFormat) -> Bool {
        guard let (field, mask) = test(nodes[Int(node.a)], nodes, format) else { return false }
        let yes = nodes[Int(node.b)], no = nodes[Int(node.c)]
        guard no.op == .string else { return false }
        if yes.op == .string {
            (step.fast, step.fastField, step.fastMask, step.fastA, step.fastB) = (.testString, field, mask, Int32(yes.value), Int32(no.value))
            return true
        }
        guard yes.op == .flags, mask == .max, let (flagsField, flagsMask) = test(nodes[Int(yes.a)], nodes, format),
              flagsField == field, flagsMask == .max else { return false }
        (step.fast, step.fastField, step.fastA, step.fastB) = (.flagsOrString, field, Int32(yes.value), Int32(no.value))
        return true
    }

    /// A condition that is a scalar field, `F & constant`, or `1 && ...` of one: the field and mask.
    private static func test(_ n: PrintNode, _ nodes: [PrintNode], _ format: EventFormat) -> (Int32, UInt64)? {
        switch n.op {
        case .field where format.fields[Int(n.value)].layout == .scalar:
            return (Int32(n.value), .max)
        case .bitAnd:
            guard let (f, m) = test(nodes[Int(n.a)], nodes, format), m == .max, let k = constant(nodes[Int(n.b)], nodes) else { return nil }
            return (f, k)
        case .logicalAnd:
            guard let k = constant(nodes[Int(n.a)], nodes), k != 0 else { return nil }
            return test(nodes[Int(n.b)], nodes, format)
        default:
            return nil
        }
    }

    /// The value of a node without fields, or nil.
    private static func constant(_ n: PrintNode, _ nodes: [PrintNode]) -> UInt64? {
        switch n.op {
        case .constant: return n.value
        case .cast: return constant(nodes[Int(n.a)], nodes).map { PrintNode.truncate($0, size: n.size, signed: n.signed) }
        case .bitOr, .bitAnd, .add, .subtract, .shiftLeft:
            guard let a = constant(nodes[Int(n.a)], nodes), let b = constant(nodes[Int(n.b)], nodes) else { return nil }
            return n.op.apply(.int(a), .int(b)).number
        default: return nil
        }
    }
}
