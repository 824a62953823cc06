import Synchronization

/// Which filters have at least one session on this node, for the cluster's route table: the loops' tries
/// know routes per session, the other nodes only need "this node wants `sensor/#`".
///
/// Fed from `RouterTable.record` (subscription changes, never the publish path) and told to the link on
/// each filter's first and last session, under the lock so the link hears them in order.
final class LocalInterest: Sendable {
    private let sessions = Mutex<[String: Set<ObjectIdentifier>]>([:])
    private let link: any ClusterLink

    init(link: any ClusterLink) {
        self.link = link
    }

    /// Returns whether the link was told (a filter's first session came or its last went).
    @discardableResult
    func apply(_ change: RouteChangeLog.Change) -> Bool {
        sessions.withLock { sessions -> Bool in
            switch change {
            case .add(let target, let route):
                let filter = target.description
                let inserted = sessions[filter, default: []].insert(ObjectIdentifier(route.subscriber)).inserted
                guard inserted, sessions[filter]?.count == 1 else { return false }
                link.interestChanged(filter, present: true)
                return true
            case .remove(let target, let subscriber):
                let filter = target.description
                guard sessions[filter]?.remove(ObjectIdentifier(subscriber)) != nil,
                      sessions[filter]?.isEmpty == true else { return false }
                sessions[filter] = nil
                link.interestChanged(filter, present: false)
                return true
            }
        }
    }
}
