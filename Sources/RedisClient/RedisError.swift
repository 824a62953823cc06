import RESP

/// Everything that can go wrong talking to Redis, with the context to act on it.
///
/// A struct around a private enum, so new kinds can be added without breaking callers. Compare ``kind`` with
/// the static members (`error.kind == .notConnected`). ``description`` never contains a password or argument
/// values: only the command name, the endpoint and the server's own message.
public struct RedisError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, for matching.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        enum Storage: String, Sendable, Hashable {
            case connectionFailed, connectionClosed, notConnected, timeout, serverError, protocolError
            case urlInvalid, configurationInvalid, closed, redirectionFailed
        }

        let storage: Storage

        /// Connecting, the TLS handshake, or the session setup (`HELLO`, `AUTH`, `SELECT`) failed.
        public static let connectionFailed = Kind(storage: .connectionFailed)
        /// The connection dropped while the command was in flight: it may or may not have run.
        public static let connectionClosed = Kind(storage: .connectionClosed)
        /// No connection is up (Redis is down and the client is reconnecting): the command was not sent.
        public static let notConnected = Kind(storage: .notConnected)
        /// No reply within the command timeout (the connection is then closed and replaced), or no
        /// connection within the connect timeout.
        public static let timeout = Kind(storage: .timeout)
        /// The server replied with an error; ``RedisError/serverMessage`` has it verbatim.
        public static let serverError = Kind(storage: .serverError)
        /// The server sent bytes that are not RESP, or a reply nobody asked for.
        public static let protocolError = Kind(storage: .protocolError)
        /// A Redis URL could not be parsed; ``RedisError/urlPart`` names the part.
        public static let urlInvalid = Kind(storage: .urlInvalid)
        /// A configuration value is out of range or inconsistent.
        public static let configurationInvalid = Kind(storage: .configurationInvalid)
        /// The client or subscriber was closed by its owner.
        public static let closed = Kind(storage: .closed)
        /// Cluster: too many `MOVED`/`ASK` hops, or no node serves the key's slot.
        public static let redirectionFailed = Kind(storage: .redirectionFailed)

        public var description: String { storage.rawValue }
    }

    public let kind: Kind
    /// A readable explanation (never a password).
    public let message: String
    /// The server's error reply verbatim (`WRONGPASS invalid username-password pair ...`), if any.
    public let serverMessage: String?
    /// The command's name (`HSET`), never its arguments.
    public let command: String?
    /// The endpoint involved (`127.0.0.1:6379`, `unix:/tmp/r.sock`).
    public let endpoint: String?
    /// For ``Kind/urlInvalid``: the part of the URL that is wrong (`scheme`, `port`, `database`, ...).
    public let urlPart: String?
    /// For ``Kind/notConnected``: why the last connection attempt failed.
    let cause: String?

    init(_ kind: Kind, _ message: String, serverMessage: String? = nil, command: String? = nil,
         endpoint: String? = nil, urlPart: String? = nil, cause: String? = nil) {
        self.kind = kind
        self.message = message
        self.serverMessage = serverMessage
        self.command = command
        self.endpoint = endpoint
        self.urlPart = urlPart
        self.cause = cause
    }

    /// A few words on what is wrong, for a header or a status line (`connection refused`, `WRONGPASS …`):
    /// no endpoint, no kind, no nesting.
    public var summary: String { cause ?? outageReason }

    /// The first word of the server's error (`WRONGPASS`, `NOPERM`, `MOVED`), if any.
    public var serverCode: String? {
        serverMessage.map { String($0.prefix { $0 != " " }) }
    }

    public var description: String {
        var text = "Redis \(kind)"
        if let command { text += " running \(command)" }
        if let endpoint { text += " on \(endpoint)" }
        text += ": " + message
        if let serverMessage, !message.contains(serverMessage) { text += " (server: \(serverMessage))" }
        return text
    }

    /// What made a connection fail, without the endpoint and the "could not connect" the outage line says.
    var outageReason: String {
        let prefix = "could not connect: "
        let text = message.hasPrefix(prefix) ? String(message.dropFirst(prefix.count)) : message
        guard let serverMessage, !text.contains(serverMessage) else { return text }
        return text + " (server: \(serverMessage))"
    }

    /// The same error with the command name and endpoint filled in where missing.
    func with(command: String? = nil, endpoint: String? = nil) -> RedisError {
        RedisError(kind, message, serverMessage: serverMessage, command: self.command ?? command,
                   endpoint: self.endpoint ?? endpoint, urlPart: urlPart, cause: cause)
    }

    static func server(_ error: RESPError, command: String?, endpoint: String?) -> RedisError {
        RedisError(.serverError, error.message, serverMessage: error.message, command: command, endpoint: endpoint)
    }

    static func url(_ part: String, _ message: String) -> RedisError {
        RedisError(.urlInvalid, "invalid Redis URL: \(message)", urlPart: part)
    }

    static func closedByOwner() -> RedisError {
        RedisError(.closed, "the client was closed")
    }
}

extension RedisError {
    /// Wraps any error from the transport (NIO, TLS, the parser) as a `RedisError` of `kind`.
    static func wrapping(_ error: any Error, as kind: Kind, endpoint: String?, command: String? = nil) -> RedisError {
        if let redis = error as? RedisError { return redis.with(command: command, endpoint: endpoint) }
        if let resp = error as? RESPProtocolError {
            return RedisError(.protocolError, resp.description, command: command, endpoint: endpoint)
        }
        return RedisError(kind, String(describing: error), command: command, endpoint: endpoint)
    }
}
