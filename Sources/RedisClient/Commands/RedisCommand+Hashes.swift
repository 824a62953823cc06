import NIOCore

// Hashes: HSET, HMSET, HGET, HGETALL, HDEL. https://redis.io/docs/latest/commands/?group=hash

extension RedisCommand {
    /// `HSET key field value [field value ...]`.
    public static func hset(_ key: RESPArgument, fields: [(RESPArgument, RESPArgument)]) -> RedisCommand {
        var arguments = [key]
        arguments.reserveCapacity(1 + fields.count * 2)
        for (field, value) in fields {
            arguments.append(field)
            arguments.append(value)
        }
        return RedisCommand("HSET", arguments)
    }

    public static func hset(_ key: RESPArgument, field: RESPArgument, to value: RESPArgument) -> RedisCommand {
        RedisCommand("HSET", [key, field, value])
    }

    /// `HMSET` (deprecated by Redis in favour of multi-field `HSET`, kept because EMQX-style backends use it).
    public static func hmset(_ key: RESPArgument, fields: [(RESPArgument, RESPArgument)]) -> RedisCommand {
        var command = hset(key, fields: fields)
        command.name = "HMSET"
        return command
    }

    public static func hget(_ key: RESPArgument, field: RESPArgument) -> RedisCommand {
        RedisCommand("HGET", [key, field])
    }

    public static func hgetall(_ key: RESPArgument) -> RedisCommand {
        RedisCommand("HGETALL", [key])
    }

    public static func hdel(_ key: RESPArgument, fields: [RESPArgument]) -> RedisCommand {
        RedisCommand("HDEL", [key] + fields)
    }
}

extension RedisCommandExecuting {
    /// Sets fields; returns how many were new.
    @discardableResult
    public func hset(_ key: RESPArgument, fields: [(RESPArgument, RESPArgument)]) async throws -> Int {
        try await send(.hset(key, fields: fields)).int ?? 0
    }

    /// Sets one field; returns whether it was new.
    @discardableResult
    public func hset(_ key: RESPArgument, field: RESPArgument, to value: RESPArgument) async throws -> Bool {
        (try await send(.hset(key, field: field, to: value)).int ?? 0) > 0
    }

    public func hmset(_ key: RESPArgument, fields: [(RESPArgument, RESPArgument)]) async throws {
        try await send(.hmset(key, fields: fields))
    }

    /// One field's value, or `nil`.
    public func hget(_ key: RESPArgument, field: RESPArgument) async throws -> ByteBuffer? {
        try await send(.hget(key, field: field)).bytes
    }

    /// Every field and value (empty for a missing key). Works with RESP2 flat arrays and RESP3 maps.
    public func hgetall(_ key: RESPArgument) async throws -> [String: ByteBuffer] {
        let reply = try await send(.hgetall(key))
        guard let map = reply.map else {
            throw RedisError(.protocolError, "unexpected HGETALL reply \(reply)", command: "HGETALL")
        }
        var result: [String: ByteBuffer] = [:]
        result.reserveCapacity(map.count)
        for entry in map {
            if let field = entry.key.string, let value = entry.value.bytes { result[field] = value }
        }
        return result
    }

    /// Removes fields; returns how many existed.
    @discardableResult
    public func hdel(_ key: RESPArgument, fields: [RESPArgument]) async throws -> Int {
        try await send(.hdel(key, fields: fields)).int ?? 0
    }
}
