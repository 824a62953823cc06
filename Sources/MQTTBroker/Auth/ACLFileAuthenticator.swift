/// `--acl-file` on top of whatever authenticates (Redis auth, or nobody): the authenticator decides who
/// may connect and its own ACL, and the file's rules must allow too.
public struct ACLFileAuthenticator: BrokerAuthenticator {
    public let acl: ACLFile
    public let inner: (any BrokerAuthenticator)?

    public init(acl: ACLFile, inner: (any BrokerAuthenticator)?) {
        self.acl = acl
        self.inner = inner
    }

    public var checksCredentials: Bool { inner?.checksCredentials ?? false }

    public func authenticate(_ client: ClientInfo, password: [UInt8]?) async -> AuthenticationResult {
        let result = await inner?.authenticate(client, password: password) ?? .allowed(.all)
        guard case .allowed(let granted) = result else { return result }
        let fromFile = acl.permissions(username: client.username, clientID: client.clientID)
        return .allowed(granted == .all ? fromFile : granted.requiring(fromFile))
    }
}
