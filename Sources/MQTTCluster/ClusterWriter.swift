import EMQXLayout
import Logging
import RedisClient
import Synchronization

/// Everything this node writes to Redis as the cluster runs: frames for other nodes, and its route table
/// with the numbered events that announce each change. One task, one connection, so what it sends arrives
/// in the order it was handed over; each round trip carries all that piled up during the previous one.
final class ClusterWriter: Sendable {
    private struct Pending {
        var frames: [OutgoingFrame] = []
        var heldMessages = 0
        var routeChanges: [ClusterEvent.RouteChange] = []
        /// Events that are not route changes (takeovers), in order.
        var events: [ClusterEvent] = []
        /// Write the whole routes hash again (it was lost, or this node was taken for dead).
        var rewriteRoutes = false
        var droppedMessages = 0
    }

    /// What the writer has announced: only its task touches it.
    private struct Announced {
        var sequence = 0
        var filters: Set<String> = []
    }

    private let keys: ClusterKeys
    private let node: String
    private let incarnation: String
    private let sharded: Bool
    private let bufferLimit: Int
    private let client: RedisClient
    private let logger: Logger
    private let pending = Mutex(Pending())
    private let wake: AsyncStream<Void>.Continuation
    private let wakeups: AsyncStream<Void>
    private let announced = Mutex(Announced())

    /// Route changes handed over and written so far, and who waits for which to be written.
    private struct Announcements {
        var queued = 0
        var written = 0
        var waiters: [(upTo: Int, body: @Sendable () -> Void)] = []
    }

    private let announcements = Mutex(Announcements())
    /// Set by `finish`: past it, commands Redis does not take are dropped instead of retried.
    private let giveUpAt = Mutex<ContinuousClock.Instant?>(nil)

