import Foundation

/// A `mosquitto` broker of the test's own: MQTT and MQTT over WebSocket on free ports of 127.0.0.1,
/// anonymous clients allowed, `$SYS` every second. Stopped by `stop()`; it dies with the test process.
public final class MosquittoBroker: Sendable {
    public let process: ChildProcess
    public let port: Int
    public let webSocketPort: Int
    private let directory: TemporaryDirectory

    /// Starts it and waits until both listeners accept; retries on ports taken meanwhile.
    public static func start() async throws -> MosquittoBroker {
        var lastOutput = ""
        for _ in 0..<3 {
            let directory = try TemporaryDirectory(prefix: "mosquitto")
            let port = try FreePort.next()
            let webSocketPort = try FreePort.next()
            let configuration = """
                listener \(port) 127.0.0.1
                allow_anonymous true
                listener \(webSocketPort) 127.0.0.1
                protocol websockets
                sys_interval 1
                persistence false
                log_dest stderr
                log_type error
                log_type warning
                log_type notice
                log_type information
                connection_messages true
                """
            try configuration.write(toFile: directory.file("mosquitto.conf"), atomically: true, encoding: .utf8)
            let process = try ChildProcess("mosquitto", ["-c", directory.file("mosquitto.conf")])
            let broker = MosquittoBroker(process: process, port: port, webSocketPort: webSocketPort,
                                         directory: directory)
            do {
                try await waitUntil("mosquitto listening on \(port) and \(webSocketPort)", timeout: .seconds(10)) {
                    if !process.isRunning { throw MosquittoError(command: "mosquitto", output: process.outputText) }
                    return FreePort.accepts(port) && FreePort.accepts(webSocketPort)
                }
                return broker
            } catch {
                lastOutput = process.outputText
                await broker.stop()
            }
        }
        throw MosquittoError(command: "mosquitto", output: lastOutput)
    }

    private init(process: ChildProcess, port: Int, webSocketPort: Int, directory: TemporaryDirectory) {
        self.process = process
        self.port = port
        self.webSocketPort = webSocketPort
        self.directory = directory
    }

    /// What mosquitto logged (connections, subscriptions, errors), for a failing test's report.
    public var log: String { process.outputText }

    public func stop() async {
        await process.stop()
        directory.remove()
    }
}
