import NIOCore

/// PUBLISH (§3.3). The topic may be empty only in 5.0 and only with a Topic Alias, which the receiver resolves.
public struct PublishPacket: MQTTPacketCodable, Hashable {
    public static let packetType = PacketType.publish

    public var topic: String
    public var payload: ByteBuffer
    public var qos: QoS
    public var retain: Bool
    public var dup: Bool
    /// Present exactly when qos > 0.
    public var packetID: UInt16?
    public var properties: MQTTProperties

    public init(topic: String, payload: ByteBuffer, qos: QoS = .atMostOnce, retain: Bool = false,
                dup: Bool = false, packetID: UInt16? = nil, properties: MQTTProperties = MQTTProperties()) {
        self.topic = topic
        self.payload = payload
        self.qos = qos
        self.retain = retain
        self.dup = dup
        self.packetID = packetID
        self.properties = properties
    }

    public static func read(from reader: inout PacketReader, flags: UInt8, version: MQTTVersion) throws -> Self {
        guard let qos = QoS(rawValue: (flags >> 1) & 0x03) else {
            throw MQTTProtocolError.malformed("qos 3", .publish)
        }
        let dup = flags & 0x08 != 0
        if dup && qos == .atMostOnce {
            // MQTT-3.3.1-2: a rule broken, not a packet that cannot be read, so 0x82 as Mosquitto answers.
            throw MQTTProtocolError.protocolError("DUP set on a qos 0 message", .publish)
        }
        let topic = try reader.readString("topic name")
        if topic.utf8.contains(where: { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "#") }) {
            throw MQTTProtocolError(.topicNameInvalid, "topic name \"\(topic)\" contains a wildcard",
                                    packetType: .publish)
        }
        var packetID: UInt16?
        if qos != .atMostOnce {
            let id = try reader.readUInt16("packet identifier")
            guard id != 0 else { throw MQTTProtocolError.malformed("packet identifier 0", .publish) }
            packetID = id
        }
        let properties = version.hasProperties ? try reader.readProperties(.publish) : MQTTProperties()
        if topic.isEmpty && properties.topicAlias == nil {
            throw MQTTProtocolError(.topicNameInvalid, "empty topic name without a topic alias", packetType: .publish)
        }
        let payload = reader.readRest()
        if properties.payloadFormatIndicator == 1, String(validating: payload.readableBytesView, as: UTF8.self) == nil {
            throw MQTTProtocolError(.payloadFormatInvalid, "payload is marked UTF-8 but is not", packetType: .publish)
        }
        return PublishPacket(topic: topic, payload: payload, qos: qos, retain: flags & 0x01 != 0, dup: dup,
                             packetID: packetID, properties: properties)
    }

    public func flags(version: MQTTVersion) -> UInt8 {
        (dup ? 0x08 : 0) | qos.rawValue << 1 | (retain ? 0x01 : 0)
    }

    public func bodySize(version: MQTTVersion) -> Int {
        topic.mqttFieldSize + (qos == .atMostOnce ? 0 : 2)
            + (version.hasProperties ? properties.encodedSize : 0) + payload.readableBytes
    }

    public func writeBody(version: MQTTVersion, to buffer: inout ByteBuffer) {
        buffer.writeMQTTString(topic)
        if qos != .atMostOnce { buffer.writeInteger(packetID ?? 0, endianness: .big) }
        if version.hasProperties { properties.write(to: &buffer) }
        buffer.writeImmutableBuffer(payload)
    }
}
