import NIOCore

/// Field writers shared by every packet's encoder.
extension ByteBuffer {
    @inlinable
    public mutating func writeMQTTString(_ string: String) {
        let length = string.utf8.count
        writeInteger(UInt16(truncatingIfNeeded: length), endianness: .big)
        writeString(string)
    }

    @inlinable
    public mutating func writeMQTTBinary(_ data: ByteBuffer) {
        writeInteger(UInt16(truncatingIfNeeded: data.readableBytes), endianness: .big)
        writeImmutableBuffer(data)
    }

    @inlinable
    public mutating func writeMQTTBinary(_ bytes: [UInt8]) {
        writeInteger(UInt16(truncatingIfNeeded: bytes.count), endianness: .big)
        writeBytes(bytes)
    }

    /// The fixed header: type and flags, then the remaining length.
    @inlinable
    public mutating func writeFixedHeader(_ type: PacketType, flags: UInt8 = 0, remainingLength: Int) {
        writeInteger(type.rawValue << 4 | flags)
        VariableByteInteger.write(remainingLength, to: &self)
    }
}

extension String {
    /// Bytes this string takes as an MQTT string field: the two-byte length and the UTF-8.
    @inlinable var mqttFieldSize: Int { 2 + utf8.count }
}
