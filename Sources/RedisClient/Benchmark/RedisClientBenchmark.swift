import Logging
import NIOCore

/// Pipelined throughput of this client, shaped like `redis-benchmark -P <pipeline> -c <concurrency>` so the
/// two can run against the same server and be compared as a ratio. Meant for `mqtop bench`, not for tests.
public enum RedisClientBenchmark {
    /// What to send, as redis-benchmark's tests of the same name do (3-byte values, keys drawn from 100,000).
    public enum Workload: String, Sendable, CaseIterable {
        /// `SET key:<n> xxx`.
        case set
        /// `HSET myhash element:<n> xxx`.
        case hset
    }

    /// Which client API drives the load.
    public enum API: String, Sendable, CaseIterable {
        /// `try await client.pipeline(batch)` from Swift tasks.
        case async
        /// `client.pipeline(batch, on: eventLoop)` chained on event loops, as NIO code (the broker) would call it.
        case futures
    }

    public struct Result: Sendable, CustomStringConvertible {
        public var api: API
        public var workload: Workload
        public var commands: Int
        public var pipeline: Int
        public var concurrency: Int
        public var poolSize: Int
        public var duration: Duration
        public var failures: Int

        public var commandsPerSecond: Double {
            let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
            return seconds > 0 ? Double(commands) / seconds : 0
        }

        public var description: String {
            "\(workload.rawValue.uppercased()): \(Int(commandsPerSecond.rounded())) commands/s "
                + "(\(api.rawValue) API, \(commands) commands, pipeline \(pipeline), \(concurrency) concurrent batches, pool \(poolSize), "
                + "\(failures) failed)"
        }
    }

    /// Runs each workload: `concurrency` tasks each keep one batch of `pipeline` commands in flight until
    /// `commands` have been sent.
    public static func run(url: String, commands: Int = 200_000, pipeline: Int = 16, concurrency: Int = 50,
                           poolSize: Int = 2, workloads: [Workload] = Workload.allCases,
                           api: API = .futures) async throws -> [Result] {
        var configuration = try RedisConfiguration(url: url)
        configuration.poolSize = poolSize
        configuration.healthCheckInterval = nil
        var logger = Logger(label: "mqtop.redis.bench")
        logger.logLevel = .error
        configuration.logger = logger
        let client = try await RedisClient.connect(configuration)
        var results: [Result] = []
        do {
            for workload in workloads {
                // Warm up connections and the server's key space.
                _ = try await client.pipeline((0..<pipeline).map { command(workload, $0) })
                switch api {
                case .async:
                    results.append(try await measure(client, workload, commands: commands, pipeline: pipeline,
                                                     concurrency: concurrency, poolSize: poolSize))
                case .futures:
                    results.append(try await measureFutures(client, workload, commands: commands, pipeline: pipeline,
                                                            concurrency: concurrency, poolSize: poolSize))
                }
            }
        } catch {
            await client.close()
            throw error
        }
        await client.close()
        return results
    }

    private static func measure(_ client: RedisClient, _ workload: Workload, commands: Int, pipeline: Int,
                                concurrency: Int, poolSize: Int) async throws -> Result {
        let batches = (commands + pipeline - 1) / pipeline
        let clock = ContinuousClock()
        let start = clock.now
        let failures = try await withThrowingTaskGroup(of: Int.self) { group in
            for worker in 0..<max(1, concurrency) {
                group.addTask {
                    var failed = 0
                    var batch = worker
                    var counter = worker &* 7919
                    var commandsOfBatch: [RedisCommand] = []
                    commandsOfBatch.reserveCapacity(pipeline)
                    while batch < batches {
                        commandsOfBatch.removeAll(keepingCapacity: true)
                        for _ in 0..<pipeline {
                            counter = (counter &+ 1) % 100_000
                            commandsOfBatch.append(command(workload, counter))
                        }
                        for result in try await client.pipeline(commandsOfBatch) {
                            if case .failure = result { failed += 1 }
                        }
                        batch += concurrency
                    }
                    return failed
                }
            }
            return try await group.reduce(0, +)
        }
        return Result(api: .async, workload: workload, commands: batches * pipeline, pipeline: pipeline, concurrency: concurrency,
                      poolSize: poolSize, duration: clock.now - start, failures: failures)
    }

    /// Each worker is a chain of futures on one event loop: the next batch is written when the last completes.
    private static func measureFutures(_ client: RedisClient, _ workload: Workload, commands: Int, pipeline: Int,
                                       concurrency: Int, poolSize: Int) async throws -> Result {
        let batches = (commands + pipeline - 1) / pipeline
        let workers = max(1, concurrency)
        let clock = ContinuousClock()
        let start = clock.now
        var futures: [EventLoopFuture<Int>] = []
        for worker in 0..<workers {
            let eventLoop = client.configuration.eventLoopGroup.next()
            let promise = eventLoop.makePromise(of: Int.self)
            @Sendable func next(batch: Int, counter: Int, failed: Int) {
                guard batch < batches else {
                    promise.succeed(failed)
                    return
                }
                var counter = counter
                var batchCommands: [RedisCommand] = []
                batchCommands.reserveCapacity(pipeline)
                for _ in 0..<pipeline {
                    counter = (counter &+ 1) % 100_000
                    batchCommands.append(command(workload, counter))
                }
                let nextCounter = counter
                client.pipeline(batchCommands, on: eventLoop).whenComplete { outcome in
                    var failures = failed
                    switch outcome {
                    case .success(let results):
                        for result in results {
                            if case .failure = result { failures += 1 }
                        }
                    case .failure:
                        failures += pipeline
                    }
                    next(batch: batch + workers, counter: nextCounter, failed: failures)
                }
            }
            eventLoop.execute { next(batch: worker, counter: worker &* 7919, failed: 0) }
            futures.append(promise.futureResult)
        }
        var failures = 0
        for future in futures { failures += try await future.get() }
        return Result(api: .futures, workload: workload, commands: batches * pipeline, pipeline: pipeline,
                      concurrency: concurrency, poolSize: poolSize, duration: clock.now - start, failures: failures)
    }

    private static func command(_ workload: Workload, _ number: Int) -> RedisCommand {
        switch workload {
        case .set: return RedisCommand("SET", [RESPArgument("key:\(number)"), "xxx"])
        case .hset: return RedisCommand("HSET", ["myhash", RESPArgument("element:\(number)"), "xxx"])
        }
    }
}
