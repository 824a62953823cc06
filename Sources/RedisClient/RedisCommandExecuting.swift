/// Anything that can run a command: ``RedisClient`` (and test doubles). The typed helpers in `Commands/`
/// are extensions of this protocol.
public protocol RedisCommandExecuting: Sendable {
    /// Sends `command` and returns its reply; an error reply is thrown as a ``RedisError`` of kind
    /// ``RedisError/Kind/serverError`` carrying the server's message.
    @discardableResult
    func send(_ command: RedisCommand) async throws -> RESPValue
}

extension RedisCommandExecuting {
    /// Sends `name` with `arguments`; any command, also those without a typed helper.
    @discardableResult
    public func send(_ name: String, _ arguments: [RESPArgument]) async throws -> RESPValue {
        try await send(RedisCommand(name, arguments))
    }

    /// Sends `name` with `arguments`; any command, also those without a typed helper.
    @discardableResult
    public func send(_ name: String, _ arguments: RESPArgument...) async throws -> RESPValue {
        try await send(RedisCommand(name, arguments))
    }
}
