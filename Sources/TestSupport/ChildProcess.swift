import Foundation
import ProcessSpawning

/// A process started by a test: output captured in a file, stopped on `stop()`, never outliving the run.
///
/// The command runs under a small `sh` guard that reads the guard's stdin, a pipe only this object holds:
/// when the test process dies for any reason, the pipe closes, `read` returns and the guard kills the
/// command. No orphan servers.
public final class ChildProcess: Sendable {
    public let executable: String
    public let arguments: [String]
    /// stdout and stderr of the command.
    public let logPath: String
    private let guardPID: pid_t
    private let guardInput: Int32
    private let pidPath: String
    /// The guard's exit status once reaped.
    private let status = LockedBox<Int32?>(nil)

    /// Starts `executable` with `arguments`. `environment` entries are added to the inherited environment.
    public init(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
                workingDirectory: String? = nil) throws {
        self.executable = executable
        self.arguments = arguments
        let scratch = FileManager.default.temporaryDirectory.path + "/mqtop-child-\(UUID().uuidString.prefix(12))"
        logPath = scratch + ".log"
        pidPath = scratch + ".pid"
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        (guardPID, guardInput) = try ParentDeathGuard.start([executable] + arguments, logPath: logPath,
                                                            pidPath: pidPath, workingDirectory: workingDirectory,
                                                            environment: env)
    }

    /// The command's own pid (not the guard's), once the guard has started it.
    public var pid: Int32? {
        guard let text = try? String(contentsOfFile: pidPath, encoding: .utf8) else { return nil }
        return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    public var isRunning: Bool { reap() == nil }
    public var exitStatus: Int32? { reap() }

    /// Collects the guard's exit status if it has exited.
    private func reap() -> Int32? {
        status.withLock { status -> Int32? in
            if let status { return status }
            var raw: Int32 = 0
            let result = waitpid(guardPID, &raw, WNOHANG)
            guard result == guardPID else { return nil }
            let exited = raw & 0x7F == 0
            status = exited ? (raw >> 8) & 0xFF : 128 + (raw & 0x7F)
            return status
        }
    }

    /// Everything the command wrote to stdout and stderr so far.
    public var outputText: String {
        (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
    }

    /// Sends `signal` to the command itself.
    public func signal(_ signal: Int32) {
        if let pid { kill(pid, signal) }
    }

    /// Stops the command with SIGTERM and waits for it, at most `timeout`; then SIGKILL.
    public func stop(timeout: Duration = .seconds(5)) async {
        if isRunning {
            signal(SIGTERM)
            if (try? await waitForExit(timeout: timeout)) == nil {
                signal(SIGKILL)
                kill(guardPID, SIGKILL)
                _ = try? await waitForExit(timeout: .seconds(2))
            }
        }
    }

    /// Waits for the command to exit by itself, at most `timeout`; returns its status.
    public func waitForExit(timeout: Duration = .seconds(10)) async throws -> Int32 {
        try await waitForValue("\(executable) to exit", timeout: timeout, poll: .milliseconds(5)) { reap() }
    }

    deinit {
        if reap() == nil {
            signal(SIGKILL)
            kill(guardPID, SIGKILL)
            var raw: Int32 = 0
            waitpid(guardPID, &raw, 0)
        }
        close(guardInput)
        try? FileManager.default.removeItem(atPath: logPath)
        try? FileManager.default.removeItem(atPath: pidPath)
    }
}

/// Runs a command to completion with a bound and returns its status and output.
public func runCommand(_ executable: String, _ arguments: [String], timeout: Duration = .seconds(20),
                       environment: [String: String] = [:]) async throws -> (status: Int32, output: String) {
    let child = try ChildProcess(executable, arguments, environment: environment)
    do {
        let status = try await child.waitForExit(timeout: timeout)
        return (status, child.outputText)
    } catch {
        await child.stop()
        throw error
    }
}

/// Finds `name` on PATH.
public func which(_ name: String) -> String? {
    for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
        let path = "\(dir)/\(name)"
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return nil
}
