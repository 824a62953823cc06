import Foundation
import Testing
import TestSupport

/// `mqtop check-config`: one line per pool and rule, or file:line and why.
struct CheckConfigTests {
    @Test func explainsTheShippedConfiguration() async throws {
        let file = MQTopBinary.packageRoot + "/config/emqx_backend_redis.conf"
        let (status, output) = try await runCommand(MQTopBinary.path, ["check-config", file])
        #expect(status == 0)
        #expect(output.contains("pool pool1 ("))
        #expect(output.contains("rule session.subscribed.1 ("))
        #expect(output.contains("topic queue/# -> on_message_fetch_for_queue -> pool1"))
        #expect(output.contains("OK, 1 pool(s), 12 rule(s)"))
    }

    @Test func badLineIsNamedAndExitIsNonZero() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = directory.file("bad.conf")
        try """
            backend.redis.pool1.server = 127.0.0.1:6379
            backend.redis.hook.message.publish.1 = {"action": {"function": "on_client_connected"}, "pool": "pool1"}
            """.write(toFile: file, atomically: true, encoding: .utf8)
        let (status, output) = try await runCommand(MQTopBinary.path, ["check-config", file])
        #expect(status == 1)
        #expect(output.contains("\(file):2: rule message.publish.1: on_client_connected runs on client.connected"))
    }
}
