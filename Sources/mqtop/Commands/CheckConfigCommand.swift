import ArgumentParser
import Foundation
import RedisBackend

/// `mqtop check-config FILE`: parse a backend configuration and explain it, or say where it is wrong.
struct CheckConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Parse an emqx_backend_redis.conf and print the pools and rules it defines, one line each."
    )

    @Argument(help: "The configuration file (the plugin's own format).")
    var file: String

    func run() throws {
        do {
            // An auth.redis.* file is the auth plugin's; anything else the backend's.
            let text = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
            let isAuth = text.split(whereSeparator: \.isNewline).contains { $0.trimmingCharacters(in: .whitespaces).hasPrefix("auth.redis.") }
            if isAuth {
                let configuration = try AuthConfigParser.parse(file: file)
                for line in configuration.explanation() { print(line) }
                print("\(file): OK, auth plugin")
            } else {
                let configuration = try BackendConfigParser.parse(file: file)
                for line in configuration.explanation() { print(line) }
                print("\(file): OK, \(configuration.pools.count) pool(s), \(configuration.allRules.count) rule(s)")
            }
        } catch let error as ConfigError {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
