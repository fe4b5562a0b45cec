/// The canonical byte encodings that the idempotency check and the hash chain hash.
///
/// Every field is written in a fixed order: integers as 8 bytes big-endian, text as a 4-byte big-endian
/// length then UTF-8, so that no two different values share an encoding. Each layout starts with a version
/// tag (`TBR1`, `TBE2`); changing a layout means a new tag, never an edit.
///
/// - The **content digest** is SHA-256 of what the client asked for: key, kind, effective date, actor,
///   memo, the reversed entry and every posting. It is the idempotency fingerprint.
/// - The **chain hash** is SHA-256 of the previous entry's hash, the sequence number, the time recorded,
///   the content digest and the lot allocations. Through the digest it commits to every field of the entry.
public enum EntryEncoding {
    /// The hash before the first entry: 32 zero bytes.
    public static let genesisHash = [UInt8](repeating: 0, count: 32)

    /// SHA-256 of what the client asked for (not when, nor which lots).
    public static func contentDigest(of request: EntryRequest, reverses: Int64? = nil) -> [UInt8] {
        SHA256.hash(contentPreimage(of: request, reverses: reverses))
    }

    /// The content digest of a stored entry, recomputed from its fields (what `verify` checks).
    public static func contentDigest(of entry: Entry) -> [UInt8] {
        SHA256.hash(contentPreimage(key: entry.key, kind: entry.kind, effectiveDate: entry.effectiveDate, actor: entry.actor,
                                    memo: entry.memo, reverses: entry.reverses, postings: entry.postings))
    }

    /// The bytes the content digest hashes (for callers with another SHA-256 implementation).
    public static func contentPreimage(of request: EntryRequest, reverses: Int64? = nil) -> [UInt8] {
        contentPreimage(key: request.key, kind: request.kind, effectiveDate: request.effectiveDate, actor: request.actor,
                        memo: request.memo, reverses: reverses, postings: request.postings)
    }

    static func contentPreimage(
        key: String, kind: EntryKind, effectiveDate: LocalDate, actor: String, memo: String, reverses: Int64?, postings: [Posting]
    ) -> [UInt8] {
        var writer = EntryByteWriter()
        writer.contentHeader(key: key, kind: kind.rawValue, effectiveDate: effectiveDate, actor: actor, memo: memo,
                             reverses: reverses, postingCount: postings.count)
        for posting in postings {
            writer.contentPosting(account: posting.account.description, asset: posting.asset.rawValue, amount: posting.amount,
                                  lotExpiresOn: posting.lotExpiresOn)
        }
        return writer.bytes
    }

    /// The chain hash of an entry whose `contentDigest` is set: SHA-256(previous hash ‖ `TBE2` layout).
    public static func chainHash(of entry: Entry, previousHash: [UInt8]) -> [UInt8] {
        SHA256.hash(chainPreimage(of: entry, previousHash: previousHash))
    }

    /// The bytes the chain hash hashes (for callers with another SHA-256 implementation).
    public static func chainPreimage(of entry: Entry, previousHash: [UInt8]) -> [UInt8] {
        var writer = EntryByteWriter()
        previousHash.withUnsafeBytes { previous in
            entry.contentDigest.withUnsafeBytes { digest in
                writer.chainHeader(previousHash: previous, sequence: entry.sequence,
                                   recordedAtMilliseconds: entry.recordedAt.millisecondsSinceEpoch,
                                   contentDigest: digest, allocationCount: entry.allocations.count)
            }
        }
        for allocation in entry.allocations {
            writer.chainAllocation(postingIndex: allocation.postingIndex, lotID: allocation.lotID, amount: allocation.amount)
        }
        return writer.bytes
    }
}

/// Writes the byte layouts `EntryEncoding` hashes. Public so that `verify` can build the same bytes straight
/// from stored rows, without making an `Entry` first; both paths use these methods, so they cannot drift.
///
/// The bytes go into memory the writer owns, through a pointer: writing a field is a bounds check and a copy, not
/// an array append with its uniqueness check and a call to copy eight bytes (verify writes some twenty fields per
/// entry, and the appends were a fifth of its time). The writer cannot be copied, so exactly one owner frees it.
public struct EntryByteWriter: ~Copyable {
    private var storage: UnsafeMutableRawPointer
    private var capacity: Int
    /// How many bytes are written.
    public private(set) var count = 0

    public init(capacity: Int = 192) {
        self.capacity = max(64, capacity)
        storage = UnsafeMutableRawPointer.allocate(byteCount: self.capacity, alignment: 16)
    }

    deinit { storage.deallocate() }

    /// A copy of the bytes written.
    public var bytes: [UInt8] { Array(UnsafeRawBufferPointer(start: storage, count: count)) }

    /// Forgets the bytes written, keeping the memory.
    public mutating func removeAll() { count = 0 }

