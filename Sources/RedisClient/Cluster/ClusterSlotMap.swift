/// Which master serves each of the 16384 slots.
///
/// Built from `CLUSTER SHARDS` (Redis 7) or `CLUSTER SLOTS` (older servers), and patched by `MOVED`
/// replies between refreshes.
struct ClusterSlotMap: Sendable, Hashable {
    /// Index into `nodes` for each slot, `-1` when no node serves it.
    private var owners: [Int16]
    private(set) var nodes: [RedisEndpoint]

    init() {
        owners = Array(repeating: -1, count: ClusterKeySlot.count)
        nodes = []
    }

    func owner(of slot: Int) -> RedisEndpoint? {
        guard owners.indices.contains(slot) else { return nil }
        let index = Int(owners[slot])
        return index >= 0 ? nodes[index] : nil
    }

    /// Masters serving at least one slot.
    var masters: [RedisEndpoint] {
        var seen = Set<Int16>()
        var result: [RedisEndpoint] = []
        for owner in owners where owner >= 0 && seen.insert(owner).inserted {
            result.append(nodes[Int(owner)])
        }
        return result
    }

    var coversAllSlots: Bool { !owners.contains(-1) }

    mutating func assign(_ slots: ClosedRange<Int>, to endpoint: RedisEndpoint) {
        let index: Int16
        if let existing = nodes.firstIndex(of: endpoint) {
            index = Int16(existing)
        } else {
            nodes.append(endpoint)
            index = Int16(nodes.count - 1)
        }
        let lower = max(0, slots.lowerBound), upper = min(ClusterKeySlot.count - 1, slots.upperBound)
        guard lower <= upper else { return }
        for slot in lower...upper { owners[slot] = index }
    }

    // MARK: - Parsing

    /// `CLUSTER SHARDS`: per shard a map with `slots` (flat start/end pairs) and `nodes` (maps with `ip`,
    /// `endpoint`, `port`, `tls-port`, `role`, `health`).
    static func fromShards(_ reply: RESPValue, asked: RedisEndpoint, tls: Bool) throws(RedisError) -> ClusterSlotMap {
        guard let shards = reply.array else { throw malformed("CLUSTER SHARDS", reply) }
        var map = ClusterSlotMap()
        for shard in shards {
            guard let fields = shard.map, let slots = fields["slots"]?.array, let nodes = fields["nodes"]?.array else {
                throw malformed("CLUSTER SHARDS", shard)
            }
            let master = nodes.compactMap(\.map).first { node in
                node["role"]?.string == "master" && (node["health"]?.string ?? "online") == "online"
            }
            guard let master, let endpoint = endpoint(of: master, asked: asked, tls: tls) else { continue }
            var index = 0
            while index + 1 < slots.count {
                if let start = slots[index].int, let end = slots[index + 1].int, start <= end {
                    map.assign(start...end, to: endpoint)
                }
                index += 2
            }
        }
        return map
    }

    private static func endpoint(of node: RESPMap, asked: RedisEndpoint, tls: Bool) -> RedisEndpoint? {
        var host = node["endpoint"]?.string ?? ""
        if host.isEmpty || host == "?" { host = node["ip"]?.string ?? "" }
        if host.isEmpty || host == "?" { host = asked.host ?? "" }
        let port = (tls ? node["tls-port"]?.int : nil) ?? node["port"]?.int
        guard !host.isEmpty, let port, port > 0 else { return nil }
        return RedisEndpoint(host: host, port: port)
    }

    /// `CLUSTER SLOTS`: `[start, end, [host, port, id, ...], replicas...]` per range.
    static func fromSlots(_ reply: RESPValue, asked: RedisEndpoint) throws(RedisError) -> ClusterSlotMap {
        guard let ranges = reply.array else { throw malformed("CLUSTER SLOTS", reply) }
        var map = ClusterSlotMap()
        for range in ranges {
            guard let items = range.array, items.count >= 3, let start = items[0].int, let end = items[1].int,
                  let node = items[2].array, node.count >= 2, var host = node[0].string, let port = node[1].int,
                  start <= end
            else { throw malformed("CLUSTER SLOTS", range) }
            if host.isEmpty || host == "?" { host = asked.host ?? host }
            map.assign(start...end, to: RedisEndpoint(host: host, port: port))
        }
        return map
    }

    private static func malformed(_ command: String, _ value: RESPValue) -> RedisError {
        RedisError(.protocolError, "unexpected \(command) reply: \(String(describing: value).prefix(200))", command: command)
    }
}
