import ArgumentParser

/// Where the embedded engine's data goes: a Redis URL, the private redis-server, or nowhere.
struct EngineOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Redis to store into: redis://, rediss://, unix:///path.sock, redis+sentinel://h1,h2/master, redis+cluster://h1,h2. Default: a private redis-server that mqtop starts and stops.",
        valueName: "url"))
    var redis: String?

    @Option(name: .customLong("backend-config"), help: ArgumentHelp(
        "An emqx_backend_redis.conf (pools and hook rules). Default: the plugin's own rule set.", valueName: "file"))
    var backendConfig: String?

    @Option(name: .customLong("auth-config"), help: ArgumentHelp(
        "An emqx_auth_redis.conf (auth.redis.*): users and ACLs from Redis. Default: anyone may connect.",
        valueName: "file"))
    var authConfig: String?

    @Option(name: .customLong("acl-file"), help: ArgumentHelp(
        "Topic permissions in Mosquitto's acl_file format (user, topic [read|write|readwrite|deny], pattern with %c %u); with --auth-config both must allow. A denied SUBSCRIBE gets SUBACK 0x80/0x87.",
        valueName: "file"))
    var aclFile: String?

    @Flag(name: .customLong("no-backend"), help: "Run the broker alone, in memory, without Redis.")
    var noBackend = false

    @Option(name: .customLong("data-dir"), help: ArgumentHelp(
        "Data directory of the private redis-server (default ~/.local/state/mqtop/redis).", valueName: "dir"))
    var dataDirectory: String?

    @Option(name: .long, help: ArgumentHelp(
        "Join the cluster of this name: every mqtop node with the same --cluster on the same --redis is one broker to its clients. Needs --redis; each node a different --node.",
        valueName: "name"))
    var cluster: String?

    func validate() throws {
        if noBackend && (redis != nil || backendConfig != nil) {
            throw ValidationError("--no-backend runs without Redis: drop --redis and --backend-config")
        }
        if let cluster {
            guard redis != nil else {
                throw ValidationError("--cluster \(cluster): the nodes share one Redis, name it with --redis URL")
            }
            guard !cluster.isEmpty, !cluster.contains(where: { $0 == ":" || $0.isWhitespace }) else {
                throw ValidationError("--cluster \(cluster): a name without spaces or ':'")
            }
        }
    }
}
