import NIOCore

/// What a connection writes: encoded commands and how to complete their callers when the replies arrive.
struct RedisRequest: Sendable {
    enum Completion: Sendable {
        /// One command, one reply.
        case single(EventLoopPromise<RESPValue>)
        /// Commands written together; their replies are collected into one result. The commands are kept
        /// only to name them in errors.
        case batch([RedisCommand], EventLoopPromise<[Result<RESPValue, RedisError>]>)
        /// A (un)subscribe command: complete once every name is confirmed, or at the first error reply.
        /// `classifyArrays` marks a RESP2 connection, where pub/sub events are plain arrays.
        case subscription(RedisSubscriptionKind, subscribe: Bool, names: [String], classifyArrays: Bool,
                          EventLoopPromise<Void>)
    }

    var bytes: ByteBuffer
    var command: String
    var completion: Completion
    /// Overrides the connection's command timeout; `nil` uses it.
    var timeout: TimeAmount?

    /// Fails the caller without anything having been written.
    func fail(_ error: RedisError) {
        switch completion {
        case .single(let promise): promise.fail(error.with(command: command.uppercased()))
        case .batch(let commands, let promise):
            promise.succeed(commands.map { .failure(error.with(command: $0.displayName)) })
        case .subscription(_, _, _, _, let promise): promise.fail(error)
        }
    }
}
