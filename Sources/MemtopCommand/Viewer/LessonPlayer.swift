import HeapModel
import Operations
import TerminalUI

/// What a lesson's narration does in the viewer: cards in the narration pane and lines in the log,
/// stops at pauses, questions and (unless the lesson says `# say: continue`) narration, and a
/// question's answer shown at the next key (as OSTEP's simulators show answers with -c).
struct LessonPlayer {
    /// The most narration lines the pane can scroll back through.
    static let capacity = 200

    /// The answer of the last question, until a key (or a seek past it) shows it.
    private(set) var pendingAnswer: String?
    /// The narration so far, oldest first.
    private(set) var cards: [NarrationCard] = []
    /// `say` lines stop playing, so that a class reads them (`# say: continue` turns it off).
    var sayPauses = true

    /// What narration met on one step asks of the viewer.
    struct Effect {
        /// Lines for the log.
        var lines: [LogLine] = []
        /// Playing stops after this step.
        var stop = false
        /// A new card was added.
        var newCard = false
    }

    /// Takes the narration of step `step`; `throughPauses` (a seek) passes pauses and questions.
    /// The files a line shows are read from `machine` now, as they are at this step.
    mutating func absorb(_ narration: [Narration], step: Int, machine: Machine, throughPauses: Bool) -> Effect {
        var effect = Effect()
        for n in narration {
            if let text = n.logText { effect.lines.append(LogLine(kind: .narration, text: text)) }
            if n.kind == .ask { pendingAnswer = n.answer ?? "" }
            let files = n.show.compactMap { ProcFile(rawValue: $0) }.map {
                NarrationCard.ShownFile(path: $0.path, text: Lessons.shownText($0, machine: machine, narrow: true))
            }
            effect.newCard = add(n, files: files, step: step) || effect.newCard
            if (n.stopsPlaying || (n.kind == .say && sayPauses)) && !throughPauses { effect.stop = true }
        }
        return effect
    }

    /// Adds a card for `n`; a bare `pause` on the line right after another narration line adds its
    /// files to that line's card instead, so that text and table read together.
    mutating func add(_ n: Narration, files: [NarrationCard.ShownFile], step: Int) -> Bool {
        if n.kind == .pause && n.text.isEmpty {
            guard !files.isEmpty else { return false }
            if let last = cards.indices.last, step - cards[last].step <= 1 {
                cards[last].files += files
                return true
            }
        }
        let kind: NarrationCard.Kind = n.kind == .ask ? .ask : (n.kind == .mark ? .mark : .say)
        cards.append(NarrationCard(kind: kind, text: n.text, answer: n.answer, files: files, step: step))
        if cards.count > Self.capacity { cards.removeFirst(cards.count - Self.capacity) }
        return true
    }

    /// The pending answer's log line, once: it is then shown, in the log and on its card.
    mutating func revealAnswer() -> LogLine? {
        guard let answer = pendingAnswer else { return nil }
        pendingAnswer = nil
        if let k = cards.lastIndex(where: { $0.kind == .ask && !$0.answerShown }) { cards[k].answerShown = true }
        return LogLine(kind: .narration, text: "= " + answer)
    }

    /// Forgets the narration after `step` (going back in time). The questions before it were
    /// passed, so their answers show.
    mutating func rewind(to step: Int) {
        cards.removeAll { $0.step > step }
        for k in cards.indices where cards[k].kind == .ask { cards[k].answerShown = true }
        pendingAnswer = nil
    }
}
