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
        contentDigest(key: request.key, kind: request.kind, effectiveDate: request.effectiveDate, actor: request.actor,
                      memo: request.memo, reverses: reverses, postings: request.postings)
    }

    /// The content digest of a stored entry, recomputed from its fields (what `verify` checks).
    public static func contentDigest(of entry: Entry) -> [UInt8] {
        contentDigest(key: entry.key, kind: entry.kind, effectiveDate: entry.effectiveDate, actor: entry.actor,
                      memo: entry.memo, reverses: entry.reverses, postings: entry.postings)
    }

    static func contentDigest(
        key: String, kind: EntryKind, effectiveDate: LocalDate, actor: String, memo: String, reverses: Int64?, postings: [Posting]
    ) -> [UInt8] {
        var writer = ByteWriter(tag: "TBR1")
        writer.text(key)
        writer.text(kind.rawValue)
        writer.date(effectiveDate)
        writer.text(actor)
        writer.text(memo)
        writer.integer(reverses ?? 0)
        writer.integer(Int64(postings.count))
        for posting in postings {
            writer.text(posting.account.description)
            writer.text(posting.asset.rawValue)
            writer.integer(posting.amount)
            if let expiry = posting.lotExpiresOn { writer.date(expiry) } else { writer.integer(0) }
        }
        return SHA256.hash(writer.bytes)
    }

    /// The chain hash of an entry whose `contentDigest` is set: SHA-256(previous hash ‖ `TBE2` layout).
    public static func chainHash(of entry: Entry, previousHash: [UInt8]) -> [UInt8] {
        var writer = ByteWriter(tag: "")
        writer.bytes.append(contentsOf: previousHash)
        writer.bytes.append(contentsOf: "TBE2".utf8)
        writer.integer(entry.sequence)
        writer.integer(entry.recordedAt.millisecondsSinceEpoch)
        writer.raw(entry.contentDigest)
        writer.integer(Int64(entry.allocations.count))
        for allocation in entry.allocations {
            writer.integer(Int64(allocation.postingIndex))
            writer.integer(allocation.lotID)
            writer.integer(allocation.amount)
        }
        return SHA256.hash(writer.bytes)
    }
}

private struct ByteWriter {
    var bytes: [UInt8] = []

    init(tag: String) {
        bytes.reserveCapacity(192)
        bytes.append(contentsOf: tag.utf8)
    }

    mutating func integer(_ value: Int64) {
        let bits = UInt64(bitPattern: value)
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
    }

    mutating func text(_ value: String) {
        let utf8 = value.utf8
        let count = UInt32(utf8.count)
        for shift in stride(from: 24, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: count >> UInt32(shift))) }
        bytes.append(contentsOf: utf8)
    }

    mutating func raw(_ value: [UInt8]) {
        integer(Int64(value.count))
        bytes.append(contentsOf: value)
    }

    /// A date as the integer YYYYMMDD (never 0).
    mutating func date(_ date: LocalDate) {
        integer(Int64(date.year * 10_000 + date.month * 100 + date.day))
    }
}
