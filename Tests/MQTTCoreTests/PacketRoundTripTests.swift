import MQTTCore
import NIOCore
import Testing

/// Every packet type, encoded then decoded, in both versions it exists in, comes back equal.
struct PacketRoundTripTests {
    static func buffer(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

    static var fullProperties: MQTTProperties {
        var p = MQTTProperties()
        p.payloadFormatIndicator = 1
        p.messageExpiryInterval = 60
        p.contentType = "text/plain"
        p.responseTopic = "reply/here"
        p.correlationData = buffer("corr")
        p.subscriptionIdentifiers = [7, 300]
        p.topicAlias = 3
        p.userProperties = [UserProperty("k", "v"), UserProperty("k", "v2")]
        return p
    }

    static let samples: [(MQTTPacket, [MQTTVersion])] = {
        var connectProperties = MQTTProperties()
        connectProperties.sessionExpiryInterval = 3600
        connectProperties.receiveMaximum = 10
        connectProperties.maximumPacketSize = 1_000_000
        connectProperties.topicAliasMaximum = 5
        connectProperties.userProperties = [UserProperty("a", "b")]
        var willProperties = MQTTProperties()
        willProperties.willDelayInterval = 5
        willProperties.contentType = "json"
        let will = WillMessage(topic: "will/t", payload: buffer("bye"), qos: .atLeastOnce, retain: true,
                               properties: willProperties)
        let will311 = WillMessage(topic: "will/t", payload: buffer("bye"), qos: .exactlyOnce, retain: false)
        var connackProperties = MQTTProperties()
        connackProperties.assignedClientIdentifier = "auto-1"
        connackProperties.serverKeepAlive = 30
        connackProperties.maximumQoS = 1
        connackProperties.retainAvailable = 1
        connackProperties.sharedSubscriptionAvailable = 1
        var reason = MQTTProperties()
        reason.reasonString = "because"
        var subscribeProperties = MQTTProperties()
        subscribeProperties.subscriptionIdentifiers = [42]
        var disconnectProperties = MQTTProperties()
        disconnectProperties.sessionExpiryInterval = 0
        disconnectProperties.reasonString = "bye"
        var authProperties = MQTTProperties()
        authProperties.authenticationMethod = "SCRAM"
        authProperties.authenticationData = buffer("data")
        return [
            (.connect(ConnectPacket(version: .v5, clientID: "c1", cleanStart: false, keepAlive: 30, username: "u",
                                    password: buffer("p"), will: will, properties: connectProperties)), [.v5]),
            (.connect(ConnectPacket(version: .v3_1_1, clientID: "设备-01", keepAlive: 0, username: "u",
                                    password: buffer("p"), will: will311)), [.v3_1_1]),
            (.connect(ConnectPacket(version: .v3_1, clientID: "old", cleanStart: true)), [.v3_1]),
            (.connack(ConnAckPacket(sessionPresent: true, reason: .success, properties: connackProperties)), [.v5]),
            (.connack(ConnAckPacket(sessionPresent: false, reason: .notAuthorized)), [.v5, .v3_1_1]),
            (.publish(PublishPacket(topic: "a/b", payload: buffer("hello"), qos: .atMostOnce, retain: true)),
             [.v5, .v3_1_1]),
            (.publish(PublishPacket(topic: "a/b", payload: buffer(""), qos: .exactlyOnce, dup: true, packetID: 65535)),
             [.v5, .v3_1_1]),
            (.publish(PublishPacket(topic: "a/b", payload: buffer("x"), qos: .atLeastOnce, packetID: 1,
                                    properties: fullProperties)), [.v5]),
            (.publishAck(PublishAckPacket(.puback, packetID: 9)), [.v5, .v3_1_1]),
            (.publishAck(PublishAckPacket(.pubrec, packetID: 9, reason: .noMatchingSubscribers)), [.v5]),
            (.publishAck(PublishAckPacket(.pubrel, packetID: 9, reason: .packetIdentifierNotFound, properties: reason)),
             [.v5]),
            (.publishAck(PublishAckPacket(.pubcomp, packetID: 9)), [.v5, .v3_1_1]),
            (.subscribe(SubscribePacket(packetID: 5, subscriptions: [
                SubscriptionRequest(filter: "a/+", qos: .atLeastOnce, noLocal: true, retainAsPublished: true,
                                    retainHandling: .sendIfNew),
                SubscriptionRequest(filter: "$share/g/b/#", qos: .exactlyOnce),
            ], properties: subscribeProperties)), [.v5]),
            (.subscribe(SubscribePacket(packetID: 5, subscriptions: [SubscriptionRequest(filter: "a/#", qos: .exactlyOnce)])),
             [.v3_1_1]),
            (.suback(SubAckPacket(packetID: 5, reasons: [.grantedQoS1, .topicFilterInvalid], properties: reason)), [.v5]),
            (.suback(SubAckPacket(packetID: 5, reasons: [.grantedQoS2, .unspecifiedError])), [.v3_1_1]),
            (.unsubscribe(UnsubscribePacket(packetID: 6, filters: ["a/+", "b"])), [.v5, .v3_1_1]),
            (.unsuback(UnsubAckPacket(packetID: 6, reasons: [.success, .noSubscriptionExisted])), [.v5]),
            (.unsuback(UnsubAckPacket(packetID: 6)), [.v3_1_1]),
            (.pingreq, [.v5, .v3_1_1]),
            (.pingresp, [.v5, .v3_1_1]),
            (.disconnect(DisconnectPacket()), [.v5, .v3_1_1]),
            (.disconnect(DisconnectPacket(reason: .serverShuttingDown, properties: disconnectProperties)), [.v5]),
            (.auth(AuthPacket(reason: .continueAuthentication, properties: authProperties)), [.v5]),
        ]
    }()

    @Test(arguments: 0..<samples.count)
    func roundTrip(index: Int) throws {
        let (packet, versions) = Self.samples[index]
        for version in versions {
            var buffer = ByteBuffer()
            packet.write(version: version, to: &buffer)
            #expect(buffer.readableBytes == packet.encodedSize(version: version))
            var decoder = MQTTPacketDecoder(version: packet.packetType == .connect ? nil : version)
            let decoded = try decoder.decode(from: &buffer)
            #expect(decoded == packet, "version \(version)")
            #expect(buffer.readableBytes == 0)
        }
    }

    /// Fed one byte at a time, the decoder waits, consumes nothing, then yields the same packet.
    @Test(arguments: 0..<samples.count)
    func byteAtATime(index: Int) throws {
        let (packet, versions) = Self.samples[index]
        let version = versions[0]
        var encoded = ByteBuffer()
        packet.write(version: version, to: &encoded)
        encoded.writeBytes([0xC0, 0x00]) // a PINGREQ behind it must stay for the next call
        var decoder = MQTTPacketDecoder(version: packet.packetType == .connect ? nil : version)
        var fed = ByteBuffer()
        var result: MQTTPacket?
        let bytes = Array(encoded.readableBytesView)
        for (index, byte) in bytes.enumerated() {
            fed.writeInteger(byte)
            if let packet = try decoder.decode(from: &fed) {
                result = packet
                fed.writeBytes(bytes[(index + 1)...])
                break
            }
        }
        #expect(result == packet)
        #expect(try decoder.decode(from: &fed) == .pingreq)
    }
}
