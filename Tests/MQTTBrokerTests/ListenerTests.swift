import MQTTBroker
import MQTTCore
import Testing
import TestSupport

/// TLS and WebSocket listeners with real clients: mosquitto_pub --cafile, and Python paho over WebSocket.
@Suite struct ListenerTests {
    @Test func tlsListenerWithATestCA() async throws {
        let certificates = try await RedisTestCertificates.generate()
        let fixture = try await BrokerFixture.start {
            $0.listeners = [ListenerConfiguration(host: "127.0.0.1", port: 0, transport: .tls)]
            $0.tls = TLSFiles(certificate: certificates.serverCertificate, privateKey: certificates.serverKey,
                              certificateAuthority: certificates.caCertificate)
        }
        let tls = ["--cafile", certificates.caCertificate]
        let subscriber = try await MosquittoSubscriber.start(port: fixture.port, tls + ["-t", "secure/#", "-q", "1"])
        try await mosquittoPub(port: fixture.port, tls + ["-t", "secure/a", "-m", "over tls", "-q", "1"])
        // With a client certificate too (optional, and checked when presented).
        try await mosquittoPub(port: fixture.port, tls + ["--cert", certificates.clientCertificate,
                                                          "--key", certificates.clientKey, "-t", "secure/b", "-m", "mtls", "-q", "1"])
        #expect(try await subscriber.waitForMessages(2) == ["secure/a over tls", "secure/b mtls"])
        // Plain MQTT on the TLS port is refused.
        await #expect(throws: (any Error).self) {
            try await mosquittoPub(port: fixture.port, ["-t", "plain", "-m", "x"], timeout: .seconds(5))
        }
        await subscriber.stop()
        await fixture.stop()
        certificates.remove()
    }

    /// A port another broker holds is refused in words, naming the listener and the flag that picks another.
    @Test func aTakenPortIsRefusedInWords() async throws {
        let first = try await BrokerFixture.start()
        let second = Broker(configuration: {
            var configuration = BrokerConfiguration()
            configuration.listeners = [ListenerConfiguration(host: "127.0.0.1", port: first.port)]
            configuration.sysInterval = nil
            return configuration
        }())
        do {
            _ = try await second.start()
            Issue.record("a second broker bound port \(first.port)")
        } catch {
            let text = "\(error)"
            #expect(text == "cannot listen on mqtt://127.0.0.1:\(first.port): address already in use "
                + "(another broker on that port? choose one with --listen)", "\(text)")
        }
        await second.shutdown()
        await first.stop()
    }

    @Test func webSocketListenerWithPaho() async throws {
        let fixture = try await BrokerFixture.start {
            $0.listeners = [ListenerConfiguration(host: "127.0.0.1", port: 0, transport: .webSocket)]
        }
        // paho publishes to itself over ws://127.0.0.1:<port>/mqtt and prints what it receives.
        let script = """
            import sys, paho.mqtt.client as mqtt
            got = []
            c = mqtt.Client(client_id="paho-ws", transport="websockets")
            c.ws_set_options(path="/mqtt")
            c.on_connect = lambda c, u, f, rc: (c.subscribe("ws/#", qos=1), None)
            c.on_subscribe = lambda c, u, mid, q: c.publish("ws/hello", "over websocket", qos=1)
            def on_message(c, u, m):
                print(m.topic, m.payload.decode(), flush=True); c.disconnect()
            c.on_message = on_message
            c.connect("127.0.0.1", \(fixture.port), 30)
            c.loop_forever()
            """
        // Debian's python3, where apt installed python3-paho-mqtt (a pyenv python3 may come first on PATH).
        let (status, output) = try await runCommand("/usr/bin/python3", ["-c", script], timeout: .seconds(20))
        #expect(status == 0, "\(output)")
        #expect(output.contains("ws/hello over websocket"))
        await fixture.stop()
    }
}
