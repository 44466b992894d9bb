/// The parsers of a capture's files, one static function per file, each over the file's text.
///
/// They take text rather than a path so that memtop's own rendered `/proc` files, which are
/// byte-compatible with the kernel's, go through the same code as a real capture's. Each takes a
/// `file` label used only in errors (the bundle reader passes `start/zoneinfo.txt`, a caller
/// parsing memtop's output may pass `memtop buddyinfo`), and throws a ``CaptureError`` naming that
/// label, the 1-based line and what was expected there.
///
/// The parsers are strict about the shape of every line they understand and refuse lines they do
/// not, so a truncated or mangled dump fails at the line that is wrong instead of yielding a
/// quietly smaller state. Numbers that the kernel prints unsigned are refused when negative.
public enum ProcParser {}
