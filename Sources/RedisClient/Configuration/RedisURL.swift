/// A parsed Redis URL.
///
/// Accepted forms (userinfo is `user:password`, `:password`, or just `password`):
/// - `redis://[userinfo@]host[:port][/db]` and `rediss://…` (TLS)
/// - `unix://[userinfo@]/path/to/redis.sock[?db=N]`
/// - `redis+sentinel://[userinfo@]h1[:p1],h2[:p2]/mastername[/db]` (sentinel port defaults to 26379)
/// - `redis+cluster://[userinfo@]h1[:p1],h2[:p2]` (`rediss+sentinel`, `rediss+cluster` for TLS)
///
/// Query options: `db`, `client_name`, `connect_timeout` and `command_timeout` (seconds, decimals allowed),
/// `pool_size`, `protocol` (`2` or `3`); with TLS also `cafile`, `certfile`, `keyfile`, `insecure=1`,
/// `servername`. Anything else is an error, so a typo is not silently ignored.
///
/// ``description`` prints the URL with the password replaced by `***`.
public struct RedisURL: Sendable, Hashable, CustomStringConvertible {
    public var topology: RedisTopology
    public var username: String?
    public var password: String?
    public var database: Int?
    /// Set for the `rediss` schemes.
    public var tls: RedisTLSOptions?
    public var clientName: String?
    public var connectTimeout: Duration?
    public var commandTimeout: Duration?
    public var poolSize: Int?
    /// 2 or 3: forces a protocol instead of trying `HELLO 3` first.
    public var protocolVersion: Int?

    public init(_ string: String) throws(RedisError) {
        self = try RedisURLParser.parse(string)
    }

    init(topology: RedisTopology) {
        self.topology = topology
    }

    public var description: String {
        var text = ""
        switch topology {
        case .single(let endpoint):
            if case .unix(let path) = endpoint.address {
                text = "unix://" + userinfoDescription + path
            } else {
                text = (tls == nil ? "redis://" : "rediss://") + userinfoDescription + endpoint.description
            }
        case .sentinel(let sentinels, let masterName):
            text = (tls == nil ? "redis+sentinel://" : "rediss+sentinel://") + userinfoDescription
                + sentinels.map(\.description).joined(separator: ",") + "/" + masterName
        case .cluster(let seeds):
            text = (tls == nil ? "redis+cluster://" : "rediss+cluster://") + userinfoDescription
                + seeds.map(\.description).joined(separator: ",")
        }
        var query: [String] = []
        if let database {
            if case .single(let endpoint) = topology, case .unix = endpoint.address {
                query.append("db=\(database)")
            } else {
                text += "/\(database)"
            }
        }
        if let clientName { query.append("client_name=\(clientName)") }
        if let tls {
            if let file = tls.caFile { query.append("cafile=\(file)") }
            if let file = tls.certificateFile { query.append("certfile=\(file)") }
            if let file = tls.keyFile { query.append("keyfile=\(file)") }
            if !tls.verifyPeer { query.append("insecure=1") }
            if let name = tls.serverName { query.append("servername=\(name)") }
        }
        return query.isEmpty ? text : text + "?" + query.joined(separator: "&")
    }

    private var userinfoDescription: String {
        switch (username, password) {
        case (nil, nil): return ""
        case (let user?, nil): return "\(user):@"
        case (nil, _?): return "***@"
        case (let user?, _?): return "\(user):***@"
        }
    }
}
