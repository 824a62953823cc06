import RedisClient

/// What a node needs to take part in a cluster.
public struct ClusterConfiguration: Sendable {
    /// The cluster's name: nodes with the same name on the same Redis are one broker.
    public var name: String
    /// This node's name, as it appears in `mqtt:node:<node>` (the broker's node name).
    public var node: String
    /// The Redis the nodes share (single, sentinel or cluster).
    public var redis: RedisConfiguration
    /// How often the node renews its heartbeat key and looks at the others'.
    public var heartbeatInterval: Duration = .seconds(1)
    /// How long a heartbeat key lives: a node that has not renewed it for this long is dead.
    public var heartbeatTimeToLive: Duration = .seconds(5)
    /// How long a connection with Clean Start 0 waits for the other nodes to say whether one of them has
    /// its session (they answer within a Redis round trip; this bounds a node that does not).
    public var handoverTimeout: Duration = .seconds(2)
    /// Messages held for the other nodes while Redis cannot take them; beyond, the oldest are dropped.
    public var bufferLimit: Int = 100_000
    /// `offline_at` as the backend writes it (seconds or milliseconds), for the clients of a dead node.
    public var storedTime: @Sendable (_ millis: Int64) -> String = { String($0 / 1000) }

    public init(name: String, node: String, redis: RedisConfiguration) {
        self.name = name
        self.node = node
        self.redis = redis
    }

    /// Whether the shared Redis is a Redis Cluster: messages then travel on sharded channels.
    var isRedisCluster: Bool {
        if case .cluster = redis.topology { return true }
        return false
    }

    /// The configuration of one of the node's own connections.
    func connection(_ role: String, poolSize: Int = 1) -> RedisConfiguration {
        var configuration = redis
        configuration.poolSize = poolSize
        configuration.clientName = "mqtop-cluster-\(role)"
        return configuration
    }
}
