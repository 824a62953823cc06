import EMQXLayout
import Logging
import MQTTBroker
import MQTTCore
import NIOCore
import RedisClient
import RESP

/// What a rule runs with: its pool's queue and the backend around it. A class, made once per rule and
/// lane: the dispatcher hands it to every event's rule run, which then costs one reference, not a copy.
final class RuleContext: Sendable {
    let rule: BackendRule
    let queue: CommandQueue
    let runtime: BackendRuntime
    /// The broker loop's lane the rule's commands wait in for the tick's end; nil for events from elsewhere.
    let lane: CommandLane?
    /// The rule's `file:line`, made once: every command carries it for its error messages.
    let origin: String

    init(rule: BackendRule, queue: CommandQueue, runtime: BackendRuntime, lane: CommandLane? = nil) {
        self.rule = rule
        self.queue = queue
        self.runtime = runtime
        self.lane = lane
        origin = rule.location.description
    }

    var logger: Logger { runtime.logger }
    var broker: Broker { runtime.broker }

    /// Enqueues write commands of this rule, together and in order.
    func write(_ commands: [RedisCommand]) {
        submit(commands.map { CommandQueue.Entry(command: $0, origin: origin) })
    }

    /// A stored message's commands and its id for the topic's sorted set: on the lane's loop the ids of a
    /// tick's messages on one topic go in one `ZADD` (`SortedSetMembers`), elsewhere each in its own.
    func writeStoredMessage(_ commands: [RedisCommand], id: String, topic: String) {
        let entries = commands.map { CommandQueue.Entry(command: $0, origin: origin) }
        guard let lane, lane.isOwnersThread else {
            var member = SortedSetMembers(queue: queue, origin: origin)
            member.add(id, topic: topic)
            return queue.enqueue(entries + member.entries())
        }
        lane.appendStoredMessage(entries, id: id, topic: topic, to: queue, origin: origin)
    }

    /// Into the lane when on its loop (the tick's end hands it on), else straight into the queue: together
    /// and in order either way.
    private func submit(_ entries: [CommandQueue.Entry]) {
        guard let lane, lane.isOwnersThread else { return queue.enqueue(entries) }
        lane.append(entries, to: queue)
    }

    /// The same rule, its commands going through `lane`.
    func on(_ lane: CommandLane) -> RuleContext {
        RuleContext(rule: rule, queue: queue, runtime: runtime, lane: lane)
    }

    /// Enqueues a read; `handle` gets the reply once every earlier command of the pool has run. Handlers
    /// run concurrently (each may do further round trips) and are awaited at shutdown.
    func read(_ command: RedisCommand, _ handle: @escaping @Sendable (RESPValue) async -> Void) {
        let logger = self.logger
        let origin = self.origin
        let handlers = runtime.replyHandlers
        let entry = CommandQueue.Entry(command: command, origin: origin) { result in
            switch result {
            case .success(let value):
                handlers.spawn { await handle(value) }
            case .failure(let error):
                logger.error("\(command.name) for rule at \(origin) failed: \(error)")
            }
        }
        submit([entry])
    }

    /// A stored time in the configured unit.
    func storedTime(millis: Int64) -> RESPArgument {
        RESPArgument(Int(runtime.configuration.timeUnit.value(millis: millis)))
    }

    /// The field/value list of a message hash, in the seed's order for `order`.
    /// `id` is the message id's text, computed once by the caller.
    func messageFields(_ message: BrokerMessage, id: String,
                       order: [StoredMessageField]) -> [(RESPArgument, RESPArgument)] {
        order.map { (RESPArgument($0.rawValue), messageField($0, of: message, id: id)) }
    }

    /// One field's value of a message hash.
    func messageField(_ field: StoredMessageField, of message: BrokerMessage, id: String) -> RESPArgument {
        switch field {
        case .id: RESPArgument(id)
        case .from: RESPArgument(message.publisher ?? "mqtop")
        case .qos: RESPArgument(Int(message.qos.rawValue))
        case .topic: RESPArgument(message.topic)
        case .payload: RESPArgument(message.payload)
        case .ts: storedTime(millis: message.timestampMillis)
        case .retain: RESPArgument(message.retain ? "true" : "false")
        }
    }
}

/// Turns a stored message hash back into a message the broker can deliver.
enum StoredMessageDecoder {
    /// Nil when the hash is empty (the message expired) or has no topic.
    static func decode(_ value: RESPValue, broker: Broker) -> BrokerMessage? {
        guard let fields = hashFields(value), let topicBytes = fields["topic"] else { return nil }
        let topic = String(buffer: topicBytes)
        guard TopicName(topic) != nil else { return nil }
        let qos = fields["qos"].flatMap { Int(String(buffer: $0)) }.flatMap { QoS(rawValue: UInt8(clamping: $0)) }
        let millis = fields["ts"].flatMap { EMQXTime.millis(fromStored: String(buffer: $0)) } ?? 0
        let id = fields["id"].map { MessageID(String(buffer: $0)) } ?? MessageID("")
        let from = fields["from"].map { String(buffer: $0) }
        let retain = fields["retain"].map { ["true", "1"].contains(String(buffer: $0)) } ?? false
        return BrokerMessage(id: id, topic: topic, payload: fields["payload"] ?? ByteBuffer(), qos: qos ?? .atLeastOnce,
                             retain: retain, publisher: from, timestampMillis: millis)
    }

    /// HGETALL's reply as a dictionary; nil for an empty hash (a key that expired).
    static func hashFields(_ value: RESPValue) -> [String: ByteBuffer]? {
        guard let fields = value.hashFields, !fields.isEmpty else { return nil }
        return fields
    }
}
