import EMQXLayout
import MQTTBroker
import RedisClient
import RESP

/// `on_client_disconnected`: state 0 and the disconnect time, and the node entry removed.
///
/// A connection replaced by a newer one of the same client (takeover) writes nothing: the newer
/// connection's online state must not be overwritten by the older one's disconnect.
enum OnClientDisconnected {
    static func run(_ client: ClientInfo, atMillis now: Int64, _ context: RuleContext) {
        guard context.runtime.connections.isLatest(client) else { return }
        context.write([
            .hmset(.init(EMQXKeys.client(client.clientID)), fields: [
                (RESPArgument("state"), RESPArgument(0)), (RESPArgument("offline_at"), context.storedTime(millis: now)),
            ]),
            .hdel(.init(EMQXKeys.node(context.runtime.nodeName)), fields: [.init(client.clientID)]),
        ])
    }

    /// Another node of the cluster took the session over: the client is online there (its node wrote
    /// state 1 already), so only this node's entry goes.
    static func runTakenOverElsewhere(_ client: ClientInfo, _ context: RuleContext) {
        context.write([.hdel(.init(EMQXKeys.node(context.runtime.nodeName)), fields: [.init(client.clientID)])])
    }
}
