import NIOCore

/// SUBACK (§3.9): one reason code per requested filter, in order. In 3.1.1 any failure is written 0x80.
public struct SubAckPacket: MQTTPacketCodable, Hashable {
    public static let packetType = PacketType.suback

    public var packetID: UInt16
    public var reasons: [ReasonCode]
    public var properties: MQTTProperties

    public init(packetID: UInt16, reasons: [ReasonCode], properties: MQTTProperties = MQTTProperties()) {
        self.packetID = packetID
        self.reasons = reasons
        self.properties = properties
    }

    public static func read(from reader: inout PacketReader, flags: UInt8, version: MQTTVersion) throws -> Self {
        let id = try reader.readUInt16("packet identifier")
        let properties = version.hasProperties ? try reader.readProperties(.suback) : MQTTProperties()
        var reasons: [ReasonCode] = []
        while !reader.isAtEnd { reasons.append(try reader.readReasonCode(version: version)) }
        return SubAckPacket(packetID: id, reasons: reasons, properties: properties)
    }

    public func bodySize(version: MQTTVersion) -> Int {
        2 + (version.hasProperties ? properties.encodedSize : 0) + reasons.count
    }

    public func writeBody(version: MQTTVersion, to buffer: inout ByteBuffer) {
        buffer.writeInteger(packetID, endianness: .big)
        if version.hasProperties { properties.write(to: &buffer) }
        for reason in reasons {
            buffer.writeInteger(version.hasProperties || !reason.isFailure ? reason.rawValue : 0x80)
        }
    }
}
