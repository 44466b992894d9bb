extension EventPrinter {
    /// Prints `v` as the kernel's vsnprintf prints it for `spec`.
    mutating func convert(_ spec: PrintSpec, _ v: PrintValue, into out: inout TextBuffer) {
        switch spec.conversion {
        case 115:   // s
            if let text = v.text {
                let n = spec.precision >= 0 ? min(spec.precision, text.count) : text.count
                padded(spec, n, into: &out) { $0.append(UnsafeRawBufferPointer(rebasing: text[0..<n])) }
            } else {
                integer(spec, v.number, signed: v.signed, base: 10, into: &out)
            }
        case 100, 105:   // d i
            integer(spec, PrintNode.truncate(v.number, size: spec.length, signed: true), signed: true, base: 10, into: &out)
        case 117:   // u
            integer(spec, PrintNode.truncate(v.number, size: spec.length, signed: false), signed: false, base: 10, into: &out)
        case 120, 88:   // x X
            integer(spec, PrintNode.truncate(v.number, size: spec.length, signed: false), signed: false, base: 16, into: &out)
        case 111:   // o
            integer(spec, PrintNode.truncate(v.number, size: spec.length, signed: false), signed: false, base: 8, into: &out)
        case 99:   // c
            padded(spec, 1, into: &out) { $0.append(UInt8(truncatingIfNeeded: v.number)) }
        default:   // p
            pointer(spec, v, into: &out)
        }
    }

    /// `%p` and its kernel extensions: `%pS`/`%pB` (symbol+offset/size), `%ps`/`%pf` (symbol),
    /// and otherwise the raw pointer in hex, zero-padded to the pointer's width (as with
    /// `no_hash_pointers`: memtop needs the real addresses).
    private mutating func pointer(_ spec: PrintSpec, _ v: PrintValue, into out: inout TextBuffer) {
        if spec.isSymbol {
            if spec.width <= 0 && spec.pointerKind != 66 {
                appendSymbol(v.number, withOffset: spec.symbolWithOffset, into: &out)
                return
            }
            var address = v.number
            if spec.pointerKind == 66, address > 0 { address -= 1 }   // %pB looks up the call, not the return address
            var text = TextBuffer(capacity: 128)
            appendSymbol(address, withOffset: spec.symbolWithOffset, into: &text)
            if spec.pointerKind == 66, v.number > 0 { patchReturnOffset(&text) }
            padded(spec, text.count, into: &out) { $0.append(text.bytes) }
            return
        }
        if spec.width < 0 {
            out.appendHex(v.number, minDigits: pointerDigits)
        } else {
            integer(spec, v.number, signed: false, base: 16, into: &out)
        }
    }

    /// `%pB` printed the symbol of `address - 1`; the offset shown is that of the address itself.
    private func patchReturnOffset(_ text: inout TextBuffer) {
        // The offset is the hex run after "+0x"; add one to it in place (rare: %pB is for stacks).
        let b = text.bytes
        guard let plus = b.firstIndex(of: 43), let slash = b[plus...].firstIndex(of: 47) else { return }
        var value: UInt64 = 0
        for c in b[(plus + 3)..<slash] { value = value << 4 | UInt64(c <= 57 ? c - 48 : c - 87) }
        var rebuilt = TextBuffer(capacity: b.count + 2)
        rebuilt.append(UnsafeRawBufferPointer(rebasing: b[0..<(plus + 3)]))
        rebuilt.appendHex(value + 1)
        rebuilt.append(UnsafeRawBufferPointer(rebasing: b[slash...]))
        text.removeAll()
        text.append(rebuilt.bytes)
    }

    /// An integer with the sign, prefix, zero and space padding of the kernel's `number()`.
    private func integer(_ spec: PrintSpec, _ value: UInt64, signed: Bool, base: UInt64, into out: inout TextBuffer) {
        let negative = signed && Int64(bitPattern: value) < 0
        let magnitude = negative ? 0 &- value : value
        var digits = 1, t = magnitude
        while t >= base { t /= base; digits += 1 }
        let sign: UInt8? = negative ? 45 : signed && spec.plus ? 43 : signed && spec.space ? 32 : nil
        let prefix = spec.alternate ? (base == 16 ? 2 : base == 8 && magnitude != 0 ? 1 : 0) : 0
        let zeros = max(0, spec.precision - digits)
        let body = (sign == nil ? 0 : 1) + prefix + zeros + digits
        let pad = max(0, spec.width - body)
        let left = spec.leftAlign, zeroPad = spec.zeroPad && !spec.leftAlign
        if !left && !zeroPad { out.pad(32, pad) }
        if let sign { out.append(sign) }
        if prefix == 2 { out.append(48); out.append(spec.conversion == 88 ? 88 : 120) } else if prefix == 1 { out.append(48) }
        if zeroPad { out.pad(48, pad) }
        out.pad(48, zeros)
        switch base {
        case 16: out.appendHex(magnitude, upper: spec.conversion == 88)
        case 10: out.appendDecimal(magnitude)
        default: appendOctal(magnitude, into: &out)
        }
        if left { out.pad(32, pad) }
    }

    private func appendOctal(_ v: UInt64, into out: inout TextBuffer) {
        var digits: [UInt8] = []
        var x = v
        repeat { digits.append(UInt8(48 + x % 8)); x /= 8 } while x > 0
        out.append(Array(digits.reversed()))
    }

    /// `body` (of `length` bytes) padded with spaces to the spec's width, on the left unless `-`.
    private func padded(_ spec: PrintSpec, _ length: Int, into out: inout TextBuffer, _ body: (inout TextBuffer) -> Void) {
        let pad = max(0, spec.width - length)
        if !spec.leftAlign { out.pad(spec.zeroPad && spec.conversion == 112 ? 48 : 32, pad) }
        body(&out)
        if spec.leftAlign { out.pad(32, pad) }
    }
}
