import NIOCore

/// DISCONNECT (§3.14). Empty in 3.1.1; in 5.0 a reason code and properties, both optional on the wire.
public struct DisconnectPacket: MQTTPacketCodable, Hashable {
    public static let packetType = PacketType.disconnect

    public var reason: ReasonCode
    public var properties: MQTTProperties

    public init(reason: ReasonCode = .normalDisconnection, properties: MQTTProperties = MQTTProperties()) {
        self.reason = reason
        self.properties = properties
    }

    public static func read(from reader: inout PacketReader, flags: UInt8, version: MQTTVersion) throws -> Self {
        guard version.hasProperties, !reader.isAtEnd else {
            try reader.expectEnd()
            return DisconnectPacket()
        }
        let reason = try reader.readReasonCode(version: version)
        let properties = reader.isAtEnd ? MQTTProperties() : try reader.readProperties(.disconnect)
        try reader.expectEnd()
        return DisconnectPacket(reason: reason, properties: properties)
    }

    public func bodySize(version: MQTTVersion) -> Int {
        guard version.hasProperties else { return 0 }
        if reason == .normalDisconnection && properties.isEmpty { return 0 }
        return 1 + properties.encodedSize
    }

    public func writeBody(version: MQTTVersion, to buffer: inout ByteBuffer) {
        guard bodySize(version: version) > 0 else { return }
        buffer.writeInteger(reason.rawValue)
        properties.write(to: &buffer)
    }
}
