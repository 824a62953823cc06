import Logging
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// Why a connection failed, recorded by its handler, readable from any thread.
final class RedisCloseReason: Sendable {
    private let reason = Mutex<RedisError?>(nil)

    var value: RedisError? { reason.withLock { $0 } }

    /// Keeps the first reason only: later ones are consequences.
    func record(_ error: RedisError) {
        reason.withLock { if $0 == nil { $0 = error } }
    }
}

/// One connection to one server: a NIO channel with the RESP codec and the FIFO of waiting commands.
///
/// Thread-safe: commands may be sent from any thread; they are encoded on the caller's thread and written in
/// one flush per call. Many commands can be in flight at once (pipelining); replies complete them in order.
public final class RedisConnection: Sendable {
    /// The server this connection talks to.
    public let endpoint: RedisEndpoint
    /// 2 or 3, as negotiated by `HELLO`.
    public let protocolVersion: Int
    let channel: any Channel
    let closeReason: RedisCloseReason

    init(endpoint: RedisEndpoint, protocolVersion: Int, channel: any Channel, closeReason: RedisCloseReason) {
        self.endpoint = endpoint
        self.protocolVersion = protocolVersion
        self.channel = channel
        self.closeReason = closeReason
    }

    /// Why the connection failed, once it has.
    public var failure: RedisError? { closeReason.value }

    public var eventLoop: any EventLoop { channel.eventLoop }
    /// Whether the channel is still open.
    public var isActive: Bool { channel.isActive }
    /// Completes when the connection has closed, for whatever reason.
    public var closeFuture: EventLoopFuture<Void> { channel.closeFuture }

    /// Sends one command; the future completes with its reply (an `.error` reply is a value, not a failure).
    public func send(_ command: RedisCommand, timeout: TimeAmount? = nil) -> EventLoopFuture<RESPValue> {
        let promise = channel.eventLoop.makePromise(of: RESPValue.self)
        var buffer = channel.allocator.buffer(capacity: command.estimatedSize)
        buffer.writeRESP(command)
        write(RedisRequest(bytes: buffer, command: command.name, completion: .single(promise), timeout: timeout))
        return promise.futureResult
    }

    /// Sends commands in one write; the future always succeeds, with one result per command, in order.
    public func send(batch commands: [RedisCommand], timeout: TimeAmount? = nil)
        -> EventLoopFuture<[Result<RESPValue, RedisError>]> {
        let promise = channel.eventLoop.makePromise(of: [Result<RESPValue, RedisError>].self)
        guard !commands.isEmpty else {
            promise.succeed([])
            return promise.futureResult
        }
        var size = 0
        for command in commands { size += command.estimatedSize }
        var buffer = channel.allocator.buffer(capacity: size)
        for command in commands {
            buffer.writeRESP(command)
        }
        write(RedisRequest(bytes: buffer, command: "pipeline", completion: .batch(commands, promise), timeout: timeout))
        return promise.futureResult
    }

    /// Sends `SUBSCRIBE`-family commands; completes when the server has confirmed every name.
    func subscription(_ kind: RedisSubscriptionKind, subscribe: Bool, names: [String]) -> EventLoopFuture<Void> {
        let promise = channel.eventLoop.makePromise(of: Void.self)
        let unique = Array(Set(names))
        guard !unique.isEmpty else {
            promise.succeed(())
            return promise.futureResult
        }
        let name = subscribe ? kind.subscribeCommand : kind.unsubscribeCommand
        var buffer = channel.allocator.buffer(capacity: 64 * unique.count)
        buffer.writeRESPCommand(name, unique.map { RESPArgument($0) })
        write(RedisRequest(bytes: buffer, command: name,
                           completion: .subscription(kind, subscribe: subscribe, names: unique,
                                                     classifyArrays: protocolVersion == 2, promise),
                           timeout: nil))
        return promise.futureResult
    }

    private func write(_ request: RedisRequest) {
        let endpoint = self.endpoint.description
        let reason = closeReason
        channel.writeAndFlush(request).whenFailure { error in
            // Only reached when the handler never saw the request (channel already closed): it was surely not
            // sent, so whoever buffers it may send it again, whatever it is.
            let cause = reason.value?.message ?? RedisConnector.describe(error)
            request.fail(RedisError(.notConnected, "the connection closed before the command was written (\(cause))",
                                    command: request.command, endpoint: endpoint))
        }
    }

    /// Closes the connection; waiting commands fail with ``RedisError/Kind/connectionClosed``.
    public func close() -> EventLoopFuture<Void> {
        channel.close().recover { _ in }
    }
}

// MARK: - Async

extension RedisConnection {
    /// Sends one command and returns its reply; an error reply is thrown as ``RedisError/Kind/serverError``.
    public func send(_ command: RedisCommand) async throws -> RESPValue {
        let value = try await send(command, timeout: nil).get()
        if let error = value.error {
            throw RedisError.server(error, command: command.displayName, endpoint: endpoint.description)
        }
        return value
    }
}

extension ByteBuffer {
    /// Writes `command` in RESP: copied as it is when it came encoded.
    mutating func writeRESP(_ command: RedisCommand) {
        if let encoded = command.encoded {
            writeImmutableBuffer(encoded)
        } else {
            writeRESPCommand(command.name, command.arguments)
        }
    }
}
