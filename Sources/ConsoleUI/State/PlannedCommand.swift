import EMQXLayout

/// One Redis command as arguments, plus the text the confirm line shows for it.
public struct PlannedCommand: Sendable, Hashable, CustomStringConvertible {
    public var arguments: [String]

    public init(_ arguments: [String]) { self.arguments = arguments }

    /// `HSET mqtt:sub:cli-alpha sensor/+/temp 1`: arguments separated by spaces, quoted like redis-cli only
    /// when an argument is empty or contains whitespace or control characters, so the text is unambiguous.
    public var description: String { arguments.map(PlannedCommand.display).joined(separator: " ") }

    static func display(_ argument: String) -> String {
        let needsQuotes = argument.isEmpty || argument.contains { $0.isWhitespace || CharWidth.isControl($0) }
        guard needsQuotes else { return argument }
        if !argument.contains("'") && !argument.contains(where: CharWidth.isControl) { return "'" + argument + "'" }
        return "\"" + JSONText.escaped(argument) + "\""
    }
}
