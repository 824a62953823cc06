import Foundation
import RedisBackend
import Testing

/// The plugin's file format: the seed's rule set, and a clear file:line error for every kind of mistake.
struct ConfigParserTests {
    static let pool = """
        backend.redis.pool1.type = single
        backend.redis.pool1.server = 127.0.0.1:6379
        """

    func parse(_ text: String) throws -> BackendConfiguration {
        try BackendConfigParser.parse(text, file: "test.conf")
    }

    func error(_ text: String) -> String? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func seedRuleSetParsesInOrder() throws {
        let configuration = try parse(DefaultBackendConfig.text)
        #expect(configuration.pools["pool1"]?.channel == "mqtt_channel")
        #expect(configuration.pools["pool1"]?.poolSize == 8)
        #expect(configuration.allRules.count == 12)
        let subscribed = configuration.rules[.sessionSubscribed] ?? []
        #expect(subscribed.map(\.suffix) == ["1", "2", "3"])
        #expect(subscribed.map(\.topic) == ["queue/#", "pubsub/#", nil])
        #expect(configuration.rules[.messagePublish]?.first?.expiredTime == 3600)
        #expect(configuration.explanation().count == 14)
    }

    @Test func repositoryDefaultFileIsTheBuiltInOne() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let file = try String(contentsOf: root.appendingPathComponent("config/emqx_backend_redis.conf"), encoding: .utf8)
        #expect(file.trimmingCharacters(in: .whitespacesAndNewlines)
                == DefaultBackendConfig.text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test func suffixesSortNumerically() throws {
        let configuration = try parse(Self.pool + """

            backend.redis.hook.client.connected.10 = {"action": {"commands": ["SET a ${clientid}"]}, "pool": "pool1"}
            backend.redis.hook.client.connected.2 = {"action": {"commands": ["SET b ${clientid}"]}, "pool": "pool1"}
            """)
        #expect(configuration.rules[.clientConnected]?.map(\.suffix) == ["2", "10"])
    }

    @Test(arguments: [
        ("backend.redis.pool1.type single", "test.conf:3: expected `key = value`"),
        ("backend.redis.pool1.colour = red", "test.conf:3: unknown pool setting colour"),
        ("mqtt.listener = 1883", "test.conf:3: unknown key mqtt.listener"),
        ("backend.redis.pool2.type = double", "test.conf:3: type must be single, sentinel or cluster"),
        ("backend.redis.pool1.pool_size = many", "test.conf:3: pool_size must be a number"),
        ("backend.redis.pool2.server = :6379,", "test.conf:3: server must be host[:port]"),
        (#"backend.redis.hook.client.connected.1 = {"action": {"function": "on_client_connected"}, "pool": "pool9"}"#,
         "test.conf:3: rule client.connected.1 names pool \"pool9\", which is not defined"),
        (#"backend.redis.hook.client.teleported.1 = {"action": {"function": "on_client_connected"}, "pool": "pool1"}"#,
         "test.conf:3: unknown hook client.teleported"),
        (#"backend.redis.hook.client.connected.1 = {"action": {"function": "on_nothing"}, "pool": "pool1"}"#,
         "test.conf:3: rule client.connected.1: unknown function on_nothing"),
        (#"backend.redis.hook.client.connected.1 = {"action": {"function": "on_message_publish"}, "pool": "pool1"}"#,
         "test.conf:3: rule client.connected.1: on_message_publish runs on message.publish, not on client.connected"),
        (#"backend.redis.hook.message.publish.1 = {"topic": "a/#/b", "action": {"function": "on_message_publish"}, "pool": "pool1"}"#,
         "test.conf:3: rule message.publish.1: \"topic\" must be a valid MQTT topic filter"),
        (#"backend.redis.hook.message.publish.1 = {"action": {"function": "on_message_publish"}, "pool": "pool1""#,
         "test.conf:3: the rule is not valid JSON"),
        (#"backend.redis.hook.client.connected.1 = {"action": {"commands": ["SET x ${topic}"]}, "pool": "pool1"}"#,
         "test.conf:3: rule client.connected.1: command template: ${topic} is not offered by client.connected"),
        (#"backend.redis.hook.session.unsubscribed.1 = {"action": {"commands": ["HSET x ${topic} ${qos}"]}, "pool": "pool1"}"#,
         "test.conf:3: rule session.unsubscribed.1: command template: ${qos} is not offered by session.unsubscribed"),
        (#"backend.redis.hook.session.created.1 = {"action": {"commands": ["SET x ${topic}"]}, "pool": "pool1"}"#,
         "test.conf:3: rule session.created.1: command template: ${topic} is not offered by session.created"),
        (#"backend.redis.hook.message.publish.1 = {"action": {"commands": ["SET x a${message}"]}, "pool": "pool1"}"#,
         "test.conf:3: rule message.publish.1: command template: ${message} must be a word of its own"),
        (#"backend.redis.hook.message.publish.1 = {"action": {"commands": ["${topic} x"]}, "pool": "pool1"}"#,
         "test.conf:3: rule message.publish.1: command template: the command name \"${topic}\" cannot be a variable"),
        (#"backend.redis.hook.message.publish.1 = {"action": {"function": "on_message_publish"}, "pool": "pool1", "expired_time": true}"#,
         "test.conf:3: rule message.publish.1: \"expired_time\" must be a whole number of seconds"),
        (#"backend.redis.hook.message.publish.1 = {"action": {"function": "on_message_publish"}, "pool": "pool1", "expired_time": "soon"}"#,
         "test.conf:3: rule message.publish.1: \"expired_time\" must be a whole number of seconds"),
        (#"backend.redis.hook.message.publish.1 = {"action": {"function": "on_message_publish"}, "pool": "pool1", "ttl": 5}"#,
         "test.conf:3: rule message.publish.1: unknown key \"ttl\""),
        ("backend.redis.pool1.server = 127.0.0.1:6380", "test.conf:3: backend.redis.pool1.server is already set at test.conf:2"),
    ])
    func errorsNameFileLineAndReason(line: String, expected: String) {
        let message = error(Self.pool + "\n" + line)
        #expect(message?.hasPrefix(expected) == true, "got: \(message ?? "no error")")
    }

