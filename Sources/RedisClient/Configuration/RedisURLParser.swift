/// The parsing behind ``RedisURL``. Every error names the part that is wrong and never echoes a password.
enum RedisURLParser {
    private enum Scheme {
        case single, unix, sentinel, cluster
    }

    static func parse(_ string: String) throws(RedisError) -> RedisURL {
        guard let colon = string.firstIndex(of: ":"), string[colon...].hasPrefix("://") else {
            throw .url("scheme", "missing 'scheme://' (e.g. redis://127.0.0.1:6379)")
        }
        let schemeText = string[..<colon].lowercased()
        let scheme: Scheme
        let tls: Bool
        switch schemeText {
        case "redis": (scheme, tls) = (.single, false)
        case "rediss": (scheme, tls) = (.single, true)
        case "unix", "redis+unix", "redis+socket": (scheme, tls) = (.unix, false)
        case "redis+sentinel": (scheme, tls) = (.sentinel, false)
        case "rediss+sentinel": (scheme, tls) = (.sentinel, true)
        case "redis+cluster": (scheme, tls) = (.cluster, false)
        case "rediss+cluster": (scheme, tls) = (.cluster, true)
        default:
            throw .url("scheme", "unknown scheme '\(schemeText.prefix(32))' (expected redis, rediss, unix, "
                + "redis+sentinel or redis+cluster)")
        }
        var rest = string[string.index(colon, offsetBy: 3)...]
        guard !rest.contains("#") else { throw .url("fragment", "a '#fragment' is not allowed") }
        var queryText: Substring?
        if let question = rest.firstIndex(of: "?") {
            queryText = rest[rest.index(after: question)...]
            rest = rest[..<question]
        }

        // Userinfo ends at the last '@' before the path (passwords may contain '@' only percent-encoded).
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        let path = rest[authorityEnd...]
        var url = RedisURL(topology: .single(RedisEndpoint(host: "localhost")))
        if let at = authority.lastIndex(of: "@") {
            try parseUserinfo(authority[..<at], into: &url)
            authority = authority[authority.index(after: at)...]
        }
        if tls { url.tls = RedisTLSOptions() }

        switch scheme {
        case .unix:
            guard authority.isEmpty else {
                throw .url("path", "a unix socket URL has no host: write unix:///absolute/path.sock")
            }
            let socket = try percentDecoded(path, part: "path")
            guard socket.count > 1 else { throw .url("path", "the socket path is missing") }
            url.topology = .single(RedisEndpoint(unixSocket: socket))
        case .single:
            let hosts = try parseHosts(authority, defaultPort: 6379)
            guard hosts.count == 1 else {
                throw .url("host", "a list of hosts needs redis+sentinel:// or redis+cluster://")
            }
            url.topology = .single(hosts[0])
            url.database = try parseDatabase(path.dropFirst())
        case .sentinel:
            let hosts = try parseHosts(authority, defaultPort: 26379)
            let segments = path.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
            guard let name = segments.first, !name.isEmpty else {
                throw .url("master name", "the master name is missing (redis+sentinel://host:26379/mymaster)")
            }
            guard segments.count <= 2 else { throw .url("path", "expected /mastername[/db]") }
            url.topology = .sentinel(sentinels: hosts, masterName: try percentDecoded(name, part: "master name"))
            if segments.count == 2 { url.database = try parseDatabase(segments[1]) }
        case .cluster:
            let hosts = try parseHosts(authority, defaultPort: 6379)
            url.topology = .cluster(seeds: hosts)
            let database = try parseDatabase(path.dropFirst())
            guard database == nil || database == 0 else {
                throw .url("database", "Redis Cluster has only database 0")
            }
        }
        if let queryText { try parseQuery(queryText, into: &url, scheme: scheme) }
        return url
    }

    private static func parseUserinfo(_ userinfo: Substring, into url: inout RedisURL) throws(RedisError) {
        if let colon = userinfo.firstIndex(of: ":") {
            let user = try percentDecoded(userinfo[..<colon], part: "username")
            let password = try percentDecoded(userinfo[userinfo.index(after: colon)...], part: "password")
            url.username = user.isEmpty ? nil : user
            url.password = password.isEmpty ? nil : password
        } else {
            let password = try percentDecoded(userinfo, part: "password")
            url.password = password.isEmpty ? nil : password
        }
    }

