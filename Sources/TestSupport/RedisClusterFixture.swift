import Foundation

/// A private Redis Cluster of masters only, made with `redis-cli --cluster create`, with helpers to move a
/// slot by hand (the `MOVED`/`ASK` states a client must follow).
///
/// Every node gets a second free port as `--cluster-port` (the default, port+10000, fails above 55535).
public final class RedisClusterFixture: Sendable {
    public let nodes: [RedisServer]

    /// `redis+cluster://127.0.0.1:p1,127.0.0.1:p2,...`.
    public var url: String {
        "redis+cluster://" + nodes.map { "127.0.0.1:\($0.port)" }.joined(separator: ",")
    }

    private init(nodes: [RedisServer]) {
        self.nodes = nodes
    }

    /// `extraArguments` go to every node (e.g. `--rename-command SSUBSCRIBE ""` for a server without it).
    public static func start(masters: Int = 3, extraArguments: [String] = []) async throws -> RedisClusterFixture {
        var nodes: [RedisServer] = []
        do {
            for _ in 0..<masters { nodes.append(try await startNode(extraArguments)) }
            let (status, output) = try await runCommand(
                "redis-cli", ["--cluster", "create"] + nodes.map { "127.0.0.1:\($0.port)" }
                    + ["--cluster-replicas", "0", "--cluster-yes"], timeout: .seconds(60))
            guard status == 0 else { throw RedisCLIError(arguments: ["--cluster", "create"], output: output) }
            let cluster = RedisClusterFixture(nodes: nodes)
            try await cluster.waitUntilConsistent()
            return cluster
        } catch {
            for node in nodes { await node.stopAndRemove() }
            throw error
        }
    }

    private static func startNode(_ extraArguments: [String]) async throws -> RedisServer {
        var lastError: (any Error)?
        for _ in 0..<5 {
            do {
                let bus = try FreePort.next()
                return try await RedisServer.start(extraArguments: [
                    "--cluster-enabled", "yes", "--cluster-port", String(bus), "--cluster-config-file", "nodes.conf",
                    "--cluster-node-timeout", "2000", "--repl-diskless-sync-delay", "0",
                ] + extraArguments)
            } catch {
                lastError = error
            }
        }
        throw lastError ?? WaitTimeout(what: "a cluster node", after: .seconds(0))
    }

    /// Every node reports `cluster_state:ok`, knows every other node, and agrees on every slot's owner.
    public func waitUntilConsistent(timeout: Duration = .seconds(20)) async throws {
        try await waitUntil("the cluster to be consistent", timeout: timeout, poll: .milliseconds(50)) {
            var views: [[Int: Int]] = []
            for node in self.nodes {
                let info = try await node.cli("CLUSTER", "INFO")
                guard info.contains("cluster_state:ok"), info.contains("cluster_known_nodes:\(self.nodes.count)") else {
                    return false
                }
                views.append(try await self.slotOwners(accordingTo: node))
            }
            return views.allSatisfy { $0 == views[0] && $0.count == 16384 }
        }
    }

    /// Slot → owner port, as `node` sees it (from `CLUSTER NODES`).
    public func slotOwners(accordingTo node: RedisServer) async throws -> [Int: Int] {
        var owners: [Int: Int] = [:]
        for line in try await node.cli("CLUSTER", "NODES").split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count >= 8, fields[2].contains("master"),
                  let port = fields[1].split(separator: "@").first?.split(separator: ":").last.flatMap({ Int($0) })
            else { continue }
            for range in fields.dropFirst(8) where !range.hasPrefix("[") {
                let bounds = range.split(separator: "-").compactMap { Int($0) }
                guard let low = bounds.first, let high = bounds.last else { continue }
                for slot in low...high { owners[slot] = port }
            }
        }
        return owners
    }

    /// The node serving `slot` now.
    public func owner(of slot: Int) async throws -> RedisServer {
        let port = try await slotOwners(accordingTo: nodes[0])[slot]
        guard let node = nodes.first(where: { $0.port == port }) else {
            throw RedisCLIError(arguments: ["owner"], output: "no owner for slot \(slot)")
        }
        return node
    }

    public func nodeID(_ node: RedisServer) async throws -> String {
        try await node.cli("CLUSTER", "MYID")
    }

    /// First step of a move: `destination` imports the slot, its owner migrates it. Keys stay where they are
    /// until ``migrateKeys(slot:to:keys:)``; the owner answers `ASK` for keys it no longer has.
    public func beginMigration(slot: Int, to destination: RedisServer) async throws {
        let source = try await owner(of: slot)
        try await destination.cli("CLUSTER", "SETSLOT", String(slot), "IMPORTING", try await nodeID(source))
        try await source.cli("CLUSTER", "SETSLOT", String(slot), "MIGRATING", try await nodeID(destination))
    }

    /// Moves `keys` (or every key of the slot) from the slot's owner to `destination` with `MIGRATE`.
    public func migrateKeys(slot: Int, to destination: RedisServer, keys: [String]? = nil) async throws {
        let source = try await owner(of: slot)
        var remaining = keys
        while true {
            let batch: [String]
            if let explicit = remaining {
                batch = explicit
                remaining = []
            } else {
                batch = try await source.cli("CLUSTER", "GETKEYSINSLOT", String(slot), "100")
                    .split(separator: "\n").map(String.init)
            }
            guard !batch.isEmpty else { return }
            let reply = try await source.cli(["MIGRATE", "127.0.0.1", String(destination.port), "", "0", "5000", "KEYS"] + batch)
            guard reply == "OK" || reply == "NOKEY" else {
                throw RedisCLIError(arguments: ["MIGRATE"], output: reply)
            }
            if keys != nil { return }
        }
    }

    /// Last step: every node is told `destination` owns the slot (destination and source first, as
    /// redis-cli does), then waits until they all agree.
    public func finishMigration(slot: Int, to destination: RedisServer) async throws {
        let source = try await owner(of: slot)
        let id = try await nodeID(destination)
        let order = [destination, source] + nodes.filter { $0 !== destination && $0 !== source }
        for node in order {
            try await node.cli("CLUSTER", "SETSLOT", String(slot), "NODE", id)
        }
        try await waitUntilConsistent()
    }

    /// The whole move: import/migrate states, every key, then the new owner everywhere.
    public func moveSlot(_ slot: Int, to destination: RedisServer) async throws {
        try await beginMigration(slot: slot, to: destination)
        try await migrateKeys(slot: slot, to: destination)
        try await finishMigration(slot: slot, to: destination)
    }

    public func stop() async {
        for node in nodes { await node.stopAndRemove() }
    }
}
