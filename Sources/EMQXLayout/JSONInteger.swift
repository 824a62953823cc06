import Foundation

/// A whole number from `JSONSerialization`'s output. `value as? Int` also takes `true` and `false`
/// (booleans are NSNumbers), and on Linux `value is Bool` holds for 0 and 1: a JSON boolean is the
/// NSNumber whose type is "c".
public enum JSONInteger {
    public static func from(_ value: Any) -> Int? {
        if let number = value as? NSNumber, String(cString: number.objCType) == "c" { return nil }
        return value as? Int
    }
}
