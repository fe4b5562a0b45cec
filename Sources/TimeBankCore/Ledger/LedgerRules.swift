/// The pure rules of the ledger: what makes a request well-formed, how debits draw on lots,
/// and how entries are encoded for hashing. Storage applies them inside its write transaction.
public enum LedgerRules {
    /// Keys, actors and memos are bounded so that no request can bloat the ledger.
    public static let keyLengthMaximum = 200
    public static let actorLengthMaximum = 100
    public static let memoLengthMaximum = 500
    /// The largest magnitude an account's balance may reach (Int64.max / 2 hundredths, about 4.6 × 10^16 points): sums
    /// of balances for reports and reconciliation cannot overflow. A write that would pass it is refused (L003).
    public static let balanceMagnitudeMaximum = Int64.max / 2

    /// Checks everything about a request that does not depend on stored state.
    /// - Complexity: O(number of postings).
    public static func validate(_ request: EntryRequest) throws(LedgerError) {
        try validateKey(request.key)
        try validateText(request.actor, field: "actor", maximum: actorLengthMaximum, allowEmpty: false)
        try validateText(request.memo, field: "memo", maximum: memoLengthMaximum, allowEmpty: true)
        guard (2...postingCountMaximum).contains(request.postings.count) else {
            throw .postingCountOutOfRange(count: request.postings.count)
        }
        var sums: [Asset: Int64] = [:]
        for (index, posting) in request.postings.enumerated() {
            guard posting.amount != 0, posting.amount.magnitude <= Hundredths.maximumMagnitude.magnitude else {
                throw .amountOutOfRange(postingIndex: index, amount: posting.amount)
            }
            if posting.lotExpiresOn != nil, !(posting.amount > 0 && posting.account.isLotTracked(posting.asset)) {
                throw .lotExpiryNotAllowed(postingIndex: index)
            }
            if let expiresOn = posting.lotExpiresOn, expiresOn < request.effectiveDate {
                throw .lotExpiresBeforeCredit(postingIndex: index, expiresOn: expiresOn, date: request.effectiveDate)
            }
            // Cannot overflow: at most ~10^15 per posting, and the count of postings is far below 9,000.
            sums[posting.asset, default: 0] += posting.amount
        }
        for asset in Asset.allCases {
            if let sum = sums[asset], sum != 0 { throw .unbalanced(asset: asset, sum: sum) }
        }
        // An entry must change some balance. (A reversal of such an entry, written before this rule, stays possible.)
        if request.kind != .reversal, movesNothing(request.postings) { throw .movesNothing(request.postings[0].account) }
    }

    public static let postingCountMaximum = 1_000

    /// Whether an account of this kind ever holds `asset`: points are never on the fund (微基金, kept in CNY), and CNY
    /// never on a volunteer or a station (money moves between the outside world, the fund and the households' dividends).
    /// The engine's own writes keep to this; an entry posted by hand is checked against it (L024), so that
    /// `--to fund:main --points 100` typed for `--cny 100` is not issued as points nobody can spend.
    public static func holdsAsset(_ kind: AccountKind, _ asset: Asset) -> Bool {
        switch (kind, asset) {
        case (.fund, .points), (.volunteer, .cny), (.station, .cny): false
        default: true
        }
    }

    /// L024 for the first posting of `request` on an account that never holds its asset (`holdsAsset`).
    public static func validateAssetsHeld(_ request: EntryRequest) throws(LedgerError) {
        for (index, posting) in request.postings.enumerated() where !holdsAsset(posting.account.kind, posting.asset) {
            throw .assetNotHeld(postingIndex: index, account: posting.account, asset: posting.asset)
        }
    }

    /// L025 for an entry posted by hand whose kind says which way points go and whose postings go the other way: an award
    /// or grant that takes points from a volunteer or household, a penalty that gives them some (`--from` and `--to`
    /// swapped: `post --from V0001 --to system:issuance --kind award` would take the award away). Other kinds go either way.
    public static func validateDirection(_ request: EntryRequest) throws(LedgerError) {
        let credits: Bool
        switch request.kind {
        case .award, .grant: credits = true
        case .penalty: credits = false
        default: return
        }
        for posting in request.postings where posting.asset == .points && (posting.account.kind == .volunteer || posting.account.kind == .household) {
            if credits ? posting.amount < 0 : posting.amount > 0 {
                throw .kindAgainstDirection(kind: request.kind, account: posting.account, amount: posting.amount)
            }
        }
    }

