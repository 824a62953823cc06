import NIOCore

/// The broker limits a session decides by, shared by every session (one reference each).
final class SessionPolicy: Sendable {
    let maxInflight: Int
    let maxQueuedPerSession: Int
    let flowControlThreshold: Int
    let maxSessionExpiry: UInt32
    let maxKeepAlive: UInt16?
    let receiveMaximum: UInt16
    let topicAliasMaximum: UInt16
    let maxPacketSize: Int
    let retainAvailable: Bool

    init(_ configuration: BrokerConfiguration) {
        maxInflight = configuration.maxInflight
        maxQueuedPerSession = configuration.maxQueuedPerSession
        flowControlThreshold = configuration.flowControlThreshold
        maxSessionExpiry = configuration.maxSessionExpiry
        maxKeepAlive = configuration.maxKeepAlive
        receiveMaximum = configuration.receiveMaximum
        topicAliasMaximum = configuration.topicAliasMaximum
        maxPacketSize = configuration.maxPacketSize
        retainAvailable = configuration.retainAvailable
    }
}
