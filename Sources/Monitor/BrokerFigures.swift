/// The broker's own counters for the figures line of the traffic view: from the embedded broker, or from
/// `$SYS/#` (Mosquitto's and EMQX's names) in attach mode with `--mqtt`. Nil fields are unknown.
public struct BrokerFigures: Sendable, Hashable {
    /// The node the figures are for (`mqtop@host`, an EMQX node name).
    public var node: String?
    public var uptimeSeconds: Int?
    public var connections: Int?
    public var messagesInPerSecond: Double?
    public var messagesOutPerSecond: Double?
    public var bytesIn: Int?
    public var bytesOut: Int?
    public var subscriptions: Int?
    public var retained: Int?
    public var dropped: Int?

    public init() {}
}
