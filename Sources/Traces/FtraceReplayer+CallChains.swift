import HeapModel

extension FtraceReplayer {
    /// Reads `d` as part of a `perf script -g` call chain: a frame joins the chain of the event
    /// awaiting it; any other line ends that chain and applies its event; an event `perf script`
    /// printed waits for its own chain.
    /// - Returns: whether `d` is dealt with (else the caller applies it as usual).
    /// - Throws: as ``apply(bytes:line:strict:to:)``, for the awaiting event or a malformed frame.
    mutating func readCallChain(_ d: DecodedLine, bytes: UnsafeBufferPointer<UInt8>, errors: [TraceInputError],
                                strict: Bool, to machine: inout Machine) throws(TraceInputError) -> Bool {
        let error = d.error >= 0 ? errors[Int(d.error)] : nil
        if d.kind == .frame {
            tally.lines = d.line
            if let error { try malformed(error, strict: strict); return true }
            // Frames under an event memtop does not read (or under none) are passed over.
            if chains.holding { addFrame(d, bytes: bytes, to: &machine) }
            return true
        }
        if chains.holding { try finishCallChain(strict: strict, on: &machine) }
        guard d.chainMayFollow && d.kind == .event else { return false }
        let keeps = error == nil && !d.skip && CallChainReader.hasSite(d.event)
        chains.pending = CallChainReader.Pending(d: d, bytes: Array(bytes), error: error, keepsChain: keeps)
        chains.holding = true
        return true
    }

    /// Applies the event still awaiting the end of its call chain, if any: the end of the input
    /// ends its chain. A replay calls it once its input is done (``replayAll(from:upTo:strict:rewind:on:afterLine:)``
    /// does at the input's end).
    /// - Throws: as ``apply(bytes:line:strict:to:)``.
    public mutating func finishCallChain(strict: Bool, on machine: inout Machine) throws(TraceInputError) {
        guard var p = chains.pending else { return }
        chains.pending = nil
        chains.holding = false
        if p.keepsChain { chainSite = recordChain(&p, on: &machine) }
        defer { chainSite = nil }
        let lines = tally.lines
        var failure: TraceInputError?
        p.bytes.withUnsafeBufferPointer { bytes in
            // The event's error, if it had one, travels with it (its block's errors are gone).
            var d = p.d
            d.error = p.error == nil ? -1 : 0
            do throws(TraceInputError) {
                try applyLine(d, bytes: bytes, errors: p.error.map { [$0] } ?? [], strict: strict, to: &machine)
            } catch { failure = error }
        }
        tally.lines = max(lines, tally.lines)
        if let failure { throw failure }
    }

    /// Adds frame `d` to the awaiting event's chain, within the depth and name bounds.
    mutating func addFrame(_ d: DecodedLine, bytes: UnsafeBufferPointer<UInt8>, to machine: inout Machine) {
        guard chains.pending!.keepsChain else { return }   // page events: frames read, not kept
        guard chains.pending!.frames.count < CallStacks.maxDepth else { chains.pending!.dropped += 1; return }
        if let id = chains.frameIDs[d.siteHash] { chains.pending!.frames.append(id); return }
        let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[Int(d.siteStart)..<Int(d.siteEnd)]), as: UTF8.self)
        guard let id = machine.callStacks.frame(name) else { chains.pending!.dropped += 1; return }
        // A call site is a kernel function perf could name, outside the allocator.
        let outside = d.a == 1 && d.b == 0 && !AllocatorFrames.contains(name[...])
        let tagged = id | (outside ? CallChainReader.outsideAllocator : 0)
        chains.frameIDs.updateValue(tagged, forKey: d.siteHash)
        chains.pending!.frames.append(tagged)
    }

    /// Interns the chain of `p`, counts it at its call site, and returns that site: the chain's
    /// first frame outside the allocator, or nil (keep `call_site=`) when the chain has none.
    mutating func recordChain(_ p: inout CallChainReader.Pending, on machine: inout Machine) -> CallSite? {
        if p.dropped > 0 { machine.callStacks.noteDroppedFrames(p.dropped) }
        guard !p.frames.isEmpty else { return nil }
        var site: CallSite?
        if let first = p.frames.first(where: { $0 & CallChainReader.outsideAllocator != 0 }) {
            let id = first & ~CallChainReader.outsideAllocator
            if let known = chains.frameSites[id] { site = known } else {
                let s = machine.callSite(machine.callStacks.frameNames[Int(id)])
                chains.frameSites[id] = s
                site = s
            }
        }
        let ids = p.frames.map { $0 & ~CallChainReader.outsideAllocator }
        let hash = CallChainReader.hash(ids)
        var stack = chains.stackIDs[hash]
        if stack == nil, let s = machine.callStacks.stack(ids) {
            chains.stackIDs.updateValue(s, forKey: hash)
            stack = s
        }
        let d = p.d
        let traced = p.bytes.withUnsafeBufferPointer { bytes in self.site(d, bytes, &machine) }
        if let stack { machine.callStacks.note(stack, at: site ?? traced) } else { machine.callStacks.noteDropped() }
        if let site { noteChainSite(site, traced: traced, d: d, in: machine) }
        return site
    }

    /// Counts an event whose chain named its site, and the pairs where it differs from `call_site=`.
    mutating func noteChainSite(_ site: CallSite, traced: CallSite, d: DecodedLine, in machine: Machine) {
        tally.chainedEvents += 1
        guard site != traced, d.siteEnd > d.siteStart else { return }
        func function(_ s: CallSite) -> Substring { machine.name(of: s).prefix { $0 != "+" } }
        let pair = "\(function(traced)) -> \(function(site))"
        let key = tally.chainSitesDiffering.count < 64 || tally.chainSitesDiffering[pair] != nil ? pair : "(other)"
        tally.chainSitesDiffering[key, default: 0] += 1
    }
}
