import Operations
import TerminalUI

/// What a lesson's narration does in the viewer: lines in the log, stops at pauses and questions,
/// and a question's answer shown at the next key (as OSTEP's simulators show answers with -c).
struct LessonPlayer {
    /// The answer of the last question, until a key (or a seek past it) shows it.
    private(set) var pendingAnswer: String?

    /// What narration met on one step asks of the viewer.
    struct Effect {
        /// Lines for the log.
        var lines: [LogLine] = []
        /// Playing stops after this step.
        var stop = false
    }

    /// Takes the narration of one step; `throughPauses` (a seek) passes pauses and questions.
    mutating func absorb(_ narration: [Narration], throughPauses: Bool) -> Effect {
        var effect = Effect()
        for n in narration {
            if let text = n.logText { effect.lines.append(LogLine(kind: .narration, text: text)) }
            if n.kind == .ask { pendingAnswer = n.answer ?? "" }
            if n.stopsPlaying && !throughPauses { effect.stop = true }
        }
        return effect
    }

    /// The pending answer's log line, once: it is then shown.
    mutating func revealAnswer() -> LogLine? {
        guard let answer = pendingAnswer else { return nil }
        pendingAnswer = nil
        return LogLine(kind: .narration, text: "= " + answer)
    }
}
