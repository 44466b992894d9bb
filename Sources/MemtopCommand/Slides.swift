import HeapModel
import TerminalUI

#if canImport(Glibc)
import Glibc
#endif

/// `memtop demo LESSON --slides DIR`: the lesson played as the viewer plays it, one slide at each
/// place it stops (a `say`, `ask` or `pause`; a bare `pause` shows the line before it with its
/// files), with the projector theme at projector size. Each
/// slide is `DIR/NN.svg`, the whole screen with the narration pane; `DIR/index.html` is the deck:
/// the slides in order, each with its narration, its question, and the answer behind a click.
public enum Slides {
    /// The screen a slide shows, in cells (1440x900 pixels at 9x18 a cell).
    public static let size = (width: 160, height: 50)

    /// One stop of the lesson.
    struct Slide {
        var svg: String
        var card: NarrationCard?
        var step: Int
    }

    /// Plays `lesson` and writes its slides and deck into `directory` (made if missing).
    /// - Returns: how many slides were written.
    /// - Throws: ``RunFailure`` when the lesson fails or a file cannot be written.
    @discardableResult
    public static func write(_ lesson: Lessons.Lesson, configuration: MachineConfiguration, to directory: String) throws -> Int {
        let slides = try play(lesson, configuration: configuration)
        if mkdir(directory, 0o755) != 0 && errno != EEXIST {
            throw RunFailure("cannot make \(directory): \(String(cString: strerror(errno)))")
        }
        for (k, slide) in slides.enumerated() {
            try writeFile(directory + "/" + name(k) + ".svg", slide.svg)
        }
        try writeFile(directory + "/index.html", deck(slides, title: lesson.title))
        return slides.count
    }

    /// The slide file's name: `01`, `02`, ...
    static func name(_ k: Int) -> String { (k + 1 < 10 ? "0" : "") + String(k + 1) }

    /// The lesson's stops, each rendered as the viewer shows it when it stops there.
    static func play(_ lesson: Lessons.Lesson, configuration: MachineConfiguration) throws -> [Slide] {
        let request = ViewerRequest(source: .trace(lesson.path), configuration: configuration, seed: 1, projector: true)
        var session = try ViewerSession(request, theme: Theme(mode: .full256, projector: true))
        var slides: [Slide] = []
        while !session.status.finished {
            session.state.playing = true
            session.advance(Int.max)
            if let error = session.traceError { throw RunFailure(error) }
            // Playing stops only at narration, or at the end (which is no stop of its own).
            if session.status.finished && session.state.playing == false && slides.last?.step == session.status.step { break }
            guard !session.status.finished || session.snapshot().narration.last?.step == session.status.step else { break }
            let svg = ScreenExport.svg(session.render(width: size.width, height: size.height))
            slides.append(Slide(svg: svg, card: session.snapshot().narration.last, step: session.status.step))
            // The next key: shows a question's answer (the deck has it), then goes on.
            _ = session.handle(.char(" "))
        }
        return slides
    }

    /// The HTML deck: one section a slide, arrow keys and Page Up/Down move between them.
    static func deck(_ slides: [Slide], title: String) -> String {
        var out = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>\(html(title))</title>\n<style>"
        out += "body{margin:0;background:#101010;color:#e5e5e5;font-family:sans-serif}"
        out += "section{min-height:100vh;padding:2vh 3vw;box-sizing:border-box;scroll-snap-align:start}"
        out += "html{scroll-snap-type:y mandatory}img{width:100%;max-height:70vh;object-fit:contain}"
        out += "p{font-size:2.2vh}details{font-size:2.2vh;color:#ffffaf}</style></head><body>\n"
        out += "<section><h1>\(html(title))</h1><p>\(slides.count) slides: arrow keys or Page Down to go on.</p></section>\n"
        for (k, slide) in slides.enumerated() {
            out += "<section id=\"s\(k + 1)\"><h2>\(k + 1). " + (slide.card?.kind == .ask ? "Question" : "After line \(slide.step)") + "</h2>\n"
            if let card = slide.card {
                out += "<p>\(html(card.kind == .ask ? "Q: " + card.text : card.text))</p>\n"
                if card.kind == .ask, let answer = card.answer {
                    out += "<details><summary>Answer</summary><p>\(html(answer))</p></details>\n"
                }
            }
            out += "<img src=\"\(name(k)).svg\" alt=\"memtop's screen after line \(slide.step)\"></section>\n"
        }
        out += "<script>document.addEventListener('keydown',e=>{const s=[...document.querySelectorAll('section')];"
        out += "const i=s.findIndex(x=>x.getBoundingClientRect().top>=-5);"
        out += "if(['ArrowDown','ArrowRight','PageDown',' '].includes(e.key)){e.preventDefault();s[Math.min(i+1,s.length-1)].scrollIntoView()}"
        out += "if(['ArrowUp','ArrowLeft','PageUp'].includes(e.key)){e.preventDefault();s[Math.max(i-1,0)].scrollIntoView()}});</script>\n"
        return out + "</body></html>\n"
    }

    /// Text made safe for HTML.
    static func html(_ text: String) -> String {
        String(text.unicodeScalars.map { ScreenExport.escapeHTML($0) }.joined())
    }

    static func writeFile(_ path: String, _ text: String) throws {
        let writer = try TextFileWriter(path: path)
        writer.write(text)
        try writer.close()
    }
}
