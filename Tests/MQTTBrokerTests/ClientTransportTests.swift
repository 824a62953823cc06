import Foundation
import MQTTBroker
import MQTTClient
import MQTTCore
import Testing
import TestSupport

/// Our client over each transport `--mqtt` offers, against the broker's TLS and WebSocket listeners, with
/// the URL parsed as the console parses it.
@Suite struct ClientTransportTests {
    static func roundTrip(_ url: MQTTURL) async throws -> String? {
        let client = try await MQTTClient.connect(try url.options(clientID: "transport-\(url.scheme)"))
        _ = try await client.subscribe("t/#", qos: .atLeastOnce)
        try await client.publish("t/echo", "over \(url.scheme)", qos: .atLeastOnce)
        let message = try await withTimeout("the echo over \(url.scheme)") { () -> String? in
            for await message in client.messages { return message.payloadString }
            return nil
        }
        await client.disconnect()
        return message
    }

    @Test func tlsWithTheTestCAAndWebSocketPlainAndOverTLS() async throws {
        let certificates = try await RedisTestCertificates.generate()
        defer { certificates.remove() }
        let fixture = try await BrokerFixture.start {
            $0.listeners = [ListenerConfiguration(host: "127.0.0.1", port: 0, transport: .tls),
                            ListenerConfiguration(host: "127.0.0.1", port: 0, transport: .webSocket),
                            ListenerConfiguration(host: "127.0.0.1", port: 0, transport: .secureWebSocket)]
            $0.tls = TLSFiles(certificate: certificates.serverCertificate, privateKey: certificates.serverKey,
                              certificateAuthority: certificates.caCertificate)
        }
        let ports = fixture.ports
        let ca = "cafile=" + certificates.caCertificate
        #expect(try await Self.roundTrip(MQTTURL("mqtts://127.0.0.1:\(ports[0])?\(ca)")) == "over mqtts")
        #expect(try await Self.roundTrip(MQTTURL("ws://127.0.0.1:\(ports[1])")) == "over ws")
        #expect(try await Self.roundTrip(MQTTURL("wss://127.0.0.1:\(ports[2])/mqtt?\(ca)")) == "over wss")
        // Without the CA the server's certificate is not trusted.
        await #expect(throws: (any Error).self) {
            _ = try await Self.roundTrip(MQTTURL("mqtts://127.0.0.1:\(ports[0])"))
        }
        await fixture.stop()
    }

    @Test func urlsParseWithDefaultsAndHideThePassword() throws {
        let plain = try MQTTURL("mqtt://broker.local")
        #expect(plain.port == 1883 && plain.path == "/mqtt" && plain.username == nil)
        let secure = try MQTTURL("wss://ops:s%40cret@emqx.example:8084/mqtt")
        #expect(secure.port == 8084 && secure.username == "ops" && secure.password == "s@cret")
        #expect(secure.description == "wss://ops:***@emqx.example:8084/mqtt")
        #expect(try MQTTURL("mqtts://h").port == 8883 && MQTTURL("ws://h").port == 80 && MQTTURL("wss://h").port == 443)
        #expect(throws: MQTTURLError.self) { try MQTTURL("http://h") }
        #expect(throws: MQTTURLError.self) { try MQTTURL("mqtt://") }
    }
}
