/// The machine's event log: recording on and off, taking the pending events, appending one.
extension Machine {
    /// Turns event recording on or off.
    public mutating func setRecording(_ on: Bool) { events.isRecording = on }

    /// Returns the pending events and clears them.
    public mutating func takeEvents() -> [HeapEvent] {
        let out = events.pending
        events.pending.removeAll(keepingCapacity: true)
        return out
    }

    /// Records from now on by adding each event to `report` rather than keeping it: for a run
    /// whose one reader of the events is that report (a headless replay that writes no events,
    /// timeline or log), so that no event value is made, kept and read again. ``takeEvents()``
    /// then returns nothing; ``takeTally()`` ends it.
    public mutating func tallyEvents(into report: AllocationReport) {
        events.tally = report
        events.isRecording = true
    }

    /// The report events were tallied into since ``tallyEvents(into:)``, if they were; recording
    /// goes back to keeping events.
    public mutating func takeTally() -> AllocationReport? {
        defer { events.tally = nil }
        return events.tally
    }

    /// Records an event a tally has no use for (pages taken, freed, split and merged, slabs made
    /// and destroyed, frees): built only when events are kept, so that a tallied run neither makes
    /// nor numbers it. Whether an event is tallied is decided here, not at each call.
    @inline(__always) package mutating func recordUntallied(_ kind: @autoclosure () -> HeapEvent.Kind) {
        guard events.keepsEvents else { return }
        record(kind())
    }

    /// Appends an event when recording. Allocators record their API-level events through this.
    package mutating func record(_ kind: HeapEvent.Kind) {
        guard events.isRecording else { return }
        let sequence = events.nextSequence
        events.nextSequence &+= 1
        if events.tally != nil {
            events.tally!.absorb(kind, caches: caches)
            return
        }
        events.pending.append(HeapEvent(sequence: sequence, kind: kind))
    }
}
