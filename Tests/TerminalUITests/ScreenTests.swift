import Allocators
import BuiltInWorkloads
import HeapModel
import MemtopTestSupport
import TerminalUI
import Testing

/// A seeded frame: slab-churn for 3000 operations on a 256 MiB 6.18 machine.
func seededSnapshot(steps: Int = 3000) -> FrameSnapshot {
    var m = TestMachines.kernel(ram: 256 << 20, kernel: .v6_18)
    m.setRecording(true)
    var run = Workload.named("slab-churn")!.start(5, m.configuration)
    var log: [LogLine] = []
    Workload.runToEnd(&run, on: &m, maxSteps: steps)
    for e in m.takeEvents().suffix(40) { log += EventFormatter.lines(e, in: m) }
    return FrameSnapshot(machine: m, status: StatusInfo(source: "slab-churn", step: steps, total: 80_000, speed: 5000, playing: false),
                         log: log, history: [0, 100, 300, 500, 700, 900, 1000])
}

func crop(_ buffer: CellBuffer, _ rect: Rect) -> String {
    let text = (rect.y..<(rect.y + rect.height)).map { y in String(buffer.line(y).dropFirst(rect.x).prefix(rect.width)) }
    let styles = (rect.y..<(rect.y + rect.height)).map { y in String(buffer.styleLines[y].dropFirst(rect.x).prefix(rect.width)) }
    return (text + ["--- styles ---"] + styles).joined(separator: "\n") + "\n"
}

@Suite("Screens as text")
struct ScreenTests {
    @Test("Golden panels at 80x24 and 160x50", arguments: [(80, 24), (160, 50)])
    func goldenPanels(width: Int, height: Int) throws {
        let snapshot = seededSnapshot()
        var state = ViewState()
        state.pageMap.cursor = 0x1000
        state.playing = false
        let (buffer, layout) = Screen.render(snapshot, state: state, theme: Theme(mode: .full256), width: width, height: height)
        let l = try #require(layout)
        for (name, rect) in [("status", l.status), ("pagemap", l.pageMap), ("slabs", l.slabs), ("fragmentation", l.fragmentation),
                             ("vmalloc", l.vmalloc), ("events", l.log)] {
            try Golden.check(crop(buffer, rect), named: "\(name)-\(width)x\(height).txt")
        }
    }

    @Test("The slab panel's numbers are slabinfo's numbers")
    func slabPanelMatchesSlabinfo() throws {
        let snapshot = seededSnapshot()
        var state = ViewState()
        state.slabSort = .name
        let (buffer, layout) = Screen.render(snapshot, state: state, theme: Theme(mode: .full256), width: 200, height: 120)
        let l = try #require(layout)
        var shown: [String: [Int]] = [:]
        for y in (l.slabs.y + 2)..<(l.slabs.y + l.slabs.height - 1) {
            let fields = buffer.line(y).split(separator: " ").filter { !$0.contains("│") && !$0.contains("█") && !$0.contains("▓") && !$0.contains("░") }
            guard fields.count >= 8, let objs = Int(fields[0]), let active = Int(fields[1]), let slabs = Int(fields[4]),
                  let perSlab = Int(fields[5]) else { continue }
            shown[String(fields[7])] = [active, objs, perSlab, slabs]
        }
        var compared = 0
        for line in snapshot.machine.slabinfo().split(separator: "\n").dropFirst(2) {
            let f = line.split(separator: " ")
            guard let row = shown[String(f[0])] else { continue }
            // active_objs, num_objs, objperslab, num_slabs (the last slabdata column but one)
            #expect(row == [Int(f[1])!, Int(f[2])!, Int(f[4])!, Int(f[14])!], "\(f[0])")
            compared += 1
        }
        #expect(compared >= 20)
    }

    @Test("Below 80x24 a message replaces the layout")
    func tooSmall() {
        let (buffer, layout) = Screen.render(seededSnapshot(steps: 10), state: ViewState(), theme: Theme(mode: .full256), width: 60, height: 20)
        #expect(layout == nil)
        #expect(buffer.text.contains("memtop needs at least 80x24"))
        #expect(buffer.text.contains("this terminal is 60x20"))
    }

    @Test("Monochrome draws glyphs, no colours")
    func monochrome() throws {
        let (buffer, _) = Screen.render(seededSnapshot(), state: ViewState(), theme: Theme(mode: .monochrome), width: 120, height: 40)
        #expect(buffer.cells.allSatisfy { $0.style.fg == .standard && $0.style.bg == .standard })
        #expect(buffer.text.contains("#"))     // slab pages
        #expect(!buffer.text.contains("▀"))
    }

