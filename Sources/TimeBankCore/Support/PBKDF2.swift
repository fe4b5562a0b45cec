/// HMAC-SHA256 (RFC 2104) over the portable `SHA256`.
///
///     SHA256.hex(HMACSHA256.authenticationCode(for: Array("what do ya want for nothing?".utf8), key: Array("Jefe".utf8)))
///     // "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" (RFC 4231, test case 2)
///
/// The key is absorbed once: the inner and outer hash states after the padded key are kept, so each
/// further message costs two short hashes. That is what makes PBKDF2's many iterations affordable.
public struct HMACSHA256: Sendable {
    /// The state after `key XOR ipad`, ready for a message.
    private let innerStart: SHA256
    /// The state after `key XOR opad`, ready for the inner digest.
    private let outerStart: SHA256

    /// Prepares the two padded-key states. A key longer than one block (64 bytes) is hashed first.
    public init(key: [UInt8]) {
        var block = key.count > SHA256.blockByteCount ? SHA256.hash(key) : key
        block += [UInt8](repeating: 0, count: SHA256.blockByteCount - block.count)
        var inner = SHA256()
        inner.update(block.map { $0 ^ 0x36 })
        var outer = SHA256()
        outer.update(block.map { $0 ^ 0x5c })
        innerStart = inner
        outerStart = outer
    }

    /// The 32-byte code of `message` under this key.
    public func authenticationCode(for message: [UInt8]) -> [UInt8] {
        var inner = innerStart
        inner.update(message)
        var outer = outerStart
        outer.update(inner.finalize())
        return outer.finalize()
    }

    /// The 32-byte code of `message` under `key`, in one call.
    public static func authenticationCode(for message: [UInt8], key: [UInt8]) -> [UInt8] {
        HMACSHA256(key: key).authenticationCode(for: message)
    }
}

/// PBKDF2 with HMAC-SHA256 as its pseudorandom function (RFC 8018, section 5.2), for storing
/// operators' PINs: a PIN is never stored, only `PBKDF2(PIN, per-operator salt, iterations)`.
///
///     SHA256.hex(PBKDF2.deriveKey(password: Array("passwd".utf8), salt: Array("salt".utf8), iterations: 1, byteCount: 64))
///     // "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783"
///     // (RFC 7914, section 11)
///
/// - Complexity: O(iterations × ⌈byteCount / 32⌉) HMAC computations.
public enum PBKDF2 {
    /// The most output bytes one call derives (far below the RFC's limit of (2^32 − 1) × 32).
    public static let byteCountMaximum = 1_024
    /// The most iterations one call runs, so that a stored value cannot make a sign-in take hours.
    public static let iterationsMaximum = 10_000_000

    /// Derives `byteCount` bytes from `password` and `salt`. Returns nil when `iterations` is not in
    /// 1...`iterationsMaximum` or `byteCount` not in 1...`byteCountMaximum`.
    public static func deriveKey(password: [UInt8], salt: [UInt8], iterations: Int, byteCount: Int) -> [UInt8]? {
        guard (1...iterationsMaximum).contains(iterations), (1...byteCountMaximum).contains(byteCount) else { return nil }
        let mac = HMACSHA256(key: password)
        var derived: [UInt8] = []
        derived.reserveCapacity(byteCount + SHA256.digestByteCount)
        var blockIndex: UInt32 = 1
        while derived.count < byteCount {
            // T_i = U_1 ^ U_2 ^ ... ^ U_c, with U_1 = PRF(P, S || INT(i)) and U_j = PRF(P, U_{j-1}).
            var u = mac.authenticationCode(for: salt + [
                UInt8(truncatingIfNeeded: blockIndex >> 24), UInt8(truncatingIfNeeded: blockIndex >> 16),
                UInt8(truncatingIfNeeded: blockIndex >> 8), UInt8(truncatingIfNeeded: blockIndex),
            ])
            var block = u
            for _ in 1..<iterations {
                u = mac.authenticationCode(for: u)
                for index in 0..<block.count { block[index] ^= u[index] }
            }
            derived += block
            blockIndex += 1
        }
        return Array(derived.prefix(byteCount))
    }

    /// Compares two byte strings in time that depends only on their lengths, not on where they differ.
    public static func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in 0..<lhs.count { difference |= lhs[index] ^ rhs[index] }
        return difference == 0
    }
}
