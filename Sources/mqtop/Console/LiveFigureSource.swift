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
        if let status = backend?.status {
            figures.backendBuffer = status.bufferDepth
            figures.backendDropped = status.dropped
        }
        return figures
    }
}
