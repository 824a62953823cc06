import MQTTCore

/// What the broker tells a hook consumer (the Redis backend), in the order it happened for each client.
///
/// The names follow EMQX's hook points, because the backend's rules are written against them.
public enum BrokerEvent: Sendable {
    /// The start of the disconnect reason when a connection of the same client id on another node of the
    /// cluster took the session over: the client is online there, so storage must not mark it offline.
    public static let takenOverByAnotherNode = "taken over by a connection on node "

    /// CONNACK success was sent (`client.connected`).
    case clientConnected(ClientInfo)
    /// The connection closed, for any reason (`client.disconnected`).
    case clientDisconnected(ClientInfo, reason: String)
    /// A new session was created, not resumed (`session.created`).
    case sessionCreated(ClientInfo)
    /// A subscription was added or replaced, by the client or server-side (`session.subscribed`).
    case sessionSubscribed(ClientInfo, SubscriptionInfo)
    /// A subscription was removed (`session.unsubscribed`).
    case sessionUnsubscribed(ClientInfo, filter: String)
    /// An application message was accepted from a client or injected (`message.publish`).
    case messagePublished(BrokerMessage)
    /// A message was written to a subscriber (`message.delivered`).
    case messageDelivered(clientID: String, BrokerMessage)
    /// A subscriber acknowledged a QoS 1 (PUBACK) or QoS 2 (PUBREC) message (`message.acked`).
    case messageAcked(clientID: String, BrokerMessage)

    /// The client the event belongs to, for ordering and logs.
    public var clientID: String? {
        switch self {
        case .clientConnected(let c), .clientDisconnected(let c, _), .sessionCreated(let c),
             .sessionSubscribed(let c, _), .sessionUnsubscribed(let c, _):
            c.clientID
        case .messagePublished(let m): m.publisher
        case .messageDelivered(let id, _), .messageAcked(let id, _): id
        }
    }
}

/// Who a client is, as hooks see it.
public struct ClientInfo: Sendable, Hashable {
    public var clientID: String
    public var username: String?
    public var address: String
    /// Grows with every connection the broker accepts: of two connections of one client, the newer has the
    /// larger id, whatever order their events arrive in.
    public var connectionID: UInt64
    // The small fields last: a session's machine packs its own small fields into the bytes after them.
    public var keepAlive: UInt16
    public var version: MQTTVersion
    public var cleanStart: Bool

    public init(clientID: String, username: String?, address: String, version: MQTTVersion, keepAlive: UInt16,
                cleanStart: Bool, connectionID: UInt64 = 0) {
        self.clientID = clientID
        self.username = username
        self.address = address
        self.version = version
        self.keepAlive = keepAlive
        self.cleanStart = cleanStart
        self.connectionID = connectionID
    }
}

/// A subscription as hooks see it.
public struct SubscriptionInfo: Sendable, Hashable {
    /// The filter as subscribed, `$share/<group>/` prefix included.
    public var filter: String
    public var qos: QoS
    /// Whether it replaced no earlier subscription to the same filter (offline fetches happen only then).
    public var isNew: Bool

    public init(filter: String, qos: QoS, isNew: Bool) {
        self.filter = filter
        self.qos = qos
        self.isNew = isNew
    }
}

/// Receives broker events. Called on the client's event loop, so it must return at once (enqueue, never
/// wait); the broker relies on that to keep every client's traffic flowing.
public protocol BrokerEventSink: Sendable {
    func handle(_ event: BrokerEvent)

    /// An event that happened on the broker's event loop number `lane` (0 ..< `Broker.loopCount`), called
    /// on that loop. A sink may buffer such events per lane without a lock, until `laneTickEnds(lane)`.
    func handle(_ event: BrokerEvent, lane: Int)

    /// Called on loop `lane` at the end of every tick in which it handled events with that lane, before the
    /// loop hands deliveries to other loops: what the sink buffered must be in its shared order by then,
    /// so a command caused by a delivery elsewhere (a PUBACK's ZREM) never overtakes its cause (the ZADD).
    func laneTickEnds(_ lane: Int)

    /// The loops have stopped: whatever the sink still buffers per lane is handed on now.
    func lanesStopped()
}

extension BrokerEventSink {
    public func handle(_ event: BrokerEvent, lane: Int) { handle(event) }
    public func laneTickEnds(_ lane: Int) {}
    public func lanesStopped() {}
}
