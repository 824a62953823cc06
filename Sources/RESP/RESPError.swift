/// An error reply from the server, such as `WRONGTYPE Operation against a key holding the wrong kind of value`.
///
/// The message is kept verbatim. By convention its first word is an upper-case code (`ERR`, `WRONGPASS`,
/// `MOVED`, `NOPERM`), which ``code`` extracts.
public struct RESPError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The whole message the server sent, without the leading `-`.
    public let message: String

    public init(message: String) {
        self.message = message
    }

    /// The first word of the message (`ERR`, `MOVED`, ...), or the whole message if it has no space.
    public var code: Substring {
        message.prefix { $0 != " " }
    }

    public var description: String { message }
}
