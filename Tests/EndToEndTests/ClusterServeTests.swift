import Foundation
import MQTTClient
import MQTTCore
import Testing
import TestSupport

/// `mqtop serve --cluster` processes on one Redis, with Mosquitto's clients on different nodes.
@Suite struct ClusterServeTests {
    /// Starts a node of cluster `e2e` on `redis`.
    private func node(_ name: String, redis: String, _ extra: [String] = []) async throws -> (process: ChildProcess, port: Int) {
        try await MQTopBinary.serve(["--cluster", "e2e", "--node", name, "--redis", redis] + extra)
    }

    /// Publishes probes on `port` until `subscriber` hears one: the route has reached the publishing node.
    private func waitForRoute(publishingOn port: Int, to subscriber: MosquittoSubscriber, topic: String) async throws {
        try await waitUntil("a probe on \(topic) crosses the cluster", timeout: .seconds(20), poll: .milliseconds(200)) {
            if subscriber.messages.contains(where: { $0.hasPrefix(topic + " ") }) { return true }
            try await mosquittoPub(port: port, ["-t", topic, "-m", "probe", "-q", "0"])
            return subscriber.messages.contains(where: { $0.hasPrefix(topic + " ") })
        }
    }

    private func stop(_ processes: [ChildProcess]) async {
        for process in processes { process.signal(SIGTERM) }
        for process in processes { _ = try? await process.waitForExit(timeout: .seconds(20)) }
    }

    @Test func messagesCrossTwoNodesInOrder() async throws {
        let redis = try await RedisServer.start()
        let (one, onePort) = try await node("n1", redis: redis.url)
        let (two, twoPort) = try await node("n2", redis: redis.url)
        let subscriber = try await MosquittoSubscriber.start(port: twoPort, ["-i", "sub-n2", "-q", "1", "-t", "e2e/#"])
        try await waitForRoute(publishingOn: onePort, to: subscriber, topic: "e2e/probe")
        for index in 0..<30 {
            try await mosquittoPub(port: onePort, ["-i", "pub-n1", "-t", "e2e/seq", "-m", "\(index)", "-q", "1"])
        }
        try await waitUntil("30 messages on n2") { subscriber.messages.filter { $0.hasPrefix("e2e/seq ") }.count >= 30 }
        let sequence = subscriber.messages.filter { $0.hasPrefix("e2e/seq ") }
        #expect(sequence == (0..<30).map { "e2e/seq \($0)" })
        await subscriber.stop()
        await stop([one, two])
        await redis.stopAndRemove()
    }

    @Test func threeNodesEachSubscriberGetsEachMessageOnce() async throws {
        let redis = try await RedisServer.start()
        let (one, onePort) = try await node("n1", redis: redis.url)
        let (two, twoPort) = try await node("n2", redis: redis.url)
        let (three, threePort) = try await node("n3", redis: redis.url)
        let onTwo = try await MosquittoSubscriber.start(port: twoPort, ["-i", "s2", "-q", "1", "-t", "fleet/#", "-t", "fleet/+/state"])
        let onThree = try await MosquittoSubscriber.start(port: threePort, ["-i", "s3", "-q", "1", "-t", "fleet/#"])
        try await waitForRoute(publishingOn: onePort, to: onTwo, topic: "fleet/probe")
        try await waitForRoute(publishingOn: onePort, to: onThree, topic: "fleet/probe")
        try await mosquittoPub(port: onePort, ["-t", "fleet/d1/state", "-m", "up", "-q", "1"])
        try await waitUntil("both subscribers got it") {
            onTwo.messages.contains("fleet/d1/state up") && onThree.messages.contains("fleet/d1/state up")
        }
        // Retained on n3 reaches a new subscriber on n1, wildcard filter.
        try await mosquittoPub(port: threePort, ["-t", "fleet/d2/state", "-m", "kept", "-q", "1", "-r"])
        try await waitUntil("n1 got the retained message from n3") {
            let late = try await runCommand("mosquitto_sub", ["-p", "\(onePort)", "-t", "fleet/+/state", "-C", "1", "-W", "2", "-v"])
            return late.output.contains("fleet/d2/state kept")
        }
        #expect(onTwo.messages.filter { $0 == "fleet/d1/state up" }.count == 1)
        #expect(onThree.messages.filter { $0 == "fleet/d1/state up" }.count == 1)
        await onTwo.stop()
        await onThree.stop()
        await stop([one, two, three])
        await redis.stopAndRemove()
    }

