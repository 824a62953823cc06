import EMQXLayout
import Foundation
import NIOCore
import RedisClient

/// Membership: the heartbeat, joins and leaves, and keeping the others' routes current.
extension ClusterNode {
    /// Refuses a name a live node holds, and cleans up after an earlier run of this node that died.
    func claimName() async throws {
        let aliveKey = RESPArgument(keys.alive(node))
        let holder = try await control.send(.get(aliveKey)).string
        if holder != nil, try await isRenewed(aliveKey) {
            throw ClusterError.nodeNameTaken(cluster: keys.cluster, node: node)
        }
        let known = try await control.send(.hget(RESPArgument(keys.nodes), field: RESPArgument(node)))
        if holder != nil || !known.isNull {
            let count = try await NodeReaper(node: self).reap(node, forget: false) ?? 0
            if count > 0 {
                logger.notice("cluster \(keys.cluster): an earlier run of node \(node) ended without leaving; marked its \(count) clients offline")
            }
        }
        try await announce()
    }

    /// Whether a live node holds `key`: its time to live only falls unless it is set again, so a rise
    /// between samples is a live node, and the key running out is a dead one. Waits at most the key's
    /// time to live (plus a heartbeat): a node restarted right after a crash waits for its old key to go.
    private func isRenewed(_ key: RESPArgument) async throws -> Bool {
        let clock = ContinuousClock()
        let end = clock.now + configuration.heartbeatTimeToLive + configuration.heartbeatInterval + .seconds(1)
        var last = try await control.send(RedisCommand("PTTL", [key])).int ?? -2
        while last >= 0, clock.now < end {
            try await Task.sleep(for: .milliseconds(50))
            let now = try await control.send(RedisCommand("PTTL", [key])).int ?? -2
            if now > last { return true }
            last = now
        }
        // Gone (or without a TTL, which no node writes): nobody renews it. Still there past its time to
        // live: it was renewed between two samples.
        return last >= 0
    }

    /// Writes this node into the nodes hash with a fresh heartbeat, and tells the others.
    func announce() async throws {
        let since = Self.wallClockMillis()
        let info = "{\"incarnation\":\"\(incarnation)\",\"since\":\(since)}"
        let join = ClusterEvent.join(node: node, incarnation: incarnation)
        _ = try await control.pipeline([
            .set(RESPArgument(keys.alive(node)), to: RESPArgument(incarnation), expiration: configuration.heartbeatTimeToLive),
            .hset(RESPArgument(keys.nodes), field: RESPArgument(node), to: RESPArgument(info)),
            join.publishing(on: keys, sharded: configuration.isRedisCluster),
        ])
        members.update({ $0[node] = .init(incarnation: incarnation, sinceMillis: since, alive: true) }, me: node)
        announced.store(true, ordering: .releasing)
        logger.info("cluster \(keys.cluster): node \(node) joined")
    }

    func heartbeat() async {
        while !Task.isCancelled {
            do {
                try await beat()
            } catch let error as ClusterError {
                logger.error("cluster \(keys.cluster): \(error)")
            } catch {
                logger.debug("cluster \(keys.cluster): heartbeat not written: \(error)")
            }
            try? await Task.sleep(for: configuration.heartbeatInterval)
        }
    }

    /// Renews this node's key, then looks at every other node: its heartbeat, and whether its routes moved
    /// past what this node applied (an event lost in a failover is caught here, one heartbeat later).
    func beat() async throws {
        guard announced.load(ordering: .acquiring) else {
            // Redis was not there at start: claim the name now, before renewing any key, once this node
            // hears its channels.
            guard subscribed.load(ordering: .acquiring) else { return }
            return try await claimName()
        }
        flow.releaseHeld()
        flow.renewAnnouncement()
        let nodesKey = RESPArgument(keys.nodes)
        let mine = try await control.pipeline([
            .set(RESPArgument(keys.alive(node)), to: RESPArgument(incarnation), expiration: configuration.heartbeatTimeToLive),
            .hget(nodesKey, field: RESPArgument(node)),
            .hgetall(nodesKey),
        ])
        if (try mine[1].get()).isNull {
            logger.warning("cluster \(keys.cluster): node \(node) was taken for dead (Redis lost its entry, or its heartbeat lapsed); announcing it again")
            writer.rewriteRoutes()
            await restoreClients()
            try await announce()
        }
        let listed = try mine[2].get().hashFields ?? [:]
        let (dead, stale, joined) = try await assess(listed: listed)
        for other in joined { logger.info("cluster \(keys.cluster): node \(other) is alive") }
        for gone in routes.knownNodes where listed[gone] == nil { routes.drop(node: gone) }
        for other in stale { await readRoutes(of: other) }
        for other in dead {
            guard let count = try await NodeReaper(node: self).reap(other, forget: true) else { continue }
            logger.notice("cluster \(keys.cluster): node \(other) is dead (no heartbeat for \(configuration.heartbeatTimeToLive)); marked its \(count) clients offline")
            forget(other)
        }
    }

    /// A node that left or died: no routes to it, no answers or relief awaited from it.
    private func forget(_ other: String) {
        routes.drop(node: other)
        members.update({ $0[other] = nil }, me: node)
        handovers.forget(other)
        flow.set(other, congested: false) { nil }
    }

