import Synchronization

/// Waiting for a task with a bound: unlike a task group, which waits for every child before it returns,
/// this comes back at the deadline even when the task does not react to cancellation.
enum Deadline {
    /// True when `task` finished within `limit`; false at the limit (the task goes on).
    static func wait(for task: Task<Void, Never>, at limit: Duration) async -> Bool {
        await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let answer = FirstAnswer(continuation)
            Task {
                await task.value
                answer.give(true)
            }
            Task {
                try? await Task.sleep(for: limit)
                answer.give(false)
            }
        }
    }

    /// Resumes a continuation with the first value given, once.
    private final class FirstAnswer: Sendable {
        private let continuation: Mutex<CheckedContinuation<Bool, Never>?>

        init(_ continuation: CheckedContinuation<Bool, Never>) {
            self.continuation = Mutex(continuation)
        }

        func give(_ value: Bool) {
            continuation.withLock { pending in
                defer { pending = nil }
                return pending
            }?.resume(returning: value)
        }
    }
}
