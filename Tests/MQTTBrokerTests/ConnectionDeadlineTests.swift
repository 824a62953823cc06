import Foundation
import MQTTBroker
import MQTTClient
import MQTTCore
import Testing
import TestSupport

/// The loop's connection clock: keepalive deadlines hold on every transport, including a WebSocket,
/// whose MQTT handler is added to a live channel after the HTTP upgrade, and for many clients at once.
@Suite struct ConnectionDeadlineTests {
    static func keepaliveDisconnect(_ client: MQTTClient) async throws -> ReasonCode? {
        try await client.events.first("keepalive DISCONNECT") { event -> ReasonCode? in
            if case .disconnected(let reason) = event { return reason }
            return nil
        }
    }

    @Test func keepaliveIsEnforcedOverWebSocket() async throws {
        let fixture = try await BrokerFixture.start {
            $0.maxKeepAlive = 1
            $0.listeners = [ListenerConfiguration(host: "127.0.0.1", port: 0, transport: .webSocket)]
        }
        var options = try MQTTURL("ws://127.0.0.1:\(fixture.ports[0])").options(clientID: "ws-sleepy")
        options.keepAlive = 600
        let client = try await MQTTClient.connect(options)
        #expect(client.connack.properties.serverKeepAlive == 1)
        #expect(try await Self.keepaliveDisconnect(client) == .keepAliveTimeout)
        await fixture.stop()
    }

    @Test func silentClientsGoAndPingingOnesStay() async throws {
        let fixture = try await BrokerFixture.start { $0.maxKeepAlive = 1 }
        // Twenty silent clients on both loops all get their DISCONNECT; one that keeps talking does not.
        var silent: [MQTTClient] = []
        for index in 0..<20 { silent.append(try await fixture.client("silent-\(index)") { $0.keepAlive = 600 }) }
        let talker = try await fixture.client("talker") { $0.keepAlive = 600 }
        // Talks without pause: each QoS 1 publish waits for its PUBACK, then the next goes.
        let talking = Task {
            while !Task.isCancelled {
                _ = try? await talker.publish("keep/alive", "x", qos: .atLeastOnce)
            }
        }
        for client in silent { #expect(try await Self.keepaliveDisconnect(client) == .keepAliveTimeout) }
        #expect(fixture.broker.sessionState(clientID: "talker").connected)
        talking.cancel()
        await fixture.stop()
    }
}
