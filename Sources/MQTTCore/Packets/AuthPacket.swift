import NIOCore

/// AUTH (§3.15), 5.0 only: enhanced authentication exchanges.
public struct AuthPacket: MQTTPacketCodable, Hashable {
    public static let packetType = PacketType.auth

    public var reason: ReasonCode
    public var properties: MQTTProperties

    public init(reason: ReasonCode = .success, properties: MQTTProperties = MQTTProperties()) {
        self.reason = reason
        self.properties = properties
    }

    public static func read(from reader: inout PacketReader, flags: UInt8, version: MQTTVersion) throws -> Self {
        guard version.hasProperties else {
            throw MQTTProtocolError.malformed("AUTH is not a 3.1.1 packet", .auth)
        }
        if reader.isAtEnd { return AuthPacket() }
        let reason = try reader.readReasonCode(version: version)
        let properties = reader.isAtEnd ? MQTTProperties() : try reader.readProperties(.auth)
        try reader.expectEnd()
        return AuthPacket(reason: reason, properties: properties)
    }

    public func bodySize(version: MQTTVersion) -> Int {
        reason == .success && properties.isEmpty ? 0 : 1 + properties.encodedSize
    }

    public func writeBody(version: MQTTVersion, to buffer: inout ByteBuffer) {
        guard bodySize(version: version) > 0 else { return }
        buffer.writeInteger(reason.rawValue)
        properties.write(to: &buffer)
    }
}
