import NIOCore

/// Reads the fields of one packet whose body is already complete in memory.
///
/// Because the framer hands over the whole body, running out of bytes here is never "wait for more": it
/// is a malformed packet, and every read says which field was cut short.
public struct PacketReader {
    @usableFromInline var buffer: ByteBuffer
    public let packetType: PacketType

    public init(body: ByteBuffer, packetType: PacketType) {
        self.buffer = body
        self.packetType = packetType
    }

    public var remaining: Int { buffer.readableBytes }
    public var isAtEnd: Bool { buffer.readableBytes == 0 }

    func malformed(_ message: String) -> MQTTProtocolError {
        .malformed(message, packetType)
    }

    public mutating func readByte(_ field: String) throws -> UInt8 {
        guard let value = buffer.readInteger(as: UInt8.self) else { throw malformed("\(field) missing") }
        return value
    }

    public mutating func readUInt16(_ field: String) throws -> UInt16 {
        guard let value = buffer.readInteger(endianness: .big, as: UInt16.self) else {
            throw malformed("\(field) truncated")
        }
        return value
    }

    public mutating func readUInt32(_ field: String) throws -> UInt32 {
        guard let value = buffer.readInteger(endianness: .big, as: UInt32.self) else {
            throw malformed("\(field) truncated")
        }
        return value
    }

    public mutating func readVariableInteger(_ field: String) throws -> Int {
        switch VariableByteInteger.peek(buffer, at: buffer.readerIndex) {
        case .value(let value, let count):
            buffer.moveReaderIndex(forwardBy: count)
            return value
        case .needMoreBytes: throw malformed("\(field) truncated")
        case .invalid: throw malformed("\(field) is not a valid variable byte integer")
        }
    }

    /// Binary data: a two-byte length, then that many bytes (§1.5.6).
    public mutating func readBinary(_ field: String) throws -> ByteBuffer {
        let length = Int(try readUInt16("\(field) length"))
        guard let slice = buffer.readSlice(length: length) else { throw malformed("\(field) truncated") }
        return slice
    }

    /// A UTF-8 encoded string (§1.5.4): well-formed UTF-8 without U+0000, else a malformed packet.
    public mutating func readString(_ field: String) throws -> String {
        let length = Int(try readUInt16("\(field) length"))
        guard let view = buffer.readBytes(length: length) else { throw malformed("\(field) truncated") }
        guard let string = MQTTString.validate(view) else {
            throw malformed("\(field) is not valid UTF-8 or contains U+0000")
        }
        return string
    }

    /// Everything left: the payload of PUBLISH, as a slice sharing storage with the read buffer.
    public mutating func readRest() -> ByteBuffer {
        buffer.readSlice(length: buffer.readableBytes) ?? ByteBuffer()
    }

    public mutating func readSlice(length: Int, _ field: String) throws -> PacketReader {
        guard let slice = buffer.readSlice(length: length) else { throw malformed("\(field) truncated") }
        return PacketReader(body: slice, packetType: packetType)
    }

    public func expectEnd() throws {
        if !isAtEnd { throw malformed("\(remaining) unexpected trailing bytes") }
    }
}

/// MQTT's rules for strings (§1.5.4).
public enum MQTTString {
    /// The string for `bytes` if they are well-formed UTF-8 with no U+0000 (surrogates cannot appear in
    /// well-formed UTF-8), else nil.
    public static func validate(_ bytes: [UInt8]) -> String? {
        if bytes.contains(0) { return nil }
        return String(validating: bytes, as: UTF8.self)
    }

    /// Whether `string` can be sent: at most 65,535 bytes of UTF-8 and no U+0000.
    public static func isEncodable(_ string: String) -> Bool {
        string.utf8.count <= 65_535 && !string.utf8.contains(0)
    }
}
