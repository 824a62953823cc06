import NIOCore

/// Any control packet, version-neutral: the version is a property of the connection, not of the value.
public enum MQTTPacket: Sendable, Hashable {
    case connect(ConnectPacket)
    case connack(ConnAckPacket)
    case publish(PublishPacket)
    case publishAck(PublishAckPacket)
    case subscribe(SubscribePacket)
    case suback(SubAckPacket)
    case unsubscribe(UnsubscribePacket)
    case unsuback(UnsubAckPacket)
    case pingreq
    case pingresp
    case disconnect(DisconnectPacket)
    case auth(AuthPacket)

    public var packetType: PacketType {
        switch self {
        case .connect: .connect
        case .connack: .connack
        case .publish: .publish
        case .publishAck(let ack): ack.kind.packetType
        case .subscribe: .subscribe
        case .suback: .suback
        case .unsubscribe: .unsubscribe
        case .unsuback: .unsuback
        case .pingreq: .pingreq
        case .pingresp: .pingresp
        case .disconnect: .disconnect
        case .auth: .auth
        }
    }

    /// Bytes of the whole packet on the wire.
    public func encodedSize(version: MQTTVersion) -> Int {
        switch self {
        case .connect(let p): p.encodedSize(version: version)
        case .connack(let p): p.encodedSize(version: version)
        case .publish(let p): p.encodedSize(version: version)
        case .publishAck(let p): p.encodedSize(version: version)
        case .subscribe(let p): p.encodedSize(version: version)
        case .suback(let p): p.encodedSize(version: version)
        case .unsubscribe(let p): p.encodedSize(version: version)
        case .unsuback(let p): p.encodedSize(version: version)
        case .pingreq, .pingresp: 2
        case .disconnect(let p): p.encodedSize(version: version)
        case .auth(let p): p.encodedSize(version: version)
        }
    }

    /// Appends the packet in `version`'s wire format.
    public func write(version: MQTTVersion, to buffer: inout ByteBuffer) {
        switch self {
        case .connect(let p): p.write(version: version, to: &buffer)
        case .connack(let p): p.write(version: version, to: &buffer)
        case .publish(let p): p.write(version: version, to: &buffer)
        case .publishAck(let p): p.write(version: version, to: &buffer)
        case .subscribe(let p): p.write(version: version, to: &buffer)
        case .suback(let p): p.write(version: version, to: &buffer)
        case .unsubscribe(let p): p.write(version: version, to: &buffer)
        case .unsuback(let p): p.write(version: version, to: &buffer)
        case .pingreq: buffer.writeFixedHeader(.pingreq, remainingLength: 0)
        case .pingresp: buffer.writeFixedHeader(.pingresp, remainingLength: 0)
        case .disconnect(let p): p.write(version: version, to: &buffer)
        case .auth(let p): p.write(version: version, to: &buffer)
        }
    }
}