    /// Every other node in the nodes hash: its heartbeat key, and where its routes hash stands against
    /// what this node applied. Updates the members; returns the dead (two heartbeats without a key), those
    /// whose routes must be read again, and those that came alive.
    private func assess(listed: [String: ByteBuffer]) async throws -> (dead: [String], stale: [String], joined: [String]) {
        let others = listed.keys.filter { $0 != node }.sorted()
        var commands: [RedisCommand] = []
        for other in others {
            commands.append(.get(RESPArgument(keys.alive(other))))
            commands.append(RedisCommand("HMGET", [RESPArgument(keys.routes(other)),
                                                   RESPArgument(ClusterKeys.incarnationField),
                                                   RESPArgument(ClusterKeys.sequenceField)]))
        }
        let replies = try await control.pipeline(commands)
        var dead: [String] = []
        var stale: [String] = []
        var joined: [String] = []
        members.update({ table in
            for (index, other) in others.enumerated() {
                var member = table[other] ?? .init(alive: false)
                member.sinceMillis = listed[other].flatMap { Self.since(String(buffer: $0)) }
                if let heartbeat = (try? replies[2 * index].get())?.string {
                    if !member.alive { joined.append(other) }
                    member.alive = true
                    member.misses = 0
                    member.incarnation = heartbeat
                } else {
                    member.misses += 1
                    // Two heartbeats in a row: one late renewal is not a death.
                    if member.misses >= 2 { dead.append(other) }
                }
                table[other] = member
                let hash = (try? replies[2 * index + 1].get())?.array ?? []
                guard let incarnation = hash.first?.string else { continue }
                let sequence = hash.dropFirst().first?.string.flatMap(Int.init) ?? 0
                if let known = routes.position(of: other), known.incarnation == incarnation, known.sequence >= sequence {
                    continue
                }
                stale.append(other)
            }
            for gone in table.keys where gone != node && listed[gone] == nil { table[gone] = nil }
        }, me: node)
        return (dead, stale, joined)
    }

    /// Reads another node's routes hash and takes it, unless what is applied is newer.
    func readRoutes(of other: String) async {
        do {
            let fields = try await control.send(.hgetall(RESPArgument(keys.routes(other)))).hashFields ?? [:]
            guard let incarnation = fields[ClusterKeys.incarnationField].map({ String(buffer: $0) }),
                  let sequence = fields[ClusterKeys.sequenceField].flatMap({ Int(String(buffer: $0)) }) else { return }
            let filters = Set(fields.keys.filter { $0 != ClusterKeys.incarnationField && $0 != ClusterKeys.sequenceField })
            routes.replace(node: other, with: .init(incarnation: incarnation, sequence: sequence, filters: filters))
        } catch {
            logger.debug("cluster \(keys.cluster): routes of node \(other) not read: \(error)")
        }
    }

    func handle(_ event: ClusterEvent) async {
        guard event.node != node else { return }
        switch event {
        case .join(let other, let incarnation):
            members.update({ $0[other] = .init(incarnation: incarnation, alive: true) }, me: node)
            logger.info("cluster \(keys.cluster): node \(other) joined")
            await readRoutes(of: other)
        case .leave(let other, let incarnation):
            // A leave of an earlier run (reaped late) must not drop the routes of the run alive now.
            if let known = routes.position(of: other)?.incarnation, known != incarnation { return }
            forget(other)
            logger.info("cluster \(keys.cluster): node \(other) left")
        case .routes(let other, let incarnation, let first, let changes):
            if routes.apply(node: other, incarnation: incarnation, first: first, changes: changes) == .needsRead {
                await readRoutes(of: other)
            }
        case .takeover(let other, let client, let at):
            guard claims.shouldYield(client, toClaimAtMillis: at, nowMillis: Self.wallClockMillis()) else { return }
            if await broker?.takeOver(clientID: client, byNode: other) == true {
                logger.info("cluster \(keys.cluster): \(client) was taken over by a connection on node \(other)")
            }
        case .sessionWanted(let other, let client, let request):
            // Not in line with the events behind it: a handover waits for the session's loop.
            Task { await self.handOver(client: client, to: other, request: request) }
        case .congestion(let other, let congested):
            flow.set(other, congested: congested) { broker?.makeFlowGate(name: other) }
        case .sessionAnswer(let other, let to, let request, let found):
            if to == node { handovers.answer(request, from: other, found: found) }
        case .table(let other, let incarnation, let sequence, let filters):
            routes.replace(node: other, with: .init(incarnation: incarnation, sequence: sequence, filters: Set(filters)))
        }
    }

    /// After this node was taken for dead: its connected clients are online again, here.
    private func restoreClients() async {
        guard let broker else { return }
        let now = configuration.storedTime(Self.wallClockMillis())
        var commands: [RedisCommand] = []
        for client in await broker.clients() where client.connected {
            commands.append(.hset(RESPArgument(EMQXKeys.node(node)), field: RESPArgument(client.clientID), to: RESPArgument(now)))
            commands.append(.hset(RESPArgument(EMQXKeys.client(client.clientID)), field: "state", to: "1"))
        }
        _ = try? await control.pipeline(commands)
    }

    private static func since(_ info: String) -> Int64? {
        guard let range = info.range(of: "\"since\":") else { return nil }
        return Int64(info[range.upperBound...].prefix { $0.isNumber })
    }
}
