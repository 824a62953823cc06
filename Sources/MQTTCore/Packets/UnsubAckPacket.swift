import NIOCore

/// UNSUBACK (§3.11). Reason codes exist only in 5.0; a 3.1.1 UNSUBACK is the packet identifier alone.
public struct UnsubAckPacket: MQTTPacketCodable, Hashable {
    public static let packetType = PacketType.unsuback

    public var packetID: UInt16
    public var reasons: [ReasonCode]
    public var properties: MQTTProperties

    public init(packetID: UInt16, reasons: [ReasonCode] = [], properties: MQTTProperties = MQTTProperties()) {
        self.packetID = packetID
        self.reasons = reasons
        self.properties = properties
    }

    public static func read(from reader: inout PacketReader, flags: UInt8, version: MQTTVersion) throws -> Self {
        let id = try reader.readUInt16("packet identifier")
        guard version.hasProperties else {
            try reader.expectEnd()
            return UnsubAckPacket(packetID: id)
        }
        let properties = try reader.readProperties(.unsuback)
        var reasons: [ReasonCode] = []
        while !reader.isAtEnd { reasons.append(try reader.readReasonCode(version: version)) }
        return UnsubAckPacket(packetID: id, reasons: reasons, properties: properties)
    }

    public func bodySize(version: MQTTVersion) -> Int {
        version.hasProperties ? 2 + properties.encodedSize + reasons.count : 2
    }

    public func writeBody(version: MQTTVersion, to buffer: inout ByteBuffer) {
        buffer.writeInteger(packetID, endianness: .big)
        guard version.hasProperties else { return }
        properties.write(to: &buffer)
        for reason in reasons { buffer.writeInteger(reason.rawValue) }
    }
}
