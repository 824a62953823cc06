import EMQXLayout
import Foundation
import Logging
import RedisClient
import RESP
import Synchronization

/// Reads the EMQX layout from Redis into dashboard snapshots, in the background: SCAN with MATCH and COUNT
/// and pipelined reads (never KEYS, and TYPE only where a prefix holds two kinds; every master of a
/// cluster), a full sweep every `interval`, partial results
/// posted as they come so counts grow on screen. A Redis outage shows in the header, not as a frozen UI.
public final class RedisMonitor: Sendable {
    public struct Options: Sendable {
        public var mode: HeaderInfo.Mode
        /// The endpoint as shown in the header (password masked).
        public var endpoint: String
        public var channel: String
        public var interval: Duration
        public var batch: Int
        /// `--layout` in attach mode; nil reads the engine's own layout (EMQX 4's) and says nothing of it.
        public var layout: LayoutChoice?
        /// `SCAN` calls the layout probe may spend per prefix before the first sweep.
        public var probeCalls: Int
        /// The mqtop cluster whose nodes the header lists (`--cluster`).
        public var cluster: String?
        public init(mode: HeaderInfo.Mode, endpoint: String, channel: String = "mqtt_channel",
                    interval: Duration = .seconds(2), batch: Int = 1000, layout: LayoutChoice? = nil,
                    probeCalls: Int = 16, cluster: String? = nil) {
            self.cluster = cluster
            self.mode = mode
            self.endpoint = endpoint
            self.channel = channel
            self.interval = interval
            self.batch = batch
            self.layout = layout
            self.probeCalls = probeCalls
        }
    }

    public let client: RedisClient
    let options: Options
    let logger: Logger
    let state: Mutex<DashboardSnapshot>
    private let commandsPerSweep = Atomic<Int>(0)
    /// What the last layout probe saw (attach mode, `--layout auto|omp`).
    let layoutEvidence = Mutex<LayoutEvidence?>(nil)

    public init(client: RedisClient, options: Options, logger: Logger) {
        self.client = client
        self.options = options
        self.logger = logger
        var header = HeaderInfo()
        header.mode = options.mode
        header.redisEndpoint = options.endpoint
        header.redisState = .reconnecting(lastError: "connecting")
        state = Mutex(DashboardSnapshot(header: header))
    }

    /// The latest snapshot.
    public var snapshot: DashboardSnapshot { state.withLock { $0 } }

    /// Changes the snapshot and hands a copy to `post`.
    func update(_ post: @Sendable (DashboardSnapshot) -> Void, _ change: (inout DashboardSnapshot) -> Void) {
        let copy = state.withLock { snapshot -> DashboardSnapshot in
            change(&snapshot)
            return snapshot
        }
        post(copy)
    }

    /// Adds an event the console itself caused (a kick) to the Events strip, newest first.
    public func record(_ event: EventRow, post: @Sendable (DashboardSnapshot) -> Void) {
        update(post) { snapshot in
            snapshot.events.insert(event, at: 0)
            if snapshot.events.count > 200 { snapshot.events.removeLast(snapshot.events.count - 200) }
        }
    }

