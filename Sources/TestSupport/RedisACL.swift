/// A server with a password for the default user and an ACL user limited to the `mqtt:*` keys and the
/// `mqtt_*` channels (the recipe of redis-topologies.md, plus `@pubsub`).
public enum RedisACL {
    public static let defaultPassword = "s3cret-Zq9"
    public static let user = "app"
    public static let userPassword = "apppw-Xk7"

    /// `redis-server` arguments, one word per element.
    public static let serverArguments = [
        "--requirepass", defaultPassword, "--user", user, "on", ">" + userPassword, "~mqtt:*", "resetchannels",
        "&mqtt_*", "+@read", "+@write", "+@connection", "+@pubsub",
    ]
}

extension RedisServer {
    /// A server with ``RedisACL``'s password and user.
    public static func startWithACL(extraArguments: [String] = []) async throws -> RedisServer {
        try await start(extraArguments: RedisACL.serverArguments + extraArguments)
    }

    /// The server's URL with credentials: the ACL user, or the default user's password.
    public func url(user: String?, password: String) -> String {
        let userinfo = (user ?? "") + ":" + password + "@"
        return url.replacingOccurrences(of: "redis://", with: "redis://" + userinfo)
    }
}