    init(keys: ClusterKeys, node: String, incarnation: String, sharded: Bool, bufferLimit: Int,
         client: RedisClient, logger: Logger) {
        self.keys = keys
        self.node = node
        self.incarnation = incarnation
        self.sharded = sharded
        self.bufferLimit = bufferLimit
        self.client = client
        self.logger = logger
        (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Queues frames for other nodes; past the buffer limit the oldest frames go, counted and logged.
    func send(_ frames: [OutgoingFrame]) {
        guard !frames.isEmpty else { return }
        let dropped = pending.withLock { pending -> Int in
            pending.frames.append(contentsOf: frames)
            pending.heldMessages += frames.reduce(0) { $0 + $1.messages }
            var dropped = 0
            while pending.heldMessages > bufferLimit, !pending.frames.isEmpty {
                let oldest = pending.frames.removeFirst()
                pending.heldMessages -= oldest.messages
                dropped += oldest.messages
            }
            pending.droppedMessages += dropped
            return dropped > 0 ? pending.droppedMessages : 0
        }
        if dropped > 0 {
            logger.warning("cluster \(keys.cluster): Redis is not taking messages for other nodes; dropped the oldest, \(dropped) so far")
        }
        wake.yield()
    }

    func changeRoute(_ filter: String, present: Bool) {
        pending.withLock { pending in
            pending.routeChanges.append(.init(filter: filter, present: present))
            announcements.withLock { $0.queued += 1 }
        }
        wake.yield()
    }

    /// Calls `body` once every route change handed over so far is written and announced.
    func whenAnnounced(_ body: @escaping @Sendable () -> Void) {
        let now = announcements.withLock { state -> Bool in
            guard state.written < state.queued else { return true }
            state.waiters.append((state.queued, body))
            return false
        }
        if now { body() }
    }

    private func noteWritten(_ count: Int) {
        guard count > 0 else { return }
        let due = announcements.withLock { state -> [@Sendable () -> Void] in
            state.written += count
            let written = state.written
            let due = state.waiters.filter { $0.upTo <= written }.map(\.body)
            state.waiters.removeAll { $0.upTo <= written }
            return due
        }
        for body in due { body() }
    }

    func publish(_ event: ClusterEvent) {
        pending.withLock { $0.events.append(event) }
        wake.yield()
    }

    func rewriteRoutes() {
        pending.withLock { $0.rewriteRoutes = true }
        wake.yield()
    }

    /// Stops taking work: what is pending is still sent, for at most `deadline` if Redis cannot take it.
    func finish(within deadline: Duration = .seconds(2)) {
        giveUpAt.withLock { $0 = .now + deadline }
        wake.finish()
    }

    func close() async { await client.close() }

    /// Sends until `finish`, then what is still pending.
    func run() async {
        for await _ in wakeups {
            await drain()
        }
        await drain()
    }

    private func drain() async {
        while true {
            let batch = pending.withLock { pending -> Pending in
                let taken = pending
                pending = Pending(droppedMessages: pending.droppedMessages)
                return taken
            }
            guard !batch.frames.isEmpty || !batch.routeChanges.isEmpty || batch.rewriteRoutes || !batch.events.isEmpty
            else { return }
            var commands = routeCommands(batch.routeChanges, rewrite: batch.rewriteRoutes)
            for event in batch.events {
                commands.append(event.publishing(on: keys, sharded: sharded))
            }
            for frame in Self.merged(batch.frames) {
                let channel = RESPArgument(keys.forward(frame.node))
                let payload = RESPArgument(frame.bytes)
                commands.append(sharded ? .spublish(payload, to: channel) : .publish(payload, to: channel))
            }
            await sendUntilTaken(commands)
            noteWritten(batch.routeChanges.count)
        }
    }

    /// A frame stops taking more messages at this size; the next ones start another.
    static let frameLimit = 256 * 1024

    /// The frames of many loop ticks as few as possible: one per destination node (up to `frameLimit`),
    /// each node's messages still in the order they were handed over.
    static func merged(_ frames: [OutgoingFrame]) -> [OutgoingFrame] {
        guard frames.count > 1 else { return frames }
        var result: [OutgoingFrame] = []
        var open: [String: Int] = [:]
        for frame in frames {
            if let index = open[frame.node], result[index].bytes.readableBytes + frame.bytes.readableBytes <= frameLimit {
                var body = frame.bytes
                body.moveReaderIndex(forwardBy: 1)  // its version byte: the frame it joins has one
                result[index].bytes.writeBuffer(&body)
                result[index].messages += frame.messages
            } else {
                open[frame.node] = result.count
                result.append(frame)
            }
        }
        return result
    }

    /// The writes for route changes (or the whole table), and the event that announces them.
    private func routeCommands(_ changes: [ClusterEvent.RouteChange], rewrite: Bool) -> [RedisCommand] {
        guard !changes.isEmpty || rewrite else { return [] }
        return announced.withLock { announced in
            let routes = RESPArgument(keys.routes(node))
            var commands: [RedisCommand] = []
            let first = announced.sequence + 1
            for change in changes {
                if change.present {
                    announced.filters.insert(change.filter)
                    if !rewrite { commands.append(.hset(routes, field: .init(change.filter), to: "1")) }
                } else {
                    announced.filters.remove(change.filter)
                    if !rewrite { commands.append(.hdel(routes, fields: [.init(change.filter)])) }
                }
            }
            let event: ClusterEvent
            if rewrite {
                announced.sequence = first
                let filters = announced.filters.sorted()
                commands.append(.del([routes]))
                if !filters.isEmpty { commands.append(.hset(routes, fields: filters.map { (RESPArgument($0), "1") })) }
                event = .table(node: node, incarnation: incarnation, sequence: first, filters: filters)
            } else {
                announced.sequence = first + changes.count - 1
                event = .routes(node: node, incarnation: incarnation, firstSequence: first, changes: changes)
            }
            commands.append(.hset(routes, fields: [
                (RESPArgument(ClusterKeys.incarnationField), RESPArgument(incarnation)),
                (RESPArgument(ClusterKeys.sequenceField), RESPArgument(announced.sequence)),
            ]))
            commands.append(event.publishing(on: keys, sharded: sharded))
            return commands
        }
    }

    /// Sends `commands`, retrying while Redis cannot be reached; refused commands are logged, not retried.
    private func sendUntilTaken(_ commands: [RedisCommand]) async {
        await RedisConfiguration.Backoff().retry { attempt in
            do {
                let results = try await client.pipeline(commands)
                for (command, result) in zip(commands, results) {
                    if case .failure(let error) = result {
                        logger.error("cluster \(keys.cluster): \(command.displayName) refused by Redis: \(error)")
                    }
                }
                return true
            } catch {
                if let deadline = giveUpAt.withLock({ $0 }), ContinuousClock.now >= deadline {
                    logger.error("cluster \(keys.cluster): stopping with Redis unreachable (\(error)); \(commands.count) commands for other nodes not sent")
                    return true
                }
                if attempt == 0 {
                    logger.warning("cluster \(keys.cluster): cannot reach Redis (\(error)); holding \(commands.count) commands for other nodes")
                }
                return false
            }
        }
    }
}
