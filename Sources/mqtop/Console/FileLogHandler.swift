import Foundation
import Logging
import Synchronization

/// A swift-log handler writing lines to a file, for while the console owns stdout and stderr.
struct FileLogHandler: LogHandler {
    let label: String
    let sink: FileLogSink
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]

    init(label: String, sink: FileLogSink, level: Logger.Level) {
        self.label = label
        self.sink = sink
        logLevel = level
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var all = metadata
        if let explicit = event.metadata { all.merge(explicit) { _, new in new } }
        let fields = all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let stamp = ISO8601DateFormatter().string(from: Date())
        var line = "\(stamp) \(event.level) \(fields.isEmpty ? "" : fields + " ")[\(event.source)] \(event.message)"
        if let error = event.error { line += ": \(error)" }
        sink.write(line + "\n")
    }
}

/// The open log file, shared by every logger.
final class FileLogSink: Sendable {
    private let handle: Mutex<FileHandle>
    init(handle: FileHandle) { self.handle = Mutex(handle) }
    func write(_ line: String) {
        handle.withLock { $0.write(Data(line.utf8)) }
    }
}
