import Logging
import NIOCore
import NIOPosix

/// Everything a ``RedisClient`` or ``RedisSubscriber`` needs to reach Redis and behave under failure.
public struct RedisConfiguration: Sendable {
    /// Where the servers are.
    public var topology: RedisTopology
    /// ACL user (`AUTH user pass`); `nil` authenticates the `default` user with ``password``.
    public var username: String?
    public var password: String?
    /// `SELECT`ed on every connection (not in cluster mode, which only has database 0).
    public var database: Int
    /// TLS for every connection (`rediss://`); `nil` for plain TCP and unix sockets.
    public var tls: RedisTLSOptions?
    /// Connections per server. Commands are pipelined, so a few connections carry a lot: each one can have
    /// thousands of commands in flight. More connections spread the work over more event loops.
    public var poolSize: Int
    /// Sent with `CLIENT SETNAME`, shown in `CLIENT LIST`.
    public var clientName: String?
    /// Bound on TCP connect, TLS handshake and session setup together.
    public var connectTimeout: Duration
    /// Bound on each reply. When it passes, the connection is closed and replaced, failing every command in
    /// flight on it: replies come in order, so one missing reply stalls all that follow. `nil` waits forever
    /// (needed for blocking commands with long timeouts, or give those their own client).
    public var commandTimeout: Duration?
    /// Delays between reconnect attempts: doubles from `initial` up to `maximum`, with jitter.
    public var reconnectBackoff: Backoff
    /// How often an idle client sends `PING` to measure latency and notice a dead peer; `nil` never.
    public var healthCheckInterval: Duration?
    /// `nil` tries `HELLO 3` and falls back to RESP2 on servers before 6; `2` or `3` forces one.
    public var protocolVersion: Int?
    /// Credentials for the sentinels themselves (often none, even when the master has a password).
    public var sentinelUsername: String?
    public var sentinelPassword: String?
    /// Cluster: the most `MOVED`/`ASK` hops one command may take.
    public var maxRedirects: Int
    /// Pub/sub: the most messages a ``RedisSubscriber`` holds for a consumer that has not read them yet; past
    /// it the oldest are dropped, counted and logged, so a stalled consumer cannot grow memory without bound.
    public var subscriberBufferLimit: Int
    /// Where clients made from this configuration log. Unset, a `mqtop.redis` logger is made when a client
    /// is, not when the configuration is: one made before `LoggingSystem.bootstrap` would bypass the
    /// application's handler (and write over a console's screen).
    public var logger: Logger {
        get { explicitLogger ?? Logger(label: "mqtop.redis") }
        set { explicitLogger = newValue }
    }
    private var explicitLogger: Logger?
    public var eventLoopGroup: any EventLoopGroup

    /// The delays between reconnect attempts.
    public struct Backoff: Sendable, Hashable {
        public var initial: Duration
        public var maximum: Duration

        public init(initial: Duration = .milliseconds(100), maximum: Duration = .seconds(5)) {
            self.initial = initial
            self.maximum = maximum
        }

        /// The delay before attempt `attempt` (0-based), with ±20% jitter so a fleet does not reconnect in step.
        public func delay(attempt: Int) -> Duration {
            let grown = initial * (1 << min(max(attempt, 0), 20))
            return min(grown, maximum) * Double.random(in: 0.8...1.2)
        }

        /// Calls `attempt` (with its 0-based number) until it says it is done, waiting the growing delay
        /// between tries; `waitingFirst` when the caller made a first try itself. Stops when the task is
        /// cancelled. Returns whether an attempt said done.
        @discardableResult
        public func retry(waitingFirst: Bool = false, _ attempt: (_ number: Int) async -> Bool) async -> Bool {
            var number = 0
            if waitingFirst { try? await Task.sleep(for: delay(attempt: number)) }
            while !Task.isCancelled {
                if await attempt(number) { return true }
                try? await Task.sleep(for: delay(attempt: number))
                number += 1
            }
            return false
        }
    }

    public init(topology: RedisTopology) {
        self.topology = topology
        database = 0
        poolSize = 2
        connectTimeout = .seconds(5)
        commandTimeout = .seconds(10)
        reconnectBackoff = Backoff()
        healthCheckInterval = .seconds(1)
        maxRedirects = 5
        subscriberBufferLimit = 100_000
        eventLoopGroup = MultiThreadedEventLoopGroup.singleton
    }

    /// A configuration from a Redis URL (see ``RedisURL`` for the forms and query options).
    public init(url: String) throws(RedisError) {
        try self.init(url: RedisURL(url))
    }

    public init(url: RedisURL) {
        self.init(topology: url.topology)
        username = url.username
        password = url.password
        database = url.database ?? 0
        tls = url.tls
        clientName = url.clientName
        if let value = url.connectTimeout { connectTimeout = value }
        if let value = url.commandTimeout { commandTimeout = value }
        if let value = url.poolSize { poolSize = value }
        protocolVersion = url.protocolVersion
    }

    func validate() throws(RedisError) {
        guard poolSize >= 1 else { throw RedisError(.configurationInvalid, "poolSize must be at least 1") }
        guard database >= 0 else { throw RedisError(.configurationInvalid, "database must not be negative") }
        if case .cluster = topology, database != 0 {
            throw RedisError(.configurationInvalid, "Redis Cluster has only database 0")
        }
        if let version = protocolVersion, version != 2, version != 3 {
            throw RedisError(.configurationInvalid, "protocolVersion must be 2 or 3")
        }
        switch topology {
        case .sentinel(let sentinels, let name):
            guard !sentinels.isEmpty, !name.isEmpty else {
                throw RedisError(.configurationInvalid, "sentinel mode needs at least one sentinel and a master name")
            }
        case .cluster(let seeds):
            guard !seeds.isEmpty else { throw RedisError(.configurationInvalid, "cluster mode needs a seed node") }
        case .single:
            break
        }
    }
}

// MARK: - CustomStringConvertible

extension RedisConfiguration: CustomStringConvertible {
    /// The settings without secrets: passwords print as `***`.
    public var description: String {
        var url = RedisURL(topology: topology)
        url.username = username
        url.password = password
        url.database = database == 0 ? nil : database
        url.tls = tls
        url.clientName = clientName
        var text = url.description + " pool \(poolSize), connect timeout \(connectTimeout)"
        if let commandTimeout { text += ", command timeout \(commandTimeout)" }
        if let protocolVersion { text += ", RESP\(protocolVersion)" }
        if sentinelPassword != nil { text += ", sentinel auth ***" }
        return text
    }
}

extension Duration {
    var timeAmount: TimeAmount {
        let (seconds, attoseconds) = components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
