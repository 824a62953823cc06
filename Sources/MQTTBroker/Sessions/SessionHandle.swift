import NIOCore
import Synchronization

/// A session's address: which event loop owns it, and (on that loop only) the session itself.
///
/// Routes in every loop's subscription tree point at handles, so a publish on any loop knows where to send
/// a delivery without touching the session's state from the wrong thread.
///
/// `@unchecked Sendable`: the session reference is read and written only on `loop` (asserted), which a
/// `NIOLoopBoundBox` would check too at the price of one more object per connection.
final class SessionHandle: @unchecked Sendable {
    let clientID: String
    let loop: EventLoop
    /// Hops here from other threads go through it, so none lands on a stopped loop.
    private let gate: LoopGate
    private var storedSession: Session?
    // The small fields together, before the lock: 88 bytes, malloc's 96-byte class (an `Int` index and the
    // flags after the lock took 112).
    private let loopSlot: UInt16
    let congestedFlag = Atomic<Bool>(false)
    private let connectedFlag = Atomic<Bool>(false)
    /// Publishers' acknowledgements held while this session's queue backs up (see `FlowControl`).
    let flowState = Mutex(FlowControl.State())

    init(clientID: String, loop: EventLoop, loopIndex: Int, gate: LoopGate) {
        self.clientID = clientID
        self.loop = loop
        self.gate = gate
        loopSlot = UInt16(loopIndex)
    }

    /// The owning loop's place in the broker's list of loops.
    var loopIndex: Int { Int(loopSlot) }

    /// The session; nil once it has ended. Only on `loop`.
    var session: Session? {
        get {
            loop.assertInEventLoop()
            return storedSession
        }
        set {
            loop.assertInEventLoop()
            storedSession = newValue
        }
    }

    /// Whether a client is attached now; read from any loop (shared subscriptions prefer connected members).
    var isConnected: Bool {
        get { connectedFlag.load(ordering: .relaxed) }
        set { connectedFlag.store(newValue, ordering: .relaxed) }
    }


    /// Runs `body` with the session on its loop, hopping there if needed. Nothing runs if it has ended,
    /// or if the broker is stopping and the hop is not taken.
    func withSession(_ body: @escaping @Sendable (Session) -> Void) {
        gate.execute(on: loop) {
            if let session = self.session { body(session) }
        }
    }

    /// Like `withSession`, but always as a task of its own, even on the session's loop: for callbacks that
    /// may come while the session is in the middle of an input (its machine must not be entered twice).
    func withSessionLater(_ body: @escaping @Sendable (Session) -> Void) {
        gate.enqueue(on: loop) {
            if let session = self.session { body(session) }
        }
    }
}
