// Server and connection: INFO, PING, ROLE. https://redis.io/docs/latest/commands/?group=server

/// What `ROLE` says a server is.
public enum RedisRole: Sendable, Hashable {
    case master(replicationOffset: Int, replicas: [RedisEndpoint])
    case replica(master: RedisEndpoint, linkState: String)
    case sentinel(masters: [String])
    case unknown(String)
}

extension RedisCommand {
    public static func info(_ section: String? = nil) -> RedisCommand {
        RedisCommand("INFO", section.map { [RESPArgument($0)] } ?? [])
    }

    public static func ping() -> RedisCommand {
        RedisCommand("PING")
    }

    public static func role() -> RedisCommand {
        RedisCommand("ROLE")
    }
}

extension RedisCommandExecuting {
    /// `INFO` parsed into `field: value` pairs (section headers dropped).
    public func info(_ section: String? = nil) async throws -> [String: String] {
        let text = try await send(.info(section)).string ?? ""
        var fields: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[String(line[..<colon])] = String(line[line.index(after: colon)...])
        }
        return fields
    }

    /// Round-trip time of a `PING`.
    @discardableResult
    public func ping() async throws -> Duration {
        let start = ContinuousClock.now
        _ = try await send(.ping())
        return ContinuousClock.now - start
    }

    public func role() async throws -> RedisRole {
        let reply = try await send(.role())
        let items = reply.array ?? []
        switch items.first?.string {
        case "master":
            let offset = items.count > 1 ? items[1].int ?? 0 : 0
            let replicas = (items.count > 2 ? items[2].array ?? [] : []).compactMap { replica -> RedisEndpoint? in
                guard let parts = replica.array, parts.count >= 2, let host = parts[0].string, let port = parts[1].int else {
                    return nil
                }
                return RedisEndpoint(host: host, port: port)
            }
            return .master(replicationOffset: offset, replicas: replicas)
        case "slave", "replica":
            guard items.count >= 4, let host = items[1].string, let port = items[2].int else { return .unknown("replica") }
            return .replica(master: RedisEndpoint(host: host, port: port), linkState: items[3].string ?? "")
        case "sentinel":
            return .sentinel(masters: (items.count > 1 ? items[1].array ?? [] : []).compactMap(\.string))
        default:
            return .unknown(reply.description)
        }
    }
}
