import Logging
import NIOCore
import Synchronization

/// Finds the master through the sentinels and follows it across failovers.
///
/// Resolution asks the sentinels in order (the last one that answered first) for
/// `SENTINEL get-master-addr-by-name`, connects, and checks `ROLE` says `master`, as the sentinel client
/// guidelines ask (https://redis.io/docs/latest/develop/reference/sentinel-clients/). A watcher subscribed to
/// `+switch-master` on one sentinel reports failovers at once; the owner then drops its connections to the old
/// master so no further write is acknowledged by it. For a while after a switch the old master may still say
/// `master` and a lagging sentinel may still name it: it is skipped during that window.
final class SentinelMonitor: Sendable {
    private struct State {
        var sentinels: [RedisEndpoint]
        var master: RedisEndpoint?
        /// Former masters and when they were demoted; not trusted for `demotionWindow`.
        var demoted: [RedisEndpoint: ContinuousClock.Instant] = [:]
        var watcher: Task<Void, Never>?
        var watcherConnection: RedisConnection?
        var closed = false
        var started = false
    }

    /// How long a former master is distrusted (the notes measured up to 11 s before it turns replica).
    static let demotionWindow: Duration = .seconds(30)

    let masterName: String
    private let sentinelConnector: RedisConnector
    private let dataConnector: RedisConnector
    private let group: any EventLoopGroup
    private let backoff: RedisConfiguration.Backoff
    private let logger: Logger
    private let state: Mutex<State>
    private let switchListener = Mutex<(@Sendable (RedisEndpoint) -> Void)?>(nil)

    init(sentinels: [RedisEndpoint], masterName: String, configuration: RedisConfiguration,
         sentinelConnector: RedisConnector, dataConnector: RedisConnector) {
        self.masterName = masterName
        self.sentinelConnector = sentinelConnector
        self.dataConnector = dataConnector
        group = configuration.eventLoopGroup
        backoff = configuration.reconnectBackoff
        var logger = configuration.logger
        logger[metadataKey: "redis.sentinel.master"] = "\(masterName)"
        self.logger = logger
        state = Mutex(State(sentinels: sentinels))
    }

    /// Called with the new master whenever the sentinels announce one.
    func onSwitch(_ listener: @escaping @Sendable (RedisEndpoint) -> Void) {
        switchListener.withLock { $0 = listener }
    }

    /// The master currently believed in.
    var currentMaster: RedisEndpoint? { state.withLock { $0.master } }

    func start() {
        state.withLock { state in
            guard !state.started, !state.closed else { return }
            state.started = true
            state.watcher = Task { await self.watch() }
        }
    }

    func close() async {
        let (watcher, connection) = state.withLock { state in
            state.closed = true
            return (state.watcher, state.watcherConnection)
        }
        watcher?.cancel()
        if let connection { _ = try? await connection.close().get() }
        await watcher?.value
    }

    // MARK: - Resolution

    /// Asks the sentinels for the master's address.
    func resolveMaster() async throws -> RedisEndpoint {
        let sentinels = state.withLock { $0.sentinels }
        var failures: [String] = []
        for sentinel in sentinels {
            do {
                let connection = try await sentinelConnector.connect(to: sentinel, on: group.next())
                defer { _ = connection.close() }
                let reply = try await connection.sendChecked(
                    RedisCommand("SENTINEL", ["get-master-addr-by-name", RESPArgument(masterName)]),
                    timeout: sentinelConnector.connectTimeout.timeAmount)
                guard let pair = reply.array, pair.count == 2, let host = pair[0].string, let port = pair[1].int else {
                    failures.append("\(sentinel): does not know master '\(masterName)'")
                    continue
                }
                let master = RedisEndpoint(host: host, port: port)
                let stale: Bool = state.withLock { state in
                    guard let since = state.demoted[master] else { return false }
                    if ContinuousClock.now - since > Self.demotionWindow {
                        state.demoted[master] = nil
                        return false
                    }
                    return true
                }
                if stale {
                    failures.append("\(sentinel): still names the former master \(master)")
                    continue
                }
                state.withLock { state in
                    if let index = state.sentinels.firstIndex(of: sentinel), index > 0 {
                        state.sentinels.remove(at: index)
                        state.sentinels.insert(sentinel, at: 0)
                    }
                }
                return master
            } catch {
                failures.append("\(sentinel): \(RedisConnector.describe(error))")
            }
        }
        throw RedisError(.connectionFailed, "no sentinel named a master for '\(masterName)': "
                         + failures.joined(separator: "; "), endpoint: description)
    }

