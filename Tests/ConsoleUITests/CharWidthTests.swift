import ConsoleUI
import Testing

@Suite struct CharWidthTests {
    @Test(arguments: [
        ("A", 1), ("设", 2), ("备", 2), ("°", 1), ("\u{E9}", 1), ("e\u{301}", 1), ("—", 1), ("─", 1), ("β", 1),
        ("状", 2), ("😀", 2), ("ｱ", 1), ("한", 2),
    ])
    func singleCharacters(text: String, width: Int) {
        #expect(text.count == 1)
        #expect(CharWidth.of(Character(text)) == width)
    }

    @Test func strings() {
        #expect(CharWidth.of("设备-01") == 7)
        #expect(CharWidth.of("21.5°C") == 6)
        #expect(CharWidth.of("") == 0)
        #expect(CharWidth.of("café") == 4)
        #expect(CharWidth.of("cafe\u{301}") == 4)
    }

    @Test func emojiSequencesAreOneWideGlyph() {
        #expect(CharWidth.of(Character("👨‍👩‍👧")) == 2)      // ZWJ sequence
        #expect(CharWidth.of(Character("🇩🇪")) == 2)        // regional-indicator pair
        #expect(CharWidth.of(Character("❤️")) == 2)        // text-default emoji + VS16
        #expect(CharWidth.of(Character("❤")) == 1)         // without VS16: text presentation
        #expect(CharWidth.of(Character("👍🏽")) == 2)       // skin-tone modifier
    }

    @Test func zeroWidthAndControls() {
        #expect(CharWidth.of(Character("\u{200B}")) == 0)  // zero-width space
        #expect(CharWidth.of(Character("\u{301}")) == 0)   // lone combining mark
        #expect(CharWidth.of(Character("\u{1B}")) == 0)
        #expect(CharWidth.isControl("\u{1B}"))
        #expect(CharWidth.isControl("\u{85}"))
        #expect(!CharWidth.isControl("a"))
    }

    @Test func fullwidthAndHalfwidthForms() {
        #expect(CharWidth.of("ＡＢ") == 4)   // fullwidth Latin
        #expect(CharWidth.of("ｱｲｳ") == 3)   // halfwidth katakana
        #expect(CharWidth.of("カタカナ") == 8)
        #expect(CharWidth.of("　") == 2)    // ideographic space
    }
}
