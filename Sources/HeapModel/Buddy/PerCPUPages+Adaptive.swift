/// The per-CPU lists of 6.7 and later (``KernelVersion/adaptsPerCPUHigh``), whose `high` moves
/// with the traffic: 6.12 `mm/page_alloc.c` `free_unref_page_commit()`, `nr_pcp_high()`,
/// `nr_pcp_free()` and `nr_pcp_alloc()`.
///
/// Two zone flags are read from memtop's own counts instead of being kept: `ZONE_BELOW_HIGH`
/// (set by an allocation that finds the zone below its high watermark) as "free pages below the
/// high watermark", and `ZONE_RECLAIM_ACTIVE` (kswapd at work) as "free pages below the low
/// watermark". `decay_pcp_high()`, which the vmstat timer runs every second, is not modelled:
/// `high` falls only through the free path.
extension Machine {
    /// `free_unref_page_commit()` after the block is on the list: the high-order heuristic, the
    /// list's `high` for this free, and the drain when the list is at it.
    mutating func commitAdaptiveFree(_ k: Int, order: Int, zone z: Int, cpu: Int, list: Int) {
        perCPU.allocFactor[k] >>= 1
        let batch = perCPU.batch[k]
        var freeHigh = false
        if order > 0 && order <= PerCPUPages.maxOrder {
            // PCPF_FREE_HIGH_BATCH (a CPU cache slice above 3 batches) is taken as unset.
            freeHigh = perCPU.freeCount[k] >= batch && perCPU.previousFreeWasHighOrder[k]
            perCPU.previousFreeWasHighOrder[k] = true
        } else {
            perCPU.previousFreeWasHighOrder[k] = false
        }
        if perCPU.freeCount[k] < batch << PerCPUPages.batchScaleMax { perCPU.freeCount[k] += 1 << order }
        let high = adaptiveHigh(k, zone: z, freeHigh: freeHigh)
        guard perCPU.pages[k] >= high else { return }
        let pages: Int
        if freeHigh {
            pages = min(perCPU.pages[k], batch << PerCPUPages.batchScaleMax)
        } else if high < batch {
            pages = 1
        } else {
            pages = min(max(perCPU.freeCount[k], batch), high - batch)
        }
        drainPerCPU(zone: z, cpu: cpu, pages: pages, first: list)
    }

    /// `nr_pcp_high()`: the list's `high` for a free, moving `pcp->high` on the way.
    mutating func adaptiveHigh(_ k: Int, zone z: Int, freeHigh: Bool) -> Int {
        let (highMin, highMax, batch) = (perCPU.highMin[k], perCPU.highMax[k], perCPU.batch[k])
        var high = clampHigh(k)
        if high == 0 { return 0 }
        if freeHigh {
            perCPU.high[k] = max(high - (batch << PerCPUPages.batchScaleMax), highMin)
            return 0
        }
        let free = zones[z].freePages, marks = zones[z].watermarks
        if free < marks.low {
            perCPU.high[k] = max(high - max(perCPU.freeCount[k], batch), highMin)
            return min(batch << 2, perCPU.high[k])
        }
        if highMin == highMax { return high }
        if free < marks.high {
            perCPU.high[k] = max(high - max(perCPU.freeCount[k], batch), highMin)
            high = max(perCPU.pages[k], highMin)
        } else if perCPU.pages[k] >= high {
            let needed = perCPU.freeCount[k] + batch
            if perCPU.high[k] < needed { perCPU.high[k] = min(max(needed, highMin), highMax) }
        }
        return high
    }

    /// `nr_pcp_alloc()`: how many blocks of `order` a refill of zone-CPU `k` takes, growing `high`
    /// and `alloc_factor` as the kernel does.
    mutating func adaptiveRefillCount(_ k: Int, zone z: Int, order: Int) -> Int {
        let base = perCPU.batch[k], highMin = perCPU.highMin[k], highMax = perCPU.highMax[k]
        var high = clampHigh(k)
        if high < base { return 1 }
        var batch = order > 0 ? base : base << perCPU.allocFactor[k]
        if highMin != highMax && zones[z].freePages >= zones[z].watermarks.high {
            high = min(high + batch, highMax)
            perCPU.high[k] = high
        }
        if order == 0 {
            let most = max(high - perCPU.pages[k] - base, base)
            if batch <= most && perCPU.allocFactor[k] < PerCPUPages.batchScaleMax { perCPU.allocFactor[k] += 1 }
            batch = min(batch, most)
        }
        return batch > 1 ? max(batch >> order, 2) : batch
    }

    /// `pcp->high = clamp(pcp->high, high_min, high_max)`, as both `nr_pcp_high()` and
    /// `nr_pcp_alloc()` begin.
    private mutating func clampHigh(_ k: Int) -> Int {
        perCPU.high[k] = min(max(perCPU.high[k], perCPU.highMin[k]), perCPU.highMax[k])
        return perCPU.high[k]
    }
}
