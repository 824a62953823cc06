import Logging
import MQTTClient
import MQTTCore
import NIOCore

/// Simulated devices for `mqtop demo`: they connect, subscribe, publish (some retained, some to `queue/`
/// and `pubsub/`), drop off and come back, so every pane of the console moves.
struct DemoFleet: Sendable {
    let port: Int
    let devices: Int
    let logger: Logger

    func run() async {
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<devices {
                group.addTask { await device(index) }
            }
            group.addTask { await dispatcher() }
        }
    }

    /// One device's life, forever: connect, work for a while, vanish, come back.
    private func device(_ index: Int) async {
        let name = index % 5 == 4 ? "设备-\(String(format: "%02d", index))" : "sensor-\(String(format: "%02d", index))"
        var generator = SystemRandomNumberGenerator()
        while !Task.isCancelled {
            do {
                var options = MQTTClientOptions(port: port, version: index % 2 == 0 ? .v5 : .v3_1_1, clientID: name,
                                                cleanStart: false, keepAlive: 30)
                var expiry = MQTTProperties()
                expiry.sessionExpiryInterval = 600
                options.connectProperties = expiry
                // A device reads neither its events nor its commands: keep only the newest few.
                options.eventBufferLimit = 16
                options.messageBufferLimit = 16
                let client = try await MQTTClient.connect(options)
                _ = try await client.subscribe([SubscriptionRequest(filter: "cmd/\(name)/#", qos: .atLeastOnce),
                                                SubscriptionRequest(filter: "pubsub/announcements", qos: .atLeastOnce)])
                if index % 3 == 0 {
                    _ = try await client.subscribe("queue/jobs", qos: .atLeastOnce)
                }
                let rounds = Int.random(in: 10...40, using: &generator)
                for round in 0..<rounds where !Task.isCancelled {
                    let temperature = 18 + Double(Int.random(in: 0...80, using: &generator)) / 10
                    try await client.publish("sensor/\(name)/temp", String(format: "%.1fC", temperature),
                                             qos: .atLeastOnce, retain: round % 5 == 0)
                    if round % 7 == 0 {
                        try await client.publish("status/\(name)", round % 14 == 0 ? "online" : "busy",
                                                 qos: .atLeastOnce, retain: true)
                    }
                    try await Task.sleep(for: .milliseconds(Int.random(in: 300...1500, using: &generator)))
                }
                // Half leave politely, half vanish (their will and the offline state show up).
                if Bool.random(using: &generator) { await client.disconnect() } else { await client.close() }
                try await Task.sleep(for: .seconds(Int.random(in: 2...8, using: &generator)))
            } catch {
                if Task.isCancelled { return }
                logger.debug("demo device \(name): \(error)")
                try? await Task.sleep(for: .seconds(2))
            }
        }
    }

    /// A back office that fills the queue and the announcements topic.
    private func dispatcher() async {
        var job = 0
        while !Task.isCancelled {
            do {
                var options = MQTTClientOptions(port: port, clientID: "demo-dispatcher")
                options.eventBufferLimit = 16
                options.messageBufferLimit = 16
                let client = try await MQTTClient.connect(options)
                while !Task.isCancelled {
                    job += 1
                    try await client.publish("queue/jobs", "job \(job)", qos: .atLeastOnce)
                    if job % 5 == 0 {
                        try await client.publish("pubsub/announcements", "announcement \(job / 5)", qos: .atLeastOnce)
                    }
                    try await Task.sleep(for: .seconds(2))
                }
            } catch {
                if Task.isCancelled { return }
                try? await Task.sleep(for: .seconds(2))
            }
        }
    }
}
