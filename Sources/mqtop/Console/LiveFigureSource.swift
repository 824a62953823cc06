import Foundation
import MQTTBroker
import Monitor
import RedisBackend
import Synchronization

/// The embedded broker's figures for the console, once a second: per-client details, listeners, and a
/// messages-per-second history for the header's sparkline.
final class LiveFigureSource: Sendable {
    private let broker: Broker
    private let backend: RedisBackend?
    private let history = Mutex<(lastCount: Int?, lastTime: Date, rates: [Double])>((nil, Date(), []))
    private let lastStats = Mutex<(stats: BrokerStatsSnapshot, time: Date)?>(nil)

    init(broker: Broker, backend: RedisBackend?) {
        self.broker = broker
        self.backend = backend
    }

    func figures() async -> LiveFigures {
        var figures = LiveFigures()
        figures.clients = await broker.clients().map { client in
            LiveFigures.Client(clientID: client.clientID, connected: client.connected, address: client.address,
                               protocolVersion: client.version.description, keepAlive: Int(client.keepAlive),
                               inflight: client.inflight, queued: client.queued, subscriptions: client.subscriptions)
        }
        let stats = broker.stats
        figures.listeners = broker.configuration.listeners.map(\.description)
        figures.connections = stats.connectedClients
        figures.inflight = stats.inflight
        figures.messageRates = history.withLock { history in
            let now = Date()
            let total = stats.publishReceived + stats.publishSent
            if let last = history.lastCount {
                let seconds = max(now.timeIntervalSince(history.lastTime), 0.001)
                history.rates.append(Double(max(total - last, 0)) / seconds)
                if history.rates.count > 60 { history.rates.removeFirst() }
            }
            history.lastCount = total
            history.lastTime = now
            return history.rates
        }
        figures.broker = brokerFigures(stats)
        if let status = backend?.status {
            figures.backendBuffer = status.bufferDepth
            figures.backendDropped = status.dropped
        }
        return figures
    }

    /// Counters as they are, rates from the change since the last call.
    private func brokerFigures(_ stats: BrokerStatsSnapshot) -> BrokerFigures {
        var result = BrokerFigures()
        result.node = broker.nodeName
        result.uptimeSeconds = Int(stats.uptimeSeconds)
        result.connections = stats.connectedClients
        result.bytesIn = stats.bytesReceived
        result.bytesOut = stats.bytesSent
        result.subscriptions = stats.subscriptions
        result.retained = stats.retained
        result.dropped = stats.publishDropped
        let now = Date()
        lastStats.withLock { last in
            if let last, now > last.time {
                let seconds = now.timeIntervalSince(last.time)
                result.messagesInPerSecond = Double(max(0, stats.publishReceived - last.stats.publishReceived)) / seconds
                result.messagesOutPerSecond = Double(max(0, stats.publishSent - last.stats.publishSent)) / seconds
            }
            last = (stats, now)
        }
        return result
    }
}
