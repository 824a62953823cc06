/// Where one Redis server listens: a host and port, or a unix socket.
public struct RedisEndpoint: Sendable, Hashable, CustomStringConvertible {
    public enum Address: Sendable, Hashable {
        case tcp(host: String, port: Int)
        case unix(path: String)
    }

    public var address: Address

    public init(host: String, port: Int = 6379) {
        address = .tcp(host: host, port: port)
    }

    public init(unixSocket path: String) {
        address = .unix(path: path)
    }

    /// The host for TCP endpoints.
    public var host: String? {
        if case .tcp(let host, _) = address { return host }
        return nil
    }

    /// `host:port` (IPv6 hosts in brackets) or `unix:/path`.
    public var description: String {
        switch address {
        case .tcp(let host, let port):
            return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        case .unix(let path):
            return "unix:\(path)"
        }
    }

    /// Parses `host:port` as Redis reports it (`CLUSTER SHARDS`, `MOVED`), IPv6 with or without brackets.
    init?(hostPort text: Substring) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
              (1...65535).contains(port) else { return nil }
        var host = text[..<colon]
        if host.hasPrefix("["), host.hasSuffix("]") { host = host.dropFirst().dropLast() }
        guard !host.isEmpty else { return nil }
        self.init(host: String(host), port: port)
    }
}
