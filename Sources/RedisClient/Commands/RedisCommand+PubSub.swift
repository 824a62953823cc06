// Publishing: PUBLISH, SPUBLISH. Subscribing is RedisSubscriber's job. https://redis.io/docs/latest/commands/?group=pubsub

extension RedisCommand {
    public static func publish(_ message: RESPArgument, to channel: RESPArgument) -> RedisCommand {
        RedisCommand("PUBLISH", [channel, message])
    }

    /// `SPUBLISH`: routed to the node owning the channel's slot in a cluster.
    public static func spublish(_ message: RESPArgument, to channel: RESPArgument) -> RedisCommand {
        RedisCommand("SPUBLISH", [channel, message])
    }
}

extension RedisCommandExecuting {
    /// Publishes; returns how many subscribers received it (on that node, in a cluster).
    @discardableResult
    public func publish(_ message: RESPArgument, to channel: RESPArgument) async throws -> Int {
        try await send(.publish(message, to: channel)).int ?? 0
    }

    @discardableResult
    public func spublish(_ message: RESPArgument, to channel: RESPArgument) async throws -> Int {
        try await send(.spublish(message, to: channel)).int ?? 0
    }
}
