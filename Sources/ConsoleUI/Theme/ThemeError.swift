/// A theme file that cannot be used, with where and why: `~/.config/mqtop/themes/x.toml:7: unknown role 'boder'`.
/// The caller shows it and falls back to the default theme.
public struct ThemeError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    /// 1-based line, or nil when the problem is the file as a whole (missing, unreadable).
    public var line: Int?
    public var message: String

    public init(file: String, line: Int?, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }
}