    /// `kill -9` a node: within its heartbeat's time to live (5 s) plus two heartbeats, the survivor marks
    /// its clients offline in the EMQX layout and removes it from the cluster.
    @Test func aKilledNodesClientsAreMarkedOfflineByTheSurvivor() async throws {
        let redis = try await RedisServer.start()
        let (one, _) = try await node("n1", redis: redis.url)
        let (two, twoPort) = try await node("n2", redis: redis.url)
        let device = try await MosquittoSubscriber.start(port: twoPort, ["-i", "dev-7", "-q", "1", "-t", "cmd/dev-7"])
        try await waitUntil("dev-7 online on n2") {
            try await redis.cli(["HEXISTS", "mqtt:node:n2", "dev-7"]) == "1"
        }
        #expect(try await redis.cli(["HGET", "mqtt:client:dev-7", "state"]) == "1")
        two.signal(SIGKILL)
        _ = try await two.waitForExit()
        try await waitUntil("n1 marks dev-7 offline", timeout: .seconds(20)) {
            try await redis.cli(["HGET", "mqtt:client:dev-7", "state"]) == "0"
        }
        #expect(try await redis.cli(["EXISTS", "mqtt:node:n2"]) == "0")
        #expect(try await redis.cli(["HEXISTS", "mqtop:cluster:e2e:nodes", "n2"]) == "0")
        #expect(one.outputText.contains("node n2 is dead"))
        await device.kill()
        await stop([one])
        await redis.stopAndRemove()
    }

    @Test func aSecondNodeWithTheSameNameIsRefused() async throws {
        let redis = try await RedisServer.start()
        let (one, _) = try await node("same", redis: redis.url)
        let second = try ChildProcess(MQTopBinary.path, ["serve", "--listen", "127.0.0.1:0", "--cluster", "e2e",
                                                          "--node", "same", "--redis", redis.url])
        #expect(try await second.waitForExit(timeout: .seconds(20)) != 0)
        #expect(second.outputText.contains("node same is already alive in cluster e2e"))
        #expect(one.isRunning)
        await stop([one])
        await redis.stopAndRemove()
    }

    @Test func clusterNeedsASharedRedis() async throws {
        let lone = try ChildProcess(MQTopBinary.path, ["serve", "--listen", "127.0.0.1:0", "--cluster", "e2e"])
        #expect(try await lone.waitForExit() != 0)
        #expect(lone.outputText.contains("--cluster e2e: the nodes share one Redis, name it with --redis URL"))
    }

    @Test func aRedisClusterCarriesTheMessagesOnShardedChannels() async throws {
        let cluster = try await RedisClusterFixture.start()
        let (one, onePort) = try await node("c1", redis: cluster.url)
        let (two, twoPort) = try await node("c2", redis: cluster.url)
        let subscriber = try await MosquittoSubscriber.start(port: twoPort, ["-i", "sub-c2", "-q", "1", "-t", "rc/#"])
        try await waitForRoute(publishingOn: onePort, to: subscriber, topic: "rc/probe")
        for index in 0..<10 {
            try await mosquittoPub(port: onePort, ["-t", "rc/seq", "-m", "\(index)", "-q", "1"])
        }
        try await waitUntil("10 messages on c2") { subscriber.messages.filter { $0.hasPrefix("rc/seq ") }.count >= 10 }
        #expect(subscriber.messages.filter { $0.hasPrefix("rc/seq ") } == (0..<10).map { "rc/seq \($0)" })
        // Sharded: the frames went by SPUBLISH to the slot of c2's channel.
        var spublished = 0
        for server in cluster.nodes {
            let stats = try await server.cli(["INFO", "commandstats"])
            if let line = stats.split(whereSeparator: \.isNewline).first(where: { $0.hasPrefix("cmdstat_spublish:") }),
               let calls = line.split(separator: "=").dropFirst().first?.split(separator: ",").first.flatMap({ Int($0) }) {
                spublished += calls
            }
        }
        #expect(spublished >= 10)
        await subscriber.stop()
        await stop([one, two])
        await cluster.stop()
    }

