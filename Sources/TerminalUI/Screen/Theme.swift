import HeapModel

/// Colours and glyphs by meaning, for one colour mode.
public struct Theme: Hashable, Sendable {
    /// The mode this theme draws for.
    public let mode: ColorMode
    /// High contrast and large blocks, for a projector: the page map draws one pixel per cell.
    public let projector: Bool

    /// A theme for `mode`.
    public init(mode: ColorMode, projector: Bool = false) {
        self.mode = mode
        self.projector = projector
    }

    /// The colour of a page class in the page map.
    public func color(_ cls: PageClass) -> TermColor {
        switch mode {
        case .monochrome: return .standard
        case .basic8:
            switch cls {
            case .absent: return .palette(0)
            case .reserved: return .palette(7)
            case .free: return .palette(2)
            case .pages: return .palette(5)
            case .slab: return .palette(3)
            case .largeKmalloc: return .palette(5)
            case .vmalloc: return .palette(6)
            case .outside: return .palette(4)
            }
        case .full256:
            switch cls {
            case .absent: return .palette(234)
            case .reserved: return .palette(243)
            case .free(let order):
                return .palette((projector ? Theme.projectorFreeRamp : Theme.freeRamp)[min(max(order, 0), 10)])
            case .pages: return .palette(141)
            case .slab(let id): return .palette(Theme.slabColors[Int(id.rawValue) % Theme.slabColors.count])
            case .largeKmalloc: return .palette(201)
            case .vmalloc: return .palette(51)
            case .outside: return .palette(33)
            }
        }
    }

    /// Free blocks from dark (order 0, fragmented) to bright green (order 10).
    static let freeRamp: [UInt8] = [22, 22, 28, 28, 34, 34, 40, 40, 46, 46, 82]
    /// A brighter ramp with larger steps, readable on a washed-out projector.
    static let projectorFreeRamp: [UInt8] = [22, 28, 28, 34, 34, 40, 46, 46, 82, 118, 154]
    /// Warm colours for slab caches.
    static let slabColors: [UInt8] = [208, 202, 214, 172, 166, 196, 160, 203, 209, 215, 130, 124]

    /// The glyph of a page class in monochrome mode.
    public func glyph(_ cls: PageClass) -> Unicode.Scalar {
        switch cls {
        case .absent: return " "
        case .reserved: return "r"
        case .free(let order): return order >= 9 ? " " : (order >= 3 ? "·" : ":")
        case .pages: return "p"
        case .slab: return "#"
        case .largeKmalloc: return "K"
        case .vmalloc: return "v"
        case .outside: return "o"
        }
    }

    /// Panel borders.
    public var border: CellStyle {
        CellStyle(fg: mode == .monochrome ? .standard : .palette(mode == .full256 ? (projector ? 255 : 245) : 7), bold: projector)
    }
    /// The border of the focused panel.
    public var focusedBorder: CellStyle { CellStyle(fg: mode == .monochrome ? .standard : .palette(mode == .full256 ? 45 : 6), bold: true) }
    /// Column headers.
    public var header: CellStyle { CellStyle(bold: true, underline: mode == .monochrome) }
    /// Violations and failures.
    public var alarm: CellStyle { CellStyle(fg: mode == .monochrome ? .standard : .palette(mode == .full256 ? 196 : 1), bold: true) }
    /// Warnings.
    public var warning: CellStyle { CellStyle(fg: mode == .monochrome ? .standard : .palette(3), bold: mode == .monochrome) }
    /// Narration.
    public var narration: CellStyle { CellStyle(fg: mode == .monochrome ? .standard : .palette(mode == .full256 ? 229 : 7), bold: true) }
    /// Less important text.
    public var muted: CellStyle { CellStyle(fg: mode == .full256 ? .palette(244) : .standard, dim: mode != .full256) }
    /// The status bar.
    public var statusBar: CellStyle { CellStyle(reverse: true) }
    /// A selected row or the cursor.
    public var selection: CellStyle { CellStyle(reverse: true) }
}
