/// An in-memory grid of styled cells that everything in ConsoleUI draws into.
///
/// The terminal layer copies it to ncurses; tests read it back as text. Writing is width-aware: wide
/// graphemes take two columns (a leading cell and a continuation), a wide grapheme that would straddle the
/// clip edge becomes a space, and overwriting one half of a wide grapheme blanks the other half, so a row
/// always spans exactly `width` columns.
public struct ScreenBuffer: Sendable, Hashable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]
    /// Where the terminal should put its hardware cursor (a text field being edited), if anywhere.
    public var cursor: (row: Int, column: Int)? {
        get { cursorPosition.map { ($0 / max(width, 1), $0 % max(width, 1)) } }
        set { cursorPosition = newValue.map { $0.row * width + $0.column } }
    }
    private var cursorPosition: Int?

    public init(width: Int, height: Int, style: Style = .background) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank(style), count: self.width * self.height)
    }

    public var bounds: Rect { Rect(row: 0, column: 0, width: width, height: height) }

    /// The cell at a position; a blank text cell outside the grid.
    public subscript(row: Int, column: Int) -> Cell {
        guard contains(row: row, column: column) else { return .blank(Style(.text)) }
        return cells[row * width + column]
    }

    func contains(row: Int, column: Int) -> Bool {
        row >= 0 && row < height && column >= 0 && column < width
    }

    // MARK: - Drawing

    /// Writes `text` from `column` on `row`, never past `clip` (default: the whole row), and returns the
    /// column after the last cell written. Control characters are shown as `�`; zero-width graphemes join
    /// the previous cell.
    @discardableResult
    public mutating func put(_ text: String, row: Int, column: Int, style: Style, clip: Range<Int>? = nil) -> Int {
        let limit = (clip ?? 0..<width).clamped(to: 0..<width)
        guard row >= 0, row < height, !limit.isEmpty else { return column }
        var x = column
        var previous: Int?
        for character in text {
            if x >= limit.upperBound { break }
            let grapheme = CharWidth.isControl(character) ? "\u{FFFD}" : String(character)
            let w = CharWidth.isControl(character) ? 1 : CharWidth.of(character)
            if w == 0 {
                if let previous { cells[row * width + previous].grapheme += grapheme }
                continue
            }
            if x < limit.lowerBound {
                // Left of the clip: skip, but a wide grapheme whose right half is inside shows as a space.
                if w == 2 && x + 1 == limit.lowerBound { place(" ", width: 1, style: style, row: row, column: x + 1) }
                x += w
                continue
            }
            if x + w > limit.upperBound {
                place(" ", width: 1, style: style, row: row, column: x)
                x += 1
                break
            }
            place(grapheme, width: w, style: style, row: row, column: x)
            previous = x
            x += w
        }
        return x
    }

    /// Fills a rectangle with one narrow character (space by default).
    public mutating func fill(_ rect: Rect, with character: Character = " ", style: Style) {
        let w = CharWidth.of(character)
        let grapheme = (w == 1 && !CharWidth.isControl(character)) ? String(character) : " "
        for row in max(rect.row, 0)..<min(rect.bottom, height) {
            for column in max(rect.column, 0)..<min(rect.right, width) {
                place(grapheme, width: 1, style: style, row: row, column: column)
            }
        }
    }

    /// Changes the style of existing cells without touching their text (selection highlight, cursor).
    public mutating func restyle(_ rect: Rect, _ transform: (Style) -> Style) {
        for row in max(rect.row, 0)..<min(rect.bottom, height) {
            for column in max(rect.column, 0)..<min(rect.right, width) {
                cells[row * width + column].style = transform(cells[row * width + column].style)
            }
        }
    }

    /// Stores one grapheme of width 1 or 2 at an exact column, repairing any wide grapheme it cuts in half.
    private mutating func place(_ grapheme: String, width w: Int, style: Style, row: Int, column: Int) {
        guard column >= 0, column + w <= width else { return }
        for x in column..<(column + w) { breakWide(row: row, column: x) }
        let index = row * width + column
        cells[index] = Cell(grapheme: grapheme, style: style, width: w)
        if w == 2 { cells[index + 1] = Cell(grapheme: "", style: style, width: 0) }
    }

    /// If the cell is half of a wide grapheme, turns the other half into a space of the same style.
    private mutating func breakWide(row: Int, column: Int) {
        let index = row * width + column
        let cell = cells[index]
        if cell.width == 0, column > 0 {
            cells[index - 1] = .blank(cells[index - 1].style)
        } else if cell.width == 2, column + 1 < width {
            cells[index + 1] = .blank(cell.style)
        }
    }

    // MARK: - Reading back

    /// The row as plain text: exactly `width` columns wide, continuation cells omitted.
    public func text(row: Int) -> String {
        guard row >= 0, row < height else { return "" }
        var line = ""
        for cell in cells[(row * width)..<((row + 1) * width)] where !cell.isContinuation {
            line += cell.grapheme
        }
        return line
    }

    /// Every row as text, top to bottom.
    public var lines: [String] { (0..<height).map { text(row: $0) } }
}
