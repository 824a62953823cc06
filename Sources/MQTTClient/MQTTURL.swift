import Foundation
import MQTTCore
import NIOSSL

/// A broker address as `--mqtt` takes it: `mqtt://`, `mqtts://`, `ws://` or `wss://`, with an optional
/// `user:pass@`, a port (1883, 8883, 80, 443 by default), a WebSocket path (`/mqtt` by default) and, for
/// TLS, `?cafile=PATH` and `?insecure=1` (no certificate check: a test broker's self-signed certificate).
public struct MQTTURL: Sendable, CustomStringConvertible {
    public var scheme: String
    public var host: String
    public var port: Int
    public var username: String?
    public var password: String?
    public var path: String
    public var caFile: String?
    public var insecure: Bool

    public init(_ text: String) throws {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              ["mqtt", "mqtts", "ws", "wss", "tcp", "ssl"].contains(scheme) else {
            throw MQTTURLError("\(text): expected mqtt://, mqtts://, ws:// or wss://HOST[:PORT]")
        }
        guard let host = components.host, !host.isEmpty else { throw MQTTURLError("\(text): no host") }
        self.scheme = scheme == "tcp" ? "mqtt" : scheme == "ssl" ? "mqtts" : scheme
        self.host = host
        let defaults = ["mqtt": 1883, "mqtts": 8883, "ws": 80, "wss": 443]
        port = components.port ?? defaults[self.scheme] ?? 1883
        username = components.user.flatMap { $0.removingPercentEncoding ?? $0 }
        password = components.password.flatMap { $0.removingPercentEncoding ?? $0 }
        path = components.path.isEmpty ? "/mqtt" : components.path
        let query = Dictionary((components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
        caFile = query["cafile"]
        insecure = ["1", "true", "yes"].contains(query["insecure"] ?? "")
    }

    public var transport: MQTTClientTransport {
        get throws {
            switch scheme {
            case "mqtts": return .tls(try tlsConfiguration())
            case "ws": return .webSocket(path: path, tls: nil)
            case "wss": return .webSocket(path: path, tls: try tlsConfiguration())
            default: return .tcp
            }
        }
    }

    /// Client options for this broker; the password never leaves here except in CONNECT.
    public func options(clientID: String, version: MQTTVersion = .v5) throws -> MQTTClientOptions {
        MQTTClientOptions(host: host, port: port, version: version, clientID: clientID, username: username,
                          password: password, transport: try transport)
    }

    /// `mqtts://user:***@host:8883`: what the header and logs may show.
    public var description: String {
        let credentials = username.map { $0 + (password == nil ? "" : ":***") + "@" } ?? ""
        let suffix = scheme.hasPrefix("ws") ? path : ""
        return "\(scheme)://\(credentials)\(host):\(port)\(suffix)"
    }

    private func tlsConfiguration() throws -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let caFile {
            configuration.trustRoots = .file(caFile)
        }
        if insecure { configuration.certificateVerification = .none }
        return configuration
    }
}

public struct MQTTURLError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
