/// vmalloc's address-space operations: placing areas, lazy freeing, purging, and vmallocinfo.
extension Machine {
    /// The vmalloc range and its areas.
    public var vmap: VmapSpace { vmapSpace }

    /// `alloc_vmap_area()`: reserves `size` bytes (guard included) at the lowest aligned address
    /// that fits; purges lazily freed areas once and retries when nothing fits.
    /// - Returns: the start, or nil when the range is exhausted ("vmap allocation failed").
    public mutating func reserveVmapArea(size: Int, align: Int, requested: Int, caller: CallSite) -> VirtualAddress? {
        var start = vmapSpace.lowestFit(size: size, align: align)
        if start == nil && vmapSpace.lazyPages > 0 {
            purgeLazyVmapAreas()
            start = vmapSpace.lowestFit(size: size, align: align)
        }
        guard let start else { return nil }
        let area = VmapArea(start: start, size: size, align: align, requested: requested, pages: [], caller: caller)
        vmapSpace.insert(area)
        return start
    }

    /// Updates the busy area starting at `start`.
    public mutating func updateVmapArea(startingAt start: VirtualAddress, _ change: (inout VmapArea) -> Void) {
        guard let i = vmapSpace.areaIndex(startingAt: start) else { return }
        change(&vmapSpace.areas[i])
    }

    /// Removes a busy area whose allocation failed part-way (no lazy freeing: it was never used).
    public mutating func dropVmapArea(startingAt start: VirtualAddress) {
        if let i = vmapSpace.areaIndex(startingAt: start) { vmapSpace.remove(at: i) }
    }

    /// `free_vmap_area_noflush()`: the area goes on the purge list; its pages count toward
    /// `vmap_lazy_nr`; above `lazy_max_pages()` everything lazily freed is purged.
    /// - Returns: true when this free triggered a purge.
    @discardableResult
    public mutating func lazilyFreeVmapArea(startingAt start: VirtualAddress, site: CallSite) -> Bool {
        guard let i = vmapSpace.areaIndex(startingAt: start) else { return false }
        vmapSpace.areas[i].isLazilyFreed = true
        vmapSpace.areas[i].freeSite = site
        vmapSpace.areas[i].pages = []
        vmapSpace.lazyPages += vmapSpace.areas[i].size / Page.size
        if vmapSpace.lazyPages > vmapSpace.lazyMaxPages {
            purgeLazyVmapAreas()
            return true
        }
        return false
    }

    /// `__purge_vmap_area_lazy()`: returns every lazily freed range to the free space.
    public mutating func purgeLazyVmapAreas() {
        let purged = vmapSpace.areas.filter(\.isLazilyFreed)
        guard !purged.isEmpty else { return }
        vmapSpace.removeLazilyFreed()
        let pages = vmapSpace.lazyPages
        vmapSpace.lazyPages = 0
        if events.isRecording { record(.vmapPurged(areas: purged.count, pages: pages)) }
    }

    /// `/proc/vmallocinfo`: busy areas by address, then the lazily freed ones as `unpurged vm_area`.
    public func vmallocinfo() -> String {
        var out = ""
        for area in vmapSpace.areas where !area.isLazilyFreed {
            out += "0x" + area.start.description + "-0x" + area.end.description + " "
                + pad(String(area.size), 7) + " " + name(of: area.caller) + " pages=\(area.pages.count) vmalloc"
            if area.pageArrayIsVmalloc { out += " vpages" }
            out += " N0=\(area.pages.count)\n"
        }
        for area in vmapSpace.areas where area.isLazilyFreed {
            out += "0x" + area.start.description + "-0x" + area.end.description + " "
                + pad(String(area.size), 7) + " unpurged vm_area\n"
        }
        return out
    }
}
