/// A SHA-256 hasher (FIPS 180-4), used to fingerprint files, imports and ledger entries.
///
/// Hash in one call, or feed bytes in pieces and finish once:
///
///     SHA256.hex(SHA256.hash(Array("abc".utf8)))
///     // "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
///
///     var hasher = SHA256()
///     hasher.update(firstChunk)
///     hasher.update(secondChunk)
///     let digest = hasher.finalize() // 32 bytes
///
/// Whole 64-byte blocks are compressed straight from the caller's buffer; only a partial block is
/// copied (into a 64-byte buffer that is allocated once per hasher).
///
/// - Complexity: O(n) in the number of bytes hashed.
public struct SHA256: Sendable {
    /// The length of a digest: 32 bytes (256 bits).
    public static let digestByteCount = 32
    /// The length of one block the compression function consumes.
    public static let blockByteCount = 64

    /// The eight working hash words H0...H7.
    private var state = State()
    /// Bytes of the current block that have not been compressed yet (fewer than 64).
    private var pendingBlock: [UInt8]
    /// How many bytes were fed in so far; the padding ends with this count in bits.
    private var totalByteCount: UInt64 = 0

    /// Creates a hasher with the FIPS 180-4 initial hash value.
    public init() {
        pendingBlock = []
        pendingBlock.reserveCapacity(Self.blockByteCount)
    }

