import NIOCore

/// Frames and decodes MQTT packets from a byte stream. Pure: no I/O, fed any split of the bytes.
///
/// A server-side decoder starts without a version; the first packet must be CONNECT, whose protocol level
/// fixes the version for the rest of the stream. A client-side decoder is given its version up front.
public struct MQTTPacketDecoder: Sendable {
    public private(set) var version: MQTTVersion?
    /// Largest whole packet accepted; a larger one is refused from its fixed header, before buffering it.
    public var maximumPacketSize: Int

    public init(version: MQTTVersion? = nil, maximumPacketSize: Int = VariableByteInteger.maximum + 5) {
        self.version = version
        self.maximumPacketSize = maximumPacketSize
    }

    /// Decodes one packet from the front of `buffer`, or returns nil and consumes nothing when the packet is
    /// not complete yet. Throws when the bytes can never form a valid packet; the connection must then close.
    public mutating func decode(from buffer: inout ByteBuffer) throws -> MQTTPacket? {
        let start = buffer.readerIndex
        guard let firstByte = buffer.getInteger(at: start, as: UInt8.self) else { return nil }
        guard let type = PacketType(rawValue: firstByte >> 4) else {
            throw MQTTProtocolError.malformed("reserved packet type 0")
        }
        let flags = firstByte & 0x0F
        if type != .publish && flags != type.requiredFlags {
            throw MQTTProtocolError.malformed("invalid fixed header flags 0x\(String(flags, radix: 16))", type)
        }
        let remainingLength: Int
        let lengthBytes: Int
        switch VariableByteInteger.peek(buffer, at: start + 1) {
        case .needMoreBytes: return nil
        case .invalid: throw MQTTProtocolError.malformed("invalid remaining length", type)
        case .value(let value, let count):
            remainingLength = value
            lengthBytes = count
        }
        let total = 1 + lengthBytes + remainingLength
        if total > maximumPacketSize {
            throw MQTTProtocolError(.packetTooLarge, "packet of \(total) bytes exceeds the maximum of \(maximumPacketSize)",
                                    packetType: type)
        }
        guard buffer.readableBytes >= total,
              let body = buffer.getSlice(at: start + 1 + lengthBytes, length: remainingLength) else { return nil }
        var reader = PacketReader(body: body, packetType: type)
        let packet = try decodeBody(type: type, flags: flags, reader: &reader)
        buffer.moveReaderIndex(to: start + total)
        return packet
    }

    private mutating func decodeBody(type: PacketType, flags: UInt8, reader: inout PacketReader) throws -> MQTTPacket {
        guard let version else {
            guard type == .connect else {
                throw MQTTProtocolError.protocolError("first packet must be CONNECT, got \(type)", type)
            }
            let connect = try ConnectPacket.read(from: &reader, flags: flags, version: .v5)
            self.version = connect.version
            return .connect(connect)
        }
        switch type {
        case .connect:
            // A second CONNECT is a protocol violation (§3.1.0-2); decode it anyway so the caller can say so.
            return .connect(try ConnectPacket.read(from: &reader, flags: flags, version: version))
        case .connack: return .connack(try ConnAckPacket.read(from: &reader, flags: flags, version: version))
        case .publish: return .publish(try PublishPacket.read(from: &reader, flags: flags, version: version))
        case .puback: return .publishAck(try PublishAckPacket.read(kind: .puback, from: &reader, version: version))
        case .pubrec: return .publishAck(try PublishAckPacket.read(kind: .pubrec, from: &reader, version: version))
        case .pubrel: return .publishAck(try PublishAckPacket.read(kind: .pubrel, from: &reader, version: version))
        case .pubcomp: return .publishAck(try PublishAckPacket.read(kind: .pubcomp, from: &reader, version: version))
        case .subscribe: return .subscribe(try SubscribePacket.read(from: &reader, flags: flags, version: version))
        case .suback: return .suback(try SubAckPacket.read(from: &reader, flags: flags, version: version))
        case .unsubscribe:
            return .unsubscribe(try UnsubscribePacket.read(from: &reader, flags: flags, version: version))
        case .unsuback: return .unsuback(try UnsubAckPacket.read(from: &reader, flags: flags, version: version))
        case .pingreq:
            try reader.expectEnd()
            return .pingreq
        case .pingresp:
            try reader.expectEnd()
            return .pingresp
        case .disconnect:
            return .disconnect(try DisconnectPacket.read(from: &reader, flags: flags, version: version))
        case .auth: return .auth(try AuthPacket.read(from: &reader, flags: flags, version: version))
        }
    }
}
