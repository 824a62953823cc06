import EMQXLayout
import Foundation
import Logging
import MQTTBroker
import MQTTCore
import RedisClient

/// The SUB/UNSUB channel (spec §5, `ChannelMessage`): the node holding the client applies the change.
/// Bad events are logged with their raw text; nothing else changes.
struct ChannelListener: Sendable {
    let broker: Broker
    let logger: Logger

    /// A channel message, checked for what the broker needs: a valid topic filter.
    static func decode(_ text: String) throws(ChannelMessageError) -> ChannelMessage {
        let message = try ChannelMessage(decoding: text)
        guard SubscriptionTarget(message.topic) != nil else {
            throw ChannelMessageError("\"topic\" is missing or not a valid topic filter")
        }
        return message
    }

    /// Applies one raw channel message.
    func apply(_ text: String, channel: String) async {
        let event: ChannelMessage
        do {
            event = try Self.decode(text)
        } catch {
            logger.warning("ignored event on \(channel): \(error): \(text)")
            return
        }
        guard broker.sessionState(clientID: event.clientID).exists else {
            logger.debug("event on \(channel) for \(event.clientID), which has no session on this node")
            return
        }
        let applied: Bool
        switch event.kind {
        case .subscribe:
            applied = await broker.subscribe(clientID: event.clientID, filter: event.topic,
                                             qos: QoS(rawValue: UInt8(event.qos)) ?? .atMostOnce)
        case .unsubscribe: applied = await broker.unsubscribe(clientID: event.clientID, filter: event.topic)
        }
        if applied {
            logger.info("\(event.kind.rawValue) \(event.topic) (qos \(event.qos)) via \(channel)",
                        metadata: ["client-id": "\(event.clientID)"])
        } else {
            logger.warning("\(event.kind.rawValue) \(event.topic) via \(channel) changed nothing: \(text)",
                           metadata: ["client-id": "\(event.clientID)"])
        }
    }
}
