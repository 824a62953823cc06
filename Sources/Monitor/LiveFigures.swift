/// What the in-process broker knows that Redis does not (embedded mode): addresses, protocol versions,
/// windows, live subscriptions, rates. Merged over the Redis view, which stays the source of truth for
/// who exists and what is stored.
public struct LiveFigures: Sendable, Hashable {
    public struct Client: Sendable, Hashable {
        public var clientID: String
        public var connected: Bool
        public var address: String
        public var protocolVersion: String
        public var keepAlive: Int
        public var inflight: Int
        public var queued: Int
        /// Filter → QoS of the subscriptions the broker holds now.
        public var subscriptions: [String: Int]

        public init(clientID: String, connected: Bool, address: String, protocolVersion: String, keepAlive: Int,
                    inflight: Int, queued: Int, subscriptions: [String: Int]) {
            self.clientID = clientID
            self.connected = connected
            self.address = address
            self.protocolVersion = protocolVersion
            self.keepAlive = keepAlive
            self.inflight = inflight
            self.queued = queued
            self.subscriptions = subscriptions
        }
    }

    public var clients: [Client] = []
    public var listeners: [String] = []
    public var connections: Int = 0
    public var inflight: Int = 0
    /// Messages per second, oldest first.
    public var messageRates: [Double] = []
    public var backendBuffer: Int?
    public var backendDropped: Int?
    public var broker: BrokerFigures?

    public init() {}
}

extension DashboardSnapshot {
    /// This Redis view with the broker's live figures laid over it: client rows gain address, protocol,
    /// keepalive, inflight and queue; subscriptions the broker holds but Redis does not are `live`, those
    /// in both are `both`; the header shows the broker's rates and backend buffer.
    public func merging(_ live: LiveFigures) -> DashboardSnapshot {
        var merged = self
        let byID = Dictionary(live.clients.map { ($0.clientID, $0) }, uniquingKeysWith: { first, _ in first })
        for index in merged.clients.indices {
            guard let client = byID[merged.clients[index].clientID], client.connected else { continue }
            merged.clients[index].address = client.address
            merged.clients[index].protocolVersion = client.protocolVersion
            merged.clients[index].keepAlive = client.keepAlive
            merged.clients[index].inflight = client.inflight
            merged.clients[index].queued = client.queued
        }
        var stored = Set<String>()
        for index in merged.subscriptions.indices {
            let row = merged.subscriptions[index]
            stored.insert(row.clientID + "\u{0}" + row.filter)
            if byID[row.clientID]?.subscriptions[row.filter] != nil {
                merged.subscriptions[index].source = .both
            }
        }
        for client in live.clients {
            for (filter, qos) in client.subscriptions where !stored.contains(client.clientID + "\u{0}" + filter) {
                merged.subscriptions.append(SubscriptionRow(clientID: client.clientID, filter: filter, qos: qos,
                                                            source: .live))
            }
        }
        merged.subscriptions.sort { ($0.clientID, $0.filter) < ($1.clientID, $1.filter) }
        merged.header.listeners = live.listeners
        merged.header.connections = live.connections
        merged.header.inflight = live.inflight
        merged.header.messageRates = live.messageRates
        merged.header.backendBuffer = live.backendBuffer
        merged.header.backendDropped = live.backendDropped
        merged.header.broker = live.broker ?? merged.header.broker
        return merged
    }
}
