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

    /// Starts `mqtop serve` on a port the kernel picks (`127.0.0.1:0`) and returns it once mqtop listens.
    /// A port chosen beforehand can be taken by any outgoing connection meanwhile; this cannot.
    static func serve(_ arguments: [String]) async throws -> (process: ChildProcess, port: Int) {
        let process = try ChildProcess(path, ["serve", "--listen", "127.0.0.1:0", "--log-level", "info"] + arguments)
        let port = try await waitForValue("mqtop serve listening", timeout: .seconds(30)) { () -> Int? in
            if !process.isRunning { throw MQTopExited(output: process.outputText) }
            guard let range = process.outputText.range(of: "listening on mqtt://127.0.0.1:") else { return nil }
            return Int(process.outputText[range.upperBound...].prefix { $0.isNumber })
        }
        return (process, port)
    }

    /// The port a console started with `--listen 127.0.0.1:0` bound, read from its log file.
    static func listeningPort(log path: String, timeout: Duration = .seconds(30)) async throws -> Int {
        try await waitForValue("a listening line in \(path)", timeout: timeout) { () -> Int? in
            guard let text = try? String(contentsOfFile: path, encoding: .utf8),
                  let range = text.range(of: "listening on mqtt://127.0.0.1:") else { return nil }
            return Int(text[range.upperBound...].prefix { $0.isNumber })
        }
    }
}

struct MQTopExited: Error, CustomStringConvertible {
    let output: String
    var description: String { "mqtop exited: \(output)" }
}
