import MQTTCore
import NIOCore
import Synchronization

/// Routing state owned by one event loop: its replica of the subscription tree, deliveries waiting to go
/// to sessions on other loops, and sessions with unflushed writes.
///
/// Work is batched per loop tick: every delivery made while handling one read burst is written first and
/// flushed once, and the deliveries for another loop travel there in one task instead of one per message.
final class LoopRouter {
    let index: Int
    let loop: EventLoop
    let trie = SubscriptionTrie()
    /// The connect and keepalive deadlines of this loop's connections.
    let clock: ConnectionClock
    private let table: RouterTable
    private var remote: [[(SessionHandle, Delivery)]]
    private var dirty: [Session] = []
    private var flushScheduled = false
    /// The event sink was handed events this tick (see `BrokerEventSink.laneTickEnds`).
    private var sinkEventsThisTick = false
    /// The cluster link was handed messages to forward this tick (see `ClusterLink.laneTickEnds`).
    private var forwardsThisTick = false
    /// How far `trie` has applied the table's `RouteChangeLog`.
    private var applied: UInt64 = 0

    init(index: Int, loop: EventLoop, table: RouterTable) {
        self.index = index
        self.loop = loop
        self.table = table
        clock = ConnectionClock(loop: loop)
        remote = Array(repeating: [], count: table.entries.count)
    }

    /// Sends `message` to every matching subscription, including every subscription read before it anywhere.
    @discardableResult
    func route(_ message: BrokerMessage, from publisher: SessionHandle?, shared: SharedSelection = .all) -> RouteResult {
        catchUp()
        var targets = DeliveryTargets()
        trie.match(topic: message.topic, shared: shared) { route in
            if route.noLocal && route.subscriber === publisher { return }
            targets.add(route, message: message)
        }
        var congested: SessionHandle?
        for (handle, delivery) in targets.entries {
            if congested == nil, delivery.qos != .atMostOnce, handle.isCongested { congested = handle }
            send(delivery, to: handle)
        }
        return RouteResult(sessions: targets.entries.count, congested: congested)
    }

    /// Applies the subscription changes this loop's tree has not seen yet.
    func catchUp() {
        let log = table.changes
        guard log.head != applied else { return }
        let (changes, next) = log.changes(after: applied, loop: index)
        for change in changes {
            switch change {
            case .add(let target, let route): trie.insert(target, route: route)
            case .remove(let target, let subscriber): trie.remove(target, subscriber: subscriber)
            }
        }
        applied = next
    }

    /// Delivers into one session, here or on its own loop.
    func send(_ delivery: Delivery, to handle: SessionHandle) {
        if handle.loopIndex == index {
            handle.session?.deliver(delivery)
        } else {
            remote[handle.loopIndex].append((handle, delivery))
            scheduleFlush()
        }
    }

    /// Notes that `session` wrote without flushing; the flush happens at the end of this loop tick.
    func markDirty(_ session: Session) {
        dirty.append(session)
        scheduleFlush()
    }

    /// The sink buffered events of this loop: it hears of the tick's end first thing in `endOfTick`.
    func noteSinkEvents() {
        guard !sinkEventsThisTick else { return }
        sinkEventsThisTick = true
        scheduleFlush()
    }

    /// The cluster link buffered messages of this loop: it hears of the tick's end in `endOfTick`.
    func noteForwards() {
        guard !forwardsThisTick else { return }
        forwardsThisTick = true
        scheduleFlush()
    }

    private func scheduleFlush() {
        guard !flushScheduled else { return }
        flushScheduled = true
        let bound = NIOLoopBound(self, eventLoop: loop)
        loop.execute { bound.value.endOfTick() }
    }

    /// Flushes written sessions and ships batched deliveries to the other loops.
    func endOfTick() {
        flushScheduled = false
        // The tick's events reach the backend's queues before anything of the tick leaves: a publisher's
        // PUBACK, this loop's subscribers' bytes, other loops' deliveries. Whatever a client does next
        // is queued after the writes this tick made.
        if sinkEventsThisTick {
            // Before anything of this tick reaches another loop.
            sinkEventsThisTick = false
            table.eventSink?.laneTickEnds(index)
        }
        if forwardsThisTick {
            forwardsThisTick = false
            table.cluster?.laneTickEnds(index)
        }
        for target in remote.indices where !remote[target].isEmpty {
            let batch = remote[target]
            remote[target].removeAll(keepingCapacity: true)
            let targetRouter = table.entries[target]
            table.gate.enqueue(on: targetRouter.loop) {
                guard let router = targetRouter.router else { return }
                for (handle, delivery) in batch { handle.session?.deliver(delivery) }
                router.flushDirty()
            }
        }
        flushDirty()
    }

    func flushDirty() {
        guard !dirty.isEmpty else { return }
        let sessions = dirty
        dirty.removeAll(keepingCapacity: true)
        for session in sessions { session.flushIfNeeded() }
    }
}

