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
public struct EntryByteWriter {
    public var bytes: [UInt8] = []

    public init() {
        bytes.reserveCapacity(192)
    }

    /// The `TBR1` content layout up to its postings; follow with `contentPosting` for each posting.
    public mutating func contentHeader(
        key: String, kind: String, effectiveDate: LocalDate, actor: String, memo: String, reverses: Int64?, postingCount: Int
    ) {
        bytes.append(contentsOf: "TBR1".utf8)
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
        bytes.append(contentsOf: "TBR1".utf8)
        text(keyUTF8)
        text(kindUTF8)
        date(effectiveDate)
        text(actorUTF8)
        text(memoUTF8)
        integer(reverses ?? 0)
        integer(Int64(postingCount))
    }

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
        bytes.append(contentsOf: previousHash)
        bytes.append(contentsOf: "TBE2".utf8)
        integer(sequence)
        integer(recordedAtMilliseconds)
        integer(Int64(contentDigest.count))
        bytes.append(contentsOf: contentDigest)
        integer(Int64(allocationCount))
    }

    public mutating func chainAllocation(postingIndex: Int, lotID: Int64, amount: Int64) {
        integer(Int64(postingIndex))
        integer(lotID)
        integer(amount)
    }

    mutating func integer(_ value: Int64) {
        withUnsafeBytes(of: UInt64(bitPattern: value).bigEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func text(_ utf8: UnsafeRawBufferPointer) {
        withUnsafeBytes(of: UInt32(truncatingIfNeeded: utf8.count).bigEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: utf8)
    }

    mutating func text(_ string: String) {
        var string = string
        string.withUTF8 { text(UnsafeRawBufferPointer($0)) }
    }

    /// A date as the integer YYYYMMDD (never 0).
    mutating func date(_ date: LocalDate) {
        integer(Int64(date.year * 10_000 + date.month * 100 + date.day))
    }
}
