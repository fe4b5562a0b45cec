/// Why an entry was posted. Stored by raw value; new kinds are added, never renamed.
public enum EntryKind: String, CaseIterable, Sendable, Hashable, Codable {
    case award, redemption, refund, transfer, expiry, grant, penalty, reversal, fund, adjustment, donation, dividend
}

/// One line of an entry: an amount moved into (positive) or out of (negative) one account.
/// The postings of an entry sum to zero per asset.
public struct Posting: Hashable, Sendable {
    public var account: AccountID
    public var asset: Asset
    /// Hundredths; positive raises the account's balance, negative lowers it.
    public var amount: Int64
    /// For a positive `POINTS` posting to a volunteer or household: the date the lot it opens expires
    /// (the points are usable on days before it). nil = never expires.
    public var lotExpiresOn: LocalDate?

    public init(account: AccountID, asset: Asset = .points, amount: Int64, lotExpiresOn: LocalDate? = nil) {
        self.account = account
        self.asset = asset
        self.amount = amount
        self.lotExpiresOn = lotExpiresOn
    }
}

/// What a client asks the ledger to post. The `key` is the client's: posting the same key again with the
/// same content returns the stored entry instead of posting twice.
public struct EntryRequest: Hashable, Sendable {
    public var key: String
    public var kind: EntryKind
    public var effectiveDate: LocalDate
    public var actor: String
    public var memo: String
    public var postings: [Posting]

    public init(key: String, kind: EntryKind, effectiveDate: LocalDate, actor: String, memo: String, postings: [Posting]) {
        self.key = key
        self.kind = kind
        self.effectiveDate = effectiveDate
        self.actor = actor
        self.memo = memo
        self.postings = postings
    }

    /// Two postings: `amount` from one account to another. `Int64.min`, whose negation does not exist, is not a trap here:
    /// it wraps to itself and the ledger refuses it as beyond the largest amount (L003), as any amount over 10^15 hundredths.
    public static func move(
        key: String, kind: EntryKind, date: LocalDate, actor: String, memo: String,
        from source: AccountID, to destination: AccountID, asset: Asset = .points, amount: Int64,
        lotExpiresOn: LocalDate? = nil
    ) -> EntryRequest {
        EntryRequest(key: key, kind: kind, effectiveDate: date, actor: actor, memo: memo, postings: [
            Posting(account: destination, asset: asset, amount: amount, lotExpiresOn: lotExpiresOn),
            Posting(account: source, asset: asset, amount: 0 &- amount),
        ])
    }
}

/// How much of one lot a posting took (positive) or gave back (negative, in a reversal).
public struct LotAllocation: Hashable, Sendable {
    public var postingIndex: Int
    public var lotID: Int64
    public var amount: Int64

    public init(postingIndex: Int, lotID: Int64, amount: Int64) {
        self.postingIndex = postingIndex
        self.lotID = lotID
        self.amount = amount
    }
}

/// A posted entry, as stored: append-only, hash-chained.
public struct Entry: Hashable, Sendable {
    /// 1, 2, 3, ... in posting order; the entry's id.
    public var sequence: Int64
    public var key: String
    public var kind: EntryKind
    public var effectiveDate: LocalDate
    public var recordedAt: Timestamp
    public var actor: String
    public var memo: String
    /// The entry this one reverses, for kind `reversal`.
    public var reverses: Int64?
    public var postings: [Posting]
    public var allocations: [LotAllocation]
    /// SHA-256 of the client's request (idempotency check).
    public var contentDigest: [UInt8]
    public var previousHash: [UInt8]
    public var hash: [UInt8]

    public init(
        sequence: Int64, key: String, kind: EntryKind, effectiveDate: LocalDate, recordedAt: Timestamp,
        actor: String, memo: String, reverses: Int64?, postings: [Posting], allocations: [LotAllocation],
        contentDigest: [UInt8], previousHash: [UInt8], hash: [UInt8]
    ) {
        self.sequence = sequence
        self.key = key
        self.kind = kind
        self.effectiveDate = effectiveDate
        self.recordedAt = recordedAt
        self.actor = actor
        self.memo = memo
        self.reverses = reverses
        self.postings = postings
        self.allocations = allocations
        self.contentDigest = contentDigest
        self.previousHash = previousHash
        self.hash = hash
    }
}

/// A lot: points credited to a volunteer or household together, with one expiry date.
public struct Lot: Hashable, Sendable {
    public var id: Int64
    public var account: AccountID
    /// The entry and posting that opened it.
    public var openedBy: Int64
    public var postingIndex: Int
    public var amount: Int64
    public var expiresOn: LocalDate?
    public var remaining: Int64
    /// The effective date of the entry that opened it: the day its points were credited. A debit dated earlier
    /// cannot draw on it (those points were not there yet).
    public var openedOn: LocalDate
    /// Of `remaining`, the points the lot did not hold on every day from the day it was read for: given back (by a
    /// refund, a cancelled booking or the reversal of a debit) by entries dated after that day, while on some day
    /// between they were spent (`LedgerRules.pointsNotHeldThroughout`). A debit dated then cannot draw them. 0 when the
    /// lot was read without a date.
    public var returnedLater: Int64
    /// The earliest date after that day of a give-back to the lot (nil when there is none).
    public var firstReturnedOn: LocalDate?

    public init(id: Int64, account: AccountID, openedBy: Int64, postingIndex: Int, amount: Int64, expiresOn: LocalDate?, remaining: Int64,
                openedOn: LocalDate, returnedLater: Int64 = 0, firstReturnedOn: LocalDate? = nil) {
        self.id = id
        self.account = account
        self.openedBy = openedBy
        self.postingIndex = postingIndex
        self.amount = amount
        self.expiresOn = expiresOn
        self.remaining = remaining
        self.openedOn = openedOn
        self.returnedLater = returnedLater
        self.firstReturnedOn = firstReturnedOn
    }

    /// What a debit dated on the day the lot was read for may draw from it: the least it held at the end of any day
    /// from then on (its remaining points less `returnedLater`).
    public var drawable: Int64 { max(0, remaining - returnedLater) }

    /// The points it holds now that were not in it on the day it was read for: all of them if it was opened later,
    /// else those given back later.
    public func creditedAfter(_ date: LocalDate) -> Int64 { isOpen(on: date) ? min(remaining, returnedLater) : remaining }

    /// The first day after `date` on which points now in the lot came into it.
    public func firstCreditedAfter(_ date: LocalDate) -> LocalDate? { isOpen(on: date) ? firstReturnedOn : openedOn }

    /// Whether the points were credited by `date` (on it or before).
    public func isOpen(on date: LocalDate) -> Bool { openedOn <= date }

    /// Whether the lot's expiry date is `date` or earlier.
    public func isExpired(on date: LocalDate) -> Bool { expiresOn.map { $0 <= date } ?? false }

    /// Whether the points may be spent on `date`: credited by then, and not expired.
    public func isUsable(on date: LocalDate) -> Bool {
        guard isOpen(on: date) else { return false }
        guard let expiresOn else { return true }
        return date < expiresOn
    }
}

/// What posting a request did.
public enum PostOutcome: Hashable, Sendable {
    /// A new entry was appended.
    case created(Entry)
    /// The key was already posted with the same content; this is the stored entry, nothing was written.
    case exists(Entry)

    /// The entry, new or found.
    public var entry: Entry {
        switch self {
        case .created(let entry), .exists(let entry): return entry
        }
    }

    /// True when it was written now, false for a retry that found it.
    public var isNew: Bool {
        if case .created = self { return true }
        return false
    }
}
