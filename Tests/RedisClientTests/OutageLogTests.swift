@testable import RedisClient
import Testing
import TestSupport

/// One line when an endpoint goes down, a summary at most every 30 s while it stays down, one when back.
@Suite struct OutageLogTests {
    @Test func manyRefusedAttemptsAreOneLineThenSummariesThenOneLineBack() {
        let captured = CapturedLog()
        let logger = captured.logger()
        let outages = RedisOutageLog()
        outages.addDetail { "pool pool1: 12 command(s) buffered, 0 dropped" }
        let start = ContinuousClock.now
        // Eight connections fail within a millisecond, then keep retrying for 70 s.
        for _ in 0..<8 { outages.failed("127.0.0.1:6399", reason: "connection refused", logger: logger, now: start) }
        for second in stride(from: 5, through: 70, by: 5) {
            outages.failed("127.0.0.1:6399", reason: "connection refused", logger: logger, now: start + .seconds(second))
        }
        outages.connected("127.0.0.1:6399", logger: logger, now: start + .seconds(72))
        outages.connected("127.0.0.1:6399", logger: logger, now: start + .seconds(72))
        #expect(captured.lines(atLeast: .notice) == [
            "warning cannot connect to Redis at 127.0.0.1:6399: connection refused",
            "warning Redis at 127.0.0.1:6399 still unreachable after 30 s (14 attempts; last: connection refused); pool pool1: 12 command(s) buffered, 0 dropped",
            "warning Redis at 127.0.0.1:6399 still unreachable after 1 min 0 s (20 attempts; last: connection refused); pool pool1: 12 command(s) buffered, 0 dropped",
            "notice Redis at 127.0.0.1:6399 is reachable again after 1 min 12 s; pool pool1: 12 command(s) buffered, 0 dropped",
        ])
        #expect(!outages.isDown("127.0.0.1:6399"))
    }

    @Test func aLostConnectionSaysSoOnceAndEndpointsAreApart() {
        let captured = CapturedLog()
        let logger = captured.logger()
        let outages = RedisOutageLog()
        outages.failed("a:1", reason: "the connection closed", lost: true, logger: logger)
        outages.failed("a:1", reason: "connection refused", logger: logger)
        outages.failed("b:2", reason: "connection refused", logger: logger)
        #expect(captured.lines(atLeast: .notice) == [
            "warning lost the connection to Redis at a:1: the connection closed; reconnecting",
            "warning cannot connect to Redis at b:2: connection refused",
        ])
    }

    /// NIO's error for a refused connect reads as the errno's text, nothing nested.
    @Test func aRefusedConnectIsDescribedPlainly() async throws {
        let down = try RefusingPort()
        defer { down.release() }
        var configuration = try RedisConfiguration(url: "redis://127.0.0.1:\(down.port)")
        configuration.connectTimeout = .seconds(2)
        let client = try RedisClient(configuration: configuration)
        await #expect {
            try await client.waitUntilConnected()
        } throws: { error in
            guard let redis = error as? RedisError else { return false }
            return redis.outageReason == "connection refused" && !"\(redis)".contains("errno")
        }
        await client.close()
    }
}