    /// The same client id connecting on another node ends its session on the first (0x8E), and the layout
    /// keeps it online: the first node's disconnect must not write state 0 over the second's connect.
    @Test func aTakeoverOnAnotherNodeLeavesTheClientOnline() async throws {
        let redis = try await RedisServer.start()
        let (one, onePort) = try await node("n1", redis: redis.url)
        let (two, twoPort) = try await node("n2", redis: redis.url)
        let first = try await MQTTClient.connect(MQTTClientOptions(port: onePort, clientID: "hopper"))
        try await waitUntil("hopper online on n1") { try await redis.cli(["HEXISTS", "mqtt:node:n1", "hopper"]) == "1" }
        let second = try await MQTTClient.connect(MQTTClientOptions(port: twoPort, clientID: "hopper"))
        let reason = try await withTimeout("DISCONNECT on n1") {
            for await event in first.events {
                if case .disconnected(let reason) = event { return reason }
            }
            return ReasonCode.unspecifiedError
        }
        #expect(reason == .sessionTakenOver)
        try await waitUntil("n1 dropped hopper") { try await redis.cli(["HEXISTS", "mqtt:node:n1", "hopper"]) == "0" }
        #expect(try await redis.cli(["HGET", "mqtt:client:hopper", "state"]) == "1")
        #expect(try await redis.cli(["HEXISTS", "mqtt:node:n2", "hopper"]) == "1")
        await second.close()
        await stop([one, two])
        await redis.stopAndRemove()
    }

    /// A device with a stored subscription to a `queue/` topic goes offline on one node, a job is published
    /// on another, and the device comes back behind the load balancer on that other node: it gets the job,
    /// once. The copy the first node queued moves with the session, and a resumed session fetches nothing
    /// from Redis again.
    @Test func aPersistentDeviceThatReconnectsToAnotherNodeGetsWhatItMissed() async throws {
        let redis = try await RedisServer.start()
        let (one, onePort) = try await node("n1", redis: redis.url)
        let (two, twoPort) = try await node("n2", redis: redis.url)
        _ = try await redis.cli(["HSET", "mqtt:sub:dev-q", "queue/jobs", "1"])
        let options = { (port: Int) in
            MQTTClientOptions(port: port, version: .v3_1_1, clientID: "dev-q", cleanStart: false)
        }
        let device = try await MQTTClient.connect(options(onePort))
        try await waitUntil("n1 routes queue/jobs for dev-q") {
            try await redis.cli(["HEXISTS", "mqtop:cluster:e2e:routes:n1", "queue/jobs"]) == "1"
        }
        await device.close()
        try await waitUntil("dev-q offline") { try await redis.cli(["HGET", "mqtt:client:dev-q", "state"]) == "0" }
        try await mosquittoPub(port: twoPort, ["-i", "dispatcher", "-t", "queue/jobs", "-m", "job-1", "-q", "1"])
        try await waitUntil("job-1 stored") { try await redis.cli(["ZCARD", "mqtt:msg:queue/jobs"]) == "1" }
        let back = try await MQTTClient.connect(options(twoPort))
        let received = try await back.messages.next(1)
        #expect(received.map(\.payloadString) == ["job-1"])
        #expect(back.connack.sessionPresent)
        try await waitUntil("n1 handed its session of dev-q over") {
            try await redis.cli(["HEXISTS", "mqtop:cluster:e2e:routes:n1", "queue/jobs"]) == "0"
        }
        // The next message is the next job, not job-1 again.
        try await mosquittoPub(port: twoPort, ["-i", "dispatcher", "-t", "queue/jobs", "-m", "job-2", "-q", "1"])
        #expect(try await back.messages.next(1).map(\.payloadString) == ["job-2"])
        await back.close()
        await stop([one, two])
        await redis.stopAndRemove()
    }

