import Logging
import MQTTBroker
import MQTTClient
import MQTTCore
import NIOCore
import TestSupport

/// An in-process broker on a free port, with the events it emits recorded.
final class BrokerFixture: Sendable {
    let broker: Broker
    let port: Int
    /// Every listener's port, in configuration order.
    let ports: [Int]
    let events: RecordedEvents

    static func start(authenticator: (any BrokerAuthenticator)? = nil,
                      _ configure: (inout BrokerConfiguration) -> Void = { _ in }) async throws -> BrokerFixture {
        var configuration = BrokerConfiguration()
        configuration.listeners = [ListenerConfiguration(host: "127.0.0.1", port: 0)]
        configuration.sysInterval = nil
        configuration.threads = 2
        configure(&configuration)
        var logger = Logger(label: "test.broker")
        logger.logLevel = .warning
        let events = RecordedEvents()
        let broker = Broker(configuration: configuration, logger: logger, eventSink: events, authenticator: authenticator)
        let addresses = try await broker.start()
        guard addresses.first?.port != nil else { throw WaitTimeout(what: "broker port", after: .zero) }
        return BrokerFixture(broker: broker, ports: addresses.compactMap(\.port), events: events)
    }

    private init(broker: Broker, ports: [Int], events: RecordedEvents) {
        self.broker = broker
        port = ports.first ?? 0
        self.ports = ports
        self.events = events
    }

    func client(_ id: String, version: MQTTVersion = .v5, cleanStart: Bool = true,
                _ configure: (inout MQTTClientOptions) -> Void = { _ in }) async throws -> MQTTClient {
        var options = MQTTClientOptions(port: port, version: version, clientID: id, cleanStart: cleanStart)
        configure(&options)
        return try await MQTTClient.connect(options)
    }

    /// Waits until the broker counts `count` subscriptions (a mosquitto_sub is live once this holds).
    func waitForSubscriptions(_ count: Int) async throws {
        try await waitUntil("\(count) subscriptions at the broker") { broker.stats.subscriptions >= count }
    }

    func stop() async {
        await broker.shutdown()
    }
}

/// Broker events as a test sees them.
final class RecordedEvents: BrokerEventSink {
    private let events = LockedBox<[BrokerEvent]>([])

    func handle(_ event: BrokerEvent) {
        events.withLock { $0.append(event) }
    }

    var all: [BrokerEvent] { events.value }

    /// Short names of the events so far, e.g. `connected:c1`, `acked:c1:a/b`.
    var names: [String] {
        all.map { event in
            switch event {
            case .clientConnected(let c): "connected:\(c.clientID)"
            case .clientDisconnected(let c, _): "disconnected:\(c.clientID)"
            case .sessionCreated(let c): "created:\(c.clientID)"
            case .sessionSubscribed(let c, let s): "subscribed:\(c.clientID):\(s.filter)"
            case .sessionUnsubscribed(let c, let f): "unsubscribed:\(c.clientID):\(f)"
            case .messagePublished(let m): "published:\(m.topic)"
            case .messageDelivered(let id, let m): "delivered:\(id):\(m.topic)"
            case .messageAcked(let id, let m): "acked:\(id):\(m.topic)"
            }
        }
    }
}
