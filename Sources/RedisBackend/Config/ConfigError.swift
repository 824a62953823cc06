/// A configuration line that cannot be used: where it is and why.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    public let location: SourceLocation
    public let reason: String

    public init(_ location: SourceLocation, _ reason: String) {
        self.location = location
        self.reason = reason
    }

    public var description: String { "\(location): \(reason)" }
}
