/// The pairs of a RESP3 map (or attribute) in the order the server sent them.
///
/// A dictionary would lose the order and require unique keys; Redis replies are small enough that a linear
/// lookup by key is cheaper than hashing.
public struct RESPMap: Sendable, Hashable {
    /// One key/value pair.
    public struct Entry: Sendable, Hashable {
        public var key: RESPValue
        public var value: RESPValue

        public init(key: RESPValue, value: RESPValue) {
            self.key = key
            self.value = value
        }
    }

    public var entries: [Entry]

    public init(_ entries: [Entry] = []) {
        self.entries = entries
    }

    /// The value of the first entry whose key is a (simple or bulk) string equal to `key`.
    public subscript(key: String) -> RESPValue? {
        entries.first { $0.key.string == key }?.value
    }

    /// The value of the first entry whose key equals `key`.
    public subscript(key: RESPValue) -> RESPValue? {
        entries.first { $0.key == key }?.value
    }

    /// The entries whose keys are strings, as a dictionary; later duplicates win.
    public var stringKeyed: [String: RESPValue] {
        var result: [String: RESPValue] = [:]
        result.reserveCapacity(entries.count)
        for entry in entries {
            if let key = entry.key.string { result[key] = entry.value }
        }
        return result
    }
}

// MARK: - RandomAccessCollection

extension RESPMap: RandomAccessCollection {
    public var startIndex: Int { entries.startIndex }
    public var endIndex: Int { entries.endIndex }
    public subscript(position: Int) -> Entry { entries[position] }
}

// MARK: - ExpressibleByDictionaryLiteral

extension RESPMap: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (RESPValue, RESPValue)...) {
        self.init(elements.map { Entry(key: $0.0, value: $0.1) })
    }
}

// MARK: - CustomStringConvertible

extension RESPMap: CustomStringConvertible {
    public var description: String {
        "{" + entries.map { "\($0.key.description): \($0.value.description)" }.joined(separator: ", ") + "}"
    }
}
