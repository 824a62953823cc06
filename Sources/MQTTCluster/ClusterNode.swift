import EMQXLayout
import Foundation
import NIOCore
import Logging
import MQTTBroker
import RedisClient
import Synchronization

/// One node of a cluster: speaks for its broker to the other nodes through the Redis they share.
///
/// It announces the node with a heartbeat key that expires, keeps the others' filters (`RemoteRoutes`)
/// current from the events channel, forwards each accepted message to the nodes that want it in frames
/// per loop tick, hands frames from other nodes to its broker, and marks the clients of a node whose
/// heartbeat ran out offline. Create it, give it to the `Broker` as its cluster link, `start(broker:)`
/// before the broker starts listening, `stop()` after the broker shut down.
public final class ClusterNode: ClusterLink {
    public let configuration: ClusterConfiguration
    let keys: ClusterKeys
    /// This run of the node: a restarted node is a new incarnation, whose route numbers start again.
    let incarnation: String
    let logger: Logger
    let routes = RemoteRoutes()
    let members = ClusterMembers()
    let claims = RecentClaims()
    let handovers = HandoverRequests()
    let flow: ClusterFlowControl
    let writer: ClusterWriter
    /// Heartbeats, reads of other nodes' routes, reaping: small commands that must not queue behind frames.
    let control: RedisClient
    let subscriber: RedisSubscriber
    private let lanes: [ForwardLane]
    private let brokerBox = Mutex<Broker?>(nil)
    private let tasks = Mutex<[Task<Void, Never>]>([])
    private let writerTask = Mutex<Task<Void, Never>?>(nil)
    private let stopped = Atomic<Bool>(false)
    /// Messages that came from other nodes, and copies this node sent to others.
    private let received = Atomic<Int>(0)
    private let sent = Atomic<Int>(0)
    /// Set once this run wrote itself into the nodes hash: only then does stopping remove it.
    let announced = Atomic<Bool>(false)
    /// Set once the events channel and this node's own are subscribed: the node announces itself only
    /// then, or the others' first messages for it would go to a channel nobody hears.
    let subscribed = Atomic<Bool>(false)

    /// - Parameter lanes: the broker's event loop count (`BrokerConfiguration.loopCount`).
    public init(configuration: ClusterConfiguration, lanes: Int, logger: Logger) throws {
        self.configuration = configuration
        self.logger = logger
        keys = ClusterKeys(cluster: configuration.name)
        incarnation = String(UInt64.random(in: 1...UInt64.max), radix: 36)
        control = try RedisClient(configuration: configuration.connection("control"))
        subscriber = try RedisSubscriber(configuration: configuration.connection("subscriber"))
        let data = try RedisClient(configuration: configuration.connection("forward"))
        let writer = ClusterWriter(keys: keys, node: configuration.node, incarnation: incarnation,
                                   sharded: configuration.isRedisCluster, bufferLimit: configuration.bufferLimit,
                                   client: data, logger: logger)
        self.writer = writer
        let node = configuration.node
        flow = ClusterFlowControl { writer.publish(.congestion(node: node, congested: $0)) }
        self.lanes = (0..<max(1, lanes)).map { _ in ForwardLane() }
    }

    var node: String { configuration.node }
    var broker: Broker? { brokerBox.withLock { $0 } }

    // MARK: - ClusterLink

    public func interestChanged(_ filter: String, present: Bool) {
        if filter.hasPrefix("$share/") { routes.setLocal(shared: filter, present: present, me: node) }
        writer.changeRoute(filter, present: present)
    }

    public func whenAnnounced(_ body: @escaping @Sendable () -> Void) {
        writer.whenAnnounced(body)
    }

