import NIOCore

/// Everything the broker can be told at start. Defaults suit a local development broker; every limit is a
/// `mqtop serve` flag.
public struct BrokerConfiguration: Sendable {
    /// Addresses to listen on (`127.0.0.1:1883`).
    public var listeners: [ListenerConfiguration] = [ListenerConfiguration(host: "127.0.0.1", port: 1883)]
    /// This node's name, as stored in `mqtt:node:<node>`.
    public var nodeName: String = "mqtop@localhost"
    /// Connections beyond this get CONNACK "server busy" (0x89) / "server unavailable" (3).
    public var maxConnections: Int = 100_000
    /// Largest packet accepted from a client, and announced in CONNACK (5.0).
    public var maxPacketSize: Int = 1 << 20
    /// The broker's Receive Maximum: QoS 1/2 publishes a client may have unacknowledged towards us (5.0).
    /// A client sending more is disconnected with 0x93.
    public var receiveMaximum: UInt16 = 1024
    /// Outgoing QoS 1/2 messages in flight per client, further capped by the client's Receive Maximum.
    public var maxInflight: Int = 256
    /// Messages queued per session beyond the inflight window (offline or slow). QoS 0 are dropped first;
    /// beyond this, new messages are dropped, counted and logged.
    public var maxQueuedPerSession: Int = 10_000
    /// Queued messages at which a connected subscriber holds back its publishers' PUBACK/PUBREC until it
    /// drains to half (end-to-end flow control for QoS 1/2); 0 turns it off.
    public var flowControlThreshold: Int = 1000
    /// PUBLISH packets per second one client may send; beyond, its connection stops being read for a while
    /// (nothing is dropped). nil: unlimited.
    public var maxPublishRate: Int? = nil
    /// Caps the client's keepalive through Server Keep Alive (5.0); nil leaves it as the client asked.
    public var maxKeepAlive: UInt16? = nil
    /// Longest Session Expiry Interval granted (seconds); 3.1.1 persistent sessions use it too.
    public var maxSessionExpiry: UInt32 = UInt32.max
    /// Topic aliases a client may use towards us (announced as Topic Alias Maximum).
    public var topicAliasMaximum: UInt16 = 64
    /// A socket that sends no CONNECT within this time is closed.
    public var connectTimeout: TimeAmount = .seconds(10)
    /// How often `$SYS/broker/...` is republished; nil turns `$SYS` off.
    public var sysInterval: TimeAmount? = .seconds(10)
    /// Whether the in-memory retained store serves new subscriptions (the Redis backend may take over).
    public var retainAvailable: Bool = true
    /// Certificate and key for `mqtts://` and `wss://` listeners, and the CA that client certificates are
    /// checked against (clients without one are still accepted unless `requireClientCertificate`).
    public var tls: TLSFiles?
    /// Event loops; defaults to `defaultThreads`.
    public var threads: Int = Self.defaultThreads
    /// One event loop per core, except on a machine of two cores or fewer: there one loop. A message whose
    /// publisher and subscriber sit on different loops waits for the other loop's thread to wake, and on a
    /// small machine that also runs the clients, Redis or the console a second loop buys no throughput
    /// (BENCHMARKS.md §1: same fan-in and fan-out, ping-pong p50 136 against 192 µs, p99 441 against
    /// 1,410 µs). `--threads` overrides it.
    public static let defaultThreads = System.coreCount <= 2 ? 1 : System.coreCount
    /// Loop indexes are stored in 16 bits per session; far more loops than any machine has cores.
    public static let maximumThreads = 1024

    /// The event loops the broker runs: `threads`, kept within 1…`maximumThreads`.
    public var loopCount: Int { min(max(1, threads), Self.maximumThreads) }

    public init() {}
}

/// PEM files for the TLS listeners.
public struct TLSFiles: Sendable, Hashable {
    public var certificate: String
    public var privateKey: String
    public var certificateAuthority: String?
    public var requireClientCertificate: Bool

    public init(certificate: String, privateKey: String, certificateAuthority: String? = nil,
                requireClientCertificate: Bool = false) {
        self.certificate = certificate
        self.privateKey = privateKey
        self.certificateAuthority = certificateAuthority
        self.requireClientCertificate = requireClientCertificate
    }
}

/// One listening socket.
public struct ListenerConfiguration: Sendable, Hashable, CustomStringConvertible {
    public enum Transport: String, Sendable, Hashable, CaseIterable {
        case tcp = "mqtt"
        case tls = "mqtts"
        case webSocket = "ws"
        case secureWebSocket = "wss"

        /// Whether the listener needs `--cert` and `--key`.
        public var needsTLS: Bool { self == .tls || self == .secureWebSocket }
        public var isWebSocket: Bool { self == .webSocket || self == .secureWebSocket }
    }

    public var host: String
    public var port: Int
    public var transport: Transport

    public init(host: String, port: Int, transport: Transport = .tcp) {
        self.host = host
        self.port = port
        self.transport = transport
    }

    /// Parses `host:port`, `:port`, `port` or `mqtt://host:port`; nil when it is none of these.
    public init?(parsing text: String) {
        var rest = Substring(text)
        var transport = Transport.tcp
        if let schemeEnd = rest.firstRange(of: "://") {
            guard let parsed = Transport(rawValue: String(rest[..<schemeEnd.lowerBound])) else { return nil }
            transport = parsed
            rest = rest[schemeEnd.upperBound...]
        }
        var host = "127.0.0.1"
        var portText = rest
        if let colon = rest.lastIndex(of: ":") {
            let hostPart = rest[..<colon]
            if !hostPart.isEmpty {
                host = String(hostPart.trimmingCharacters(in: ["[", "]"]))
            }
            portText = rest[rest.index(after: colon)...]
        }
        guard let port = Int(portText), (0...65535).contains(port) else { return nil }
        self.init(host: host, port: port, transport: transport)
    }

    public var description: String {
        "\(transport.rawValue)://\(host):\(port)" + (transport.isWebSocket ? ListenerConfiguration.webSocketPath : "")
    }

    /// The HTTP path WebSocket clients connect to (the convention of EMQX, Mosquitto and HiveMQ).
    public static let webSocketPath = "/mqtt"
}

extension Substring {
    func trimmingCharacters(in set: Set<Character>) -> Substring {
        var result = self
        while let first = result.first, set.contains(first) { result = result.dropFirst() }
        while let last = result.last, set.contains(last) { result = result.dropLast() }
        return result
    }
}
