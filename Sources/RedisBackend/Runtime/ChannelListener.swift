import Foundation
import Logging
import MQTTBroker
import MQTTCore
import RedisClient

/// The SUB/UNSUB channel (spec §5): business servers, or the console, PUBLISH
/// `{"type":"subscribe","topic":T,"clientid":C,"qos":Q}` or `{"type":"unsubscribe",...}`, and the node
/// holding client C applies it. Bad events are logged with their raw text; nothing else changes.
struct ChannelListener: Sendable {
    let broker: Broker
    let logger: Logger

    /// One decoded event.
    struct Event: Equatable {
        enum Kind: String { case subscribe, unsubscribe }
        var kind: Kind
        var topic: String
        var clientID: String
        var qos: QoS
    }

    /// Decodes an event; the error says what is wrong with it.
    static func decode(_ text: String) throws(ChannelEventError) -> Event {
        guard let data = text.data(using: .utf8),
              let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw ChannelEventError("not a JSON object")
        }
        guard let type = object["type"] as? String else { throw ChannelEventError("no \"type\"") }
        guard let kind = Event.Kind(rawValue: type) else {
            throw ChannelEventError("unknown type \"\(type)\" (subscribe or unsubscribe)")
        }
        guard let topic = object["topic"] as? String, SubscriptionTarget(topic) != nil else {
            throw ChannelEventError("\"topic\" is missing or not a valid topic filter")
        }
        guard let clientID = object["clientid"] as? String, !clientID.isEmpty else {
            throw ChannelEventError("\"clientid\" is missing")
        }
        var qos = QoS.atMostOnce
        if let raw = object["qos"] {
            let number: Int? = (raw as? String).flatMap { Int($0) } ?? JSONInteger.from(raw)
            guard let number, let parsed = QoS(rawValue: UInt8(clamping: number)), number >= 0 else {
                throw ChannelEventError("\"qos\" must be 0, 1 or 2")
            }
            qos = parsed
        }
        return Event(kind: kind, topic: topic, clientID: clientID, qos: qos)
    }

    /// Applies one raw channel message.
    func apply(_ text: String, channel: String) async {
        let event: Event
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
        case .subscribe: applied = await broker.subscribe(clientID: event.clientID, filter: event.topic, qos: event.qos)
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

public struct ChannelEventError: Error, CustomStringConvertible {
    public let reason: String
    init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}
