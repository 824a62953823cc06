/// A single-line text field: characters, a cursor, and the editing keys every field shares (the `/` filter
/// and the subscribe form's fields).
public struct LineEditor: Sendable, Hashable {
    public private(set) var characters: [Character]
    /// Cursor position in characters, 0...count.
    public private(set) var cursor: Int

    public init(_ text: String = "") {
        characters = Array(text)
        cursor = characters.count
    }

    public var text: String { String(characters) }

    /// Applies an editing key; returns false for keys a field does not handle (Enter, Esc, Tab, …).
    public mutating func handle(_ key: Key) -> Bool {
        switch key {
        case .char(let c):
            guard !CharWidth.isControl(c) else { return false }
            characters.insert(c, at: cursor)
            cursor += 1
        case .backspace:
            if cursor > 0 {
                characters.remove(at: cursor - 1)
                cursor -= 1
            }
        case .delete:
            if cursor < characters.count { characters.remove(at: cursor) }
        case .left: cursor = max(0, cursor - 1)
        case .right: cursor = min(characters.count, cursor + 1)
        case .home: cursor = 0
        case .end: cursor = characters.count
        default: return false
        }
        return true
    }

    /// The visible part of the text for a field `width` columns wide (the tail when the cursor is past the
    /// edge) and the cursor's column within it. One column is kept for the cursor at the end.
    public func window(width: Int) -> (text: String, cursorColumn: Int) {
        guard width > 1 else { return ("", 0) }
        var start = 0
        var cursorColumn = CharWidth.of(String(characters[0..<cursor]))
        for _ in 0..<characters.count where cursorColumn >= width && start < cursor {
            cursorColumn -= CharWidth.of(characters[start])
            start += 1
        }
        var shown = ""
        var used = 0
        for character in characters[start...] {
            let w = CharWidth.of(character)
            if used + w > width { break }
            shown.append(character)
            used += w
        }
        return (shown, cursorColumn)
    }
}
