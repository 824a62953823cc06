import NIOCore
import RedisClient
import Testing
import TestSupport

/// Real TLS against redis-server, with a CA made by openssl for the test.
@Suite("TLS")
struct TLSTests {
    @Test func verifiedConnectionWithTheTestCA() async throws {
        let certificates = try await RedisTestCertificates.generate()
        defer { certificates.remove() }
        try await withServer(await RedisServer.startTLS(certificates: certificates)) { server in
            #expect(server.url.hasPrefix("rediss://"))
            try await withClient(try testConfiguration(server.url)) { redis in
                try await redis.set("secure", to: RESPArgument([0, 255, 13, 10]))
                #expect(try await redis.get("secure")?.bytes == [0, 255, 13, 10])
                let results = try await redis.pipeline((0..<500).map { _ in RedisCommand("INCR", ["n"]) })
                #expect(try results.last?.get() == .integer(500))
            }
            // By name: SNI and hostname verification against DNS:localhost.
            try await withClient(try testConfiguration(
                "rediss://localhost:\(server.port)?cafile=\(certificates.caCertificate)")) { redis in
                let value = try await redis.getString("n")
                #expect(value == "500")
            }
            // Plain TCP to the TLS port is not RESP.
            let plain = try await #require(throws: RedisError.self) {
                _ = try await RedisClient.connect(try testConfiguration("redis://127.0.0.1:\(server.port)"))
            }
            #expect(plain.kind == .connectionFailed)
        }
    }

    @Test func unknownCAIsRejectedUnlessInsecure() async throws {
        let certificates = try await RedisTestCertificates.generate()
        let other = try await RedisTestCertificates.generate()
        defer {
            certificates.remove()
            other.remove()
        }
        try await withServer(await RedisServer.startTLS(certificates: certificates)) { server in
            let error = try await #require(throws: RedisError.self) {
                _ = try await RedisClient.connect(try testConfiguration(
                    "rediss://127.0.0.1:\(server.port)?cafile=\(other.caCertificate)"))
            }
            #expect(error.kind == .connectionFailed)
            #expect(error.message.lowercased().contains("certificate"), "\(error)")
            try await withClient(try testConfiguration("rediss://127.0.0.1:\(server.port)?insecure=1")) { redis in
                try await redis.ping()
            }
        }
    }

    @Test func clientCertificatesWhenTheServerRequiresThem() async throws {
        let certificates = try await RedisTestCertificates.generate()
        defer { certificates.remove() }
        try await withServer(await RedisServer.startTLS(certificates: certificates, requireClientCertificates: true)) { server in
            let without = try await #require(throws: RedisError.self) {
                _ = try await RedisClient.connect(try testConfiguration(server.url))
            }
            #expect(without.kind == .connectionFailed)
            let url = server.url + "&certfile=\(certificates.clientCertificate)&keyfile=\(certificates.clientKey)"
            try await withClient(try testConfiguration(url)) { redis in
                try await redis.set("mutual", to: "tls")
                #expect(try await redis.getString("mutual") == "tls")
            }
        }
    }

    @Test func unreadableCertificateFilesAreAConfigurationError() throws {
        let error = try #require(throws: RedisError.self) {
            _ = try RedisClient(url: "rediss://127.0.0.1:1?cafile=/nonexistent/ca.pem")
        }
        #expect(error.kind == .configurationInvalid)
    }
}