    public func forward(_ message: BrokerMessage, lane: Int) -> ForwardOutcome {
        guard !routes.isEmpty || message.retain else { return ForwardOutcome() }
        var destinations = routes.isEmpty ? RemoteRoutes.Destinations()
            : routes.destinations(for: message.topic, me: node)
        // Every node keeps an index of retained messages, so a retained publish goes to all of them.
        if message.retain {
            for other in members.aliveOthers where destinations.nodes[other] == nil { destinations.nodes[other] = [] }
        }
        destinations.nodes[node] = nil
        var outcome = ForwardOutcome(shared: destinations.local)
        if !destinations.nodes.isEmpty, lanes.indices.contains(lane) {
            lanes[lane].add(message, to: destinations.nodes)
            sent.add(destinations.nodes.count, ordering: .relaxed)
            if message.qos != .atMostOnce { outcome.congested = flow.closedGate(among: destinations.nodes.keys) }
        }
        return outcome
    }

    public func peerDeliveryCongested(_ probe: CongestionProbe) {
        flow.watch(probe)
    }

    public func laneTickEnds(_ lane: Int) {
        guard lanes.indices.contains(lane) else { return }
        writer.send(lanes[lane].take())
    }

    public func sessionClaimed(clientID: String) {
        let now = Self.wallClockMillis()
        claims.record(clientID, atMillis: now)
        writer.publish(.takeover(node: node, client: clientID, atMillis: now))
    }

    public func fetchSession(clientID: String) async -> ByteBuffer? {
        let others = members.aliveOthers
        guard !others.isEmpty else { return nil }
        let request = node + "-" + String(UInt64.random(in: 1...UInt64.max), radix: 36)
        let ask = ClusterEvent.sessionWanted(node: node, client: clientID, request: request)
        guard let holder = await handovers.wait(request, from: others, timeout: configuration.handoverTimeout,
                                               ask: { self.writer.publish(ask) }) else { return nil }
        do {
            let image = try await control.send(RedisCommand("GETDEL", [RESPArgument(keys.handover(request))])).bytes
            if image == nil { logger.error("cluster \(keys.cluster): node \(holder) handed over \(clientID)'s session, but it is gone from Redis") }
            return image
        } catch {
            logger.error("cluster \(keys.cluster): could not read \(clientID)'s session handed over by node \(holder): \(error)")
            return nil
        }
    }

    /// Another node wants a session: hand it over if this node has it, and answer either way.
    func handOver(client: String, to other: String, request: String) async {
        guard let broker else { return }
        let image = await broker.handOverSession(clientID: client, toNode: other)
        let answer = ClusterEvent.sessionAnswer(node: node, to: other, request: request, found: image != nil)
        do {
            // The image is stored before the answer goes out (on a Redis Cluster the two commands may go to
            // different masters, so one waits for the other).
            if let image {
                try await control.send(.set(RESPArgument(keys.handover(request)), to: RESPArgument(image),
                                            expiration: .seconds(60)))
            }
            try await control.send(answer.publishing(on: keys, sharded: configuration.isRedisCluster))
            if image != nil { logger.info("cluster \(keys.cluster): handed \(client)'s session over to node \(other)") }
        } catch {
            logger.error("cluster \(keys.cluster): \(client)'s session could not be handed over to node \(other): \(error)")
        }
    }

    static func wallClockMillis() -> Int64 { Int64(MessageIDGenerator.wallClockMicros() / 1000) }

    // MARK: - Lifecycle

    /// Subscribes to the events channel and this node's own, claims the node name (refusing one that a live
    /// node holds), and starts the heartbeat. Redis being down is not fatal: the node announces itself once
    /// Redis is there.
    /// - Parameter relinked: runs after the link to the other nodes was down and is back (the subscriber
    ///   reconnected): what they published meanwhile, retained messages included, never arrived here.
    public func start(broker: Broker, relinked: (@Sendable () async -> Void)? = nil) async throws {
        brokerBox.withLock { $0 = broker }
        writer.rewriteRoutes()
        writerTask.withLock { $0 = Task { await self.writer.run() } }
        do {
            try await subscribe()
            try await claimName()
        } catch let error as ClusterError {
            await stop(leaving: false)
            throw error
        } catch {
            logger.warning("cluster \(keys.cluster): Redis not reachable yet (\(error)); node \(node) joins once it is")
        }
        var started: [Task<Void, Never>] = [Task { await self.consume() }]
        if !subscribed.load(ordering: .acquiring) { started.append(Task { await self.subscribeUntilDone() }) }
        started.append(Task { await self.heartbeat() })
        if let relinked { started.append(Task { await self.watchRelinks(relinked) }) }
        tasks.withLock { $0 = started }
    }

