import Foundation
import Testing
import TestSupport

/// `mqtop serve` whose Redis is not there yet: it listens at once, holds what it accepted, and catches up
/// when Redis comes; the log says so in a few readable lines.
@Suite struct RedisLateTests {
    @Test func serveStartsWithRedisDownAndEverythingLandsWhenItComesUp() async throws {
        // A Redis data file with one retained message, for the late server to load.
        let data = try TemporaryDirectory(prefix: "redis-late")
        defer { data.remove() }
        let prepared = try await RedisServer.start(directory: data)
        try await prepared.cli("HSET", "mqtt:retain:late/status", "id", "R1", "from", "old", "qos", "1",
                               "topic", "late/status", "retain", "true", "payload", "ready", "ts", "1700000000")
        try await prepared.cli("SAVE")
        await prepared.stop()

        let down = try RefusingPort()
        let redisPort = down.port
        let (mqtop, port) = try await MQTopBinary.serve(["--redis", "redis://127.0.0.1:\(redisPort)"])
        // Acknowledged while Redis is down (mosquitto_pub exits 0 only after its PUBACKs).
        for n in 1...5 {
            try await mosquittoPub(port: port, ["-q", "1", "-t", "queue/late", "-m", "job \(n)"])
        }

        down.release()
        let redis = try await RedisServer.start(directory: data, port: redisPort)
        try await waitUntil("the buffered queue/late messages in Redis") {
            try await redis.cli("ZCARD", "mqtt:msg:queue/late") == "5"
        }
        // The offline fetch reads them back in publish order.
        let worker = try await MosquittoSubscriber.start(port: port, ["-q", "1", "-t", "queue/late", "-i", "worker"])
        #expect(try await worker.waitForMessages(5) == (1...5).map { "queue/late job \($0)" })

        // The retained load and the channel subscription were retried in the background.
        try await waitUntil("the retained load") { mqtop.outputText.contains("loaded 1 retained message(s)") }
        let watcher = try await MosquittoSubscriber.start(port: port, ["-q", "1", "-t", "late/#", "-i", "watcher"])
        try await watcher.waitForMessages(1)
        #expect(watcher.messages.first == "late/status ready")
        try await waitUntil("the SUB/UNSUB channel subscribed") {
            try await redis.cli("PUBSUB", "NUMSUB", "mqtt_channel").hasSuffix("1")
        }
        try await redis.cli("PUBLISH", "mqtt_channel", #"{"type":"subscribe","topic":"extra/+","clientid":"worker","qos":1}"#)
        try await waitUntil("the channel's subscription made") {
            mqtop.outputText.contains("subscribe extra/+ (qos 1) via mqtt_channel")
        }
        try await mosquittoPub(port: port, ["-q", "1", "-t", "extra/x", "-m", "via channel"])
        #expect(try await worker.waitForMessages(6).last == "extra/x via channel")

        // One line when Redis was found down, one when it came back; no NIO error soup.
        let output = mqtop.outputText
        #expect(output.components(separatedBy: "cannot connect to Redis at 127.0.0.1:\(redisPort): connection refused").count == 2,
                "\(output)")
        #expect(output.components(separatedBy: "Redis at 127.0.0.1:\(redisPort) is reachable again").count == 2)
        #expect(!output.contains("errno"))
        #expect(!output.contains("connect failed, retrying"))

        await worker.stop()
        await watcher.stop()
        mqtop.signal(SIGTERM)
        #expect(try await mqtop.waitForExit(timeout: .seconds(20)) == 0)
        await redis.stop()
    }
}
