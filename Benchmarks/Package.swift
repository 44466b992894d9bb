// swift-tools-version: 6.1
// memtop's benchmarks, kept out of the main package so they never slow its builds or CI.
// Run: cd Benchmarks && swift package benchmark
import PackageDescription

let package = Package(
    name: "memtop-benchmarks",
    dependencies: [
        .package(name: "memtop", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "PageAllocatorBenchmarks",
            dependencies: [
                .product(name: "HeapModel", package: "memtop"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/PageAllocatorBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "KmallocBenchmarks",
            dependencies: [
                .product(name: "HeapModel", package: "memtop"),
                .product(name: "Allocators", package: "memtop"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/KmallocBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "SeekBenchmarks",
            dependencies: [
                .product(name: "HeapModel", package: "memtop"),
                .product(name: "MemtopCommand", package: "memtop"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/SeekBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
