import MQTTBroker
import Synchronization

/// The other nodes' filters, as this node caches them, and this node's own shared subscriptions: consulted
/// for every message this node accepts, changed by the events channel and by re-reads of a node's routes
/// hash. For a shared group with members on several nodes it chooses, message by message in turn, the one
/// node that serves the group.
///
/// Behind one lock, held for one walk of the tree per forwarded message; the broker consults it only when
/// the cluster has other nodes with filters (`isEmpty`, one atomic load).
final class RemoteRoutes: Sendable {
    /// One node's filters as last applied, with the change number they are at.
    struct NodeRoutes: Equatable, Sendable {
        var incarnation: String
        var sequence: Int
        var filters: Set<String>
    }

    enum Outcome: Equatable {
        case applied
        /// Already applied (a batch read back with the hash, or delivered twice).
        case stale
        /// Changes are missing before these, or the node restarted: read its routes hash again.
        case needsRead
    }

    private struct State {
        var nodes: [String: NodeRoutes] = [:]
        let trie = NodeFilterTrie()
        /// Per shared group, how many messages it was given: the next goes to the next node in turn.
        var turns: [String: Int] = [:]
    }

    /// Where one message goes: the other nodes (each with the shared groups it serves the message to),
    /// and the groups this node serves it to.
    struct Destinations {
        var nodes: [String: Set<String>] = [:]
        var local: SharedSelection = .all
    }

    private let state = Mutex(State())
    private let filterCount = Atomic<Int>(0)

    var isEmpty: Bool { filterCount.load(ordering: .relaxed) == 0 }

    /// The nodes that want a message on `topic`.
    func nodes(matching topic: String) -> Set<String> {
        state.withLock { $0.trie.nodes(matching: topic) }
    }

    func destinations(for topic: String, me: String) -> Destinations {
        state.withLock { state in
            let found = state.trie.match(topic)
            var result = Destinations()
            for node in found.nodes where node != me { result.nodes[node] = [] }
            guard !found.shared.isEmpty else { return result }
            var mine: Set<String> = []
            for (target, members) in found.shared {
                let candidates = members.sorted()
                let turn = state.turns[target, default: 0]
                state.turns[target] = turn &+ 1
                let chosen = candidates[turn % candidates.count]
                if chosen == me { mine.insert(target) } else { result.nodes[chosen, default: []].insert(target) }
            }
            result.local = .only(mine)
            return result
        }
    }

    /// This node gained or lost its members of a shared group: it competes for the group's messages.
    func setLocal(shared target: String, present: Bool, me: String) {
        state.withLock { state in
            if present {
                state.trie.insert(target, node: me)
            } else {
                state.trie.remove(target, node: me)
                state.turns[target] = nil
            }
        }
    }

    /// Where `node`'s routes stand, for comparing with its hash.
    func position(of node: String) -> (incarnation: String, sequence: Int)? {
        state.withLock { $0.nodes[node].map { ($0.incarnation, $0.sequence) } }
    }

    var knownNodes: Set<String> { state.withLock { Set($0.nodes.keys) } }

    /// Applies a batch of changes numbered from `first`, when it is the next one.
    func apply(node: String, incarnation: String, first: Int, changes: [ClusterEvent.RouteChange]) -> Outcome {
        state.withLock { state in
            guard var current = state.nodes[node], current.incarnation == incarnation else { return .needsRead }
            let last = first + changes.count - 1
            if last <= current.sequence { return .stale }
            guard first == current.sequence + 1 else { return .needsRead }
            for change in changes {
                if change.present {
                    if current.filters.insert(change.filter).inserted { state.trie.insert(change.filter, node: node) }
                } else if current.filters.remove(change.filter) != nil {
                    state.trie.remove(change.filter, node: node)
                }
            }
            current.sequence = last
            state.nodes[node] = current
            recount(state)
            return .applied
        }
    }

    /// Takes `routes` as read from the node's hash, unless what is applied is already newer.
    func replace(node: String, with routes: NodeRoutes) {
        state.withLock { state in
            if let current = state.nodes[node], current.incarnation == routes.incarnation,
               current.sequence >= routes.sequence { return }
            let old = state.nodes[node]?.filters ?? []
            for filter in old.subtracting(routes.filters) { state.trie.remove(filter, node: node) }
            for filter in routes.filters.subtracting(old) { state.trie.insert(filter, node: node) }
            state.nodes[node] = routes
            recount(state)
        }
    }

    /// Forgets a node that left or died.
    func drop(node: String) {
        state.withLock { state in
            guard let routes = state.nodes.removeValue(forKey: node) else { return }
            for filter in routes.filters { state.trie.remove(filter, node: node) }
            recount(state)
        }
    }

    private func recount(_ state: State) {
        filterCount.store(state.nodes.values.reduce(0) { $0 + $1.filters.count }, ordering: .relaxed)
    }
}
