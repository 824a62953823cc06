import MQTTCore

/// Which nodes want which filters, as a tree of topic levels: finding the nodes for a topic walks the
/// levels it has (and the `+` and `#` beside them), not every filter of every node.
final class NodeFilterTrie {
    private final class Level {
        var children: [Substring: Level] = [:]
        /// Nodes with a filter ending here.
        var nodes: Set<String> = []
        var isEmpty: Bool { children.isEmpty && nodes.isEmpty }
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
        level.nodes.insert(node)
    }

    func remove(_ filter: String, node: String) {
        var path: [(Level, Substring)] = []
        var level = root
        for name in Self.levels(filter) {
            guard let child = level.children[name] else { return }
            path.append((level, name))
            level = child
        }
        level.nodes.remove(node)
        for (parent, name) in path.reversed() {
            guard level.isEmpty else { break }
            parent.children[name] = nil
            level = parent
        }
    }

    /// The nodes with a filter matching `topic`; a filter starting with a wildcard does not match a `$`
    /// topic (§4.7.2).
    func nodes(matching topic: String) -> Set<String> {
        let names = topic.split(separator: "/", omittingEmptySubsequences: false)
        var found: Set<String> = []
        walk(root, names, 0, isSystem: topic.hasPrefix("$"), into: &found)
        return found
    }

    private func walk(_ level: Level, _ names: [Substring], _ index: Int, isSystem: Bool, into found: inout Set<String>) {
        let wildcardsAllowed = !(index == 0 && isSystem)
        if wildcardsAllowed, let hash = level.children["#"] { found.formUnion(hash.nodes) }
        if index == names.count {
            found.formUnion(level.nodes)
            return
        }
        if wildcardsAllowed, let plus = level.children["+"] { walk(plus, names, index + 1, isSystem: isSystem, into: &found) }
        if let literal = level.children[names[index]] { walk(literal, names, index + 1, isSystem: isSystem, into: &found) }
    }

    /// A shared subscription's filter is what it matches: `$share/g/a/b` wants `a/b`.
    private static func levels(_ filter: String) -> [Substring] {
        let matched = SubscriptionTarget(filter)?.filter.string ?? filter
        return matched.split(separator: "/", omittingEmptySubsequences: false)
    }
}
