import Allocators
import HeapModel
import Operations

/// `misuse`: every contract violation once, each reported and survived: double free, interior
/// free, kfree of a vmalloc address, vfree of a kmalloc address, a Rust realloc that grows the
/// alignment, a free with the wrong layout, and a pointer passed to the wrong allocator type.
struct MisuseWorkload: WorkloadRun {
    private var stage = 0
    static let site = "misuse_demo+0x10/0x80"

    mutating func step(_ ops: inout OperationRunner, _ machine: inout Machine) -> Bool {
        let site = Self.site
        func kmalloc(_ size: Int) -> Operation { .kmalloc(OperationRunner.fresh, size: size, flags: .kernel, site: site) }
        switch stage {
        case 0:
            if let p = ops.run(kmalloc(64), &machine).address {
                ops.run(.kfree(Handle(p), site: site), &machine)
                ops.run(.kfree(Handle(p), site: site), &machine)                      // double free
            }
        case 1:
            if let p = ops.run(kmalloc(128), &machine).address {
                ops.run(.kfree(Handle(p.advanced(by: 16)), site: site), &machine)     // interior pointer
                ops.run(.kfree(Handle(p), site: site), &machine)
            }
        case 2:
            if let v = ops.run(.vmalloc(OperationRunner.fresh, size: 8192, align: 1, flags: .kernel, site: site), &machine).address {
                ops.run(.kfree(Handle(v), site: site), &machine)                      // kfree of a vmalloc address
                ops.run(.vfree(Handle(v), site: site), &machine)
            }
        case 3:
            if let p = ops.run(kmalloc(64), &machine).address {
                ops.run(.vfree(Handle(p), site: site), &machine)                      // vfree of a kmalloc address
                ops.run(.kfree(Handle(p), site: site), &machine)
            }
        case 4:
            rustMisuse(&ops, &machine)
        default:
            return false
        }
        stage += 1
        return true
    }

    /// A Rust realloc that grows the alignment (reported, then done as the kernel does), a free with
    /// the wrong layout, a free through the wrong allocator type, then the right free.
    func rustMisuse(_ ops: inout OperationRunner, _ machine: inout Machine) {
        let small = Layout(size: 64, align: 8)!
        func realloc(_ kind: AllocatorKind, _ p: VirtualAddress?, _ layout: Layout, _ old: Layout) -> Operation {
            // A free is a realloc to the unit layout with no flags, as `Allocator::free` makes it.
            .rustRealloc(allocator: kind, p.map(Handle.init), layout: layout, oldLayout: old, flags: layout.size == 0 ? [] : .kernel)
        }
        guard let a = ops.run(realloc(.kmalloc, nil, small, .unit), &machine).address else { return }
        // The alignment growth is reported as the v3 rule; the kernel's krealloc then goes on.
        let grown = Layout(size: 128, align: 64)!
        guard let b = ops.run(realloc(.kmalloc, a, grown, small), &machine).address else { return }
        ops.run(realloc(.kmalloc, b, .unit, Layout(size: 100, align: 8)!), &machine)   // wrong layout
        ops.run(realloc(.kvmalloc, b, .unit, grown), &machine)                         // wrong allocator
        ops.run(realloc(.kmalloc, b, .unit, grown), &machine)
    }
}
