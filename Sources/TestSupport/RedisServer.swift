import Foundation

/// A private redis-server for one test: its own port (or unix socket) and data directory, stopped by
/// `stop()` and killed by the process guard if the test run dies.
public final class RedisServer: Sendable {
    public let port: Int
    public let directory: TemporaryDirectory
    public let unixSocket: String?
    /// For a TLS server: the certificates it uses (the port is then its TLS port).
    public let certificates: RedisTestCertificates?
    private let child: ChildProcess

    /// `redis://127.0.0.1:<port>`, `unix://<path>` for a socket-only server, or
    /// `rediss://127.0.0.1:<port>?cafile=<ca>` for a TLS server.
    public var url: String {
        if let certificates { return "rediss://127.0.0.1:\(port)?cafile=\(certificates.caCertificate)" }
        return unixSocket.map { "unix://\($0)" } ?? "redis://127.0.0.1:\(port)"
    }

    /// Starts a server and waits until it answers PING. `extraArguments` are passed one word per element.
    public static func start(unixSocket: Bool = false, extraArguments: [String] = [],
                             directory: TemporaryDirectory? = nil, port: Int? = nil) async throws -> RedisServer {
        try await start(unixSocket: unixSocket, tls: nil, extraArguments: extraArguments, directory: directory, port: port)
    }

    /// Starts a server that speaks only TLS on its port, with `certificates` (see ``RedisTestCertificates``).
    /// `requireClientCertificates` sets `tls-auth-clients yes` (the default there is `optional`).
    public static func startTLS(certificates: RedisTestCertificates, requireClientCertificates: Bool = false,
                                extraArguments: [String] = []) async throws -> RedisServer {
        let arguments = ["--tls-auth-clients", requireClientCertificates ? "yes" : "optional"] + extraArguments
        return try await start(unixSocket: false, tls: certificates, extraArguments: arguments, directory: nil, port: nil)
    }

    private static func start(unixSocket: Bool, tls: RedisTestCertificates?, extraArguments: [String],
                              directory: TemporaryDirectory?, port: Int?) async throws -> RedisServer {
        var lastError: Error?
        for _ in 0..<5 {
            do {
                let chosenPort = try port ?? FreePort.next()
                let server = try RedisServer(unixSocket: unixSocket, tls: tls, port: chosenPort,
                                             extraArguments: extraArguments,
                                             directory: directory ?? TemporaryDirectory(prefix: "redis"))
                try await server.waitUntilReady()
                return server
            } catch {
                lastError = error
                if port != nil { break }
            }
        }
        throw lastError ?? WaitTimeout(what: "redis-server", after: .seconds(0))
    }

    private init(unixSocket: Bool, tls: RedisTestCertificates?, port: Int, extraArguments: [String],
                 directory: TemporaryDirectory) throws {
        self.directory = directory
        let socketPath = unixSocket ? directory.file("redis.sock") : nil
        self.unixSocket = socketPath
        self.port = unixSocket ? 0 : port
        certificates = tls
        var arguments = ["--bind", "127.0.0.1", "--port", String(tls == nil ? self.port : 0), "--dir", directory.path,
                         "--save", "", "--appendonly", "no", "--logfile", "", "--enable-debug-command", "yes"]
        if let socketPath { arguments += ["--unixsocket", socketPath, "--unixsocketperm", "700"] }
        if let tls {
            arguments += ["--tls-port", String(port), "--tls-cert-file", tls.serverCertificate,
                          "--tls-key-file", tls.serverKey, "--tls-ca-cert-file", tls.caCertificate]
        }
        child = try ChildProcess("redis-server", arguments + extraArguments)
    }

    /// Arguments that make `redis-cli` talk to this server.
    public var cliArguments: [String] {
        if let certificates {
            return ["-h", "127.0.0.1", "-p", String(port), "--tls", "--cacert", certificates.caCertificate,
                    "--cert", certificates.clientCertificate, "--key", certificates.clientKey]
        }
        return unixSocket.map { ["-s", $0] } ?? ["-h", "127.0.0.1", "-p", String(port)]
    }

    /// Runs `redis-cli` against the server and returns its trimmed output (raw mode: one value per line).
    @discardableResult
    public func cli(_ arguments: String...) async throws -> String {
        try await cli(arguments)
    }

    @discardableResult
    public func cli(_ arguments: [String]) async throws -> String {
        let (status, output) = try await runCommand("redis-cli", cliArguments + arguments)
        guard status == 0 else { throw RedisCLIError(arguments: arguments, output: output) }
        return output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func waitUntilReady() async throws {
        try await waitUntil("redis-server on \(url) to answer PING", timeout: .seconds(10)) {
            guard child.isRunning else { throw RedisCLIError(arguments: ["redis-server"], output: child.outputText) }
            let result = try? await runCommand("redis-cli", cliArguments + ["PING"], timeout: .seconds(2))
            // With a password set, NOAUTH also proves the server is up.
            return result.map { $0.output.contains("PONG") || $0.output.contains("NOAUTH") } == true
        }
    }

    public var isRunning: Bool { child.isRunning }
    public var pid: Int32? { child.pid }

    /// Kills the server at once (SIGKILL), as a crash would.
    public func kill() async {
        child.signal(SIGKILL)
        _ = try? await child.waitForExit(timeout: .seconds(5))
    }

    public func stop() async {
        await child.stop()
    }

    /// Stops the server and removes its data directory.
    public func stopAndRemove() async {
        await child.stop()
        directory.remove()
    }
}

public struct RedisCLIError: Error, CustomStringConvertible {
    public let arguments: [String]
    public let output: String
    public var description: String { "redis-cli \(arguments.joined(separator: " ")) failed: \(output)" }
}
