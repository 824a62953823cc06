#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The commands the rules produced on one broker event loop during its current tick, handed to their
/// pools' queues together when the broker says the tick ends (`BrokerEventSink.laneTickEnds`): one lock
/// and one writer wake-up per tick and pool, instead of one per event.
///
/// `@unchecked Sendable`: only the lane's own loop touches `runs` (the broker calls `handle(_:lane:)`
/// and `laneTickEnds` there), and `lanesStopped` once that loop has stopped. A rule's reply handler runs
/// elsewhere later, with the same context: `isOwnersThread` sends its commands to the queue directly.
final class CommandLane: @unchecked Sendable {
    /// Runs of consecutive commands for one queue, in the order produced (one run per tick, usually).
    private var runs: [(queue: CommandQueue, entries: [CommandQueue.Entry])] = []
    /// Stored messages' sorted-set ids held back while only stored messages follow.
    private var members: SortedSetMembers?
    /// The loop thread that dispatches into this lane, recorded the first time it does.
    private let owner = Atomic<UInt>(0)

    /// Called on the lane's loop before each event it dispatches.
    func claim() {
        if owner.load(ordering: .relaxed) == 0 { owner.store(UInt(pthread_self()), ordering: .relaxed) }
    }

    var isOwnersThread: Bool { owner.load(ordering: .relaxed) == UInt(pthread_self()) }

    func append(_ entries: [CommandQueue.Entry], to queue: CommandQueue) {
        appendMembers()
        appendRun(entries, to: queue)
    }

    /// A stored message's commands, and its id for its topic's sorted set, which waits (see
    /// `SortedSetMembers`) for the ids of the messages stored after it until another command comes.
    func appendStoredMessage(_ entries: [CommandQueue.Entry], id: String, topic: String, to queue: CommandQueue,
                             origin: String) {
        if let pending = members, pending.queue !== queue || pending.origin != origin { appendMembers() }
        appendRun(entries, to: queue)
        if members == nil { members = SortedSetMembers(queue: queue, origin: origin) }
        members?.add(id, topic: topic) // in place: no copy of the ids so far
        if let count = members?.count, count >= SortedSetMembers.limit { appendMembers() }
    }

    private func appendMembers() {
        guard let pending = members else { return }
        members = nil
        appendRun(pending.entries(), to: pending.queue)
    }

    private func appendRun(_ entries: [CommandQueue.Entry], to queue: CommandQueue) {
        if let last = runs.indices.last, runs[last].queue === queue {
            runs[last].entries.append(contentsOf: entries)
        } else {
            runs.append((queue, entries))
        }
    }

    /// Everything buffered, to each queue in the order it was produced.
    func flush() {
        appendMembers()
        guard !runs.isEmpty else { return }
        for run in runs { run.queue.enqueue(run.entries) }
        runs.removeAll(keepingCapacity: true)
    }
}
