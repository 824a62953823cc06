import EMQXLayout
import Foundation
import RedisClient

/// Marks the clients of a dead node offline in the EMQX layout (`mqtt:client:<cid>` state 0, `offline_at`)
/// and removes `mqtt:node:<node>`, so the console and business servers do not show them online forever.
///
/// One surviving node does it (a lock key with a TTL); a client already online on another live node (it
/// reconnected there) is left alone.
struct NodeReaper {
    let node: ClusterNode

    /// Returns how many clients were marked offline, or nil when another node holds the lock. `forget`
    /// also removes the dead node from the cluster (nodes hash, routes) and tells the others.
    func reap(_ dead: String, forget: Bool) async throws -> Int? {
        let keys = node.keys
        let control = node.control
        let lock = RESPArgument(keys.reap(dead))
        let won = try await control.send(.set(lock, to: RESPArgument(node.node), expiration: .seconds(30),
                                              condition: .ifNotExists))
        guard !won.isNull else { return nil }
        // Another survivor may have finished with it just before: then there is nothing left to do.
        if forget, try await control.send(RedisCommand("HEXISTS", [RESPArgument(keys.nodes), RESPArgument(dead)])).int != 1 {
            _ = try await control.send(.del([lock]))
            return nil
        }
        let incarnation = node.members.member(dead)?.incarnation ?? ""
        let clients = try await control.hgetall(RESPArgument(EMQXKeys.node(dead))).keys.sorted()
        let survivors = try await liveNodes(except: dead)
        var offline = clients
        if !clients.isEmpty, !survivors.isEmpty {
            var checks: [RedisCommand] = []
            for client in clients {
                for survivor in survivors {
                    checks.append(RedisCommand("HEXISTS", [RESPArgument(EMQXKeys.node(survivor)), RESPArgument(client)]))
                }
            }
            let answers = try await control.pipeline(checks)
            offline = clients.enumerated().filter { index, _ in
                let range = index * survivors.count ..< (index + 1) * survivors.count
                return !range.contains { (try? answers[$0].get())?.int == 1 }
            }.map(\.element)
        }
        let now = node.configuration.storedTime(ClusterNode.wallClockMillis())
        var commands: [RedisCommand] = offline.map { client in
            .hset(RESPArgument(EMQXKeys.client(client)),
                  fields: [(RESPArgument("state"), RESPArgument("0")), (RESPArgument("offline_at"), RESPArgument(now))])
        }
        commands.append(.del([RESPArgument(EMQXKeys.node(dead))]))
        if forget {
            commands.append(.del([RESPArgument(keys.routes(dead))]))
            commands.append(.hdel(RESPArgument(keys.nodes), fields: [RESPArgument(dead)]))
            let leave = ClusterEvent.leave(node: dead, incarnation: incarnation)
            commands.append(leave.publishing(on: keys, sharded: node.configuration.isRedisCluster))
        }
        commands.append(.del([lock]))
        for case .failure(let error) in try await control.pipeline(commands) {
            node.logger.error("cluster \(keys.cluster): while marking the clients of node \(dead) offline: \(error)")
        }
        return offline.count
    }

    /// The nodes in the nodes hash whose heartbeat key is there, but `dead`.
    private func liveNodes(except dead: String) async throws -> [String] {
        let listed = try await node.control.hgetall(RESPArgument(node.keys.nodes)).keys.filter { $0 != dead }.sorted()
        guard !listed.isEmpty else { return [] }
        let beats = try await node.control.pipeline(listed.map { .get(RESPArgument(node.keys.alive($0))) })
        return zip(listed, beats).compactMap { name, beat in ((try? beat.get())?.isNull ?? true) ? nil : name }
    }
}
