import Foundation
import TestSupport

/// The built `mqtop` executable, run as a user would.
enum MQTopBinary {
    /// `$MQTOP_BIN`, or the debug build next to the package.
    static var path: String {
        if let path = ProcessInfo.processInfo.environment["MQTOP_BIN"] { return path }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/mqtop").path
    }

    static var packageRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
    }

    /// Starts `mqtop serve` on a free port and waits until it accepts MQTT connections.
    static func serve(_ arguments: [String], port: Int) async throws -> ChildProcess {
        let process = try ChildProcess(path, ["serve", "--listen", "127.0.0.1:\(port)", "--log-level", "info"] + arguments)
        try await waitUntil("mqtop serve listening on \(port)", timeout: .seconds(30)) {
            if !process.isRunning { throw MQTopExited(output: process.outputText) }
            return process.outputText.contains("listening on mqtt://127.0.0.1:\(port)")
        }
        return process
    }
}

struct MQTopExited: Error, CustomStringConvertible {
    let output: String
    var description: String { "mqtop exited: \(output)" }
}
