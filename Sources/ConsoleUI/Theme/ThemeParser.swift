/// A parser for the small TOML subset theme files use: `[table]` headers, `key = "value"` (basic or
/// literal strings), blank lines and `#` comments. Anything else is an error naming the line.
///
/// Hand-written rather than TOMLKit: the subset is tiny, errors need file:line in our words, and it avoids
/// compiling toml++ (C++) on every clean build.
enum ThemeParser {
    struct Entry: Sendable, Hashable {
        /// nil for keys before the first table header.
        var table: String?
        var key: String
        var value: String
        var line: Int
    }

    static func parse(_ text: String, file: String, tables: Set<String>) throws(ThemeError) -> [Entry] {
        var entries: [Entry] = []
        var table: String?
        for (offset, rawLine) in lines(of: text).enumerated() {
            let line = offset + 1
            func fail(_ message: String) -> ThemeError { ThemeError(file: file, line: line, message: message) }
            let characters = Array(rawLine.trimmingWhitespace())
            guard let first = characters.first, first != "#" else { continue }
            if first == "[" {
                let name = try parseHeader(characters, fail: fail)
                guard tables.contains(name) else {
                    throw fail("unknown table [\(name)] (expected " + tables.sorted().map { "[\($0)]" }.joined(separator: " or ") + ")")
                }
                table = name
                continue
            }
            var index = 0
            let key = try parseKey(characters, at: &index, fail: fail)
            skipSpaces(characters, at: &index)
            guard index < characters.count, characters[index] == "=" else { throw fail("expected '=' after '\(key)'") }
            index += 1
            skipSpaces(characters, at: &index)
            let value = try parseString(characters, at: &index, fail: fail)
            skipSpaces(characters, at: &index)
            if index < characters.count && characters[index] != "#" {
                throw fail("unexpected text after the value: '\(String(characters[index...]))'")
            }
            if entries.contains(where: { $0.table == table && $0.key == key }) {
                throw fail("'\(key)' is defined twice" + (table.map { " in [\($0)]" } ?? ""))
            }
            entries.append(Entry(table: table, key: key, value: value, line: line))
        }
        return entries
    }

    /// Lines split on LF or CRLF (`"\r\n"` is a single Character in Swift, so splitting on `"\n"` misses it).
    static func lines(of text: String) -> [Substring] {
        text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
    }

    private static func parseHeader(_ c: [Character], fail: (String) -> ThemeError) throws(ThemeError) -> String {
        guard c.count >= 2, c[1] != "[" else { throw fail("arrays of tables are not supported in themes") }
        guard let close = c.firstIndex(of: "]") else { throw fail("missing ']' in table header") }
        let name = String(c[1..<close]).trimmingWhitespace()
        guard !name.isEmpty, name.allSatisfy(isBareKeyCharacter) else { throw fail("bad table name '\(name)'") }
        let rest = String(c[(close + 1)...]).trimmingWhitespace()
        guard rest.isEmpty || rest.hasPrefix("#") else { throw fail("unexpected text after table header: '\(rest)'") }
        return name
    }

    private static func parseKey(_ c: [Character], at index: inout Int, fail: (String) -> ThemeError) throws(ThemeError) -> String {
        if c[index] == "\"" || c[index] == "'" { return try parseString(c, at: &index, fail: fail) }
        let start = index
        for i in index..<c.count {
            guard isBareKeyCharacter(c[i]) else { break }
            index = i + 1
        }
        guard index > start else { throw fail("expected a key, found '\(c[start])'") }
        return String(c[start..<index])
    }

    /// A basic string (`"…"`, with `\"`, `\\`, `\n`, `\t`, `\uXXXX` escapes) or a literal string (`'…'`).
    private static func parseString(_ c: [Character], at index: inout Int, fail: (String) -> ThemeError) throws(ThemeError) -> String {
        guard index < c.count else { throw fail("missing value: expected a quoted string") }
        let quote = c[index]
        guard quote == "\"" || quote == "'" else {
            throw fail("expected a quoted string, found '\(String(c[index...]))'")
        }
        var value = ""
        var escaping = false
        var i = index + 1
        for _ in (index + 1)..<max(c.count, index + 1) {
            guard i < c.count else { break }
            let ch = c[i]
            i += 1
            if escaping {
                escaping = false
                switch ch {
                case "\"", "\\": value.append(ch)
                case "n": value.append("\n")
                case "t": value.append("\t")
                case "u":
                    guard i + 4 <= c.count, let code = UInt32(String(c[i..<(i + 4)]), radix: 16),
                          let scalar = Unicode.Scalar(code) else { throw fail("bad \\u escape") }
                    value.unicodeScalars.append(scalar)
                    i += 4
                default: throw fail("unknown escape '\\\(ch)'")
                }
            } else if ch == "\\" && quote == "\"" {
                escaping = true
            } else if ch == quote {
                index = i
                return value
            } else {
                value.append(ch)
            }
        }
        throw fail("unterminated string")
    }

    private static func skipSpaces(_ c: [Character], at index: inout Int) {
        for i in index..<max(c.count, index) {
            guard c[i] == " " || c[i] == "\t" else { break }
            index = i + 1
        }
    }

    static func isBareKeyCharacter(_ c: Character) -> Bool {
        c.isASCII && (c.isLetter || c.isNumber || c == "_" || c == "-")
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces, tabs and carriage returns (Foundation-free).
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
