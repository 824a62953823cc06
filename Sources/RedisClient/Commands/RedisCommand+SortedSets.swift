import NIOCore
import RESP

// Sorted sets: ZADD, ZRANGE, ZRANGEBYSCORE, ZREM, ZCARD, ZCOUNT. https://redis.io/docs/latest/commands/?group=sorted-set

extension RedisCommand {
    /// `ZADD key score member [score member ...]`.
    public static func zadd(_ key: RESPArgument, members: [(score: Double, member: RESPArgument)]) -> RedisCommand {
        var arguments = [key]
        arguments.reserveCapacity(1 + members.count * 2)
        for (score, member) in members {
            arguments.append(RESPArgument(score))
            arguments.append(member)
        }
        return RedisCommand("ZADD", arguments)
    }

    /// `ZRANGE key start stop [WITHSCORES]` by rank (negative ranks count from the end).
    public static func zrange(_ key: RESPArgument, from start: Int, to stop: Int, withScores: Bool = false) -> RedisCommand {
        var arguments = [key, RESPArgument(start), RESPArgument(stop)]
        if withScores { arguments.append("WITHSCORES") }
        return RedisCommand("ZRANGE", arguments)
    }

    public static func zrem(_ key: RESPArgument, members: [RESPArgument]) -> RedisCommand {
        RedisCommand("ZREM", [key] + members)
    }

    public static func zcard(_ key: RESPArgument) -> RedisCommand {
        RedisCommand("ZCARD", [key])
    }

    /// `ZCOUNT key min max`; bounds as Redis writes them (`(1700000000000`, `+inf`).
    public static func zcount(_ key: RESPArgument, min: String, max: String) -> RedisCommand {
        RedisCommand("ZCOUNT", [key, RESPArgument(min), RESPArgument(max)])
    }

    /// `ZRANGEBYSCORE key min max [WITHSCORES] [LIMIT offset count]` (kept over `ZRANGE … BYSCORE` so
    /// servers older than 6.2 answer too).
    public static func zrangeByScore(_ key: RESPArgument, min: String, max: String, withScores: Bool = false,
                                     limit: (offset: Int, count: Int)? = nil) -> RedisCommand {
        var arguments = [key, RESPArgument(min), RESPArgument(max)]
        if withScores { arguments.append("WITHSCORES") }
        if let limit { arguments += ["LIMIT", RESPArgument(limit.offset), RESPArgument(limit.count)] }
        return RedisCommand("ZRANGEBYSCORE", arguments)
    }
}

extension RESPValue {
    /// A `WITHSCORES` reply as (member, score) pairs: RESP2 alternates member and score, RESP3 nests pairs.
    public var scoredMembers: [(member: ByteBuffer, score: Double)] {
        let items = array ?? []
        var result: [(member: ByteBuffer, score: Double)] = []
        if items.first?.array != nil {
            for pair in items {
                if let parts = pair.array, parts.count == 2, let member = parts[0].bytes, let score = parts[1].double {
                    result.append((member, score))
                }
            }
        } else {
            var index = 0
            while index + 1 < items.count {
                if let member = items[index].bytes, let score = items[index + 1].double { result.append((member, score)) }
                index += 2
            }
        }
        return result
    }
}

extension RedisCommandExecuting {
    /// Adds or updates members; returns how many were new.
    @discardableResult
    public func zadd(_ key: RESPArgument, members: [(score: Double, member: RESPArgument)]) async throws -> Int {
        try await send(.zadd(key, members: members)).int ?? 0
    }

    /// Members by rank, lowest score first.
    public func zrange(_ key: RESPArgument, from start: Int, to stop: Int) async throws -> [ByteBuffer] {
        let reply = try await send(.zrange(key, from: start, to: stop))
        return (reply.array ?? []).compactMap(\.bytes)
    }

    /// Members with their scores, by rank (RESP2 alternates member and score, RESP3 nests pairs).
    public func zrangeWithScores(_ key: RESPArgument, from start: Int, to stop: Int) async throws
        -> [(member: ByteBuffer, score: Double)] {
        try await send(.zrange(key, from: start, to: stop, withScores: true)).scoredMembers
    }

    /// Removes members; returns how many existed.
    @discardableResult
    public func zrem(_ key: RESPArgument, members: [RESPArgument]) async throws -> Int {
        try await send(.zrem(key, members: members)).int ?? 0
    }

    public func zcard(_ key: RESPArgument) async throws -> Int {
        try await send(.zcard(key)).int ?? 0
    }
}
