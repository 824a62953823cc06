import MQTTBroker
import Synchronization

/// Flow control across nodes, both ends of it.
///
/// Here: sessions fed by other nodes that back up are watched until they drain; the node says it is
/// congested when the first one does and relieved when the last one drained (an event each, not one per
/// message). Elsewhere: for each other node a `FlowGate`, closed while that node says it is congested, so
/// the publishers whose QoS 1/2 messages go there are paced by their inflight windows instead of filling
/// its subscribers' queues past their bound.
final class ClusterFlowControl: Sendable {
    /// How often congested sessions here are looked at; a relief is announced within this.
    static let watchInterval: Duration = .milliseconds(5)

    private struct State {
        var watched: [ObjectIdentifier: CongestionProbe] = [:]
        var watching = false
        var gates: [String: FlowGate] = [:]
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
        let start = state.withLock { state -> Bool in
            state.watched[probe.id] = probe
            guard !state.watching else { return false }
            state.watching = true
            return true
        }
        guard start else { return }
        announce(true)
        Task { await self.watchUntilDrained() }
    }

    private func watchUntilDrained() async {
        while true {
            try? await Task.sleep(for: Self.watchInterval)
            let drained = state.withLock { state -> Bool in
                state.watched = state.watched.filter { $0.value.isCongested }
                if state.watched.isEmpty { state.watching = false }
                return state.watched.isEmpty
            }
            if drained { return announce(false) }
        }
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
            if congested { gate.congest() } else { gate.relieve() }
            anyGateClosed.store(state.gates.values.contains { $0.isCongested }, ordering: .relaxed)
        }
    }

    /// Every `FlowControl.maximumHold`: acknowledgements parked at a gate that stayed closed go out.
    func releaseHeld() {
        let closed = state.withLock { $0.gates.values.filter(\.isCongested) }
        for gate in closed { gate.releaseParked() }
    }
}
