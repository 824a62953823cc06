/// A form of one-line fields (subscribe, publish): Tab/BackTab (or arrows) move between fields, Enter
/// validates, and a valid form becomes a confirmation of what it will do.
public protocol EntryForm: Sendable, Hashable {
    associatedtype Field: RawRepresentable<Int>, CaseIterable, Hashable, Sendable

    static var title: String { get }
    static func label(_ field: Field) -> String
    var focus: Field { get set }
    /// Why the last Enter was refused, shown under the fields.
    var error: String? { get set }
    subscript(field: Field) -> LineEditor { get set }
    /// The action this form describes, or the field at fault and why.
    func validated() -> Result<Action, FormError<Field>>
}

public struct FormError<Field: Hashable & Sendable>: Error, Sendable, Hashable {
    public var field: Field
    public var message: String

    public init(field: Field, message: String) {
        self.field = field
        self.message = message
    }
}

extension EntryForm {
    public mutating func focusNext() { moveFocus(by: 1) }
    public mutating func focusPrevious() { moveFocus(by: -1) }

    private mutating func moveFocus(by step: Int) {
        let count = Field.allCases.count
        let next = ((focus.rawValue + step) % count + count) % count
        if let field = Field(rawValue: next) { focus = field }
    }
}
