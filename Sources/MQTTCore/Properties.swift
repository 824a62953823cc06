import NIOCore

/// A name/value pair of the User Property (§3.1.2.11.8); order and duplicates are significant.
public struct UserProperty: Sendable, Hashable {
    public var name: String
    public var value: String
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// Every MQTT 5.0 property (§2.2.2.2). One struct for all packets: the decoder refuses a property the packet
/// does not allow, so a decoded value only ever holds what its packet may carry.
public struct MQTTProperties: Sendable, Hashable {
    public var payloadFormatIndicator: UInt8?
    public var messageExpiryInterval: UInt32?
    public var contentType: String?
    public var responseTopic: String?
    public var correlationData: ByteBuffer?
    /// Several in a PUBLISH the server sends (one per matching subscription, §3.3.4); at most one elsewhere.
    public var subscriptionIdentifiers: [Int] = []
    public var sessionExpiryInterval: UInt32?
    public var assignedClientIdentifier: String?
    public var serverKeepAlive: UInt16?
    public var authenticationMethod: String?
    public var authenticationData: ByteBuffer?
    public var requestProblemInformation: UInt8?
    public var willDelayInterval: UInt32?
    public var requestResponseInformation: UInt8?
    public var responseInformation: String?
    public var serverReference: String?
    public var reasonString: String?
    public var receiveMaximum: UInt16?
    public var topicAliasMaximum: UInt16?
    public var topicAlias: UInt16?
    public var maximumQoS: UInt8?
    public var retainAvailable: UInt8?
    public var userProperties: [UserProperty] = []
    public var maximumPacketSize: UInt32?
    public var wildcardSubscriptionAvailable: UInt8?
    public var subscriptionIdentifierAvailable: UInt8?
    public var sharedSubscriptionAvailable: UInt8?

    public init() {}

    public var isEmpty: Bool { self == MQTTProperties() }
}

/// Property identifiers (§2.2.2.2), with the packets each may appear in.
enum PropertyID: UInt8 {
    case payloadFormatIndicator = 0x01
    case messageExpiryInterval = 0x02
    case contentType = 0x03
    case responseTopic = 0x08
    case correlationData = 0x09
    case subscriptionIdentifier = 0x0B
    case sessionExpiryInterval = 0x11
    case assignedClientIdentifier = 0x12
    case serverKeepAlive = 0x13
    case authenticationMethod = 0x15
    case authenticationData = 0x16
    case requestProblemInformation = 0x17
    case willDelayInterval = 0x18
    case requestResponseInformation = 0x19
    case responseInformation = 0x1A
    case serverReference = 0x1C
    case reasonString = 0x1F
    case receiveMaximum = 0x21
    case topicAliasMaximum = 0x22
    case topicAlias = 0x23
    case maximumQoS = 0x24
    case retainAvailable = 0x25
    case userProperty = 0x26
    case maximumPacketSize = 0x27
    case wildcardSubscriptionAvailable = 0x28
    case subscriptionIdentifierAvailable = 0x29
    case sharedSubscriptionAvailable = 0x2A
}

/// Where a property list sits; decides which identifiers are legal.
public enum PropertyContext: Sendable {
    case connect, will, connack, publish, pubAckFamily, subscribe, suback, unsubscribe, unsuback
    case disconnect, auth

    func allows(_ id: PropertyID) -> Bool {
        if id == .userProperty { return true }
        switch self {
        case .connect:
            return [.sessionExpiryInterval, .authenticationMethod, .authenticationData,
                    .requestProblemInformation, .requestResponseInformation, .receiveMaximum,
                    .topicAliasMaximum, .maximumPacketSize].contains(id)
        case .will:
            return [.payloadFormatIndicator, .messageExpiryInterval, .contentType, .responseTopic,
                    .correlationData, .willDelayInterval].contains(id)
        case .connack:
            return [.sessionExpiryInterval, .assignedClientIdentifier, .serverKeepAlive, .authenticationMethod,
                    .authenticationData, .responseInformation, .serverReference, .reasonString, .receiveMaximum,
                    .topicAliasMaximum, .maximumQoS, .retainAvailable, .maximumPacketSize,
                    .wildcardSubscriptionAvailable, .subscriptionIdentifierAvailable,
                    .sharedSubscriptionAvailable].contains(id)
        case .publish:
            return [.payloadFormatIndicator, .messageExpiryInterval, .contentType, .responseTopic,
                    .correlationData, .subscriptionIdentifier, .topicAlias].contains(id)
        case .pubAckFamily, .suback, .unsuback:
            return id == .reasonString
        case .subscribe:
            return id == .subscriptionIdentifier
        case .unsubscribe:
            return false
        case .disconnect:
            return [.sessionExpiryInterval, .serverReference, .reasonString].contains(id)
        case .auth:
            return [.authenticationMethod, .authenticationData, .reasonString].contains(id)
        }
    }
}
