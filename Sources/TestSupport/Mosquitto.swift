import Foundation

/// `mosquitto_sub` as a test's subscriber: started line-buffered with debug output, so "subscribed" is an
/// event the test can await instead of a sleep.
public final class MosquittoSubscriber: Sendable {
    public let process: ChildProcess

    /// Starts `mosquitto_sub -v -d` against `port` with `arguments` (topics, -q, -V, -i, ...) and waits
    /// for its SUBACK.
    public static func start(port: Int, host: String = "127.0.0.1", _ arguments: [String],
                             timeout: Duration = .seconds(10)) async throws -> MosquittoSubscriber {
        let process = try ChildProcess("stdbuf", ["-oL", "-eL", "mosquitto_sub", "-h", host, "-p", String(port),
                                                  "-v", "-d"] + arguments)
        let subscriber = MosquittoSubscriber(process: process)
        try await waitUntil("mosquitto_sub \(arguments.joined(separator: " ")) to be subscribed", timeout: timeout) {
            if !process.isRunning {
                throw MosquittoError(command: "mosquitto_sub", output: process.outputText)
            }
            return process.outputText.contains("Subscribed (mid:")
        }
        return subscriber
    }

    private init(process: ChildProcess) {
        self.process = process
    }

    /// The `topic payload` lines received so far (debug lines left out).
    public var messages: [String] {
        process.outputText.split(separator: "\n", omittingEmptySubsequences: false).compactMap { line in
            if line.isEmpty || line.hasPrefix("Client ") || line.hasPrefix("Subscribed (mid:") { return nil }
            return String(line)
        }
    }

    /// Waits until at least `count` messages arrived; returns them.
    @discardableResult
    public func waitForMessages(_ count: Int, timeout: Duration = .seconds(10)) async throws -> [String] {
        try await waitUntil("\(count) messages at mosquitto_sub (got: \(messages))", timeout: timeout) {
            messages.count >= count
        }
        return messages
    }

    public func stop() async {
        await process.stop()
    }

    /// Kills the client without DISCONNECT, as a crashed device would.
    public func kill() async {
        process.signal(SIGKILL)
        _ = try? await process.waitForExit(timeout: .seconds(5))
    }
}

/// Runs `mosquitto_pub` against `port` and fails the test if it fails.
public func mosquittoPub(port: Int, host: String = "127.0.0.1", _ arguments: [String],
                         timeout: Duration = .seconds(10)) async throws {
    let (status, output) = try await runCommand("mosquitto_pub", ["-h", host, "-p", String(port)] + arguments,
                                                timeout: timeout)
    guard status == 0 else { throw MosquittoError(command: "mosquitto_pub \(arguments.joined(separator: " "))", output: output) }
}

public struct MosquittoError: Error, CustomStringConvertible {
    public let command: String
    public let output: String
    public init(command: String, output: String) {
        self.command = command
        self.output = output
    }
    public var description: String { "\(command) failed: \(output)" }
}
