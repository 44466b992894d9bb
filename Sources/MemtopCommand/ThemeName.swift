import ArgumentParser

/// The viewer themes.
public enum ThemeName: String, ExpressibleByArgument, Sendable, CaseIterable {
    /// Colours for a terminal on a desk.
    case `default`
    /// High contrast and large blocks, for a projector.
    case projector
}
