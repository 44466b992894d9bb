import HeapModel

extension EventPrinter {
    /// Prints the event part of a record with its program's ops.
    mutating func run(_ program: EventProgram, _ r: RecordBytes, into out: inout TextBuffer) {
        for op in program.ops {
            switch op.code {
            case .literal: out.append(program.literal(op))
            case .signed:
                let v = Int64(bitPattern: PrintNode.truncate(scalar(op, r), size: op.length, signed: true))
                if v < 0 { out.append(45) }
                out.appendDecimal(v < 0 ? 0 &- UInt64(bitPattern: v) : UInt64(v))
            case .unsigned: out.appendDecimal(PrintNode.truncate(scalar(op, r), size: op.length, signed: false))
            case .hex: out.appendHex(PrintNode.truncate(scalar(op, r), size: op.length, signed: false))
            case .pointer: out.appendHex(scalar(op, r), minDigits: pointerDigits)
            case .symbol: appendSymbol(scalar(op, r), withOffset: true, into: &out)
            case .symbolName: appendSymbol(scalar(op, r), withOffset: false, into: &out)
            case .text: out.append(r.text(at: Int(op.start), maxCount: Int(op.fieldSize)))
            case .dataText: out.append(dataText(program.fields[Int(op.count)], r))
            case .flagsOrString:
                let v = scalar(op, r)
                out.append(v == 0 ? program.strings[Int(op.b)] : flagText(program, table: Int(op.a), v, symbolic: false))
            case .testString:
                out.append(program.strings[Int(scalar(op, r) & op.mask != 0 ? op.a : op.b)])
            case .general: general(program, program.steps[Int(op.a)], r, into: &out)
            case .probeSymbol:
                let step = program.steps[Int(op.a)]
                let ip = evaluate(program, step.arg, r).number
                if ip == 0 { out.append(48) } else { appendSymbol(ip, withOffset: step.spec.alternate, into: &out) }
            case .hexArray: appendHexBytes(program, program.steps[Int(op.a)].arg, r, into: &out)
            }
        }
    }

    /// A conversion through the evaluator, with its width and precision arguments.
    private mutating func general(_ program: EventProgram, _ step: EventProgram.Step, _ r: RecordBytes, into out: inout TextBuffer) {
        var spec = step.spec
        if step.widthArg >= 0 {
            let w = Int(Int32(truncatingIfNeeded: evaluate(program, step.widthArg, r).number))
            (spec.width, spec.leftAlign) = (abs(w), spec.leftAlign || w < 0)
        }
        if step.precisionArg >= 0 { spec.precision = max(0, Int(Int32(truncatingIfNeeded: evaluate(program, step.precisionArg, r).number))) }
        convert(spec, evaluate(program, step.arg, r), into: &out)
    }

    /// The scalar field of a fast op, sign-extended when the field is signed.
    @inline(__always) func scalar(_ op: EventProgram.Op, _ r: RecordBytes) -> UInt64 {
        let v: UInt64, o = Int(op.start)
        switch op.fieldSize {
        case 8: return r.u64(o)
        case 4: v = UInt64(r.u32(o))
        case 2: v = UInt64(r.u16(o))
        case 1: v = UInt64(r.u8(o))
        default: return 0
        }
        return op.fieldSigned ? PrintNode.truncate(v, size: op.fieldSize, signed: true) : v
    }

    /// A scalar field's bytes as a number, sign-extended when the field is signed.
    @inline(__always) func scalar(_ f: EventProgram.Field, _ r: RecordBytes) -> UInt64 {
        let v: UInt64
        switch f.size {
        case 8: return r.u64(f.offset)
        case 4: v = UInt64(r.u32(f.offset))
        case 2: v = UInt64(r.u16(f.offset))
        case 1: v = UInt64(r.u8(f.offset))
        default: return 0
        }
        return f.signed ? PrintNode.truncate(v, size: UInt8(f.size), signed: true) : v
    }

    /// The value of node `index` for record `r`.
    mutating func evaluate(_ program: EventProgram, _ index: Int32, _ r: RecordBytes) -> PrintValue {
        let n = program.nodes[Int(index)]
        switch n.op {
        case .constant: return .int(n.value, signed: n.signed)
        case .string: return PrintValue(text: program.strings[Int(n.value)])
        case .field: return fieldValue(program.fields[Int(n.value)], r)
        case .dataText: return PrintValue(text: dataText(program.fields[Int(n.value)], r))
        case .negate: return .int(0 &- evaluate(program, n.a, r).number, signed: true)
        case .not: return .int(evaluate(program, n.a, r).truth ? 0 : 1, signed: true)
        case .complement:
            let a = evaluate(program, n.a, r)
            return .int(~a.number, signed: a.signed)
        case .conditional:
            return evaluate(program, n.a, r).truth ? evaluate(program, n.b, r) : evaluate(program, n.c, r)
        case .logicalAnd:
            return .int(evaluate(program, n.a, r).truth && evaluate(program, n.b, r).truth ? 1 : 0, signed: true)
        case .logicalOr:
            return .int(evaluate(program, n.a, r).truth || evaluate(program, n.b, r).truth ? 1 : 0, signed: true)
        case .cast:
            let a = evaluate(program, n.a, r)
            if a.text != nil { return a }
            return PrintValue(number: PrintNode.truncate(a.number, size: n.size, signed: n.signed), signed: n.signed, pointee: n.pointee)
        case .flags, .symbolic:
            let value = evaluate(program, n.a, r).number
            return PrintValue(text: flagText(program, table: Int(n.value), value, symbolic: n.op == .symbolic))
        default:
            return n.op.apply(evaluate(program, n.a, r), evaluate(program, n.b, r))
        }
    }

