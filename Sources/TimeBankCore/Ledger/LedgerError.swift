/// Why the ledger refused a write. Codes are stable and documented in `docs/errors.md`.
public enum LedgerError: TimeBankError, Hashable {
    /// L001: the postings of one asset do not sum to zero.
    case unbalanced(asset: Asset, sum: Int64)
    /// L002: an entry needs 2 to 1,000 postings.
    case postingCountOutOfRange(count: Int)
    /// L003: a posting of zero, or one above the largest amount allowed.
    case amountOutOfRange(postingIndex: Int, amount: Int64)
    /// L003 too: the write would take an account's balance beyond `LedgerRules.balanceMagnitudeMaximum`.
    case balanceOutOfRange(account: AccountID, asset: Asset, balance: Int64, change: Int64)
    /// L004: the write would leave an account below its floor. `unit`: what the policy in force on the write's date calls a
    /// point (as for L012), named for the `POINTS` asset; CNY is named CNY.
    case belowFloor(account: AccountID, asset: Asset, balance: Int64, change: Int64, floor: Int64, unit: String = PointsUnit.unnamed)
    /// L004 too: a write dated `date` that the balance now covers, but that would leave the account below its floor at
    /// the end of a later day `day` by the entries' dates (what it held then was spent by a write dated after `date`).
    case belowFloorOnDay(account: AccountID, asset: Asset, date: LocalDate, day: LocalDate, balance: Int64, change: Int64, floor: Int64,
                         keptFrom: LocalDate, unit: String = PointsUnit.unnamed)
    /// L005: the key was posted before with different content.
    case existsWithDifferentContent(key: String, sequence: Int64)
    /// L005 too, for a key whose entry was reversed since (`reversedBy`): a corrected entry sent under the original key.
    case existsAndReversed(key: String, sequence: Int64, reversedBy: Int64)
    /// L006: no account with this id.
    case unknownAccount(AccountID)
    /// L007: no entry with this sequence number or key.
    case unknownEntry(String)
    /// L008: the entry was reversed already.
    case alreadyReversed(sequence: Int64, by: Int64)
    /// L009: a reversal cannot itself be reversed.
    case cannotReverseReversal(sequence: Int64)
    /// L010: the key is empty, too long or has control characters.
    case invalidKey(String)
    /// L011: a lot expiry on a posting that opens no lot.
    case lotExpiryNotAllowed(postingIndex: Int)
    /// L012: the balance is there, but part of it expired and waits for the nightly expiry.
    /// `after`: what the nightly expiry has taken since `date` of what could be spent on it (for an entry dated back).
    /// `unit`: what the policy in force on `date` calls a point (积分, 信义币; `PointsUnit.unnamed` before any policy).
    case pointsExpired(account: AccountID, usable: Int64, needed: Int64, date: LocalDate, after: PointsAfterDay? = nil,
                       notYetTaken: ExpiredNotYetTaken? = nil, unit: String = PointsUnit.unnamed)
    /// L013: an account with this id exists already.
    case accountExists(AccountID)
    /// L014: an actor or memo that is too long or has control characters.
    case invalidText(field: String, reason: String)
    /// L015: a floor below zero on a lot-tracked account (lots cannot go negative).
    case invalidFloor(AccountID, Int64)
    /// L016: an entry whose postings cancel out on every account (from and to are the same): it would change no
    /// balance, only move points between lots of one account (renewing their expiry).
    case movesNothing(AccountID)
    /// L017: the balance is there, but part of it came in after the entry's date: a debit dated `date` draws only on
    /// points credited on or before it, and not on points given back to a lot after it (docs/ledger.md).
    /// `after`: what the nightly expiry has taken since `date`, and the later days on which the entry would go through
    /// (the message advises only a day that would; nil: the first day points came in, as before). `unit`: as for L012.
    case pointsNotYetCredited(account: AccountID, date: LocalDate, usable: Int64, needed: Int64, creditedLater: Int64, firstCreditedOn: LocalDate,
                              after: PointsAfterDay? = nil, unit: String = PointsUnit.unnamed)
    /// L018: a reversal dated before the entry it reverses (it would undo the entry on days it had not happened yet).
    case reversalDatedBefore(sequence: Int64, date: LocalDate, originalDate: LocalDate)
    /// L019: a lot that expires before the day it is credited (a typo in `--expires` or `--date`): its points could
    /// never be spent. A hand entry (`postByHand`, `timebank post`) is refused a lot expiring on its date too (usable
    /// until the day before, it could never be spent either); `LedgerRules.validate` lets the engine's own writes do so.
    case lotExpiresBeforeCredit(postingIndex: Int, expiresOn: LocalDate, date: LocalDate)
    /// L020: an entry reference that names several entries (a number and a key, or keys of several kinds).
    /// `candidates` describes each, `sequences` are their numbers, in the same order.
    case ambiguousEntry(reference: String, candidates: [String], sequences: [Int64])
    /// L021: a key typed by a person (`post`, `reverse`) that starts with a prefix the engine writes its own entries under
    /// (`release:B1`): the engine's entry under that key could then never be written (L005).
    case keyReserved(key: String, prefix: EngineKey)
    /// L022: a new entry's key that reads as an entry number (`17`, `#17`, `１７`, `number:17`): a later `reverse 17` or
    /// `entry show 17` would name two entries.
    case keyReadsAsEntryNumber(key: String)
    /// L023: an entry named where a record was asked for (`explain 3088`, as a passbook line shows it) that posted no
    /// record's points and reversed none (a redemption, an expiry, an award posted by hand).
    case entryPostedNoRecord(sequence: Int64, kind: EntryKind, memo: String, noRecordWithID: Bool = false)
    /// L024: an entry posted by hand that moves an asset an account of its kind never holds (`LedgerRules.holdsAsset`):
    /// points on the fund (`--to fund:main --points 100` typed for `--cny 100`), CNY on a volunteer or a station.
    case assetNotHeld(postingIndex: Int, account: AccountID, asset: Asset)
    /// L025: an award or grant posted by hand that takes points from a volunteer or household, or a penalty that gives them
    /// some (`--from` and `--to` swapped): the kind says which way the points go (`LedgerRules.validateDirection`).
    case kindAgainstDirection(kind: EntryKind, account: AccountID, amount: Int64)
    /// L026: the reversal of an expiry whose points would go back only to lots expired by the reversal's date: the next nightly
    /// expiry would take them again, so the reversal would give nothing that can be spent (`amount` from `account`, the lots'
    /// latest expiry `expiredOn`).
    case expiryReversalUseless(sequence: Int64, account: AccountID, amount: Int64, expiredOn: LocalDate, lotCount: Int,
                               unit: String = PointsUnit.unnamed)

