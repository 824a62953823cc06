import Synchronization

/// Keeps the latest ``RedisHealth`` and hands changes to every `AsyncStream` asked for.
final class HealthBroadcaster: Sendable {
    private struct State {
        var current: RedisHealth
        var continuations: [Int: AsyncStream<RedisHealth>.Continuation] = [:]
        var nextID = 0
        var finished = false
    }

    private let state: Mutex<State>

    init(_ initial: RedisHealth) {
        state = Mutex(State(current: initial))
    }

    var current: RedisHealth { state.withLock { $0.current } }

    /// Publishes `health` if it differs from the current snapshot.
    func update(_ health: RedisHealth) {
        let targets: [AsyncStream<RedisHealth>.Continuation] = state.withLock { state in
            guard !state.finished, state.current != health else { return [] }
            state.current = health
            return Array(state.continuations.values)
        }
        for continuation in targets { continuation.yield(health) }
    }

    /// A stream starting with the current snapshot, then every change; only the newest is kept for a slow reader.
    func stream() -> AsyncStream<RedisHealth> {
        let (stream, continuation) = AsyncStream.makeStream(of: RedisHealth.self, bufferingPolicy: .bufferingNewest(1))
        let (current, finished): (RedisHealth, Bool) = state.withLock { state in
            if !state.finished {
                let id = state.nextID
                state.nextID += 1
                state.continuations[id] = continuation
                continuation.onTermination = { [weak self] _ in
                    self?.state.withLock { _ = $0.continuations.removeValue(forKey: id) }
                }
            }
            return (state.current, state.finished)
        }
        continuation.yield(current)
        if finished { continuation.finish() }
        return stream
    }

    /// Publishes `last` and ends every stream.
    func finish(_ last: RedisHealth) {
        let targets: [AsyncStream<RedisHealth>.Continuation] = state.withLock { state in
            state.current = last
            state.finished = true
            defer { state.continuations.removeAll() }
            return Array(state.continuations.values)
        }
        for continuation in targets {
            continuation.yield(last)
            continuation.finish()
        }
    }
}
