import ConsoleUI
import Testing

/// Checks that a rendered dashboard is well-formed: every row exactly the screen width (by CharWidth),
/// and every pane's border complete at the layout's rectangles.
enum FrameCheck {
    /// `trafficView`: the Topics pane in the grid's place; `panes: false` for a screen an overlay covers.
    static func expectIntact(_ screen: ScreenBuffer, trafficView: Bool = false, panes: Bool = true,
                             sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(screen.lines.count == screen.height, sourceLocation: sourceLocation)
        for (row, line) in screen.lines.enumerated() {
            #expect(CharWidth.of(line) == screen.width, "row \(row) is \(CharWidth.of(line)) columns: \(line)",
                    sourceLocation: sourceLocation)
        }
        // The blitter's view: runs cover every column of every row exactly once, left to right.
        for row in 0..<screen.height {
            var column = 0
            for run in screen.runs(row: row) {
                #expect(run.column == column && run.width == CharWidth.of(run.text), "run \(run)", sourceLocation: sourceLocation)
                column += run.width
            }
            #expect(column == screen.width, "runs of row \(row) cover \(column) columns", sourceLocation: sourceLocation)
        }
        guard panes else { return }
        let layout = DashboardLayout(size: TerminalSize(width: screen.width, height: screen.height), trafficView: trafficView)
        for rect in Array(layout.panes.values) + [layout.events] {
            expectBox(rect, in: screen, sourceLocation: sourceLocation)
        }
    }

    static func expectBox(_ rect: Rect, in screen: ScreenBuffer, sourceLocation: SourceLocation = #_sourceLocation) {
        func at(_ row: Int, _ column: Int) -> String { screen[row, column].grapheme }
        #expect(at(rect.row, rect.column) == "┌", "top-left of \(rect)", sourceLocation: sourceLocation)
        #expect(at(rect.row, rect.right - 1) == "┐", "top-right of \(rect)", sourceLocation: sourceLocation)
        #expect(at(rect.bottom - 1, rect.column) == "└", "bottom-left of \(rect)", sourceLocation: sourceLocation)
        #expect(at(rect.bottom - 1, rect.right - 1) == "┘", "bottom-right of \(rect)", sourceLocation: sourceLocation)
        for row in (rect.row + 1)..<(rect.bottom - 1) {
            #expect(at(row, rect.column) == "│" && at(row, rect.right - 1) == "│", "sides of \(rect) at row \(row)",
                    sourceLocation: sourceLocation)
        }
        // The bottom border is all line except where a position label sits.
        let bottom = (rect.column + 1..<rect.right - 1).map { at(rect.bottom - 1, $0) }
        #expect(bottom.first == "─", "bottom border of \(rect)", sourceLocation: sourceLocation)
    }
}
