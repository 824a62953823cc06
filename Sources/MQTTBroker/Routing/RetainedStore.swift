import MQTTCore
import Synchronization

/// The broker's retained messages, one per topic (§3.3.1.3). Shared by all loops behind a lock: it is
/// touched only by retained publishes and by subscribes, never by ordinary traffic.
public final class RetainedStore: Sendable {
    private let messages = Mutex<[String: BrokerMessage]>([:])

    public init() {}

    /// Stores `message` for its topic, or clears the topic when the payload is empty.
    /// Returns whether a message was stored before.
    @discardableResult
    public func set(_ message: BrokerMessage) -> Bool {
        messages.withLock { messages in
            if message.payload.readableBytes == 0 {
                return messages.removeValue(forKey: message.topic) != nil
            }
            return messages.updateValue(message, forKey: message.topic) != nil
        }
    }

    public func remove(topic: String) {
        _ = messages.withLock { $0.removeValue(forKey: topic) }
    }

    public func message(topic: String) -> BrokerMessage? {
        messages.withLock { $0[topic] }
    }

    /// Every retained message whose topic matches `filter`, in topic order.
    public func matching(_ filter: TopicFilter) -> [BrokerMessage] {
        if !filter.hasWildcards {
            return message(topic: filter.string).map { [$0] } ?? []
        }
        let found = messages.withLock { messages in
            messages.values.filter { TopicMatcher.matches(filter: filter.string, topic: $0.topic) }
        }
        return found.sorted { $0.topic < $1.topic }
    }

    public var count: Int { messages.withLock { $0.count } }

    public func all() -> [BrokerMessage] {
        messages.withLock { Array($0.values) }
    }
}
