import NIOCore

/// The deadlines of every connection on one event loop (the CONNECT timeout, the keepalive) checked by
/// one repeating task per loop, instead of a task scheduled per connection: each of those costs an idle
/// connection about 0.2 kB (the task, its closure, its promise) and is re-armed on every check.
///
/// Loop-confined, owned by the loop's `LoopRouter`. Deadlines are met within `resolution`. The handlers
/// sit in an array and remember their slot, so watching and unwatching cost no hashing and 8 bytes each.
final class ConnectionClock {
    static let resolution: TimeAmount = .milliseconds(250)

    private let loop: EventLoop
    private var watched: [MQTTServerHandler] = []
    private var task: RepeatedTask?

    init(loop: EventLoop) {
        self.loop = loop
    }

    func watch(_ handler: MQTTServerHandler) {
        loop.preconditionInEventLoop()
        guard handler.clockSlot == nil else { return }
        handler.clockSlot = watched.count
        watched.append(handler)
        if task == nil {
            let bound = NIOLoopBound(self, eventLoop: loop)
            task = loop.scheduleRepeatedTask(initialDelay: Self.resolution, delay: Self.resolution) { _ in
                bound.value.tick()
            }
        }
    }

    func unwatch(_ handler: MQTTServerHandler) {
        guard let slot = handler.clockSlot, slot < watched.count, watched[slot] === handler else { return }
        handler.clockSlot = nil
        let last = watched.removeLast()
        if slot < watched.count {
            watched[slot] = last
            last.clockSlot = slot
        }
        if watched.isEmpty {
            task?.cancel()
            task = nil
        }
    }

    /// Finds the connections past a deadline first, then acts: acting closes channels, which unwatches.
    private func tick() {
        let now = loop.now
        var due: [MQTTServerHandler] = []
        for handler in watched where handler.isPastDeadline(now) { due.append(handler) }
        for handler in due { handler.deadlinePassed(now) }
    }
}
