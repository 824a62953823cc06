import MQTTCore
import NIOCore
import Synchronization

/// The broker's retained messages, one per topic (§3.3.1.3). Shared by all loops behind a lock: it is
/// touched only by retained publishes and by subscribes, never by ordinary traffic, and a wildcard
/// subscribe walks a tree of topic levels (`RetainedTopicIndex`) rather than every retained message,
/// collecting the messages in the tree's order as it goes.
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

    private struct State {
        let index = RetainedTopicIndex<Entry>()

        func store(_ entry: Entry) -> Bool {
            index.updateValue(entry, forTopic: entry.message.topic) != nil
        }

        @discardableResult
        func drop(_ topic: String) -> Bool {
            index.removeValue(forTopic: topic) != nil
        }
    }

    private let state = Mutex(State())

    public init() {}

    /// Stores `message` for its topic, or clears the topic when the payload is empty.
    /// Returns whether a message was stored before.
    @discardableResult
    public func set(_ message: BrokerMessage, retainUntil: NIODeadline? = nil) -> Bool {
        state.withLock { state in
            if message.payload.readableBytes == 0 { return state.drop(message.topic) }
            return state.store(Entry(message: message, retainUntil: retainUntil))
        }
    }

    /// Stores `message` only if its topic still holds `expected` (nothing, for nil): what storage read back
    /// never overwrites a newer message published meanwhile. Returns whether it was stored.
    @discardableResult
    public func replace(with message: BrokerMessage, ifHolding expected: MessageID?) -> Bool {
        state.withLock { state in
            guard state.index.value(forTopic: message.topic)?.message.id.description == expected?.description else {
                return false
            }
            _ = state.store(Entry(message: message, retainUntil: nil))
            return true
        }
    }

    /// Stops serving the message `id` on `topic` at `deadline` (a newer message there is left alone).
    public func expire(topic: String, id: MessageID, at deadline: NIODeadline) {
        state.withLock { state in
            state.index.modifyValue(forTopic: topic) { entry in
                guard entry.message.id == id else { return }
                entry.retainUntil = min(entry.retainUntil ?? deadline, deadline)
            }
        }
    }

    public func remove(topic: String) {
        _ = state.withLock { $0.drop(topic) }
    }

    /// Removes the message `id` on `topic`, if it is still the one stored (storage found it deleted). Ids
    /// compare by their stored text, as storage reads them back.
    public func remove(topic: String, id: MessageID) {
        state.withLock { state in
            if state.index.value(forTopic: topic)?.message.id.description == id.description { state.drop(topic) }
        }
    }

    public func message(topic: String, now: NIODeadline = .now()) -> BrokerMessage? {
        state.withLock { state in
            guard let entry = state.index.value(forTopic: topic) else { return nil }
            guard entry.isLive(at: now) else {
                state.drop(topic)
                return nil
            }
            return entry.message
        }
    }

    /// Every live retained message whose topic matches `filter`, in the index's order (levels in the order
    /// they first appeared: the same on every subscribe); expired ones are dropped.
    public func matching(_ filter: TopicFilter, now: NIODeadline = .now()) -> [BrokerMessage] {
        if !filter.hasWildcards {
            return message(topic: filter.string, now: now).map { [$0] } ?? []
        }
        return state.withLock { state -> [BrokerMessage] in
            var found: [BrokerMessage] = []
            var expired: [String] = []
            state.index.forEachValue(matching: filter.string) { entry in
                if entry.isLive(at: now) { found.append(entry.message) } else { expired.append(entry.message.topic) }
            }
            for topic in expired { state.drop(topic) }
            return found
        }
    }

    public var count: Int { state.withLock { $0.index.count } }

    public func all() -> [BrokerMessage] {
        state.withLock { $0.index.values.map(\.message) }
    }
}
