import EMQXLayout
import MQTTBroker
import MQTTCore
import RedisClient

/// `on_subscribe_lookup`: the subscriptions stored in `mqtt:sub:<cid>` are made server-side, and the
/// `session.subscribed` rules then run for each (offline fetches, retained lookups).
enum OnSubscribeLookup {
    static func run(_ client: ClientInfo, _ context: RuleContext) {
        let clientID = client.clientID
        context.read(.hgetall(.init(EMQXKeys.subscriptions(clientID)))) { reply in
            let fields = StoredMessageDecoder.hashFields(reply) ?? [:]
            for (filter, qosBytes) in fields.sorted(by: { $0.key < $1.key }) {
                let text = String(buffer: qosBytes)
                guard let number = Int(text), let qos = QoS(rawValue: UInt8(clamping: max(0, min(number, 2)))) else {
                    context.logger.warning("mqtt:sub:\(clientID) has qos \"\(text)\" for \(filter); skipped",
                                           metadata: ["client-id": "\(clientID)", "rule": "\(context.origin)"])
                    continue
                }
                if !(await context.broker.subscribe(clientID: clientID, filter: filter, qos: qos)) {
                    context.logger.warning("stored subscription \(filter) of \(clientID) could not be made (invalid filter or client gone)",
                                           metadata: ["client-id": "\(clientID)", "key": "mqtt:sub:\(clientID)"])
                }
            }
        }
    }
}
