/// The lines of an EMQX plugin configuration file (`key = value`, `#` comments, blank lines), each with its
/// file:line. Shared by the backend's and the auth plugin's parsers, which only interpret keys.
struct ConfigLine {
    let key: String
    let value: String
    let location: SourceLocation
}

enum ConfigLines {
    /// The text of a configuration file; an unreadable file is an error naming it.
    static func contents(of path: String) throws -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigError(SourceLocation(file: path, line: 0), "cannot read the file: \(error.localizedDescription)")
        }
    }

    /// Splits `text` into lines; a line without `=` or a key given twice is an error naming both places.
    static func read(_ text: String, file: String) throws -> [ConfigLine] {
        var lines: [ConfigLine] = []
        var seen: [String: SourceLocation] = [:]
        // A line ends at LF or CRLF: Swift keeps "\r\n" as one Character, which `split(separator: "\n")` never
        // splits, so a CRLF file would read as one line (found by the FuzzBackendConfig fuzz target).
        let rawLines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        for (index, rawLine) in rawLines.enumerated() {
            let location = SourceLocation(file: file, line: index + 1)
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let equals = line.firstIndex(of: "=") else {
                throw ConfigError(location, "expected `key = value`, got \"\(line)\"")
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            let value = unquoted(line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces))
            if let earlier = seen[key] {
                throw ConfigError(location, "\(key) is already set at \(earlier)")
            }
            seen[key] = location
            lines.append(ConfigLine(key: key, value: value, location: location))
        }
        return lines
    }

    private static func unquoted(_ value: String) -> String {
        if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\""), !value.hasPrefix("{") {
            return String(value.dropFirst().dropLast())
        }
        return value
    }
}

import Foundation
