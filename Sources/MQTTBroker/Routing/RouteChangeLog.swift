import Collections
import MQTTCore
import Synchronization

/// Every subscription change, in the order the broker read them, for the loops' replicas of the tree.
///
/// Each event loop matches publishes against its own `SubscriptionTrie`, so routing takes no lock. A change
/// is appended here the moment its SUBSCRIBE or UNSUBSCRIBE is read, and a loop brings its replica up to the
/// log's head before it routes anything: once the broker has read a SUBSCRIBE, every PUBLISH it reads
/// afterwards, on any connection, matches it. The check on the publish path is one atomic load; the lock is
/// taken only by a loop that is behind.
final class RouteChangeLog: Sendable {
    enum Change: Sendable {
        case add(SubscriptionTarget, Route)
        case remove(SubscriptionTarget, SessionHandle)
    }

    private struct State {
        /// The sequence number of `changes.first`.
        var base: UInt64 = 0
        var changes: Deque<Change> = []
        /// How far each loop has applied; changes every loop has applied are dropped.
        var applied: [UInt64]
    }

    private let state: Mutex<State>
    /// The sequence number the next change gets: a loop whose position equals it is current.
    private let headPosition = Atomic<UInt64>(0)

    init(loops: Int) {
        state = Mutex(State(applied: Array(repeating: 0, count: loops)))
    }

    var head: UInt64 { headPosition.load(ordering: .sequentiallyConsistent) }

    /// Appends `change`; it is visible to the next `changes(after:)` on any loop.
    func append(_ change: Change) {
        state.withLock { state in
            state.changes.append(change)
            headPosition.store(state.base + UInt64(state.changes.count), ordering: .sequentiallyConsistent)
        }
    }

    /// The changes after `position` (a loop's last applied), and the position after them. The caller applies
    /// them at once, so `loop` counts as current from here, and what every loop has applied is dropped.
    func changes(after position: UInt64, loop: Int) -> (changes: [Change], next: UInt64) {
        state.withLock { state in
            let start = Int(position - state.base)
            let pending = Array(state.changes[start...])
            let next = state.base + UInt64(state.changes.count)
            state.applied[loop] = next
            let oldest = state.applied.min() ?? next
            if oldest > state.base {
                state.changes.removeFirst(Int(oldest - state.base))
                state.base = oldest
            }
            return (pending, next)
        }
    }

    /// Changes no loop has applied yet (for tests and `$SYS`).
    var backlog: Int { state.withLock { $0.changes.count } }
}
