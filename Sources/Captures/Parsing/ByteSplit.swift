/// Splitting text at ASCII bytes by walking its UTF-8 storage: the standard library's generic
/// `split` on a UTF-8 view goes through a closure and a slice per byte, which made it most of the
/// cost of reading a capture's /proc files. Cutting at ASCII bytes keeps every piece valid text.
extension Substring {
    /// The pieces between the bytes for which `isSeparator` holds; with `omittingEmpty`, runs of
    /// separators count once and no piece is empty (as `split` does).
    func pieces(omittingEmpty: Bool, _ isSeparator: (UInt8) -> Bool) -> [Substring] {
        var result: [Substring] = []
        let view = utf8
        let done: Void? = view.withContiguousStorageIfAvailable { bytes in
            var start = 0
            var index = view.startIndex
            for i in 0..<bytes.count where isSeparator(bytes[i]) {
                if !(omittingEmpty && i == start) { result.append(Substring(view[index..<view.index(index, offsetBy: i - start)])) }
                index = view.index(index, offsetBy: i + 1 - start)
                start = i + 1
            }
            if !(omittingEmpty && start == bytes.count) { result.append(Substring(view[index..<view.endIndex])) }
        }
        if done == nil {
            // Not contiguous (a bridged string): the standard split.
            return view.split(omittingEmptySubsequences: omittingEmpty, whereSeparator: isSeparator).map(Substring.init)
        }
        return result
    }
}
