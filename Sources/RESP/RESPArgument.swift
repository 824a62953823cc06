import NIOCore

/// One argument of a command, sent as a binary-safe bulk string.
///
/// Literals work directly: `["user:1", 42, 1.5]`. Numbers are written in decimal without a `String` in between.
public struct RESPArgument: Sendable, Hashable {
    enum Storage: Sendable, Hashable {
        case string(String)
        case bytes(ByteBuffer)
        case byteArray([UInt8])
        case integer(Int64)
        case double(Double)
    }

    let storage: Storage

    public init(_ string: String) { storage = .string(string) }
    public init(_ string: Substring) { storage = .string(String(string)) }
    public init(_ bytes: ByteBuffer) { storage = .bytes(bytes) }
    public init(_ bytes: [UInt8]) { storage = .byteArray(bytes) }
    public init(_ value: Int) { storage = .integer(Int64(value)) }
    public init(_ value: Int64) { storage = .integer(value) }
    /// Doubles as Redis reads them: `inf` and `-inf` for the infinities, shortest round-trip text otherwise.
    /// A whole number within ±2^53 is sent as an integer (`1`, not `1.0`: the same score to Redis), which the
    /// encoder sizes exactly, so a `ZADD key 1 member` takes its one-pass path.
    public init(_ value: Double) {
        if value.rounded() == value, abs(value) <= 9_007_199_254_740_992 {
            storage = .integer(Int64(value))
        } else {
            storage = .double(value)
        }
    }

    /// The argument's bytes (allocates; meant for logs and routing, not the write path).
    public var bytes: ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeArgumentPayload(self)
        return buffer
    }

    /// Bytes this argument takes on the wire, an upper bound for numbers; for sizing buffers.
    public var encodedSizeEstimate: Int {
        switch storage {
        case .string(let text): return text.utf8.count + 16
        case .bytes(let bytes): return bytes.readableBytes + 16
        case .byteArray(let bytes): return bytes.count + 16
        case .integer, .double: return 40
        }
    }

    /// The payload's exact length when it is known without formatting (all but doubles).
    var exactPayloadLength: Int? {
        switch storage {
        case .string(let text): return text.utf8.count
        case .bytes(let bytes): return bytes.readableBytes
        case .byteArray(let bytes): return bytes.count
        case .integer(let value): return ByteBuffer.decimalLength(value)
        case .double: return nil
        }
    }

    /// The argument as text (lossy for binary data).
    public var text: String { String(buffer: bytes) }
}

// MARK: - Literals

extension RESPArgument: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self.init(value) }
}

extension RESPArgument: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int) { self.init(value) }
}

extension RESPArgument: ExpressibleByFloatLiteral {
    public init(floatLiteral value: Double) { self.init(value) }
}

// MARK: - CustomStringConvertible

extension RESPArgument: CustomStringConvertible {
    public var description: String {
        switch storage {
        case .string(let text): return text
        case .integer(let value): return String(value)
        case .double: return text
        case .bytes(let bytes): return RESPValue.escaped(bytes)
        case .byteArray(let bytes): return RESPValue.escaped(ByteBuffer(bytes: bytes))
        }
    }
}
