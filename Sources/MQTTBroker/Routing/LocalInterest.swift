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

    func apply(_ change: RouteChangeLog.Change) {
        sessions.withLock { sessions in
            switch change {
            case .add(let target, let route):
                let filter = target.description
                let inserted = sessions[filter, default: []].insert(ObjectIdentifier(route.subscriber)).inserted
                if inserted, sessions[filter]?.count == 1 { link.interestChanged(filter, present: true) }
            case .remove(let target, let subscriber):
                let filter = target.description
                guard sessions[filter]?.remove(ObjectIdentifier(subscriber)) != nil else { return }
                if sessions[filter]?.isEmpty == true {
                    sessions[filter] = nil
                    link.interestChanged(filter, present: false)
                }
            }
        }
    }

    /// Every filter with a session here now.
    var filters: [String] { sessions.withLock { Array($0.keys) } }
}
