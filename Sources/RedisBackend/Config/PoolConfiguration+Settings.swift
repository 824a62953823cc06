import Foundation

/// Reading one `<prefix>.<pool>.<setting>` line into a pool (the backend's pools and the auth plugin's).
extension PoolConfiguration {
    mutating func apply(setting: String, value: String, location: SourceLocation) throws {
        func integer(_ range: ClosedRange<Int>) throws -> Int {
            guard let number = Int(value), range.contains(number) else {
                throw ConfigError(location, "\(setting) must be a number in \(range.lowerBound)...\(range.upperBound), got \"\(value)\"")
            }
            return number
        }
        switch setting {
        case "type":
            guard let parsed = PoolConfiguration.Kind(rawValue: value) else {
                throw ConfigError(location, "type must be single, sentinel or cluster, got \"\(value)\"")
            }
            kind = parsed
        case "server":
            let list = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard !list.isEmpty, list.allSatisfy(Self.isHostPort) else {
                throw ConfigError(location, "server must be host[:port][,host[:port]...], got \"\(value)\"")
            }
            servers = list
        case "sentinel": sentinel = value.isEmpty ? nil : value
        case "pool_size": poolSize = try integer(1...1024)
        case "database": database = try integer(0...1_000_000)
        case "username": username = value.isEmpty ? nil : value
        case "password": password = value.isEmpty ? nil : value
        case "channel":
            guard !value.isEmpty else { throw ConfigError(location, "channel must not be empty") }
            channel = value
        case "ssl":
            guard let flag = ["on": true, "true": true, "off": false, "false": false][value] else {
                throw ConfigError(location, "ssl must be on or off, got \"\(value)\"")
            }
            ssl = flag
        case "cafile", "cacertfile": caFile = value
        case "certfile": certFile = value
        case "keyfile": keyFile = value
        default:
            throw ConfigError(location, "unknown pool setting \(setting)")
        }
    }

    static func isHostPort(_ text: String) -> Bool {
        guard !text.isEmpty else { return false }
        if let colon = text.lastIndex(of: ":") {
            guard let port = Int(text[text.index(after: colon)...]), (1...65535).contains(port) else { return false }
            return colon > text.startIndex
        }
        return true
    }
}
