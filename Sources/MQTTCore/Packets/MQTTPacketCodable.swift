import NIOCore

/// One control packet's wire format. Each packet type is a value in its own file; the decoder frames bytes
/// and dispatches on the fixed header's type to `read`, the encoder calls `write`.
public protocol MQTTPacketCodable: Sendable {
    static var packetType: PacketType { get }
    /// Decodes the variable header and payload. `flags` is the fixed header's low nibble.
    static func read(from reader: inout PacketReader, flags: UInt8, version: MQTTVersion) throws -> Self
    /// The fixed header's low nibble.
    func flags(version: MQTTVersion) -> UInt8
    /// Bytes after the fixed header.
    func bodySize(version: MQTTVersion) -> Int
    func writeBody(version: MQTTVersion, to buffer: inout ByteBuffer)
}

extension MQTTPacketCodable {
    public func flags(version: MQTTVersion) -> UInt8 { Self.packetType.requiredFlags }

    /// Bytes of the whole packet, fixed header included; compared with a peer's Maximum Packet Size.
    public func encodedSize(version: MQTTVersion) -> Int {
        let body = bodySize(version: version)
        return 1 + VariableByteInteger.size(of: body) + body
    }

    /// Appends the whole packet.
    public func write(version: MQTTVersion, to buffer: inout ByteBuffer) {
        let body = bodySize(version: version)
        buffer.reserveCapacity(minimumWritableBytes: 5 + body)
        buffer.writeFixedHeader(Self.packetType, flags: flags(version: version), remainingLength: body)
        writeBody(version: version, to: &buffer)
    }
}
