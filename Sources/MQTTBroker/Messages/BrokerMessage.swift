import MQTTCore
import NIOCore

/// An application message inside the broker. Immutable and shared by reference: one allocation per
/// publish, however many subscribers receive it.
public final class BrokerMessage: Sendable {
    public let id: MessageID
    public let topic: String
    public let payload: ByteBuffer
    public let qos: QoS
    public let retain: Bool
    /// The publishing client; nil for messages the broker or the backend injects.
    public let publisher: String?
    /// The 5.0 properties carried end to end (payload format, content type, response topic, correlation
    /// data, user properties); nil when there are none, which is the common case.
    public let properties: MQTTProperties?
    /// When the Message Expiry Interval runs out (§3.3.2.3.3); nil if it never expires.
    public let expiresAt: NIODeadline?
    /// Unix time of the publish in milliseconds, for storage (`ts`).
    public let timestampMillis: Int64

    public init(id: MessageID, topic: String, payload: ByteBuffer, qos: QoS, retain: Bool, publisher: String?,
                properties: MQTTProperties? = nil, expiresAt: NIODeadline? = nil, timestampMillis: Int64) {
        self.id = id
        self.topic = topic
        self.payload = payload
        self.qos = qos
        self.retain = retain
        self.publisher = publisher
        self.properties = properties.flatMap { $0.isEmpty ? nil : $0 }
        self.expiresAt = expiresAt
        self.timestampMillis = timestampMillis
    }

    /// The same message with another retain flag or QoS (retained copies, stored copies).
    public func with(retain: Bool? = nil, qos: QoS? = nil) -> BrokerMessage {
        BrokerMessage(id: id, topic: topic, payload: payload, qos: qos ?? self.qos, retain: retain ?? self.retain,
                      publisher: publisher, properties: properties, expiresAt: expiresAt,
                      timestampMillis: timestampMillis)
    }

    public func isExpired(at now: NIODeadline) -> Bool {
        expiresAt.map { now >= $0 } ?? false
    }

    /// Properties of an outgoing PUBLISH: the carried ones, with the expiry interval counted down (§3.3.2.3.3).
    func outgoingProperties(now: NIODeadline) -> MQTTProperties {
        var result = properties ?? MQTTProperties()
        if let expiresAt {
            let remaining = (expiresAt - now).nanoseconds / 1_000_000_000
            result.messageExpiryInterval = UInt32(clamping: max(remaining, 1))
        }
        return result
    }

    /// Keeps only the properties a broker forwards from an inbound PUBLISH (§3.3.2.3).
    static func forwardedProperties(of inbound: MQTTProperties) -> MQTTProperties? {
        var kept = MQTTProperties()
        kept.payloadFormatIndicator = inbound.payloadFormatIndicator
        kept.contentType = inbound.contentType
        kept.responseTopic = inbound.responseTopic
        kept.correlationData = inbound.correlationData
        kept.userProperties = inbound.userProperties
        return kept.isEmpty ? nil : kept
    }
}
