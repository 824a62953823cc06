import Logging
import MQTTBroker
import MQTTClient
import MQTTCore
import RedisBackend
import RedisClient
import Testing
import TestSupport

/// Users and ACLs from Redis in the emqx_auth_redis layout, with real clients.
@Suite struct AuthTests {
    /// A broker on a free port whose authenticator reads `redis`.
    static func broker(_ config: String, redis: RedisServer) async throws -> (Broker, Int) {
        var logger = Logger(label: "test.auth")
        logger.logLevel = .critical
        let authenticator = try RedisAuthenticator(configuration: AuthConfigParser.parse(config, file: "auth.conf"),
                                                   connectionOverride: RedisConfiguration(url: redis.url), logger: logger)
        var configuration = BrokerConfiguration()
        configuration.listeners = [ListenerConfiguration(host: "127.0.0.1", port: 0)]
        configuration.sysInterval = nil
        let broker = Broker(configuration: configuration, logger: logger, authenticator: authenticator)
        let port = try #require(try await broker.start().first?.port)
        return (broker, port)
    }

    /// A digest computed by Python's hashlib, an implementation independent of ours.
    static func python(_ expression: String) async throws -> String {
        let (status, output) = try await runCommand("python3", ["-c", "import hashlib; print(\(expression))"])
        guard status == 0 else { throw MosquittoError(command: "python3", output: output) }
        return output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func canConnect(_ port: Int, user: String, password: String, version: String = "mqttv311") async -> Bool {
        (try? await mosquittoPub(port: port, ["-V", version, "-u", user, "-P", password, "-t", "t", "-m", "x"],
                                 timeout: .seconds(10))) != nil
    }

    @Test(arguments: [
        ("plain", "secret", "'secret'"),
        ("sha256", "secret", "hashlib.sha256(b'secret').hexdigest()"),
        ("md5", "secret", "hashlib.md5(b'secret').hexdigest()"),
        ("salt,sha256", "secret", "hashlib.sha256(b'NaCl' + b'secret').hexdigest()"),
        ("sha256,salt", "secret", "hashlib.sha256(b'secret' + b'NaCl').hexdigest()"),
        ("pbkdf2,sha256,1000,20", "secret", "hashlib.pbkdf2_hmac('sha256', b'secret', b'NaCl', 1000, 20).hex()"),
    ])
    func passwordHashes(hash: String, password: String, expression: String) async throws {
        let redis = try await RedisServer.start()
        let stored = try await Self.python(expression)
        try await redis.cli("HSET", "mqtt_user:alice", "password", stored, "salt", "NaCl")
        let config = """
            auth.redis.auth_cmd = HMGET mqtt_user:%u password salt
            auth.redis.password_hash = \(hash)
            """
        let (broker, port) = try await Self.broker(config, redis: redis)
        #expect(await canConnect(port, user: "alice", password: password))
        #expect(await canConnect(port, user: "alice", password: "wrong") == false)
        #expect(await canConnect(port, user: "mallory", password: password) == false)
        await broker.shutdown()
        await redis.stopAndRemove()
    }

    @Test func refusalsCarryTheRightCodes() async throws {
        let redis = try await RedisServer.start()
        try await redis.cli("HSET", "mqtt_user:alice", "password", "secret")
        let (broker, port) = try await Self.broker("auth.redis.password_hash = plain", redis: redis)
        func refusal(_ options: (inout MQTTClientOptions) -> Void) async -> ReasonCode? {
            var client = MQTTClientOptions(port: port, clientID: "c")
            options(&client)
            do {
                _ = try await MQTTClient.connect(client)
                return nil
            } catch let error as MQTTClientError {
                if case .connectionRefused(let reason) = error.kind { return reason }
                return nil
            } catch {
                return nil
            }
        }
        #expect(await refusal { $0.username = "alice"; $0.password = "nope" } == .badUserNameOrPassword)
        #expect(await refusal { _ in } == .notAuthorized)
        #expect(await refusal { $0.version = .v3_1_1; $0.username = "alice"; $0.password = "nope" }
                == .badUserNameOrPassword)
        #expect(await refusal { $0.username = "alice"; $0.password = "secret" } == nil)
        await broker.shutdown()
        await redis.stopAndRemove()
    }

    @Test func aclAllowsAndDeniesPublishAndSubscribe() async throws {
        let redis = try await RedisServer.start()
        try await redis.cli("HSET", "mqtt_user:dev", "password", "pw")
        try await redis.cli("HSET", "mqtt_acl:dev", "devices/%c/#", "3", "alerts/#", "1", "upload/%u", "2")
        try await redis.cli("HSET", "mqtt_user:root", "password", "pw", "is_superuser", "1")
        let (broker, port) = try await Self.broker("auth.redis.acl_nomatch = deny", redis: redis)
        let device = try await MQTTClient.connect(MQTTClientOptions(port: port, clientID: "d1", username: "dev", password: "pw"))
        let granted = try await device.subscribe([
            SubscriptionRequest(filter: "devices/d1/cmd", qos: .atLeastOnce),
            SubscriptionRequest(filter: "alerts/#", qos: .atLeastOnce),
            SubscriptionRequest(filter: "devices/d2/cmd", qos: .atLeastOnce),
            SubscriptionRequest(filter: "upload/dev", qos: .atLeastOnce),
        ])
        #expect(granted.reasons == [.grantedQoS1, .grantedQoS1, .notAuthorized, .notAuthorized])
        #expect(try await device.publish("upload/dev", "ok", qos: .atLeastOnce)?.reason == .noMatchingSubscribers)
        #expect(try await device.publish("alerts/fire", "no", qos: .atLeastOnce)?.reason == .notAuthorized)
        #expect(try await device.publish("devices/d1/state", "ok", qos: .atLeastOnce)?.reason != .notAuthorized)
        // The superuser may do anything; a denied publish is never routed.
        let root = try await MQTTClient.connect(MQTTClientOptions(port: port, clientID: "r", username: "root", password: "pw"))
        _ = try await root.subscribe("#", qos: .atLeastOnce)
        try await device.publish("alerts/fire", "denied", qos: .atLeastOnce)
        try await device.publish("devices/d1/state", "allowed", qos: .atLeastOnce)
        #expect(try await root.messages.next(1).map(\.payloadString) == ["allowed"])
        // 3.1.1 has no way to say no: SUBACK 0x80, and a denied QoS 1 publish is acknowledged and dropped.
        try await mosquittoPub(port: port, ["-V", "mqttv311", "-u", "dev", "-P", "pw", "-i", "d3", "-q", "1",
                                            "-t", "alerts/x", "-m", "dropped"])
        try await device.publish("devices/d1/end", "end", qos: .atLeastOnce)
        #expect(try await root.messages.next(1).map(\.payloadString) == ["end"])
        await broker.shutdown()
        await redis.stopAndRemove()
    }

    @Test func configErrorsNameTheLine() {
        #expect(throws: ConfigError.self) { try AuthConfigParser.parse("auth.redis.password_hash = bcrypt", file: "a.conf") }
        do {
            _ = try AuthConfigParser.parse("auth.redis.server = 127.0.0.1:6379\nauth.redis.acl_nomatch = maybe", file: "a.conf")
        } catch {
            #expect("\(error)" == "a.conf:2: acl_nomatch must be allow or deny, got \"maybe\"")
        }
    }
}
