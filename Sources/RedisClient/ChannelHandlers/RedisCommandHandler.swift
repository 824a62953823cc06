import DequeModule
import NIOCore

/// Matches replies to commands: a FIFO of waiting callers, completed in order as replies arrive.
///
/// Replies come back in the order commands were written, so the head of the queue owns the next in-band
/// reply. RESP3 pushes (and, on a RESP2 subscriber, pub/sub arrays) go to the push handlers instead. When the
/// connection fails, every waiter is failed and told so; none is left hanging. A single timer watches the
/// oldest waiter: when its reply is overdue the connection is closed, because everything behind it waits too.
final class RedisCommandHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = Never
    typealias OutboundIn = RedisRequest
    typealias OutboundOut = ByteBuffer

    private final class Batch {
        let commands: [RedisCommand]
        var results: [Result<RESPValue, RedisError>]
        let promise: EventLoopPromise<[Result<RESPValue, RedisError>]>

        init(commands: [RedisCommand], promise: EventLoopPromise<[Result<RESPValue, RedisError>]>) {
            self.commands = commands
            self.promise = promise
            results = []
            results.reserveCapacity(commands.count)
        }

        var isComplete: Bool { results.count == commands.count }
        /// The name of the command whose reply comes next.
        var nextName: String { commands[results.count].displayName }
    }

    private enum Waiter {
        case single(command: String, EventLoopPromise<RESPValue>)
        case batch(Batch)
        case subscription(RedisSubscriptionKind, subscribe: Bool, remaining: Set<String>, command: String,
                          EventLoopPromise<Void>)
    }

    private struct Entry {
        var waiter: Waiter
        var deadline: NIODeadline?
    }

    private let endpoint: String
    private let defaultTimeout: TimeAmount?
    private let handlers: RedisPushHandlers
    private let processor = NIOSingleStepByteToMessageProcessor(RESPDecoder())
    private var queue = Deque<Entry>()
    private var timer: Scheduled<Void>?
    private var timerDeadline: NIODeadline?
    private var failure: RedisError?
    /// A flush is scheduled for the end of this event loop tick.
    private var flushPending = false
    /// RESP2 subscriber: arrays whose first element is `message`, `subscribe`, ... are pub/sub events.
    private var classifyArrays = false

    private let closeReason: RedisCloseReason

    init(endpoint: String, commandTimeout: TimeAmount?, handlers: RedisPushHandlers, closeReason: RedisCloseReason) {
        self.endpoint = endpoint
        self.closeReason = closeReason
        defaultTimeout = commandTimeout
        self.handlers = handlers
    }

    // MARK: - Outbound

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        if let failure {
            request.fail(failure.with(command: request.command))
            promise?.fail(failure)
            return
        }
        let timeout = request.timeout ?? defaultTimeout
        let deadline = timeout.map { NIODeadline.now() + $0 }
        switch request.completion {
        case .single(let reply):
            queue.append(Entry(waiter: .single(command: request.command, reply), deadline: deadline))
        case .batch(let commands, let reply):
            queue.append(Entry(waiter: .batch(Batch(commands: commands, promise: reply)), deadline: deadline))
        case .subscription(let kind, let subscribe, let names, let classify, let done):
            classifyArrays = classifyArrays || classify
            queue.append(Entry(waiter: .subscription(kind, subscribe: subscribe, remaining: Set(names),
                                                     command: request.command, done),
                               deadline: deadline))
        }
        armTimer(context: context)
        context.write(wrapOutboundOut(request.bytes), promise: promise)
    }

    /// Defers the flush to the end of the event loop's current batch of tasks, so writes from many callers
    /// (each its own `writeAndFlush`) leave in one system call, as NIO's flush consolidation does.
    func flush(context: ChannelHandlerContext) {
        guard !flushPending else { return }
        flushPending = true
        context.eventLoop.assumeIsolated().execute { [self] in
            flushPending = false
            context.flush()
        }
    }

    // MARK: - Inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        do {
            try processor.process(buffer: buffer) { value in
                try self.handle(value)
            }
        } catch {
            fail(RedisError.wrapping(error, as: .protocolError, endpoint: endpoint), context: context)
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        let pending = queue.count
        fail(RedisError(.connectionClosed, pending == 0 ? "the connection closed"
                            : "the connection closed with \(pending) command(s) awaiting a reply; they may or may not have run",
                        endpoint: endpoint),
             context: context)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(RedisError.wrapping(error, as: .connectionClosed, endpoint: endpoint), context: context)
        context.close(promise: nil)
    }

    private func handle(_ value: RESPValue) throws(RedisError) {
        switch value {
        case .push(let items):
            if !handlePubSubEvent(items) { handlers.onPush(value) }
            return
        case .array(let items) where classifyArrays:
            if handlePubSubEvent(items) { return }
        default:
            break
        }
        guard let head = queue.first else {
            throw RedisError(.protocolError, "a reply arrived that no command was waiting for: \(value)", endpoint: endpoint)
        }
        switch head.waiter {
        case .single(_, let promise):
            queue.removeFirst()
            promise.succeed(value)
        case .batch(let batch):
            if let error = value.error {
                batch.results.append(.failure(.server(error, command: batch.nextName, endpoint: endpoint)))
            } else {
                batch.results.append(.success(value))
            }
            if batch.isComplete {
                queue.removeFirst()
                batch.promise.succeed(batch.results)
            }
        case .subscription(_, _, _, let command, let promise):
            guard let error = value.error else {
                throw RedisError(.protocolError, "unexpected reply \(value) to \(command)", command: command, endpoint: endpoint)
            }
            queue.removeFirst()
            promise.fail(RedisError.server(error, command: command, endpoint: endpoint))
        }
    }

    /// Handles `message`, `pmessage`, `smessage` and (un)subscribe confirmations; `false` if `items` is none.
    private func handlePubSubEvent(_ items: [RESPValue]) -> Bool {
        guard let event = items.first?.string?.lowercased() else { return false }
        switch event {
        case "message", "smessage":
            guard items.count >= 3, let channel = items[1].string else { return false }
            handlers.onMessage(RedisPubSubMessage(channel: channel, payload: items[2].bytes ?? ByteBuffer(),
                                                  isSharded: event == "smessage"))
            return true
        case "pmessage":
            guard items.count >= 4, let pattern = items[1].string, let channel = items[2].string else { return false }
            handlers.onMessage(RedisPubSubMessage(channel: channel, pattern: pattern,
                                                  payload: items[3].bytes ?? ByteBuffer()))
            return true
        default:
            guard let (kind, subscribed) = RedisSubscriptionKind.confirmation(event), items.count >= 2 else {
                return false
            }
            confirm(kind, subscribed: subscribed, name: items[1].string)
            return true
        }
    }

    private func confirm(_ kind: RedisSubscriptionKind, subscribed: Bool, name: String?) {
        if let head = queue.first, let name,
           case .subscription(let headKind, let headSubscribe, var remaining, let command, let promise) = head.waiter,
           headKind == kind, headSubscribe == subscribed, remaining.remove(name) != nil {
            if remaining.isEmpty {
                queue.removeFirst()
                promise.succeed(())
            } else {
                queue[queue.startIndex].waiter = .subscription(kind, subscribe: subscribed, remaining: remaining,
                                                               command: command, promise)
            }
            return
        }
        if !subscribed, let name { handlers.onUnsolicitedUnsubscribe(kind, name) }
    }

    // MARK: - Failure and timeouts

    /// Fails every waiter with `error` (the first one, whose reply is overdue on a timeout, with `first`).
    private func fail(_ error: RedisError, first: RedisError? = nil, context: ChannelHandlerContext) {
        if failure == nil {
            failure = error
            closeReason.record(first ?? error)
        }
        timer?.cancel()
        timer = nil
        timerDeadline = nil
        var leading = first
        while let entry = queue.popFirst() {
            let current = leading ?? error
            leading = nil
            switch entry.waiter {
            case .single(let command, let promise):
                promise.fail(current.with(command: command.uppercased()))
            case .batch(let batch):
                while !batch.isComplete {
                    batch.results.append(.failure(current.with(command: batch.nextName)))
                }
                batch.promise.succeed(batch.results)
            case .subscription(_, _, _, let command, let promise):
                promise.fail(current.with(command: command))
            }
        }
    }

    /// Makes sure the timer fires no later than the oldest waiter's deadline.
    private func armTimer(context: ChannelHandlerContext) {
        guard let deadline = queue.first?.deadline else { return }
        if timer != nil, let armed = timerDeadline, armed <= deadline { return }
        timer?.cancel()
        timerDeadline = deadline
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            timer = nil
            timerDeadline = nil
            checkDeadline(context: context)
        }
    }

    private func checkDeadline(context: ChannelHandlerContext) {
        guard let head = queue.first else { return }
        guard let deadline = head.deadline, deadline <= .now() else {
            armTimer(context: context)
            return
        }
        let overdue = RedisError(.timeout, "no reply within the command timeout; the connection is closed and replaced",
                                 endpoint: endpoint)
        let behind = RedisError(.connectionClosed,
                                "the connection was closed because an earlier command timed out; the command may or may not have run",
                                endpoint: endpoint)
        fail(behind, first: overdue, context: context)
        context.close(promise: nil)
    }
}
