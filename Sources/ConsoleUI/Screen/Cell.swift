/// One terminal cell: a grapheme cluster and its style.
///
/// A double-width grapheme occupies its own cell (`width == 2`) and the cell to its right, which is a
/// continuation (`width == 0`, empty grapheme). Keeping the pair explicit lets the buffer place wide
/// characters at exact columns and repair the other half when one half is overwritten.
public struct Cell: Sendable, Hashable {
    public var grapheme: String
    public var style: Style
    /// 1 or 2 for a leading cell, 0 for the right half of a wide character.
    public var width: Int

    public init(grapheme: String, style: Style, width: Int) {
        self.grapheme = grapheme
        self.style = style
        self.width = width
    }

    public var isContinuation: Bool { width == 0 }

    public static func blank(_ style: Style) -> Cell { Cell(grapheme: " ", style: style, width: 1) }
}
