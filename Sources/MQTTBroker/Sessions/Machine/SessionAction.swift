import Logging
import MQTTCore
import NIOCore

/// What a `SessionMachine` asks for, besides writing packets and routing publishes (`SessionOutput`).
/// The machine decides; `Session` carries these out on the session's loop (and a test records them).
/// Ordered: each is performed before the next is asked for. Kept small (the rare large payloads boxed):
/// every action is passed by value, several per delivery.
enum SessionAction {
    /// The connection being attached becomes the session's (before its CONNACK is written).
    case attach
    /// The attached connection is no longer the session's; `ending` says what happens to the socket.
    case detach(reason: String, ending: ConnectionEnding)
    /// A delivery just written (count it, tell the hooks).
    case transmitted(Delivery)
    /// A message the client acknowledged (QoS 1 PUBACK, QoS 2 PUBREC): the `message.acked` hook.
    case acked(BrokerMessage)
    /// Publish the will (already checked against the client's permissions). May reach this session again
    /// (a will to a topic it subscribes), so `Session` does it once the input has returned.
    indirect case publishWill(WillMessage)
    /// A subscription that wants retained messages now (Retain Handling said so); done, like the will, once
    /// the input has returned.
    case sendRetained(SessionSubscription)
    case addRoute(SessionSubscription)
    case removeRoute(SubscriptionTarget)
    indirect case emit(BrokerEvent)
    case count(BrokerStats.Counter, Int)
    case schedule(SessionTimer, after: TimeAmount)
    case cancel(SessionTimer)
    /// Publishers' acknowledgements held for this session's queue (see `FlowControl`).
    case flow(FlowChange)
    /// The client broke the protocol: log it with the packet type and count it.
    case violation(ReasonCode, String, PacketType)
    case log(Logger.Level, String)
    /// The session is over: forget it.
    case ended(reason: String)

}

/// Where a machine's outputs go. `canWrite` is the one thing it asks of the transport: whether the
/// connection takes more now (attached, not closing, writable, this tick's output under its limit).
protocol SessionOutput {
    var canWrite: Bool { get }
    /// Encode `packet` into this tick's output to the attached connection. The most frequent output, and a
    /// packet is a few hundred bytes: passed on its own, not inside a `SessionAction`.
    mutating func write(_ packet: MQTTPacket)
    /// Route a message the client published, then send its acknowledgement (if any) as routing allows.
    mutating func route(_ publish: InboundPublish)
    mutating func perform(_ action: SessionAction)
}

/// What happens to the socket of a connection the session lets go.
enum ConnectionEnding: Equatable {
    /// It is gone already, or closes on its own (the client disconnected).
    case none
    case close
    /// DISCONNECT with the reason to a 5.0 client, else a close (`ClientConnection.end`).
    case end(ReasonCode)
}

/// The session's timers; firing one is an input (`SessionMachine.timerFired`).
enum SessionTimer: CaseIterable {
    /// A disconnected client's delayed will (§3.1.3.2.2).
    case will
    /// A disconnected session's expiry (§3.1.2.11.2).
    case expiry
    /// Parked acknowledgements never wait longer than `FlowControl.maximumHold`.
    case flow
}

enum FlowChange {
    case congest
    case relieve
    /// Send what is parked so far but stay congested.
    case releaseParked
}

/// A PUBLISH from the client, checked and ready to route.
struct InboundPublish {
    var topic: String
    var payload: ByteBuffer
    var qos: QoS
    var retain: Bool
    var properties: MQTTProperties?
    var expiresAt: NIODeadline?
    /// PUBACK or PUBREC owed for it once routed.
    var acknowledgement: (kind: PublishAckPacket.Kind, packetID: UInt16)?
}
