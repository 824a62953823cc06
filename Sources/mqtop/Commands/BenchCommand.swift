import ArgumentParser
import RedisClient

/// `mqtop bench`: the project's own load tools. (The MQTT broker comparison with Mosquitto uses the shared
/// C harness: `make bench`.)
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Load tools: `mqtop bench redis` measures the Redis client's pipelined throughput.",
        subcommands: [RedisBench.self]
    )

    /// Pipelined SET and HSET through mqtop's Redis client (compare with `redis-benchmark -P 16`:
    /// scripts/bench-redis-client.sh runs both in one go).
    struct RedisBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "redis", abstract: "Pipelined SET and HSET throughput of mqtop's Redis client.")

        @Option(help: "The Redis to load (a scratch server: the benchmark writes keys).")
        var url: String

        @Option(help: "Commands per workload.")
        var commands: Int = 200_000

        @Option(help: "Commands per pipeline.")
        var pipeline: Int = 16

        @Option(help: "Pipelines in flight at once.")
        var concurrency: Int = 50

        @Option(name: .customLong("pool-size"), help: "Connections.")
        var poolSize: Int = 2

        @Option(help: "futures (event-loop callers, as the broker) or async (Swift tasks).")
        var api: String = "futures"

        func run() async throws {
            guard let api = RedisClientBenchmark.API(rawValue: api) else {
                throw ValidationError("--api must be futures or async")
            }
            let results = try await RedisClientBenchmark.run(url: url, commands: commands, pipeline: pipeline,
                                                             concurrency: concurrency, poolSize: poolSize, api: api)
            for result in results {
                print("\(result.workload.rawValue): \(Int(result.commandsPerSecond.rounded())) commands/s"
                      + " (\(result.failures) failed, pipeline \(pipeline), concurrency \(concurrency), \(api.rawValue))")
            }
        }
    }
}
