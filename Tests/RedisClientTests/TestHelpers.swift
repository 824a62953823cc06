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
