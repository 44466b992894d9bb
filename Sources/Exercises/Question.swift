/// A question and the answer memtop's engine gives to it.
public struct Question: Hashable, Sendable {
    /// The question.
    public let text: String
    /// The answer, with a short explanation.
    public let answer: String

    /// A question with its answer.
    public init(_ text: String, answer: String) {
        self.text = text
        self.answer = answer
    }
}
