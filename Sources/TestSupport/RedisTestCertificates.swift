import Foundation

/// A throwaway CA with a server certificate (for `localhost` and `127.0.0.1`) and a client certificate, made
/// with openssl at test time. EC keys: about 70 ms for the whole set.
public struct RedisTestCertificates: Sendable {
    public let directory: TemporaryDirectory
    public var caCertificate: String { directory.file("ca.crt") }
    public var caKey: String { directory.file("ca.key") }
    public var serverCertificate: String { directory.file("server.crt") }
    public var serverKey: String { directory.file("server.key") }
    public var clientCertificate: String { directory.file("client.crt") }
    public var clientKey: String { directory.file("client.key") }

    /// Generates a CA, then a server and a client certificate signed by it.
    public static func generate() async throws -> RedisTestCertificates {
        let certificates = RedisTestCertificates(directory: try TemporaryDirectory(prefix: "redis-tls"))
        try await certificates.make()
        return certificates
    }

    private func make() async throws {
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"]
        try await openssl(["req", "-x509", "-new", "-nodes"] + ec + [
            "-keyout", caKey, "-out", caCertificate, "-days", "2", "-subj", "/CN=mqtop-test-ca",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        ])
        try await issue(name: "server", commonName: "localhost",
                        extensions: "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n")
        try await issue(name: "client", commonName: "mqtop-test-client", extensions: "extendedKeyUsage=clientAuth\n")
    }

    private func issue(name: String, commonName: String, extensions: String) async throws {
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"]
        try await openssl(["req", "-new", "-nodes"] + ec + [
            "-keyout", directory.file("\(name).key"), "-out", directory.file("\(name).csr"), "-subj", "/CN=\(commonName)",
        ])
        try extensions.write(toFile: directory.file("\(name).ext"), atomically: true, encoding: .utf8)
        try await openssl([
            "x509", "-req", "-in", directory.file("\(name).csr"), "-CA", caCertificate, "-CAkey", caKey,
            "-CAcreateserial", "-days", "2", "-extfile", directory.file("\(name).ext"),
            "-out", directory.file("\(name).crt"),
        ])
    }

    private func openssl(_ arguments: [String]) async throws {
        let (status, output) = try await runCommand("openssl", arguments, timeout: .seconds(20))
        guard status == 0 else { throw RedisCLIError(arguments: ["openssl"] + arguments, output: output) }
    }

    public func remove() {
        directory.remove()
    }
}
