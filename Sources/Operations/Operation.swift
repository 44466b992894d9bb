import Allocators
import HeapModel

/// One operation memtop runs on a machine: an allocator call with its arguments, a page
/// allocation, a write into allocated memory, or a line of a lesson's narration.
///
/// Workloads, memtop's own trace format, lessons and `memtop record` all speak in these values;
/// ``OperationRunner`` applies them to a machine, and the trace format's codec (in `Traces`) reads
/// and writes them as `op key=value` lines. Call sites are the names ftrace prints
/// (`symbol+0xoff/0xsize`), interned when the operation runs; `nil` is the machine's default site.
public enum Operation: Hashable, Sendable {
    /// `kmalloc(size, flags)`.
    case kmalloc(Handle, size: Int, flags: GFPFlags, site: String?)
    /// `kfree(p)`.
    case kfree(Handle, site: String?)
    /// `krealloc(p, size, flags)`.
    case krealloc(Handle, size: Int, flags: GFPFlags, site: String?)
    /// `vmalloc(size)` with an alignment (`__vmalloc_node_range`'s `align`).
    case vmalloc(Handle, size: Int, align: Int, flags: GFPFlags, site: String?)
    /// `vfree(p)`.
    case vfree(Handle, site: String?)
    /// `vrealloc(p, size, flags)` with an alignment.
    case vrealloc(Handle, size: Int, align: Int, flags: GFPFlags, site: String?)
    /// `kvmalloc(size, flags)` with an alignment.
    case kvmalloc(Handle, size: Int, align: Int, flags: GFPFlags, site: String?)
    /// `kvfree(p)`.
    case kvfree(Handle, site: String?)
    /// `kvrealloc`: `oldSize` is 6.1's caller-supplied old size (nil: the live allocation's),
    /// `rules` whose kvrealloc to follow (nil: the machine's kernel).
    case kvrealloc(Handle, size: Int, align: Int, flags: GFPFlags, oldSize: Int?, rules: KernelVersion?, site: String?)
    /// `kmem_cache_create(name, size, align, flags, ctor)`.
    case kmemCacheCreate(CacheSpecification)
    /// `kmem_cache_alloc(cache, flags)`; the cache by the name it was created under.
    case kmemCacheAlloc(cache: String, Handle, flags: GFPFlags, site: String?)
    /// `kmem_cache_free(cache, p)`.
    case kmemCacheFree(cache: String, Handle, site: String?)
    /// `alloc_pages(flags, order)`: a buddy block, owned by a kernel user or by "outside" users
    /// (page cache, user memory).
    case allocPages(Handle, order: Order, flags: GFPFlags, owner: PageUse)
    /// `__free_pages(page, order)` of a block `allocPages` made; a `.pointer` handle is a pfn.
    case freePages(Handle)
    /// The Rust `Allocator::realloc` of `allocator`: `pointer` nil allocates.
    case rustRealloc(allocator: AllocatorKind, Handle?, layout: Layout, oldLayout: Layout, flags: GFPFlags)
    /// An operation on a Rust vector of `u64` named `vec`, on `allocator`'s memory.
    case vector(VectorOperation, vec: String, allocator: AllocatorKind, flags: GFPFlags)
    /// Writes bytes into allocated memory.
    case write(Handle, bytes: [UInt8])
    /// A line of a lesson: narration, a bookmark, a pause or a question.
    case narrate(Narration)
    /// One allocation or free over a numbered range of ids (`id=o1..o64`).
    indirect case batch(Batch)

    /// Who owns the pages of an ``Operation/allocPages(_:order:flags:owner:)``.
    public enum PageUse: String, Hashable, Sendable, CaseIterable {
        /// A kernel user of `alloc_pages`.
        case pages
        /// Page cache or user memory: movable, outside the kernel's allocators.
        case outside
    }

    /// The Rust vector methods memtop's trace format can call.
    public enum VectorOperation: Hashable, Sendable {
        /// `push` `count` elements (each the vector's length before it).
        case push(count: Int)
        /// `reserve(additional)`.
        case reserve(additional: Int)
        /// `shrink_to_fit`.
        case shrink
        /// Drops the vector, freeing its buffer.
        case drop
    }

    /// The handle an allocation is known by, when this operation names one.
    public var handle: Handle? {
        switch self {
        case .kmalloc(let h, _, _, _), .kfree(let h, _), .krealloc(let h, _, _, _), .vmalloc(let h, _, _, _, _),
             .vfree(let h, _), .vrealloc(let h, _, _, _, _), .kvmalloc(let h, _, _, _, _), .kvfree(let h, _),
             .kvrealloc(let h, _, _, _, _, _, _), .kmemCacheAlloc(_, let h, _, _), .kmemCacheFree(_, let h, _),
             .allocPages(let h, _, _, _), .freePages(let h), .write(let h, _):
            return h
        case .rustRealloc(_, let h, _, _, _): return h
        case .kmemCacheCreate, .vector, .narrate, .batch: return nil
        }
    }
}
