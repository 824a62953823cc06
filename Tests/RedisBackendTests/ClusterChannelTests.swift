import Foundation
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
    /// A broker and its backend on `cluster`, logging to `logger`.
    static func start(on cluster: RedisClusterFixture, logger: Logger) async throws -> (Broker, RedisBackend, Int) {
        let backend = RedisBackend(configuration: try BackendConfigParser.parse(DefaultBackendConfig.text, file: "test.conf"),
                                   logger: logger, connectionOverride: try RedisConfiguration(url: cluster.url))
        var configuration = BrokerConfiguration()
        configuration.listeners = [ListenerConfiguration(host: "127.0.0.1", port: 0)]
        configuration.sysInterval = nil
        configuration.threads = 2
        let broker = Broker(configuration: configuration, logger: logger, eventSink: backend)
        try await backend.start(broker: broker)
        let port = try #require(try await broker.start().first?.port)
        return (broker, backend, port)
    }

    @Test func plainPublishOnEveryNodeAndSpublishBothReachTheBroker() async throws {
        let cluster = try await RedisClusterFixture.start(masters: 3)
        var logger = Logger(label: "test.cluster-channel")
        logger.logLevel = .warning
        let (broker, backend, port) = try await Self.start(on: cluster, logger: logger)
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

    /// Stored messages on a cluster: each topic's sorted set (its ids in ZADDs of many) and each message's
    /// hash with its TTL land on their own slots' nodes, as `redis-cli -c` reads them back.
    @Test func storedMessagesLandOnTheirSlotsWithEveryId() async throws {
        let cluster = try await RedisClusterFixture.start(masters: 3)
        var logger = Logger(label: "test.cluster-store")
        logger.logLevel = .warning
        let (broker, backend, port) = try await Self.start(on: cluster, logger: logger)
        func read(_ words: String...) async throws -> String {
            let (status, output) = try await runCommand("redis-cli", ["-c", "-p", String(cluster.nodes[0].port)] + words)
            #expect(status == 0, "\(output)")
            return output.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let publisher = try await MQTTClient.connect(MQTTClientOptions(port: port, clientID: "publisher"))
        let topics = (0..<5).map { "fleet/\($0)/temp" }
        // All at once, so the broker reads many per tick and joins a topic's ids into one ZADD (how many
        // per tick is up to the timing; every id must land either way).
        try await withThrowingTaskGroup(of: Void.self) { group in
            for round in 0..<40 {
                for topic in topics { group.addTask { try await publisher.publish(topic, "\(round)", qos: .atLeastOnce) } }
            }
            try await group.waitForAll()
        }
        for topic in topics {
            try await waitUntil("40 ids in \(topic)'s set") { try await read("ZCARD", "mqtt:msg:\(topic)") == "40" }
        }
        let first = try await read("ZRANGE", "mqtt:msg:\(topics[3])", "0", "0")
        #expect(try await read("HGET", "mqtt:msg:\(first)", "topic") == topics[3])
        let ttl = Int(try await read("TTL", "mqtt:msg:\(first)")) ?? -2
        #expect((3_500...3_600).contains(ttl), "TTL \(ttl)")
        await publisher.disconnect()
        await broker.shutdown()
        await backend.shutdown(deadline: .seconds(5))
        await cluster.stop()
    }

    /// A server without SSUBSCRIBE (before 7.0; here the command is renamed away) gets a warning, and the
    /// plain channel still works.
    @Test func withoutSSUBSCRIBEAWarningAndThePlainChannel() async throws {
        let cluster = try await RedisClusterFixture.start(masters: 3, extraArguments: ["--rename-command", "SSUBSCRIBE", ""])
        let captured = CapturedLog()
        let (broker, backend, port) = try await Self.start(on: cluster, logger: captured.logger(level: .warning))
        #expect(captured.all.contains { $0.hasPrefix("warning this Redis has no SSUBSCRIBE") }, "\(captured.all)")
        let device = try await MQTTClient.connect(MQTTClientOptions(port: port, clientID: "test"))
        try await cluster.nodes[1].cli("PUBLISH", "mqtt_channel", #"{"type":"subscribe","topic":"t","clientid":"test","qos":1}"#)
        try await waitUntil("the channel's subscription") { broker.stats.subscriptions == 1 }
        await device.disconnect()
        await broker.shutdown()
        await backend.shutdown(deadline: .seconds(5))
        await cluster.stop()
    }
}
