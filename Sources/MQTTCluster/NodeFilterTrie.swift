import MQTTCore

/// Which nodes want which filters, as a tree of topic levels: finding the nodes for a topic walks the
/// levels it has (and the `+` and `#` beside them), not every filter of every node. A shared subscription
/// is kept by its whole name, so each group's members can be told apart from plain subscribers.
final class NodeFilterTrie {
    private final class Level {
        var children: [Substring: Level] = [:]
        /// Nodes with a plain filter ending here.
        var nodes: Set<String> = []
        /// `$share/<group>/<filter>` ending here → nodes with members of it.
        var shared: [String: Set<String>] = [:]
        var isEmpty: Bool { children.isEmpty && nodes.isEmpty && shared.isEmpty }
    }

    /// What a topic matches: nodes with plain filters, and per shared group the nodes with members.
    struct Match {
        var nodes: Set<String> = []
        var shared: [String: Set<String>] = [:]
    }

    private let root = Level()

    func insert(_ filter: String, node: String) {
        var level = root
        for name in Self.levels(filter) {
            if let child = level.children[name] {
                level = child
            } else {
                let child = Level()
                level.children[name] = child
                level = child
            }
        }
        if SubscriptionTarget(filter)?.shareGroup != nil {
            level.shared[filter, default: []].insert(node)
        } else {
            level.nodes.insert(node)
        }
    }

    func remove(_ filter: String, node: String) {
        var path: [(Level, Substring)] = []
        var level = root
        for name in Self.levels(filter) {
            guard let child = level.children[name] else { return }
            path.append((level, name))
            level = child
        }
        if SubscriptionTarget(filter)?.shareGroup != nil {
            level.shared[filter]?.remove(node)
            if level.shared[filter]?.isEmpty == true { level.shared[filter] = nil }
        } else {
            level.nodes.remove(node)
        }
        for (parent, name) in path.reversed() {
            guard level.isEmpty else { break }
            parent.children[name] = nil
            level = parent
        }
    }

    /// The nodes with a filter matching `topic`; a filter starting with a wildcard does not match a `$`
    /// topic (§4.7.2).
    func nodes(matching topic: String) -> Set<String> {
        let found = match(topic)
        return found.shared.values.reduce(found.nodes) { $0.union($1) }
    }

    func match(_ topic: String) -> Match {
        let names = topic.split(separator: "/", omittingEmptySubsequences: false)
        var found = Match()
        walk(root, names, 0, isSystem: topic.hasPrefix("$"), into: &found)
        return found
    }

    private func walk(_ level: Level, _ names: [Substring], _ index: Int, isSystem: Bool, into found: inout Match) {
        let wildcardsAllowed = !(index == 0 && isSystem)
        if wildcardsAllowed, let hash = level.children["#"] { collect(hash, into: &found) }
        if index == names.count {
            collect(level, into: &found)
            return
        }
        if wildcardsAllowed, let plus = level.children["+"] { walk(plus, names, index + 1, isSystem: isSystem, into: &found) }
        if let literal = level.children[names[index]] { walk(literal, names, index + 1, isSystem: isSystem, into: &found) }
    }

    private func collect(_ level: Level, into found: inout Match) {
        found.nodes.formUnion(level.nodes)
        for (target, nodes) in level.shared { found.shared[target, default: []].formUnion(nodes) }
    }

    /// A shared subscription's filter is what it matches: `$share/g/a/b` wants `a/b`.
    private static func levels(_ filter: String) -> [Substring] {
        let matched = SubscriptionTarget(filter)?.filter.string ?? filter
        return matched.split(separator: "/", omittingEmptySubsequences: false)
    }
}
