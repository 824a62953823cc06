import Logging
import RedisClient

/// A pool's settings as a `RedisConfiguration` for the client.
enum PoolConnector {
    static func configuration(for pool: PoolConfiguration, logger: Logger) throws -> RedisConfiguration {
        let endpoints = pool.servers.map(endpoint)
        let topology: RedisTopology
        switch pool.kind {
        case .single:
            guard let first = endpoints.first else {
                throw ConfigError(pool.location, "pool \(pool.name) has no server")
            }
            topology = .single(first)
        case .sentinel:
            topology = .sentinel(sentinels: endpoints, masterName: pool.sentinel ?? "mymaster")
        case .cluster:
            topology = .cluster(seeds: endpoints)
        }
        var configuration = RedisConfiguration(topology: topology)
        configuration.username = pool.username
        configuration.password = pool.password
        configuration.database = pool.database
        configuration.poolSize = pool.poolSize
        configuration.clientName = "mqtop-backend-\(pool.name)"
        if pool.ssl {
            configuration.tls = RedisTLSOptions(caFile: pool.caFile, certificateFile: pool.certFile, keyFile: pool.keyFile)
        }
        var poolLogger = logger
        poolLogger[metadataKey: "pool"] = "\(pool.name)"
        configuration.logger = poolLogger
        return configuration
    }

    /// `host[:port]` (default 6379), or a unix socket path.
    static func endpoint(_ text: String) -> RedisEndpoint {
        if text.hasPrefix("/") { return RedisEndpoint(unixSocket: text) }
        if text.hasPrefix("unix://") { return RedisEndpoint(unixSocket: String(text.dropFirst("unix://".count))) }
        if let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]) {
            return RedisEndpoint(host: String(text[..<colon]), port: port)
        }
        return RedisEndpoint(host: text)
    }
}
