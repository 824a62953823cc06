import Foundation

/// The SUB/UNSUB message on the channel (`mqtt_channel` by default, spec §5): business servers, the
/// console and other brokers PUBLISH `{"type":"subscribe","topic":T,"clientid":C,"qos":Q}` or
/// `{"type":"unsubscribe","topic":T,"clientid":C}`, and the node holding client C applies it. Written and
/// read here only, so the console, the backend and the Events strip agree on every field.
public struct ChannelMessage: Sendable, Hashable {
    public enum Kind: String, Sendable {
        case subscribe, unsubscribe
    }

    public var kind: Kind
    /// The topic filter, as given (checking it is the broker's job).
    public var topic: String
    public var clientID: String
    /// 0 to 2; 0 when absent (and for unsubscribe).
    public var qos: Int

    public init(kind: Kind, topic: String, clientID: String, qos: Int = 0) {
        self.kind = kind
        self.topic = topic
        self.clientID = clientID
        self.qos = qos
    }

    /// The JSON text, keys in the order EMQX documents them; `qos` only on subscribe.
    public var text: String {
        var members: [(String, JSONText.Value)] = [("type", .string(kind.rawValue)), ("topic", .string(topic)),
                                                    ("clientid", .string(clientID))]
        if kind == .subscribe { members.append(("qos", .int(qos))) }
        return JSONText.object(members)
    }

    /// Reads one message; the error says what is wrong with it. `qos` may be a number or a numeric string.
    public init(decoding text: String) throws(ChannelMessageError) {
        guard let data = text.data(using: .utf8),
              let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw ChannelMessageError("not a JSON object")
        }
        guard let type = object["type"] as? String else { throw ChannelMessageError("no \"type\"") }
        guard let kind = Kind(rawValue: type) else {
            throw ChannelMessageError("unknown type \"\(type)\" (subscribe or unsubscribe)")
        }
        guard let topic = object["topic"] as? String, !topic.isEmpty else {
            throw ChannelMessageError("\"topic\" is missing or not a valid topic filter")
        }
        guard let clientID = object["clientid"] as? String, !clientID.isEmpty else {
            throw ChannelMessageError("\"clientid\" is missing")
        }
        var qos = 0
        if let raw = object["qos"] {
            let number: Int? = (raw as? String).flatMap { Int($0) } ?? JSONInteger.from(raw)
            guard let number, (0...2).contains(number) else { throw ChannelMessageError("\"qos\" must be 0, 1 or 2") }
            qos = number
        }
        self.init(kind: kind, topic: topic, clientID: clientID, qos: qos)
    }
}

public struct ChannelMessageError: Error, CustomStringConvertible {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}
