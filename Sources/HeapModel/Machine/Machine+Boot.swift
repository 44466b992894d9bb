/// Booting: laying out zones the way a qemu x86_64 guest of the configured size sees them, reserving
/// what the kernel reserves, computing watermarks, and freeing the rest into the buddy allocator.
extension Machine {
    /// Pages SeaBIOS keeps at the top of low RAM for its tables (e820 `reserved`).
    static let firmwareTopPages = 38
    /// Frames of the first megabyte that hold RAM (pfn 1...0x9e; 0x9f...0xff is the VGA/BIOS hole).
    static let lowRAMEnd = 0x9f
    /// Where x86_64 loads the kernel (`CONFIG_PHYSICAL_START`, 16 MiB).
    static let kernelLoadPFN = 0x1000
    /// The x86 PCI hole: qemu's `pc` machine keeps at most 3 GiB below 4 GiB when RAM is 3.5 GiB or more.
    static let pciHoleStartPFN = 0xC0000
    /// First frame of ZONE_NORMAL on x86_64 (4 GiB).
    static let normalStartPFN = 0x100000
    /// First frame of ZONE_DMA32 (16 MiB).
    static let dma32StartPFN = 0x1000
    /// Frames per memory section (128 MiB); the memmap is allocated per present section.
    static let sectionPages = 1 << 15

    /// Kernel image plus early boot allocations in pages, per profile. Calibrated from the real
    /// zoneinfo dumps (managed = present − kernel − memmap): Debian 6.1 reserves 12391 pages beyond its
    /// memmap in DMA32, Debian 6.12 10638 (its capture's DMA32 manages 1753 pages more than the 6.1
    /// capture taken on the same qemu machine), the 6.18 VM 9528.
    static func kernelFootprintPages(_ kernel: KernelVersion) -> Int {
        switch kernel {
        case .v6_1: return 12391
        case .v6_12: return 10638
        case .v6_18: return 9528
        }
    }

    /// Boots a machine: zones, reservations, watermarks, and every managed page freed to the buddy
    /// allocator in the largest aligned blocks (to list tails, as `memblock_free_all()` does).
    /// Every pageblock starts Movable, as `memmap_init()` leaves it. No events are recorded for boot.
    /// - Throws: ``MachineConfiguration/Problem`` when the configuration is out of range.
    /// - Complexity: O(frames).
    public init(_ configuration: MachineConfiguration) throws(MachineConfiguration.Problem) {
        try configuration.validate()
        let layout = Machine.BootLayout(configuration)
        let end = layout.end
        var frames = ChunkedArray<Frame>(repeating: .absent, count: end)
        for r in layout.present { frames.updateEach(in: r) { $0.owner = .reserved } }   // present but not yet free
        var reservedPerZone = [0, 0, 0]
        var isReserved = [Bool](repeating: false, count: end)
        for res in layout.reservations {
            for i in res.frames.rawValues.clamped(to: 0..<end) where frames[i].owner == .reserved && !isReserved[i] {
                isReserved[i] = true
                if let z = layout.spans.firstIndex(where: { $0.contains(i) }) { reservedPerZone[z] += 1 }
            }
        }
        let presentPerZone = layout.spans.map { span in layout.present.reduce(0) { $0 + $1.clamped(to: span).count } }
        let managed = (0..<3).map { presentPerZone[$0] - reservedPerZone[$0] }

        let marks = Machine.watermarks(managed: managed, configuration: configuration)
        let reserves = Machine.lowmemReserves(managed: managed)
        var zones: [Zone] = []
        for kind in ZoneKind.allCases {
            let z = kind.rawValue
            let populated = presentPerZone[z] > 0
            zones.append(Zone(kind: kind, startPFN: PageFrameNumber(layout.spans[z].lowerBound), spannedPages: populated ? layout.spans[z].count : 0,
                              presentPages: presentPerZone[z], managedPages: managed[z], watermarks: marks[z],
                              lowmemReserve: reserves[z]))
        }

        self.configuration = configuration
        self.zones = zones
        self.endPFN = end
        self.frames = consume frames   // one copy: boot writes every chunk next
        self.slabOfFrame = ChunkedArray(repeating: -1, count: end)
        self.pageblockType = Array(repeating: .movable, count: (end >> Page.pageblockOrder) + 1)
        self.freeLists = Array(repeating: FreeList(), count: 3 * Page.orderCount * FreeList.typeCount)
        self.events = EventLog()
        self.bootReservations = layout.reservations
        self.vmapSpace = VmapSpace(cpus: configuration.cpus)
        freeBootMemory(spans: layout.spans, isReserved: isReserved)
        for z in 0..<3 { self.zones[z].level = self.zones[z].level(forFreePages: self.zones[z].freePages) }
    }

    /// Where a qemu guest of the configured size has RAM, its zones and the boot reservations.
    struct BootLayout {
        /// Present ranges (half-open), in frame numbers.
        var present: [Range<Int>]
        /// DMA, DMA32 and Normal as the kernel sizes them from the present memory.
        var spans: [Range<Int>]
        /// The low megabyte, the kernel image at 16 MiB, the memmap top-down in the highest zone.
        var reservations: [BootReservation]
        /// One past the last frame.
        var end: Int

