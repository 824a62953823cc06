import MQTTCore
import NIOCore
import Synchronization

/// End-to-end flow control for QoS 1/2: while a connected subscriber's queue is backing up, publishers to
/// it get their PUBACK/PUBREC only once it drains. Their own inflight windows then pace them, so the
/// queue stays under its bound and nothing is dropped (Mosquitto drops most messages of an 8→1 QoS 1
/// fan-in instead).
///
/// A subscriber that stops reading must not stall its publishers for good: parked acknowledgements are
/// released at least every `maximumHold`, whatever the queue does.
///
/// The state is stored in each `SessionHandle` (one lock and one flag, no object of its own per
/// connection); this file holds the types and the operations.
enum FlowControl {
    /// An acknowledgement a publisher is owed.
    struct ParkedAck: Sendable {
        let publisher: SessionHandle
        let connection: ClientConnection
        let packet: PublishAckPacket
    }

    /// The acknowledgements parked while congested; nil while not (one word, so the lock and it take 16
    /// bytes of the handle).
    struct State {
        var parked: [ParkedAck]?
    }

    static let maximumHold = TimeAmount.seconds(1)
}

extension SessionHandle {
    /// Read by publishers on any loop without a lock.
    var isCongested: Bool { congestedFlag.load(ordering: .relaxed) }

    /// Keeps `ack` until release; false when the queue is no longer congested (acknowledge now).
    func parkAck(_ ack: FlowControl.ParkedAck) -> Bool {
        flowState.withLock { state in
            guard state.parked != nil else { return false }
            state.parked?.append(ack)
            return true
        }
    }

    /// Turns congestion on; the caller schedules `releaseAll` at `maximumHold`.
    func congestFlow() {
        flowState.withLock { state in
            if state.parked == nil { state.parked = [] }
        }
        congestedFlag.store(true, ordering: .relaxed)
    }

    /// Turns congestion off and sends every parked acknowledgement from its publisher's loop.
    func relieveFlow() {
        congestedFlag.store(false, ordering: .relaxed)
        let parked = flowState.withLock { state -> [FlowControl.ParkedAck] in
            defer { state.parked = nil }
            return state.parked ?? []
        }
        Self.release(parked)
    }

    /// Sends the acknowledgements parked so far but stays congested (the hold limit ran out).
    func releaseParkedAcks() {
        let parked = flowState.withLock { state -> [FlowControl.ParkedAck] in
            defer { if state.parked != nil { state.parked = [] } }
            return state.parked ?? []
        }
        Self.release(parked)
    }

    private static func release(_ parked: [FlowControl.ParkedAck]) {
        for ack in parked {
            ack.publisher.withSession { session in
                // A publisher that reconnected resends the message (DUP) and is acknowledged then.
                guard session.connection === ack.connection else { return }
                session.send(.publishAck(ack.packet))
            }
        }
    }
}
