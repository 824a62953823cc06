/// How many terminal columns a character occupies, computed in pure Swift.
///
/// glibc's `wcwidth` is not exported by Swift's Glibc module and answers -1 for every non-ASCII character
/// unless `LC_CTYPE` is a UTF-8 locale, so tests would depend on the environment. This table-and-properties
/// version needs no locale: East Asian Wide/Fullwidth ranges and emoji presentation are 2 columns, combining
/// and format marks are 0, everything else printable is 1. Ambiguous-width characters (`°`, `β`, `—`, `─`)
/// count as 1, which is what terminals do outside CJK locales.
public enum CharWidth {
    /// Columns for one grapheme cluster. Controls count 0 here; `ScreenBuffer` replaces them before drawing.
    public static func of(_ character: Character) -> Int {
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if scalars.count == 1 { return of(first) }
        var base = 0
        var baseScalar: Unicode.Scalar?
        var emojiVariation = false
        var textVariation = false
        for scalar in scalars {
            switch scalar.value {
            case 0xFE0F: emojiVariation = true
            case 0xFE0E: textVariation = true
            default:
                if baseScalar == nil {
                    let w = of(scalar)
                    if w > 0 {
                        base = w
                        baseScalar = scalar
                    }
                }
            }
        }
        guard let baseScalar else { return 0 }
        // VS16 asks for emoji presentation (e.g. `❤️`, keycaps); VS15 asks for text presentation.
        if emojiVariation && base == 1 && baseScalar.properties.isEmoji { return 2 }
        if textVariation && base == 2 && baseScalar.properties.isEmojiPresentation && !isEastAsianWide(baseScalar.value) {
            return 1
        }
        // A regional-indicator pair (a flag) takes its width from the first indicator: 2.
        return base
    }

    /// Columns for a whole string: the sum over its grapheme clusters.
    public static func of(_ string: String) -> Int {
        var total = 0
        for character in string { total += of(character) }
        return total
    }

    /// Columns for a single scalar in isolation.
    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v >= 0x20 && v < 0x7F { return 1 }
        if v < 0x20 || (v >= 0x7F && v < 0xA0) { return 0 }
        if isZeroWidth(scalar) { return 0 }
        if isEastAsianWide(v) || scalar.properties.isEmojiPresentation { return 2 }
        return 1
    }

    /// True for C0/C1 controls and DEL, which must never reach a terminal cell.
    public static func isControl(_ character: Character) -> Bool {
        guard let v = character.unicodeScalars.first?.value else { return false }
        return v < 0x20 || (v >= 0x7F && v < 0xA0)
    }

    /// Combining and enclosing marks, format characters (ZWJ, ZWSP, bidi marks) except the soft hyphen,
    /// and Hangul medial vowels / final consonants, which join the preceding syllable.
    static func isZeroWidth(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v >= 0x1160 && v <= 0x11FF { return true }
        if v >= 0xD7B0 && v <= 0xD7FF { return true }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark: return true
        case .format: return v != 0x00AD
        default: return false
        }
    }

    /// East Asian Width W or F (Unicode 15 EastAsianWidth.txt, condensed to blocks). Pictographs are not
    /// listed: since Unicode 9 their W ranges coincide with `Emoji_Presentation`, which `of(_:)` asks first.
    static func isEastAsianWide(_ v: UInt32) -> Bool {
        if v < 0x1100 { return false }
        for range in wideRanges where range.contains(v) { return true }
        return false
    }

    private static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F,   // Hangul Jamo initial consonants
        0x2329...0x232A,   // angle brackets (emoji with default emoji presentation come from the property)
        0x2E80...0x303E,   // CJK radicals, Kangxi, ideographic description, CJK symbols and punctuation
        0x3041...0x33FF,   // Hiragana, Katakana, Bopomofo, Hangul compatibility Jamo, Kanbun, CJK compatibility
        0x3400...0x4DBF,   // CJK extension A
        0x4E00...0x9FFF,   // CJK unified ideographs
        0xA000...0xA4CF,   // Yi
        0xA960...0xA97F,   // Hangul Jamo extended A
        0xAC00...0xD7A3,   // Hangul syllables
        0xF900...0xFAFF,   // CJK compatibility ideographs
        0xFE10...0xFE19,   // vertical forms
        0xFE30...0xFE6F,   // CJK compatibility forms, small form variants
        0xFF00...0xFF60,   // fullwidth forms
        0xFFE0...0xFFE6,   // fullwidth signs
        0x16FE0...0x16FE4, 0x17000...0x18CFF, 0x1B000...0x1B2FF,  // Tangut, Kana supplement, Nushu
        0x1F200...0x1F202, 0x1F210...0x1F23B, 0x1F240...0x1F248, 0x1F250...0x1F251, 0x1F260...0x1F265,
        0x20000...0x2FFFD, // CJK extensions B-F
        0x30000...0x3FFFD, // CJK extension G and later
    ]
}
