import HeapModel
import TerminalUI

/// Writing the screen of a machine to a file, for `--export` and the viewer's `e`.
public enum Export {
    /// Renders the 160x50 screen of `machine` and writes it as SVG, text or HTML by the extension.
    /// - Throws: ``RunFailure`` for an unknown extension or an unwritable file.
    public static func write(machine: Machine, source: String, steps: Int, log: [LogLine], to path: String,
                             projector: Bool = false, width: Int = 160, height: Int = 50) throws {
        var state = ViewState()
        state.playing = false
        let snapshot = FrameSnapshot(machine: machine, status: StatusInfo(source: source, step: steps, total: steps, speed: 0,
                                                                          playing: false, finished: true), log: log)
        let buffer = Screen.render(snapshot, state: state, theme: Theme(mode: .full256, projector: projector), width: width, height: height).0
        try write(buffer, machine: machine, title: "memtop — \(source)", to: path)
    }

    /// Writes `buffer` as SVG, text or HTML by the extension of `path`.
    public static func write(_ buffer: CellBuffer, machine: Machine, title: String, to path: String) throws {
        let text: String
        if path.hasSuffix(".svg") { text = ScreenExport.svg(buffer) }
        else if path.hasSuffix(".txt") { text = buffer.text + "\n" }
        else if path.hasSuffix(".html") {
            let files: [ProcFile] = [.slabinfo, .buddyinfo, .extfragIndex, .unusableIndex, .vmallocinfo]
            text = ScreenExport.html(buffer, title: title, files: files.map { ($0.path, $0.render(machine)) })
        } else {
            throw RunFailure("--export \(path): expected a file ending in .svg, .txt or .html")
        }
        let writer = try TextFileWriter(path: path)
        writer.write(text)
        try writer.close()
    }
}
