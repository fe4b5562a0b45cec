import Testing
@testable import TimeBankCore

/// SHA-256 against the FIPS 180-4 example messages (NIST "Examples with Intermediate Values")
/// and a few padding edge cases; expected digests are the published ones.
@Suite struct SHA256Tests {
    @Test func emptyMessage() {
        #expect(SHA256.hex(SHA256.hash([])) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func oneBlockMessageABC() {
        let digest = SHA256.hash(Array("abc".utf8))
        #expect(digest.count == 32)
        #expect(SHA256.hex(digest) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func twoBlockMessage448Bits() {
        let message = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        #expect(message.count == 56)
        #expect(SHA256.hex(SHA256.hash(message)) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func twoBlockMessage896Bits() {
        let message = Array(
            ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
                + "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu").utf8)
        #expect(message.count == 112)
        #expect(SHA256.hex(SHA256.hash(message)) == "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")
    }

    @Test func oneMillionLetterA() {
        let message = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(SHA256.hex(SHA256.hash(message)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func oneMillionLetterAFedInUnevenChunks() {
        var hasher = SHA256()
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 999) // not a multiple of 64
        var fed = 0
        while fed < 1_000_000 {
            let count = min(chunk.count, 1_000_000 - fed)
            hasher.update(Array(chunk[0..<count]))
            fed += count
        }
        #expect(SHA256.hex(hasher.finalize()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// Lengths around the padding boundary: 55 bytes still fit the length in one block, 56 do not.
    @Test(arguments: [
        (55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"),
        (56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"),
        (63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"),
        (64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"),
        (65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"),
        (119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"),
        (120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c"),
    ])
    func paddingBoundaries(length: Int, expectedHex: String) {
        let message = [UInt8](repeating: UInt8(ascii: "a"), count: length)
        #expect(SHA256.hex(SHA256.hash(message)) == expectedHex)
    }

    @Test func streamingSplitAtEveryOffsetEqualsOneShot() {
        let message = (0..<130).map { UInt8(($0 * 7 + 3) % 256) }
        let oneShot = SHA256.hash(message)
        #expect(SHA256.hex(oneShot) == "4d5e47a2e8510a314576c238f6ff19d389d3ef3aaaca8b2e530263a5d15741da")
        for split in 0...message.count {
            var hasher = SHA256()
            hasher.update(Array(message[0..<split]))
            hasher.update(Array(message[split...]))
            #expect(hasher.finalize() == oneShot, "split at \(split)")
        }
    }

    @Test func streamingInThreePiecesEqualsOneShot() {
        let message = (0..<130).map { UInt8(($0 * 7 + 3) % 256) }
        let oneShot = SHA256.hash(message)
        for first in stride(from: 0, through: 130, by: 13) {
            for second in first...130 {
                var hasher = SHA256()
                hasher.update(Array(message[0..<first]))
                hasher.update(Array(message[first..<second]))
                hasher.update(Array(message[second...]))
                #expect(hasher.finalize() == oneShot, "split at \(first) and \(second)")
            }
        }
    }

    @Test func finalizeLeavesTheHasherUsable() {
        var hasher = SHA256()
        hasher.update(Array("ab".utf8))
        let prefixDigest = hasher.finalize()
        hasher.update(Array("c".utf8))
        #expect(prefixDigest == SHA256.hash(Array("ab".utf8)))
        #expect(SHA256.hex(hasher.finalize()) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func hashesUTF8Text() {
        #expect(SHA256.hexHash(utf8: "王家") == "24ebb1c79f747eff4acbe174224d09f4ab8716dc11886e6f3bd8e597cb3eada0")
    }

    @Test func hexIsLowercaseTwoDigitsPerByte() {
        #expect(SHA256.hex([0x00, 0x0f, 0xa0, 0xff]) == "000fa0ff")
        #expect(SHA256.hex([]) == "")
    }
}
