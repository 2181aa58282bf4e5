/// A colour as a theme names it; the backend degrades it to what the terminal can show
/// (`ColorLevel`).
public enum TerminalColor: Equatable, Hashable, Sendable {
    /// The terminal's own foreground or background.
    case `default`
    /// One of the 16 ANSI colours (0-7 normal, 8-15 bright), which the user's palette sets.
    case ansi(UInt8)
    /// An entry of the xterm 256-colour palette.
    case indexed(UInt8)
    /// A 24-bit colour.
    case rgb(UInt8, UInt8, UInt8)
}

/// Text attributes a cell may carry. Kept apart from colour so that a screen without
/// colour still shows selection and emphasis.
public struct TextAttributes: OptionSet, Equatable, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let bold = TextAttributes(rawValue: 1 << 0)
    public static let dim = TextAttributes(rawValue: 1 << 1)
    public static let italic = TextAttributes(rawValue: 1 << 2)
    public static let underline = TextAttributes(rawValue: 1 << 3)
    public static let reverse = TextAttributes(rawValue: 1 << 4)
}

/// How one cell looks: colours and attributes, resolved from the theme by `render`.
public struct CellStyle: Equatable, Hashable, Sendable {
    public var foreground: TerminalColor
    public var background: TerminalColor
    public var attributes: TextAttributes
    /// The 8-colour foreground the theme asks for, if it chose one by hand (else the
    /// backend picks the nearest of the eight).
    public var foreground8: TerminalColor?
    /// The 8-colour background the theme asks for, if any.
    public var background8: TerminalColor?
    /// The attributes to use when the terminal shows no colour at all (nil: `attributes`),
    /// e.g. reverse video for the status line and the selection.
    public var monochrome: TextAttributes?

    public init(
        foreground: TerminalColor = .default, background: TerminalColor = .default,
        attributes: TextAttributes = [], foreground8: TerminalColor? = nil,
        background8: TerminalColor? = nil, monochrome: TextAttributes? = nil
    ) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
        self.foreground8 = foreground8
        self.background8 = background8
        self.monochrome = monochrome
    }

    /// The terminal's defaults, no attributes.
    public static let plain = CellStyle()

    /// This style with `extra` attributes added.
    public func adding(_ extra: TextAttributes) -> CellStyle {
        var copy = self
        copy.attributes.formUnion(extra)
        return copy
    }
}
