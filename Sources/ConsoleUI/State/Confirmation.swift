/// A pending write waiting for `y`: the action and the exact commands it will send.
public struct Confirmation: Sendable, Hashable {
    public var action: Action
    public var commands: [PlannedCommand]

    public init(action: Action, channel: String) {
        self.action = action
        commands = WritePlan.commands(for: action, channel: channel)
    }

    /// `will write: HSET … / PUBLISH … — y/n`, the single line the operator approves.
    public var text: String { UIStrings.confirm(commands.map(\.description)) }
}
