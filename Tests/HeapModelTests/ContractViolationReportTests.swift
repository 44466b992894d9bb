import HeapModel
import Testing

/// The words of a violation, built from its data when asked (ContractViolation+Report.swift).
@Suite("Contract violation reports")
struct ContractViolationReportTests {
    static let object = ContractViolation.Object(start: VirtualAddress(0xffff_8880_0010_0000), size: 64, cache: "kmalloc-64")

    @Test("A double free is a KASAN report: title, access, both sites, the object and the offset in it")
    func doubleFree() {
        let v = ContractViolation(kind: .doubleFree, address: VirtualAddress(0xffff_8880_0010_0008), function: .kfree,
                                  allocation: .init(allocatedBy: "probe+0x10/0x40", freedBy: "remove+0x8/0x20", object: Self.object))
        #expect(v.report == """
            ==================================================================
            BUG: KASAN: double-free in kfree
            Free of addr ffff888000100008 by task memtop/1

            Allocated by task 1:
             probe+0x10/0x40

            Freed by task 1:
             remove+0x8/0x20

            The buggy address belongs to the object at ffff888000100000
             which belongs to the cache kmalloc-64 of size 64
            The buggy address is located 8 bytes inside of
             64-byte region [ffff888000100000, ffff888000100040)
            ==================================================================
            """)
    }

    @Test("The Rust contract's checks are memtop's, and say so; the detail follows the access line")
    func rustContract() {
        let wrong = ContractViolation(kind: .wrongAllocator, address: VirtualAddress(0xffff_c900_0000_0000),
                                      function: .rustRealloc(.kvmalloc), detail: .otherAllocator(madeBy: .rust(.kmalloc), passedTo: .kvmalloc))
        #expect(wrong.report.split(separator: "\n").prefix(4) == [
            "==================================================================",
            "memtop: Allocator contract violated in KVmalloc::realloc: the pointer comes from another allocator",
            "Free of addr ffffc90000000000 by task memtop/1",
            "allocated by Kmalloc, passed to KVmalloc",
        ])
        let c = ContractViolation.Detail.otherAllocator(madeBy: .c, passedTo: .vmalloc)
        #expect(c.text == "allocated by the C API, passed to Vmalloc")
        #expect(ContractViolation.Detail.layoutMismatch(oldSize: 24, oldAlign: 8, actualSize: 32).text
                == "old_layout size 24 (align 8) but the allocation is 32 bytes")
    }

    @Test("An alignment growth says what the kernel's C function did",
          arguments: [
              (ContractViolation.AlignmentOutcome.keptInPlace(at: VirtualAddress(0x1000), aligned: true), "kept in place, which is aligned"),
              (.keptInPlace(at: VirtualAddress(0x1040), aligned: false), "6.1's krealloc kept it in place at 0000000000001040, NOT aligned to 128"),
              (.moved(to: VirtualAddress(0x2000), aligned: true), "6.1's krealloc moved it to 0000000000002000"),
              (.moved(to: VirtualAddress(0x2040), aligned: false), "6.1's krealloc moved it to 0000000000002040, NOT aligned"),
              (.refused, "6.1's krealloc refused it (NULL); the old allocation stays valid"),
          ])
    func alignmentGrowth(outcome: ContractViolation.AlignmentOutcome, words: String) {
        let detail = ContractViolation.Detail.alignmentGrowth(new: 128, old: 8, kernel: .v6_1, function: .krealloc, outcome: outcome)
        #expect(detail.text == "new alignment 128 exceeds the old 8; " + words)
    }

    @Test("Violations are equal by their data, whatever box holds it")
    func equality() {
        let a = ContractViolation(kind: .invalidFree, address: VirtualAddress(0x10), function: .vfree, detail: .noVmallocArea)
        let b = ContractViolation(kind: .invalidFree, address: VirtualAddress(0x10), function: .vfree, detail: .noVmallocArea)
        let c = ContractViolation(kind: .invalidFree, address: VirtualAddress(0x10), function: .vfree, detail: .insideVmallocArea)
        #expect(a == b && a.hashValue == b.hashValue)
        #expect(a != c)
    }
}