    private static func parseHosts(_ authority: Substring, defaultPort: Int) throws(RedisError) -> [RedisEndpoint] {
        guard !authority.isEmpty else { throw .url("host", "the host is missing") }
        var endpoints: [RedisEndpoint] = []
        for item in authority.split(separator: ",", omittingEmptySubsequences: false) {
            guard !item.isEmpty else { throw .url("host", "empty entry in the host list '\(authority)'") }
            var host: Substring
            var portText: Substring?
            if item.hasPrefix("[") {
                guard let close = item.firstIndex(of: "]") else {
                    throw .url("host", "unterminated IPv6 address '\(item)'")
                }
                host = item[item.index(after: item.startIndex)..<close]
                let after = item[item.index(after: close)...]
                if !after.isEmpty {
                    guard after.hasPrefix(":") else { throw .url("host", "unexpected text after ']' in '\(item)'") }
                    portText = after.dropFirst()
                }
            } else if let colon = item.firstIndex(of: ":") {
                host = item[..<colon]
                portText = item[item.index(after: colon)...]
            } else {
                host = item
            }
            guard !host.isEmpty else { throw .url("host", "the host is missing in '\(item)'") }
            guard host.allSatisfy({ $0.isLetter || $0.isNumber || "-._:%".contains($0) }) else {
                throw .url("host", "invalid character in host '\(host)'")
            }
            var port = defaultPort
            if let portText {
                guard let value = Int(portText), portText.allSatisfy(\.isASCII), (1...65535).contains(value) else {
                    throw .url("port", "port '\(portText.prefix(16))' is not a number from 1 to 65535")
                }
                port = value
            }
            endpoints.append(RedisEndpoint(host: String(host), port: port))
        }
        return endpoints
    }

    private static func parseDatabase(_ text: Substring) throws(RedisError) -> Int? {
        guard !text.isEmpty else { return nil }
        guard let value = Int(text), text.allSatisfy({ $0.isASCII && $0.isNumber }), value <= Int(Int32.max) else {
            throw .url("database", "database '\(text.prefix(16))' is not a non-negative number")
        }
        return value
    }

    private static func parseQuery(_ query: Substring, into url: inout RedisURL, scheme: Scheme) throws(RedisError) {
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = try percentDecoded(parts[0], part: "query").lowercased()
            let value = parts.count > 1 ? try percentDecoded(parts[1], part: "query option '\(key)'") : ""
            let tlsOnly = ["cafile", "certfile", "keyfile", "insecure", "servername"]
            if tlsOnly.contains(key), url.tls == nil {
                throw .url("query option '\(key)'", "'\(key)' needs a TLS scheme (rediss://)")
            }
            switch key {
            case "db", "database":
                guard scheme != .cluster || value == "0" else { throw .url("database", "Redis Cluster has only database 0") }
                url.database = try parseDatabase(value[...])
            case "client_name", "clientname", "name":
                url.clientName = value
            case "connect_timeout":
                url.connectTimeout = try seconds(value, option: key)
            case "command_timeout", "timeout":
                url.commandTimeout = try seconds(value, option: key)
            case "pool_size":
                guard let size = Int(value), (1...1024).contains(size) else {
                    throw .url("query option 'pool_size'", "pool_size '\(value.prefix(16))' is not from 1 to 1024")
                }
                url.poolSize = size
            case "protocol":
                guard value == "2" || value == "3" else {
                    throw .url("query option 'protocol'", "protocol must be 2 or 3, not '\(value.prefix(8))'")
                }
                url.protocolVersion = Int(value)
            case "password":
                url.password = value.isEmpty ? nil : value
            case "username", "user":
                url.username = value.isEmpty ? nil : value
            case "cafile": url.tls?.caFile = value
            case "certfile": url.tls?.certificateFile = value
            case "keyfile": url.tls?.keyFile = value
            case "servername", "sni": url.tls?.serverName = value
            case "insecure":
                guard ["1", "0", "true", "false", "yes", "no", ""].contains(value) else {
                    throw .url("query option 'insecure'", "insecure must be 1 or 0")
                }
                url.tls?.verifyPeer = !["1", "true", "yes", ""].contains(value)
            default:
                throw .url("query option '\(key.prefix(32))'", "unknown query option '\(key.prefix(32))'")
            }
        }
    }

    private static func seconds(_ text: String, option: String) throws(RedisError) -> Duration {
        guard let value = Double(text), value.isFinite, value > 0, value < 86_400 else {
            throw .url("query option '\(option)'", "\(option) '\(text.prefix(16))' is not a number of seconds")
        }
        return .milliseconds(Int64((value * 1000).rounded()))
    }

    /// RFC 3986 percent-decoding; `part` names the component in the error, whose text is never echoed.
    static func percentDecoded(_ text: Substring, part: String) throws(RedisError) -> String {
        guard text.contains("%") else { return String(text) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                throw .url(part, "the \(part) has an invalid percent-escape")
            }
            bytes.append(high << 4 | low)
        }
        guard let decoded = String(validating: bytes, as: UTF8.self) else {
            throw .url(part, "the \(part) is not valid UTF-8 after percent-decoding")
        }
        return decoded
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
