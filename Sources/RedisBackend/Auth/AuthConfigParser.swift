import Foundation

/// Reads `auth.redis.*` lines (the format of EMQX's `emqx_auth_redis.conf`). Errors name file:line.
public enum AuthConfigParser {
    static let prefix = "auth.redis."

    public static func parse(file path: String) throws -> AuthConfiguration {
        try parse(ConfigLines.contents(of: path), file: path)
    }

    public static func parse(_ text: String, file: String) throws -> AuthConfiguration {
        var configuration = AuthConfiguration(source: file)
        for line in try ConfigLines.read(text, file: file) {
            guard line.key.hasPrefix(prefix) else {
                throw ConfigError(line.location, "unknown key \(line.key) (keys start with \(prefix))")
            }
            try apply(String(line.key.dropFirst(prefix.count)), line.value, line.location, to: &configuration)
        }
        if configuration.pool.kind == .sentinel && configuration.pool.sentinel == nil {
            throw ConfigError(configuration.pool.location, "a sentinel pool needs auth.redis.sentinel (the master name)")
        }
        return configuration
    }

    private static func apply(_ setting: String, _ value: String, _ location: SourceLocation,
                              to configuration: inout AuthConfiguration) throws {
        func command() throws -> AuthCommandTemplate? {
            if value.isEmpty { return nil }
            guard let template = AuthCommandTemplate(value) else {
                throw ConfigError(location, "\(setting) must be a Redis command whose name is not a placeholder")
            }
            return template
        }
        func flag(_ yes: String, _ no: String) throws -> Bool {
            switch value {
            case yes, "true", "on": return true
            case no, "false", "off": return false
            default: throw ConfigError(location, "\(setting) must be \(yes) or \(no), got \"\(value)\"")
            }
        }
        if configuration.pool.location.line == 0 {
            configuration.pool.location = location
        }
        switch setting {
        case "auth_cmd":
            guard let template = try command() else { throw ConfigError(location, "auth_cmd must not be empty") }
            configuration.authCommand = template
        case "super_cmd": configuration.superCommand = try command()
        case "acl_cmd": configuration.aclCommand = try command()
        case "password_hash":
            guard let hash = PasswordHash(parsing: value) else {
                throw ConfigError(location, "password_hash \"\(value)\" is not one of plain, md5, sha, sha256, sha512, salt,<hash>, <hash>,salt, pbkdf2,<hash>,<iterations>,<length> (bcrypt is not available)")
            }
            configuration.passwordHash = hash
        case "acl_nomatch": configuration.allowWhenNoACLMatches = try flag("allow", "deny")
        case "allow_anonymous": configuration.allowAnonymous = try flag("true", "false")
        case "pool": try configuration.pool.apply(setting: "pool_size", value: value, location: location)
        default:
            try configuration.pool.apply(setting: setting, value: value, location: location)
        }
    }
}
