import EMQXLayout
import MQTTBroker
import MQTTCore
import RedisClient
import RESP

/// `on_message_fetch_for_queue`: one-to-one offline messages. On a new QoS 1/2 subscription, every id in
/// `mqtt:msg:<filter>` is read and delivered in publish order; ids whose hash expired are removed from
/// the set. Nothing is deleted at fetch time: the first acknowledgement consumes a message (at least once).
enum OnMessageFetchForQueue {
    static func run(_ client: ClientInfo, _ subscription: SubscriptionInfo, _ context: RuleContext) {
        guard subscription.qos != .atMostOnce, subscription.isNew else { return }
        let setKey = EMQXKeys.topicMessages(subscription.filter)
        context.read(.zrange(.init(setKey), from: 0, to: -1)) { reply in
            let ids = (reply.array ?? []).compactMap(\.string)
            await StoredMessageFetch.deliver(ids: ids, setKey: setKey, to: client.clientID, qos: subscription.qos,
                                             context)
        }
    }
}

/// Reading stored messages by id and delivering them in publish order, shared by the queue and pubsub fetches.
enum StoredMessageFetch {
    static func deliver(ids: [String], setKey: String, to clientID: String, qos: QoS, _ context: RuleContext) async {
        guard !ids.isEmpty else { return }
        let replies = await readAll(ids.map { RedisCommand.hgetall(.init(EMQXKeys.message($0))) }, context)
        var messages: [BrokerMessage] = []
        var expired: [RESPArgument] = []
        for (id, reply) in zip(ids, replies) {
            if let reply, let message = StoredMessageDecoder.decode(reply, broker: context.broker) {
                messages.append(message)
            } else if reply != nil {
                expired.append(.init(id))
            }
        }
        if !expired.isEmpty { context.write([.zrem(.init(setKey), members: expired)]) }
        // Other brokers' ids do not sort by time: order by timestamp, then id.
        messages.sort { ($0.timestampMillis, $0.id.description) < ($1.timestampMillis, $1.id.description) }
        for message in messages {
            await context.broker.deliver(message, to: clientID, qos: qos)
        }
    }

    /// Runs reads through the pool's queue, in order, and returns their replies (nil for a failed one).
    static func readAll(_ commands: [RedisCommand], _ context: RuleContext) async -> [RESPValue?] {
        await withCheckedContinuation { continuation in
            read(commands, context) { continuation.resume(returning: $0) }
        }
    }

    /// Queues reads (at least one) now, and hands their replies to `done` once all are in, on the thread
    /// of the last.
    static func read(_ commands: [RedisCommand], _ context: RuleContext,
                     done: @escaping @Sendable ([RESPValue?]) -> Void) {
        let results = ReplyCollector(count: commands.count, done: done)
        context.queue.enqueue(commands.enumerated().map { index, command in
            CommandQueue.Entry(command: command, origin: context.origin) { result in
                results.set(index, try? result.get())
            }
        })
    }
}

import Synchronization

/// Gathers the replies of a batch of reads and hands them over once all are in.
final class ReplyCollector: Sendable {
    private let state: Mutex<(replies: [RESPValue?], remaining: Int)>
    private let done: @Sendable ([RESPValue?]) -> Void

    init(count: Int, done: @escaping @Sendable ([RESPValue?]) -> Void) {
        state = Mutex((Array(repeating: nil, count: count), count))
        self.done = done
    }

    func set(_ index: Int, _ reply: RESPValue?) {
        let finished = state.withLock { state -> [RESPValue?]? in
            state.replies[index] = reply
            state.remaining -= 1
            return state.remaining == 0 ? state.replies : nil
        }
        if let finished { done(finished) }
    }
}