    public var code: String {
        switch self {
        case .unbalanced: "L001"
        case .postingCountOutOfRange: "L002"
        case .amountOutOfRange, .balanceOutOfRange: "L003"
        case .belowFloor, .belowFloorOnDay: "L004"
        case .existsWithDifferentContent, .existsAndReversed: "L005"
        case .unknownAccount: "L006"
        case .unknownEntry: "L007"
        case .alreadyReversed: "L008"
        case .cannotReverseReversal: "L009"
        case .invalidKey: "L010"
        case .lotExpiryNotAllowed: "L011"
        case .pointsExpired: "L012"
        case .accountExists: "L013"
        case .invalidText: "L014"
        case .invalidFloor: "L015"
        case .movesNothing: "L016"
        case .pointsNotYetCredited: "L017"
        case .reversalDatedBefore: "L018"
        case .lotExpiresBeforeCredit: "L019"
        case .ambiguousEntry: "L020"
        case .keyReserved: "L021"
        case .keyReadsAsEntryNumber: "L022"
        case .entryPostedNoRecord: "L023"
        case .assetNotHeld: "L024"
        case .kindAgainstDirection: "L025"
        case .expiryReversalUseless: "L026"
        }
    }

    public var category: ErrorCategory {
        switch self {
        case .belowFloor, .belowFloorOnDay, .balanceOutOfRange, .existsWithDifferentContent, .existsAndReversed, .alreadyReversed, .cannotReverseReversal, .pointsExpired,
             .accountExists, .pointsNotYetCredited, .expiryReversalUseless:
            .refused
        case .unbalanced, .postingCountOutOfRange, .amountOutOfRange, .unknownAccount, .unknownEntry, .invalidKey,
             .lotExpiryNotAllowed, .invalidText, .invalidFloor, .movesNothing, .reversalDatedBefore, .lotExpiresBeforeCredit, .ambiguousEntry,
             .keyReadsAsEntryNumber, .keyReserved, .entryPostedNoRecord, .assetNotHeld, .kindAgainstDirection:
            .badInput
        }
    }

