import NIOCore
import Synchronization

/// Whether the broker's event loops still take work handed over from another thread. The broker closes
/// it before its loops stop: a task handed to a stopped loop is lost, and SwiftNIO logs it today and will
/// crash on it (`SWIFTNIO_STRICT`, which the tests set, already does).
///
/// A hand-over counts itself in while it checks and queues, and `close` waits until none is counted in:
/// one that passed the check is queued before the loops begin to stop. No lock, so hand-overs from many
/// loops do not wait for each other; work already on its loop does not pass the gate at all.
final class LoopGate: Sendable {
    /// Hand-overs in progress, and `closed` once closing has begun.
    private let state = Atomic<Int>(0)
    private static let closed = 1 << 62

    /// Runs `task` on `loop`: at once when already there, else queued unless the gate is closed.
    func execute(on loop: EventLoop, _ task: @escaping @Sendable () -> Void) {
        if loop.inEventLoop {
            task()
        } else {
            enqueue(on: loop, task)
        }
    }

    /// Queues `task` on `loop` even when already there (to run after the current one), unless closed.
    func enqueue(on loop: EventLoop, _ task: @escaping @Sendable () -> Void) {
        guard enter() else { return }
        loop.execute(task)
        leave()
    }

    /// `task`'s result from `loop`, or nil when the gate is closed (or the loop stopped before running it).
    func submit<T: Sendable>(on loop: EventLoop, _ task: @escaping @Sendable () -> T) async -> T? {
        guard enter() else { return nil }
        let future = loop.submit(task)
        leave()
        return try? await future.get()
    }

    /// From now on nothing more is handed to the loops; returns once what was being handed over is queued.
    func close() async {
        state.bitwiseOr(Self.closed, ordering: .acquiringAndReleasing)
        while state.load(ordering: .acquiring) != Self.closed {
            await Task.yield()
        }
    }

    private func enter() -> Bool {
        let before = state.wrappingAdd(1, ordering: .acquiringAndReleasing).oldValue
        guard before & Self.closed == 0 else {
            leave()
            return false
        }
        return true
    }

    private func leave() {
        state.wrappingSubtract(1, ordering: .releasing)
    }
}
