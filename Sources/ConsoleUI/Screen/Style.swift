/// Text attributes a terminal can show without colour. A monochrome view is built from these alone.
public struct TextAttributes: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let bold = TextAttributes(rawValue: 1 << 0)
    public static let dim = TextAttributes(rawValue: 1 << 1)
    public static let reverse = TextAttributes(rawValue: 1 << 2)
    public static let underline = TextAttributes(rawValue: 1 << 3)
}

/// The semantic meaning of a piece of text. Widgets draw with roles; a `Theme` decides what each role looks
/// like, so switching themes never re-renders the model and tests compare roles, not colours.
public enum Role: String, CaseIterable, Sendable, Hashable {
    case border
    case title
    case titleFocused = "title_focused"
    case header
    case columnHeader = "column_header"
    case selection
    case ok
    case warn
    case error
    case muted
    case text
    case keyHint = "key_hint"
    case sparkline
    case background
}

/// How one cell is drawn: a role, optionally overridden by explicit colours, plus attributes that are added
/// to whatever the role's theme entry says.
public struct Style: Sendable, Hashable {
    public var role: Role
    public var foreground: TermColor?
    public var background: TermColor?
    public var attributes: TextAttributes

    public init(_ role: Role = .text, foreground: TermColor? = nil, background: TermColor? = nil,
                attributes: TextAttributes = []) {
        self.role = role
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }

    /// This style with extra attributes.
    public func with(_ extra: TextAttributes) -> Style {
        var copy = self
        copy.attributes.formUnion(extra)
        return copy
    }

    public static let border = Style(.border)
    public static let background = Style(.background)
}
