import Logging
import MQTTBroker
import MQTTClient
import MQTTCore
import RedisBackend
import RedisClient
import TestSupport

/// A private redis-server, and a broker on a free port whose backend writes to it.
final class BackendFixture: Sendable {
    let redis: RedisServer
    let broker: Broker
    let backend: RedisBackend
    let port: Int

    static let node = "mqtop@test"

    static func start(config: String = DefaultBackendConfig.text, redis: RedisServer? = nil,
                      redisArguments: [String] = []) async throws -> BackendFixture {
        let server: RedisServer
        if let redis {
            server = redis
        } else {
            server = try await RedisServer.start(extraArguments: redisArguments)
        }
        return try await start(config: config, on: server)
    }

    /// A new broker and backend on an existing Redis (a "restart" of mqtop).
    static func start(config: String, on redis: RedisServer) async throws -> BackendFixture {
        var logger = Logger(label: "test.backend")
        logger.logLevel = .warning
        let configuration = try BackendConfigParser.parse(config, file: "test.conf")
        let backend = RedisBackend(configuration: configuration, logger: logger,
                                   connectionOverride: try RedisConfiguration(url: redis.url))
        var brokerConfiguration = BrokerConfiguration()
        brokerConfiguration.listeners = [ListenerConfiguration(host: "127.0.0.1", port: 0)]
        brokerConfiguration.sysInterval = nil
        brokerConfiguration.threads = 2
        brokerConfiguration.nodeName = node
        let broker = Broker(configuration: brokerConfiguration, logger: logger, eventSink: backend)
        try await backend.start(broker: broker)
        let addresses = try await broker.start()
        guard let port = addresses.first?.port else { throw WaitTimeout(what: "broker port", after: .zero) }
        return BackendFixture(redis: redis, broker: broker, backend: backend, port: port)
    }

    private init(redis: RedisServer, broker: Broker, backend: RedisBackend, port: Int) {
        self.redis = redis
        self.broker = broker
        self.backend = backend
        self.port = port
    }

    func client(_ id: String, version: MQTTVersion = .v5, cleanStart: Bool = true,
                _ configure: (inout MQTTClientOptions) -> Void = { _ in }) async throws -> MQTTClient {
        var options = MQTTClientOptions(port: port, version: version, clientID: id, cleanStart: cleanStart)
        configure(&options)
        return try await MQTTClient.connect(options)
    }

    /// Waits until `redis-cli args` prints `expected`.
    func waitForRedis(_ arguments: [String], toBe expected: String, timeout: Duration = .seconds(10)) async throws {
        var last = ""
        do {
            try await waitUntil("redis-cli \(arguments.joined(separator: " ")) == \(expected)", timeout: timeout) {
                last = try await redis.cli(arguments)
                return last == expected
            }
        } catch {
            throw WaitTimeout(what: "redis-cli \(arguments.joined(separator: " ")) == \(expected) (last: \(last))",
                              after: timeout)
        }
    }

    /// Stops broker and backend (flushing), leaving Redis up.
    func stopMQTT() async {
        await broker.shutdown()
        await backend.shutdown(deadline: .seconds(5))
    }

    func stop() async {
        await stopMQTT()
        await redis.stopAndRemove()
    }
}
