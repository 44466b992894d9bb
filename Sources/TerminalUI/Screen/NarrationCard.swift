/// One line of a lesson's narration as the narration pane shows it: the text, a question's answer
/// once a key has revealed it, and the /proc files the line shows, as they read at that moment.
public struct NarrationCard: Hashable, Sendable {
    /// What kind of line it was.
    public enum Kind: Hashable, Sendable {
        /// Narration (`say`), or a `pause` with text.
        case say
        /// A question (`ask`).
        case ask
        /// A bookmark (`mark`).
        case mark
    }

    /// A /proc file as it read when the line was played.
    public struct ShownFile: Hashable, Sendable {
        /// The path, e.g. `/proc/slabinfo`.
        public var path: String
        /// Its contents.
        public var text: String

        /// A shown file.
        public init(path: String, text: String) {
            self.path = path
            self.text = text
        }
    }

    /// The kind.
    public var kind: Kind
    /// The text, or the question.
    public var text: String
    /// A question's answer.
    public var answer: String?
    /// The answer has been revealed (by a key, or by going past the question).
    public var answerShown = false
    /// Files the line shows.
    public var files: [ShownFile]
    /// The operation after which the line was played.
    public var step: Int

    /// A card.
    public init(kind: Kind, text: String, answer: String? = nil, files: [ShownFile] = [], step: Int) {
        self.kind = kind
        self.text = text
        self.answer = answer
        self.files = files
        self.step = step
    }
}
