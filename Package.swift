// swift-tools-version: 6.1
// memtop: the Linux kernel's memory allocators, simulated and drawn in the terminal.
import PackageDescription

let package = Package(
    name: "memtop",
    products: [
        .executable(name: "memtop", targets: ["memtop"]),
        // Libraries so that the separate Benchmarks package can depend on the simulation.
        .library(name: "HeapModel", targets: ["HeapModel"]),
        .library(name: "Allocators", targets: ["Allocators"]),
        .library(name: "Operations", targets: ["Operations"]),
        .library(name: "MemtopCommand", targets: ["MemtopCommand"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // The simulated machine: frames, zones, buddy allocator, events, /proc text. Imports nothing of
        // ours but the prefetch shim.
        .target(name: "HeapModel", dependencies: ["CPrefetch"]),
        // The kernel's allocator API (Kmalloc, Vmalloc, KVmalloc) as stateless policy over a Machine.
        .target(name: "Allocators", dependencies: ["HeapModel"]),
        // Typed operations (kmalloc ... kvrealloc, pages, Rust realloc, narration) and the runner that
        // applies them to a machine: what workloads, memtop traces, lessons and `record` speak.
        .target(name: "Operations", dependencies: ["HeapModel", "Allocators"]),
        // The workloads compiled into memtop (tour, slab-churn, ...), as sequences of operations; named
        // for what it holds, not after the `memtop workloads` command (which also lists assets/workloads).
        .target(name: "BuiltInWorkloads", dependencies: ["HeapModel", "Allocators", "Operations"]),
        // The cell buffer, widgets, screens, keys and the text backend: every screen testable as text.
        .target(name: "TerminalUI", dependencies: ["HeapModel"]),
        // Trace formats: ftrace text import and replay, the fidelity check, memtop's own format, and
        // trace-cmd's trace.dat (read natively and turned into ftrace text).
        .target(name: "Traces", dependencies: ["HeapModel", "Allocators", "Operations", "CPrefetch", "CMapGuard", "CZstd", "CZlib"]),
        // A cache-line prefetch, which Swift does not expose (header-only C).
        .target(name: "CPrefetch"),
        // The SIGBUS handler that keeps a mapped trace truncated under memtop from killing it (C: a
        // signal handler with siginfo, and the lock-free table it reads).
        .target(name: "CMapGuard"),
        // Capture bundles: a real kernel's /proc state around a traced workload, parsed, and the end-state
        // comparison between a real state and memtop's. Imports nothing of ours.
        .target(name: "Captures"),
        // The command line: subcommands, options, headless runs. A library so tests can parse and run it.
        .target(
            name: "MemtopCommand",
            dependencies: [
                "HeapModel", "Allocators", "Operations", "BuiltInWorkloads", "TerminalUI", "Traces", "Captures", "Reconstruction", "Exercises",
                "CMapGuard", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Seeded exercises (`memtop quiz`): operations and questions, answered by running them on a machine.
        .target(name: "Exercises", dependencies: ["HeapModel", "Allocators", "Operations", "Traces"]),
        // A machine rebuilt from a capture bundle's start/ state (/proc counts placed where memtop picks).
        .target(name: "Reconstruction", dependencies: ["HeapModel", "Allocators", "Captures"]),
        // Seeded mutation fuzzing of the input readers (the suite runs a short pass; memtop-fuzz runs long ones).
        .target(name: "Fuzzing", dependencies: ["HeapModel", "Allocators", "Traces", "MemtopCommand",
                                                .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .executableTarget(name: "memtop-fuzz", dependencies: ["Fuzzing", "HeapModel", "Allocators", "Traces"]),
        // zstd and zlib, for trace-cmd's compressed trace.dat (file version 7); only Traces/TraceDat imports them.
        .systemLibrary(name: "CZstd", providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        // ncursesw from libncurses-dev; only the terminal backend imports it.
        .systemLibrary(name: "CNcurses", providers: [.apt(["libncurses-dev"])]),
        // A release memtop carries its own Swift runtime: it runs on the machine under study without a
        // toolchain there, and starts without binding libswiftCore's symbols (4-6 ms a run, a tenth of a
        // small replay). FoundationEssentials (which swift-argument-parser imports) then needs its shims.
        .executableTarget(name: "memtop", dependencies: ["MemtopCommand", "TerminalUI", "CNcurses"],
                          linkerSettings: [.unsafeFlags(["-static-stdlib", "-use-ld=lld", "-l_FoundationCShims", "-l_FoundationCollections"],
                                                        .when(configuration: .release))]),
        .target(name: "MemtopTestSupport", dependencies: ["HeapModel", "Allocators", "TerminalUI"], path: "Tests/MemtopTestSupport"),
        .testTarget(name: "HeapModelTests", dependencies: ["HeapModel", "MemtopTestSupport"]),
        .testTarget(name: "AllocatorsTests", dependencies: ["Allocators", "HeapModel", "MemtopTestSupport"]),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI", "HeapModel", "Allocators", "BuiltInWorkloads", "MemtopTestSupport"],
                    exclude: ["Golden"]),
        .testTarget(name: "TracesTests", dependencies: ["Traces", "HeapModel", "Allocators", "Operations", "BuiltInWorkloads", "MemtopCommand", "Fuzzing", "TerminalUI",
                                                  "MemtopTestSupport", "CZstd", "CZlib"]),
        .testTarget(name: "CapturesTests", dependencies: ["Captures", "HeapModel", "Allocators", "MemtopTestSupport"]),
        .testTarget(name: "ExercisesTests", dependencies: ["Exercises", "HeapModel", "Allocators", "Operations", "Traces",
                                                     "MemtopTestSupport"]),
        // Runs the built memtop under tmux, as a person would, and scripts/memtop-capture on a fake machine.
        .testTarget(name: "EndToEndTests", dependencies: ["memtop", "MemtopTestSupport"], exclude: ["CaptureFixtures"]),
        .testTarget(
            name: "MemtopCommandTests",
            dependencies: ["MemtopCommand", "HeapModel", "Operations", "BuiltInWorkloads", "Captures", "Reconstruction", "MemtopTestSupport"],
            exclude: ["Golden"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
