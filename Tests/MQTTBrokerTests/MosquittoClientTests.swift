import MQTTBroker
import MQTTCore
import Testing
import TestSupport

/// The broker against Debian's mosquitto_pub / mosquitto_sub, in both protocol versions.
@Suite struct MosquittoClientTests {
    @Test(arguments: ["mqttv311", "mqttv5"], [0, 1, 2])
    func publishAndReceiveAtEachQoS(version: String, qos: Int) async throws {
        let fixture = try await BrokerFixture.start()
        let subscriber = try await MosquittoSubscriber.start(port: fixture.port,
                                                             ["-V", version, "-q", "\(qos)", "-t", "qos/#"])
        try await mosquittoPub(port: fixture.port, ["-V", version, "-q", "\(qos)", "-t", "qos/a", "-m", "hello \(qos)"])
        try await mosquittoPub(port: fixture.port, ["-V", version, "-q", "\(qos)", "-t", "qos/b/c", "-m", "second"])
        // QoS 0 publishes from two processes may be routed on two loops: compare without order.
        let received = try await subscriber.waitForMessages(2)
        #expect(Set(received) == ["qos/a hello \(qos)", "qos/b/c second"])
        await subscriber.stop()
        await fixture.stop()
    }

    @Test(arguments: ["mqttv311", "mqttv5"])
    func retainedSetAndClear(version: String) async throws {
        let fixture = try await BrokerFixture.start()
        try await mosquittoPub(port: fixture.port, ["-V", version, "-q", "1", "-r", "-t", "rt/kitchen", "-m", "21.5C"])
        try await mosquittoPub(port: fixture.port, ["-V", version, "-q", "1", "-r", "-t", "rt/garage", "-m", "open"])
        let first = try await MosquittoSubscriber.start(port: fixture.port, ["-V", version, "-t", "rt/+"])
        #expect(Set(try await first.waitForMessages(2)) == ["rt/kitchen 21.5C", "rt/garage open"])
        await first.stop()
        // An empty retained message clears the topic.
        try await mosquittoPub(port: fixture.port, ["-V", version, "-r", "-t", "rt/garage", "-n"])
        try await waitUntil("rt/garage cleared") { fixture.broker.retainedMessage(topic: "rt/garage") == nil }
        let second = try await MosquittoSubscriber.start(port: fixture.port, ["-V", version, "-t", "rt/+"])
        #expect(try await second.waitForMessages(1) == ["rt/kitchen 21.5C"])
        await second.stop()
        await fixture.stop()
    }

    @Test func wildcardsAndSystemTopics() async throws {
        let fixture = try await BrokerFixture.start()
        let hash = try await MosquittoSubscriber.start(port: fixture.port, ["-t", "#"])
        let plus = try await MosquittoSubscriber.start(port: fixture.port, ["-t", "sensor/+/temp"])
        for topic in ["$SYS/x", "sensor/1/temp", "sensor/1/humidity", "sensor/设备/temp", "other"] {
            try await mosquittoPub(port: fixture.port, ["-t", topic, "-m", "v"])
        }
        // `#` sees everything but the `$` topic; the last publish marks the end of the sequence.
        #expect(Set(try await hash.waitForMessages(4)) == ["sensor/1/temp v", "sensor/1/humidity v",
                                                           "sensor/设备/temp v", "other v"])
        #expect(Set(try await plus.waitForMessages(2)) == ["sensor/1/temp v", "sensor/设备/temp v"])
        #expect(hash.messages.count == 4)
        await hash.stop()
        await plus.stop()
        await fixture.stop()
    }

    @Test(arguments: ["mqttv311", "mqttv5"])
    func willOnKilledClient(version: String) async throws {
        let fixture = try await BrokerFixture.start()
        let watcher = try await MosquittoSubscriber.start(port: fixture.port, ["-V", version, "-t", "will/#"])
        let doomed = try await MosquittoSubscriber.start(port: fixture.port,
                                                         ["-V", version, "-t", "x", "-i", "doomed",
                                                          "--will-topic", "will/doomed", "--will-payload", "gone",
                                                          "--will-qos", "1"])
        await doomed.kill()
        #expect(try await watcher.waitForMessages(1) == ["will/doomed gone"])
        // A clean DISCONNECT publishes no will.
        try await mosquittoPub(port: fixture.port, ["-V", version, "-t", "x", "-m", "y", "--will-topic", "will/polite",
                                                    "--will-payload", "no"])
        try await mosquittoPub(port: fixture.port, ["-V", version, "-t", "will/end", "-m", "end"])
        #expect(try await watcher.waitForMessages(2) == ["will/doomed gone", "will/end end"])
        await watcher.stop()
        await fixture.stop()
    }

    @Test(arguments: ["mqttv311", "mqttv5"])
    func persistentSessionOfflineQueue(version: String) async throws {
        let fixture = try await BrokerFixture.start()
        let expiry = version == "mqttv5" ? ["-x", "300"] : []
        let persistent = ["-V", version, "-i", "keeper", "-c", "-q", "1", "-t", "jobs/#"] + expiry
        let first = try await MosquittoSubscriber.start(port: fixture.port, persistent)
        await first.stop()
        try await waitUntil("keeper offline") { !fixture.broker.sessionState(clientID: "keeper").connected }
        for n in 1...3 {
            try await mosquittoPub(port: fixture.port, ["-V", version, "-q", "1", "-t", "jobs/\(n)", "-m", "job \(n)"])
        }
        let second = try await MosquittoSubscriber.start(port: fixture.port, persistent)
        #expect(try await second.waitForMessages(3) == ["jobs/1 job 1", "jobs/2 job 2", "jobs/3 job 3"])
        await second.stop()
        await fixture.stop()
    }

    @Test func sharedSubscriptionSplitsMessages() async throws {
        let fixture = try await BrokerFixture.start()
        let a = try await MosquittoSubscriber.start(port: fixture.port, ["-V", "mqttv5", "-t", "$share/workers/tasks/#"])
        let b = try await MosquittoSubscriber.start(port: fixture.port, ["-V", "mqttv5", "-t", "$share/workers/tasks/#"])
        for n in 1...10 {
            try await mosquittoPub(port: fixture.port, ["-V", "mqttv5", "-t", "tasks/\(n)", "-m", "\(n)"])
        }
        try await waitUntil("10 tasks split between two workers") { a.messages.count + b.messages.count == 10 }
        // Each event loop takes members in turn, so the split is even per loop, close to even overall.
        #expect(a.messages.count >= 3)
        #expect(b.messages.count >= 3)
        #expect(Set(a.messages).isDisjoint(with: Set(b.messages)))
        await a.stop()
        await b.stop()
        await fixture.stop()
    }
}
