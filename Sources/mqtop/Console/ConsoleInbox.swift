import Monitor
import Synchronization

/// Where background tasks leave news for the UI thread, which drains it between key reads. Snapshots
/// coalesce: only the newest of each kind is kept, so a burst of sweeps costs one redraw.
final class ConsoleInbox: Sendable {
    private struct State {
        var snapshot: DashboardSnapshot?
        var live: LiveFigures?
        var statuses: [String] = []
        var stop = false
    }

    struct Drained {
        var snapshot: DashboardSnapshot?
        var live: LiveFigures?
        var statuses: [String]
        var stop: Bool
    }

    private let state = Mutex(State())

    func post(_ snapshot: DashboardSnapshot) { state.withLock { $0.snapshot = snapshot } }
    func post(_ live: LiveFigures) { state.withLock { $0.live = live } }
    func post(status: String) { state.withLock { $0.statuses.append(status) } }
    func requestStop() { state.withLock { $0.stop = true } }

    func drain() -> Drained {
        state.withLock { state in
            defer {
                state.snapshot = nil
                state.live = nil
                state.statuses.removeAll()
            }
            return Drained(snapshot: state.snapshot, live: state.live, statuses: state.statuses, stop: state.stop)
        }
    }
}
