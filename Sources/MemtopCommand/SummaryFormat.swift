import ArgumentParser

/// The headless summary's format.
public enum SummaryFormat: String, ExpressibleByArgument, Sendable, CaseIterable {
    /// For people.
    case text
    /// One JSON object, for scripts.
    case json
}
