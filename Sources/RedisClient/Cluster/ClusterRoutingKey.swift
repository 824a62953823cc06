/// Which argument of a command decides its node in a cluster.
///
/// Most commands take their key first. Those listed here have no key (any node will do), or their key
/// elsewhere. Multi-key commands are routed by their first key; Redis itself answers `CROSSSLOT` if the keys
/// are in different slots (use `{hash tags}` to keep them together).
extension RedisCommand {
    /// The key the command is routed by, or `nil` for commands any node can serve.
    public var routingKey: RESPArgument? {
        if encoded != nil { return encodedKey }
        let upper = name.uppercased()
        if Self.keyless.contains(upper) { return nil }
        switch upper {
        case "EVAL", "EVALSHA", "EVAL_RO", "EVALSHA_RO", "FCALL", "FCALL_RO":
            guard arguments.count > 2, let keys = Int(arguments[1].text), keys > 0 else { return nil }
            return arguments[2]
        case "ZUNION", "ZINTER", "ZDIFF", "LMPOP", "ZMPOP", "SINTERCARD", "ZINTERCARD":
            return arguments.count > 1 ? arguments[1] : nil
        case "BLMPOP", "BZMPOP":
            return arguments.count > 2 ? arguments[2] : nil
        case "XREAD", "XREADGROUP":
            guard let streams = arguments.firstIndex(where: { $0.text.uppercased() == "STREAMS" }),
                  streams + 1 < arguments.count else { return nil }
            return arguments[streams + 1]
        case "MEMORY", "OBJECT", "XINFO":
            return arguments.count > 1 ? arguments[1] : nil
        default:
            return arguments.first
        }
    }

    /// Commands without keys (server, connection, pub/sub and cluster administration).
    static let keyless: Set<String> = [
        "PING", "ECHO", "INFO", "ROLE", "TIME", "DBSIZE", "CLUSTER", "COMMAND", "CONFIG", "CLIENT", "HELLO", "AUTH",
        "SELECT", "PUBLISH", "PUBSUB", "FLUSHALL", "FLUSHDB", "SCRIPT", "FUNCTION", "ACL", "LASTSAVE", "SAVE",
        "BGSAVE", "BGREWRITEAOF", "DEBUG", "SLOWLOG", "LATENCY", "WAIT", "RANDOMKEY", "KEYS", "SCAN", "MULTI", "EXEC",
        "DISCARD", "UNWATCH", "READONLY", "READWRITE", "ASKING", "QUIT", "RESET", "LOLWUT", "MONITOR", "SHUTDOWN",
        "SWAPDB", "MODULE", "REPLICAOF", "SLAVEOF", "FAILOVER", "WAITAOF",
    ]
}
