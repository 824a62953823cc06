import ArgumentParser

/// `mqtop`: an MQTT broker with an EMQX-compatible Redis backend, and a console over what it stores.
@main
struct MQTop: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mqtop",
        abstract: "A terminal console for MQTT fleets whose state lives in Redis, with its own broker.",
        // One line per paragraph: ArgumentParser wraps to the terminal and keeps every line break.
        discussion: """
            With no subcommand, mqtop runs the console over the embedded engine: an MQTT broker on \
            127.0.0.1:1883 whose Redis backend writes the EMQX layout to a private redis-server.

            Keys: ? help, Tab/1-4 panes, / filter, Enter detail, s subscribe, u unsubscribe, d delete \
            retained, o offline clients, t theme, p pause, q quit.

            See README.md for the modes and URL forms.
            """,
        subcommands: [ConsoleCommand.self, ServeCommand.self, AttachCommand.self, DemoCommand.self,
                      CheckConfigCommand.self, BenchCommand.self],
        defaultSubcommand: ConsoleCommand.self
    )
}
