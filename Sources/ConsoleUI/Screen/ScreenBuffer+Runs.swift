/// A horizontal stretch of cells that share one style, ready for a single terminal write.
public struct StyledRun: Sendable, Hashable {
    public var row: Int
    public var column: Int
    /// Columns covered (a wide grapheme counts 2).
    public var width: Int
    public var text: String
    public var style: Style
}

extension ScreenBuffer {
    /// The row split into runs of equal style, left to right, covering every column exactly once.
    ///
    /// A double-width grapheme is always a run of its own, so the blitter can write narrow runs with one
    /// `mvwaddstr` and place each wide grapheme at its exact column (terminals and `wcwidth` may disagree
    /// about a wide character's width, and an explicit position limits the damage to that one cell).
    public func runs(row: Int) -> [StyledRun] {
        guard row >= 0, row < height else { return [] }
        var result: [StyledRun] = []
        var current: StyledRun?
        for column in 0..<width {
            let cell = self[row, column]
            if cell.isContinuation { continue }
            if cell.width == 2 {
                if let run = current { result.append(run) }
                current = nil
                result.append(StyledRun(row: row, column: column, width: 2, text: cell.grapheme, style: cell.style))
                continue
            }
            if var run = current, run.style == cell.style {
                run.text += cell.grapheme
                run.width += 1
                current = run
            } else {
                if let run = current { result.append(run) }
                current = StyledRun(row: row, column: column, width: 1, text: cell.grapheme, style: cell.style)
            }
        }
        if let run = current { result.append(run) }
        return result
    }

    /// All runs of the screen, row by row.
    public var runs: [StyledRun] { (0..<height).flatMap { runs(row: $0) } }
}
