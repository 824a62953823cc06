import NIOCore

/// The retained messages as a storage backend may change them: what it loaded at start, what expires or
/// vanished in storage, what it read back. The backend goes through these instead of holding the store,
/// so the store can keep its index and counts right whoever changes it.
extension Broker {
    /// How many of a new subscription's retained messages go to the socket before the rest are queued, so
    /// a subscriber over many gets its first ones at once; a storage backend reads back as many first.
    public static let retainedSentFirst = 32

    /// Serves `message` for its topic until `retainUntil` (the storage key's TTL), as if just published.
    public func loadRetained(_ message: BrokerMessage, retainUntil: NIODeadline? = nil) {
        core.retained.set(message, retainUntil: retainUntil)
    }

    /// Stops serving message `id` on `topic` at `deadline`, when storage will drop it (a newer one is left alone).
    public func retainedExpires(topic: String, id: MessageID, at deadline: NIODeadline) {
        core.retained.expire(topic: topic, id: id, at: deadline)
    }

    /// Storage no longer holds message `id` on `topic` (expired, or deleted by someone else).
    public func retainedVanished(topic: String, id: MessageID) {
        core.retained.remove(topic: topic, id: id)
    }

    /// Serves what storage holds for a topic, unless a message newer than `expected` was published meanwhile.
    /// Returns whether it is served now.
    @discardableResult
    public func retainedReadBack(_ message: BrokerMessage, ifHolding expected: MessageID?) -> Bool {
        core.retained.replace(with: message, ifHolding: expected)
    }

    /// The message served for `topic` now, if any.
    public func retainedMessage(topic: String) -> BrokerMessage? {
        core.retained.message(topic: topic)
    }
}
