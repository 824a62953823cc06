@testable import MQTTBroker
import MQTTCore
import NIOCore

/// A `SessionMachine` driven by hand: a manual clock, the actions it asked for, and its timers, which
/// fire when the clock is moved past them. No loop, no socket: each test runs in microseconds.
struct SessionMachineHarness {
    var machine: SessionMachine
    var output = RecordingOutput()
    /// The manual clock.
    private(set) var now = NIODeadline.uptimeNanoseconds(1_000_000_000)
    /// Timers the machine has set and not cancelled, with when they fall due.
    private(set) var timers: [SessionTimer: NIODeadline] = [:]

    init(version: MQTTVersion = .v5, _ configure: (inout BrokerConfiguration) -> Void = { _ in }) {
        var configuration = BrokerConfiguration()
        configure(&configuration)
        let client = ClientInfo(clientID: "c1", username: nil, address: "test", version: version, keepAlive: 60,
                                cleanStart: true)
        machine = SessionMachine(broker: SharedConfiguration(configuration), client: client)
    }

    /// Attaches a connection with `connect`; returns the actions, CONNACK first.
    @discardableResult
    mutating func connect(_ connect: ConnectPacket, sessionPresent: Bool = false) -> [Recorded] {
        let client = ClientInfo(clientID: connect.clientID, username: nil, address: "test", version: connect.version,
                                keepAlive: connect.keepAlive, cleanStart: connect.cleanStart)
        let now = now
        return step { $0.attach(connect, client: client, sessionPresent: sessionPresent, now: now, into: &$1) }
    }

    @discardableResult
    mutating func receive(_ packet: MQTTPacket) -> [Recorded] {
        let now = now
        return step { $0.receive(packet, now: now, into: &$1) }
    }

    @discardableResult
    mutating func deliver(_ message: BrokerMessage, qos: QoS? = nil) -> [Recorded] {
        let now = now
        let delivery = Delivery(message: message, qos: qos ?? message.qos, retain: false, subscriptionIdentifiers: [])
        return step { $0.deliver(delivery, now: now, into: &$1) }
    }

    @discardableResult
    mutating func lose(reason: String = "connection closed", withWill: Bool = true) -> [Recorded] {
        step { $0.connectionLost(reason: reason, publishWill: withWill, ending: .none, into: &$1) }
    }

    /// The socket takes more again.
    @discardableResult
    mutating func writable() -> [Recorded] {
        output.canWrite = true
        let now = now
        return step { $0.drainPending(now: now, into: &$1) }
    }

    /// Moves the clock; every timer that falls due fires, in order. Returns what they did.
    @discardableResult
    mutating func advance(by time: TimeAmount) -> [Recorded] {
        let target = now + time
        var actions: [Recorded] = []
        while let (timer, due) = timers.filter({ $0.value <= target }).min(by: { $0.value < $1.value }) {
            now = due
            timers[timer] = nil
            let now = now
            actions += step { $0.timerFired(timer, now: now, into: &$1) }
        }
        now = target
        return actions
    }

    /// Runs one input and returns the actions it produced, keeping `timers` up to date.
    mutating func step(_ input: (inout SessionMachine, inout RecordingOutput) -> Void) -> [Recorded] {
        output.actions.removeAll()
        input(&machine, &output)
        for action in output.actions {
            switch action {
            case .action(.schedule(let timer, let delay)): timers[timer] = now + delay
            case .action(.cancel(let timer)): timers[timer] = nil
            default: break
            }
        }
        return output.actions
    }

    /// A message as the router would hand it over.
    func message(_ topic: String, _ payload: String = "x", qos: QoS = .atLeastOnce,
                 expiresIn: TimeAmount? = nil) -> BrokerMessage {
        BrokerMessage(id: MessageID(high: 1, low: UInt64(payload.hashValue.magnitude)), topic: topic,
                      payload: ByteBuffer(string: payload), qos: qos, retain: false, publisher: "p",
                      expiresAt: expiresIn.map { now + $0 }, timestampMillis: 0)
    }
}

/// One output of the machine, in the order it was given.
enum Recorded {
    case write(MQTTPacket)
    case route(InboundPublish)
    case action(SessionAction)
}

/// Records what the machine asked for; `canWrite` plays the socket.
struct RecordingOutput: SessionOutput {
    var canWrite = true
    var actions: [Recorded] = []

    mutating func write(_ packet: MQTTPacket) { actions.append(.write(packet)) }
    mutating func route(_ publish: InboundPublish) { actions.append(.route(publish)) }
    mutating func perform(_ action: SessionAction) { actions.append(.action(action)) }
}

extension Array where Element == Recorded {
    /// The packets written, in order.
    var written: [MQTTPacket] {
        compactMap { if case .write(let packet) = $0 { packet } else { nil } }
    }

    /// The publishes written.
    var publishes: [PublishPacket] {
        written.compactMap { if case .publish(let publish) = $0 { publish } else { nil } }
    }

    var acknowledgements: [PublishAckPacket] {
        written.compactMap { if case .publishAck(let ack) = $0 { ack } else { nil } }
    }

    var routed: [InboundPublish] {
        compactMap { if case .route(let publish) = $0 { publish } else { nil } }
    }

    var willsPublished: [WillMessage] {
        compactMap { if case .action(.publishWill(let will)) = $0 { will } else { nil } }
    }

    var acked: [BrokerMessage] {
        compactMap { if case .action(.acked(let message)) = $0 { message } else { nil } }
    }

    var detached: [ConnectionEnding] {
        compactMap { if case .action(.detach(_, let ending)) = $0 { ending } else { nil } }
    }

    var violations: [ReasonCode] {
        compactMap { if case .action(.violation(let reason, _, _)) = $0 { reason } else { nil } }
    }

    var flowChanges: [FlowChange] {
        compactMap { if case .action(.flow(let change)) = $0 { change } else { nil } }
    }

    var hasEnded: Bool {
        contains { if case .action(.ended) = $0 { true } else { false } }
    }
}
