import Logging
import MQTTBroker
import MQTTClient
import MQTTCore
import RedisBackend
import RedisClient
import Testing
import TestSupport

/// The SUB/UNSUB channel on a Redis Cluster hears a plain PUBLISH on any node (the seed's example) and a
/// SPUBLISH at the channel's slot owner.
@Suite struct ClusterChannelTests {
    @Test func plainPublishOnEveryNodeAndSpublishBothReachTheBroker() async throws {
        let cluster = try await RedisClusterFixture.start(masters: 3)
        var logger = Logger(label: "test.cluster-channel")
        logger.logLevel = .warning
        let backend = RedisBackend(configuration: try BackendConfigParser.parse(DefaultBackendConfig.text, file: "test.conf"),
                                   logger: logger, connectionOverride: try RedisConfiguration(url: cluster.url))
        var configuration = BrokerConfiguration()
        configuration.listeners = [ListenerConfiguration(host: "127.0.0.1", port: 0)]
        configuration.sysInterval = nil
        configuration.threads = 2
        let broker = Broker(configuration: configuration, logger: logger, eventSink: backend)
        try await backend.start(broker: broker)
        let port = try #require(try await broker.start().first?.port)
        let device = try await MQTTClient.connect(MQTTClientOptions(port: port, clientID: "test"))

        for (index, node) in cluster.nodes.enumerated() {
            try await node.cli("PUBLISH", "mqtt_channel",
                               #"{"type":"subscribe","topic":"plain/\#(index)","clientid":"test","qos":1}"#)
        }
        try await waitUntil("a subscription per node's PUBLISH") { broker.stats.subscriptions == cluster.nodes.count }
        let (status, output) = try await runCommand("redis-cli", ["-c", "-p", String(cluster.nodes[0].port), "SPUBLISH",
                                                                  "mqtt_channel",
                                                                  #"{"type":"subscribe","topic":"sharded","clientid":"test","qos":1}"#])
        #expect(status == 0, "\(output)")
        try await waitUntil("the SPUBLISH subscription") { broker.stats.subscriptions == cluster.nodes.count + 1 }

        let publisher = try await MQTTClient.connect(MQTTClientOptions(port: port, clientID: "publisher"))
        try await publisher.publish("plain/2", "from a plain PUBLISH", qos: .atLeastOnce)
        try await publisher.publish("sharded", "from a SPUBLISH", qos: .atLeastOnce)
        #expect(try await device.messages.next(2).map(\.payloadString) == ["from a plain PUBLISH", "from a SPUBLISH"])
        await device.disconnect()
        await publisher.disconnect()
        await broker.shutdown()
        await backend.shutdown(deadline: .seconds(5))
        await cluster.stop()
    }
}
