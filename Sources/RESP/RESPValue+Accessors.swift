import NIOCore

/// Lenient conversions for reading replies: each returns `nil` when the value has another shape.
///
/// They accept what either protocol sends for the same command: RESP2 returns scores and floats as bulk
/// strings and maps as flat arrays, RESP3 as doubles and maps.
extension RESPValue {
    /// Text of a simple string, bulk string, verbatim string or big number (UTF-8, lossy).
    public var string: String? {
        switch self {
        case .simpleString(let text): return text
        case .bulkString(let bytes): return String(buffer: bytes)
        case .verbatim(_, let text): return String(buffer: text)
        case .bigNumber(let digits): return digits
        case .attribute(_, let value): return value.string
        default: return nil
        }
    }

    /// An integer, or a string holding a decimal integer.
    public var int: Int? {
        switch self {
        case .integer(let value): return Int(exactly: value)
        case .simpleString, .bulkString, .bigNumber: return string.flatMap { Int($0) }
        case .attribute(_, let value): return value.int
        default: return nil
        }
    }

    /// A double, an integer, or a string holding a number (`inf`, `-inf` included).
    public var double: Double? {
        switch self {
        case .double(let value): return value
        case .integer(let value): return Double(value)
        case .simpleString, .bulkString, .bigNumber:
            guard let text = string else { return nil }
            switch text {
            case "inf", "+inf": return .infinity
            case "-inf": return -.infinity
            default: return Double(text)
            }
        case .attribute(_, let value): return value.double
        default: return nil
        }
    }

    /// A RESP3 boolean, or the integers 0 and 1 that RESP2 uses instead.
    public var bool: Bool? {
        switch self {
        case .boolean(let value): return value
        case .integer(0): return false
        case .integer(1): return true
        case .attribute(_, let value): return value.bool
        default: return nil
        }
    }

    /// The bytes of a bulk, simple or verbatim string.
    public var bytes: ByteBuffer? {
        switch self {
        case .bulkString(let bytes): return bytes
        case .simpleString(let text): return ByteBuffer(string: text)
        case .verbatim(_, let text): return text
        case .attribute(_, let value): return value.bytes
        default: return nil
        }
    }

    /// The elements of an array, set or push.
    public var array: [RESPValue]? {
        switch self {
        case .array(let values), .set(let values), .push(let values): return values
        case .attribute(_, let value): return value.array
        default: return nil
        }
    }

    /// A RESP3 map, or a RESP2 flat array of alternating keys and values (as `HGETALL` returns).
    public var map: RESPMap? {
        switch self {
        case .map(let map): return map
        case .array(let values):
            guard values.count % 2 == 0 else { return nil }
            var entries: [RESPMap.Entry] = []
            entries.reserveCapacity(values.count / 2)
            var index = 0
            while index < values.count {
                entries.append(RESPMap.Entry(key: values[index], value: values[index + 1]))
                index += 2
            }
            return RESPMap(entries)
        case .attribute(_, let value): return value.map
        default: return nil
        }
    }

    /// A hash reply (`HGETALL`: a RESP3 map or a RESP2 flat array) as field → value bytes; nil when the
    /// reply is not a hash. Fields that are not strings are left out.
    public var hashFields: [String: ByteBuffer]? {
        guard let map else { return nil }
        var fields: [String: ByteBuffer] = [:]
        for entry in map.entries {
            if let name = entry.key.string, let bytes = entry.value.bytes { fields[name] = bytes }
        }
        return fields
    }

    /// The error the server replied with, if this is one.
    public var error: RESPError? {
        switch self {
        case .error(let error): return error
        case .attribute(_, let value): return value.error
        default: return nil
        }
    }

    /// Whether this is a null of either protocol.
    public var isNull: Bool {
        switch self {
        case .null: return true
        case .attribute(_, let value): return value.isNull
        default: return false
        }
    }

    /// The value without any RESP3 attributes attached to it.
    public var withoutAttributes: RESPValue {
        if case .attribute(_, let value) = self { return value.withoutAttributes }
        return self
    }
}
