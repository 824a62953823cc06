import EMQXLayout
import RedisClient

/// Stored messages' ids waiting to be added to their topics' sorted sets (`ZADD mqtt:msg:<topic> 1 <id>`),
/// so that the ids a tick stores on one topic go to Redis in one `ZADD` instead of one each: a busy
/// topic's stored message costs Redis two commands instead of three.
///
/// Only stored messages may pass them in the lane: each id waits behind its own message's `HMSET`, and the
/// lane writes them out before any other command, so every other rule sees the sets as it would have.
struct SortedSetMembers {
    let queue: CommandQueue
    /// The rule they come from, for error messages.
    let origin: String
    /// Topics in the order their first id came, each with its ids in order.
    private var topics: [(topic: String, ids: [String])] = []
    private var positions: [String: Int] = [:]
    private(set) var count = 0

    /// More than this many ids go out at once: a `ZADD` stays a few kB.
    static let limit = 512

    init(queue: CommandQueue, origin: String) {
        self.queue = queue
        self.origin = origin
    }

    mutating func add(_ id: String, topic: String) {
        count += 1
        // A publisher's burst is one topic: no lookup for it.
        if let last = topics.indices.last, topics[last].topic == topic {
            topics[last].ids.append(id)
        } else if let position = positions[topic] {
            topics[position].ids.append(id)
        } else {
            positions[topic] = topics.count
            topics.append((topic, [id]))
        }
    }

    /// One `ZADD` per topic, in the order the topics came.
    func entries() -> [CommandQueue.Entry] {
        var encoder = RedisCommandEncoder(capacity: count * 32 + topics.reduce(0) { $0 + $1.topic.utf8.count + 40 })
        for (topic, ids) in topics {
            encoder.begin("ZADD", key: EMQXKeys.topicMessagesPrefix, topic)
            for id in ids {
                encoder.argument(1)
                encoder.argument(RESPArgument(id))
            }
        }
        return encoder.commands().map { CommandQueue.Entry(command: $0, origin: origin) }
    }
}
