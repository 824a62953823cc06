import NIOCore

/// One value of the Redis serialization protocol, RESP2 or RESP3.
///
/// Nulls of every flavour (RESP2 `$-1` and `*-1`, RESP3 `_`) decode as ``null``, so code that reads a reply does
/// not need to know which protocol the connection speaks. Errors are values too: a reply of `-ERR ...` is
/// ``error(_:)``, carrying the server's message verbatim; only the client layer turns it into a thrown error.
///
/// See https://redis.io/docs/latest/develop/reference/protocol-spec/
public enum RESPValue: Sendable, Hashable {
    /// `+OK`: a short status line.
    case simpleString(String)
    /// `-ERR ...` or RESP3 blob error `!len`.
    case error(RESPError)
    /// `:42`.
    case integer(Int64)
    /// `$len`: binary-safe bytes.
    case bulkString(ByteBuffer)
    /// `*n`: an ordered list of values.
    case array([RESPValue])
    /// RESP3 `_`, RESP2 `$-1` and `*-1`.
    case null
    /// RESP3 `%n`: key/value pairs in the order the server sent them.
    case map(RESPMap)
    /// RESP3 `~n`: an unordered collection (kept in wire order).
    case set([RESPValue])
    /// RESP3 `,1.5`, also `inf`, `-inf` and `nan`.
    case double(Double)
    /// RESP3 `#t` / `#f`.
    case boolean(Bool)
    /// RESP3 `(`: an integer of any size, kept as its decimal text.
    case bigNumber(String)
    /// RESP3 `=len`: text with a three-letter format (`txt`, `mkd`).
    indirect case verbatim(format: String, text: ByteBuffer)
    /// RESP3 `>n`: an out-of-band message (pub/sub, client tracking), never the reply to a command.
    case push([RESPValue])
    /// RESP3 `|n`: auxiliary data attached to the value that follows it on the wire.
    indirect case attribute(RESPMap, RESPValue)
}

extension RESPValue {
    /// A bulk string holding the UTF-8 bytes of `string`.
    public static func bulkString(_ string: String) -> RESPValue {
        .bulkString(ByteBuffer(string: string))
    }

    /// A bulk string holding `bytes`.
    public static func bulkString(_ bytes: [UInt8]) -> RESPValue {
        .bulkString(ByteBuffer(bytes: bytes))
    }
}

// MARK: - CustomStringConvertible

extension RESPValue: CustomStringConvertible {
    /// A compact, redis-cli-like rendering for logs and test failures. Binary data is escaped.
    public var description: String {
        switch self {
        case .simpleString(let text): return text
        case .error(let error): return "(error) \(error.message)"
        case .integer(let value): return "(integer) \(value)"
        case .bulkString(let bytes): return "\"\(RESPValue.escaped(bytes))\""
        case .null: return "(nil)"
        case .array(let values): return "[" + values.map(\.description).joined(separator: ", ") + "]"
        case .set(let values): return "~[" + values.map(\.description).joined(separator: ", ") + "]"
        case .push(let values): return ">[" + values.map(\.description).joined(separator: ", ") + "]"
        case .map(let map): return map.description
        case .double(let value): return "(double) \(value)"
        case .boolean(let value): return value ? "(true)" : "(false)"
        case .bigNumber(let digits): return "(big number) \(digits)"
        case .verbatim(let format, let text): return "\(format):\"\(RESPValue.escaped(text))\""
        case .attribute(let attributes, let value): return "|\(attributes.description)| \(value.description)"
        }
    }

    static func escaped(_ bytes: ByteBuffer) -> String {
        var text = ""
        text.reserveCapacity(bytes.readableBytes)
        for byte in bytes.readableBytesView {
            switch byte {
            case UInt8(ascii: "\""): text += "\\\""
            case UInt8(ascii: "\\"): text += "\\\\"
            case UInt8(ascii: "\n"): text += "\\n"
            case UInt8(ascii: "\r"): text += "\\r"
            case 0x20..<0x7F: text.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16)
                text += "\\x" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return text
    }
}