    /// Sweeps until cancelled, posting every change.
    public func run(post: @escaping @Sendable (DashboardSnapshot) -> Void) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.watchHealth(post) }
            group.addTask { await ChannelFeed(monitor: self).run(post) }
            group.addTask { await self.sweepLoop(post) }
            await group.waitForAll()
        }
    }

    private func sweepLoop(_ post: @escaping @Sendable (DashboardSnapshot) -> Void) async {
        var sweeps = 0
        while !Task.isCancelled {
            let started = ContinuousClock.now
            do {
                try await sweepOnce(post)
                sweeps += 1
                let elapsed = ContinuousClock.now - started
                let counts = state.withLock { ($0.clients.count, $0.subscriptions.count, $0.retained.count, $0.queues.count) }
                // The benchmark reads these lines (scripts/bench-console.py).
                logger.info("sweep \(sweeps) done in \(elapsed.milliseconds) ms: \(counts.0) clients, \(counts.1) subscriptions, \(counts.2) retained, \(counts.3) queues")
            } catch {
                if Task.isCancelled { return }
                logger.warning("sweep failed: \(error)")
                update(post) { $0.header.redisState = .down(lastError: Self.summary(of: error)) }
            }
            // A big keyspace costs Redis a full sweep: wait at least three sweeps' time between them, so a
            // production Redis spends at most a quarter of the time serving the console.
            let elapsed = ContinuousClock.now - started
            try? await Task.sleep(for: max(options.interval - elapsed, elapsed * 3, .milliseconds(200)))
        }
    }

    /// One full pass over the layout. During the first one, partial rows are posted as they come with the
    /// share walked (`scanning 45% · partial` in the titles); later passes replace each pane's rows only
    /// once its walk is complete, so no count on screen ever shrinks to a half-walked figure.
    public func sweepOnce(_ post: @escaping @Sendable (DashboardSnapshot) -> Void) async throws {
        try await readServerInfo(post)
        if let cluster = options.cluster {
            let header = try await ClusterSweep(client: client, keys: ClusterKeys(cluster: cluster)).run()
            update(post) { $0.header.cluster = header }
        }
        let layout = try await resolveLayout(post)
        let first = state.withLock { $0.sweptAt == nil }
        if first {
            update(post) { $0.scanning = Dictionary(uniqueKeysWithValues: SweptPane.allCases.map { ($0, 0) }) }
        }
        let throttle = PostThrottle(interval: .milliseconds(200))
        let partial: @Sendable (SweptPane, Double, (inout DashboardSnapshot) -> Void) -> Void = { pane, share, change in
            guard first, throttle.ready() else { return }
            self.update(post) { snapshot in
                change(&snapshot)
                snapshot.scanning[pane] = share
            }
        }
        let batch = options.batch
        if layout.storesClientState {
            let clients = try await ClientSweep(client: client, batch: batch).run { rows, share in
                partial(.clients, share) { self.merge(clients: rows, into: &$0) }
            }
            update(post) {
                merge(clients: clients, into: &$0)
                $0.scanning[.clients] = nil
            }
        }
        let subscriptions = try await SubscriptionSweep(client: client, batch: batch, layout: layout).run { rows, share in
            partial(.subscriptions, share) {
                $0.subscriptions = rows
                if !layout.storesClientState {
                    $0.clients = SubscriptionSweep.clients(of: rows)
                    $0.scanning[.clients] = share
                }
            }
        }
        update(post) {
            $0.subscriptions = subscriptions.sorted { ($0.clientID, $0.filter) < ($1.clientID, $1.filter) }
            $0.scanning[.subscriptions] = nil
            if !layout.storesClientState {
                $0.clients = SubscriptionSweep.clients(of: subscriptions)
                $0.scanning[.clients] = nil
            }
        }
        var retained: [RetainedRow] = []
        if layout.storesRetained {
            retained = try await RetainedSweep(client: client, batch: batch).run { rows, share in
                partial(.retained, share) { $0.retained = rows }
            }
        }
        update(post) {
            $0.retained = retained.sorted { $0.topic < $1.topic }
            $0.scanning[.retained] = nil
        }
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let queues = try await QueueSweep(client: client, batch: batch, layout: layout, now: now).run { rows, share in
            partial(.queues, share) { $0.queues = Array(rows.values) }
        }
        update(post) {
            $0.queues = queues.rows
            $0.scanning[.queues] = nil
            $0.sweptAt = Date()
            noteForeign(queues: queues.foreign, in: &$0)
        }
        try await reconsiderLayout(queues: queues.foreignKeys + queues.sampleKeys, post)
    }

    /// Replaces the client rows, noting connects and disconnects seen since the last sweep as events.
    private func merge(clients rows: [ClientRow], into snapshot: inout DashboardSnapshot) {
        let before = Dictionary(snapshot.clients.map { ($0.clientID, $0.online) }, uniquingKeysWith: { a, _ in a })
        if snapshot.sweptAt != nil {
            for row in rows where before[row.clientID] != row.online {
                snapshot.events.insert(EventRow(time: Date(), kind: row.online ? .connect : .disconnect,
                                                text: row.clientID + (row.node.map { " on \($0)" } ?? "")), at: 0)
            }
            if snapshot.events.count > 200 { snapshot.events.removeLast(snapshot.events.count - 200) }
        }
        snapshot.clients = ClientRow.inListOrder(rows)
    }

    private func readServerInfo(_ post: @Sendable (DashboardSnapshot) -> Void) async throws {
        let info = try await client.info()
        let role = try? await client.role()
        update(post) { snapshot in
            snapshot.header.redisMemory = info["used_memory_human"]
            if let ops = info["instantaneous_ops_per_sec"].flatMap(Double.init) {
                snapshot.header.messageRates.append(ops)
                if snapshot.header.messageRates.count > 60 { snapshot.header.messageRates.removeFirst() }
            }
            let roleText: String
            switch role {
            case .master?: roleText = "master"
            case .replica?: roleText = "replica"
            case .sentinel?: roleText = "sentinel"
            default: roleText = info["role"] ?? "unknown role"
            }
            snapshot.header.redisState = .connected(role: info["cluster_enabled"] == "1" ? "cluster" : roleText)
        }
    }

    private func watchHealth(_ post: @escaping @Sendable (DashboardSnapshot) -> Void) async {
        for await health in client.healthUpdates() {
            if health.isConnected { continue }
            let reason = health.lastError?.summary ?? health.state.rawValue
            update(post) { snapshot in
                snapshot.header.redisState = health.state == .connecting ? .reconnecting(lastError: reason)
                    : .down(lastError: reason)
            }
        }
    }
}

extension RedisMonitor {
    /// What the header says about a failure: a Redis error's few words, anything else as it describes itself.
    static func summary(of error: any Error) -> String {
        (error as? RedisError)?.summary ?? "\(error)"
    }
}

/// Lets through one partial post per interval, so a sweep of 100,000 keys does not flood the UI.
final class PostThrottle: Sendable {
    private let last = Mutex<ContinuousClock.Instant?>(nil)
    private let interval: Duration

    init(interval: Duration) { self.interval = interval }

    func ready() -> Bool {
        last.withLock { last in
            let now = ContinuousClock.now
            if let previous = last, now - previous < interval { return false }
            last = now
            return true
        }
    }
}

extension Duration {
    /// Whole milliseconds, for log lines.
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