    /// `$share/workers/…` with a member on n1 and one on n2, jobs published on n3: each job reaches one
    /// worker, and both get some.
    @Test func aSharedGroupSpansNodes() async throws {
        let redis = try await RedisServer.start()
        let (one, onePort) = try await node("n1", redis: redis.url)
        let (two, twoPort) = try await node("n2", redis: redis.url)
        let (three, threePort) = try await node("n3", redis: redis.url)
        let workers = [
            try await MosquittoSubscriber.start(port: onePort, ["-i", "w1", "-q", "1", "-t", "$share/workers/work/jobs"]),
            try await MosquittoSubscriber.start(port: twoPort, ["-i", "w2", "-q", "1", "-t", "$share/workers/work/jobs"]),
        ]
        // Once n3 knows both members, its turns alternate between them.
        try await waitUntil("both workers hear probes from n3", timeout: .seconds(20), poll: .milliseconds(200)) {
            if workers.allSatisfy({ !$0.messages.isEmpty }) { return true }
            try await mosquittoPub(port: threePort, ["-t", "work/jobs", "-m", "probe", "-q", "1"])
            return workers.allSatisfy { !$0.messages.isEmpty }
        }
        for index in 0..<20 {
            try await mosquittoPub(port: threePort, ["-i", "dispatcher", "-t", "work/jobs", "-m", "job-\(index)", "-q", "1"])
        }
        let jobs = { workers.flatMap { $0.messages.filter { $0.hasPrefix("work/jobs job-") } } }
        try await waitUntil("20 jobs between the workers") { jobs().count >= 20 }
        #expect(jobs().sorted() == (0..<20).map { "work/jobs job-\($0)" }.sorted())
        #expect(workers.allSatisfy { $0.messages.contains { $0.hasPrefix("work/jobs job-") } })
        for worker in workers { await worker.stop() }
        await stop([one, two, three])
        await redis.stopAndRemove()
    }

    /// What the backend wrote to Redis outlives a node killed with `kill -9`: a device that had a job
    /// delivered and not acknowledged on the dead node, and another queued for it after the death, gets
    /// both when it reconnects to the survivor (its stored subscription is made there on connect).
    @Test func aDeviceOfAKilledNodeGetsItsStoredMessagesOnASurvivor() async throws {
        let redis = try await RedisServer.start()
        let (one, onePort) = try await node("n1", redis: redis.url)
        let (two, twoPort) = try await node("n2", redis: redis.url)
        _ = try await redis.cli(["HSET", "mqtt:sub:dev-k", "queue/orders", "1"])
        var options = MQTTClientOptions(port: onePort, version: .v3_1_1, clientID: "dev-k", cleanStart: false)
        options.autoAcknowledge = false
        let device = try await MQTTClient.connect(options)
        try await waitUntil("n1 routes queue/orders") {
            try await redis.cli(["HEXISTS", "mqtop:cluster:e2e:routes:n1", "queue/orders"]) == "1"
        }
        // n1's routes are numbered: once n2 routes a probe subscribed after queue/orders, it routes both.
        let probe = try await MosquittoSubscriber.start(port: onePort, ["-i", "probe", "-t", "probe/n1"])
        try await waitForRoute(publishingOn: twoPort, to: probe, topic: "probe/n1")
        try await mosquittoPub(port: twoPort, ["-i", "shop", "-t", "queue/orders", "-m", "order-1", "-q", "1"])
        #expect(try await device.messages.next(1).map(\.payloadString) == ["order-1"])
        one.signal(SIGKILL)
        _ = try await one.waitForExit()
        await device.close()
        await probe.kill()
        try await mosquittoPub(port: twoPort, ["-i", "shop", "-t", "queue/orders", "-m", "order-2", "-q", "1"])
        options.port = twoPort
        options.autoAcknowledge = true
        let back = try await MQTTClient.connect(options)
        #expect(try await back.messages.next(2).map(\.payloadString) == ["order-1", "order-2"])
        await back.close()
        await stop([two])
        await redis.stopAndRemove()
    }


    /// A retained message another node set while this node's link to the others was down never reached its
    /// index; when the link is back the node reads the retained messages from Redis again, so a wildcard
    /// subscriber gets it.
    @Test func retainedMessagesMissedWhileTheLinkWasDownAreReadAgain() async throws {
        let redis = try await RedisServer.start()
        let (one, onePort) = try await node("n1", redis: redis.url)
        // As another node's backend writes it, with no frame reaching n1.
        _ = try await redis.cli(["HSET", "mqtt:retain:site/missed", "id", "0000000000000000000042", "from", "elsewhere",
                                 "qos", "1", "topic", "site/missed", "retain", "true", "payload", "kept", "ts", "1700000000"])
        _ = try await redis.cli(["CLIENT", "KILL", "TYPE", "pubsub"])
        try await waitUntil("n1 saw its link come back") { one.outputText.contains("link to the other nodes back") }
        try await waitUntil("n1 serves site/missed to a wildcard subscriber") {
            let late = try await runCommand("mosquitto_sub", ["-p", "\(onePort)", "-t", "site/#", "-C", "1", "-W", "2", "-v"])
            return late.output.contains("site/missed kept")
        }
        await stop([one])
        await redis.stopAndRemove()
    }

