import MQTTCore
import NIOCore

/// How an `MQTTClient` connects.
public struct MQTTClientOptions: Sendable {
    public var host: String
    public var port: Int
    public var version: MQTTVersion
    public var clientID: String
    public var cleanStart: Bool
    public var keepAlive: UInt16
    public var username: String?
    public var password: String?
    public var will: WillMessage?
    /// CONNECT properties (5.0): session expiry, receive maximum, topic alias maximum, ...
    public var connectProperties: MQTTProperties
    /// Run the QoS 1/2 handshakes automatically (PUBACK, PUBREC, PUBREL, PUBCOMP). Tests that drive the
    /// flow by hand turn it off.
    public var autoAcknowledge: Bool
    public var connectTimeout: TimeAmount
    /// TCP, TLS or WebSocket.
    public var transport: MQTTClientTransport
    /// How many unread `events` are kept (the newest); nil keeps all. A long-lived client that reads only
    /// `messages` sets it, or every packet would stay in memory.
    public var eventBufferLimit: Int?
    /// The same for `messages`, for a client that does not read what it receives.
    public var messageBufferLimit: Int?

    public init(host: String = "127.0.0.1", port: Int = 1883, version: MQTTVersion = .v5, clientID: String,
                cleanStart: Bool = true, keepAlive: UInt16 = 60, username: String? = nil, password: String? = nil,
                will: WillMessage? = nil, connectProperties: MQTTProperties = MQTTProperties(),
                autoAcknowledge: Bool = true, connectTimeout: TimeAmount = .seconds(5),
                transport: MQTTClientTransport = .tcp) {
        self.transport = transport
        self.host = host
        self.port = port
        self.version = version
        self.clientID = clientID
        self.cleanStart = cleanStart
        self.keepAlive = keepAlive
        self.username = username
        self.password = password
        self.will = will
        self.connectProperties = connectProperties
        self.autoAcknowledge = autoAcknowledge
        self.connectTimeout = connectTimeout
    }
}

/// Why a client operation failed.
public struct MQTTClientError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case connectionRefused(ReasonCode)
        case connectionClosed
        case timeout
        case protocolViolation
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}

/// An application message the client received, topic alias already resolved.
public struct ReceivedMessage: Sendable, Hashable {
    public var topic: String
    public var payload: ByteBuffer
    public var qos: QoS
    public var retain: Bool
    public var dup: Bool
    public var packetID: UInt16?
    public var properties: MQTTProperties
    /// The topic alias the broker used, if any (tests check outgoing aliases).
    public var topicAlias: UInt16?

    public var payloadString: String { String(buffer: payload) }
}
