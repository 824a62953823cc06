import ArgumentParser
import Foundation
import Logging

/// The console's own flags.
struct ConsoleOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Theme: default, dark, light, high-contrast, monochrome, or a .toml file (t cycles while running).",
        valueName: "name|path"))
    var theme: String = "default"

    @Option(name: .long, help: "The SUB/UNSUB channel the console publishes on.")
    var channel: String = "mqtt_channel"

    @Flag(name: .customLong("no-traffic"), help: "Embedded modes: run the broker without the Topics pane's tap (to measure what it costs).")
    var noTraffic = false

    @Option(name: .customLong("log-file"), help: ArgumentHelp(
        "Where logs go while the console owns the terminal (default ~/.local/state/mqtop/mqtop.log).", valueName: "file"))
    var logFile: String?

    /// Logs go to a file: stderr belongs to the screen while the console runs. Called first in every console
    /// mode, before anything makes a `Logger` (a logger made earlier keeps writing where it was made).
    /// Whatever still writes to stderr (a library's own handler, the runtime) lands in the file too, until
    /// `restoreStandardError()`.
    func bootstrapLogging(level: Logger.Level) throws -> ConsoleLogging {
        let path = logFile ?? PrivateRedisServer.stateDirectory + "/mqtop.log"
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: path) {
            _ = FileManager.default.createFile(atPath: path, contents: nil)
        }
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw ValidationError("cannot write the log file \(path)")
        }
        handle.seekToEndOfFile()
        let sink = FileLogSink(handle: handle)
        LoggingSystem.bootstrap { label in
            return FileLogHandler(label: label, sink: sink, level: level)
        }
        return ConsoleLogging(path: path, redirecting: handle.fileDescriptor)
    }
}

/// Where the console's logs go, and the terminal's stderr while they do.
final class ConsoleLogging: Sendable {
    let path: String
    private let savedStandardError: Int32

    init(path: String, redirecting fd: Int32) {
        self.path = path
        savedStandardError = dup(STDERR_FILENO)
        dup2(fd, STDERR_FILENO)
    }

    /// Gives stderr back to the terminal, so an error that ends the console is seen.
    func restoreStandardError() {
        guard savedStandardError >= 0 else { return }
        dup2(savedStandardError, STDERR_FILENO)
    }
}
