import RedisClient
import Testing

@Suite("Redis URLs")
struct RedisURLTests {
    @Test func single() throws {
        let url = try RedisURL("redis://app:p%40ss@cache.example:6380/4")
        #expect(url.topology == .single(RedisEndpoint(host: "cache.example", port: 6380)))
        #expect(url.username == "app")
        #expect(url.password == "p@ss")
        #expect(url.database == 4)
        #expect(url.tls == nil)
        #expect(url.description == "redis://app:***@cache.example:6380/4")

        let plain = try RedisURL("redis://localhost")
        #expect(plain.topology == .single(RedisEndpoint(host: "localhost", port: 6379)))
        #expect(plain.database == nil && plain.password == nil)

        let passwordOnly = try RedisURL("redis://:secret@127.0.0.1")
        #expect(passwordOnly.username == nil && passwordOnly.password == "secret")
        #expect(passwordOnly.description == "redis://***@127.0.0.1:6379")
        #expect(try RedisURL("redis://secret@127.0.0.1").password == "secret")

        let ipv6 = try RedisURL("redis://[::1]:7000")
        #expect(ipv6.topology == .single(RedisEndpoint(host: "::1", port: 7000)))
        #expect(ipv6.description == "redis://[::1]:7000")
    }

    @Test func tlsWithOptions() throws {
        let url = try RedisURL("rediss://u:pw@redis.internal:6390/1?cafile=/etc/ca.pem&certfile=/c.pem&keyfile=/k.pem&servername=r.example")
        #expect(url.tls == RedisTLSOptions(caFile: "/etc/ca.pem", certificateFile: "/c.pem", keyFile: "/k.pem",
                                           serverName: "r.example"))
        #expect(url.description.hasPrefix("rediss://u:***@redis.internal:6390/1?cafile=/etc/ca.pem"))
        #expect(try RedisURL("rediss://h?insecure=1").tls?.verifyPeer == false)
    }

    @Test func unixSocket() throws {
        let url = try RedisURL("unix:///run/redis/redis.sock?db=2&password=s3")
        #expect(url.topology == .single(RedisEndpoint(unixSocket: "/run/redis/redis.sock")))
        #expect(url.database == 2)
        #expect(url.password == "s3")
        #expect(url.description == "unix://***@/run/redis/redis.sock?db=2")
        #expect(try RedisURL("unix://user:pw@/tmp/r.sock").username == "user")
    }

    @Test func sentinelAndCluster() throws {
        let sentinel = try RedisURL("redis+sentinel://pw@10.0.0.1:26380,10.0.0.2/mymaster/3")
        #expect(sentinel.topology == .sentinel(sentinels: [RedisEndpoint(host: "10.0.0.1", port: 26380),
                                                           RedisEndpoint(host: "10.0.0.2", port: 26379)],
                                               masterName: "mymaster"))
        #expect(sentinel.password == "pw")
        #expect(sentinel.database == 3)
        #expect(sentinel.description == "redis+sentinel://***@10.0.0.1:26380,10.0.0.2:26379/mymaster/3")

        let cluster = try RedisURL("redis+cluster://h1:7000,h2:7001?pool_size=4&connect_timeout=1.5&command_timeout=2")
        #expect(cluster.topology == .cluster(seeds: [RedisEndpoint(host: "h1", port: 7000), RedisEndpoint(host: "h2", port: 7001)]))
        #expect(cluster.poolSize == 4)
        #expect(cluster.connectTimeout == .milliseconds(1500))
        #expect(cluster.commandTimeout == .seconds(2))
        #expect(try RedisURL("rediss+cluster://h1:7000").tls != nil)

        let configuration = try RedisConfiguration(url: "redis+cluster://h1:7000?pool_size=4")
        #expect(configuration.poolSize == 4)
    }

    @Test("malformed URLs name the wrong part", arguments: [
        ("127.0.0.1:6379", "scheme"),
        ("http://127.0.0.1", "scheme"),
        ("redis://", "host"),
        ("redis://h:99999", "port"),
        ("redis://h:abc", "port"),
        ("redis://h:6379/x", "database"),
        ("redis://h1,h2", "host"),
        ("redis://h/0?bogus=1", "query option 'bogus'"),
        ("redis://h?cafile=/ca.pem", "query option 'cafile'"),
        ("redis://h?protocol=4", "query option 'protocol'"),
        ("redis://:p%zz@h", "password"),
        ("redis://h#frag", "fragment"),
        ("redis+sentinel://h1,h2", "master name"),
        ("redis+sentinel://h1/m/1/2", "path"),
        ("redis+cluster://h1/2", "database"),
        ("redis://[::1", "host"),
        ("unix://host/path", "path"),
        ("unix://", "path"),
    ])
    func malformed(text: String, part: String) {
        do {
            _ = try RedisURL(text)
            Issue.record("\(text) parsed")
        } catch {
            #expect(error.kind == .urlInvalid)
            #expect(error.urlPart == part, "\(text): \(error)")
        }
    }

    @Test func errorsNeverEchoThePassword() {
        do {
            _ = try RedisURL("redis://user:hunter2%@h")
            Issue.record("parsed")
        } catch {
            #expect(error.urlPart == "password")
            #expect(!error.description.contains("hunter2"))
        }
    }
}

@Suite("Cluster key slots")
struct ClusterKeySlotTests {
    @Test func crc16AndSlots() {
        var text = "123456789"
        let crc = text.withUTF8 { ClusterKeySlot.crc16(UnsafeRawBufferPointer($0)) }
        #expect(crc == 0x31C3)
        #expect(ClusterKeySlot.slot(of: "foo") == 12182)
        #expect(ClusterKeySlot.slot(of: "") == 0)
        #expect(ClusterKeySlot.slot(of: "{user1000}.following") == ClusterKeySlot.slot(of: "{user1000}.followers"))
        #expect(ClusterKeySlot.slot(of: "{user1000}.following") == ClusterKeySlot.slot(of: "user1000"))
        // An empty tag does not count: the whole key is hashed.
        #expect(ClusterKeySlot.slot(of: "foo{}{bar}") != ClusterKeySlot.slot(of: "bar"))
        #expect(ClusterKeySlot.slot(of: "foo{{bar}}zap") == ClusterKeySlot.slot(of: "{bar"))
        #expect(ClusterKeySlot.slot(of: "foo{bar}{zap}") == ClusterKeySlot.slot(of: "bar"))
    }

    @Test func routingKeys() {
        #expect(RedisCommand("GET", ["k"]).routingKey == "k")
        #expect(RedisCommand("PING").routingKey == nil)
        #expect(RedisCommand("EVAL", ["return 1", 1, "key", "arg"]).routingKey == "key")
        #expect(RedisCommand("EVAL", ["return 1", 0]).routingKey == nil)
        #expect(RedisCommand("XREAD", ["COUNT", 2, "STREAMS", "s1", "0"]).routingKey == "s1")
        #expect(RedisCommand("ZUNION", [2, "a", "b"]).routingKey == "a")
        #expect(RedisCommand.spublish("m", to: "ch").routingKey == "ch")
    }
}
