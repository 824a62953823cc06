/// The topics of the retained messages as a tree of levels, so a wildcard SUBSCRIBE visits only the
/// branches its filter can match instead of testing every retained topic (`a/+/temp` among 100,000
/// retained messages reads a handful of nodes).
///
/// Matching follows §4.7: `+` is one level (an empty one too), `#` the level it follows and everything
/// below, and neither matches a first level starting with `$`. Not thread-safe: the retained store keeps
/// it under its lock.
struct RetainedTopicIndex {
    private final class Node {
        var children: [String: Node] = [:]
        /// The full topic when a retained message ends at this level.
        var topic: String?
    }

    private let root = Node()

    func insert(_ topic: String) {
        var node = root
        for level in topic.split(separator: "/", omittingEmptySubsequences: false) {
            let key = String(level)
            if let child = node.children[key] {
                node = child
            } else {
                let child = Node()
                node.children[key] = child
                node = child
            }
        }
        node.topic = topic
    }

    /// Removes `topic` and the levels only it used.
    func remove(_ topic: String) {
        let levels = topic.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        var path: [Node] = [root]
        for level in levels {
            guard let child = path[path.count - 1].children[level] else { return }
            path.append(child)
        }
        path[path.count - 1].topic = nil
        for depth in stride(from: levels.count, to: 0, by: -1) {
            let node = path[depth]
            guard node.topic == nil, node.children.isEmpty else { break }
            path[depth - 1].children[levels[depth - 1]] = nil
        }
    }

    /// Every stored topic `filter` matches.
    func topics(matching filter: String) -> [String] {
        let levels = filter.split(separator: "/", omittingEmptySubsequences: false)
        var found: [String] = []
        Self.collect(levels[...], at: root, depth: 0, into: &found)
        return found
    }

    private static func collect(_ levels: ArraySlice<Substring>, at node: Node, depth: Int, into found: inout [String]) {
        guard let level = levels.first else {
            if let topic = node.topic { found.append(topic) }
            return
        }
        switch level {
        case "#":
            all(below: node, depth: depth, into: &found)
        case "+":
            for (key, child) in node.children where !(depth == 0 && key.hasPrefix("$")) {
                collect(levels.dropFirst(), at: child, depth: depth + 1, into: &found)
            }
        default:
            if let child = node.children[String(level)] {
                collect(levels.dropFirst(), at: child, depth: depth + 1, into: &found)
            }
        }
    }

    /// `node`'s own topic (the parent level `#` also matches) and every topic below it.
    private static func all(below node: Node, depth: Int, into found: inout [String]) {
        if depth > 0, let topic = node.topic { found.append(topic) }
        for (key, child) in node.children where !(depth == 0 && key.hasPrefix("$")) {
            all(below: child, depth: depth + 1, into: &found)
        }
    }
}
