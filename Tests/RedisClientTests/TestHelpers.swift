import Foundation
import Logging
import NIOCore
import RedisClient
import TestSupport

/// Tests log only errors unless REDIS_TEST_LOG=debug (or another level) is set.
let testLogger: Logger = {
    var logger = Logger(label: "redis-test")
    let level = ProcessInfo.processInfo.environment["REDIS_TEST_LOG"].flatMap(Logger.Level.init(rawValue:))
    logger.logLevel = level ?? .critical
    return logger
}()

/// A configuration for tests: quiet, quick backoff.
func testConfiguration(_ url: String, _ adjust: (inout RedisConfiguration) -> Void = { _ in }) throws -> RedisConfiguration {
    var configuration = try RedisConfiguration(url: url)
    configuration.logger = testLogger
    configuration.reconnectBackoff = .init(initial: .milliseconds(20), maximum: .milliseconds(200))
    configuration.connectTimeout = .seconds(3)
    adjust(&configuration)
    return configuration
}

/// Runs `body` with a fresh server, stopping it whatever happens.
@discardableResult
func withServer<T>(_ start: @autoclosure () async throws -> RedisServer,
                   _ body: (RedisServer) async throws -> T) async throws -> T {
    let server = try await start()
    do {
        let result = try await body(server)
        await server.stopAndRemove()
        return result
    } catch {
        await server.stopAndRemove()
        throw error
    }
}

/// Runs `body` with a connected client, closing it whatever happens.
@discardableResult
func withClient<T>(_ configuration: RedisConfiguration, _ body: (RedisClient) async throws -> T) async throws -> T {
    let client = try await RedisClient.connect(configuration)
    do {
        let result = try await body(client)
        await client.close()
        return result
    } catch {
        await client.close()
        throw error
    }
}

/// Waits for a health snapshot matching `condition`, from the client's stream.
func waitForHealth(_ updates: AsyncStream<RedisHealth>, _ what: String, timeout: Duration = .seconds(10),
                   _ condition: @escaping @Sendable (RedisHealth) -> Bool) async throws -> RedisHealth {
    try await withTimeout("health: \(what)", timeout) {
        for await health in updates where condition(health) { return health }
        throw HealthStreamEnded(what: what)
    }
}

extension ByteBuffer {
    var bytes: [UInt8] { Array(readableBytesView) }
}

struct HealthStreamEnded: Error {
    var what: String
}

/// Collects a subscriber's messages in the background, for bounded waits on what arrived.
final class MessageCollector: Sendable {
    let received = LockedBox<[RedisPubSubMessage]>([])
    private let task: Task<Void, Never>

    init(_ subscriber: RedisSubscriber) {
        let received = self.received
        let messages = subscriber.messages
        task = Task {
            for await message in messages { received.withLock { $0.append(message) } }
        }
    }

    var messages: [RedisPubSubMessage] { received.value }

    /// Waits until a message matching `predicate` has arrived; returns it.
    @discardableResult
    func waitFor(_ what: String, timeout: Duration = .seconds(10),
                 _ predicate: @escaping @Sendable (RedisPubSubMessage) -> Bool) async throws -> RedisPubSubMessage {
        try await waitForValue(what, timeout: timeout, poll: .milliseconds(5)) {
            self.received.value.first(where: predicate)
        }
    }

    /// Publishes with `publish` until a matching message arrives (pub/sub drops what is published before the
    /// subscription is active on the server the publisher reaches, e.g. during a reconnect).
    @discardableResult
    func publishUntilReceived(_ what: String, timeout: Duration = .seconds(10),
                              publish: @escaping @Sendable () async throws -> Void,
                              _ predicate: @escaping @Sendable (RedisPubSubMessage) -> Bool) async throws -> RedisPubSubMessage {
        try await waitForValue(what, timeout: timeout, poll: .milliseconds(50)) {
            if let found = self.received.value.first(where: predicate) { return found }
            try? await publish()
            return nil
        }
    }

    deinit { task.cancel() }
}
