/// A field of a message hash of the layout (`mqtt:msg:<id>`, `mqtt:retain:<topic>`,
/// `mqtt:latest_msg:<topic>`), as the seed names it.
public enum StoredMessageField: String, Sendable, CaseIterable {
    case id, from, qos, topic, payload, ts, retain
}

/// The fields of the layout's message hashes and their order, as the seed shows them.
public enum StoredMessageFields {
    /// `mqtt:msg:<id>`: `id from qos topic payload ts retain`.
    public static let messageOrder: [StoredMessageField] = [.id, .from, .qos, .topic, .payload, .ts, .retain]
    /// `mqtt:retain:<topic>`: `id from qos topic retain payload ts` (the seed's retained layout).
    public static let retainOrder: [StoredMessageField] = [.id, .from, .qos, .topic, .retain, .payload, .ts]
}
