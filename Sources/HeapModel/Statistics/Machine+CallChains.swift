extension Machine {
    /// The call chains that reached `site`, the most frequent first, each starting at the site's
    /// own frame (the allocator's frames above it left out) when the chain has that frame.
    /// - Complexity: O(recorded (site, stack) pairs).
    public func callChains(of site: CallSite) -> [CallStacks.SiteStack] {
        let name = self.name(of: site)
        return callStacks.stacks(of: site).map { s in
            guard let k = s.frames.firstIndex(of: name) else { return s }
            return CallStacks.SiteStack(frames: Array(s.frames[k...]), count: s.count)
        }
    }

    /// The most frequent call chain of `site` as text: a heading naming the site, how many of its
    /// traced calls took this chain and how many chains there were, then up to `maxFrames` frames,
    /// one a line, indented. Empty when the trace recorded no chain for the site.
    public func callChainLines(of site: CallSite, maxFrames: Int) -> [String] {
        let chains = callChains(of: site)
        guard let top = chains.first else { return [] }
        let calls = chains.reduce(0) { $0 + $1.count }
        var out = ["call chain of \(name(of: site)) (\(top.count) of \(calls) traced calls; \(chains.count) distinct):"]
        out += top.frames.prefix(maxFrames).map { "  " + $0 }
        if top.frames.count > maxFrames { out.append("  ... \(top.frames.count - maxFrames) more") }
        return out
    }

    /// The most frequent call chain of each of the `limit` sites the trace reached most often
    /// (allocations and frees alike), `frames` frames at most each, and what the bounds left out;
    /// empty when the trace recorded no chains (only `perf script -g` has them).
    public func callChainReport(limit: Int = 10, frames: Int = 12) -> String {
        guard !callStacks.isEmpty else { return "" }
        var out = ""
        for (site, _) in callStacks.sitesByCalls().prefix(limit) {
            out += callChainLines(of: site, maxFrames: frames).joined(separator: "\n") + "\n"
        }
        let s = callStacks
        out += "\(s.stackCount) distinct chains"
        if s.droppedFrames > 0 || s.droppedStacks > 0 {
            out += "; left out: \(s.droppedFrames) frames past \(CallStacks.maxDepth) deep, \(s.droppedStacks) chains past the bounds"
        }
        return out + "\n"
    }
}
