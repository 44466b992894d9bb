/// Bytes owned on the heap: a section or a ring-buffer chunk after decompression.
///
/// # Invariants
/// `base` holds `capacity` bytes until `deinit`; `count` of them are valid.
final class DatBlob {
    let base: UnsafeMutableRawPointer
    let capacity: Int
    var count = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 1)
        base = UnsafeMutableRawPointer.allocate(byteCount: self.capacity, alignment: 16)
    }

    deinit { base.deallocate() }

    /// The valid bytes as ``DatBytes``.
    func bytes(bigEndian: Bool, file: String, place: String) -> DatBytes {
        DatBytes(base: UnsafeRawPointer(base), count: count, bigEndian: bigEndian, file: file, place: place)
    }
}
