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
    /// The previous call's counters, and the sparkline's messages per second (in + out), oldest first.
    private let history = Mutex<(last: BrokerStatsSnapshot?, time: Date, rates: [Double])>((nil, Date(), []))

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
        var broker = brokerFigures(stats)
        figures.messageRates = history.withLock { history in
            let now = Date()
            if let last = history.last {
                let seconds = max(now.timeIntervalSince(history.time), 0.001)
                let received = Double(max(0, stats.publishReceived - last.publishReceived)) / seconds
                let sent = Double(max(0, stats.publishSent - last.publishSent)) / seconds
                broker.messagesInPerSecond = received
                broker.messagesOutPerSecond = sent
                history.rates.append(received + sent)
                if history.rates.count > 60 { history.rates.removeFirst() }
            }
            history.last = stats
            history.time = now
            return history.rates
        }
        figures.broker = broker
        if let status = backend?.status {
            figures.backendBuffer = status.bufferDepth
            figures.backendDropped = status.dropped
        }
        return figures
    }

    /// The counters as they are (the rates come from `history`).
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
        return result
    }
}
