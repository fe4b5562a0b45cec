/// The canonical byte encoding of entries, which the hash chain and the idempotency check hash.
///
/// Every field is written in a fixed order: integers as 8 bytes big-endian, text as a 4-byte big-endian
/// length then UTF-8, so that no two different entries share an encoding. The layout is versioned by
/// its first bytes (`TBE1`, `TBR1`); changing it means a new version tag, never an edit.
public enum EntryEncoding {
    /// The hash before the first entry: 32 zero bytes.
    public static let genesisHash = [UInt8](repeating: 0, count: 32)

    /// SHA-256 of what the client asked for (not when, nor which lots): the idempotency fingerprint.
    public static func contentDigest(of request: EntryRequest, reverses: Int64? = nil) -> [UInt8] {
        var writer = ByteWriter(tag: "TBR1")
        writer.text(request.key)
        writer.text(request.kind.rawValue)
        writer.text(request.effectiveDate.description)
        writer.text(request.actor)
        writer.text(request.memo)
        writer.integer(reverses ?? 0)
        writer.integer(Int64(request.postings.count))
        for posting in request.postings { writer.posting(posting) }
        return SHA256.hash(writer.bytes)
    }

    /// The chain hash of an entry: SHA-256(previous hash ‖ canonical encoding of the entry).
    public static func chainHash(of entry: Entry, previousHash: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(previousHash)
        hasher.update(encode(entry))
        return hasher.finalize()
    }

    /// The canonical encoding of a stored entry, including its sequence, time and lot allocations.
    public static func encode(_ entry: Entry) -> [UInt8] {
        var writer = ByteWriter(tag: "TBE1")
        writer.integer(entry.sequence)
        writer.text(entry.key)
        writer.text(entry.kind.rawValue)
        writer.text(entry.effectiveDate.description)
        writer.integer(entry.recordedAt.millisecondsSinceEpoch)
        writer.text(entry.actor)
        writer.text(entry.memo)
        writer.integer(entry.reverses ?? 0)
        writer.raw(entry.contentDigest)
        writer.integer(Int64(entry.postings.count))
        for posting in entry.postings { writer.posting(posting) }
        writer.integer(Int64(entry.allocations.count))
        for allocation in entry.allocations {
            writer.integer(Int64(allocation.postingIndex))
            writer.integer(allocation.lotID)
            writer.integer(allocation.amount)
        }
        return writer.bytes
    }
}

private struct ByteWriter {
    var bytes: [UInt8] = []

    init(tag: String) {
        bytes.reserveCapacity(256)
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

    mutating func posting(_ posting: Posting) {
        text(posting.account.description)
        text(posting.asset.rawValue)
        integer(posting.amount)
        text(posting.lotExpiresOn?.description ?? "")
    }
}