        init(_ configuration: MachineConfiguration) {
            let ramPages = Int(configuration.ramBytes >> UInt64(Page.shift))
            let lowPages = configuration.ramBytes >= (7 << 29) ? Machine.pciHoleStartPFN : ramPages
            let highPages = ramPages - lowPages
            let lowEnd = lowPages - Machine.firmwareTopPages        // exclusive end of usable low RAM
            let highEnd = highPages > 0 ? Machine.normalStartPFN + highPages : 0
            present = [1..<Machine.lowRAMEnd, 0x100..<lowEnd]
            if highPages > 0 { present.append(Machine.normalStartPFN..<highEnd) }
            let dmaSpan = 1..<min(Machine.dma32StartPFN, lowEnd)
            let dma32Span = Machine.dma32StartPFN..<(highPages > 0 ? Machine.normalStartPFN : max(lowEnd, Machine.dma32StartPFN))
            let normalSpan = highPages > 0 ? Machine.normalStartPFN..<highEnd : Machine.normalStartPFN..<Machine.normalStartPFN
            spans = [dmaSpan, dma32Span, normalSpan]
            let present = self.present
            let sections = Set(present.flatMap { r in (r.lowerBound / Machine.sectionPages)...((r.upperBound - 1) / Machine.sectionPages) })
            let memmapPages = sections.count * Machine.sectionPages * 64 / Page.size
            let topEnd = highPages > 0 ? highEnd : lowEnd
            reservations = [
                BootReservation(purpose: .lowMemory, start: PageFrameNumber(1), count: Machine.lowRAMEnd - 1),
                BootReservation(purpose: .kernelImage, start: PageFrameNumber(Machine.kernelLoadPFN),
                                count: Machine.kernelFootprintPages(configuration.kernel)),
                BootReservation(purpose: .memmap, start: PageFrameNumber(topEnd - memmapPages), count: memmapPages),
            ]
            end = max(lowEnd, highEnd)
        }
    }

    /// `memblock_free_all()`: each maximal run of unreserved present frames, in aligned blocks, to
    /// the list tails.
    mutating func freeBootMemory(spans: [Range<Int>], isReserved: [Bool]) {
        for zone in 0..<3 {
            var pfn = spans[zone].lowerBound
            while pfn < spans[zone].upperBound {
                guard frames[pfn].owner == .reserved && !isReserved[pfn] else { pfn += 1; continue }
                var runEnd = pfn
                while runEnd < spans[zone].upperBound && frames[runEnd].owner == .reserved && !isReserved[runEnd] { runEnd += 1 }
                var start = pfn
                while start < runEnd {
                    var order = min(Page.maxOrder, start == 0 ? Page.maxOrder : start.trailingZeroBitCount)
                    while start + (1 << order) > runEnd { order -= 1 }
                    freeBlock(start, order: order, zone: zone, toTail: true, recordEvents: false)
                    start += 1 << order
                }
                pfn = runEnd
            }
        }
    }

    /// `__setup_per_zone_wmarks()` after `calculate_min_free_kbytes()` and, with THP, khugepaged's
    /// `set_recommended_min_free_kbytes()`.
    static func watermarks(managed: [Int], configuration: MachineConfiguration) -> [Watermarks] {
        func marks(minFreeKbytes: Int) -> [Watermarks] {
            let pagesMin = minFreeKbytes >> (Page.shift - 10)
            let lowmem = managed.reduce(0, +)
            return managed.map { m in
                guard lowmem > 0, m > 0 else { return Watermarks(min: 0, low: 0, high: 0, promo: 0) }
                let min = pagesMin * m / lowmem
                let step = max(min / 4, m * 10 / 10000)
                return Watermarks(min: min, low: min + step, high: min + 2 * step, promo: min + 3 * step)
            }
        }
        // nr_free_buffer_pages(): managed minus the high watermark, over zones up to Normal.
        func freeBufferPages(_ w: [Watermarks]) -> Int { zip(managed, w).reduce(0) { $0 + max(0, $1.0 - $1.1.high) } }
        let initial = [Watermarks](repeating: Watermarks(min: 0, low: 0, high: 0, promo: 0), count: managed.count)
        var minFree = min(max(intSqrt(freeBufferPages(initial) * (Page.size / 1024) * 16), 128), 262_144)
        var result = marks(minFreeKbytes: minFree)
        if configuration.transparentHugePages {
            let populated = managed.filter { $0 > 0 }.count
            var recommended = Page.pageblockPages * populated * (2 + 3 * 3)
            recommended = min(recommended, freeBufferPages(result) / 20)
            let kbytes = recommended * (Page.size / 1024)
            if kbytes > minFree { minFree = kbytes; result = marks(minFreeKbytes: minFree) }
        }
        return result
    }

    /// `setup_per_zone_lowmem_reserve()`: for lower zone i and request zone j > i, the managed pages
    /// of zones i+1...j divided by zone i's ratio.
    static func lowmemReserves(managed: [Int]) -> [[Int]] {
        (0..<managed.count).map { i in
            var reserve = [Int](repeating: 0, count: managed.count)
            guard managed[i] > 0 else { return reserve }
            var sum = 0
            for j in (i + 1)..<max(i + 1, managed.count) {
                sum += managed[j]
                reserve[j] = sum / ZoneKind(rawValue: i)!.lowmemReserveRatio
            }
            return reserve
        }
    }

    /// The kernel's `int_sqrt()`: floor of the square root.
    static func intSqrt(_ x: Int) -> Int {
        guard x > 1 else { return max(x, 0) }
        var r = Int(Double(x).squareRoot())
        while r * r > x { r -= 1 }
        while (r + 1) * (r + 1) <= x { r += 1 }
        return r
    }
}
