/// Fitting text into a number of columns: truncation with `…` and padding, measured with `CharWidth`.
public enum TextFit {
    public static let ellipsis = "…"

    /// `text` cut to at most `columns` columns; when cut (or when `always`), the last column is `…`.
    public static func truncate(_ text: String, to columns: Int, always: Bool = false) -> String {
        guard columns > 0 else { return "" }
        if !always && CharWidth.of(text) <= columns { return text }
        var result = ""
        var used = 0
        for character in text {
            let w = CharWidth.of(character)
            if used + w > columns - 1 { break }
            result.append(character)
            used += w
        }
        return result + ellipsis
    }

    /// `text` cut from the left, keeping its end (`…/redis.sock`): useful where the tail says most.
    public static func truncateHead(_ text: String, to columns: Int) -> String {
        guard columns > 0 else { return "" }
        if CharWidth.of(text) <= columns { return text }
        var kept: [Character] = []
        var used = 0
        for character in text.reversed() {
            let w = CharWidth.of(character)
            if used + w > columns - 1 { break }
            kept.append(character)
            used += w
        }
        return ellipsis + String(kept.reversed())
    }

    /// Exactly `columns` columns: truncated if longer, padded with spaces on the right (or left for
    /// `.right`) if shorter.
    public static func fit(_ text: String, to columns: Int, alignment: Alignment = .left) -> String {
        guard columns > 0 else { return "" }
        let cut = truncate(text, to: columns)
        let pad = String(repeating: " ", count: max(0, columns - CharWidth.of(cut)))
        switch alignment {
        case .left: return cut + pad
        case .right: return pad + cut
        case .center:
            let left = pad.count / 2
            return String(repeating: " ", count: left) + cut + String(repeating: " ", count: pad.count - left)
        }
    }

    /// Splits text into lines of at most `columns` columns, breaking anywhere (payloads and commands must
    /// stay exact, so no hyphenation and no dropped spaces). Existing newlines are kept.
    public static func hardWrap(_ text: String, to columns: Int) -> [String] {
        guard columns > 0 else { return [] }
        var lines: [String] = []
        for source in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            var used = 0
            for character in source {
                let w = max(CharWidth.of(character), 0)
                if used + w > columns && !line.isEmpty {
                    lines.append(line)
                    line = ""
                    used = 0
                }
                line.append(character)
                used += w
            }
            lines.append(line)
        }
        return lines
    }

    /// Like `hardWrap`, but a line preferably ends just after a space or a comma in its second half, so
    /// commands and JSON break between tokens. No character is dropped or added: joining the lines gives
    /// the text back.
    public static func softWrap(_ text: String, to columns: Int) -> [String] {
        guard columns > 0 else { return [] }
        var lines: [String] = []
        var rest = Array(text)
        for _ in 0..<max(rest.count, 1) {
            guard CharWidth.of(String(rest)) > columns else { break }
            var used = 0
            var cut = 0
            for (index, character) in rest.enumerated() {
                let w = CharWidth.of(character)
                if used + w > columns { break }
                used += w
                cut = index + 1
            }
            cut = max(cut, 1)
            let breakAt = rest[..<cut].lastIndex { $0 == " " || $0 == "," }
            if let breakAt, breakAt + 1 >= cut / 2 { cut = breakAt + 1 }
            lines.append(String(rest[..<cut]))
            rest.removeFirst(cut)
        }
        lines.append(String(rest))
        return lines
    }

    public enum Alignment: Sendable, Hashable {
        case left, right, center
    }
}
