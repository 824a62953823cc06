// Keys: EXPIRE, TTL, TYPE, EXISTS (SCAN is RedisClient.scan). https://redis.io/docs/latest/commands/?group=generic

/// What `TTL` says about a key.
public enum RedisTTL: Sendable, Hashable {
    case missing
    case persistent
    case expires(in: Duration)
}

extension RedisCommand {
    public static func expire(_ key: RESPArgument, after duration: Duration) -> RedisCommand {
        RedisCommand("PEXPIRE", [key, RESPArgument(expiryMilliseconds(duration))])
    }

    /// `PEXPIRE`'s argument for `duration`: at least 1 ms (0 would delete the key at once).
    public static func expiryMilliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0 else { return 1 }
        let millis = seconds.multipliedReportingOverflow(by: 1000)
        let total = millis.partialValue.addingReportingOverflow(attoseconds / 1_000_000_000_000_000)
        guard !millis.overflow, !total.overflow else { return Int(Int64.max) }
        return Int(max(1, total.partialValue))
    }

    public static func ttl(_ key: RESPArgument) -> RedisCommand {
        RedisCommand("PTTL", [key])
    }

    public static func type(_ key: RESPArgument) -> RedisCommand {
        RedisCommand("TYPE", [key])
    }

    public static func exists(_ keys: [RESPArgument]) -> RedisCommand {
        RedisCommand("EXISTS", keys)
    }
}

extension RedisCommandExecuting {
    /// Sets a time to live (`PEXPIRE`); returns `false` if the key does not exist.
    @discardableResult
    public func expire(_ key: RESPArgument, after duration: Duration) async throws -> Bool {
        try await send(.expire(key, after: duration)).bool ?? false
    }

    /// The remaining time to live (`PTTL`).
    public func ttl(_ key: RESPArgument) async throws -> RedisTTL {
        switch try await send(.ttl(key)).int ?? -2 {
        case -2: return .missing
        case -1: return .persistent
        case let milliseconds: return .expires(in: .milliseconds(milliseconds))
        }
    }

    /// The key's type (`string`, `hash`, `zset`, ..., or `none`).
    public func type(_ key: RESPArgument) async throws -> String {
        try await send(.type(key)).string ?? "none"
    }

    /// How many of the keys exist.
    public func exists(_ keys: RESPArgument...) async throws -> Int {
        try await send(.exists(keys)).int ?? 0
    }
}
