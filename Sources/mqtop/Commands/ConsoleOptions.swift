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

    @Option(name: .customLong("log-file"), help: ArgumentHelp(
        "Where logs go while the console owns the terminal (default ~/.local/state/mqtop/mqtop.log).", valueName: "file"))
    var logFile: String?

    /// Logs go to a file: stderr belongs to the screen while the console runs.
    func bootstrapLogging(level: Logger.Level) throws -> String {
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
        return path
    }
}
