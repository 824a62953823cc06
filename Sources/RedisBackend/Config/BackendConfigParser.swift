import EMQXLayout
import Foundation
import MQTTCore

/// Reads the plugin's own file format (`key = value`, `#` comments) into a `BackendConfiguration`.
/// Every refusal names file:line and the reason; nothing is guessed.
public enum BackendConfigParser {
    static let prefix = "backend.redis."
    static let hookPrefix = "backend.redis.hook."

    public static func parse(file path: String) throws -> BackendConfiguration {
        try parse(ConfigLines.contents(of: path), file: path)
    }

    public static func parse(_ text: String, file: String) throws -> BackendConfiguration {
        var configuration = BackendConfiguration()
        configuration.source = file
        for line in try ConfigLines.read(text, file: file) {
            let (key, value, location) = (line.key, line.value, line.location)
            guard key.hasPrefix(prefix) else {
                throw ConfigError(location, "unknown key \(key) (keys start with \(prefix))")
            }
            if key.hasPrefix(hookPrefix) {
                let rule = try parseRule(key: key, value: value, location: location)
                configuration.rules[rule.hook, default: []].append(rule)
            } else if key == prefix + "time_unit" {
                guard let unit = BackendConfiguration.TimeUnit(rawValue: value) else {
                    throw ConfigError(location, "time_unit must be s or ms, got \"\(value)\"")
                }
                configuration.timeUnit = unit
            } else {
                try applyPoolSetting(key: key, value: value, location: location, to: &configuration)
            }
        }
        try validate(&configuration)
        return configuration
    }

    // MARK: - Pools

    private static func applyPoolSetting(key: String, value: String, location: SourceLocation,
                                         to configuration: inout BackendConfiguration) throws {
        let rest = key.dropFirst(prefix.count)
        guard let dot = rest.firstIndex(of: ".") else {
            throw ConfigError(location, "unknown key \(key) (expected \(prefix)<pool>.<setting>)")
        }
        let poolName = String(rest[..<dot])
        let setting = String(rest[rest.index(after: dot)...])
        var pool = configuration.pools[poolName] ?? PoolConfiguration(name: poolName, location: location)
        try pool.apply(setting: setting, value: value, location: location)
        configuration.pools[poolName] = pool
    }

    // MARK: - Rules

    private static func parseRule(key: String, value: String, location: SourceLocation) throws -> BackendRule {
        let rest = key.dropFirst(hookPrefix.count)
        guard let lastDot = rest.lastIndex(of: ".") else {
            throw ConfigError(location, "expected \(hookPrefix)<hook>.<N>, got \(key)")
        }
        let hookName = String(rest[..<lastDot])
        let suffix = String(rest[rest.index(after: lastDot)...])
        guard let hook = HookPoint(name: hookName) else {
            let known = HookPoint.allCases.map(\.rawValue).joined(separator: ", ")
            throw ConfigError(location, "unknown hook \(hookName) (one of \(known))")
        }
        guard !suffix.isEmpty else { throw ConfigError(location, "rule \(key) has an empty suffix") }
        let object = try jsonObject(value, location: location)
        return try RuleDecoder(hook: hook, suffix: suffix, location: location).decode(object)
    }

    private static func jsonObject(_ text: String, location: SourceLocation) throws -> [String: Any] {
        guard let data = text.data(using: .utf8),
              let parsed = try? JSONSerialization.jsonObject(with: data, options: []) else {
            throw ConfigError(location, "the rule is not valid JSON: \(text)")
        }
        guard let object = parsed as? [String: Any] else {
            throw ConfigError(location, "the rule must be a JSON object")
        }
        return object
    }

    // MARK: - Whole-file checks

