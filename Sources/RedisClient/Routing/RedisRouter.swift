import NIOCore
import Synchronization

/// Decides which connection a command goes to: one pool (single server, sentinel master) or the cluster's
/// per-node pools.
protocol RedisRouter: Sendable {
    func start()
    /// Sends one command; an error reply is thrown as ``RedisError/Kind/serverError``.
    func send(_ command: RedisCommand, timeout: TimeAmount?) async throws -> RESPValue
    /// Sends a batch (split per node in a cluster); one result per command, in order.
    func pipeline(_ commands: [RedisCommand]) async throws -> [Result<RESPValue, RedisError>]
    /// The batch as a future completed on `eventLoop`, without a Task when a connection is up.
    func pipeline(_ commands: [RedisCommand], on eventLoop: any EventLoop) -> EventLoopFuture<[Result<RESPValue, RedisError>]>
    /// One sender per server holding keys (every master in a cluster), for `SCAN`.
    func scanTargets() async throws -> [RedisNodeSender]
    var health: RedisHealth { get }
    func close() async
}

/// Sends commands to one specific server.
struct RedisNodeSender: Sendable {
    var endpoint: String
    var send: @Sendable (RedisCommand) async throws -> RESPValue
}

/// Lets objects created inside an initializer report to their owner once it exists.
final class Relay<Value: Sendable>: Sendable {
    private let target = Mutex<(@Sendable (Value) -> Void)?>(nil)

    func connect(_ action: @escaping @Sendable (Value) -> Void) {
        target.withLock { $0 = action }
    }

    func fire(_ value: Value) {
        target.withLock { $0 }?(value)
    }
}

/// A relay for plain change notifications.
final class ChangeRelay: Sendable {
    private let relay = Relay<Void>()

    func connect(_ action: @escaping @Sendable () -> Void) {
        relay.connect { _ in action() }
    }

    func fire() {
        relay.fire(())
    }
}

extension RedisConnection {
    /// Sends and converts: transport failures become `RedisError`s, error replies are thrown.
    func sendChecked(_ command: RedisCommand, timeout: TimeAmount?) async throws -> RESPValue {
        let value: RESPValue
        do {
            value = try await send(command, timeout: timeout).get()
        } catch {
            throw RedisError.wrapping(error, as: .connectionClosed, endpoint: endpoint.description,
                                      command: command.displayName)
        }
        if let error = value.error {
            throw RedisError.server(error, command: command.displayName, endpoint: endpoint.description)
        }
        return value
    }
}
