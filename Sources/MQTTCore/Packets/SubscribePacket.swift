import NIOCore

/// What to do with retained messages when a subscription is made (§3.8.3.1).
public enum RetainHandling: UInt8, Sendable, Hashable {
    case sendAlways = 0
    case sendIfNew = 1
    case doNotSend = 2
}

/// One entry of SUBSCRIBE: the filter text as sent (validated by the broker, which answers an invalid one in
/// SUBACK) and the subscription options.
public struct SubscriptionRequest: Sendable, Hashable {
    public var filter: String
    public var qos: QoS
    public var noLocal: Bool
    public var retainAsPublished: Bool
    public var retainHandling: RetainHandling

    public init(filter: String, qos: QoS, noLocal: Bool = false, retainAsPublished: Bool = false,
                retainHandling: RetainHandling = .sendAlways) {
        self.filter = filter
        self.qos = qos
        self.noLocal = noLocal
        self.retainAsPublished = retainAsPublished
        self.retainHandling = retainHandling
    }

    /// The options as the SUBSCRIBE packet carries them (§3.8.3.1).
    public var optionsByte: UInt8 {
        qos.rawValue | (noLocal ? 0x04 : 0) | (retainAsPublished ? 0x08 : 0) | retainHandling.rawValue << 4
    }
}

/// SUBSCRIBE (§3.8).
public struct SubscribePacket: MQTTPacketCodable, Hashable {
    public static let packetType = PacketType.subscribe

    public var packetID: UInt16
    public var subscriptions: [SubscriptionRequest]
    public var properties: MQTTProperties

    public init(packetID: UInt16, subscriptions: [SubscriptionRequest], properties: MQTTProperties = MQTTProperties()) {
        self.packetID = packetID
        self.subscriptions = subscriptions
        self.properties = properties
    }

    public static func read(from reader: inout PacketReader, flags: UInt8, version: MQTTVersion) throws -> Self {
        let id = try reader.readUInt16("packet identifier")
        guard id != 0 else { throw MQTTProtocolError.malformed("packet identifier 0", .subscribe) }
        let properties = version.hasProperties ? try reader.readProperties(.subscribe) : MQTTProperties()
        var subscriptions: [SubscriptionRequest] = []
        while !reader.isAtEnd {
            let filter = try reader.readString("topic filter")
            let options = try reader.readByte("subscription options")
            let reservedMask: UInt8 = version.hasProperties ? 0xC0 : 0xFC
            guard options & reservedMask == 0 else {
                throw MQTTProtocolError.malformed("reserved subscription option bits set for \"\(filter)\"", .subscribe)
            }
            guard let qos = QoS(rawValue: options & 0x03) else {
                throw MQTTProtocolError.malformed("qos 3 requested for \"\(filter)\"", .subscribe)
            }
            guard let handling = RetainHandling(rawValue: (options >> 4) & 0x03) else {
                throw MQTTProtocolError.protocolError("retain handling 3 for \"\(filter)\"", .subscribe)
            }
            subscriptions.append(SubscriptionRequest(filter: filter, qos: qos, noLocal: options & 0x04 != 0,
                                                     retainAsPublished: options & 0x08 != 0,
                                                     retainHandling: handling))
        }
        guard !subscriptions.isEmpty else {
            throw MQTTProtocolError.protocolError("SUBSCRIBE without topic filters", .subscribe)
        }
        return SubscribePacket(packetID: id, subscriptions: subscriptions, properties: properties)
    }

    public func bodySize(version: MQTTVersion) -> Int {
        2 + (version.hasProperties ? properties.encodedSize : 0)
            + subscriptions.reduce(0) { $0 + $1.filter.mqttFieldSize + 1 }
    }

    public func writeBody(version: MQTTVersion, to buffer: inout ByteBuffer) {
        buffer.writeInteger(packetID, endianness: .big)
        if version.hasProperties { properties.write(to: &buffer) }
        for subscription in subscriptions {
            buffer.writeMQTTString(subscription.filter)
            buffer.writeInteger(version.hasProperties ? subscription.optionsByte : subscription.qos.rawValue)
        }
    }
}
