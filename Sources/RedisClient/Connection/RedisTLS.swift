import NIOSSL

/// Builds the TLS context once per client from ``RedisTLSOptions`` (loading PEM files is not cheap).
enum RedisTLS {
    static func makeContext(_ options: RedisTLSOptions) throws(RedisError) -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        do {
            if let caFile = options.caFile {
                configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caFile))
            }
            if let certificateFile = options.certificateFile {
                configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(certificateFile).map { .certificate($0) }
            }
            if let keyFile = options.keyFile {
                configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: keyFile, format: .pem))
            }
            if !options.verifyPeer { configuration.certificateVerification = .none }
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw RedisError(.configurationInvalid, "TLS setup failed: \(error)")
        }
    }

    /// The name for SNI and verification: the configured one, else the host unless it is an IP address.
    static func serverHostname(for endpoint: RedisEndpoint, options: RedisTLSOptions) -> String? {
        if let name = options.serverName { return name }
        guard let host = endpoint.host else { return nil }
        let isIPv4 = host.split(separator: ".").count == 4 && host.allSatisfy { $0.isNumber || $0 == "." }
        return isIPv4 || host.contains(":") ? nil : host
    }
}
