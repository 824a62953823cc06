import Foundation

/// A small keyspace as each EMQX generation writes it, for the attach journeys and the layout tests:
/// the commands, and what the console must show for them. Expired members sit in each plugin queue
/// (with their message hashes still there, as if the TTL had not fired yet) so that a depth counting
/// them is caught.
public enum LayoutFixture: String, CaseIterable, Sendable {
    /// EMQX 3.x/4.x backend, timestamps in seconds, retained as a hash (the seed's form).
    case emqx4Seconds
    /// EMQX 4.x backend, timestamps in milliseconds, retained as a string naming a message.
    case emqx4Millis
    /// The 5.x offline-message plugin: scores are expiry times.
    case omp5
    /// The 6.x tree's plugin: scores are publish times, TTL 7200 s.
    case omp6

    /// What the console must show.
    public struct Expected: Sendable {
        public var layoutName: String
        public var clientsTitle: String
        public var subscription: String
        public var queueTopic: String
        public var depth: Int
        /// The oldest live message's age as the Queues pane writes it.
        public var oldestAge: String
        public var retainedTopic: String?
    }

    public var expected: Expected {
        switch self {
        case .emqx4Seconds:
            return Expected(layoutName: "emqx4", clientsTitle: "online 1 / total 2", subscription: "sensor/+/temp",
                            queueTopic: "queue/jobs", depth: 3, oldestAge: "42m", retainedTopic: "rt/kitchen")
        case .emqx4Millis:
            return Expected(layoutName: "emqx4", clientsTitle: "online 1 / total 2", subscription: "sensor/+/temp",
                            queueTopic: "queue/jobs", depth: 3, oldestAge: "31m", retainedTopic: "rt/hall")
        case .omp5:
            return Expected(layoutName: "omp 5.x", clientsTitle: "online ? · known 2", subscription: "t/+/temp",
                            queueTopic: "t/1/temp", depth: 3, oldestAge: "17m", retainedTopic: nil)
        case .omp6:
            return Expected(layoutName: "omp 6.x", clientsTitle: "online ? · known 2", subscription: "t/+/temp",
                            queueTopic: "t/1/temp", depth: 2, oldestAge: "23m", retainedTopic: nil)
        }
    }

    /// The writes, with times relative to `now` (unix ms).
    public func commands(now: Int64) -> [[String]] {
        let minute: Int64 = 60_000
        switch self {
        case .emqx4Seconds, .emqx4Millis:
            let millis = self == .emqx4Millis
            func time(_ ms: Int64) -> String { String(millis ? ms : ms / 1000) }
            let oldest = now - (millis ? 31 : 42) * minute
            var commands: [[String]] = [
                ["HSET", "mqtt:client:cli-alpha", "state", "1", "online_at", time(now - 5 * minute), "offline_at", "undefined"],
                ["HSET", "mqtt:client:cli-gamma", "state", "0", "online_at", time(now - 90 * minute),
                 "offline_at", time(now - 60 * minute)],
                ["HSET", "mqtt:node:emqx@10.0.0.1", "cli-alpha", time(now - 5 * minute)],
                ["HSET", "mqtt:sub:cli-alpha", "sensor/+/temp", "1"],
                ["HSET", "mqtt:sub:cli-gamma", "queue/jobs", "1"],
            ]
            for (index, id) in ["4xA0", "4xA1", "4xA2"].enumerated() {
                commands.append(["HSET", "mqtt:msg:" + id, "id", id, "from", "cli-alpha", "qos", "1", "topic", "queue/jobs",
                                 "payload", "job \(index)", "ts", time(oldest + Int64(index) * minute), "retain", "false"])
            }
            commands.append(["ZADD", "mqtt:msg:queue/jobs", "1", "4xA0", "1", "4xA1", "1", "4xA2"])
            if millis {
                commands.append(["HSET", "mqtt:msg:4xR0", "id", "4xR0", "from", "cli-alpha", "qos", "1", "topic", "rt/hall",
                                 "payload", "lights on", "ts", time(now - 3 * minute), "retain", "true"])
                commands.append(["SET", "mqtt:retain:rt/hall", "4xR0"])
            } else {
                commands.append(["HSET", "mqtt:retain:rt/kitchen", "id", "4xR1", "from", "cli-alpha", "qos", "1",
                                 "topic", "rt/kitchen", "retain", "true", "payload", "21.5C", "ts", time(now - 3 * minute)])
            }
            return commands
        case .omp5, .omp6:
            let ttl: Int64 = 7200_000
            var commands: [[String]] = [
                ["HSET", "mqtt:sub:dev-1", "t/+/temp", "1"],
                ["HSET", "mqtt:sub:dev-2", "alerts/#", "2", "t/1/temp", "1"],
            ]
            // Published this many minutes ago; the plugin's TTL is two hours, so the last two have expired.
            let ages: [Int64] = self == .omp5 ? [17, 9, 2, 130, 200] : [23, 4, 125, 300]
            var members: [String] = []
            for (index, age) in ages.enumerated() {
                let id = (self == .omp5 ? "5x" : "6x") + "M\(index)"
                let published = now - age * minute
                commands.append(["HSET", "mqtt:msg:" + id, "id", id, "from", "dev-3", "qos", "1", "topic", "t/1/temp",
                                 "payload", "temp \(index)", "ts", String(published), "retain", "false"])
                // A live message's hash expires with it, as the plugin's EXPIRE sets.
                if published + ttl > now {
                    commands.append(["PEXPIRE", "mqtt:msg:" + id, String(published + ttl - now)])
                }
                let score = self == .omp5 ? String(published + ttl) : String(published) + ".25"
                members += [score, id]
            }
            commands.append(["ZADD", "mqtt:msg:t/1/temp"] + members)
            return commands
        }
    }
}