    /// The pool's factory: resolve, connect, and check the server really is the master.
    func connectToMaster(on eventLoop: any EventLoop, handlers: RedisPushHandlers = RedisPushHandlers())
        async throws -> RedisConnection {
        let master = try await resolveMaster()
        let connection = try await dataConnector.connect(to: master, on: eventLoop, handlers: handlers)
        do {
            let role = try await connection.sendChecked(RedisCommand("ROLE"), timeout: dataConnector.connectTimeout.timeAmount)
            let name = role.array?.first?.string ?? "unknown"
            guard name == "master" else {
                throw RedisError(.connectionFailed, "the sentinels name \(master) as master but its role is '\(name)'",
                                 endpoint: master.description)
            }
        } catch {
            _ = try? await connection.close().get()
            throw error
        }
        let changed: Bool = state.withLock { state in
            defer { state.master = master }
            return state.master != master
        }
        if changed { logger.info("master resolved", metadata: ["redis.endpoint": "\(master)"]) }
        return connection
    }

    /// Whether `endpoint` may be used as master now (it was not demoted by a recent switch).
    func isAcceptable(_ endpoint: RedisEndpoint) -> Bool {
        state.withLock { state in
            guard let since = state.demoted[endpoint] else { return true }
            return ContinuousClock.now - since > Self.demotionWindow
        }
    }

    /// A write to `endpoint` was refused with `READONLY`: it is no longer the master.
    func masterLooksStale(_ endpoint: RedisEndpoint) {
        state.withLock { state in
            state.demoted[endpoint] = .now
            if state.master == endpoint { state.master = nil }
        }
        logger.info("master refused a write (READONLY); re-resolving", metadata: ["redis.endpoint": "\(endpoint)"])
    }

    var description: String {
        "\(masterName) via sentinels " + state.withLock { $0.sentinels.map(\.description).joined(separator: ",") }
    }

    // MARK: - Watching for failovers

    /// Subscribes to `+switch-master` on one sentinel at a time, moving on when it fails.
    private func watch() async {
        var attempt = 0
        while !Task.isCancelled {
            let sentinels = state.withLock { $0.sentinels }
            for sentinel in sentinels where !Task.isCancelled {
                do {
                    let handlers = RedisPushHandlers(onMessage: { [weak self] message in
                        self?.handleEvent(message)
                    })
                    let connection = try await sentinelConnector.connect(to: sentinel, on: group.next(), handlers: handlers)
                    let keep = state.withLock { state in
                        guard !state.closed else { return false }
                        state.watcherConnection = connection
                        return true
                    }
                    guard keep else {
                        _ = try? await connection.close().get()
                        return
                    }
                    try await connection.subscription(.channel, subscribe: true, names: ["+switch-master"]).get()
                    attempt = 0
                    // A switch may have happened while no watcher was listening.
                    if let master = try? await resolveMaster(), master != currentMaster, currentMaster != nil {
                        announce(master, from: nil)
                    }
                    try? await connection.closeFuture.get()
                } catch {
                    logger.debug("sentinel watcher failed", metadata: ["redis.endpoint": "\(sentinel)", "redis.error": "\(error)"])
                }
                if Task.isCancelled { return }
                try? await Task.sleep(for: backoff.delay(attempt: attempt))
                attempt += 1
            }
        }
    }

    /// `+switch-master <name> <old-ip> <old-port> <new-ip> <new-port>`.
    private func handleEvent(_ message: RedisPubSubMessage) {
        let words = message.text.split(separator: " ")
        guard message.channel == "+switch-master", words.count == 5, words[0] == masterName,
              let oldPort = Int(words[2]), let newPort = Int(words[4]) else { return }
        announce(RedisEndpoint(host: String(words[3]), port: newPort),
                 from: RedisEndpoint(host: String(words[1]), port: oldPort))
    }

    private func announce(_ master: RedisEndpoint, from old: RedisEndpoint?) {
        state.withLock { state in
            if let former = old ?? state.master, former != master { state.demoted[former] = .now }
            state.demoted[master] = nil
            state.master = master
        }
        logger.notice("failover: new master", metadata: ["redis.endpoint": "\(master)",
                                                         "redis.former": "\(old?.description ?? "unknown")"])
        switchListener.withLock { $0 }?(master)
    }
}
