import ArgumentParser

/// `mqtop`: an MQTT broker with an EMQX-compatible Redis backend, and a console over what it stores.
@main
struct MQTop: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mqtop",
        abstract: "A terminal console for MQTT fleets whose state lives in Redis, with its own broker.",
        discussion: """
            With no subcommand, mqtop runs the embedded engine (broker and Redis backend).
            See README.md for the keys, the modes and the Redis URL forms.
            """,
        subcommands: [ServeCommand.self, CheckConfigCommand.self],
        defaultSubcommand: ServeCommand.self
    )
}
