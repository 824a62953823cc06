#if canImport(Glibc)
import Glibc
#endif
import Logging
import NIOCore
import NIOPosix
import NIOSSL

/// The session setup every new connection gets before it carries commands.
struct RedisHandshake: Sendable {
    /// `nil`: try `HELLO 3`, fall back to RESP2 if the server does not know it.
    var protocolVersion: Int?
    var username: String?
    var password: String?
    var clientName: String?
    var database: Int = 0
}

/// Opens connections: TCP or unix socket, optional TLS, then `HELLO`/`AUTH`/`CLIENT SETNAME`/`SELECT`.
struct RedisConnector: Sendable {
    var tlsContext: NIOSSLContext?
    var tlsOptions: RedisTLSOptions?
    var connectTimeout: Duration
    var commandTimeout: Duration?
    var handshake: RedisHandshake
    var logger: Logger

    init(configuration: RedisConfiguration, tlsContext: NIOSSLContext?, handshake: RedisHandshake) {
        self.tlsContext = tlsContext
        tlsOptions = configuration.tls
        connectTimeout = configuration.connectTimeout
        commandTimeout = configuration.commandTimeout
        self.handshake = handshake
        logger = configuration.logger
    }

    /// The handshake for data nodes of `configuration`.
    static func dataHandshake(_ configuration: RedisConfiguration) -> RedisHandshake {
        var database = configuration.database
        if case .cluster = configuration.topology { database = 0 }
        return RedisHandshake(protocolVersion: configuration.protocolVersion, username: configuration.username,
                              password: configuration.password, clientName: configuration.clientName,
                              database: database)
    }

    /// Connects to `endpoint` and sets the session up; throws ``RedisError/Kind/connectionFailed`` (or
    /// ``RedisError/Kind/timeout``) with the reason.
    func connect(to endpoint: RedisEndpoint, on eventLoop: any EventLoop,
                 handlers: RedisPushHandlers = RedisPushHandlers()) async throws -> RedisConnection {
        let channel: any Channel
        let reason = RedisCloseReason()
        do {
            channel = try await bootstrap(endpoint, eventLoop: eventLoop, handlers: handlers, reason: reason).get()
        } catch ChannelError.connectTimeout(let after) {
            throw RedisError(.timeout, "could not connect within \(after)", endpoint: endpoint.description)
        } catch {
            throw RedisError(.connectionFailed, "could not connect: \(Self.describe(error))", endpoint: endpoint.description)
        }
        do {
            let connection = try await setUp(channel: channel, endpoint: endpoint, reason: reason)
            var logger = self.logger
            logger[metadataKey: "redis.endpoint"] = "\(endpoint)"
            logger.debug("connected", metadata: ["redis.protocol": "\(connection.protocolVersion)"])
            return connection
        } catch {
            _ = try? await channel.close().get()
            if let redis = error as? RedisError, redis.kind == .serverError {
                throw RedisError(.connectionFailed, "session setup failed: \(redis.message)",
                                 serverMessage: redis.serverMessage, command: redis.command, endpoint: endpoint.description)
            }
            if let redis = error as? RedisError, redis.kind == .timeout {
                throw RedisError(.timeout, "connected, but the server did not answer the session setup (HELLO/AUTH) "
                                 + "within the connect timeout", endpoint: endpoint.description)
            }
            let reason = (error as? RedisError)?.message ?? Self.describe(error)
            throw RedisError(.connectionFailed, "session setup failed: \(reason)", endpoint: endpoint.description)
        }
    }

    private func bootstrap(_ endpoint: RedisEndpoint, eventLoop: any EventLoop, handlers: RedisPushHandlers,
                           reason: RedisCloseReason) -> EventLoopFuture<any Channel> {
        let tlsContext = self.tlsContext
        let serverHostname = tlsOptions.flatMap { RedisTLS.serverHostname(for: endpoint, options: $0) }
        let timeout = commandTimeout?.timeAmount
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(connectTimeout.timeAmount)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tlsContext {
                        let tls = try NIOSSLClientHandler(context: tlsContext, serverHostname: serverHostname)
                        try channel.pipeline.syncOperations.addHandler(tls)
                    }
                    try channel.pipeline.syncOperations.addHandler(
                        RedisCommandHandler(endpoint: endpoint.description, commandTimeout: timeout, handlers: handlers,
                                            closeReason: reason))
                }
            }
        switch endpoint.address {
        case .tcp(let host, let port):
            return bootstrap.connect(host: host, port: port)
        case .unix(let path):
            return bootstrap.connect(unixDomainSocketPath: path)
        }
    }

    private func setUp(channel: any Channel, endpoint: RedisEndpoint, reason: RedisCloseReason) async throws -> RedisConnection {
        let setupTimeout = connectTimeout.timeAmount
        var connection = RedisConnection(endpoint: endpoint, protocolVersion: 2, channel: channel, closeReason: reason)
        var afterHello: [RedisCommand] = []
        var helloDone = false
        if handshake.protocolVersion != 2 {
            var arguments: [RESPArgument] = ["3"]
            if let password = handshake.password {
                arguments += ["AUTH", RESPArgument(handshake.username ?? "default"), RESPArgument(password)]
            }
            if let name = handshake.clientName { arguments += ["SETNAME", RESPArgument(name)] }
            let reply = try await connection.send(RedisCommand("HELLO", arguments), timeout: setupTimeout).get()
            if let error = reply.error {
                let unknown = error.code == "NOPROTO" || error.message.lowercased().contains("unknown command")
                guard unknown, handshake.protocolVersion == nil else {
                    throw RedisError.server(error, command: "HELLO", endpoint: endpoint.description)
                }
            } else {
                helloDone = true
                let version = reply.map?["proto"]?.int ?? 3
                connection = RedisConnection(endpoint: endpoint, protocolVersion: version, channel: channel,
                                             closeReason: reason)
            }
        }
        if !helloDone {
            if let password = handshake.password {
                afterHello.append(RedisCommand("AUTH", handshake.username.map { [RESPArgument($0), RESPArgument(password)] }
                                                   ?? [RESPArgument(password)]))
            }
            if let name = handshake.clientName { afterHello.append(RedisCommand("CLIENT", ["SETNAME", RESPArgument(name)])) }
        }
        if handshake.database != 0 { afterHello.append(RedisCommand("SELECT", [RESPArgument(handshake.database)])) }
        for result in try await connection.send(batch: afterHello, timeout: setupTimeout).get() {
            _ = try result.get()
        }
        return connection
    }

    /// A short reason for a transport error, as a person reads it (`connection refused`), not NIO's
    /// nested description.
    static func describe(_ error: any Error) -> String {
        if let redis = error as? RedisError { return redis.message }
        if let connect = error as? NIOConnectionError {
            if let first = connect.connectionErrors.first { return describe(first.error) }
            if let dns = connect.dnsAError ?? connect.dnsAAAAError { return "cannot resolve \(connect.host): \(dns)" }
            return "\(connect)"
        }
        if let io = error as? IOError { return String(cString: strerror(io.errnoCode)).lowercased() }
        return "\(error)"
    }
}
