/// Where a new subscription's retained messages come from when the broker's store is only an index of them:
/// the Redis backend answers from `mqtt:retain:*`, so a message that expired or was deleted there (by
/// another broker, by an operator) is not served from memory.
public protocol RetainedMessageSource: Sendable {
    /// Looks up the retained messages for a new subscription to `filter` and calls `deliver` with those to
    /// send, in one part or several one after another, in order (an empty part or none when there are
    /// none; `indexed`: what the broker's store holds for it, live ones only).
    func retainedMessages(matching filter: String, indexed: [BrokerMessage],
                          deliver: @escaping @Sendable ([BrokerMessage]) -> Void)
}
