import ArgumentParser
import ConsoleUI
import Logging
import Monitor
import RedisClient
import ServiceLifecycle

/// `mqtop` with no subcommand: the embedded engine (broker + Redis backend) and the console over it.
struct ConsoleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "The console over the embedded engine: broker on 127.0.0.1:1883 and its Redis backend (default)."
    )

    @OptionGroup var broker: BrokerOptions
    @OptionGroup var engine: EngineOptions
    @OptionGroup var console: ConsoleOptions

    func run() async throws {
        try await EmbeddedConsole(broker: broker, engine: engine, console: console, devices: 0, mode: .embedded).run()
    }
}

/// `mqtop demo`: the embedded console plus simulated devices, so every pane moves.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "The console over the embedded engine, with simulated devices that connect, publish and come and go."
    )

    @OptionGroup var broker: BrokerOptions
    @OptionGroup var engine: EngineOptions
    @OptionGroup var console: ConsoleOptions

    @Option(name: .long, help: "How many simulated devices.")
    var devices: Int = 12

    func validate() throws {
        guard (1...1000).contains(devices) else { throw ValidationError("--devices must be between 1 and 1000") }
    }

    func run() async throws {
        try await EmbeddedConsole(broker: broker, engine: engine, console: console, devices: devices, mode: .demo).run()
    }
}

/// Wires engine, monitor and console for the embedded modes.
struct EmbeddedConsole {
    let broker: BrokerOptions
    let engine: EngineOptions
    let console: ConsoleOptions
    let devices: Int
    let mode: HeaderInfo.Mode

    func run() async throws {
        guard !engine.noBackend else {
            throw ValidationError("the console reads Redis: drop --no-backend (or use `mqtop serve --no-backend`)")
        }
        let logging = try console.bootstrapLogging(level: try broker.parsedLogLevel())
        defer { logging.restoreStandardError() }
        let logger = Logger(label: "mqtop")
        logger.info("console starting; logs in \(logging.path)")
        let configuration = try broker.brokerConfiguration()
        let tap = console.noTraffic ? nil : BrokerTrafficTap(loops: configuration.threads)
        let service = try Engine(brokerConfiguration: configuration, options: engine, logger: logger, tap: tap)
        guard let url = service.redisURL else { throw ValidationError("no Redis to read") }
        let client = try RedisClient(configuration: RedisConfiguration(url: url))
        let monitor = RedisMonitor(client: client, options: .init(mode: mode, endpoint: Endpoints.display(url),
                                                                   channel: console.channel, cluster: engine.cluster),
                                   logger: logger)
        let source = LiveFigureSource(broker: service.broker, backend: service.backend)
        let consoleService = ConsoleService(monitor: monitor, live: { await source.figures() },
                                            configuration: DashboardConfiguration(channel: console.channel),
                                            themeName: console.theme, writer: MonitorWriter(client: client),
                                            traffic: tap, actions: EmbeddedBrokerActions(broker: service.broker),
                                            logger: logger)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: service),
            .init(service: consoleService, successTerminationBehavior: .gracefullyShutdownGroup,
                  failureTerminationBehavior: .gracefullyShutdownGroup),
        ]
        if devices > 0, let port = configuration.listeners.first(where: { $0.transport == .tcp })?.port {
            services.append(.init(service: DemoService(fleet: DemoFleet(port: port, devices: devices, logger: logger))))
        }
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint],
                                                      logger: logger))
        try await group.run()
        await client.close()
    }
}

/// The demo devices as a service that stops with the group.
struct DemoService: Service {
    let fleet: DemoFleet

    func run() async throws {
        let task = Task { await fleet.run() }
        try? await gracefulShutdown()
        task.cancel()
    }
}
