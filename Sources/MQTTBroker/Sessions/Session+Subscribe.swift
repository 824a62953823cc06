import MQTTCore
import NIOCore

/// SUBSCRIBE and UNSUBSCRIBE, from the client or server-side (the backend, the SUB/UNSUB channel).
extension Session {
    func receiveSubscribe(_ subscribe: SubscribePacket) {
        let identifier = subscribe.properties.subscriptionIdentifiers.first
        var reasons: [ReasonCode] = []
        var added: [(SessionSubscription, isNew: Bool)] = []
        var updates: [EventLoopFuture<Void>] = []
        for request in subscribe.subscriptions {
            guard let target = SubscriptionTarget(request.filter) else {
                logger.info("SUBSCRIBE: invalid topic filter \"\(request.filter)\"")
                reasons.append(.topicFilterInvalid)
                continue
            }
            if target.shareGroup != nil && request.noLocal {
                return violate(.protocolError, "No Local on shared subscription \(request.filter)", .subscribe)
            }
            guard permissions.maySubscribe(request.filter) else {
                logger.warning("SUBSCRIBE to \(request.filter) denied by ACL", metadata: ["user": "\(client.username ?? "-")"])
                reasons.append(.notAuthorized)
                continue
            }
            let (subscription, isNew, update) = addSubscription(target, options: request, identifier: identifier)
            updates.append(update)
            added.append((subscription, isNew))
            reasons.append(ReasonCode(rawValue: subscription.options.qos.rawValue))
        }
        let packetID = subscribe.packetID
        // SUBACK only once every loop routes the new filters, so a publish after SUBACK always matches.
        EventLoopFuture.andAllComplete(updates, on: loop).assumeIsolated().whenComplete { [self] _ in
            guard connection != nil else { return }
            send(.suback(SubAckPacket(packetID: packetID, reasons: reasons)))
            for (subscription, isNew) in added {
                subscribed(subscription, isNew: isNew)
            }
        }
    }

    /// Adds or replaces a subscription and routes it on every loop; the future completes when it is live.
    func addSubscription(_ target: SubscriptionTarget, options: SubscriptionRequest, identifier: Int?)
        -> (SessionSubscription, isNew: Bool, EventLoopFuture<Void>) {
        let key = target.description
        let isNew = subscriptions[key] == nil
        let subscription = SessionSubscription(target: target, options: options, identifier: identifier)
        subscriptions[key] = subscription
        if isNew { core.stats.add(core.stats.subscriptions) }
        let route = Route(subscriber: handle, qos: options.qos, noLocal: options.noLocal,
                          retainAsPublished: options.retainAsPublished, identifier: identifier)
        return (subscription, isNew, core.addRoute(target, route: route, from: handle.loopIndex))
    }

    /// After SUBACK: hooks, then retained messages as Retain Handling says (§3.3.1.3). Shared
    /// subscriptions get no retained messages (§4.8.2).
    func subscribed(_ subscription: SessionSubscription, isNew: Bool) {
        core.emit(.sessionSubscribed(client, SubscriptionInfo(filter: subscription.target.description,
                                                               qos: subscription.options.qos, isNew: isNew)))
        guard subscription.target.shareGroup == nil else { return }
        switch subscription.options.retainHandling {
        case .doNotSend: return
        case .sendIfNew where !isNew: return
        default: break
        }
        for message in core.retained.matching(subscription.target.filter) {
            deliver(Delivery(message: message, qos: min(message.qos, subscription.options.qos), retain: true,
                             subscriptionIdentifiers: subscription.identifier.map { [$0] } ?? []))
        }
    }

    func receiveUnsubscribe(_ unsubscribe: UnsubscribePacket) {
        var reasons: [ReasonCode] = []
        var updates: [EventLoopFuture<Void>] = []
        var removed: [String] = []
        for filter in unsubscribe.filters {
            if let update = removeSubscription(filter) {
                updates.append(update)
                removed.append(filter)
                reasons.append(.success)
            } else {
                reasons.append(.noSubscriptionExisted)
            }
        }
        let packetID = unsubscribe.packetID
        EventLoopFuture.andAllComplete(updates, on: loop).assumeIsolated().whenComplete { [self] _ in
            guard connection != nil else { return }
            send(.unsuback(UnsubAckPacket(packetID: packetID,
                                                      reasons: version.hasProperties ? reasons : [])))
            for filter in removed { core.emit(.sessionUnsubscribed(client, filter: filter)) }
        }
    }

    /// Removes the subscription to `filter` (as subscribed, share prefix included) everywhere.
    func removeSubscription(_ filter: String) -> EventLoopFuture<Void>? {
        guard let subscription = subscriptions.removeValue(forKey: filter) else { return nil }
        core.stats.add(core.stats.subscriptions, -1)
        return core.removeRoute(subscription.target, subscriber: handle)
    }

    // MARK: - Server-side

    /// Subscribes without a SUBSCRIBE packet (stored subscriptions, the SUB/UNSUB channel). Returns false for
    /// an invalid filter.
    func subscribeServerSide(filter: String, qos: QoS) -> Bool {
        guard let target = SubscriptionTarget(filter) else { return false }
        let request = SubscriptionRequest(filter: filter, qos: qos)
        let (subscription, isNew, update) = addSubscription(target, options: request, identifier: nil)
        update.assumeIsolated().whenComplete { [self] _ in
            guard !ended else { return }
            subscribed(subscription, isNew: isNew)
        }
        return true
    }

    func unsubscribeServerSide(filter: String) -> Bool {
        guard let update = removeSubscription(filter) else { return false }
        update.assumeIsolated().whenComplete { [self] _ in core.emit(.sessionUnsubscribed(client, filter: filter)) }
        return true
    }
}
