import Logging
import MQTTBroker
import MQTTCore
import RedisClient
import RESP

/// Authentication and ACL from Redis in the layout of EMQX's `emqx_auth_redis`: `mqtt_user:<username>`
/// (`password`, `salt`, `is_superuser`) and `mqtt_acl:<username>` (filter → 1 subscribe, 2 publish, 3 both,
/// `%u`/`%c` in filters). One pipelined round trip per CONNECT; ACL checks afterwards need none.
public final class RedisAuthenticator: BrokerAuthenticator {
    public let configuration: AuthConfiguration
    private let client: RedisClient
    private let logger: Logger

    public init(configuration: AuthConfiguration, connectionOverride: RedisConfiguration?, logger: Logger) throws {
        self.configuration = configuration
        self.logger = logger
        var redis = try connectionOverride ?? PoolConnector.configuration(for: configuration.pool, logger: logger)
        redis.poolSize = configuration.pool.poolSize
        redis.clientName = "mqtop-auth"
        client = try RedisClient(configuration: redis)
    }

    public func authenticate(_ client: ClientInfo, password: [UInt8]?) async -> AuthenticationResult {
        guard let username = client.username, !username.isEmpty else {
            return configuration.allowAnonymous
                ? .allowed(ClientPermissions(allowWhenNoRuleMatches: configuration.allowWhenNoACLMatches))
                : .denied(.notAuthorized, why: "anonymous clients are not allowed")
        }
        var commands = [command(configuration.authCommand, username: username, clientID: client.clientID)]
        if let superCommand = configuration.superCommand {
            commands.append(command(superCommand, username: username, clientID: client.clientID))
        }
        if let aclCommand = configuration.aclCommand {
            commands.append(command(aclCommand, username: username, clientID: client.clientID))
        }
        let replies: [Result<RESPValue, RedisError>]
        do {
            replies = try await self.client.pipeline(commands)
        } catch {
            return .denied(.serverUnavailable, why: "user lookup failed: \(error)")
        }
        guard case .success(let authReply) = replies[0] else {
            return .denied(.serverUnavailable, why: "user lookup failed: \(replies[0])")
        }
        let (stored, salt) = storedPassword(authReply)
        guard let stored else { return .denied(.badUserNameOrPassword, why: "unknown user") }
        guard configuration.passwordHash.verify(password: password ?? [], salt: salt, stored: stored) else {
            return .denied(.badUserNameOrPassword, why: "wrong password")
        }
        var index = 1
        var superuser = false
        if configuration.superCommand != nil {
            let value = (try? replies[index].get())?.string
            superuser = value == "1" || value == "true"
            index += 1
        }
        var rules: [ACLRule] = []
        if configuration.aclCommand != nil, let value = try? replies[index].get() {
            rules = aclRules(value, username: username, clientID: client.clientID)
        }
        return .allowed(ClientPermissions(superuser: superuser, rules: rules,
                                          allowWhenNoRuleMatches: configuration.allowWhenNoACLMatches))
    }

    private func command(_ template: AuthCommandTemplate, username: String, clientID: String) -> RedisCommand {
        let words = template.arguments(username: username, clientID: clientID)
        return RedisCommand(words[0], words.dropFirst().map { RESPArgument($0) })
    }

    /// The password and salt from the auth command's reply: HMGET's array in the order of its fields, or a
    /// plain string for a GET-style command.
    private func storedPassword(_ reply: RESPValue) -> (String?, [UInt8]) {
        if let values = reply.array {
            let fields = configuration.authCommand.requestedFields
            var password: String?
            var salt: [UInt8] = []
            for (field, value) in zip(fields, values) {
                if field == "password" { password = value.string }
                if field == "salt", let bytes = value.bytes { salt = Array(bytes.readableBytesView) }
            }
            if password == nil, fields.isEmpty { password = values.first?.string }
            return (password, salt)
        }
        return (reply.string, [])
    }

    private func aclRules(_ reply: RESPValue, username: String, clientID: String) -> [ACLRule] {
        var pairs: [(String, String)] = []
        if let map = reply.map {
            for entry in map.entries {
                if let filter = entry.key.string, let access = entry.value.string { pairs.append((filter, access)) }
            }
        }
        return pairs.compactMap { filter, access in
            guard let bits = Int(access), (1...3).contains(bits) else {
                logger.warning("ignored ACL entry with access \"\(access)\"", metadata: ["key": "mqtt_acl:\(username)"])
                return nil
            }
            let expanded = filter.replacingOccurrences(of: "%u", with: username)
                .replacingOccurrences(of: "%c", with: clientID)
            return ACLRule(filter: expanded, access: ACLRule.Access(rawValue: bits))
        }
    }

    public func close() async {
        await client.close()
    }
}

import Foundation
