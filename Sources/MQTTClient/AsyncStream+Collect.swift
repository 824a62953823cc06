/// Bounded waits on a client's streams: a test, the demo or the load tool never hangs on a silent broker.
extension AsyncStream where Element == ReceivedMessage {
    /// The next `count` messages; throws `timeout` if they do not all arrive within `timeout`.
    public func next(_ count: Int, timeout: Duration = .seconds(15)) async throws -> [ReceivedMessage] {
        let stream = self
        return try await withBound(timeout, "\(count) messages") {
            var result: [ReceivedMessage] = []
            for await message in stream {
                result.append(message)
                if result.count == count { return result }
            }
            throw MQTTClientError(.connectionClosed, "stream ended after \(result.count) of \(count) messages")
        }
    }
}

extension AsyncStream where Element == MQTTClientEvent {
    /// Waits for the first event `match` returns a value for.
    public func first<T: Sendable>(timeout: Duration = .seconds(15), _ what: String,
                                   where match: @escaping @Sendable (MQTTClientEvent) -> T?) async throws -> T {
        let stream = self
        return try await withBound(timeout, what) {
            for await event in stream {
                if let value = match(event) { return value }
            }
            throw MQTTClientError(.connectionClosed, "stream ended before \(what)")
        }
    }
}

/// Runs `operation`, failing with a timeout error naming `what` after `timeout`.
func withBound<T: Sendable>(_ timeout: Duration, _ what: String,
                            _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: timeout)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else {
            throw MQTTClientError(.timeout, "timed out after \(timeout) waiting for \(what)")
        }
        return value
    }
}
