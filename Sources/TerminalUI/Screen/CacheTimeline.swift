/// One cache's objects and slabs sampled over the run, oldest first.
public struct CacheTimeline: Hashable, Sendable {
    /// The cache.
    public var name: String
    /// `num_objs` at each sample.
    public var objects: [Int]
    /// Slabs at each sample.
    public var slabs: [Int]

    /// A timeline.
    public init(name: String, objects: [Int], slabs: [Int]) {
        self.name = name
        self.objects = objects
        self.slabs = slabs
    }
}
