import Foundation
import MQTTBroker
import MQTTCore
import NIOCore

/// What the console's `P` and `k` keys act through: the embedded broker, or attach mode's `--mqtt` link.
protocol ConsoleBrokerActions: Sendable {
    func publish(topic: String, payload: String, qos: Int, retain: Bool) async throws
    func kick(clientID: String) async throws
}

struct ConsoleActionError: Error, CustomStringConvertible {
    let description: String
}

/// The embedded broker: publishes in-process as client `mqtop-console`, kicks its own connections.
struct EmbeddedBrokerActions: ConsoleBrokerActions {
    static let clientID = "mqtop-console"
    let broker: Broker

    func publish(topic: String, payload: String, qos: Int, retain: Bool) async throws {
        guard let level = QoS(rawValue: UInt8(clamping: qos)) else { throw ConsoleActionError(description: "QoS \(qos)") }
        let message = broker.makeMessage(topic: topic, payload: ByteBuffer(string: payload), qos: level,
                                         retain: retain, publisher: Self.clientID)
        broker.publish(message)
    }

    func kick(clientID: String) async throws {
        guard await broker.disconnect(clientID: clientID, reason: .administrativeAction) else {
            throw ConsoleActionError(description: "\(clientID) is not connected to this broker")
        }
    }
}
