/// A message hash of the layout (`mqtt:msg:<id>`, `mqtt:retain:<topic>`, `mqtt:latest_msg:<topic>`),
/// field names and their order as the seed shows them.
public enum StoredMessageFields {
    /// `mqtt:msg:<id>`: `id from qos topic payload ts retain`.
    public static let messageOrder = ["id", "from", "qos", "topic", "payload", "ts", "retain"]
    /// `mqtt:retain:<topic>`: `id from qos topic retain payload ts` (the seed's retained layout).
    public static let retainOrder = ["id", "from", "qos", "topic", "retain", "payload", "ts"]
}
