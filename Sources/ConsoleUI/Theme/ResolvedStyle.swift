/// A style with every reference resolved: what the blitter turns into a colour pair and attributes.
public struct ResolvedStyle: Sendable, Hashable {
    public var foreground: TermColor
    public var background: TermColor
    public var attributes: TextAttributes

    public init(foreground: TermColor, background: TermColor, attributes: TextAttributes) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }
}
