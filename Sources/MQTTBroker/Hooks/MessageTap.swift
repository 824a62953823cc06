/// Sees every application message the broker accepts (QoS 0 included, `$SYS` too), for the console's
/// traffic view. Called on the publish path, on the event loop that accepted the message (`loop` is its
/// index, 0 for injected messages): it must return at once, never block, never wait for its consumer.
public protocol MessageTap: Sendable {
    func tap(_ message: BrokerMessage, loop: Int)
}