    /// On a 3-master Redis Cluster (the nodes' keys and channels spread over its slots): retained across
    /// nodes with a wildcard, a shared group across nodes, a takeover, a persistent session moving, and a
    /// node that leaves removed from the nodes hash.
    @Test func aRedisClusterCarriesTheWholeClusterProtocol() async throws {
        let redis = try await RedisClusterFixture.start()
        let (one, onePort) = try await node("c1", redis: redis.url)
        let (two, twoPort) = try await node("c2", redis: redis.url)

        try await mosquittoPub(port: onePort, ["-t", "rcx/site/door", "-m", "open", "-q", "1", "-r"])
        try await waitUntil("c2 serves c1's retained message to a wildcard") {
            let late = try await runCommand("mosquitto_sub", ["-p", "\(twoPort)", "-t", "rcx/#", "-C", "1", "-W", "2", "-v"])
            return late.output.contains("rcx/site/door open")
        }

        let workers = [
            try await MosquittoSubscriber.start(port: onePort, ["-i", "rw1", "-q", "1", "-t", "$share/w/rcx/jobs"]),
            try await MosquittoSubscriber.start(port: twoPort, ["-i", "rw2", "-q", "1", "-t", "$share/w/rcx/jobs"]),
        ]
        try await waitUntil("probes reach both workers", timeout: .seconds(20), poll: .milliseconds(200)) {
            if workers.allSatisfy({ !$0.messages.isEmpty }) { return true }
            try await mosquittoPub(port: onePort, ["-t", "rcx/jobs", "-m", "probe", "-q", "1"])
            return workers.allSatisfy { !$0.messages.isEmpty }
        }
        let before = workers.map { $0.messages.count }
        for index in 0..<10 { try await mosquittoPub(port: onePort, ["-t", "rcx/jobs", "-m", "job-\(index)", "-q", "1"]) }
        try await waitUntil("10 jobs between the workers") {
            zip(workers, before).map { $0.messages.count - $1 }.reduce(0, +) >= 10
        }
        let jobs = workers.flatMap { $0.messages.filter { $0.hasPrefix("rcx/jobs job-") } }
        #expect(jobs.sorted() == (0..<10).map { "rcx/jobs job-\($0)" }.sorted())
        for worker in workers { await worker.stop() }

        var options = MQTTClientOptions(port: onePort, version: .v3_1_1, clientID: "rc-mover", cleanStart: false)
        let first = try await MQTTClient.connect(options)
        _ = try await first.subscribe("rcx/cmd", qos: .atLeastOnce)
        await first.close()
        options.port = twoPort
        let second = try await MQTTClient.connect(options)
        #expect(second.connack.sessionPresent, "the session moved from c1 to c2")
        let live = try await MQTTClient.connect(MQTTClientOptions(port: onePort, clientID: "rc-live"))
        let taker = try await MQTTClient.connect(MQTTClientOptions(port: twoPort, clientID: "rc-live"))
        let reason = try await withTimeout("DISCONNECT on c1") {
            for await event in live.events {
                if case .disconnected(let reason) = event { return reason }
            }
            return ReasonCode.unspecifiedError
        }
        #expect(reason == .sessionTakenOver)
        for client in [second, taker] { await client.close() }

        await stop([two])
        try await waitUntil("c2 left the nodes hash") {
            let nodes = try await redis.nodes[0].cli(["-c", "HKEYS", "mqtop:cluster:e2e:nodes"])
            return !nodes.contains("c2") && nodes.contains("c1")
        }
        await stop([one])
        await redis.stop()
    }

    /// SIGTERM with Redis gone: the node gives up on what it still had for the others and exits.
    @Test func aNodeStopsWhileRedisIsAway() async throws {
        let redis = try await RedisServer.start()
        let (one, port) = try await node("n1", redis: redis.url)
        // Its route is one more thing the node has to tell the others at shutdown.
        let subscriber = try await MosquittoSubscriber.start(port: port, ["-i", "s", "-q", "1", "-t", "away/#"])
        await redis.kill()
        one.signal(SIGTERM)
        #expect(try await one.waitForExit(timeout: .seconds(40)) == 0)
        #expect(one.outputText.contains("stopped"))
        await subscriber.kill()
        await redis.stopAndRemove()
    }
}
