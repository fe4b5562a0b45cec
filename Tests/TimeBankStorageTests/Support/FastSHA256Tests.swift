import Testing
import TimeBankCore
@testable import TimeBankStorage

@Suite("SHA-256 through libcrypto")
struct FastSHA256Tests {
    @Test("agrees with the NIST example and with the portable implementation on every length up to 300 bytes")
    func agreesWithPortable() {
        let hasher = FastSHA256()
        #expect(SHA256.hex(hasher.hash(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        var generator = SplitMix64(seed: 7)
        for length in 0...300 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            #expect(hasher.hash(bytes) == SHA256.hash(bytes), "length \(length)")
        }
    }
}
