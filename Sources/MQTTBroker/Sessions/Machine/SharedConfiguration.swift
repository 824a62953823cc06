/// The broker's configuration behind one reference, for the values that decide by it (every session's
/// machine): inline, the struct would cost each session its whole size.
final class SharedConfiguration: Sendable {
    let configuration: BrokerConfiguration

    init(_ configuration: BrokerConfiguration) {
        self.configuration = configuration
    }
}
