import RedisClient
import Testing
import TestSupport

/// The benchmark driver runs (tiny load; numbers are not checked: this is not a timed test).
@Suite("Benchmark driver")
struct BenchmarkDriverTests {
    @Test(arguments: RedisClientBenchmark.API.allCases)
    func smoke(api: RedisClientBenchmark.API) async throws {
        try await withServer(await RedisServer.start()) { server in
            let results = try await RedisClientBenchmark.run(url: server.url, commands: 3_200, pipeline: 16, concurrency: 4,
                                                             poolSize: 2, api: api)
            #expect(results.map(\.workload) == [.set, .hset])
            #expect(results.allSatisfy { $0.failures == 0 && $0.commands == 3_200 && $0.commandsPerSecond > 0 })
            #expect(try await server.cli("HLEN", "myhash") != "0")
        }
    }
}
