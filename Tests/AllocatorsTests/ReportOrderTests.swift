import Allocators
import HeapModel
import MemtopTestSupport
import Testing

/// Tables with equal counts print in one order, whatever the dictionaries' hashing does.
@Suite("Report order")
struct ReportOrderTests {
    @Test("Call sites with equal totals are listed by name")
    func tiedSites() throws {
        var m = TestMachines.kernel(ram: 128 << 20, kernel: .v6_1)
        m.setRecording(true)
        // Twelve sites, each one kmalloc(64): every total ties. Allocated in reverse name order.
        let names = (0..<12).map { "site_\(Character(UnicodeScalar(UInt8(97 + $0))))+0x0/0x10" }
        for name in names.reversed() {
            #expect(Kmalloc.kmalloc(64, flags: .kernel, site: m.callSite(name), in: &m) != nil)
        }
        var report = AllocationReport()
        report.absorb(m.takeEvents(), in: m)
        let rows = report.siteTable(m).split(separator: "\n").dropFirst(2).map { String($0.split(separator: "|")[0]).trimmingCharacters() }
        #expect(rows == names, "\(rows)")
    }
}

private extension String {
    func trimmingCharacters() -> String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
