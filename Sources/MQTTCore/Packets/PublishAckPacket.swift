import NIOCore

/// PUBACK, PUBREC, PUBREL and PUBCOMP (§3.4–3.7): one shape, a packet identifier and in 5.0 an optional
/// reason code and properties.
public struct PublishAckPacket: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case puback, pubrec, pubrel, pubcomp

        public var packetType: PacketType {
            switch self {
            case .puback: .puback
            case .pubrec: .pubrec
            case .pubrel: .pubrel
            case .pubcomp: .pubcomp
            }
        }
    }

    public var kind: Kind
    public var packetID: UInt16
    public var reason: ReasonCode
    public var properties: MQTTProperties

    public init(_ kind: Kind, packetID: UInt16, reason: ReasonCode = .success,
                properties: MQTTProperties = MQTTProperties()) {
        self.kind = kind
        self.packetID = packetID
        self.reason = reason
        self.properties = properties
    }

    public static func read(kind: Kind, from reader: inout PacketReader, version: MQTTVersion) throws -> Self {
        let id = try reader.readUInt16("packet identifier")
        guard id != 0 else { throw MQTTProtocolError.malformed("packet identifier 0", kind.packetType) }
        var reason = ReasonCode.success
        var properties = MQTTProperties()
        if version.hasProperties && !reader.isAtEnd {
            reason = try reader.readReasonCode(version: version)
            if !reader.isAtEnd { properties = try reader.readProperties(.pubAckFamily) }
        }
        try reader.expectEnd()
        return PublishAckPacket(kind, packetID: id, reason: reason, properties: properties)
    }

    /// The short form (no reason, no properties) whenever it says the same thing (§3.4.2.1).
    private func usesShortForm(_ version: MQTTVersion) -> Bool {
        !version.hasProperties || (reason == .success && properties.isEmpty)
    }

    public func encodedSize(version: MQTTVersion) -> Int {
        let body = bodySize(version: version)
        return 1 + VariableByteInteger.size(of: body) + body
    }

    public func bodySize(version: MQTTVersion) -> Int {
        if usesShortForm(version) { return 2 }
        return properties.isEmpty ? 3 : 3 + properties.encodedSize
    }

    public func write(version: MQTTVersion, to buffer: inout ByteBuffer) {
        buffer.writeFixedHeader(kind.packetType, flags: kind.packetType.requiredFlags,
                                remainingLength: bodySize(version: version))
        buffer.writeInteger(packetID, endianness: .big)
        if usesShortForm(version) { return }
        buffer.writeInteger(reason.rawValue)
        if !properties.isEmpty { properties.write(to: &buffer) }
    }
}
