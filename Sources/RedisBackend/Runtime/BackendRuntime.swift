import EMQXLayout
import Logging
import MQTTBroker
import MQTTCore
import NIOCore
import RedisClient

/// The running backend: the broker it serves, each pool's client and command queue, and the rules by hook.
final class BackendRuntime: Sendable {
    let configuration: BackendConfiguration
    let broker: Broker
    let logger: Logger
    let nodeName: String
    let connections = ConnectionTracker()
    let replyHandlers = ReplyHandlers()
    let pools: [String: Pool]

    struct Pool: Sendable {
        let configuration: PoolConfiguration
        let client: RedisClient
        let queue: CommandQueue
    }

    init(configuration: BackendConfiguration, broker: Broker, pools: [String: Pool], logger: Logger) {
        self.configuration = configuration
        self.broker = broker
        self.pools = pools
        self.logger = logger
        nodeName = broker.nodeName
    }

    func isCluster(pool: String) -> Bool {
        pools[pool]?.configuration.kind == .cluster
    }

    func context(for rule: BackendRule) -> RuleContext? {
        guard let pool = pools[rule.pool] else { return nil }
        return RuleContext(rule: rule, queue: pool.queue, runtime: self)
    }

    /// Commands waiting in every pool's buffer (the console's "backend buffer").
    var bufferDepth: Int { pools.values.reduce(0) { $0 + $1.queue.depth } }
    var droppedCommands: Int { pools.values.reduce(0) { $0 + $1.queue.stats.dropped.load(ordering: .relaxed) } }
    /// Nothing queued, nothing in flight, no reply handler running.
    var isIdle: Bool { replyHandlers.running == 0 && pools.values.allSatisfy(\.queue.isIdle) }
}
