import NIOCore

/// CONNACK (§3.2). The reason is kept in 5.0 terms and mapped to a 3.1.1 return code on the wire.
public struct ConnAckPacket: MQTTPacketCodable, Hashable {
    public static let packetType = PacketType.connack

    public var sessionPresent: Bool
    public var reason: ReasonCode
    public var properties: MQTTProperties

    public init(sessionPresent: Bool = false, reason: ReasonCode = .success,
                properties: MQTTProperties = MQTTProperties()) {
        self.sessionPresent = sessionPresent
        self.reason = reason
        self.properties = properties
    }

    public static func read(from reader: inout PacketReader, flags: UInt8, version: MQTTVersion) throws -> Self {
        let ackFlags = try reader.readByte("acknowledge flags")
        guard ackFlags & 0xFE == 0 else { throw MQTTProtocolError.malformed("reserved ack flags set", .connack) }
        let reason: ReasonCode
        if version.hasProperties {
            reason = try reader.readReasonCode(version: version)
        } else {
            let code = try reader.readByte("return code")
            guard let returnCode = ConnectReturnCode(rawValue: code) else {
                throw MQTTProtocolError.malformed("unknown return code \(code)", .connack)
            }
            reason = returnCode.reasonCode
        }
        let sessionPresent = ackFlags & 1 == 1
        // A refused connection has no session (5.0 [MQTT-3.2.2-6], 3.1.1 [MQTT-3.2.2-4]).
        if sessionPresent && reason.isFailure {
            throw MQTTProtocolError.malformed("session present set with refusal \(reason)", .connack)
        }
        let properties = version.hasProperties ? try reader.readProperties(.connack) : MQTTProperties()
        try reader.expectEnd()
        return ConnAckPacket(sessionPresent: sessionPresent, reason: reason, properties: properties)
    }

    public func bodySize(version: MQTTVersion) -> Int {
        2 + (version.hasProperties ? properties.encodedSize : 0)
    }

    public func writeBody(version: MQTTVersion, to buffer: inout ByteBuffer) {
        // A refused connection never has a session present (§3.2.2.1.1).
        buffer.writeInteger(UInt8(sessionPresent && !reason.isFailure ? 1 : 0))
        if version.hasProperties {
            buffer.writeInteger(reason.rawValue)
            properties.write(to: &buffer)
        } else {
            buffer.writeInteger(ConnectReturnCode(reason).rawValue)
        }
    }
}
