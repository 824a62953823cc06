import Foundation

/// The `P` form: topic, payload, QoS (default 0) and retain (default no), as `mosquitto_pub` would take them.
public struct PublishForm: EntryForm {
    public static let title = UIStrings.publishFormTitle
    public static func label(_ field: Field) -> String { UIStrings.publishFormLabel(field) }

    public enum Field: Int, CaseIterable, Sendable {
        case topic, payload, qos, retain
    }

    public var topic: LineEditor
    public var payload: LineEditor
    public var qos: LineEditor
    public var retain: LineEditor
    public var focus: Field
    public var error: String?

    /// Starts at the payload when a topic is prefilled.
    public init(topic: String = "", payload: String = "", qos: Int = 0, retain: Bool = false) {
        self.topic = LineEditor(topic)
        self.payload = LineEditor(payload)
        self.qos = LineEditor(String(qos))
        self.retain = LineEditor(retain ? "yes" : "no")
        focus = topic.isEmpty ? .topic : .payload
    }

    public subscript(field: Field) -> LineEditor {
        get {
            switch field {
            case .topic: return topic
            case .payload: return payload
            case .qos: return qos
            case .retain: return retain
            }
        }
        set {
            switch field {
            case .topic: topic = newValue
            case .payload: payload = newValue
            case .qos: qos = newValue
            case .retain: retain = newValue
            }
        }
    }

    public func validated() -> Result<Action, FormError<Field>> {
        guard TopicMatch.isValidTopicName(topic.text) else {
            return .failure(FormError(field: .topic, message: UIStrings.errorTopicInvalid))
        }
        guard let level = Int(qos.text.trimmingCharacters(in: .whitespaces)), (0...2).contains(level) else {
            return .failure(FormError(field: .qos, message: UIStrings.errorQoS))
        }
        let retainText = retain.text.trimmingCharacters(in: .whitespaces).lowercased()
        guard let retained = Self.yesNo[retainText] else {
            return .failure(FormError(field: .retain, message: UIStrings.errorRetain))
        }
        return .success(.publish(topic: topic.text, payload: payload.text, qos: level, retain: retained))
    }

    private static let yesNo = ["yes": true, "y": true, "true": true, "1": true,
                                "no": false, "n": false, "false": false, "0": false, "": false]
}
