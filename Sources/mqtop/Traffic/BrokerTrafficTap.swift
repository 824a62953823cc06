import Foundation
import MQTTBroker
import MQTTCore
import Monitor
import Synchronization

/// The embedded broker's messages for the Topics pane. One shard per event loop, so loops never contend
/// with each other, only (briefly) with the console's drain. A shard keeps references between drains
/// (payloads are not copied on the publish path), at most `samplesPerSecond` a second, and only counts
/// the rest, so a flood costs the publish path an append or a counter, never a wait or a copy, and the
/// console's thread (which shares the cores with the loops) a bounded number of samples to store.
final class BrokerTrafficTap: MessageTap, TrafficSource {
    private final class Shard: Sendable {
        let buffer: Mutex<TrafficBuffer<BrokerMessage>>
        init(perSecond: Int) { buffer = Mutex(TrafficBuffer(limit: perSecond, perSecond: perSecond)) }
    }

    private let shards: [Shard]

    /// - Parameter samplesPerSecond: kept per loop each second; the rest is counted.
    init(loops: Int, samplesPerSecond: Int = 1_000) {
        shards = (0..<max(1, loops)).map { _ in Shard(perSecond: samplesPerSecond) }
    }

    func tap(_ message: BrokerMessage, loop: Int) {
        shards[loop % shards.count].buffer.withLock { buffer in
            buffer.add(message, topic: message.topic, size: message.payload.readableBytes,
                       qos: Int(message.qos.rawValue), retain: message.retain,
                       unixSecond: message.timestampMillis / 1000,
                       time: Date(timeIntervalSince1970: Double(message.timestampMillis) / 1000))
        }
    }

    /// The kept messages of every shard in publish-time order, as samples; the shed counts merged.
    func drain() -> TrafficBatch {
        var kept: [BrokerMessage] = []
        var batch = TrafficBatch()
        for shard in shards {
            let taken = shard.buffer.withLock { $0.take() }
            kept += taken.kept
            batch.shed.merge(taken.shed) { $0.merged(with: $1) }
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