    /// True when balanced postings cancel out on every account and asset. Two postings (most entries) cancel out only when
    /// they name one account; longer entries are netted per account and asset.
    static func movesNothing(_ postings: [Posting]) -> Bool {
        let first = postings[0].account
        if postings.allSatisfy({ $0.account == first }) { return true }
        guard postings.count > 2 else { return false }
        var net: [BalanceKey: Int64] = [:]
        for posting in postings { net[BalanceKey(account: posting.account, asset: posting.asset), default: 0] += posting.amount }
        return net.values.allSatisfy { $0 == 0 }
    }

    /// Refuses (L010) a key that is empty, longer than `keyLengthMaximum`, or holds a control character.
    public static func validateKey(_ key: String) throws(LedgerError) {
        if key.isEmpty { throw .invalidKey("the key is empty; give each write a unique key of your own") }
        if key.unicodeScalars.count > keyLengthMaximum {
            throw .invalidKey("the key is " + TextLength.tooLong(key, maximum: keyLengthMaximum))
        }
        if key.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw .invalidKey("the key contains a control character")
        }
    }

    /// Whether a ledger key reads as an entry number to `reverse` and `entry show`, or to a person typing one: in its reading
    /// form (`StationReference.readingForm`: full-width forms as ASCII, white space left out), digits alone (`17`, `0017`),
    /// with `#` in front (`#17`), or the explicit `number:17`; so also `１７`, `＃１７` and `number: 17` as a Chinese input
    /// method types them. A new entry may not take such a key (L022): `reverse 17` would then name two entries.
    ///
    ///     LedgerRules.keyReadsAsEntryNumber("17")      // true
    ///     LedgerRules.keyReadsAsEntryNumber("fix-17")  // false
    /// - Complexity: O(length of the key).
    public static func keyReadsAsEntryNumber(_ key: String) -> Bool {
        StationReference.readsAsNumber(key, signs: ["#"])
    }

    /// A key for a new entry: one that reads as an entry number is refused (L022), and so is one that is blank or has white
    /// space at its start or end (L010), also after an engine prefix (`redeem: S01-0001`, the key a counter typed).
    /// Applied when an entry is written, not to keys stored before the rules, which still load, are found, and return their
    /// entry to a retry.
    public static func validateNewKey(_ key: String) throws(LedgerError) {
        try validateNewKeySpacing(key)
        if let engine = EngineKey.reserving(key) { try validateNewKeySpacing(String(key.dropFirst(engine.prefix.count))) }
        if keyReadsAsEntryNumber(key) { throw .keyReadsAsEntryNumber(key: key) }
    }

    /// Whether a key has white space at its start or end, or is only white space (Unicode's White_Space: spaces, tabs, the
    /// full-width space U+3000 a Chinese input method types). To the database `S01-0001 ` is another key than `S01-0001`,
    /// so a retry typed without the stray space would write a second time.
    public static func hasSpaceAtEdge(_ key: String) -> Bool {
        guard let first = key.unicodeScalars.first, let last = key.unicodeScalars.last else { return false }
        return first.properties.isWhitespace || last.properties.isWhitespace
    }

    /// `key` without white space at its start and end: what the command line makes of every `--key` typed.
    ///
    ///     LedgerRules.trimmingSpaces(" S01-0001\u{3000}")   // "S01-0001"
    public static func trimmingSpaces(_ key: String) -> String {
        let scalars = key.unicodeScalars
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let end = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[start...end])
    }

    /// A client's key for a new write (an entry, a receipt, a booking, a gift, a stock operation): not blank, and without
    /// white space at its start or end (L010). Applied when something is written, not to keys stored before the rule, which
    /// retries still find.
    public static func validateNewKeySpacing(_ key: String) throws(LedgerError) {
        guard hasSpaceAtEdge(key) else { return }
        let trimmed = trimmingSpaces(key)
        throw .invalidKey(trimmed.isEmpty
            ? "the key \"\(key)\" is blank; give each write a unique key of your own"
            : "the key \"\(key)\" has white space at its start or end, so a retry typed without it would be another key and write "
                + "again; give it as \"\(trimmed)\"")
    }

    /// A key a person typed for a new entry (`timebank post`, `reverse`): one that starts with a prefix the engine writes its own
    /// entries under (`release:B1`, `EngineKey`) is refused (L021), since the engine's entry under it could then never be
    /// written. The engine's own writes build their keys with `EngineKey` and are not checked here.
    public static func validateKeyTypedByHand(_ key: String) throws(LedgerError) {
        if let reserved = EngineKey.reserving(key) { throw .keyReserved(key: key, prefix: reserved) }
    }

    /// Why a one-line text the store keeps beside what it writes (an actor, a reason) cannot be kept, or nil: blank, longer
    /// than `maximum` Unicode scalars, or with a line break or another control character. The rule of every actor: a
    /// record's decision, a policy version, a settlement, a change to the community (`actorLengthMaximum`).
    ///
    ///     LedgerRules.lineProblem("admin", maximum: 100)       // nil
    ///     LedgerRules.lineProblem("a\nb", maximum: 100)        // "has a line break or control character"
    public static func lineProblem(_ text: String, maximum: Int) -> String? {
        if text.unicodeScalars.allSatisfy(\.properties.isWhitespace) { return "is empty" }
        if text.unicodeScalars.count > maximum { return "is " + TextLength.tooLong(text, maximum: maximum) }
        if text.unicodeScalars.contains(where: \.isControl) { return "has a line break or control character" }
        return nil
    }

    static func validateText(_ text: String, field: String, maximum: Int, allowEmpty: Bool) throws(LedgerError) {
        if !allowEmpty, text.isEmpty { throw .invalidText(field: field, reason: "it is empty") }
        if text.unicodeScalars.count > maximum {
            throw .invalidText(field: field, reason: "it is " + TextLength.tooLong(text, maximum: maximum))
        }
        if text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw .invalidText(field: field, reason: "it contains a control character (a line break or tab?)")
        }
    }

    /// Of a lot's remainder, the points a debit dated D cannot draw because the lot did not hold them on every day from
    /// D on: given `movesAfter`, the lot's allocations dated after D, net per day and oldest day first (a draw positive,
    /// a give-back negative), the lot held `remaining + (sum of the moves dated after t)` at the end of each day t ≥ D,
    /// so the answer is minus the least of those suffix sums (0 when none is negative). A give-back later spent again
    /// is not counted twice: 10 left, given back 20 on one day and spent 20 the next leaves 10 drawable before both.
    public static func pointsNotHeldThroughout(movesAfter: [Int64]) -> Int64 {
        var suffix: Int64 = 0, least: Int64 = 0
        for amount in movesAfter.reversed() {
            suffix += amount
            least = min(least, suffix)
        }
        return -least
    }

    /// For a write dated `date` changing an account without lots by `change` (< 0): given its balance now and the net
    /// of its postings on each day after `date` (oldest first), whether the floor would be broken at the end of a day
    /// from `date` on, by the entries' dates (at the end of a day t the account held its balance now less the moves
    /// dated after t). Nil when it holds; else the day it held least, what it held then, and the first day from which
    /// the same write would keep the floor on every day since.
    public static func floorBreach(from date: LocalDate, movesAfter: [(day: LocalDate, amount: Int64)], balance: Int64, change: Int64,
                                   floor: Int64) -> (day: LocalDate, held: Int64, keptFrom: LocalDate)? {
        // Segment i starts on `date` (i = 0) or on the day of move i - 1, and holds the balance less the moves from i on.
        var held = [Int64](repeating: balance, count: movesAfter.count + 1)
        for index in stride(from: movesAfter.count - 1, through: 0, by: -1) { held[index] = held[index + 1] - movesAfter[index].amount }
        func day(_ segment: Int) -> LocalDate { segment == 0 ? date : movesAfter[segment - 1].day }
        guard let worst = held.indices.min(by: { held[$0] < held[$1] }), held[worst] + change < floor else { return nil }
        // Walking back from the last segment (the balance now), while every segment from there on keeps the floor.
        var keptFrom = held.count - 1
        var least = held[keptFrom]
        while keptFrom > 0, min(least, held[keptFrom - 1]) + change >= floor {
            least = min(least, held[keptFrom - 1])
            keptFrom -= 1
        }
        return (day(worst), held[worst], day(keptFrom))
    }

    /// For an account without lots that has a floor: given what it held before the first of `days` and, oldest day first, each
    /// day's net change by the entries' dates and whether it was debited that day, the first day it was debited on and ended
    /// below the floor (its index and what the account held then), or nil. Every write keeps such an account at or above its
    /// floor at the end of every day from the write's date on (`floorBreach`), so from its first debit on no day ends below
    /// it; the least balance since then is always at the end of a day with a debit, so those are the days to check.
    ///
    ///     // +20.00 on 10-01, -30.00 on 10-02 (typed in later, dated back), +20.00 on 10-03: -10.00 at the end of 10-02.
    ///     LedgerRules.firstDayBelowFloor(opening: 0, days: [(d1, 2_000, false), (d2, -3_000, true), (d3, 2_000, false)], floor: 0)
    ///     // (index: 1, held: -1_000)
    /// - Complexity: O(number of days).
    public static func firstDayBelowFloor(opening: Int64, days: [(day: LocalDate, change: Int64, debited: Bool)],
                                          floor: Int64) -> (index: Int, held: Int64)? {
        var held = opening
        for (index, day) in days.enumerated() {
            held &+= day.change
            if day.debited, held < floor { return (index, held) }
        }
        return nil
    }

    /// Orders lots for spending: earliest expiry first, lots that never expire last, then oldest first.
    public static func spendingOrder(_ lhs: Lot, _ rhs: Lot) -> Bool {
        switch (lhs.expiresOn, rhs.expiresOn) {
        case let (left?, right?) where left != right: return left < right
        case (.some, .none): return true
        case (.none, .some): return false
        default: return lhs.id < rhs.id
        }
    }

    /// Draws `amount` (> 0) from the lots, in spending order (the `preferred` lot first, whatever its dates),
    /// skipping lots that are empty and (unless `includeExpired`, for the nightly expiry) lots that are not usable on
    /// `date`: expired by then, or opened after it (a debit dated before a credit cannot spend it). From each lot it draws
    /// at most `Lot.drawable`: points given back to a lot after `date` (and not held on every day since) were spent on
    /// that day. Returns the allocations (lot id, amount) and what is left uncovered.
    /// - Complexity: O(n log n) in the number of lots.
    public static func drawFromLots(
        _ lots: [Lot], amount: Int64, on date: LocalDate, includeExpired: Bool = false, preferring preferred: Int64? = nil
    ) -> (allocations: [(lotID: Int64, amount: Int64)], uncovered: Int64) {
        var candidates = lots.filter { $0.drawable > 0 && (includeExpired || $0.isUsable(on: date) || $0.id == preferred) }
        candidates.sort(by: spendingOrder)
        if let preferred, let index = candidates.firstIndex(where: { $0.id == preferred }) {
            candidates.insert(candidates.remove(at: index), at: 0)
        }
        var left = amount
        var allocations: [(lotID: Int64, amount: Int64)] = []
        for lot in candidates where left > 0 {
            let take = min(lot.drawable, left)
            allocations.append((lot.id, take))
            left -= take
        }
        return (allocations, left)
    }
}

extension LedgerRules {
    #if DEBUG
    /// Test-only (debug builds): skips the redemption's balance-floor check, so that the seeded simulation can show
    /// that it catches a broken floor (`SimulationTests.catchesSkippedFloorCheck`). A task-local, so that it is set
    /// for one simulation only: `LedgerRules.$skipFloorCheckForSimulation.withValue(true) { ... }`.
    @TaskLocal public static var skipFloorCheckForSimulation = false
    #endif

    /// Whether the test-only switch above is on; always false in release builds.
    public static var floorCheckSkippedForSimulation: Bool {
        #if DEBUG
        skipFloorCheckForSimulation
        #else
        false
        #endif
    }
}

/// An account's balance in one asset: what `LedgerRules.validate` nets postings by.
private struct BalanceKey: Hashable {
    var account: AccountID
    var asset: Asset
}
