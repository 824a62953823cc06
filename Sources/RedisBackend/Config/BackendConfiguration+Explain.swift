/// `mqtop check-config`: what was understood, one line per pool and per rule. Passwords never appear.
extension BackendConfiguration {
    public func explanation() -> [String] {
        var lines: [String] = []
        lines.append("time unit: \(timeUnit == .seconds ? "seconds" : "milliseconds")")
        for pool in pools.values.sorted(by: { $0.name < $1.name }) {
            var text = "pool \(pool.name) (\(pool.location)): \(pool.kind.rawValue) \(pool.servers.joined(separator: ","))"
            if let sentinel = pool.sentinel { text += " master \(sentinel)" }
            text += " db \(pool.database) pool_size \(pool.poolSize) channel \(pool.channel)"
            if pool.username != nil { text += " user ***" }
            if pool.password != nil { text += " password ***" }
            if pool.ssl { text += " tls" }
            lines.append(text)
        }
        for rule in allRules {
            var text = "rule \(rule.hook).\(rule.suffix) (\(rule.location)): "
            if rule.hook.usesTopic { text += "topic \(rule.topic ?? "#") -> " }
            switch rule.action {
            case .function(let function):
                text += function.rawValue
                if function.usesExpiry { text += " (expire \(rule.expiredTime) s)" }
            case .commands(let templates):
                text += templates.map { "\"\($0.text)\"" }.joined(separator: "; ")
            }
            text += " -> \(rule.pool)"
            lines.append(text)
        }
        return lines
    }
}
