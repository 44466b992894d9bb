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

    /// Appends an event when recording. Allocators record their API-level events through this.
    package mutating func record(_ kind: HeapEvent.Kind) {
        guard events.isRecording else { return }
        events.pending.append(HeapEvent(sequence: events.nextSequence, kind: kind))
        events.nextSequence &+= 1
    }
}