    /// 0 and 1 are numbers (Foundation on Linux says `is Bool` for them).
    @Test func expiredTimeOfZeroAndOneAreSeconds() throws {
        for seconds in [0, 1] {
            let text = Self.pool + "\n" + #"backend.redis.hook.message.publish.1 = {"action": {"function": "on_message_publish"}, "pool": "pool1", "expired_time": "# + "\(seconds)}"
            let configuration = try BackendConfigParser.parse(text, file: "test.conf")
            #expect(configuration.rules[.messagePublish]?.first?.expiredTime == seconds)
        }
    }

    @Test func sentinelPoolNeedsAMasterName() {
        let message = error("backend.redis.pool1.type = sentinel\nbackend.redis.pool1.server = a:26379,b:26379")
        #expect(message?.contains("test.conf:1: pool pool1 is a sentinel pool without") == true)
    }

    @Test func passwordsNeverAppearInTheExplanation() throws {
        let configuration = try parse(Self.pool + "\nbackend.redis.pool1.password = hunter2\nbackend.redis.pool1.username = app")
        let text = configuration.explanation().joined(separator: "\n")
        #expect(!text.contains("hunter2"))
        #expect(text.contains("password ***"))
    }

    @Test func timeUnit() throws {
        #expect(try parse(Self.pool + "\nbackend.redis.time_unit = ms").timeUnit == .milliseconds)
        #expect(error(Self.pool + "\nbackend.redis.time_unit = hours")?.contains("time_unit must be s or ms") == true)
    }
}

/// Regressions found by the FuzzBackendConfig fuzz target.
struct ConfigParserRegressionTests {
    @Test func crlfFilesParseLikeLFFiles() throws {
        let lf = try BackendConfigParser.parse(DefaultBackendConfig.text, file: "lf.conf")
        let crlf = try BackendConfigParser.parse(DefaultBackendConfig.text.replacingOccurrences(of: "\n", with: "\r\n"),
                                                 file: "crlf.conf")
        #expect(crlf.allRules.count == lf.allRules.count)
        #expect(crlf.allRules.map(\.location.line) == lf.allRules.map(\.location.line))
    }

    @Test func theFirstErrorInTheFileIsTheOneNamed() {
        let text = """
            backend.redis.hook.client.connected.1 = {"action": {"function": "on_client_connected"}, "pool": "a"}
            backend.redis.hook.client.disconnected.1 = {"action": {"function": "on_client_disconnected"}, "pool": "b"}
            backend.redis.hook.message.publish.1 = {"action": {"function": "on_message_publish"}, "pool": "c"}
            """
        for _ in 0..<20 {
            do {
                _ = try BackendConfigParser.parse(text, file: "t.conf")
            } catch {
                #expect("\(error)".hasPrefix("t.conf:1:"))
            }
        }
    }
}
