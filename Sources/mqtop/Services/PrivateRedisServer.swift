import Foundation
import Logging
import ProcessSpawning
import RedisClient
import ServiceLifecycle

/// The redis-server mqtop starts when no `--redis` URL is given: a unix socket in its own data directory,
/// AOF on, supervised (restarted if it dies) and stopped on exit. It runs under a guard that kills it when
/// mqtop's process ends, however it ends, so it never outlives mqtop.
final class PrivateRedisServer: Sendable {
    let directory: String
    let socketPath: String
    private let logger: Logger
    private let running = LockedValue<(guardPID: pid_t, keepAlive: Int32)?>(nil)
    private let lockFD: Int32

    /// `redis://` URL of the server, for the backend and the console.
    var url: String { "unix://\(socketPath)" }

    /// Prepares the data directory and takes its lock: two mqtop processes never share one private Redis.
    init(directory: String, logger: Logger) throws {
        self.directory = directory
        self.logger = logger
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var socket = directory + "/redis.sock"
        if socket.utf8.count > 100 {
            // A unix socket path must fit in 108 bytes.
            socket = NSTemporaryDirectory() + "mqtop-\(getuid())-redis.sock"
        }
        socketPath = socket
        let lockPath = directory + "/mqtop.lock"
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw PrivateRedisError("cannot open \(lockPath): \(String(cString: strerror(errno)))") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw PrivateRedisError("another mqtop is using the private Redis in \(directory); stop it, or give --redis URL")
        }
        lockFD = fd
    }

    /// mqtop's state directory: `$XDG_STATE_HOME/mqtop` or `~/.local/state/mqtop`.
    static var stateDirectory: String {
        let environment = ProcessInfo.processInfo.environment
        let state = environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.local/state"
        return state + "/mqtop"
    }

    /// The default data directory of the private redis-server.
    static var defaultDirectory: String { stateDirectory + "/redis" }

    /// Starts redis-server and waits until it answers PING.
    func start() async throws {
        guard let executable = Self.which("redis-server") else {
            throw PrivateRedisError("redis-server is not installed (apt install redis-server), or give --redis URL")
        }
        try? FileManager.default.removeItem(atPath: socketPath)
        let arguments = [executable, "--port", "0", "--unixsocket", socketPath, "--unixsocketperm", "700",
                         "--dir", directory, "--appendonly", "yes", "--appendfsync", "everysec",
                         "--save", "", "--daemonize", "no", "--logfile", directory + "/redis.log"]
        let started = try ParentDeathGuard.start(arguments, logPath: directory + "/redis.stdout",
                                                 pidPath: directory + "/redis.pid", workingDirectory: directory,
                                                 environment: ProcessInfo.processInfo.environment)
        running.set(started)
        CrashGuard.killOnCrash(started.guardPID)
        try await waitUntilReady(guardPID: started.guardPID)
        if let pid = redisPID { CrashGuard.killOnCrash(pid) }
        logger.info("private redis-server ready at \(socketPath) (data in \(directory))")
    }

    private func waitUntilReady(guardPID: pid_t) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .seconds(20))
        while clock.now < deadline {
            if Self.exited(guardPID) {
                let log = (try? String(contentsOfFile: directory + "/redis.log", encoding: .utf8)) ?? ""
                throw PrivateRedisError("redis-server exited at start: \(log.split(separator: "\n").suffix(3).joined(separator: " | "))")
            }
            if FileManager.default.fileExists(atPath: socketPath),
               let client = try? await RedisClient.connect(RedisConfiguration(url: url)) {
                let pong = try? await client.ping()
                await client.close()
                if pong != nil { return }
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw PrivateRedisError("redis-server did not answer within 20 s (see \(directory)/redis.log)")
    }

    /// Watches the server until shutdown; restarts it if it dies.
    func supervise() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(500))
            guard let current = running.get(), Self.exited(current.guardPID) else { continue }
            close(current.keepAlive)
            CrashGuard.forget(current.guardPID)
            if let pid = redisPID { CrashGuard.forget(pid) }
            running.set(nil)
            if Task.isCancelled { return }
            logger.error("private redis-server exited; restarting (data is kept in \(directory))")
            do {
                try await start()
            } catch {
                logger.error("cannot restart the private redis-server: \(error)")
                try? await Task.sleep(for: .seconds(2))
            }
        }
    }

    /// The redis-server's own pid, as its guard wrote it.
    private var redisPID: pid_t? {
        guard let text = try? String(contentsOfFile: directory + "/redis.pid", encoding: .utf8) else { return nil }
        return pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Stops the server (SIGTERM, AOF flushed) and waits for it, at most 10 s.
    func stop() async {
        guard let current = running.get() else { return }
        running.set(nil)
        CrashGuard.forget(current.guardPID)
        if let pid = redisPID { CrashGuard.forget(pid) }
        kill(current.guardPID, SIGTERM)
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .seconds(10))
        while !Self.exited(current.guardPID) && clock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        if !Self.exited(current.guardPID) {
            if let pid = redisPID { kill(pid, SIGKILL) }
            kill(current.guardPID, SIGKILL)
        }
        close(current.keepAlive)
        logger.info("private redis-server stopped")
    }

    private static func exited(_ pid: pid_t) -> Bool {
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        return result == pid || (result == -1 && errno == ECHILD)
    }

    static func which(_ name: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        for dir in ["/usr/bin", "/usr/sbin", "/usr/local/bin"] where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") {
            return "\(dir)/\(name)"
        }
        return nil
    }

    deinit {
        close(lockFD)
    }
}

struct PrivateRedisError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

import Synchronization

/// A small lock-protected value, shareable across tasks.
final class LockedValue<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    init(_ value: Value) { mutex = Mutex(value) }
    func get() -> Value { mutex.withLock { $0 } }
    func set(_ value: Value) { mutex.withLock { $0 = value } }
}
