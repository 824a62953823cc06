import ConsoleUI
import Testing

@Suite struct ScreenBufferTests {
    @Test func wideCharactersTakeTwoCellsAtExactColumns() {
        var buffer = ScreenBuffer(width: 10, height: 1)
        let end = buffer.put("设备-01", row: 0, column: 1, style: Style(.text))
        #expect(end == 8)
        #expect(buffer.text(row: 0) == " 设备-01  ")
        #expect(buffer[0, 1].grapheme == "设" && buffer[0, 1].width == 2)
        #expect(buffer[0, 2].isContinuation)
        #expect(buffer[0, 3].grapheme == "备")
        #expect(buffer[0, 5].grapheme == "-")
        #expect(CharWidth.of(buffer.text(row: 0)) == 10)
    }

    @Test func halfFittingWideCharacterAtTheClipEdgeBecomesASpace() {
        var buffer = ScreenBuffer(width: 6, height: 1)
        buffer.put("xxxxxx", row: 0, column: 0, style: Style(.text))
        let end = buffer.put("ab设", row: 0, column: 0, style: Style(.text), clip: 0..<3)
        #expect(end == 3)
        #expect(buffer.text(row: 0) == "ab xxx")
        // At the screen's right edge too.
        buffer.put("设", row: 0, column: 5, style: Style(.text))
        #expect(buffer.text(row: 0) == "ab xx ")
    }

    @Test func wideCharacterStraddlingTheLeftClipEdgeLeavesASpace() {
        var buffer = ScreenBuffer(width: 6, height: 1)
        buffer.put("设备", row: 0, column: 1, style: Style(.text), clip: 2..<6)
        #expect(buffer.text(row: 0) == "   备 ")
    }

    @Test func overwritingHalfAWideCharacterBlanksTheOtherHalf() {
        var buffer = ScreenBuffer(width: 6, height: 1)
        buffer.put("设备", row: 0, column: 0, style: Style(.text))
        buffer.put("x", row: 0, column: 1, style: Style(.text))     // right half of 设
        #expect(buffer.text(row: 0) == " x备  ")
        buffer.put("y", row: 0, column: 2, style: Style(.text))     // left half of 备
        #expect(buffer.text(row: 0) == " xy   ")
        buffer.put("中文", row: 0, column: 0, style: Style(.text))
        buffer.put("国", row: 0, column: 1, style: Style(.text))   // straddles both
        #expect(buffer.text(row: 0) == " 国   ")
        #expect(CharWidth.of(buffer.text(row: 0)) == 6)
    }

    @Test func controlsAreNeverStoredAndCombiningMarksJoin() {
        var buffer = ScreenBuffer(width: 6, height: 1)
        buffer.put("a\u{1B}[b", row: 0, column: 0, style: Style(.text))
        #expect(buffer.text(row: 0) == "a\u{FFFD}[b  ")
        buffer.put("e\u{301}x", row: 0, column: 0, style: Style(.text))
        #expect(buffer[0, 0].grapheme == "e\u{301}")
        #expect(buffer[0, 1].grapheme == "x")
    }

    @Test func writesOutsideTheGridAreIgnored() {
        var buffer = ScreenBuffer(width: 4, height: 2)
        buffer.put("abcdef", row: 5, column: 0, style: Style(.text))
        buffer.put("abcdef", row: -1, column: 0, style: Style(.text))
        buffer.put("abcdef", row: 1, column: 2, style: Style(.text))
        #expect(buffer.lines == ["    ", "  ab"])
    }

    @Test func runsGroupEqualStylesAndIsolateWideCharacters() {
        var buffer = ScreenBuffer(width: 12, height: 1)
        buffer.put("ab", row: 0, column: 0, style: Style(.ok))
        buffer.put("设c", row: 0, column: 2, style: Style(.ok))
        buffer.put("de", row: 0, column: 5, style: Style(.error, attributes: .bold))
        let runs = buffer.runs(row: 0)
        #expect(runs.map(\.text) == ["ab", "设", "c", "de", "     "])
        #expect(runs.map(\.column) == [0, 2, 4, 5, 7])
        #expect(runs.map(\.width).reduce(0, +) == 12)
        #expect(runs[3].style == Style(.error, attributes: .bold))
        #expect(buffer.runs.count == runs.count)
    }

    @Test func restyleKeepsTextAndCursorRoundTrips() {
        var buffer = ScreenBuffer(width: 5, height: 2)
        buffer.put("hello", row: 1, column: 0, style: Style(.text))
        buffer.restyle(Rect(row: 1, column: 1, width: 2, height: 1)) { $0.with(.reverse) }
        #expect(buffer.text(row: 1) == "hello")
        #expect(buffer[1, 1].style.attributes == .reverse && buffer[1, 3].style.attributes == [])
        buffer.cursor = (1, 3)
        #expect(buffer.cursor?.row == 1 && buffer.cursor?.column == 3)
    }
}
