import NIOCore
import Synchronization

/// Whether the broker's event loops still take work handed over from another thread. The broker closes
/// it before its loops stop: a task handed to a stopped loop is lost, and SwiftNIO logs it today and will
/// crash on it (`SWIFTNIO_STRICT`, which the tests set, already does).
///
/// The check and the hand-over happen under one lock, so a hand-over that passed the check is queued
/// before the loops begin to stop. Only hops between threads pay for it; work already on its loop does not.
final class LoopGate: Sendable {
    private let open = Mutex(true)

    /// Runs `task` on `loop`: at once when already there, else queued unless the gate is closed.
    func execute(on loop: EventLoop, _ task: @escaping @Sendable () -> Void) {
        if loop.inEventLoop {
            task()
            return
        }
        open.withLock { isOpen in
            if isOpen { loop.execute(task) }
        }
    }

    /// Queues `task` on `loop` even when already there (to run after the current one), unless closed.
    func enqueue(on loop: EventLoop, _ task: @escaping @Sendable () -> Void) {
        open.withLock { isOpen in
            if isOpen { loop.execute(task) }
        }
    }

    /// `task`'s result from `loop`, or nil when the gate is closed (or the loop stopped before running it).
    func submit<T: Sendable>(on loop: EventLoop, _ task: @escaping @Sendable () -> T) async -> T? {
        let future: EventLoopFuture<T>? = open.withLock { $0 ? loop.submit(task) : nil }
        return try? await future?.get()
    }

    /// From now on nothing more is handed to the loops.
    func close() {
        open.withLock { $0 = false }
    }
}