    /// Hashes `bytes` in one call and returns the 32-byte digest.
    public static func hash(_ bytes: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// Hashes the UTF-8 encoding of `text` and returns the digest as 64 lowercase hex digits.
    public static func hexHash(utf8 text: String) -> String {
        var hasher = SHA256()
        hasher.update(utf8: text)
        return hex(hasher.finalize())
    }

    /// Lowercase hexadecimal, two digits per byte: `[0x0f, 0xa0]` becomes `"0fa0"`.
    public static func hex(_ bytes: [UInt8]) -> String {
        var characters = [UInt8](repeating: 0, count: bytes.count * 2)
        writeHex(bytes, into: &characters)
        return String(decoding: characters, as: UTF8.self)
    }

    /// The UTF-8 bytes of `hex(bytes)`, written over the first `2 × bytes.count` bytes of `hex`: for a caller that
    /// reuses one buffer row after row (an import writes a record digest per row).
    public static func writeHex(_ bytes: [UInt8], into hex: inout [UInt8]) {
        let digits: StaticString = "0123456789abcdef"
        for (index, byte) in bytes.enumerated() {
            hex[2 * index] = digits.utf8Start[Int(byte >> 4)]
            hex[2 * index + 1] = digits.utf8Start[Int(byte & 0x0f)]
        }
    }

    /// Feeds more bytes into the hash.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Feeds the UTF-8 encoding of `text` into the hash.
    public mutating func update(utf8 text: String) {
        var text = text
        text.withUTF8 { update(UnsafeRawBufferPointer($0)) }
    }

    /// Feeds more bytes into the hash, reading them in place.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return }
        totalByteCount &+= UInt64(bytes.count)
        var start = 0
        if !pendingBlock.isEmpty {
            let taken = min(Self.blockByteCount - pendingBlock.count, bytes.count)
            pendingBlock.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[0..<taken]))
            start = taken
            guard pendingBlock.count == Self.blockByteCount else { return }
            pendingBlock.withUnsafeBytes { Self.compress(&state, blocks: $0) }
            pendingBlock.removeAll(keepingCapacity: true)
        }
        let wholeBlocksEnd = start + (bytes.count - start) / Self.blockByteCount * Self.blockByteCount
        if wholeBlocksEnd > start {
            Self.compress(&state, blocks: UnsafeRawBufferPointer(rebasing: bytes[start..<wholeBlocksEnd]))
        }
        if wholeBlocksEnd < bytes.count {
            pendingBlock.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[wholeBlocksEnd...]))
        }
    }

    /// Returns the 32-byte digest of everything fed in so far. The hasher itself is left as it
    /// was, so more bytes may be fed in afterwards for a digest of the longer message.
    public func finalize() -> [UInt8] {
        var finishing = self
        let messageBitCount = totalByteCount &* 8
        // Padding: one 1 bit, then zeros until the length is 56 mod 64, then the bit count.
        let usedInLastBlock = Int(totalByteCount % UInt64(Self.blockByteCount))
        let zeroByteCount = (Self.blockByteCount + 55 - usedInLastBlock) % Self.blockByteCount
        var padding = [UInt8](repeating: 0, count: 1 + zeroByteCount + 8)
        padding[0] = 0x80
        for index in 0..<8 {
            padding[padding.count - 1 - index] = UInt8(truncatingIfNeeded: messageBitCount >> (8 * UInt64(index)))
        }
        finishing.update(padding)
        var digest = [UInt8]()
        digest.reserveCapacity(Self.digestByteCount)
        for word in finishing.state.words {
            digest.append(UInt8(truncatingIfNeeded: word >> 24))
            digest.append(UInt8(truncatingIfNeeded: word >> 16))
            digest.append(UInt8(truncatingIfNeeded: word >> 8))
            digest.append(UInt8(truncatingIfNeeded: word))
        }
        return digest
    }

    // MARK: - Compression

    /// H0...H7, kept as separate stored words so that the compression loop works on registers.
    private struct State: Sendable {
        var h0: UInt32 = 0x6a09_e667
        var h1: UInt32 = 0xbb67_ae85
        var h2: UInt32 = 0x3c6e_f372
        var h3: UInt32 = 0xa54f_f53a
        var h4: UInt32 = 0x510e_527f
        var h5: UInt32 = 0x9b05_688c
        var h6: UInt32 = 0x1f83_d9ab
        var h7: UInt32 = 0x5be0_cd19

        var words: [UInt32] { [h0, h1, h2, h3, h4, h5, h6, h7] }
    }

    /// The 64 round constants K: the first 32 bits of the fractional parts of the cube roots of
    /// the first 64 primes (FIPS 180-4, section 4.2.2).
    private static let roundConstants: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]

    @inline(__always)
    private static func rotateRight(_ value: UInt32, _ count: UInt32) -> UInt32 {
        (value &>> count) | (value &<< (32 &- count))
    }

    /// One round of the compression function (FIPS 180-4, section 6.2.2, step 3), written for
    /// rotated arguments: it adds T1 into `d` and leaves T1 + T2 in `h`, which the next round reads
    /// as its `a`. `constantPlusWord` is K(t) + W(t).
    @inline(__always)
    private static func round(
        _ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: inout UInt32,
        _ e: UInt32, _ f: UInt32, _ g: UInt32, _ h: inout UInt32, _ constantPlusWord: UInt32
    ) {
        let bigSigma1 = rotateRight(e, 6) ^ rotateRight(e, 11) ^ rotateRight(e, 25)
        let choose = g ^ (e & (f ^ g))
        let temporary1 = h &+ bigSigma1 &+ choose &+ constantPlusWord
        let bigSigma0 = rotateRight(a, 2) ^ rotateRight(a, 13) ^ rotateRight(a, 22)
        let majority = (a & b) | (c & (a | b))
        d &+= temporary1
        h = temporary1 &+ bigSigma0 &+ majority
    }

    /// Runs the compression function over every 64-byte block of `blocks` (whose length is a
    /// multiple of 64), updating `state` (FIPS 180-4, section 6.2.2).
    private static func compress(_ state: inout State, blocks: UnsafeRawBufferPointer) {
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { schedule in
            roundConstants.withUnsafeBufferPointer { constants in
                var h0 = state.h0, h1 = state.h1, h2 = state.h2, h3 = state.h3
                var h4 = state.h4, h5 = state.h5, h6 = state.h6, h7 = state.h7
                var blockStart = 0
                while blockStart < blocks.count {
                    for index in 0..<16 {
                        let word = blocks.loadUnaligned(fromByteOffset: blockStart + index * 4, as: UInt32.self)
                        schedule[index] = UInt32(bigEndian: word)
                    }
                    for index in 16..<64 {
                        let early = schedule[index - 15]
                        let late = schedule[index - 2]
                        let sigma0 = rotateRight(early, 7) ^ rotateRight(early, 18) ^ (early &>> 3)
                        let sigma1 = rotateRight(late, 17) ^ rotateRight(late, 19) ^ (late &>> 10)
                        schedule[index] = schedule[index - 16] &+ sigma0 &+ schedule[index - 7] &+ sigma1
                    }
                    // Only K(t) + W(t) is needed from here on.
                    for index in 0..<64 {
                        schedule[index] &+= constants[index]
                    }
                    var a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7
                    // Eight rounds per pass with the roles of the working variables rotated in
                    // the arguments, so no values are shuffled between rounds.
                    var index = 0
                    while index < 64 {
                        round(a, b, c, &d, e, f, g, &h, schedule[index])
                        round(h, a, b, &c, d, e, f, &g, schedule[index + 1])
                        round(g, h, a, &b, c, d, e, &f, schedule[index + 2])
                        round(f, g, h, &a, b, c, d, &e, schedule[index + 3])
                        round(e, f, g, &h, a, b, c, &d, schedule[index + 4])
                        round(d, e, f, &g, h, a, b, &c, schedule[index + 5])
                        round(c, d, e, &f, g, h, a, &b, schedule[index + 6])
                        round(b, c, d, &e, f, g, h, &a, schedule[index + 7])
                        index += 8
                    }
                    h0 &+= a; h1 &+= b; h2 &+= c; h3 &+= d
                    h4 &+= e; h5 &+= f; h6 &+= g; h7 &+= h
                    blockStart += blockByteCount
                }
                state.h0 = h0; state.h1 = h1; state.h2 = h2; state.h3 = h3
                state.h4 = h4; state.h5 = h5; state.h6 = h6; state.h7 = h7
            }
        }
    }
}
