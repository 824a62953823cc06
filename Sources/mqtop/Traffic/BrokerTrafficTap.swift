import Foundation
import MQTTBroker
import MQTTCore
import Monitor
import Synchronization

/// The embedded broker's messages for the Topics pane. One shard per event loop, so loops never contend
/// with each other, only (briefly) with the console's drain. Between drains a shard keeps at most
/// `samplesPerShard` messages (references: payloads are not copied on the publish path) and only counts
/// the rest, so a flood costs the publish path an append or a counter, never a wait or a copy.
final class BrokerTrafficTap: MessageTap, TrafficSource {
    private final class Shard: Sendable {
        struct State {
            var kept: [BrokerMessage] = []
            var shed: [String: ShedCount] = [:]
        }
        let state = Mutex(State())
    }

    private let shards: [Shard]
    let samplesPerShard: Int

    init(loops: Int, samplesPerShard: Int = 5_000) {
        shards = (0..<max(1, loops)).map { _ in Shard() }
        self.samplesPerShard = samplesPerShard
    }

    func tap(_ message: BrokerMessage, loop: Int) {
        let limit = samplesPerShard
        shards[loop % shards.count].state.withLock { state in
            if state.kept.count < limit {
                state.kept.append(message)
            } else {
                let time = Date(timeIntervalSince1970: Double(message.timestampMillis) / 1000)
                state.shed[message.topic, default: ShedCount()].add(size: message.payload.readableBytes,
                                                                  qos: Int(message.qos.rawValue),
                                                                  retain: message.retain, time: time)
            }
        }
    }

    /// The kept messages of every shard in publish-time order, as samples; the shed counts merged.
    func drain() -> TrafficBatch {
        var kept: [BrokerMessage] = []
        var batch = TrafficBatch()
        for shard in shards {
            let state = shard.state.withLock { state -> Shard.State in
                defer { state = Shard.State() }
                return state
            }
            kept += state.kept
            batch.shed.merge(state.shed) { a, b in
                var sum = a
                sum.messages += b.messages
                sum.bytes += b.bytes
                if b.lastTime >= a.lastTime {
                    sum.lastQoS = b.lastQoS
                    sum.lastRetain = b.lastRetain
                    sum.lastTime = b.lastTime
                }
                return sum
            }
        }
        if shards.count > 1 { kept.sort { $0.timestampMillis < $1.timestampMillis } }
        batch.samples = kept.map(Self.sample)
        return batch
    }

    var trouble: String? { nil }

    static func sample(_ message: BrokerMessage) -> TrafficSample {
        let payload = message.payload.readableBytesView
        return TrafficSample(topic: message.topic, payload: Data(payload.prefix(TrafficLimits.payloadBytesKept)),
                             size: payload.count, qos: Int(message.qos.rawValue), retain: message.retain,
                             sender: message.publisher,
                             time: Date(timeIntervalSince1970: Double(message.timestampMillis) / 1000),
                             properties: TrafficProperties.lines(message.properties, expiresAt: message.expiresAt))
    }
}
