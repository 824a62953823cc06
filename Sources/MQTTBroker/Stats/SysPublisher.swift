import MQTTCore
import NIOCore

/// Publishes `$SYS/broker/...` as retained messages at a fixed interval, with Mosquitto's topic names so
/// existing dashboards read them.
struct SysPublisher {
    let core: BrokerCore

    func start(every interval: TimeAmount) {
        let loop = core.routers.entries[0].loop
        let core = self.core
        loop.scheduleRepeatedTask(initialDelay: .zero, delay: interval) { _ in
            let stats = core.statsSnapshot()
            let values: [(String, String)] = [
                ("version", "mqtop"),
                ("uptime", "\(stats.uptimeSeconds) seconds"),
                ("clients/connected", "\(stats.connectedClients)"),
                ("clients/total", "\(stats.sessions)"),
                ("messages/received", "\(stats.messagesReceived)"),
                ("messages/sent", "\(stats.messagesSent)"),
                ("publish/messages/received", "\(stats.publishReceived)"),
                ("publish/messages/sent", "\(stats.publishSent)"),
                ("publish/messages/dropped", "\(stats.publishDropped)"),
                ("bytes/received", "\(stats.bytesReceived)"),
                ("bytes/sent", "\(stats.bytesSent)"),
                ("subscriptions/count", "\(stats.subscriptions)"),
                ("retained messages/count", "\(stats.retained)"),
                ("messages/inflight", "\(stats.inflight)"),
                ("messages/queued", "\(stats.queued)"),
            ]
            for (name, value) in values {
                let message = core.makeMessage(topic: "$SYS/broker/\(name)", payload: ByteBuffer(string: value),
                                               qos: .atMostOnce, retain: true, publisher: nil)
                core.publish(message, from: nil)
            }
        }
    }
}
