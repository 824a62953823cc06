import RedisBackend

/// The backend configuration: a file, or the plugin's own rule set built in.
enum BackendConfigLoader {
    static func load(path: String?) throws -> BackendConfiguration {
        guard let path else {
            return try BackendConfigParser.parse(DefaultBackendConfig.text, file: "<built-in emqx_backend_redis.conf>")
        }
        return try BackendConfigParser.parse(file: path)
    }
}
