import MQTTCore
import NIOCore

/// SUBSCRIBE and UNSUBSCRIBE, from the client or server-side (the backend, the SUB/UNSUB channel).
extension Session {
    func receiveSubscribe(_ subscribe: SubscribePacket) {
        let identifier = subscribe.properties.subscriptionIdentifiers.first
        var reasons: [ReasonCode] = []
        var added: [(SessionSubscription, isNew: Bool)] = []
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
            let (subscription, isNew) = addSubscription(target, options: request, identifier: identifier)
            added.append((subscription, isNew))
            reasons.append(ReasonCode(rawValue: subscription.options.qos.rawValue))
        }
        // Every loop routes the new filters for any publish read from now on (RouteChangeLog), so the
        // SUBACK need not wait for them.
        send(.suback(SubAckPacket(packetID: subscribe.packetID, reasons: reasons)))
        for (subscription, isNew) in added {
            subscribed(subscription, isNew: isNew)
        }
    }

    /// Adds or replaces a subscription and routes it on every loop.
    func addSubscription(_ target: SubscriptionTarget, options: SubscriptionRequest, identifier: Int?)
        -> (SessionSubscription, isNew: Bool) {
        let key = target.description
        let isNew = subscriptions[key] == nil
        let subscription = SessionSubscription(target: target, options: options, identifier: identifier)
        subscriptions[key] = subscription
        if isNew { core.stats.add(.subscriptions, lane: handle.loopIndex) }
        let route = Route(subscriber: handle, qos: options.qos, noLocal: options.noLocal,
                          retainAsPublished: options.retainAsPublished, identifier: identifier)
        core.addRoute(target, route: route)
        return (subscription, isNew)
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
        let indexed = core.retained.matching(subscription.target.filter, now: loop.now)
        guard let source = core.retainedSource.withLock({ $0 }) else {
            deliverRetained(indexed, for: subscription)
            return
        }
        let handle = self.handle
        let key = subscription.target.description
        source.retainedMessages(matching: key, indexed: indexed) { messages in
            handle.withSession { session in
                // Unsubscribed meanwhile: nothing is owed.
                guard let current = session.subscriptions[key] else { return }
                session.deliverRetained(messages, for: current)
                session.flushIfNeeded()
            }
        }
    }

    private func deliverRetained(_ messages: [BrokerMessage], for subscription: SessionSubscription) {
        for message in messages {
            deliver(Delivery(message: message, qos: min(message.qos, subscription.options.qos), retain: true,
                             subscriptionIdentifiers: subscription.identifier.map { [$0] } ?? []))
        }
    }

    func receiveUnsubscribe(_ unsubscribe: UnsubscribePacket) {
        var reasons: [ReasonCode] = []
        var removed: [String] = []
        for filter in unsubscribe.filters {
            if removeSubscription(filter) {
                removed.append(filter)
                reasons.append(.success)
            } else {
                reasons.append(.noSubscriptionExisted)
            }
        }
        send(.unsuback(UnsubAckPacket(packetID: unsubscribe.packetID, reasons: version.hasProperties ? reasons : [])))
        for filter in removed { core.emit(.sessionUnsubscribed(client, filter: filter)) }
    }

    /// Removes the subscription to `filter` (as subscribed, share prefix included) everywhere; false if there
    /// was none.
    func removeSubscription(_ filter: String) -> Bool {
        guard let subscription = subscriptions.removeValue(forKey: filter) else { return false }
        core.stats.add(.subscriptions, -1, lane: handle.loopIndex)
        core.removeRoute(subscription.target, subscriber: handle)
        return true
    }

    // MARK: - Server-side

    /// Subscribes without a SUBSCRIBE packet (stored subscriptions, the SUB/UNSUB channel). Returns false for
    /// an invalid filter.
    func subscribeServerSide(filter: String, qos: QoS) -> Bool {
        guard let target = SubscriptionTarget(filter) else { return false }
        let request = SubscriptionRequest(filter: filter, qos: qos)
        let (subscription, isNew) = addSubscription(target, options: request, identifier: nil)
        subscribed(subscription, isNew: isNew)
        return true
    }

    func unsubscribeServerSide(filter: String) -> Bool {
        guard removeSubscription(filter) else { return false }
        core.emit(.sessionUnsubscribed(client, filter: filter))
        return true
    }
}
