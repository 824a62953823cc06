import Crypto
import _CryptoExtras
import Foundation

/// How stored passwords are hashed (the `password_hash` of emqx_auth_redis). Digests are stored as
/// lower-case hex; `salt,sha256` hashes salt then password, `sha256,salt` password then salt.
public enum PasswordHash: Sendable, Hashable, CustomStringConvertible {
    public enum Digest: String, Sendable, Hashable {
        case md5, sha, sha256, sha512
    }

    case plain
    case digest(Digest)
    case saltedBefore(Digest)
    case saltedAfter(Digest)
    case pbkdf2(Digest, iterations: Int, length: Int)

    init?(parsing text: String) {
        let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        switch parts.count {
        case 1:
            if parts[0] == "plain" { self = .plain; return }
            guard let digest = Digest(rawValue: parts[0]) else { return nil }
            self = .digest(digest)
        case 2:
            if parts[0] == "salt", let digest = Digest(rawValue: parts[1]) {
                self = .saltedBefore(digest)
            } else if parts[1] == "salt", let digest = Digest(rawValue: parts[0]) {
                self = .saltedAfter(digest)
            } else {
                return nil
            }
        case 4:
            guard parts[0] == "pbkdf2", let digest = Digest(rawValue: parts[1]), digest != .md5,
                  let iterations = Int(parts[2]), iterations > 0, let length = Int(parts[3]), (1...512).contains(length)
            else { return nil }
            self = .pbkdf2(digest, iterations: iterations, length: length)
        default:
            return nil
        }
    }

    public var description: String {
        switch self {
        case .plain: "plain"
        case .digest(let digest): digest.rawValue
        case .saltedBefore(let digest): "salt,\(digest.rawValue)"
        case .saltedAfter(let digest): "\(digest.rawValue),salt"
        case .pbkdf2(let digest, let iterations, let length): "pbkdf2,\(digest.rawValue),\(iterations),\(length)"
        }
    }

    /// Whether `password` matches `stored`, compared in constant time.
    func verify(password: [UInt8], salt: [UInt8], stored: String) -> Bool {
        let expected: [UInt8]
        switch self {
        case .plain:
            expected = password
            return Self.constantTimeEqual(expected, Array(stored.utf8))
        case .digest(let digest):
            expected = Self.hex(Self.hash(digest, password))
        case .saltedBefore(let digest):
            expected = Self.hex(Self.hash(digest, salt + password))
        case .saltedAfter(let digest):
            expected = Self.hex(Self.hash(digest, password + salt))
        case .pbkdf2(let digest, let iterations, let length):
            guard let derived = Self.pbkdf2(digest, password: password, salt: salt, iterations: iterations,
                                            length: length) else { return false }
            expected = Self.hex(derived)
        }
        return Self.constantTimeEqual(expected, Array(stored.lowercased().utf8))
    }

    static func hash(_ digest: Digest, _ bytes: [UInt8]) -> [UInt8] {
        switch digest {
        case .md5: Array(Insecure.MD5.hash(data: bytes))
        case .sha: Array(Insecure.SHA1.hash(data: bytes))
        case .sha256: Array(SHA256.hash(data: bytes))
        case .sha512: Array(SHA512.hash(data: bytes))
        }
    }

    static func pbkdf2(_ digest: Digest, password: [UInt8], salt: [UInt8], iterations: Int, length: Int) -> [UInt8]? {
        let function: KDF.Insecure.PBKDF2.HashFunction
        switch digest {
        case .sha: function = .insecureSHA1
        case .sha256: function = .sha256
        case .sha512: function = .sha512
        case .md5: return nil
        }
        // `unsafeUncheckedRounds`: stored EMQX hashes use far fewer rounds than swift-crypto's minimum.
        guard let key = try? KDF.Insecure.PBKDF2.deriveKey(from: password, salt: salt, using: function,
                                                            outputByteCount: length,
                                                            unsafeUncheckedRounds: iterations) else { return nil }
        return key.withUnsafeBytes { Array($0) }
    }

    static func hex(_ bytes: [UInt8]) -> [UInt8] {
        let digits = Array("0123456789abcdef".utf8)
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            result.append(digits[Int(byte >> 4)])
            result.append(digits[Int(byte & 0x0F)])
        }
        return result
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
