import Logging

/// A logger whose lines a test can read: for asserting what an operator would see in the log.
public final class CapturedLog: Sendable {
    private let lines = LockedBox<[String]>([])

    public init() {}

    /// A logger writing here (`level message`, metadata left out).
    public func logger(label: String = "test", level: Logger.Level = .trace) -> Logger {
        var logger = Logger(label: label) { _ in Handler(log: self) }
        logger.logLevel = level
        return logger
    }

    /// Every line so far, oldest first.
    public var all: [String] { lines.value }

    /// The lines at `level` or above.
    public func lines(atLeast level: Logger.Level) -> [String] {
        all.filter { line in
            guard let name = line.split(separator: " ").first, let lineLevel = Logger.Level(rawValue: String(name)) else {
                return false
            }
            return lineLevel >= level
        }
    }

    fileprivate func append(_ line: String) { lines.withLock { $0.append(line) } }

    private struct Handler: LogHandler {
        let log: CapturedLog
        var logLevel: Logger.Level = .trace
        var metadata: Logger.Metadata = [:]

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            log.append("\(event.level) \(event.message)")
        }
    }
}
