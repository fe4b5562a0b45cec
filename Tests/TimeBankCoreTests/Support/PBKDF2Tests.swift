import Testing
import TimeBankCore

@Suite("HMAC-SHA256 and PBKDF2-HMAC-SHA256 (published test vectors)")
struct PBKDF2Tests {
    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// RFC 4231, section 4: HMAC-SHA-256 test cases 1, 2, 3, 6 and 7.
    @Test("HMAC-SHA256: RFC 4231 test cases", arguments: [
        ([UInt8](repeating: 0x0b, count: 20), bytes("Hi There"),
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        (bytes("Jefe"), bytes("what do ya want for nothing?"),
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        ([UInt8](repeating: 0xaa, count: 20), [UInt8](repeating: 0xdd, count: 50),
         "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
        // A key longer than one block is hashed first.
        ([UInt8](repeating: 0xaa, count: 131), bytes("Test Using Larger Than Block-Size Key - Hash Key First"),
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        ([UInt8](repeating: 0xaa, count: 131),
         bytes("This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm."),
         "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
    ])
    func hmac(key: [UInt8], message: [UInt8], expected: String) {
        #expect(SHA256.hex(HMACSHA256.authenticationCode(for: message, key: key)) == expected)
    }

    /// RFC 7914 (scrypt), section 11: the two PBKDF2-HMAC-SHA256 vectors, 64 bytes each.
    @Test("PBKDF2-HMAC-SHA256: RFC 7914 section 11, c = 1")
    func rfc7914First() {
        let derived = PBKDF2.deriveKey(password: Self.bytes("passwd"), salt: Self.bytes("salt"), iterations: 1, byteCount: 64)
        #expect(derived.map(SHA256.hex) == "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
                + "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783")
    }

    @Test("PBKDF2-HMAC-SHA256: RFC 7914 section 11, c = 80000")
    func rfc7914Second() {
        let derived = PBKDF2.deriveKey(password: Self.bytes("Password"), salt: Self.bytes("NaCl"), iterations: 80_000, byteCount: 64)
        #expect(derived.map(SHA256.hex) == "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56"
                + "a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d")
    }

    /// The RFC 6070 inputs with SHA-256 (widely published, e.g. in the IETF draft-josefsson-pbkdf2-test-vectors discussion):
    /// several iteration counts, a derived key longer than one block, and a NUL inside password and salt.
    @Test("PBKDF2-HMAC-SHA256: RFC 6070 inputs with SHA-256", arguments: [
        ("password", "salt", 1, 32, "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b"),
        ("password", "salt", 2, 32, "ae4d0c95af6b46d32d0adff928f06dd02a303f8ef3c251dfd6e2d85a95474c43"),
        ("password", "salt", 4096, 32, "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a"),
        ("passwordPASSWORDpassword", "saltSALTsaltSALTsaltSALTsaltSALTsalt", 4096, 40,
         "348c89dbcbd32b2f32d814b8116e84cf2b17347ebc1800181c4e2a1fb8dd53e1c635518c7dac47e9"),
        ("pass\u{0}word", "sa\u{0}lt", 4096, 16, "89b69d0516f829893c696226650a8687"),
    ])
    func rfc6070Inputs(password: String, salt: String, iterations: Int, byteCount: Int, expected: String) {
        let derived = PBKDF2.deriveKey(password: Self.bytes(password), salt: Self.bytes(salt), iterations: iterations, byteCount: byteCount)
        #expect(derived.map(SHA256.hex) == expected)
    }

    @Test("out-of-range iterations and lengths give nil, never a trap")
    func ranges() {
        #expect(PBKDF2.deriveKey(password: [1], salt: [2], iterations: 0, byteCount: 32) == nil)
        #expect(PBKDF2.deriveKey(password: [1], salt: [2], iterations: 1, byteCount: 0) == nil)
        #expect(PBKDF2.deriveKey(password: [1], salt: [2], iterations: PBKDF2.iterationsMaximum + 1, byteCount: 32) == nil)
        #expect(PBKDF2.deriveKey(password: [1], salt: [2], iterations: 1, byteCount: PBKDF2.byteCountMaximum + 1) == nil)
    }

    @Test("constant-time comparison")
    func comparison() {
        #expect(PBKDF2.constantTimeEqual([1, 2, 3], [1, 2, 3]))
        #expect(!PBKDF2.constantTimeEqual([1, 2, 3], [1, 2, 4]))
        #expect(!PBKDF2.constantTimeEqual([1, 2, 3], [1, 2]))
    }
}
