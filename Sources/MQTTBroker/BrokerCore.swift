import Logging
import MQTTCore
import NIOCore
import Synchronization

/// The broker's shared state and the operations sessions call on it: creating messages, publishing,
/// routing changes on every loop, and hook events.
final class BrokerCore: Sendable {
    let configuration: BrokerConfiguration
    /// For the sessions' machines, one reference each.
    let sharedConfiguration: SharedConfiguration
    let logger: Logger
    let stats: BrokerStats
    let retained: RetainedStore
    let registry = SessionRegistry()
    let routers: RouterTable
    let idGenerator: MessageIDGenerator
    let eventSink: BrokerEventSink?
    /// The console's traffic view, when one is open.
    let tap: (any MessageTap)?
    let authenticator: BrokerAuthenticator?
    /// Set by a storage backend that keeps retained messages (read per new subscription, not per publish).
    let retainedSource = Mutex<(any RetainedMessageSource)?>(nil)

    init(configuration: BrokerConfiguration, logger: Logger, loops: [EventLoop], eventSink: BrokerEventSink?,
         tap: (any MessageTap)? = nil, authenticator: BrokerAuthenticator?, retained: RetainedStore,
         cluster: (any ClusterLink)? = nil) {
        self.tap = tap
        self.configuration = configuration
        sharedConfiguration = SharedConfiguration(configuration)
        self.authenticator = authenticator
        self.logger = logger
        self.eventSink = eventSink
        self.retained = retained
        stats = BrokerStats(startedAtSeconds: Int64(MessageIDGenerator.wallClockMicros() / 1_000_000), loops: loops.count)
        routers = RouterTable(loops: loops, eventSink: eventSink, cluster: cluster)
        idGenerator = MessageIDGenerator(node: configuration.nodeName, loops: loops)
    }

    /// The counters, with the retained store's size as it is now.
    func statsSnapshot() -> BrokerStatsSnapshot {
        stats.snapshot(nowSeconds: Int64(MessageIDGenerator.wallClockMicros() / 1_000_000), retained: retained.count)
    }

    /// Tells the sink. With a `lane` (the caller runs on that loop) the sink may buffer it until the loop's
    /// tick ends, which the loop's router then announces.
    @inline(__always) func emit(_ event: @autoclosure () -> BrokerEvent, lane: Int?) {
        guard let eventSink else { return }
        guard let lane, let router = routers.entries[lane].router else { return eventSink.handle(event()) }
        eventSink.handle(event(), lane: lane)
        router.noteSinkEvents()
    }

    /// A message with a fresh id: from loop `lane`'s own id lane when the caller runs on that loop (the
    /// publish path: no lock), else from the shared one.
    func makeMessage(topic: String, payload: ByteBuffer, qos: QoS, retain: Bool, publisher: String?,
                     properties: MQTTProperties? = nil, expiresAt: NIODeadline? = nil, lane: Int? = nil) -> BrokerMessage {
        let id = lane.map { idGenerator.next(onLoop: $0) } ?? idGenerator.next()
        let millis = Int64((id.microseconds ?? MessageIDGenerator.wallClockMicros()) / 1000)
        var expiry = expiresAt
        if expiry == nil, let interval = properties?.messageExpiryInterval {
            let now = lane.map { routers.entries[$0].loop.now } ?? .now()
            expiry = now + .seconds(Int64(interval))
        }
        var carried = properties
        carried?.messageExpiryInterval = nil
        carried?.willDelayInterval = nil
        return BrokerMessage(id: id, topic: topic, payload: payload, qos: qos, retain: retain, publisher: publisher,
                             properties: carried, expiresAt: expiry, timestampMillis: millis)
    }

    /// Accepts a message: retained store, `message.publish` hook, routing. Must run on `publisher`'s loop
    /// (or, without a publisher, on any loop of this broker). Returns how many sessions it went to.
    @discardableResult
    func publish(_ message: BrokerMessage, from publisher: SessionHandle?) -> RouteResult {
        stats.add(.messagesReceived, lane: publisher?.loopIndex ?? stats.sharedLane)
        if message.retain { retained.set(message) }
        emit(.messagePublished(message), lane: publisher?.loopIndex)
        let index = publisher?.loopIndex ?? 0
        tap?.tap(message, loop: index)
        guard let router = routers.entries[index].router else { return RouteResult(sessions: 0, congested: nil) }
        guard let cluster = routers.cluster, !message.topic.hasPrefix("$SYS/") else {
            return router.route(message, from: publisher)
        }
        let forwarded = cluster.forward(message, lane: index)
        router.noteForwards()
        let routed = router.route(message, from: publisher, shared: forwarded.shared)
        guard routed.congested == nil, message.qos != .atMostOnce, let gate = forwarded.congested else { return routed }
        return RouteResult(sessions: routed.sessions, congested: gate.handle)
    }

    /// Messages another node of the cluster accepted and sent here: into the retained store and to this
    /// node's subscribers, not to the backend (their node stored them) and not on to other nodes. All on
    /// one loop, in the order they came, so each publisher's messages keep their order.
    func acceptFromPeer(_ messages: [PeerMessage]) {
        let entry = routers.entries[0]
        routers.gate.enqueue(on: entry.loop) {
            guard let router = entry.router else { return }
            for peer in messages {
                let message = peer.message
                if message.retain { self.retained.set(message) }
                self.tap?.tap(message, loop: 0)
                let routed = router.route(message, from: nil, shared: .only(peer.sharedGroups))
                if let congested = routed.congested { self.routers.cluster?.peerDeliveryCongested(CongestionProbe(handle: congested)) }
            }
        }
    }

    /// Publishes from outside any session (the backend, `$SYS`): hops to the first loop.
    func inject(_ message: BrokerMessage) {
        let entry = routers.entries[0]
        routers.gate.enqueue(on: entry.loop) { self.publish(message, from: nil) }
    }

    // MARK: - Routes on every loop

    /// Routes `target` to `route.subscriber` on every loop, for every publish read from now on.
    /// Returns whether the cluster link has a new filter to announce for it.
    @discardableResult
    func addRoute(_ target: SubscriptionTarget, route: Route) -> Bool {
        routers.record(.add(target, route), from: route.subscriber.loopIndex)
    }

    func removeRoute(_ target: SubscriptionTarget, subscriber: SessionHandle) {
        routers.record(.remove(target, subscriber), from: subscriber.loopIndex)
    }
}
