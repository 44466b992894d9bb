/// Bytes stored once and never moved, for the printer's caches (formatted call sites, GFP flag
/// names, `comm-pid` columns): a cached entry can be printed from while another is being made.
///
/// # Invariants
/// Every slab stays allocated, and every returned range valid, until `deinit`.
final class ByteArena {
    private var slabs: [UnsafeMutableRawPointer] = []
    private var current: UnsafeMutableRawPointer?
    private var used = 0
    private var size = 0
    private static let slabSize = 1 << 16

    init() {}

    deinit {
        for s in slabs { s.deallocate() }
        scratchSpace.deallocate()
    }

    /// A copy of `bytes` that stays where it is.
    func store(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        let n = bytes.count
        let slab: UnsafeMutableRawPointer
        if let c = current, used + n <= size {
            slab = c
        } else {
            size = max(ByteArena.slabSize, n)
            slab = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
            slabs.append(slab)
            current = slab
            used = 0
        }
        let p = slab + used
        if let src = bytes.baseAddress, n > 0 { p.copyMemory(from: src, byteCount: n) }
        used += n
        return UnsafeRawBufferPointer(start: p, count: n)
    }

    func store(_ bytes: [UInt8]) -> UnsafeRawBufferPointer { bytes.withUnsafeBytes { store($0) } }

    /// A copy of `bytes` (at most 64 KiB of them) in one reused place, valid until the next call:
    /// for text a full cache does not keep.
    func scratch(_ bytes: [UInt8]) -> UnsafeRawBufferPointer {
        let n = min(bytes.count, ByteArena.slabSize)
        bytes.withUnsafeBytes { if let b = $0.baseAddress { scratchSpace.copyMemory(from: b, byteCount: n) } }
        return UnsafeRawBufferPointer(start: scratchSpace, count: n)
    }

    private let scratchSpace = UnsafeMutableRawPointer.allocate(byteCount: ByteArena.slabSize, alignment: 16)
}
