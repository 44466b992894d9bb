#if canImport(Glibc)
import Glibc
#endif

/// The kernel's symbol table as `/proc/kallsyms` printed it (stored in the trace.dat), for turning
/// an address into `symbol+0xoff/0xsize [module]`, as the kernel's `%pS` prints a call site.
///
/// A symbol's size is the distance to the next higher symbol of the same owner (the kernel image,
/// or one module), as the kernel's own lookup measures it; among symbols at the same address the
/// one listed first is the one printed. Absolute symbols (`A`, the per-CPU offsets) are not code
/// and are left out.
///
/// # Invariants
/// `addresses` is sorted; `sizes`, `owners`, `nameStart` and `nameLength` run parallel to it.
struct Kallsyms: Sendable {
    private var addresses: [UInt64] = []
    private var sizes: [UInt64] = []
    /// 0 for the kernel image, else 1 + an index into `modules`.
    private var owners: [Int32] = []
    private var nameStart: [Int32] = []
    private var nameLength: [Int32] = []
    private var names: [UInt8] = []
    private var modules: [[UInt8]] = []

    /// The number of symbols kept.
    var count: Int { addresses.count }

    /// An empty table (a trace.dat without kallsyms): every address prints as hex.
    init() {}

    /// Parses the text of `/proc/kallsyms`: `ADDRESS TYPE NAME` lines, `\t[MODULE]` after the name
    /// for module symbols. Lines that do not have that shape are skipped. The names stay in a copy
    /// of the text, so a line costs one scan and no allocation.
    /// - Complexity: O(n log n) in the number of lines (O(n) when they are sorted, as the kernel
    ///   image's are).
    init(parsing text: UnsafeRawBufferPointer) {
        names = Array(text.bindMemory(to: UInt8.self))
        let estimate = names.count / 36
        addresses.reserveCapacity(estimate)
        owners.reserveCapacity(estimate)
        nameStart.reserveCapacity(estimate)
        nameLength.reserveCapacity(estimate)
        var moduleIndex: [[UInt8]: Int32] = [:]
        var sorted = true, last: UInt64 = 0
        names.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress else { return }
            var i = 0
            while i < b.count {
                let end = memchr(base + i, 10, b.count - i).map { UnsafeRawPointer(base).distance(to: UnsafeRawPointer($0)) } ?? b.count
                if let e = Kallsyms.line(b, i, end, &modules, &moduleIndex) {
                    if e.address < last { sorted = false }
                    last = e.address
                    addresses.append(e.address)
                    owners.append(e.owner)
                    nameStart.append(e.start)
                    nameLength.append(e.length)
                }
                i = end + 1
            }
        }
        if !sorted { sortByAddress() }
        sizes = Kallsyms.sizes(addresses, owners)
    }

    /// Puts the symbols in address order, keeping the listed order among equal addresses.
    private mutating func sortByAddress() {
        let a = addresses
        let order = a.indices.sorted { a[$0] != a[$1] ? a[$0] < a[$1] : $0 < $1 }
        (addresses, owners, nameStart, nameLength) = (order.map { a[$0] }, order.map { owners[$0] }, order.map { nameStart[$0] },
                                                      order.map { nameLength[$0] })
    }

    /// One line: its address, owner, and where its name is in the text; a new module name goes to `modules`.
    private static func line(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ modules: inout [[UInt8]],
                             _ moduleIndex: inout [[UInt8]: Int32]) -> (address: UInt64, owner: Int32, start: Int32, length: Int32)? {
        var i = start, address: UInt64 = 0
        if end - start > 19, b[start + 16] == 32 {
            // The usual line: 16 hex digits. A digit's value is its low nibble, plus 9 for a letter.
            var bad: UInt8 = 0
            for k in 0..<16 {
                let c = b[start + k], lower = c | 0x20
                bad |= (c &- 48 < 10 || lower &- 97 < 6) ? 0 : 1
                address = address << 4 | UInt64((c & 0xf) &+ (c >> 6) &* 9)
            }
            guard bad == 0 else { return nil }
            i = start + 16
        } else {
            while i < end, let d = hexDigit(b[i]) { address = address << 4 | UInt64(d); i += 1 }
        }
        guard i > start, i - start <= 16, i + 3 < end, b[i] == 32, b[i + 2] == 32 else { return nil }
        let type = b[i + 1]
        if type == UInt8(ascii: "A") || type == UInt8(ascii: "a") || type == UInt8(ascii: "U") || address == 0 { return nil }
        i += 3
        let nameBegin = i
        while i < end && b[i] != 9 && b[i] != 32 { i += 1 }
        guard i > nameBegin else { return nil }
        let nameEnd = i
        var owner: Int32 = 0
        while i < end && (b[i] == 9 || b[i] == 32) { i += 1 }
        if i < end && b[i] == UInt8(ascii: "[") {
            var close = i + 1
            while close < end && b[close] != UInt8(ascii: "]") { close += 1 }
            let module = Array(UnsafeBufferPointer(rebasing: b[(i + 1)..<close]))
            if let m = moduleIndex[module] {
                owner = m
            } else {
                modules.append(module)
                owner = Int32(modules.count)
                moduleIndex[module] = owner
            }
        }
        return (address, owner, Int32(nameBegin), Int32(nameEnd - nameBegin))
    }

    @inline(__always) private static func hexDigit(_ c: UInt8) -> UInt8? {
        if c &- 48 < 10 { return c &- 48 }
        let lower = c | 0x20
        return lower &- 97 < 6 ? lower &- 87 : nil
    }

    /// Each symbol's distance to the next higher address of the same owner (0 for an owner's last).
    private static func sizes(_ addresses: [UInt64], _ owners: [Int32]) -> [UInt64] {
        var sizes = [UInt64](repeating: 0, count: addresses.count)
        // Walking down, the next higher address seen so far for each owner.
        var next = [UInt64](repeating: 0, count: Int(owners.max() ?? 0) + 1)
        for i in addresses.indices.reversed() {
            let owner = Int(owners[i]), a = addresses[i]
            if next[owner] > a { sizes[i] = next[owner] - a }
            if i + 1 < addresses.count && addresses[i + 1] == a && owners[i + 1] == owners[i] {
                sizes[i] = sizes[i + 1]   // an alias: the same extent
            } else {
                next[owner] = a
            }
        }
        return sizes
    }

    /// The symbol an address is in: the first-listed symbol at the highest address at or below it,
    /// when the address is before the next symbol of that owner.
    func index(of address: UInt64) -> Int? {
        var low = 0, high = addresses.count   // first index with addresses[i] > address
        while low < high {
            let mid = (low + high) / 2
            if addresses[mid] <= address { low = mid + 1 } else { high = mid }
        }
        guard low > 0 else { return nil }
        var i = low - 1
        while i > 0 && addresses[i - 1] == addresses[i] { i -= 1 }
        // An owner's last symbol has no known end (the kernel uses its text section's): only its
        // own address is taken to be in it.
        let size = sizes[i]
        if size == 0 { return address == addresses[i] ? i : nil }
        return address - addresses[i] < size ? i : nil
    }

    /// Appends what the kernel's `%pS` (`withOffset`) or `%ps` prints for `address`:
    /// `name+0xoff/0xsize`, ` [module]` for a module's symbol, `0x…` when no symbol holds it.
    func appendSymbol(_ address: UInt64, withOffset: Bool, to out: inout [UInt8]) {
        guard let i = index(of: address) else {
            out.append(contentsOf: [48, 120])   // "0x"
            TextBuffer.appendHex(address, to: &out)
            return
        }
        out.append(contentsOf: names[Int(nameStart[i])..<Int(nameStart[i] + nameLength[i])])
        if withOffset {
            out.append(contentsOf: [43, 48, 120])   // "+0x"
            TextBuffer.appendHex(address - addresses[i], to: &out)
            out.append(contentsOf: [47, 48, 120])   // "/0x"
            TextBuffer.appendHex(sizes[i], to: &out)
        }
        if owners[i] > 0 {
            out.append(contentsOf: [32, 91])   // " ["
            out.append(contentsOf: modules[Int(owners[i]) - 1])
            out.append(93)
        }
    }
}
