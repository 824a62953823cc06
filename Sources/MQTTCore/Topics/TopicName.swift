/// A topic name a message is published to (§4.7): non-empty, no wildcards, valid MQTT string.
/// Constructing one validates it, so a `TopicName` past the codec edge is always legal.
public struct TopicName: Sendable, Hashable, CustomStringConvertible {
    public let string: String

    public init?(_ string: String) {
        guard !string.isEmpty, MQTTString.isEncodable(string) else { return nil }
        for byte in string.utf8 where byte == UInt8(ascii: "+") || byte == UInt8(ascii: "#") {
            return nil
        }
        self.string = string
    }

    /// Topics starting with `$` are not matched by filters starting with a wildcard (§4.7.2).
    public var isSystemTopic: Bool { string.utf8.first == UInt8(ascii: "$") }

    public var description: String { string }
}
