import MQTTCore

/// The subscription tree of one event loop: levels as nodes, `+` and `#` as ordinary child keys.
///
/// Each event loop keeps a full replica, so matching a publish never takes a lock; subscription changes
/// are sent to every loop (see `LoopRouter`).
final class SubscriptionTrie {
    final class Node {
        var children: [String: Node] = [:]
        /// Non-shared subscriptions ending here, by subscriber.
        var routes: [ObjectIdentifier: Route] = [:]
        /// Shared subscriptions ending here: group name → members.
        var groups: [String: SharedGroup] = [:]

        var isEmpty: Bool { children.isEmpty && routes.isEmpty && groups.isEmpty }
    }

    /// Members of one `$share/<group>/<filter>`; a message goes to one of them, in turn.
    struct SharedGroup {
        /// `$share/<group>/<filter>`, for `SharedSelection`.
        let target: String
        var members: [ObjectIdentifier: Route] = [:]
        var order: [ObjectIdentifier] = []
        var next = 0
    }

    private let root = Node()

    func insert(_ target: SubscriptionTarget, route: Route) {
        var node = root
        for level in target.filter.levels {
            let key = String(level)
            if let child = node.children[key] {
                node = child
            } else {
                let child = Node()
                node.children[key] = child
                node = child
            }
        }
        let id = ObjectIdentifier(route.subscriber)
        if let group = target.shareGroup {
            var members = node.groups[group] ?? SharedGroup(target: target.description)
            if members.members.updateValue(route, forKey: id) == nil { members.order.append(id) }
            node.groups[group] = members
        } else {
            node.routes[id] = route
        }
    }

    func remove(_ target: SubscriptionTarget, subscriber: SessionHandle) {
        let id = ObjectIdentifier(subscriber)
        let levels = target.filter.levels
        var path: [(Node, String)] = []
        var node = root
        for level in levels {
            let key = String(level)
            guard let child = node.children[key] else { return }
            path.append((node, key))
            node = child
        }
        if let group = target.shareGroup {
            if var members = node.groups[group], members.members.removeValue(forKey: id) != nil {
                members.order.removeAll { $0 == id }
                node.groups[group] = members.order.isEmpty ? nil : members
            }
        } else {
            node.routes[id] = nil
        }
        // Prune empty nodes bottom-up so the tree does not grow with churn.
        var current = node
        for (parent, key) in path.reversed() {
            guard current.isEmpty else { break }
            parent.children[key] = nil
            current = parent
        }
    }

    /// Calls `visit` for every route whose filter matches `topic`, and once per shared group with the member
    /// chosen in turn. `$` topics are not matched by filters that start with a wildcard (§4.7.2).
    /// `shared` says which shared groups get the message here (in a cluster, some are another node's).
    func match(topic: String, shared: SharedSelection = .all, _ visit: (Route) -> Void) {
        let levels = topic.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        let isSystem = topic.utf8.first == UInt8(ascii: "$")
        walk(root, levels: levels, index: 0, isSystem: isSystem, shared, visit)
    }

    private func walk(_ node: Node, levels: [Substring.UTF8View], index: Int, isSystem: Bool,
                      _ shared: SharedSelection, _ visit: (Route) -> Void) {
        let atRoot = index == 0
        if let hash = node.children["#"], !(atRoot && isSystem) {
            emit(hash, shared, visit)
        }
        if index == levels.count {
            emit(node, shared, visit)
            return
        }
        if let plus = node.children["+"], !(atRoot && isSystem) {
            walk(plus, levels: levels, index: index + 1, isSystem: isSystem, shared, visit)
        }
        if let literal = node.children[String(Substring(levels[index]))] {
            walk(literal, levels: levels, index: index + 1, isSystem: isSystem, shared, visit)
        }
    }

    private func emit(_ node: Node, _ shared: SharedSelection, _ visit: (Route) -> Void) {
        for route in node.routes.values { visit(route) }
        guard !node.groups.isEmpty else { return }
        for key in node.groups.keys {
            guard var group = node.groups[key], !group.order.isEmpty, shared.includes(group.target) else { continue }
            // Prefer a connected member, starting from the next in turn.
            var chosen: Route?
            for offset in 0..<group.order.count {
                let id = group.order[(group.next + offset) % group.order.count]
                guard let route = group.members[id] else { continue }
                if chosen == nil { chosen = route }
                if route.subscriber.isConnected {
                    chosen = route
                    group.next = (group.next + offset + 1) % group.order.count
                    break
                }
            }
            node.groups[key] = group
            if let chosen { visit(chosen) }
        }
    }
}
