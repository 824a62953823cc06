import EMQXLayout
import Foundation

/// What the console shows, as plain values: built by the monitor from Redis (and, in embedded mode, from
/// the in-process broker), rendered by ConsoleUI. Nothing here talks to Redis or to a terminal.
public struct DashboardSnapshot: Sendable, Hashable {
    public var header: HeaderInfo
    public var clients: [ClientRow]
    public var subscriptions: [SubscriptionRow]
    public var retained: [RetainedRow]
    public var queues: [QueueRow]
    /// Newest first.
    public var events: [EventRow]
    /// When the last complete sweep of Redis finished.
    public var sweptAt: Date?
    /// Panes whose first sweep has not finished, with how far it got: their counts are partial.
    public var scanning: [SweptPane: Double] = [:]

    public init(header: HeaderInfo = HeaderInfo(), clients: [ClientRow] = [], subscriptions: [SubscriptionRow] = [],
                retained: [RetainedRow] = [], queues: [QueueRow] = [], events: [EventRow] = [], sweptAt: Date? = nil,
                scanning: [SweptPane: Double] = [:]) {
        self.header = header
        self.clients = clients
        self.subscriptions = subscriptions
        self.retained = retained
        self.queues = queues
        self.events = events
        self.sweptAt = sweptAt
        self.scanning = scanning
    }
}

/// The header line: mode, where the data comes from, and live figures.
public struct HeaderInfo: Sendable, Hashable {
    public enum Mode: String, Sendable { case embedded, attach, demo }
    public enum RedisState: Sendable, Hashable {
        case connected(role: String)      // "master", "replica", "cluster (3 masters)"
        case reconnecting(lastError: String)
        case down(lastError: String)
    }

    public var mode: Mode = .embedded
    /// The Redis endpoint, password masked (`unix:…/redis.sock`, `redis://***@host:6379/0`).
    public var redisEndpoint: String = ""
    public var redisState: RedisState = .connected(role: "master")
    public var redisMemory: String?           // "1.2 MB" from INFO memory
    /// Broker listeners in embedded mode (`mqtt://127.0.0.1:1883`); empty in attach mode.
    public var listeners: [String] = []
    public var backendBuffer: Int?            // commands waiting (embedded mode)
    public var backendDropped: Int?
    /// Messages per second, oldest first, for the sparkline (embedded: broker figures; attach: from INFO).
    public var messageRates: [Double] = []
    public var connections: Int?
    public var inflight: Int?
    public var readOnly: Bool = false
    public var paused: Bool = false
    /// The broker's counters (embedded: ours; attach: from `$SYS` over `--mqtt`).
    public var broker: BrokerFigures?
    /// The layout the keys are read as (attach mode); nil where the engine's own layout is implied.
    public var layout: LayoutReport?
    /// The mqtop cluster's nodes (`--cluster`); nil for a single broker.
    public var cluster: ClusterHeader?

    public init() {}
}

/// The nodes of an mqtop cluster as the header lists them.
public struct ClusterHeader: Sendable, Hashable {
    public var name: String
    public var nodes: [ClusterNodeRow]

    public init(name: String, nodes: [ClusterNodeRow]) {
        self.name = name
        self.nodes = nodes
    }
}

public struct ClusterNodeRow: Sendable, Hashable {
    public var name: String
    /// Its heartbeat key is there; a node without one is gone (until a survivor removes it).
    public var alive: Bool
    /// Clients in its `mqtt:node:<node>` hash.
    public var clients: Int

    public init(name: String, alive: Bool, clients: Int) {
        self.name = name
        self.alive = alive
        self.clients = clients
    }
}

/// The panes a sweep fills, for its progress.
public enum SweptPane: String, Sendable, Hashable, CaseIterable {
    case clients, subscriptions, retained, queues
}

public struct ClientRow: Sendable, Hashable {
    /// `unknown`: the layout keeps no client state (the offline-message plugin's), the client is known
    /// only from its stored subscriptions.
    public enum Presence: String, Sendable, Hashable { case online, offline, unknown }

