import EMQXLayout
import RedisClient
import RESP

/// The nodes of an mqtop cluster, for the header: who announced itself, whose heartbeat key is there, and
/// how many clients each has in `mqtt:node:<node>`. Three small reads per sweep, however big the fleet.
struct ClusterSweep {
    let client: RedisClient
    let keys: ClusterKeys

    func run() async throws -> ClusterHeader {
        let listed = try await client.hgetall(RESPArgument(keys.nodes)).keys.sorted()
        guard !listed.isEmpty else { return ClusterHeader(name: keys.cluster, nodes: []) }
        var commands: [RedisCommand] = []
        for node in listed {
            commands.append(RedisCommand("EXISTS", [RESPArgument(keys.alive(node))]))
            commands.append(RedisCommand("HLEN", [RESPArgument(EMQXKeys.node(node))]))
        }
        let replies = try await client.pipeline(commands)
        let nodes = listed.enumerated().map { index, node in
            ClusterNodeRow(name: node, alive: (try? replies[2 * index].get())?.int == 1,
                           clients: (try? replies[2 * index + 1].get())?.int ?? 0)
        }
        return ClusterHeader(name: keys.cluster, nodes: nodes)
    }
}
