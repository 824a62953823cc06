import MQTTBroker
import MQTTCore
import NIOCore

/// Turns broker events into rule runs: for each rule of the event's hook whose topic applies, in order.
struct RuleDispatcher: Sendable {
    let runtime: BackendRuntime
    /// Rules with their contexts, per hook, built once: for events from outside the loops, then per lane.
    private let rules: [HookPoint: [RuleContext]]
    private let rulesByLane: [[HookPoint: [RuleContext]]]
    /// The lanes, by broker loop.
    let lanes: [CommandLane]

    init(runtime: BackendRuntime, lanes: Int = 0) {
        self.runtime = runtime
        var rules: [HookPoint: [RuleContext]] = [:]
        for (hook, list) in runtime.configuration.rules {
            rules[hook] = list.compactMap(runtime.context(for:))
        }
        self.rules = rules
        self.lanes = (0..<lanes).map { _ in CommandLane() }
        rulesByLane = self.lanes.map { lane in rules.mapValues { contexts in contexts.map { $0.on(lane) } } }
    }

    /// With a `lane` (a broker loop's number), the rules' commands wait in it for the loop's tick to end.
    func dispatch(_ event: BrokerEvent, lane: Int? = nil) {
        if let lane, rulesByLane.indices.contains(lane) {
            lanes[lane].claim()
            dispatch(event, rules: rulesByLane[lane])
        } else {
            dispatch(event, rules: rules)
        }
    }

    private func dispatch(_ event: BrokerEvent, rules: [HookPoint: [RuleContext]]) {
        switch event {
        case .clientConnected(let client):
            runtime.connections.connected(client)
            let now = Self.nowMillis()
            for context in rules[.clientConnected] ?? [] {
                run(context, client: client, nowMillis: now)
            }
        case .clientDisconnected(let client, let reason):
            let now = Self.nowMillis()
            let elsewhere = reason.hasPrefix(BrokerEvent.takenOverByAnotherNode)
            for context in rules[.clientDisconnected] ?? [] {
                if elsewhere, case .function(.onClientDisconnected) = context.rule.action {
                    OnClientDisconnected.runTakenOverElsewhere(client, context)
                    continue
                }
                run(context, client: client, nowMillis: now)
            }
        case .sessionCreated(let client):
            for context in rules[.sessionCreated] ?? [] {
                run(context, client: client, nowMillis: 0)
            }
        case .sessionSubscribed(let client, let subscription):
            for context in rules[.sessionSubscribed] ?? [] where context.rule.applies(to: subscription.filter) {
                runSubscribed(context, client: client, subscription: subscription)
            }
        case .sessionUnsubscribed(let client, let filter):
            for context in rules[.sessionUnsubscribed] ?? [] where context.rule.applies(to: filter) {
                if case .commands(let templates) = context.rule.action {
                    CommandTemplateAction.run(templates, values: TemplateValues(clientID: client.clientID, topic: filter),
                                              context)
                }
            }
        case .messagePublished(let message):
            // `$` topics ($SYS) are the broker's own, never stored (a `#` filter does not match them either).
            if message.topic.utf8.first == UInt8(ascii: "$") { return }
            for context in rules[.messagePublish] ?? [] where context.rule.applies(to: message.topic) {
                runPublish(context, message: message)
            }
        case .messageAcked(let clientID, let message):
            for context in rules[.messageAcked] ?? [] where context.rule.applies(to: message.topic) {
                runAcked(context, clientID: clientID, message: message)
            }
        case .messageDelivered(let clientID, let message):
            for context in rules[.messageDelivered] ?? [] where context.rule.applies(to: message.topic) {
                if case .commands(let templates) = context.rule.action {
                    CommandTemplateAction.run(templates, values: TemplateValues(
                        clientID: clientID, topic: message.topic, msgid: message.id.description), context)
                }
            }
        }
    }

    /// Whether any rule listens to `hook`; the sink skips events nobody wants.
    func wants(_ hook: HookPoint) -> Bool { rules[hook]?.isEmpty == false }

    private func run(_ context: RuleContext, client: ClientInfo, nowMillis: Int64) {
        switch context.rule.action {
        case .function(.onClientConnected): OnClientConnected.run(client, atMillis: nowMillis, context)
        case .function(.onClientDisconnected): OnClientDisconnected.run(client, atMillis: nowMillis, context)
        case .function(.onSubscribeLookup): OnSubscribeLookup.run(client, context)
        case .function: break
        case .commands(let templates):
            CommandTemplateAction.run(templates, values: TemplateValues(clientID: client.clientID), context)
        }
    }

    private func runSubscribed(_ context: RuleContext, client: ClientInfo, subscription: SubscriptionInfo) {
        switch context.rule.action {
        case .function(.onMessageFetchForQueue): OnMessageFetchForQueue.run(client, subscription, context)
        case .function(.onMessageFetchForPubsub): OnMessageFetchForPubsub.run(client, subscription, context)
        case .function(.onRetainLookup): break // the broker asks it per subscription (RetainedMessageSource)
        case .function(.onMessageFetchForKeepLatest): OnMessageFetchForKeepLatest.run(client, subscription, context)
        case .function: break
        case .commands(let templates):
            CommandTemplateAction.run(templates, values: TemplateValues(
                clientID: client.clientID, topic: subscription.filter, qos: Int(subscription.qos.rawValue)), context)
        }
    }

    private func runPublish(_ context: RuleContext, message: BrokerMessage) {
        switch context.rule.action {
        case .function(.onMessagePublish): OnMessagePublish.run(message, context)
        case .function(.onMessageRetain): OnMessageRetain.run(message, context)
        case .function(.onRetainDelete): OnRetainDelete.run(message, context)
        case .function(.onMessageStoreKeepLatest): OnMessageStoreKeepLatest.run(message, context)
        case .function: break
        case .commands(let templates):
            CommandTemplateAction.run(templates, values: TemplateValues(
                clientID: message.publisher, topic: message.topic, qos: Int(message.qos.rawValue),
                msgid: message.id.description, payload: message.payload,
                messageFields: CommandTemplateAction.messageFields(message, context)), context)
        }
    }

    private func runAcked(_ context: RuleContext, clientID: String, message: BrokerMessage) {
        switch context.rule.action {
        case .function(.onMessageAckedForQueue): OnMessageAckedForQueue.run(clientID: clientID, message, context)
        case .function(.onMessageAckedForPubsub): OnMessageAckedForPubsub.run(clientID: clientID, message, context)
        case .function(.onMessageAckedForKeepLatest): OnMessageAckedForKeepLatest.run(clientID: clientID, message, context)
        case .function: break
        case .commands(let templates):
            CommandTemplateAction.run(templates, values: TemplateValues(
                clientID: clientID, topic: message.topic, msgid: message.id.description), context)
        }
    }

    static func nowMillis() -> Int64 {
        Int64(MessageIDGenerator.wallClockMicros() / 1000)
    }
}