    public var clientID: String
    public var presence: Presence
    public var online: Bool { presence == .online }
    public var node: String?
    /// online_at while online, offline_at while offline (unix ms); nil when unknown.
    public var since: Int64?
    // Embedded mode only:
    public var address: String?
    public var protocolVersion: String?       // "3.1.1", "5.0"
    public var keepAlive: Int?
    public var inflight: Int?
    public var queued: Int?

    public init(clientID: String, online: Bool, node: String? = nil, since: Int64? = nil, address: String? = nil,
                protocolVersion: String? = nil, keepAlive: Int? = nil, inflight: Int? = nil, queued: Int? = nil) {
        self.init(clientID: clientID, presence: online ? .online : .offline, node: node, since: since,
                  address: address, protocolVersion: protocolVersion, keepAlive: keepAlive, inflight: inflight,
                  queued: queued)
    }

    public init(clientID: String, presence: Presence, node: String? = nil, since: Int64? = nil,
                address: String? = nil, protocolVersion: String? = nil, keepAlive: Int? = nil,
                inflight: Int? = nil, queued: Int? = nil) {
        self.clientID = clientID
        self.presence = presence
        self.node = node
        self.since = since
        self.address = address
        self.protocolVersion = protocolVersion
        self.keepAlive = keepAlive
        self.inflight = inflight
        self.queued = queued
    }
}

extension ClientRow {
    /// The Clients pane's order: online clients first (by id), then offline ones, most recently gone first,
    /// so the clients a dev broker's `mosquitto_pub` runs leave behind never bury the live ones.
    ///
    /// Each part is sorted with a closure on the fields it compares: a comparator taking whole rows copies
    /// (retains and releases) every field per comparison, which made a 100,000-client sweep 7× slower.
    public static func inListOrder(_ rows: [ClientRow]) -> [ClientRow] {
        var online = rows.filter(\.online)
        var offline = rows.filter { !$0.online }
        online.sort { $0.clientID < $1.clientID }
        offline.sort { a, b in
            let (x, y) = (a.since ?? Int64.min, b.since ?? Int64.min)
            return x != y ? x > y : a.clientID < b.clientID
        }
        return online + offline
    }
}

public struct SubscriptionRow: Sendable, Hashable {
    public enum Source: String, Sendable { case stored, live, both }
    public var clientID: String
    public var filter: String
    public var qos: Int
    public var source: Source

    public init(clientID: String, filter: String, qos: Int, source: Source) {
        self.clientID = clientID
        self.filter = filter
        self.qos = qos
        self.source = source
    }
}

public struct RetainedRow: Sendable, Hashable {
    public var topic: String
    public var qos: Int
    public var from: String
    /// Unix ms of the publish.
    public var timestamp: Int64?
    public var payload: Data
    public var messageID: String

    public init(topic: String, qos: Int, from: String, timestamp: Int64?, payload: Data, messageID: String) {
        self.topic = topic
        self.qos = qos
        self.from = from
        self.timestamp = timestamp
        self.payload = payload
        self.messageID = messageID
    }
}

public struct QueueRow: Sendable, Hashable {
    public var topic: String
    /// ZCARD mqtt:msg:<topic>.
    public var depth: Int
    /// Unix ms of the oldest stored message, if readable.
    public var oldest: Int64?
    /// Per-subscriber backlog from mqtt:acked:<cid>:<topic>: messages after each cursor.
    public var backlog: [Backlog]

    public struct Backlog: Sendable, Hashable {
        public var clientID: String
        public var pending: Int
        public init(clientID: String, pending: Int) {
            self.clientID = clientID
            self.pending = pending
        }
    }

    public init(topic: String, depth: Int, oldest: Int64?, backlog: [Backlog]) {
        self.topic = topic
        self.depth = depth
        self.oldest = oldest
        self.backlog = backlog
    }
}

public struct EventRow: Sendable, Hashable {
    public enum Kind: String, Sendable { case connect, disconnect, subscribe, unsubscribe, error, info }
    public var time: Date
    public var kind: Kind
    public var text: String

    public init(time: Date, kind: Kind, text: String) {
        self.time = time
        self.kind = kind
        self.text = text
    }
}
