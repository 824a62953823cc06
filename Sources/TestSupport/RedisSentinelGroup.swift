import Foundation

/// A master, one replica and three `redis-sentinel` processes watching them, all private to one test.
///
/// Started as the notes in `redis-topologies.md` say: diskless sync without delay, sentinels only after the
/// replica is online (else `NOGOODSLAVE` for seconds), a fresh config per sentinel, `SENTINEL DEBUG` periods
/// shortened. Ready when every sentinel sees the master with one replica.
public final class RedisSentinelGroup: Sendable {
    public let masterName: String
    /// The first master and the first replica; after ``failover()`` their roles are swapped.
    public let servers: [RedisServer]
    public let sentinelPorts: [Int]
    private let sentinels: [ChildProcess]
    private let directories: [TemporaryDirectory]

    /// `redis+sentinel://127.0.0.1:s1,127.0.0.1:s2,127.0.0.1:s3/<master>`.
    public var url: String {
        "redis+sentinel://" + sentinelPorts.map { "127.0.0.1:\($0)" }.joined(separator: ",") + "/" + masterName
    }

    private init(masterName: String, servers: [RedisServer], sentinelPorts: [Int], sentinels: [ChildProcess],
                 directories: [TemporaryDirectory]) {
        self.masterName = masterName
        self.servers = servers
        self.sentinelPorts = sentinelPorts
        self.sentinels = sentinels
        self.directories = directories
    }

    public static func start(masterName: String = "mymaster") async throws -> RedisSentinelGroup {
        let replication = ["--repl-diskless-sync-delay", "0", "--shutdown-on-sigterm", "nosave", "now"]
        let master = try await RedisServer.start(extraArguments: replication)
        var started: [RedisServer] = [master]
        var sentinels: [ChildProcess] = []
        var ports: [Int] = []
        var directories: [TemporaryDirectory] = []
        do {
            let replica = try await RedisServer.start(
                extraArguments: replication + ["--replicaof", "127.0.0.1", String(master.port)])
            started.append(replica)
            try await waitUntil("the replica to be online", timeout: .seconds(10)) {
                (try? await master.cli("INFO", "replication"))?.contains("state=online") == true
            }
            for _ in 0..<3 {
                let (process, port, directory) = try await startSentinel(masterName: masterName, masterPort: master.port)
                sentinels.append(process)
                ports.append(port)
                directories.append(directory)
            }
            let group = RedisSentinelGroup(masterName: masterName, servers: started, sentinelPorts: ports,
                                           sentinels: sentinels, directories: directories)
            try await group.waitUntilWatching()
            return group
        } catch {
            for sentinel in sentinels { await sentinel.stop() }
            for server in started { await server.stopAndRemove() }
            for directory in directories { directory.remove() }
            throw error
        }
    }

    private static func startSentinel(masterName: String, masterPort: Int) async throws
        -> (ChildProcess, Int, TemporaryDirectory) {
        var lastError: (any Error)?
        for _ in 0..<5 {
            let directory = try TemporaryDirectory(prefix: "sentinel")
            let port = try FreePort.next()
            let configuration = """
            port \(port)
            bind 127.0.0.1
            dir \(directory.path)
            logfile \(directory.file("sentinel.log"))
            sentinel monitor \(masterName) 127.0.0.1 \(masterPort) 2
            sentinel down-after-milliseconds \(masterName) 1000
            sentinel failover-timeout \(masterName) 3000

            """
            let file = directory.file("sentinel.conf")
            try configuration.write(toFile: file, atomically: true, encoding: .utf8)
            let process = try ChildProcess("redis-sentinel", [file])
            do {
                try await waitUntil("redis-sentinel on \(port)", timeout: .seconds(10)) {
                    guard process.isRunning else { throw RedisCLIError(arguments: ["redis-sentinel"], output: process.outputText) }
                    let result = try? await runCommand("redis-cli", ["-p", String(port), "PING"], timeout: .seconds(2))
                    return result?.output.contains("PONG") == true
                }
                _ = try? await runCommand("redis-cli", ["-p", String(port), "SENTINEL", "DEBUG", "info-period", "1000",
                                                        "publish-period", "500"])
                return (process, port, directory)
            } catch {
                lastError = error
                await process.stop()
                directory.remove()
            }
        }
        throw lastError ?? WaitTimeout(what: "a sentinel", after: .seconds(0))
    }

    /// Runs `redis-cli` against sentinel `index`.
    @discardableResult
    public func sentinelCLI(_ index: Int, _ arguments: [String]) async throws -> String {
        let (status, output) = try await runCommand("redis-cli", ["-p", String(sentinelPorts[index])] + arguments)
        guard status == 0 else { throw RedisCLIError(arguments: arguments, output: output) }
        return output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func waitUntilWatching() async throws {
        for index in sentinelPorts.indices {
            try await waitUntil("sentinel \(index) to see the master and its replica", timeout: .seconds(15)) {
                let lines = (try? await self.sentinelCLI(index, ["SENTINEL", "master", self.masterName]))?
                    .split(separator: "\n").map(String.init) ?? []
                func field(_ name: String) -> String? {
                    guard let at = lines.firstIndex(of: name), at + 1 < lines.count else { return nil }
                    return lines[at + 1]
                }
                return field("flags") == "master" && field("num-slaves") == "1"
            }
        }
    }

    /// The master's port as sentinel `index` names it.
    public func masterPort(accordingTo index: Int = 0) async throws -> Int {
        let lines = try await sentinelCLI(index, ["SENTINEL", "get-master-addr-by-name", masterName]).split(separator: "\n")
        guard lines.count == 2, let port = Int(lines[1]) else {
            throw RedisCLIError(arguments: ["get-master-addr-by-name"], output: lines.joined(separator: " "))
        }
        return port
    }

    /// The server currently named master.
    public func currentMaster() async throws -> RedisServer {
        let port = try await masterPort()
        guard let server = servers.first(where: { $0.port == port }) else {
            throw RedisCLIError(arguments: ["master"], output: "unknown port \(port)")
        }
        return server
    }

    /// Forces a failover (`SENTINEL FAILOVER` on one sentinel) and waits until every sentinel names the new
    /// master. Returns the old and new master ports.
    @discardableResult
    public func failover(timeout: Duration = .seconds(20)) async throws -> (old: Int, new: Int) {
        let old = try await masterPort()
        try await waitUntil("SENTINEL FAILOVER to be accepted", timeout: .seconds(10), poll: .milliseconds(100)) {
            let reply = try await self.sentinelCLI(0, ["SENTINEL", "FAILOVER", self.masterName])
            return reply == "OK" || reply.hasPrefix("INPROG")
        }
        var new = old
        try await waitUntil("every sentinel to name a new master", timeout: timeout) {
            var ports: [Int] = []
            for index in self.sentinelPorts.indices { ports.append(try await self.masterPort(accordingTo: index)) }
            new = ports[0]
            return ports.allSatisfy { $0 == ports[0] && $0 != old }
        }
        return (old, new)
    }

    public func stop() async {
        for sentinel in sentinels { await sentinel.stop() }
        for server in servers { await server.stopAndRemove() }
        for directory in directories { directory.remove() }
    }
}
