/// A snapshot of how a client's link to Redis is doing, for the console's header and for alerting.
public struct RedisHealth: Sendable, Hashable, CustomStringConvertible {
    public enum State: String, Sendable, Hashable {
        /// Starting up: no connection attempt has finished yet.
        case connecting
        /// Commands can be sent (in cluster mode: every master has a connection).
        case connected
        /// Redis is unreachable; commands fail fast with ``RedisError/Kind/notConnected`` while the client retries.
        case reconnecting
        /// ``RedisClient/close()`` was called.
        case closed
    }

    public var state: State
    /// Where commands go now: the server, the current master (sentinel), or the cluster's masters.
    public var endpoint: String?
    /// The most recent failure (connect, lost connection, timeout), kept after recovery.
    public var lastError: RedisError?
    /// Round trip of the latest health-check `PING` (the slowest node in cluster mode).
    public var latency: Duration?
    /// Open connections.
    public var connections: Int
    /// Counts successful (re)connections: a change means a reconnect happened, so anything that only arrives
    /// while connected (pub/sub messages, keyspace events) may have been missed.
    public var generation: Int

    public init(state: State, endpoint: String? = nil, lastError: RedisError? = nil, latency: Duration? = nil,
                connections: Int = 0, generation: Int = 0) {
        self.state = state
        self.endpoint = endpoint
        self.lastError = lastError
        self.latency = latency
        self.connections = connections
        self.generation = generation
    }

    public var isConnected: Bool { state == .connected }

    public var description: String {
        var text = state.rawValue
        if let endpoint { text += " \(endpoint)" }
        if let latency { text += " latency \(latency)" }
        if let lastError, state != .connected { text += " last error: \(lastError)" }
        return text
    }
}
