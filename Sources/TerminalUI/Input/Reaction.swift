/// What the run loop must do after a key: redraw, step, quit, export, and where to move in time.
///
/// A reaction is the key handler's whole answer: a seek travels here and nowhere else (the view
/// state holds no pending seek). Reactions combine like a set: `[.step, .redraw]`.
public struct Reaction: Hashable, Sendable, ExpressibleByArrayLiteral {
    /// The things to do that carry no data.
    public struct Actions: OptionSet, Hashable, Sendable {
        /// Raw bits.
        public let rawValue: UInt8
        /// Wraps raw bits.
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// Draw again.
        public static let redraw = Actions(rawValue: 1)
        /// Perform one operation of the source.
        public static let step = Actions(rawValue: 2)
        /// Leave.
        public static let quit = Actions(rawValue: 4)
        /// Export the screen.
        public static let export = Actions(rawValue: 8)
    }

    /// What to do.
    public var actions: Actions
    /// Where to move in time, if anywhere.
    public var seek: Seek?

    /// A reaction doing `actions` and moving to `seek`.
    public init(_ actions: Actions, seek: Seek? = nil) {
        self.actions = actions
        self.seek = seek
    }

    /// The union of `elements` (the last seek among them wins).
    public init(arrayLiteral elements: Reaction...) {
        self.init([])
        for element in elements { formUnion(element) }
    }

    /// Draw again.
    public static let redraw = Reaction(.redraw)
    /// Perform one operation of the source.
    public static let step = Reaction(.step)
    /// Leave.
    public static let quit = Reaction(.quit)
    /// Export the screen (the teacher's slides).
    public static let export = Reaction(.export)
    /// Nothing.
    public static let none = Reaction([])

    /// Move in time to `seek`, and draw again.
    public static func seeking(_ seek: Seek) -> Reaction { Reaction(.redraw, seek: seek) }

    /// Whether this reaction does everything `other` does (and seeks where it seeks, if it does).
    public func contains(_ other: Reaction) -> Bool {
        actions.isSuperset(of: other.actions) && (other.seek == nil || other.seek == seek)
    }

    /// Adds what `other` does; its seek, if any, replaces this one's.
    public mutating func formUnion(_ other: Reaction) {
        actions.formUnion(other.actions)
        if let s = other.seek { seek = s }
    }
}