/// The sessions one publish goes to, overlapping subscriptions of a session merged into one delivery at
/// the highest QoS with every subscription identifier (§3.3.4). Shared subscriptions are separate copies.
struct DeliveryTargets {
    private(set) var entries: [(SessionHandle, Delivery)] = []
    private var indexBySession: [ObjectIdentifier: Int]?

    mutating func add(_ route: Route, message: BrokerMessage) {
        let qos = min(message.qos, route.qos)
        let retain = route.retainAsPublished && message.retain
        let ids = route.identifier.map { [$0] } ?? []
        if let existing = position(of: route.subscriber) {
            var delivery = entries[existing].1
            delivery.qos = max(delivery.qos, qos)
            delivery.retain = delivery.retain || retain
            // Several subscriptions may carry the same identifier; the PUBLISH lists each once (§3.3.4).
            for id in ids where !delivery.subscriptionIdentifiers.contains(id) {
                delivery.subscriptionIdentifiers.append(id)
            }
            entries[existing].1 = delivery
            return
        }
        entries.append((route.subscriber, Delivery(message: message, qos: qos, retain: retain,
                                                   subscriptionIdentifiers: ids)))
        if var index = indexBySession {
            index[ObjectIdentifier(route.subscriber)] = entries.count - 1
            indexBySession = index
        } else if entries.count > 16 {
            // Many targets: switch from a linear scan to a dictionary.
            var index: [ObjectIdentifier: Int] = [:]
            for (position, entry) in entries.enumerated() { index[ObjectIdentifier(entry.0)] = position }
            indexBySession = index
        }
    }

    private func position(of handle: SessionHandle) -> Int? {
        if let indexBySession { return indexBySession[ObjectIdentifier(handle)] }
        return entries.firstIndex { $0.0 === handle }
    }
}

/// Every loop's router, indexed by loop. Built before the routers exist (each router is created on its own
/// loop and keeps the table to reach the others).
final class RouterTable: Sendable {
    struct Entry: Sendable {
        let loop: EventLoop
        let box: NIOLoopBoundBox<LoopRouter?>
        /// A catch-up task is queued on `loop`; later changes ride along with it.
        let catchUpQueued: Flag

        /// The router; only on `loop`, and nil before start and after shutdown.
        var router: LoopRouter? { box.value }
    }

    final class Flag: Sendable {
        let value = Atomic<Bool>(false)
    }

    let entries: [Entry]
    let changes: RouteChangeLog
    let eventSink: (any BrokerEventSink)?
    /// The other nodes of a cluster, and which filters this node has sessions for.
    let cluster: (any ClusterLink)?
    let interest: LocalInterest?
    /// Every hop from one loop to another, or from outside, passes it; the broker closes it before stopping.
    let gate = LoopGate()

    init(loops: [EventLoop], eventSink: (any BrokerEventSink)? = nil, cluster: (any ClusterLink)? = nil) {
        self.eventSink = eventSink
        self.cluster = cluster
        interest = cluster.map(LocalInterest.init)
        entries = loops.map { Entry(loop: $0, box: .makeEmptyBox(valueType: LoopRouter.self, eventLoop: $0),
                                    catchUpQueued: Flag()) }
        changes = RouteChangeLog(loops: loops.count)
    }

    /// Records a subscription change read on loop `index` (and running there): that loop's tree applies it
    /// at once, the others before their next publish, or sooner by a queued task so none lags far behind.
    /// Returns whether the change gave the cluster link something to announce.
    @discardableResult
    func record(_ change: RouteChangeLog.Change, from index: Int) -> Bool {
        let announced = interest?.apply(change) ?? false
        changes.append(change)
        for (position, entry) in entries.enumerated() {
            if position == index, entry.loop.inEventLoop {
                entry.router?.catchUp()
            } else if entry.catchUpQueued.value.compareExchange(expected: false, desired: true,
                                                                  ordering: .acquiringAndReleasing).exchanged {
                gate.enqueue(on: entry.loop) {
                    entry.catchUpQueued.value.store(false, ordering: .releasing)
                    entry.router?.catchUp()
                }
            }
        }
        return announced
    }

    /// Creates each loop's router on that loop.
    func start() -> EventLoopFuture<Void> {
        let futures = entries.enumerated().map { index, entry in
            entry.loop.submit { entry.box.value = LoopRouter(index: index, loop: entry.loop, table: self) }
        }
        return EventLoopFuture.andAllSucceed(futures, on: entries[0].loop)
    }

    /// The index of `loop` in the table.
    func index(of loop: EventLoop) -> Int {
        entries.firstIndex { $0.loop === loop } ?? 0
    }
}

/// Where a publish went: how many sessions, and a subscriber whose queue is backing up (the publisher's
/// acknowledgement then waits for it to drain; see `FlowControl`).
struct RouteResult {
    let sessions: Int
    let congested: SessionHandle?
}