    public var message: String {
        switch self {
        case .unbalanced(let asset, let sum):
            "the \(asset.rawValue) postings sum to \(Hundredths.format(sum)), not 0; every entry must balance per asset"
        case .postingCountOutOfRange(let count):
            "an entry needs 2 to \(LedgerRules.postingCountMaximum) postings, this one has \(count)"
        case .amountOutOfRange(let index, let amount):
            amount == 0
                ? "posting \(index + 1) has amount 0; leave it out"
                : "posting \(index + 1) has amount \(Hundredths.format(amount)), beyond the largest allowed (\(Hundredths.format(Hundredths.maximumMagnitude)))"
        case .balanceOutOfRange(let account, let asset, let balance, let change):
            "\(account) has \(Hundredths.format(balance)) \(asset.rawValue); \(change < 0 ? "taking" : "adding") "
                + "\(Hundredths.format(change < 0 ? -change : change)) would take its balance "
                + "beyond the largest a balance may hold (\(Hundredths.format(LedgerRules.balanceMagnitudeMaximum)) either way); nothing was written"
        case .belowFloor(let account, let asset, let balance, let change, let floor, let unit):
            "\(account) has \(Hundredths.format(balance)) \(asset == .points ? unit : asset.rawValue); taking \(Hundredths.format(-change)) would leave \(Hundredths.format(balance + change)), below its floor of \(Hundredths.format(floor)); nothing was written"
        case .belowFloorOnDay(let account, let asset, let date, let day, let balance, let change, let floor, let keptFrom, let unit):
            "\(account) had \(Hundredths.format(balance)) \(asset == .points ? unit : asset.rawValue) at the end of \(day) by the entries' dates; taking "
                + "\(Hundredths.format(-change)) dated \(date) would leave \(Hundredths.format(balance + change)) that day, below its floor of "
                + "\(Hundredths.format(floor)): date it \(keptFrom) or later, or take less; nothing was written"
        case .existsWithDifferentContent(let key, let sequence):
            "the key \"\(key)\" was already used by entry #\(sequence) with different content; use a new key for a new entry, or resend exactly the original request"
        case .existsAndReversed(let key, let sequence, let reversedBy):
            "the key \"\(key)\" was already used by entry #\(sequence) with different content, and #\(sequence) was reversed by "
                + "#\(reversedBy): a corrected entry is a new entry, so give it a key of its own, such as \"\(key)-corrected\"; nothing was written"
        case .unknownAccount(let id):
            switch id.kind {
            case .volunteer, .household, .station:
                "no account \"\(id)\"; add the volunteer, household or station first"
            case .system, .fund:
                "no account \"\(id)\": the engine's accounts are system:issuance, system:expired, system:adjustments, system:outside "
                    + "and fund:main, and system:held and system:pool, opened by the first booking and the first donation"
            }
        case .unknownEntry(let reference):
            "no entry \(reference)"
        case .alreadyReversed(let sequence, let by):
            "entry #\(sequence) was already reversed by entry #\(by); an entry is reversed at most once"
        case .cannotReverseReversal(let sequence):
            "entry #\(sequence) is a reversal and cannot be reversed; post a new entry instead"
        case .invalidKey(let reason):
            "invalid key: \(reason)"
        case .lotExpiryNotAllowed(let index):
            "posting \(index + 1) has a lot expiry, but only points credited to a volunteer or household open lots"
        case .pointsExpired(let account, let usable, let needed, let date, let after, let notYetTaken, let unit):
            "\(account) could spend only \(Hundredths.format(usable)) \(unit) on \(date), the date of this entry"
                + (notYetTaken == nil ? " (the rest had expired by then, or was spent on a day between)" : "")
                + "; \(Hundredths.format(needed)) are needed"
                + (notYetTaken.map { ". " + $0.sentence(unit: unit) } ?? "")
                + (after.map { $0.expired > 0 ? ". " + $0.expiredSentence(on: date, unit: unit) : "" } ?? "") + "; nothing was written"
        case .pointsNotYetCredited(let account, let date, let usable, let needed, let later, let first, let after, let unit):
            "\(account) could spend only \(Hundredths.format(usable)) \(unit) on \(date), the date of this entry; \(Hundredths.format(needed)) are needed. "
                + (after.map { $0.expired > 0 ? $0.expiredSentence(on: date, unit: unit) + ". " : "" } ?? "")
                + "\(Hundredths.format(later)) more came in later (credited, or given back by a refund or a cancelled booking; the first on \(first)), and an "
                + "entry cannot spend \(unit) before they came in; "
                + (after.map { $0.advice(verb: "date it", after: date, spend: needed) + ($0.coveredOn.isEmpty ? ": post less" : ", or post less") }
                    ?? "date it \(first) or later, or post less")
                + "; nothing was written"
        case .reversalDatedBefore(let sequence, let date, let original):
            "entry #\(sequence) is dated \(original), so its reversal cannot be dated \(date), before it happened; "
                + "date the reversal \(original) or later; nothing was written"
        case .lotExpiresBeforeCredit(let index, let expiresOn, let date):
            "posting \(index + 1) opens a lot that expires on \(expiresOn), "
                + (expiresOn == date ? "the entry's own date (a lot expiring on a day is usable until the day before)"
                                     : "before the entry's date \(date)")
                + ": its points could never be spent; give an expiry after \(date) (or none), or check the date; nothing was written"
        case .ambiguousEntry(let reference, let candidates, let sequences):
            StationReference.ambiguity(reference, what: "entries", candidates: candidates, numbers: sequences)
        case .keyReserved(let key, let prefix):
            "the key \"\(key)\" starts with \"\(prefix.prefix)\", which the engine keeps for its own entries: \(prefix.usedFor). "
                + "Taken by hand, the engine's entry under it could never be written (L005), and that work would stop for good; "
                + "give a key without the prefix, such as \"\(EngineKey.suggestion(for: key))\"; nothing was written"
        case .keyReadsAsEntryNumber(let key):
            "the key \"\(key)\" reads as an entry number (reverse and entry show take 17, #17 and number:17 as entry numbers, and "
                + "full-width １７ reads the same to a person), so a later reverse or entry show by it would name two entries; give a key "
                + "with a word in front, such as \"fix-\(Self.asciiDigits(of: key))\"; nothing was written"
        case .entryPostedNoRecord(let sequence, let kind, let memo, let noRecordWithID):
            (noRecordWithID ? "no record has the id \(sequence), and " : "")
                + "entry #\(sequence) (\(kind.rawValue): \(memo)) posted no record's points: only the award or penalty of a service record "
                + "or an assessment, or its reversal, has a record to explain; `timebank entry show \(sequence)` shows this entry"
        case .accountExists(let id):
            "the account \"\(id)\" exists already"
        case .invalidText(let field, let reason):
            "invalid \(field): \(reason)"
        case .invalidFloor(let id, let floor):
            "\(id) cannot have a floor of \(Hundredths.format(floor)): volunteer and household points are kept in lots, so their floor must be 0 or more"
        case .assetNotHeld(let index, let account, let asset):
            "posting \(index + 1) moves \(asset.rawValue) on \(account), which never holds "
                + (asset == .points ? "points: the fund is kept in CNY (for money write --cny)" : "CNY: a \(account.kind.rawValue)'s account holds points "
                   + "(money goes to or from fund:main, or to a household as a dividend)")
        case .kindAgainstDirection(let kind, let account, let amount):
            kind == .penalty
                ? "a penalty takes points from a volunteer or household, but this one gives \(Hundredths.format(amount)) to \(account) "
                    + "(--from and --to swapped?): for a penalty write --from \(account.owner) --to system:issuance; to give points, "
                    + "post --kind award or --kind adjustment; nothing was written"
                : "\(kind == .grant ? "a grant" : "an award") gives points to a volunteer or household, but this one takes "
                    + "\(Hundredths.format(-amount)) from \(account) (--from and --to swapped?): for \(kind == .grant ? "a grant" : "an award") write "
                    + "--from system:issuance --to \(account.owner); to take points away, post --kind penalty or --kind adjustment; nothing was written"
        case .expiryReversalUseless(let sequence, let account, let amount, let expiredOn, let lotCount, let unit):
            "entry #\(sequence) is an expiry: the \(Hundredths.format(amount)) \(unit) it took from \(account) were in "
                + (lotCount == 1 ? "a lot that expired on \(expiredOn); reversed, they would go back to that lot, which stays expired,"
                   : "lots that expired by \(expiredOn); reversed, they would go back to those lots, which stay expired,")
                + " and the next nightly expiry would take them again. To give them back to be spent, post them with an expiry of their "
                + "own: `timebank post --from system:expired --to \(account) --points \(Hundredths.format(amount)) --kind adjustment "
                + "--expires YYYY-MM-DD --key KEY --memo TEXT`; nothing was written"
        case .movesNothing(let id):
            "the entry moves nothing: its postings cancel out on \(id) (the same account on both sides?); points are never moved "
                + "from an account to itself, which would only renew the expiry of its lots"
        }
    }

    /// The digits of a key, full-width ones as ASCII (`＃１７` → `17`), for a suggestion.
    static func asciiDigits(of key: String) -> String {
        StationReference.readingForm(key).filter { $0.isASCII && $0.isNumber }
    }
}
