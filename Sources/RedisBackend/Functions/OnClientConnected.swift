import EMQXLayout
import MQTTBroker
import RedisClient
import RESP

/// `on_client_connected`: the client's online state and its node entry (spec §3), pipelined.
enum OnClientConnected {
    static func run(_ client: ClientInfo, atMillis now: Int64, _ context: RuleContext) {
        let time = context.storedTime(millis: now)
        context.write([
            .hmset(.init(EMQXKeys.client(client.clientID)), fields: [
                (RESPArgument("state"), RESPArgument(1)), (RESPArgument("online_at"), time),
                (RESPArgument("offline_at"), RESPArgument(EMQXKeys.undefined)),
            ]),
            .hset(.init(EMQXKeys.node(context.runtime.nodeName)), field: .init(client.clientID), to: time),
        ])
    }
}
