import Foundation

/// The three ways the retained detail view shows a payload.
public enum PayloadFormat {
    /// The payload as text lines (controls escaped, invalid UTF-8 as `\xNN`), hard-wrapped to `width`.
    public static func text(_ data: Data, width: Int) -> [String] {
        guard !data.isEmpty else { return [UIStrings.emptyPayload] }
        return Escaping.payloadLines(data).flatMap { TextFit.hardWrap($0, to: width) }
    }

    /// Pretty-printed JSON keeping the document's key order, or nil when the payload is not JSON.
    ///
    /// Validity is checked with `JSONSerialization`; the indentation is done on the original text because
    /// re-serialising would reorder keys and rewrite numbers.
    public static func json(_ data: Data, width: Int) -> [String]? {
        guard !data.isEmpty, (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) != nil,
              let text = String(data: data, encoding: .utf8) else { return nil }
        return reindent(text).flatMap { TextFit.hardWrap(Escaping.controls($0), to: width) }
    }

    /// `hexdump -C` style: offset, 16 bytes (8 on narrow screens) in hex, and the printable ASCII.
    public static func hex(_ data: Data, width: Int) -> [String] {
        guard !data.isEmpty else { return [UIStrings.emptyPayload] }
        let perLine = width >= 78 ? 16 : 8
        let bytes = [UInt8](data)
        var lines: [String] = []
        for start in stride(from: 0, to: bytes.count, by: perLine) {
            let chunk = bytes[start..<min(start + perLine, bytes.count)]
            let offset = String(start, radix: 16)
            var line = String(repeating: "0", count: max(0, 8 - offset.count)) + offset + "  "
            for i in 0..<perLine {
                if i == perLine / 2 { line += " " }
                line += i < chunk.count ? Escaping.hex(chunk[chunk.startIndex + i]) + " " : "   "
            }
            line += " |" + String(chunk.map { (0x20...0x7E).contains($0) ? Character(UnicodeScalar($0)) : "." }) + "|"
            lines.append(line)
        }
        return lines
    }

    /// Two-space indentation of valid JSON text, one member or element per line; `{}` and `[]` stay whole.
    static func reindent(_ text: String) -> [String] {
        let characters = Array(text)
        var lines: [String] = []
        var line = ""
        var depth = 0
        var inString = false
        var escaped = false
        var skipTo = -1
        func newline() {
            lines.append(line)
            line = String(repeating: "  ", count: max(depth, 0))
        }
        for (index, c) in characters.enumerated() {
            if index < skipTo { continue }
            if inString {
                line.append(c)
                if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "\"" { inString = false }
                continue
            }
            switch c {
            case "\"":
                inString = true
                line.append(c)
            case "{", "[":
                let close: Character = c == "{" ? "}" : "]"
                var next = index + 1
                while next < characters.count, characters[next].isWhitespace { next += 1 }
                if next < characters.count, characters[next] == close {
                    line += String(c) + String(close)
                    skipTo = next + 1
                } else {
                    line.append(c)
                    depth += 1
                    newline()
                }
            case "}", "]":
                depth -= 1
                newline()
                line.append(c)
            case ",":
                line.append(c)
                newline()
            case ":": line += ": "
            case _ where c.isWhitespace: continue
            default: line.append(c)
            }
        }
        if !line.trimmingCharacters(in: .whitespaces).isEmpty { lines.append(line) }
        return lines
    }
}
