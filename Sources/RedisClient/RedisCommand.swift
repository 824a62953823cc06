@_exported import RESP
import NIOCore

/// A command and its arguments, ready to be sent alone or in a pipeline.
///
/// The typed helpers have static constructors too (`RedisCommand.hset(...)`), so a pipeline can mix them with
/// anything built by hand.
public struct RedisCommand: Sendable, Hashable, CustomStringConvertible {
    /// The command name as sent (`HSET`, `CLIENT`); subcommands are the first argument.
    /// Set only here: an encoded command's name must stay the one its bytes carry.
    public internal(set) var name: String
    /// Empty for a command made by `RedisCommandEncoder`, whose words are in `encoded`.
    public internal(set) var arguments: [RESPArgument]
    /// The whole command in RESP, when it was encoded where it was made.
    public internal(set) var encoded: ByteBuffer?

    public init(_ name: String, _ arguments: [RESPArgument] = []) {
        self.name = name
        self.arguments = arguments
    }

    public init(_ name: String, _ arguments: RESPArgument...) {
        self.init(name, arguments)
    }

    /// The name, upper-cased, plus the subcommand for container commands (`CLIENT SETNAME`), for logs and
    /// errors. Never includes other arguments: they may be secrets.
    public var displayName: String {
        let upper = name.uppercased()
        switch upper {
        case "CLIENT", "CLUSTER", "CONFIG", "SENTINEL", "ACL", "COMMAND", "OBJECT", "MEMORY", "SCRIPT", "FUNCTION",
             "XINFO", "XGROUP", "PUBSUB", "LATENCY", "SLOWLOG", "MODULE", "DEBUG":
            if let sub = arguments.first { return upper + " " + sub.text.uppercased() }
            return upper
        default:
            return upper
        }
    }

    public var description: String { displayName }

    /// A rough size for the outbound buffer.
    var estimatedSize: Int {
        if let encoded { return encoded.readableBytes }
        var size = 16 + name.utf8.count
        for argument in arguments { size += argument.encodedSizeEstimate }
        return size
    }
}
