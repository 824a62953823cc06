/// TLS settings for `rediss://` connections.
public struct RedisTLSOptions: Sendable, Hashable {
    /// PEM file of the CA certificates to trust; `nil` uses the system's trust store.
    public var caFile: String?
    /// PEM file of the client certificate (chain), for servers with `tls-auth-clients yes`.
    public var certificateFile: String?
    /// PEM file of the client certificate's private key.
    public var keyFile: String?
    /// Whether to verify the server's certificate and name. `false` (URL: `insecure=1`) is for tests only.
    public var verifyPeer: Bool
    /// The name to send in SNI and to check the certificate against; defaults to the endpoint's host
    /// (an IP address is checked against the certificate's IP entries and not sent as SNI).
    public var serverName: String?

    public init(caFile: String? = nil, certificateFile: String? = nil, keyFile: String? = nil,
                verifyPeer: Bool = true, serverName: String? = nil) {
        self.caFile = caFile
        self.certificateFile = certificateFile
        self.keyFile = keyFile
        self.verifyPeer = verifyPeer
        self.serverName = serverName
    }
}
