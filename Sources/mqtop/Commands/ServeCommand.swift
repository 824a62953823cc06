import ArgumentParser
import Logging
import ServiceLifecycle

/// `mqtop serve`: the broker (and, once configured, its Redis backend) without the console.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the broker headless (local development broker, CI, containers); logs go to stderr."
    )

    @OptionGroup var broker: BrokerOptions
    @OptionGroup var engine: EngineOptions

    func run() async throws {
        let level = try broker.parsedLogLevel()
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "mqtop")
        let configuration = try broker.brokerConfiguration()
        let service = try Engine(brokerConfiguration: configuration, options: engine, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [service], gracefulShutdownSignals: [.sigterm, .sigint],
                                                      logger: logger))
        try await group.run()
    }
}