    private static func validate(_ configuration: inout BackendConfiguration) throws {
        // Checked in file order, so the error named is always the first one (dictionaries iterate in no fixed
        // order; found by the FuzzBackendConfig fuzz target).
        for pool in configuration.pools.values.sorted(by: { $0.location.line < $1.location.line }) {
            if pool.kind == .sentinel && pool.sentinel == nil {
                throw ConfigError(pool.location, "pool \(pool.name) is a sentinel pool without backend.redis.\(pool.name).sentinel (the master name)")
            }
            if pool.kind == .cluster && pool.database != 0 {
                throw ConfigError(pool.location, "pool \(pool.name): a cluster has no database other than 0")
            }
        }
        let rulesInFileOrder = configuration.rules.values.joined().sorted { $0.location.line < $1.location.line }
        for rule in rulesInFileOrder where configuration.pools[rule.pool] == nil {
            let known = configuration.pools.keys.sorted().joined(separator: ", ")
            throw ConfigError(rule.location, "rule \(rule.hook).\(rule.suffix) names pool \"\(rule.pool)\", which is not defined (defined: \(known.isEmpty ? "none" : known))")
        }
        for (hook, rules) in configuration.rules {
            configuration.rules[hook] = rules.sorted { lhs, rhs in
                switch (Int(lhs.suffix), Int(rhs.suffix)) {
                case let (l?, r?): l < r
                default: lhs.suffix < rhs.suffix
                }
            }
        }
    }
}

/// Turns one rule's JSON object into a `BackendRule`, refusing unknown keys and wrong types.
struct RuleDecoder {
    let hook: HookPoint
    let suffix: String
    let location: SourceLocation

    func fail(_ reason: String) -> ConfigError { ConfigError(location, "rule \(hook).\(suffix): \(reason)") }

    func decode(_ object: [String: Any]) throws -> BackendRule {
        let known: Set<String> = ["action", "pool", "topic", "expired_time"]
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            throw fail("unknown key \"\(unknown)\" (known: action, pool, topic, expired_time)")
        }
        guard let pool = object["pool"] as? String, !pool.isEmpty else { throw fail("\"pool\" must name a pool") }
        var topic: String?
        if let value = object["topic"] {
            guard let text = value as? String, TopicFilter(text) != nil else {
                throw fail("\"topic\" must be a valid MQTT topic filter, got \(value)")
            }
            topic = text == "#" ? nil : text
        }
        var expiredTime = 7200
        if let value = object["expired_time"] {
            guard let number = JSONInteger.from(value), number >= 0 else {
                throw fail("\"expired_time\" must be a whole number of seconds, got \(value)")
            }
            expiredTime = number
        }
        guard let action = object["action"] as? [String: Any] else {
            throw fail("\"action\" must be an object with \"function\" or \"commands\"")
        }
        return BackendRule(hook: hook, suffix: suffix, topic: topic, action: try decodeAction(action), pool: pool,
                           expiredTime: expiredTime, location: location)
    }

    private func decodeAction(_ action: [String: Any]) throws -> BackendRule.Action {
        if action.count != 1 { throw fail("\"action\" must hold exactly one of \"function\" or \"commands\"") }
        if let name = action["function"] {
            guard let name = name as? String, let function = BuiltinFunction(rawValue: name) else {
                let known = BuiltinFunction.allCases.map(\.rawValue).joined(separator: ", ")
                throw fail("unknown function \(action["function"] ?? "") (known: \(known))")
            }
            guard function.hooks.contains(hook) else {
                let hooks = function.hooks.map(\.rawValue).sorted().joined(separator: " or ")
                throw fail("\(function) runs on \(hooks), not on \(hook)")
            }
            return .function(function)
        }
        if let commands = action["commands"] {
            guard let list = commands as? [String], !list.isEmpty else {
                throw fail("\"commands\" must be a non-empty list of strings")
            }
            do {
                return .commands(try list.map { try CommandTemplate($0, hook: hook) })
            } catch {
                throw fail("command template: \(error)")
            }
        }
        throw fail("\"action\" must hold \"function\" or \"commands\"")
    }
}
