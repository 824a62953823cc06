/// A key and what it does, as shown in the footer and by the help bar of each component.
public struct KeyHint: Sendable, Hashable {
    public var key: String
    public var label: String
    public var priority: Int

    public init(key: String, label: String, priority: Int) {
        self.key = key
        self.label = label
        self.priority = priority
    }
}
