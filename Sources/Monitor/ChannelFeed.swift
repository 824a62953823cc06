import EMQXLayout
import Foundation
import RedisClient

/// The SUB/UNSUB events on the channel, as they happen, for the Events strip.
struct ChannelFeed {
    let monitor: RedisMonitor

    func run(_ post: @escaping @Sendable (DashboardSnapshot) -> Void) async {
        // Redis may not be up yet (the private server is still starting): retry quietly, report once.
        var reported = false
        var subscriber: RedisSubscriber?
        while subscriber == nil && !Task.isCancelled {
            do {
                let candidate = try RedisSubscriber(configuration: monitor.client.configuration)
                try await candidate.subscribe([monitor.options.channel])
                subscriber = candidate
            } catch {
                if !reported {
                    reported = true
                    monitor.logger.info("waiting for Redis to subscribe to \(monitor.options.channel): \(error)")
                }
                try? await Task.sleep(for: .seconds(1))
            }
        }
        guard let subscriber else { return }
        await withTaskCancellationHandler {
            for await message in subscriber.messages {
                let event = Self.describe(message.text, channel: message.channel)
                monitor.update(post) { snapshot in
                    snapshot.events.insert(event, at: 0)
                    if snapshot.events.count > 200 { snapshot.events.removeLast() }
                }
            }
        } onCancel: {
            Task { await subscriber.close() }
        }
    }

    /// `subscribe  via mqtt_channel: cli-alpha alerts/# qos 2`, or what is wrong with the text.
    static func describe(_ text: String, channel: String) -> EventRow {
        let message: ChannelMessage
        do {
            message = try ChannelMessage(decoding: text)
        } catch {
            return EventRow(time: Date(), kind: .error, text: "unreadable event on \(channel) (\(error)): \(text)")
        }
        switch message.kind {
        case .subscribe:
            return EventRow(time: Date(), kind: .subscribe,
                            text: "via \(channel): \(message.clientID) \(message.topic) qos \(message.qos)")
        case .unsubscribe:
            return EventRow(time: Date(), kind: .unsubscribe, text: "via \(channel): \(message.clientID) \(message.topic)")
        }
    }
}
