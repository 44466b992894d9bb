/// What the run loop must do after a key: redraw, step, quit, export, where to move in time, and
/// where a search moves the slab panel's selection.
///
/// A reaction is the key handler's whole answer: a seek and a search jump travel here and nowhere
/// else (the view state holds no pending command). Reactions combine like a set: `[.step, .redraw]`.
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
    /// Where to move the slab panel's selection among the search's matches, if anywhere (the
    /// session performs it: it knows the rows).
    public var searchJump: SearchJump?

    /// A reaction doing `actions`, moving to `seek` and jumping to a match by `searchJump`.
    public init(_ actions: Actions, seek: Seek? = nil, searchJump: SearchJump? = nil) {
        self.actions = actions
        self.seek = seek
        self.searchJump = searchJump
    }

    /// The union of `elements` (the last seek and the last search jump among them win).
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

    /// Move the slab panel's selection to a match of the search by `jump`, and draw again.
    public static func jumping(_ jump: SearchJump) -> Reaction { Reaction(.redraw, searchJump: jump) }

    /// Whether this reaction does everything `other` does (and seeks and jumps where it does, if it does).
    public func contains(_ other: Reaction) -> Bool {
        actions.isSuperset(of: other.actions) && (other.seek == nil || other.seek == seek)
            && (other.searchJump == nil || other.searchJump == searchJump)
    }

    /// Adds what `other` does; its seek and search jump, if any, replace this one's.
    public mutating func formUnion(_ other: Reaction) {
        actions.formUnion(other.actions)
        if let s = other.seek { seek = s }
        if let j = other.searchJump { searchJump = j }
    }
}

/// Where a search moves the slab panel's selection.
public enum SearchJump: Hashable, Sendable {
    /// To the first match at or after the selected row (typing).
    case fromHere
    /// To the next match after it, wrapping (F3).
    case next
}
