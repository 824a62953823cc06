import MQTTBroker
import Synchronization

/// Flow control across nodes, both ends of it.
///
/// Here: sessions fed by other nodes that back up are watched until they drain; the node says it is
/// congested when the first one does and relieved when the last one drained (an event each, not one per
/// message). Elsewhere: for each other node a `FlowGate`, closed while that node says it is congested, so
/// the publishers whose QoS 1/2 messages go there are paced by their inflight windows instead of filling
/// its subscribers' queues past their bound.
///
/// Pub/sub may lose an event (a reconnect) or, on a Redis Cluster, reorder two: a congested node says so
/// again every heartbeat, and a gate not told so for `renewal` opens by itself.
final class ClusterFlowControl: Sendable {
    /// How often congested sessions here are looked at; a relief is announced within this.
    static let watchInterval: Duration = .milliseconds(5)
    /// A closed gate whose node did not say it is still congested for this long opens.
    static let renewal: Duration = .seconds(3)

    private struct State {
        var watched: [ObjectIdentifier: CongestionProbe] = [:]
        var watching = false
        var gates: [String: FlowGate] = [:]
        /// When each closed gate's node last said it is congested.
        var renewed: [String: ContinuousClock.Instant] = [:]
    }

    private let state = Mutex(State())
    /// Read on every forwarded message: whether any other node is congested at all.
    private let anyGateClosed = Atomic<Bool>(false)
    private let announce: @Sendable (Bool) -> Void

    /// - Parameter announce: tells the other nodes this one is congested (true) or relieved (false).
    init(announce: @escaping @Sendable (Bool) -> Void) {
        self.announce = announce
    }

    // MARK: This node's sessions

    /// On a broker loop: remember the session; the first one starts the watch.
    func watch(_ probe: CongestionProbe) {
        // Announced under the lock, so a congestion and the relief before it reach the writer in order.
        let start = state.withLock { state -> Bool in
            state.watched[probe.id] = probe
            guard !state.watching else { return false }
            state.watching = true
            announce(true)
            return true
        }
        guard start else { return }
        Task { await self.watchUntilDrained() }
    }

    private func watchUntilDrained() async {
        while true {
            try? await Task.sleep(for: Self.watchInterval)
            let drained = state.withLock { state -> Bool in
                state.watched = state.watched.filter { $0.value.isCongested }
                guard state.watched.isEmpty else { return false }
                state.watching = false
                announce(false)
                return true
            }
            if drained { return }
        }
    }

    /// Every heartbeat: a node still congested says so again.
    func renewAnnouncement() {
        state.withLock { state in if state.watching { announce(true) } }
    }

    /// Sessions still watched (tests).
    var watchedCount: Int { state.withLock { $0.watched.count } }

    // MARK: Other nodes

    /// The gate of `node`'s traffic when it is closed, for a message going there.
    func closedGate(among nodes: some Sequence<String>) -> FlowGate? {
        guard anyGateClosed.load(ordering: .relaxed) else { return nil }
        return state.withLock { state in
            for node in nodes { if let gate = state.gates[node], gate.isCongested { return gate } }
            return nil
        }
    }

    /// `node` said it is congested or relieved (or left: relieved, so nothing waits for it).
    func set(_ node: String, congested: Bool, makeGate: () -> FlowGate?) {
        state.withLock { state in
            if congested, state.gates[node] == nil, let gate = makeGate() { state.gates[node] = gate }
            guard let gate = state.gates[node] else { return }
            if congested {
                gate.congest()
                state.renewed[node] = .now
            } else {
                gate.relieve()
                state.renewed[node] = nil
            }
            anyGateClosed.store(state.gates.values.contains { $0.isCongested }, ordering: .relaxed)
        }
    }

    /// Every `FlowControl.maximumHold`: acknowledgements parked at a gate that stayed closed go out, and a
    /// gate whose node stopped saying it is congested opens.
    func releaseHeld(now: ContinuousClock.Instant = .now) {
        let stale = state.withLock { state in
            state.renewed.filter { now - $0.value > Self.renewal }.map(\.key)
        }
        for node in stale { set(node, congested: false) { nil } }
        let closed = state.withLock { $0.gates.values.filter(\.isCongested) }
        for gate in closed { gate.releaseParked() }
    }
}
