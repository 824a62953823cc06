/// An input that broke one of a fuzz check's invariants: what broke, in words a reader can act on.
public struct FuzzFinding: Error, Sendable, CustomStringConvertible {
    public let check: String
    public let message: String

    public init(_ check: String, _ message: String) {
        self.check = check
        self.message = message
    }

    public var description: String { "\(check): \(message)" }
}