    /// Writes bytes as they are, with no length before them (a layout's tag, a fixed-size hash).
    public mutating func raw(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        reserve(bytes.count)
        (storage + count).copyMemory(from: source, byteCount: bytes.count)
        count += bytes.count
    }

    /// Writes `count` copies of one byte.
    public mutating func repeated(_ byte: UInt8, count repeats: Int) {
        guard repeats > 0 else { return }
        reserve(repeats)
        (storage + count).initializeMemory(as: UInt8.self, repeating: byte, count: repeats)
        count += repeats
    }

    @inline(__always)
    private mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(toHold: extra) }
    }

    private mutating func grow(toHold extra: Int) {
        var grown = capacity * 2
        while grown < count + extra { grown *= 2 }
        let larger = UnsafeMutableRawPointer.allocate(byteCount: grown, alignment: 16)
        larger.copyMemory(from: storage, byteCount: count)
        storage.deallocate()
        storage = larger
        capacity = grown
    }

    /// The `TBR1` content layout up to its postings; follow with `contentPosting` for each posting.
    public mutating func contentHeader(
        key: String, kind: String, effectiveDate: LocalDate, actor: String, memo: String, reverses: Int64?, postingCount: Int
    ) {
        tag("TBR1")
        text(key)
        text(kind)
        date(effectiveDate)
        text(actor)
        text(memo)
        integer(reverses ?? 0)
        integer(Int64(postingCount))
    }

    /// `contentHeader` from UTF-8 bytes as stored.
    public mutating func contentHeader(
        keyUTF8: UnsafeRawBufferPointer, kindUTF8: UnsafeRawBufferPointer, effectiveDate: LocalDate,
        actorUTF8: UnsafeRawBufferPointer, memoUTF8: UnsafeRawBufferPointer, reverses: Int64?, postingCount: Int
    ) {
        tag("TBR1")
        text(keyUTF8)
        text(kindUTF8)
        date(effectiveDate)
        text(actorUTF8)
        text(memoUTF8)
        integer(reverses ?? 0)
        integer(Int64(postingCount))
    }

    /// One posting of the content layout: account, asset, amount, and the lot's expiry date (0 when none).
    public mutating func contentPosting(account: String, asset: String, amount: Int64, lotExpiresOn: LocalDate?) {
        text(account)
        text(asset)
        integer(amount)
        if let lotExpiresOn { date(lotExpiresOn) } else { integer(0) }
    }

    /// `contentPosting` from UTF-8 bytes as stored.
    public mutating func contentPosting(
        accountUTF8: UnsafeRawBufferPointer, assetUTF8: UnsafeRawBufferPointer, amount: Int64, lotExpiresOn: LocalDate?
    ) {
        text(accountUTF8)
        text(assetUTF8)
        integer(amount)
        if let lotExpiresOn { date(lotExpiresOn) } else { integer(0) }
    }

    /// The chain layout up to its allocations: previous hash, `TBE2`, sequence, time, content digest, allocation count.
    public mutating func chainHeader(
        previousHash: UnsafeRawBufferPointer, sequence: Int64, recordedAtMilliseconds: Int64, contentDigest: UnsafeRawBufferPointer,
        allocationCount: Int
    ) {
        raw(previousHash)
        tag("TBE2")
        integer(sequence)
        integer(recordedAtMilliseconds)
        integer(Int64(contentDigest.count))
        raw(contentDigest)
        integer(Int64(allocationCount))
    }

    /// One allocation of the chain layout: which posting drew on which lot, and how much.
    public mutating func chainAllocation(postingIndex: Int, lotID: Int64, amount: Int64) {
        integer(Int64(postingIndex))
        integer(lotID)
        integer(amount)
    }

    /// 8 bytes, big-endian.
    public mutating func integer(_ value: Int64) {
        reserve(8)
        (storage + count).storeBytes(of: UInt64(bitPattern: value).bigEndian, as: UInt64.self)
        count += 8
    }

    /// A 4-byte big-endian length, then the bytes.
    mutating func text(_ utf8: UnsafeRawBufferPointer) {
        reserve(4 + utf8.count)
        (storage + count).storeBytes(of: UInt32(truncatingIfNeeded: utf8.count).bigEndian, as: UInt32.self)
        count += 4
        raw(utf8)
    }

    /// A layout's tag, as it is (ASCII).
    mutating func tag(_ text: StaticString) {
        raw(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// A 4-byte big-endian length, then the string's UTF-8 bytes.
    public mutating func text(_ string: String) {
        var string = string
        string.withUTF8 { text(UnsafeRawBufferPointer($0)) }
    }

    /// A date as the integer YYYYMMDD (never 0).
    mutating func date(_ date: LocalDate) {
        integer(Int64(date.year * 10_000 + date.month * 100 + date.day))
    }
}
