import NIOCore

/// The will message a client leaves with CONNECT (§3.1.2.5).
public struct WillMessage: Sendable, Hashable {
    public var topic: String
    public var payload: ByteBuffer
    public var qos: QoS
    public var retain: Bool
    public var properties: MQTTProperties

    public init(topic: String, payload: ByteBuffer, qos: QoS = .atMostOnce, retain: Bool = false,
                properties: MQTTProperties = MQTTProperties()) {
        self.topic = topic
        self.payload = payload
        self.qos = qos
        self.retain = retain
        self.properties = properties
    }
}

/// CONNECT (§3.1).
public struct ConnectPacket: MQTTPacketCodable, Hashable {
    public static let packetType = PacketType.connect

    public var version: MQTTVersion
    /// Clean Start (5.0) or Clean Session (3.1.1).
    public var cleanStart: Bool
    public var keepAlive: UInt16
    public var clientID: String
    public var username: String?
    public var password: ByteBuffer?
    public var will: WillMessage?
    public var properties: MQTTProperties

    public init(version: MQTTVersion = .v5, clientID: String, cleanStart: Bool = true, keepAlive: UInt16 = 60,
                username: String? = nil, password: ByteBuffer? = nil, will: WillMessage? = nil,
                properties: MQTTProperties = MQTTProperties()) {
        self.version = version
        self.clientID = clientID
        self.cleanStart = cleanStart
        self.keepAlive = keepAlive
        self.username = username
        self.password = password
        self.will = will
        self.properties = properties
    }

    private var protocolName: String { version == .v3_1 ? "MQIsdp" : "MQTT" }

    // MARK: - Decoding

    /// Reads a CONNECT. The version is the packet's own protocol level, not the argument: CONNECT is what
    /// tells the server which version the rest of the connection speaks.
    public static func read(from reader: inout PacketReader, flags: UInt8, version: MQTTVersion) throws -> Self {
        let name = try reader.readString("protocol name")
        let level = try reader.readByte("protocol level")
        guard let announced = MQTTVersion(rawValue: level),
              (announced == .v3_1 && name == "MQIsdp") || (announced != .v3_1 && name == "MQTT") else {
            if name != "MQTT" && name != "MQIsdp" {
                throw MQTTProtocolError.protocolError("unknown protocol name \"\(name)\"", .connect)
            }
            throw MQTTProtocolError(.unsupportedProtocolVersion,
                                    "unsupported protocol level \(level) for \"\(name)\"", packetType: .connect)
        }
        do {
            return try readAfterLevel(from: &reader, version: announced)
        } catch var error as MQTTProtocolError {
            error.connectVersion = announced
            throw error
        }
    }

    private static func readAfterLevel(from reader: inout PacketReader, version announced: MQTTVersion) throws -> Self {
        let connectFlags = try reader.readByte("connect flags")
        guard connectFlags & 0x01 == 0 else {
            throw MQTTProtocolError.malformed("reserved connect flag is set", .connect)
        }
        let hasUsername = connectFlags & 0x80 != 0
        let hasPassword = connectFlags & 0x40 != 0
        let willRetain = connectFlags & 0x20 != 0
        let willQoSBits = (connectFlags >> 3) & 0x03
        let hasWill = connectFlags & 0x04 != 0
        let cleanStart = connectFlags & 0x02 != 0
        guard let willQoS = QoS(rawValue: willQoSBits) else {
            throw MQTTProtocolError.malformed("will qos 3", .connect)
        }
        if !hasWill && (willQoSBits != 0 || willRetain) {
            throw MQTTProtocolError.malformed("will qos or retain set without a will", .connect)
        }
        if announced != .v5 && hasPassword && !hasUsername {
            throw MQTTProtocolError.malformed("password flag without user name flag", .connect)
        }
        let keepAlive = try reader.readUInt16("keep alive")
        let properties = announced.hasProperties ? try reader.readProperties(.connect) : MQTTProperties()
        let clientID = try reader.readString("client identifier")
        var will: WillMessage?
        if hasWill {
            let willProperties = announced.hasProperties ? try reader.readProperties(.will) : MQTTProperties()
            let topic = try reader.readString("will topic")
            guard TopicName(topic) != nil else {
                throw MQTTProtocolError(.topicNameInvalid, "will topic \"\(topic)\" is not a valid topic name",
                                        packetType: .connect)
            }
            let payload = try reader.readBinary("will payload")
            will = WillMessage(topic: topic, payload: payload, qos: willQoS, retain: willRetain,
                               properties: willProperties)
        }
        let username = hasUsername ? try reader.readString("user name") : nil
        let password = hasPassword ? try reader.readBinary("password") : nil
        try reader.expectEnd()
        return ConnectPacket(version: announced, clientID: clientID, cleanStart: cleanStart, keepAlive: keepAlive,
                             username: username, password: password, will: will, properties: properties)
    }

    // MARK: - Encoding

    public func bodySize(version _: MQTTVersion) -> Int {
        var size = protocolName.mqttFieldSize + 1 + 1 + 2 + clientID.mqttFieldSize
        if version.hasProperties { size += properties.encodedSize }
        if let will {
            if version.hasProperties { size += will.properties.encodedSize }
            size += will.topic.mqttFieldSize + 2 + will.payload.readableBytes
        }
        if let username { size += username.mqttFieldSize }
        if let password { size += 2 + password.readableBytes }
        return size
    }

    public func writeBody(version _: MQTTVersion, to buffer: inout ByteBuffer) {
        buffer.writeMQTTString(protocolName)
        buffer.writeInteger(version.rawValue)
        var flags: UInt8 = cleanStart ? 0x02 : 0
        if let will {
            flags |= 0x04 | will.qos.rawValue << 3 | (will.retain ? 0x20 : 0)
        }
        if password != nil { flags |= 0x40 }
        if username != nil { flags |= 0x80 }
        buffer.writeInteger(flags)
        buffer.writeInteger(keepAlive, endianness: .big)
        if version.hasProperties { properties.write(to: &buffer) }
        buffer.writeMQTTString(clientID)
        if let will {
            if version.hasProperties { will.properties.write(to: &buffer) }
            buffer.writeMQTTString(will.topic)
            buffer.writeMQTTBinary(will.payload)
        }
        if let username { buffer.writeMQTTString(username) }
        if let password { buffer.writeMQTTBinary(password) }
    }
}
