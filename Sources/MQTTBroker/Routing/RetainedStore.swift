import MQTTCore
import NIOCore
import Synchronization

/// The broker's retained messages, one per topic (§3.3.1.3). Shared by all loops behind a lock: it is
/// touched only by retained publishes and by subscribes, never by ordinary traffic.
///
/// A message stops being served when its Message Expiry Interval runs out, or at a deadline its storage set
/// (the backend rule's `expired_time`, the key's TTL in Redis), whichever comes first.
public final class RetainedStore: Sendable {
    private struct Entry {
        var message: BrokerMessage
        var retainUntil: NIODeadline?

        func isLive(at now: NIODeadline) -> Bool {
            !message.isExpired(at: now) && retainUntil.map { now < $0 } ?? true
        }
    }

    private let entries = Mutex<[String: Entry]>([:])

    public init() {}

    /// Stores `message` for its topic, or clears the topic when the payload is empty.
    /// Returns whether a message was stored before.
    @discardableResult
    public func set(_ message: BrokerMessage, retainUntil: NIODeadline? = nil) -> Bool {
        entries.withLock { entries in
            if message.payload.readableBytes == 0 {
                return entries.removeValue(forKey: message.topic) != nil
            }
            return entries.updateValue(Entry(message: message, retainUntil: retainUntil), forKey: message.topic) != nil
        }
    }

    /// Stores `message` only if its topic still holds `expected` (nothing, for nil): what storage read back
    /// never overwrites a newer message published meanwhile. Returns whether it was stored.
    @discardableResult
    public func replace(with message: BrokerMessage, ifHolding expected: MessageID?) -> Bool {
        entries.withLock { entries in
            guard entries[message.topic]?.message.id.description == expected?.description else { return false }
            entries[message.topic] = Entry(message: message, retainUntil: nil)
            return true
        }
    }

    /// Stops serving the message `id` on `topic` at `deadline` (a newer message there is left alone).
    public func expire(topic: String, id: MessageID, at deadline: NIODeadline) {
        entries.withLock { entries in
            guard var entry = entries[topic], entry.message.id == id else { return }
            entry.retainUntil = min(entry.retainUntil ?? deadline, deadline)
            entries[topic] = entry
        }
    }

    public func remove(topic: String) {
        _ = entries.withLock { $0.removeValue(forKey: topic) }
    }

    /// Removes the message `id` on `topic`, if it is still the one stored (storage found it deleted). Ids
    /// compare by their stored text, as storage reads them back.
    public func remove(topic: String, id: MessageID) {
        entries.withLock { entries in
            if entries[topic]?.message.id.description == id.description { entries[topic] = nil }
        }
    }

    public func message(topic: String, now: NIODeadline = .now()) -> BrokerMessage? {
        entries.withLock { entries in
            guard let entry = entries[topic] else { return nil }
            guard entry.isLive(at: now) else {
                entries[topic] = nil
                return nil
            }
            return entry.message
        }
    }

    /// Every live retained message whose topic matches `filter`, in topic order; expired ones are dropped.
    public func matching(_ filter: TopicFilter, now: NIODeadline = .now()) -> [BrokerMessage] {
        if !filter.hasWildcards {
            return message(topic: filter.string, now: now).map { [$0] } ?? []
        }
        let found = entries.withLock { entries -> [BrokerMessage] in
            var found: [BrokerMessage] = []
            var expired: [String] = []
            for (topic, entry) in entries where TopicMatcher.matches(filter: filter.string, topic: topic) {
                if entry.isLive(at: now) { found.append(entry.message) } else { expired.append(topic) }
            }
            for topic in expired { entries[topic] = nil }
            return found
        }
        return found.sorted { $0.topic < $1.topic }
    }

    public var count: Int { entries.withLock { $0.count } }

    public func all() -> [BrokerMessage] {
        entries.withLock { $0.values.map(\.message) }
    }
}
