import NIOCore

/// What a connection writes: encoded commands and how to complete their callers when the replies arrive.
struct RedisRequest: Sendable {
    enum Completion: Sendable {
        /// One command, one reply.
        case single(EventLoopPromise<RESPValue>)
        /// `count` commands written together; their replies are collected into one result.
        case batch(count: Int, names: [String], EventLoopPromise<[Result<RESPValue, RedisError>]>)
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
        case .single(let promise): promise.fail(error)
        case .batch(_, let names, let promise):
            promise.succeed(names.map { .failure(error.with(command: $0)) })
        case .subscription(_, _, _, _, let promise): promise.fail(error)
        }
    }
}
