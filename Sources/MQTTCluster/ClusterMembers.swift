import Synchronization

/// The nodes of the cluster as this node last saw them: in the nodes hash, and whether their heartbeat
/// key was there.
final class ClusterMembers: Sendable {
    struct Member: Sendable, Equatable {
        var incarnation: String?
        var sinceMillis: Int64?
        var alive: Bool
        /// Heartbeats in a row that found the node's key gone.
        var misses = 0
    }

    private let state = Mutex<[String: Member]>([:])
    /// The live nodes but this one, read on every retained publish.
    private let others = Mutex<Set<String>>([])

    var aliveOthers: Set<String> { others.withLock { $0 } }

    func update(_ body: (inout [String: Member]) -> Void, me: String) {
        state.withLock { members in
            body(&members)
            let alive = Set(members.filter { $0.value.alive && $0.key != me }.keys)
            others.withLock { $0 = alive }
        }
    }

    func member(_ node: String) -> Member? { state.withLock { $0[node] } }

    func list(me: String) -> [ClusterMember] {
        state.withLock { members in
            members.map { ClusterMember(node: $0.key, alive: $0.value.alive, isSelf: $0.key == me,
                                        sinceMillis: $0.value.sinceMillis) }
                .sorted { $0.node < $1.node }
        }
    }
}

/// One node as the console shows it.
public struct ClusterMember: Sendable, Hashable {
    public var node: String
    public var alive: Bool
    public var isSelf: Bool
    /// When the node joined (unix ms), as it announced.
    public var sinceMillis: Int64?
}
