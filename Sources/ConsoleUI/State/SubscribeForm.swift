import Foundation

/// The `s` form: client id, topic filter, QoS. Tab/BackTab (or arrows) move between fields, Enter
/// validates, and a valid form becomes a confirmation of the writes it implies.
public struct SubscribeForm: EntryForm {
    public static let title = UIStrings.formTitle
    public static func label(_ field: Field) -> String { UIStrings.formLabel(field) }

    public enum Field: Int, CaseIterable, Sendable {
        case clientID, filter, qos
    }

    public var clientID: LineEditor
    public var filter: LineEditor
    public var qos: LineEditor
    public var focus: Field
    /// Why the last Enter was refused, shown under the fields.
    public var error: String?

    /// Starts at the filter field when a client id is prefilled, since that is what is left to type.
    public init(clientID: String = "", filter: String = "", qos: Int = 1) {
        self.clientID = LineEditor(clientID)
        self.filter = LineEditor(filter)
        self.qos = LineEditor(String(qos))
        focus = clientID.isEmpty ? .clientID : .filter
    }

    public subscript(field: Field) -> LineEditor {
        get {
            switch field {
            case .clientID: return clientID
            case .filter: return filter
            case .qos: return qos
            }
        }
        set {
            switch field {
            case .clientID: clientID = newValue
            case .filter: filter = newValue
            case .qos: qos = newValue
            }
        }
    }

    /// The action this form describes, or the reason it cannot be submitted.
    public func validated() -> Result<Action, FormError<Field>> {
        let cid = clientID.text
        let topic = filter.text
        guard !cid.isEmpty else { return .failure(FormError(field: .clientID, message: UIStrings.errorClientIDEmpty)) }
        guard TopicMatch.isValidFilter(topic) else {
            return .failure(FormError(field: .filter, message: UIStrings.errorFilterInvalid))
        }
        guard let level = Int(qos.text.trimmingCharacters(in: .whitespaces)), (0...2).contains(level) else {
            return .failure(FormError(field: .qos, message: UIStrings.errorQoS))
        }
        return .success(.subscribe(clientID: cid, filter: topic, qos: level))
    }
}