    @Test("The help overlay lists every key")
    func help() {
        var state = ViewState()
        state.showHelp = true
        // Every line of it, uncut, even at the smallest screen.
        let (buffer, _) = Screen.render(seededSnapshot(steps: 10), state: state, theme: Theme(mode: .basic8), width: 80, height: 24)
        for key in ["space", "+ / -", "Tab", "z / Z", "F10", "utilization", "Mouse", "/ text", "F3", "f / F", "x / X", "G ", "w ", "{ / }",
                    "Any key closes this help."] { #expect(buffer.text.contains(key), "\(key)") }
        for line in HelpOverlay.lines { #expect(buffer.text.contains(line), "cut: \(line)") }
    }

    @Test("An unchanged frame costs no writes; moving the cursor rewrites only the page map and status line")
    func diffing() throws {
        let snapshot = seededSnapshot()
        var backend = TextBackend(width: 160, height: 50)
        let state = ViewState()
        backend.draw(Screen.render(snapshot, state: state, theme: Theme(mode: .full256), width: 160, height: 50).0)
        backend.draw(Screen.render(snapshot, state: state, theme: Theme(mode: .full256), width: 160, height: 50).0)
        #expect(backend.lastWriteCount == 0)
        // Moving the page-map cursor one frame changes cells of the page map and the status line
        // (which names the frame under the cursor), and nothing else.
        let (before, layout) = Screen.render(snapshot, state: state, theme: Theme(mode: .full256), width: 160, height: 50)
        var moved = state
        moved.pageMap.cursor = 1
        let after = Screen.render(snapshot, state: moved, theme: Theme(mode: .full256), width: 160, height: 50).0
        backend.draw(after)
        let changed = (0..<after.height).flatMap { y in (0..<after.width).filter { x in before[x, y] != after[x, y] }.map { (x: $0, y: y) } }
        #expect(backend.lastWriteCount == changed.count)
        #expect(!changed.isEmpty)
        let layoutRects = try #require(layout)
        let outside = changed.filter { !layoutRects.pageMap.contains(x: $0.x, y: $0.y) && !layoutRects.status.contains(x: $0.x, y: $0.y) }
        #expect(outside.isEmpty, "cells outside the page map and status line changed: \(outside.prefix(5))")
    }
}

@Suite("Keys")
struct KeyTests {
    func press(_ keys: [Key], _ state: inout ViewState) -> Reaction {
        var all: Reaction = []
        for k in keys { all.formUnion(KeyHandler.handle(k, state: &state, mapFrames: 100_000, slabRows: 50)) }
        return all
    }

    @Test("Space pauses, n and . step, + and - change speed, q and F10 quit")
    func basics() {
        var s = ViewState()
        _ = press([.char(" ")], &s)
        #expect(!s.playing)
        #expect(press([.char(".")], &s).contains(.step))
        #expect(press([.char("n")], &s).contains(.step))
        let speed = s.speed
        _ = press([.char("+")], &s)
        #expect(s.speed > speed)
        _ = press([.char("-"), .char("-")], &s)
        #expect(s.speed < speed)
        #expect(press([.char("q")], &s).contains(.quit))
        #expect(press([.function(10)], &s).contains(.quit))
    }

    @Test("Tab moves focus; slabtop's keys sort in the slab panel, where n sorts by name")
    func focusAndSort() {
        var s = ViewState()
        _ = press([.tab], &s)
        #expect(s.focus == .slabs)
        #expect(!press([.char("n")], &s).contains(.step))
        #expect(s.slabSort == .name)
        for sort in SlabSort.allCases {
            _ = press([.char(sort.rawValue)], &s)
            #expect(s.slabSort == sort)
        }
        _ = press([.down, .down, .char("j")], &s)
        #expect(s.slabTable.selected == 3)
        _ = press([.backTab], &s)
        #expect(s.focus == .pageMap)
    }

    @Test("? and F1 open help; any key closes it")
    func helpKeys() {
        var s = ViewState()
        _ = press([.char("?")], &s)
        #expect(s.showHelp)
        _ = press([.char("x")], &s)
        #expect(!s.showHelp)
        _ = press([.function(1)], &s)
        #expect(s.showHelp)
    }

    @Test("Arrows move the page-map cursor by pixels and rows")
    func cursor() {
        var s = ViewState()
        s.pageMap.pagesPerPixel = 2
        _ = press([.right, .right], &s)
        #expect(s.pageMap.cursor == 4)
        _ = press([.down], &s)
        #expect(s.pageMap.cursor == 4 + 2 * 80 * 2)
        _ = press([.left, .left, .left, .up, .up], &s)
        #expect(s.pageMap.cursor == 0)
    }
}

@Suite("The event log's formatter")
struct EventFormatterTests {
    @Test("isNotable agrees with the kinds of lines formatted, over every event of the warning-rich workloads")
    func notableMatchesLines() {
        var notable = 0, total = 0
        for name in ["misuse", "atomic-burst", "buddy-fragmentation", "kvmalloc-fallback", "tour"] {
            var m = TestMachines.kernel(ram: 256 << 20, kernel: .v6_18)
            m.setRecording(true)
            var run = Workload.named(name)!.start(3, m.configuration)
            Workload.runToEnd(&run, on: &m, maxSteps: 30_000)
            for e in m.takeEvents() {
                let kept = EventFormatter.lines(e, in: m).contains { $0.kind != .event }
                #expect(EventFormatter.isNotable(e) == kept, "\(name): \(e.kind)")
                if kept { notable += 1 }
                total += 1
            }
        }
        #expect(notable > 10 && total > notable * 10, "the workloads must give both kinds (\(notable) of \(total))")
    }
}

@Suite("Fragmentation panel at its smallest")
struct FragmentationCompactTests {
    @Test("At 80x24 every order 0-10 is on screen with the zone's free block count")
    func everyOrderShown() throws {
        let snapshot = seededSnapshot()
        let (buffer, layout) = Screen.render(snapshot, state: ViewState(), theme: Theme(mode: .full256), width: 80, height: 24)
        let rect = try #require(layout).fragmentation
        let rows = (rect.y..<(rect.y + rect.height)).map { String(buffer.line($0).dropFirst(rect.x + 1).prefix(rect.width - 2)) }
        let zone = try #require(snapshot.machine.populatedZones.last)
        func fields(_ label: String) -> [String] {
            rows.filter { $0.hasPrefix(label + " ") }.flatMap { $0.split(separator: " ").dropFirst().map(String.init) }
        }
        #expect(fields("ord") == (0..<Page.orderCount).map(String.init))
        #expect(zone.nrFree.allSatisfy { $0 < 10_000 }, "the seeded machine's counts print in full")
        #expect(fields("blk") == zone.nrFree.map(String.init))
    }

    @Test("Large block counts keep to four characters, rounded down", arguments: [
        (0, "0"), (9999, "9999"), (10_000, "10k"), (999_999, "999k"), (1_000_000, "1M"), (37_500_000, "37M"),
    ])
    func compactCounts(n: Int, text: String) {
        #expect(FragmentationWidget.compactCount(n) == text)
        #expect(text.count <= 4)
    }
}

@Suite("Fitting text to a width")
struct TextFitTests {
    @Test("Shortened by parenthetical, then clauses, then words; never mid-word", arguments: [
        ("Fragmentation — zone DMA32 (←/→ zone)", 32, "Fragmentation — zone DMA32"),
        ("Slabs — 26 caches in use, 1336K, sorted by OBJS", 32, "Slabs — 26 caches in use, 1336K"),
        ("Slabs — 26 caches in use, 1336K, sorted by OBJS", 20, "Slabs — 26 caches in"),
        ("Vmalloc — 0 areas", 8, "Vmalloc"),
        ("Fragmentation", 6, "Fragm…"),
        ("fits as it is", 13, "fits as it is"),
    ])
    func fit(text: String, width: Int, expected: String) {
        let fitted = TextFit.fit(text, width: width)
        #expect(fitted == expected)
        #expect(fitted.count <= width)
    }

    @Test("Wrapped at spaces to the width: every word kept in order, no line too long, a long word split")
    func wrap() {
        let text = "kmalloc serves small requests from caches of fixed-size slots: 8, 16, 32, 64, 96, 128, 192, 256 bytes"
        for width in [10, 17, 40, 76] {
            let lines = TextFit.wrap(text, width: width)
            #expect(lines.allSatisfy { $0.count <= width && !$0.hasPrefix(" ") && !$0.hasSuffix(" ") })
            #expect(lines.joined(separator: " ") == text, "width \(width)")
        }
        #expect(TextFit.wrap("a supercalifragilistic b", width: 8) == ["a", "supercal", "ifragili", "stic b"])
        #expect(TextFit.wrap("one\ntwo three", width: 20) == ["one", "two three"])
    }
}
