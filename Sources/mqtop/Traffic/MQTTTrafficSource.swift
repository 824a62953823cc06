import ConsoleUI
import Foundation
import Logging
import MQTTClient
import MQTTCore
import Monitor
import NIOCore
import ServiceLifecycle
import Synchronization

/// Attach mode's traffic: a subscription to `#` and `$SYS/#` on the broker that writes the Redis (EMQX,
/// Mosquitto, mqtop), kept connected for the console's life. At QoS 2 with Retain As Published, so each
/// message shows the QoS and retain flag it was published with; `$SYS` also feeds the figures line.
/// `P` publishes over the same connection.
final class MQTTTrafficSource: TrafficSource, ConsoleBrokerActions, Service, Sendable {
    private struct State {
        var buffer = TrafficBuffer<TrafficSample>(limit: 10_000, perSecond: 4_000)
        var sys = SysFigures()
        var trouble: String? = "connecting to MQTT"
        var client: MQTTClient?
    }

    let url: MQTTURL
    private let logger: Logger
    private let clientID = "mqtop-attach-" + String(UInt32.random(in: 0...UInt32.max), radix: 36)
    private let state = Mutex(State())

    init(url: MQTTURL, logger: Logger) {
        self.url = url
        self.logger = logger
    }

    /// Until the service group shuts down.
    func run() async throws {
        await cancelWhenGracefulShutdown { await self.follow() }
    }

    /// Connects, subscribes and reads until cancelled, reconnecting with a growing pause (1 s to 10 s).
    func follow() async {
        var pause = 1
        while !Task.isCancelled {
            do {
                var options = try url.options(clientID: clientID)
                options.eventBufferLimit = 16 // only `messages` is read here
                let client = try await MQTTClient.connect(options)
                _ = try await client.subscribe([
                    SubscriptionRequest(filter: "#", qos: .exactlyOnce, retainAsPublished: true),
                    SubscriptionRequest(filter: "$SYS/#", qos: .exactlyOnce, retainAsPublished: true),
                ])
                state.withLock {
                    $0.client = client
                    $0.trouble = nil
                }
                logger.info("traffic: subscribed to # and $SYS/# on \(url)")
                pause = 1
                await withTaskCancellationHandler {
                    for await message in client.messages { record(message) }
                } onCancel: {
                    Task { await client.close() }
                }
                state.withLock { $0.client = nil }
                note("MQTT connection to \(url) closed; reconnecting")
            } catch {
                note("cannot subscribe on \(url): \(error); retrying in \(pause) s")
            }
            try? await Task.sleep(for: .seconds(pause))
            pause = min(pause * 2, 10)
        }
        let client = state.withLock { $0.client }
        await client?.disconnect()
    }

    private func note(_ trouble: String) {
        let changed = state.withLock { state -> Bool in
            defer { state.trouble = trouble }
            return state.trouble != trouble
        }
        if changed { logger.warning("traffic: \(trouble)") }
    }

    private func record(_ message: ReceivedMessage) {
        let now = Date()
        state.withLock { state in
            if message.topic.hasPrefix("$SYS/") {
                state.sys.apply(topic: message.topic, payload: message.payloadString, at: now)
            }
            state.buffer.add(Self.sample(message, at: now), topic: message.topic, size: message.payload.readableBytes,
                             qos: Int(message.qos.rawValue), retain: message.retain,
                             unixSecond: Int64(now.timeIntervalSince1970), time: now)
        }
    }

    static func sample(_ message: ReceivedMessage, at time: Date) -> TrafficSample {
        let payload = message.payload.readableBytesView
        return TrafficSample(topic: message.topic, payload: Data(payload.prefix(TrafficLimits.payloadBytesKept)),
                             size: payload.count, qos: Int(message.qos.rawValue), retain: message.retain,
                             time: time, properties: TrafficProperties.lines(message.properties))
    }

    func drain() -> TrafficBatch {
        let taken = state.withLock { $0.buffer.take() }
        return TrafficBatch(samples: taken.kept, shed: taken.shed)
    }

    var trouble: String? { state.withLock { $0.trouble } }
    var brokerFigures: BrokerFigures? { state.withLock { $0.sys.figures } }

    func publish(topic: String, payload: String, qos: Int, retain: Bool) async throws {
        guard let client = state.withLock({ $0.client }) else {
            throw ConsoleActionError(description: "not connected to \(url)")
        }
        guard let level = QoS(rawValue: UInt8(clamping: qos)) else { throw ConsoleActionError(description: "QoS \(qos)") }
        try await client.publish(topic, payload, qos: level, retain: retain)
    }

    func kick(clientID: String) async throws {
        throw ConsoleActionError(description: UIStrings.kickUnavailable)
    }
}
