import Foundation
import HeapModel
import MemtopTestSupport
import Testing
@testable import Traces

/// The decoder's fast paths must read what its general paths read: each is checked against the
/// slow reading it replaces.
@Suite("The decoder's fast paths read what the general ones do")
struct FastPathTests {
    static func withLine<R>(_ text: String, _ body: (ByteLine) -> R) -> R {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { body(ByteLine($0)) }
    }

    static func decode(_ text: String, kernel: KernelVersion = .v6_1, placement: Bool = true) -> DecodedLine {
        var decoder = FtraceDecoder(file: "t.txt", kernel: kernel, readsKernelPages: placement)
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { decoder.decode($0, line: 1) }
    }

    @Test("A sixteen-digit pointer read eight digits at a time is what reading it digit by digit gives, and anything else is refused alike")
    func sixteenDigitPointers() {
        var rng = SeededGenerator(seed: 17)
        // Hex digits of both cases, and the bytes next to their ranges ("/", ":", "@", "G", "`", "g"), a space, a high byte.
        let alphabet = Array("0123456789abcdefABCDEF") + Array("/:@G`g \u{e9}")
        func naive(_ token: String) -> UInt64? {
            let digits = Array(token.utf8.prefix { $0 != 32 })
            guard !digits.isEmpty, digits.count <= 16 else { return nil }
            return UInt64(String(decoding: digits, as: UTF8.self), radix: 16)
        }
        for round in 0..<20000 {
            let length = round % 4 == 0 ? Int.random(in: 1...20, using: &rng) : 16
            // Mostly valid digits, sometimes one stray byte.
            var chars = (0..<length).map { _ in alphabet[Int.random(in: 0..<22, using: &rng)] }
            if round % 3 == 0 { chars[Int.random(in: 0..<length, using: &rng)] = alphabet.randomElement(using: &rng)! }
            let token = String(chars)
            let tail = ["", " next", "x"].randomElement(using: &rng)!
            Self.withLine("ptr=" + token + tail) { line in
                var i = 4
                let fast = line.hexValue(at: &i)
                #expect(fast == naive(token + tail), "\(token)\(tail)")
                if fast != nil { #expect(i == 4 + (token + tail).utf8.prefix { $0 != 32 }.count) }
            }
        }
        #expect(ByteLine.hexWord(UInt64(littleEndian: 0x3736_3534_3332_3130)) == 0x0123_4567)   // "01234567"
        #expect(ByteLine.hexWord(UInt64(littleEndian: 0x4645_4443_6665_6463)) == 0xcdef_cdef)   // "cdefCDEF"
    }

    @Test("Finding a byte, or a byte or another, finds the first, as a byte-by-byte scan does (16-, 8- and 1-byte steps)")
    func findEither() {
        var rng = SeededGenerator(seed: 11)
        // Dense and sparse separators, so that matches fall in every lane of the vector and word steps.
        let alphabets = ["ab: c", "abcdefghijklmnopqrstuvwxyz0123456789-_:", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx ", "y"]
        for _ in 0..<4000 {
            let n = Int.random(in: 0..<90, using: &rng)
            let alphabet = alphabets.randomElement(using: &rng)!
            let text = String((0..<n).map { _ in alphabet.randomElement(using: &rng)! })
            let from = n == 0 ? 0 : Int.random(in: 0...n, using: &rng)
            Self.withLine(text) { line in
                let naive = Array(text.utf8)[from...].firstIndex { $0 == 58 || $0 == 32 } ?? n
                #expect(line.find(58, or: 32, from: from) == naive, "\(text) from \(from)")
                let naiveColon = Array(text.utf8)[from...].firstIndex { $0 == 58 } ?? n
                #expect(line.find(58, from: from) == naiveColon, "\(text) from \(from)")
            }
        }
    }

    @Test("Equal ranges hash equal, and ranges differing in one byte (the last partial word too) hash apart")
    func hashes() {
        var rng = SeededGenerator(seed: 12)
        var seen: [UInt64: String] = [:]
        for length in 0..<40 {
            for _ in 0..<20 {
                let text = String((0..<length).map { _ in "abcdefgh+/0x1234".randomElement(using: &rng)! })
                let h = Self.withLine(text) { $0.hash(0..<length) }
                // The same bytes elsewhere in a line hash the same.
                #expect(Self.withLine("  " + text + " ") { $0.hash(2..<(2 + length)) } == h)
                if let other = seen[h] { #expect(other == text, "\(other) and \(text) collide") }
                seen[h] = text
            }
        }
    }

    @Test("Page events in the kernel's layout and in others decode alike", arguments: [
        ("page=ffffea0004000000 pfn=0x100000 order=2 migratetype=1 gfp_flags=GFP_KERNEL", 0x100000, 2, 1, false),
        ("page=0x0000000000000000 pfn=0x0 order=3 migratetype=0 gfp_flags=GFP_KERNEL", 0, 0, 0, true),
        ("page=0000000000000000 pfn=0x0 order=3 migratetype=0 gfp_flags=GFP_KERNEL", 0, 0, 0, true),
        ("page=(nil) pfn=0x0 order=3 migratetype=0 gfp_flags=GFP_KERNEL", 0, 0, 0, true),
        ("page=0x0 pfn=0x0 order=3 migratetype=0 gfp_flags=GFP_KERNEL", 0, 0, 0, true),
        ("pfn=1048576 page=ffffea0004000000 order=2 migratetype=1 gfp_flags=GFP_KERNEL", 0x100000, 2, 1, false),
    ] as [(String, Int, Int, Int, Bool)])
    func pageAllocations(body: String, pfn: Int, order: Int, type: Int, skip: Bool) {
        let d = Self.decode("           <...>-77      [001] d..1.   10.000000: mm_page_alloc: " + body)
        #expect(d.kind == .event && d.event == .mmPageAlloc && d.error < 0)
        #expect(d.skip == skip)
        if !skip { #expect(Int(d.address) == pfn && d.a == order && d.b == type && d.flags == .kernel) }
    }

    @Test("A page free's order, and whether kcompactd freed it, are read in both layouts")
    func pageFrees() {
        for body in ["page=ffffea0004000080 pfn=0x100002 order=1", "order=1 pfn=0x100002"] {
            let d = Self.decode("       kcompactd0-30      [000] ..... 10.5: mm_page_free: " + body)
            #expect(d.address == 0x100002 && d.a == 1 && d.compacting && d.error < 0, "\(body)")
            let other = Self.decode("              sh-30      [000] ..... 10.5: mm_page_free: " + body)
            #expect(other.address == 0x100002 && !other.compacting)
        }
        // An order past the buddy allocator's is malformed in either layout.
        #expect(Self.decode("  sh-1 [000] ..... 1.0: mm_page_free: page=ffffea0004000040 pfn=0x100001 order=11").error >= 0)
    }

    @Test("A page block whose pfn is not a multiple of its size is malformed, in both layouts (a fuzzed trace trapped on one)")
    func misalignedBlocks() throws {
        let prefix = "        vmstress-178   [000] .....     7.864685: "
        for body in ["mm_page_alloc: page=ffffea0001ce8800 pfn=0x73a2 order=5 migratetype=1 gfp_flags=GFP_HIGHUSER_MOVABLE",
                     "mm_page_alloc: order=5 pfn=0x73a2 migratetype=1 gfp_flags=GFP_HIGHUSER_MOVABLE",
                     "mm_page_free: page=ffffea0001ce8800 pfn=0x73a2 order=2"] {
            #expect(Self.decode(prefix + body).error >= 0, "\(body)")
        }
        #expect(Self.decode(prefix + "mm_page_alloc: page=ffffea0001ce8800 pfn=0x73a0 order=5 migratetype=1 gfp_flags=GFP_HIGHUSER_MOVABLE").error < 0)
        // The replay says where and why, and the machine stays whole.
        let path = temporaryFile(prefix + "mm_page_alloc: page=ffffea0001ce8800 pfn=0x73a2 order=5 migratetype=1 gfp_flags=GFP_HIGHUSER_MOVABLE\n")
        defer { unlink(path) }
        var machine = TestMachines.kernel(kernel: .v6_1)
        var replayer = FtraceReplayer(file: path, kernel: .v6_1, check: false, placement: true)
        #expect(throws: TraceInputError.self) {
            try replayer.replayAll(from: try LineSource(path: path), strict: true, on: &machine) { _, _, _ in }
        }
        try machine.validateInvariants()
    }

    @Test("The task is read for the events whose task the replay asks, and only those")
    func tasks() {
        let prefix = "          insmod-4242    [001] ..... 12.000000: "
        #expect(Self.decode(prefix + "kmalloc: call_site=f+0x1/0x2 ptr=ffff888004000000 bytes_req=8 bytes_alloc=8 gfp_flags=GFP_KERNEL").pid == -1)
        #expect(Self.decode(prefix + "kmalloc: call_site=kvmalloc_node+0x1/0x2 ptr=0000000000000000 bytes_req=8192 bytes_alloc=8192 gfp_flags=GFP_KERNEL").pid == 4242)
        #expect(Self.decode(prefix + "kp_vmalloc: (__vmalloc_node_range+0x0/0x880) size=16384 align=16384 start=0xff54de2540000000 end=0xff86de253fffffff gfp=0xdc0 caller=kernel_clone+0xbf/0x430").pid == 4242)
        #expect(Self.decode(prefix + "mm_page_alloc: page=ffffea0004000000 pfn=0x100000 order=9 migratetype=0 gfp_flags=GFP_KERNEL").pid == 4242)
        #expect(Self.decode(prefix + "mm_page_alloc: page=ffffea0004000000 pfn=0x100000 order=0 migratetype=0 gfp_flags=GFP_KERNEL").pid == -1)
    }

    @Test("A replay that reads no time per line ends at the trace's last time, across blocks and after trailing comments")
    func lastTimestamp() throws {
        var text = "# tracer: nop\n"
        var n = 0
        while text.utf8.count < 2 * LineSource.blockSize + 1000 {
            n += 1
            let t = String(format: "%d.%06d", 100 + n / 1_000_000, n % 1_000_000)
            text += "              sh-1       [000] .....  \(t): kmalloc: call_site=f+0x1/0x2 ptr=ffff888004\(String(format: "%06x", n * 64)) bytes_req=8 bytes_alloc=8 gfp_flags=GFP_KERNEL\n"
            text += "              sh-1       [000] .....  \(t): kfree: call_site=f+0x1/0x2 ptr=ffff888004\(String(format: "%06x", n * 64))\n"
        }
        text += "              sh-1       [000] .....  999.000001: sched_switch: prev_comm=sh\n# the end\n\n"
        let path = temporaryFile(text)
        defer { unlink(path) }
        var times: [Double?] = []
        for timestamps in [true, false] {
            var machine = TestMachines.kernel(kernel: .v6_1)
            var replayer = FtraceReplayer(file: path, kernel: .v6_1, check: false)
            let reading = TraceReading.start(try LineSource(path: path), file: path, kernel: .v6_1, placement: false, timestamps: timestamps)
            try replayer.replayAll(reading, strict: true, on: &machine) { _, _, _ in }
            times.append(replayer.timestampMicroseconds)
            #expect(replayer.summary.applied["kmalloc"] == n)
        }
        #expect(times[0] == 999_000_001 && times[1] == times[0])
    }
}
