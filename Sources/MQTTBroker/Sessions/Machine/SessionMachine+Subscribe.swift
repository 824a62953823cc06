import MQTTCore
import NIOCore

/// SUBSCRIBE and UNSUBSCRIBE, from the client or server-side (the backend, the SUB/UNSUB channel).
extension SessionMachine {
    mutating func receiveSubscribe<Output: SessionOutput>(_ subscribe: SubscribePacket, into out: inout Output) {
        let identifier = subscribe.properties.subscriptionIdentifiers.first
        var reasons: [ReasonCode] = []
        var added: [(SessionSubscription, isNew: Bool)] = []
        for request in subscribe.subscriptions {
            guard let target = SubscriptionTarget(request.filter) else {
                out.perform(.log(.info, "SUBSCRIBE: invalid topic filter \"\(request.filter)\""))
                reasons.append(.topicFilterInvalid)
                continue
            }
            if target.shareGroup != nil && request.noLocal {
                return violate(.protocolError, "No Local on shared subscription \(request.filter)", .subscribe,
                               into: &out)
            }
            guard permissions.maySubscribe(request.filter) else {
                out.perform(.log(.warning,
                                 "SUBSCRIBE to \(request.filter) denied by ACL for user \(client.username ?? "-")"))
                reasons.append(.notAuthorized)
                continue
            }
            let (subscription, isNew) = addSubscription(target, options: request, identifier: identifier, into: &out)
            added.append((subscription, isNew))
            reasons.append(ReasonCode(rawValue: subscription.options.qos.rawValue))
        }
        // Every loop routes the new filters for any publish read from now on (RouteChangeLog), so the
        // SUBACK need not wait for them.
        out.write(.suback(SubAckPacket(packetID: subscribe.packetID, reasons: reasons)))
        for (subscription, isNew) in added {
            subscribed(subscription, isNew: isNew, into: &out)
        }
    }

    /// Adds or replaces a subscription and routes it on every loop.
    private mutating func addSubscription<Output: SessionOutput>(
        _ target: SubscriptionTarget, options: SubscriptionRequest, identifier: Int?, into out: inout Output
    ) -> (SessionSubscription, isNew: Bool) {
        let key = target.description
        let isNew = subscriptions[key] == nil
        let subscription = SessionSubscription(target: target, options: options, identifier: identifier)
        subscriptions[key] = subscription
        if isNew { out.perform(.count(.subscriptions, 1)) }
        out.perform(.addRoute(subscription))
        return (subscription, isNew)
    }

    /// After SUBACK: hooks, then retained messages as Retain Handling says (§3.3.1.3). Shared
    /// subscriptions get no retained messages (§4.8.2).
    private func subscribed<Output: SessionOutput>(_ subscription: SessionSubscription, isNew: Bool,
                                                   into out: inout Output) {
        out.perform(.emit(.sessionSubscribed(client, SubscriptionInfo(filter: subscription.target.description,
                                                                      qos: subscription.options.qos, isNew: isNew))))
        guard subscription.target.shareGroup == nil else { return }
        switch subscription.options.retainHandling {
        case .doNotSend: return
        case .sendIfNew where !isNew: return
        default: out.perform(.sendRetained(subscription))
        }
    }

    /// Retained messages found for the subscription to `key` (at once, or later from the backend).
    mutating func deliverRetained<Output: SessionOutput>(_ messages: ArraySlice<BrokerMessage>, forSubscription key: String,
                                                         now: NIODeadline, into out: inout Output) {
        // Unsubscribed meanwhile: nothing is owed.
        guard let subscription = subscriptions[key] else { return }
        for message in messages {
            deliver(Delivery(message: message, qos: min(message.qos, subscription.options.qos), retain: true,
                             subscriptionIdentifiers: subscription.identifier.map { [$0] } ?? []),
                    now: now, into: &out)
        }
    }

    mutating func receiveUnsubscribe<Output: SessionOutput>(_ unsubscribe: UnsubscribePacket,
                                                            into out: inout Output) {
        var reasons: [ReasonCode] = []
        var removed: [String] = []
        for filter in unsubscribe.filters {
            if removeSubscription(filter, into: &out) {
                removed.append(filter)
                reasons.append(.success)
            } else {
                reasons.append(.noSubscriptionExisted)
            }
        }
        out.write(.unsuback(UnsubAckPacket(packetID: unsubscribe.packetID,
                                                    reasons: version.hasProperties ? reasons : [])))
        for filter in removed { out.perform(.emit(.sessionUnsubscribed(client, filter: filter))) }
    }

    /// Removes the subscription to `filter` (as subscribed, share prefix included) everywhere; false if there
    /// was none.
    private mutating func removeSubscription<Output: SessionOutput>(_ filter: String, into out: inout Output) -> Bool {
        guard let subscription = subscriptions.removeValue(forKey: filter) else { return false }
        out.perform(.count(.subscriptions, -1))
        out.perform(.removeRoute(subscription.target))
        return true
    }

    // MARK: - Server-side

    /// Subscribes without a SUBSCRIBE packet (stored subscriptions, the SUB/UNSUB channel). Returns false for
    /// an invalid filter.
    mutating func subscribeServerSide<Output: SessionOutput>(filter: String, qos: QoS, into out: inout Output) -> Bool {
        guard !hasEnded, let target = SubscriptionTarget(filter) else { return false }
        let request = SubscriptionRequest(filter: filter, qos: qos)
        let (subscription, isNew) = addSubscription(target, options: request, identifier: nil, into: &out)
        subscribed(subscription, isNew: isNew, into: &out)
        return true
    }

    mutating func unsubscribeServerSide<Output: SessionOutput>(filter: String, into out: inout Output) -> Bool {
        guard removeSubscription(filter, into: &out) else { return false }
        out.perform(.emit(.sessionUnsubscribed(client, filter: filter)))
        return true
    }
}
