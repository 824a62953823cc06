/// Hand-built JSON for the layout's small messages (the SUB/UNSUB channel's).
///
/// `JSONSerialization` on Linux escapes `/` as `\/` and does not keep key order, so the text it produced
/// could differ from what the console's confirm line showed; building the text here makes the two identical
/// by construction.
public enum JSONText {
    public enum Value: Sendable, Hashable {
        case string(String)
        case int(Int)
    }

    /// An object with keys in the given order and no whitespace.
    public static func object(_ members: [(String, Value)]) -> String {
        let body = members.map { key, value -> String in
            let rendered: String
            switch value {
            case .string(let s): rendered = "\"" + escaped(s) + "\""
            case .int(let i): rendered = String(i)
            }
            return "\"" + escaped(key) + "\":" + rendered
        }
        return "{" + body.joined(separator: ",") + "}"
    }

    /// RFC 8259 §7 string escaping: quote, backslash and all C0 controls; DEL and C1 controls too, so the
    /// text stays printable on the confirm line. Everything else is emitted as UTF-8.
    public static func escaped(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                let v = scalar.value
                if v < 0x20 || (v >= 0x7F && v < 0xA0) {
                    let hex = String(v, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
