/// The compiled programs by event id: owned by the table, reached through unmanaged references so
/// that printing an event does not retain and release its program.
///
/// # Invariants
/// `slots[i]` is nil or one of `owned`, which keeps it alive until `deinit`.
final class ProgramTable {
    let count: Int
    let slots: UnsafeMutablePointer<Unmanaged<EventProgram>?>
    private var owned: [EventProgram] = []

    init(count: Int) {
        self.count = count
        slots = UnsafeMutablePointer.allocate(capacity: max(count, 1))
        slots.initialize(repeating: nil, count: max(count, 1))
    }

    deinit { slots.deallocate() }

    func store(_ program: EventProgram, at id: Int) -> Unmanaged<EventProgram> {
        owned.append(program)
        let u = Unmanaged.passUnretained(program)
        slots[id] = u
        return u
    }
}