    /// A scalar field's value (sign-extended when signed), or a char array's text.
    @inline(__always) func fieldValue(_ f: EventProgram.Field, _ r: RecordBytes) -> PrintValue {
        switch f.layout {
        case .scalar:
            return PrintValue(number: scalar(f, r), signed: f.signed)
        case .array where f.isText:
            return PrintValue(text: r.text(at: f.offset, maxCount: f.size))
        default:
            return PrintValue(text: dataText(f, r))
        }
    }

    /// The text of a `__data_loc`/`__rel_loc` field: up to its length or its NUL, inside the record.
    func dataText(_ f: EventProgram.Field, _ r: RecordBytes) -> UnsafeRawBufferPointer {
        let word = r.u32(f.offset)
        var start = Int(word & 0xffff)
        if f.layout == .relLoc { start += f.offset + 4 }
        guard start < r.count else { return UnsafeRawBufferPointer(start: r.base, count: 0) }
        return r.text(at: start, maxCount: min(Int(word >> 16), r.count - start))
    }

    /// `__print_flags` / `__print_symbolic` of `value`: the kernel's walk of the table; GFP flags by
    /// memtop's table for the trace's kernel.
    mutating func flagText(_ program: EventProgram, table index: Int, _ value: UInt64, symbolic: Bool) -> UnsafeRawBufferPointer {
        let table = program.tables[index]
        if table.isGFP && !symbolic {
            if let cached = gfpCache[value] { return cached }
            let text = value == 0 ? "" : GFPFlags(rawValue: UInt32(truncatingIfNeeded: value)).traceString(kernel)
                + (value >> 32 != 0 ? "|0x" + String((value >> 32) << 32, radix: 16) : "")
            guard gfpCache.count < EventPrinter.cacheLimit else { return arena.scratch(Array(text.utf8)) }
            let stored = arena.store(Array(text.utf8))
            gfpCache.updateValue(stored, forKey: value)
            return stored
        }
        let key = FlagKey(program: ObjectIdentifier(program), table: index, value: value)
        if let cached = flagCache[key] { return cached }
        var out: [UInt8] = []
        if symbolic {
            if let e = table.entries.first(where: { $0.value == value }) { out = e.name } else { out = [48, 120]; TextBuffer.appendHex(value, to: &out) }
        } else {
            var left = value
            for e in table.entries where left != 0 && left & e.value == e.value {
                if !out.isEmpty { out += table.delimiter }
                out += e.name
                left &= ~e.value
            }
            if left != 0 {
                if !out.isEmpty { out += table.delimiter }
                out += [48, 120]
                TextBuffer.appendHex(left, to: &out)
            }
        }
        guard flagCache.count < EventPrinter.cacheLimit else { return arena.scratch(out) }
        let stored = arena.store(out)
        flagCache[key] = stored
        return stored
    }

    /// `symbol+0xoff/0xsize [module]` (or `symbol`), cached per address.
    mutating func appendSymbol(_ address: UInt64, withOffset: Bool, into out: inout TextBuffer) {
        if let cached = withOffset ? symbolCache[address] : nameCache[address] {
            out.append(cached)
            return
        }
        var text: [UInt8] = []
        kallsyms.appendSymbol(address, withOffset: withOffset, to: &text)
        guard symbolCache.count + nameCache.count < EventPrinter.cacheLimit else {
            out.append(arena.scratch(text))
            return
        }
        let stored = arena.store(text)
        if withOffset { symbolCache.updateValue(stored, forKey: address) } else { nameCache.updateValue(stored, forKey: address) }
        out.append(stored)
    }

    /// The bytes of an array field in hex (field-by-field printing of events memtop does not read).
    private func appendHexBytes(_ program: EventProgram, _ node: Int32, _ r: RecordBytes, into out: inout TextBuffer) {
        let f = program.fields[Int(program.nodes[Int(node)].value)]
        var start = f.offset, count = f.size
        if f.layout == .dataLoc || f.layout == .relLoc {
            let word = r.u32(f.offset)
            start = Int(word & 0xffff) + (f.layout == .relLoc ? f.offset + 4 : 0)
            count = Int(word >> 16)
        }
        count = max(0, min(count, r.count - start, 4096))
        out.append("0x")
        for i in 0..<count { out.appendHex(UInt64(r.u8(start + i)), minDigits: 2) }
    }
}

extension RecordBytes {
    /// Up to `maxCount` bytes at `offset`, cut at the first NUL, inside the record.
    func text(at offset: Int, maxCount: Int) -> UnsafeRawBufferPointer {
        guard offset >= 0, offset < count else { return UnsafeRawBufferPointer(start: base, count: 0) }
        let limit = min(maxCount, count - offset)
        var n = 0
        while n < limit && base.load(fromByteOffset: offset + n, as: UInt8.self) != 0 { n += 1 }
        return UnsafeRawBufferPointer(start: base + offset, count: n)
    }
}
