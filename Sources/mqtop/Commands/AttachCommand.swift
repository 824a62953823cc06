import ArgumentParser
import ConsoleUI
import Logging
import MQTTClient
import Monitor
import RedisClient
import ServiceLifecycle

/// `mqtop attach URL`: the console over a Redis that some broker (ours, EMQX, ...) writes the EMQX layout to.
struct AttachCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attach",
        abstract: "The console over a Redis written by any broker using the EMQX layout (EMQX included).",
        discussion: """
            URL forms: redis://[user:pass@]host[:port][/db], rediss://... (TLS; ?cafile=&certfile=&keyfile=), \
            unix:///path.sock, redis+sentinel://[pass@]h1:p1,h2:p2/master[/db], redis+cluster://h1:p1,h2:p2
            """
    )

    @Argument(help: "The Redis to read.")
    var url: String

    @Flag(name: .long, help: "Never write: the subscribe, unsubscribe, delete and publish keys are disabled.")
    var readonly = false

    @Option(name: .long, help: ArgumentHelp(
        "The broker that writes this Redis, for the Topics pane, $SYS figures and P: mqtt://, mqtts://, ws:// or wss://[user:pass@]host[:port][/path].",
        valueName: "url"))
    var mqtt: String?

    @Option(name: .long, help: ArgumentHelp(
        "The mqtop cluster whose nodes the header lists (alive or gone, clients each), as its nodes were started with --cluster.",
        valueName: "name"))
    var cluster: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    @OptionGroup var console: ConsoleOptions

    @OptionGroup(title: "Layout") var layout: LayoutOptions

    func run() async throws {
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw ValidationError("--log-level \(logLevel): expected trace, debug, info, notice, warning, error or critical")
        }
        // First: a RedisConfiguration carries a Logger, and one made before this would write over the panes.
        let logging = try console.bootstrapLogging(level: level)
        defer { logging.restoreStandardError() }
        let redisConfiguration: RedisConfiguration
        do {
            redisConfiguration = try RedisConfiguration(url: url)
        } catch {
            throw ValidationError("\(error)")
        }
        let logger = Logger(label: "mqtop")
        let traffic = try mqtt.map { text -> MQTTTrafficSource in
            do {
                return MQTTTrafficSource(url: try MQTTURL(text), logger: logger)
            } catch {
                throw ValidationError("--mqtt \(error)")
            }
        }
        let client = try RedisClient(configuration: redisConfiguration)
        let monitor = RedisMonitor(client: client, options: .init(mode: .attach, endpoint: Endpoints.display(url),
                                                                   channel: console.channel, layout: try layout.choice(),
                                                                   cluster: cluster),
                                   logger: logger)
        let service = ConsoleService(monitor: monitor, live: nil,
                                     configuration: DashboardConfiguration(readOnly: readonly, channel: console.channel,
                                                                           canKick: false, canPublish: traffic != nil),
                                     themeName: console.theme, writer: readonly ? nil : MonitorWriter(client: client),
                                     traffic: traffic, actions: traffic, logger: logger)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: service, successTerminationBehavior: .gracefullyShutdownGroup,
                  failureTerminationBehavior: .gracefullyShutdownGroup),
        ]
        if let traffic { services.append(.init(service: traffic)) }
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint],
                                                      logger: logger))
        try await group.run()
        await client.close()
    }
}

/// Redis endpoints as the header shows them: never a password, long socket paths shortened.
enum Endpoints {
    static func display(_ url: String) -> String {
        guard let parsed = try? RedisURL(url) else { return "redis" }
        let text = parsed.description
        if text.hasPrefix("unix://"), text.count > 40 {
            let path = text.dropFirst("unix://".count)
            return "unix:…/" + (path.split(separator: "/").suffix(2).joined(separator: "/"))
        }
        return text
    }
}
