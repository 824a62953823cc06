import MQTTCore

/// One subscription as the router sees it: who, and with which options.
struct Route {
    let subscriber: SessionHandle
    let qos: QoS
    let noLocal: Bool
    let retainAsPublished: Bool
    let identifier: Int?
}

/// A message bound for one session, after overlapping subscriptions were merged (§3.3.4).
struct Delivery {
    let message: BrokerMessage
    /// min(message QoS, highest granted QoS among the matching subscriptions).
    var qos: QoS
    /// The RETAIN flag to send: set for retained lookups, or kept when a subscription is Retain As Published.
    var retain: Bool
    /// Every matching subscription's identifier (5.0).
    var subscriptionIdentifiers: [Int]
}
