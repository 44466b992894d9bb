/// A line of a lesson: something to say, a bookmark, a pause for the teacher, or a question for
/// the class with its answer.
public struct Narration: Hashable, Sendable {
    /// What kind of line it is.
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        /// Narration shown in the log.
        case say
        /// A bookmark the viewer's `]` and `[` visit.
        case mark
        /// A pause: playing stops here until a key.
        case pause
        /// A question: playing stops, and the next key shows the answer.
        case ask
    }

    /// The kind.
    public var kind: Kind
    /// The text (the question, for `ask`); empty for a bare `pause`.
    public var text: String
    /// The answer of an `ask`.
    public var answer: String?
    /// The /proc files to show after this line (`show=slabinfo,buddyinfo`).
    public var show: [String]

    /// A narration line.
    public init(_ kind: Kind, text: String = "", answer: String? = nil, show: [String] = []) {
        self.kind = kind
        self.text = text
        self.answer = answer
        self.show = show
    }

    /// Whether playing stops at this line.
    public var stopsPlaying: Bool { kind == .pause || kind == .ask }
}

extension Narration {
    /// The line the viewer's log and a headless replay show: `? question`, `◆ bookmark` or the
    /// text; nil for a bare pause.
    public var logText: String? {
        switch kind {
        case .ask: "? " + text
        case .mark: "◆ " + text
        case .say, .pause: text.isEmpty ? nil : text
        }
    }
}
