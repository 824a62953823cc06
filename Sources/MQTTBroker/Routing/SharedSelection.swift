/// Which shared subscriptions (`$share/<group>/<filter>`, as subscribed) one message goes to on this node.
///
/// A single broker serves every matching group (`all`). In a cluster one node per group is chosen for each
/// message, so the group gets it once cluster-wide: the publishing node tells itself and every other node
/// which groups are theirs for that message (`only`, possibly none).
public enum SharedSelection: Sendable, Hashable {
    case all
    case only(Set<String>)

    func includes(_ target: String) -> Bool {
        switch self {
        case .all: true
        case .only(let targets): targets.contains(target)
        }
    }
}

/// A message another node accepted, with the shared groups this node serves it to.
public struct PeerMessage: Sendable {
    public let message: BrokerMessage
    public let sharedGroups: Set<String>

    public init(message: BrokerMessage, sharedGroups: Set<String> = []) {
        self.message = message
        self.sharedGroups = sharedGroups
    }
}
