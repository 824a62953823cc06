/// How the Redis deployment is laid out, which decides how the client finds the server for a command.
public enum RedisTopology: Sendable, Hashable {
    /// One server (or a replica-less master): every command goes there.
    case single(RedisEndpoint)
    /// A master found through Sentinel (`SENTINEL get-master-addr-by-name`), followed across failovers.
    case sentinel(sentinels: [RedisEndpoint], masterName: String)
    /// A Redis Cluster: commands are routed by key slot; the seeds are only the first nodes asked for the map.
    case cluster(seeds: [RedisEndpoint])
}
