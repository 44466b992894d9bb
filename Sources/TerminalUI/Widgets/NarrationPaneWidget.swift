/// A lesson's narration where a class can read it: a pane across the bottom of the screen, above
/// the event log, sized to the wrapped text. It shows the newest line (or one scrolled back to with
/// `{`), its question's answer once revealed, and, while playing is stopped, the /proc files the
/// line shows. It stays until the next narration line replaces it; Esc hides it until then.
public struct NarrationPaneWidget: Widget {
    /// The lesson's narration so far, oldest first.
    public let cards: [NarrationCard]
    /// What a step is (`line` or `op`), for the title.
    public let counter: String
    /// Lines scrolled back from the newest (`{` and `}`).
    public let back: Int
    /// The pane is hidden (Esc) until the next line.
    public let hidden: Bool
    /// Playing (the shown files appear only while stopped or scrolled back).
    public let playing: Bool
    /// The fewest rows the pane may take when it must cut its lines: the event log's height, which it covers.
    public let minimumRows: Int
    /// Colours.
    public let theme: Theme

    /// A narration pane of `cards`.
    public init(cards: [NarrationCard], counter: String, back: Int = 0, hidden: Bool = false, playing: Bool, minimumRows: Int,
                theme: Theme) {
        self.cards = cards
        self.counter = counter
        self.back = back
        self.hidden = hidden
        self.playing = playing
        self.minimumRows = minimumRows
        self.theme = theme
    }

    /// The card the pane shows, scrolled `back` lines from the newest, if any.
    public static func card(_ cards: [NarrationCard], back: Int) -> NarrationCard? {
        guard !cards.isEmpty else { return nil }
        return cards[max(0, cards.count - 1 - back)]
    }

    /// Draws the pane over the bottom of `area` (the whole screen), unless there is nothing to
    /// show or it is hidden.
    public func render(area: Rect, buffer: inout CellBuffer) {
        guard !hidden, let card = Self.card(cards, back: back) else { return }
        let inner = area.width - 4
        let showFiles = back > 0 || !playing
        var lines = body(card, width: inner)
        let textCount = lines.count
        if showFiles { lines += files(card, width: inner) }
        // At most two thirds of the screen, never less than the log it covers.
        let limit = max(minimumRows, area.height * 2 / 3) - 2
        if lines.count > limit {
            let cut = lines.count - (max(limit, textCount + 1) - 1)
            lines = Array(lines.prefix(max(limit, textCount + 1) - 1))
            lines.append(Line(text: "… \(cut) more line\(cut == 1 ? "" : "s"): the handout (--headless) has them all", style: theme.muted))
        }
        let height = min(lines.count + 2, area.height - 1)
        let rect = Rect(x: area.x, y: area.y + area.height - height, width: area.width, height: height)
        buffer.fill(rect)
        buffer.box(rect, title: title(card), style: theme.focusedBorder)
        for (k, line) in lines.prefix(height - 2).enumerated() {
            buffer.put(line.text, x: rect.x + 2, y: rect.y + 1 + k, style: line.style, clip: rect.inner)
        }
        let hint = footer(card)
        if hint.count + 4 < area.width {
            buffer.put(" " + hint + " ", x: area.x + area.width - hint.count - 4, y: rect.y + height - 1, style: theme.muted)
        }
    }

    /// A line of the pane and its style.
    struct Line {
        var text: String
        var style: CellStyle
    }

    /// The title: where the card stands among the lesson's lines.
    func title(_ card: NarrationCard) -> String {
        let n = cards.count
        let k = (cards.lastIndex(of: card) ?? n - 1) + 1
        let what = card.kind == .ask ? "Question" : (card.kind == .mark ? "Mark" : "Lesson")
        return "\(what) — \(k) of \(n) so far, after \(counter) \(card.step)"
    }

    /// The text and the answer, wrapped.
    func body(_ card: NarrationCard, width: Int) -> [Line] {
        let text = card.kind == .ask ? "Q: " + card.text : card.text
        var lines = TextFit.wrap(text, width: width).map { Line(text: $0, style: theme.narration) }
        if card.kind == .ask {
            if card.answerShown, let answer = card.answer {
                lines += TextFit.wrap("A: " + answer, width: width).map { Line(text: $0, style: .plain) }
            } else {
                lines.append(Line(text: "(the answer comes at the next key)", style: theme.muted))
            }
        }
        return lines
    }

    /// The shown files: a heading each, then their lines, cut at the width (they are tables).
    func files(_ card: NarrationCard, width: Int) -> [Line] {
        var lines: [Line] = []
        for file in card.files {
            lines.append(Line(text: file.path, style: theme.header))
            for row in file.text.split(separator: "\n") { lines.append(Line(text: String(row.prefix(width)), style: .plain)) }
        }
        return lines
    }

    /// What the keys do here.
    func footer(_ card: NarrationCard) -> String {
        if back > 0 { return "{ earlier  } later  Esc hide" }
        if card.kind == .ask && !card.answerShown && !playing { return "any key: answer" }
        return playing ? "{ earlier  Esc hide" : "space: go on  { earlier  Esc hide"
    }
}
