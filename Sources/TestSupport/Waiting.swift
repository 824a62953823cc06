import Foundation

/// A bounded wait ran out: names what was awaited, so a red test says what never happened.
public struct WaitTimeout: Error, CustomStringConvertible {
    public let what: String
    public let after: Duration
    public init(what: String, after: Duration) {
        self.what = what
        self.after = after
    }
    public var description: String { "timed out after \(after) waiting for \(what)" }
}

/// Polls `condition` until it holds or `timeout` passes. The poll interval is a bound on latency, never a
/// synchronisation: the condition is what the test waits for.
public func waitUntil(
    _ what: String,
    timeout: Duration = .seconds(10),
    poll: Duration = .milliseconds(20),
    _ condition: () async throws -> Bool
) async throws {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: timeout)
    while true {
        if try await condition() { return }
        if clock.now >= deadline { throw WaitTimeout(what: what, after: timeout) }
        try await Task.sleep(for: poll)
    }
}

/// Polls `produce` until it returns a value or `timeout` passes.
public func waitForValue<T>(
    _ what: String,
    timeout: Duration = .seconds(10),
    poll: Duration = .milliseconds(20),
    _ produce: () async throws -> T?
) async throws -> T {
    var result: T?
    try await waitUntil(what, timeout: timeout, poll: poll) {
        result = try await produce()
        return result != nil
    }
    guard let result else { throw WaitTimeout(what: what, after: timeout) }
    return result
}

/// Runs `operation` with a deadline; throws `WaitTimeout` if it does not finish in time.
public func withTimeout<T: Sendable>(
    _ what: String,
    _ timeout: Duration = .seconds(10),
    _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: timeout)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else {
            throw WaitTimeout(what: what, after: timeout)
        }
        return value
    }
}
