import NIOCore

// Strings: GET, SET, DEL. https://redis.io/docs/latest/commands/?group=string

/// When `SET` writes.
public enum RedisSetCondition: Sendable, Hashable {
    /// Always (no flag).
    case always
    /// Only if the key does not exist (`NX`).
    case ifNotExists
    /// Only if the key exists (`XX`).
    case ifExists
}

extension RedisCommand {
    public static func get(_ key: RESPArgument) -> RedisCommand {
        RedisCommand("GET", [key])
    }

    /// `SET key value [NX|XX] [PX ms]`.
    public static func set(_ key: RESPArgument, to value: RESPArgument, expiration: Duration? = nil,
                           condition: RedisSetCondition = .always) -> RedisCommand {
        var arguments = [key, value]
        switch condition {
        case .always: break
        case .ifNotExists: arguments.append("NX")
        case .ifExists: arguments.append("XX")
        }
        if let expiration {
            arguments += ["PX", RESPArgument(max(1, Int(expiration / .milliseconds(1))))]
        }
        return RedisCommand("SET", arguments)
    }

    public static func del(_ keys: [RESPArgument]) -> RedisCommand {
        RedisCommand("DEL", keys)
    }
}

extension RedisCommandExecuting {
    /// The value of `key`, or `nil` if it does not exist.
    public func get(_ key: RESPArgument) async throws -> ByteBuffer? {
        try await send(.get(key)).bytes
    }

    /// The value of `key` as UTF-8 text, or `nil` if it does not exist.
    public func getString(_ key: RESPArgument) async throws -> String? {
        try await send(.get(key)).string
    }

    /// Sets `key`; returns `false` when a condition (`NX`/`XX`) prevented the write.
    @discardableResult
    public func set(_ key: RESPArgument, to value: RESPArgument, expiration: Duration? = nil,
                    condition: RedisSetCondition = .always) async throws -> Bool {
        !(try await send(.set(key, to: value, expiration: expiration, condition: condition)).isNull)
    }

    /// Deletes keys; returns how many existed.
    @discardableResult
    public func del(_ keys: [RESPArgument]) async throws -> Int {
        try await send(.del(keys)).int ?? 0
    }

    /// Deletes keys; returns how many existed.
    @discardableResult
    public func del(_ keys: RESPArgument...) async throws -> Int {
        try await del(keys)
    }
}
