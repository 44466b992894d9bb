/// Consistency checks of the vmalloc space against the frames.
extension Machine {
    /// Busy areas own their pages, no two areas overlap, and the lazily freed pages add up.
    /// - Throws: ``InvariantViolation`` naming the first problem.
    /// - Complexity: O(areas + vmalloc pages).
    func validateVmapInvariants() throws(InvariantViolation) {
        var lastEnd = VirtualAddress.null
        var lazy = 0
        for area in vmapSpace.areas {
            guard area.start >= lastEnd else { throw Self.fail("vmap areas overlap at \(area.start)") }
            lastEnd = area.end
            if area.isLazilyFreed { lazy += area.size / Page.size; continue }
            for p in area.pages where frames[Int(p)].owner != .vmalloc {
                throw Self.fail("vmalloc area \(area.start) page \(p) owned by \(frames[Int(p)].owner)")
            }
        }
        guard lazy == vmapSpace.lazyPages else { throw Self.fail("lazy pages \(vmapSpace.lazyPages) but areas hold \(lazy)") }
    }
}
