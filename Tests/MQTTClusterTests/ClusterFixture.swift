import Logging
import MQTTBroker
import MQTTClient
@testable import MQTTCluster
import MQTTCore
import RedisClient
import TestSupport

/// Brokers in one process, each with its cluster node, on one private redis-server (or another Redis the
/// test starts: a sentinel group).
final class ClusterFixture: Sendable {
    struct Node: Sendable {
        let name: String
        let broker: Broker
        let cluster: ClusterNode
        let port: Int

        func client(_ id: String, cleanStart: Bool = true) async throws -> MQTTClient {
            try await MQTTClient.connect(MQTTClientOptions(port: port, clientID: id, cleanStart: cleanStart))
        }

        func stop() async {
            await broker.shutdown()
            await cluster.stop()
        }
    }

    let redis: RedisServer
    let name: String
    /// Where the nodes connect: `redis` unless the test gave another URL.
    let url: String

    init(redis: RedisServer, name: String = "test", url: String? = nil) {
        self.redis = redis
        self.name = name
        self.url = url ?? redis.url
    }

    static func start() async throws -> ClusterFixture {
        ClusterFixture(redis: try await RedisServer.start())
    }

    func node(_ nodeName: String, heartbeat: Duration = .milliseconds(200), timeToLive: Duration = .seconds(5))
        async throws -> Node {
        var logger = Logger(label: "test.cluster.\(nodeName)")
        logger.logLevel = .warning
        var settings = ClusterConfiguration(name: name, node: nodeName, redis: try RedisConfiguration(url: url))
        settings.heartbeatInterval = heartbeat
        settings.heartbeatTimeToLive = timeToLive
        var configuration = BrokerConfiguration()
        configuration.listeners = [ListenerConfiguration(host: "127.0.0.1", port: 0)]
        configuration.sysInterval = nil
        configuration.threads = 2
        configuration.nodeName = nodeName
        let cluster = try ClusterNode(configuration: settings, lanes: configuration.loopCount, logger: logger)
        let broker = Broker(configuration: configuration, logger: logger, cluster: cluster)
        try await cluster.start(broker: broker)
        let addresses = try await broker.start()
        guard let port = addresses.first?.port else { throw WaitTimeout(what: "broker port", after: .zero) }
        return Node(name: nodeName, broker: broker, cluster: cluster, port: port)
    }

    /// Waits until `node` would forward a message on `topic` to `other`.
    func waitForRoute(from node: Node, to other: Node, topic: String) async throws {
        try await waitUntil("\(node.name) routes \(topic) to \(other.name)") {
            node.cluster.routes.nodes(matching: topic).contains(other.name)
        }
    }

    func stop() async {
        await redis.stopAndRemove()
    }
}
