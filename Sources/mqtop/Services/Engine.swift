import Foundation
import Logging
import MQTTBroker
import MQTTCluster
import ProcessSpawning
import RedisBackend
import RedisClient
import ServiceLifecycle

/// The embedded engine: the broker, its Redis backend, and (without `--redis`) the private redis-server.
/// Starts them in dependency order and stops them in reverse, flushing the backend before Redis goes.
final class Engine: Service, Sendable {
    let broker: Broker
    let backend: RedisBackend?
    let privateRedis: PrivateRedisServer?
    let authenticator: RedisAuthenticator?
    /// This node's part in a cluster (`--cluster`).
    let cluster: ClusterNode?
    /// The broker's authenticator: Redis auth, the ACL file, both, or none.
    let brokerAuthenticator: (any BrokerAuthenticator)?
    /// The Redis the engine writes to, for the console (nil without a backend).
    let redisURL: String?
    private let logger: Logger

    /// - Parameter tap: the console's traffic view of every message, when a console runs.
    init(brokerConfiguration: BrokerConfiguration, options: EngineOptions, logger: Logger,
         tap: (any MessageTap)? = nil) throws {
        self.logger = logger
        if options.noBackend {
            backend = nil
            privateRedis = nil
            redisURL = nil
            authenticator = nil
            cluster = nil
            brokerAuthenticator = try Self.withACLFile(options.aclFile, around: nil)
            broker = Broker(configuration: brokerConfiguration, logger: logger, authenticator: brokerAuthenticator,
                            tap: tap)
            return
        }
        let configuration = try BackendConfigLoader.load(path: options.backendConfig)
        var override: RedisConfiguration?
        var privateRedis: PrivateRedisServer?
        var url: String?
        if let given = options.redis {
            override = try RedisConfiguration(url: given)
            url = given
        } else if options.backendConfig == nil {
            let server = try PrivateRedisServer(directory: options.dataDirectory ?? PrivateRedisServer.defaultDirectory,
                                                logger: logger)
            privateRedis = server
            url = server.url
            override = try RedisConfiguration(url: server.url)
        }
        let backend = RedisBackend(configuration: configuration, logger: logger, connectionOverride: override)
        self.backend = backend
        self.privateRedis = privateRedis
        self.redisURL = url ?? configuration.pools.values.first.map { "redis://" + ($0.servers.first ?? "127.0.0.1:6379") }
        let authenticator = try options.authConfig.map { path in
            try RedisAuthenticator(configuration: AuthConfigParser.parse(file: path), connectionOverride: override,
                                   logger: logger)
        }
        self.authenticator = authenticator
        brokerAuthenticator = try Self.withACLFile(options.aclFile, around: authenticator)
        cluster = try options.cluster.flatMap { name in
            try override.map { redis in
                var settings = ClusterConfiguration(name: name, node: brokerConfiguration.nodeName, redis: redis)
                let unit = configuration.timeUnit
                settings.storedTime = { String(unit.value(millis: $0)) }
                return try ClusterNode(configuration: settings, lanes: brokerConfiguration.loopCount, logger: logger)
            }
        }
        broker = Broker(configuration: brokerConfiguration, logger: logger, eventSink: backend,
                        authenticator: brokerAuthenticator, tap: tap, cluster: cluster)
    }

    /// `inner`, with the ACL file's rules on top when one is given (a bad line throws, naming file:line).
    private static func withACLFile(_ path: String?, around inner: (any BrokerAuthenticator)?) throws
        -> (any BrokerAuthenticator)? {
        guard let path else { return inner }
        return ACLFileAuthenticator(acl: try ACLFileParser.parse(file: path), inner: inner)
    }

    func run() async throws {
        // Before any child exists: a crash stops the private redis-server and ends within a bound.
        CrashGuard.install()
        try await privateRedis?.start()
        var backendStarted = false
        do {
            try await backend?.start(broker: broker)
            backendStarted = true
            let backend = self.backend
            try await cluster?.start(broker: broker, relinked: { await backend?.reloadRetained() })
            try await broker.start()
        } catch {
            // Undo in reverse: a started backend holds connections and tasks; nothing was accepted yet.
            await broker.shutdown()
            await cluster?.stop()
            if backendStarted { await backend?.shutdown(deadline: .seconds(2)) }
            await authenticator?.close()
            await privateRedis?.stop()
            throw error
        }
        CrashGuard.crashIfAskedForTest(ProcessInfo.processInfo.environment)
        await withTaskGroup(of: Void.self) { group in
            if let privateRedis {
                group.addTask { await privateRedis.supervise() }
            }
            // Wait for SIGINT/SIGTERM (or cancellation), then stop the supervisor with the rest.
            try? await gracefulShutdown()
            group.cancelAll()
        }
        logger.info("shutting down: disconnecting clients")
        await broker.shutdown()
        await cluster?.stop()
        await backend?.shutdown(deadline: .seconds(10))
        await authenticator?.close()
        await privateRedis?.stop()
        logger.info("stopped")
    }
}