    /// Leaves the cluster: the heartbeat key, the routes and the membership entry go, and the others hear
    /// it at once instead of after the heartbeat's time to live.
    public func stop() async {
        await stop(leaving: true)
    }

    private func stop(leaving: Bool) async {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        for task in tasks.withLock({ $0 }) { task.cancel() }
        writer.finish()
        await writerTask.withLock({ $0 })?.value
        if leaving, announced.load(ordering: .acquiring) {
            let leave = ClusterEvent.leave(node: node, incarnation: incarnation)
            _ = try? await control.pipeline([
                // One key each: on a Redis Cluster the two live in different slots.
                .del([RESPArgument(keys.alive(node))]),
                .del([RESPArgument(keys.routes(node))]),
                .hdel(RESPArgument(keys.nodes), fields: [RESPArgument(node)]),
                leave.publishing(on: keys, sharded: configuration.isRedisCluster),
            ])
            logger.info("cluster \(keys.cluster): node \(node) left")
        }
        await subscriber.close()
        await control.close()
        await writer.close()
    }

    /// The nodes as this one knows them, itself included (the console reads them from Redis instead).
    public var memberList: [ClusterMember] { members.list(me: node) }

    /// Messages received from other nodes, and copies of messages sent to them, since start.
    public var traffic: (received: Int, sent: Int) {
        (received.load(ordering: .relaxed), sent.load(ordering: .relaxed))
    }

    // MARK: - Subscriptions

    private func subscribeUntilDone() async {
        await RedisConfiguration.Backoff().retry { attempt in
            do {
                try await subscribe()
                return true
            } catch {
                if attempt == 0 { logger.debug("cluster \(keys.cluster): subscribing not possible yet: \(error)") }
                return false
            }
        }
    }

    /// Calls `relinked` each time the subscriber connects again after its first connection.
    private func watchRelinks(_ relinked: @Sendable () async -> Void) async {
        var first: Int?
        for await health in subscriber.healthUpdates() where health.state == .connected {
            guard let seen = first else {
                first = health.generation
                continue
            }
            guard health.generation != seen else { continue }
            first = health.generation
            logger.info("cluster \(keys.cluster): link to the other nodes back; reading what it may have missed")
            await relinked()
        }
    }

    private func subscribe() async throws {
        if configuration.isRedisCluster {
            // One call each: the two shard channels hash to different slots.
            try await subscriber.ssubscribe([keys.events])
            try await subscriber.ssubscribe([keys.forward(node)])
        } else {
            try await subscriber.subscribe([keys.events, keys.forward(node)])
        }
        subscribed.store(true, ordering: .releasing)
    }

    private func consume() async {
        let forwardChannel = keys.forward(node)
        for await message in subscriber.messages {
            if message.channel == forwardChannel {
                accept(frame: message.payload, channel: message.channel)
            } else if message.channel == keys.events {
                do {
                    await handle(try ClusterEvent(json: message.text))
                } catch {
                    logger.error("cluster \(keys.cluster): ignored a message on \(message.channel): \(error)")
                }
            }
        }
    }

    private func accept(frame: ByteBuffer, channel: String) {
        do {
            let messages = try ForwardFrame.decode(frame)
            received.add(messages.count, ordering: .relaxed)
            broker?.acceptFromPeer(messages)
        } catch {
            logger.error("cluster \(keys.cluster): dropped a frame of \(frame.readableBytes) bytes on \(channel): \(error)")
        }
    }
}

/// Why a node cannot take part in its cluster.
public enum ClusterError: Error, CustomStringConvertible {
    case nodeNameTaken(cluster: String, node: String)

    public var description: String {
        switch self {
        case .nodeNameTaken(let cluster, let node):
            "node \(node) is already alive in cluster \(cluster) (its heartbeat key is being renewed): give this one another --node"
        }
    }
}
