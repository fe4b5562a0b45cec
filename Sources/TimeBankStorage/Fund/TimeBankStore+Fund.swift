import TimeBankCore

/// The micro-fund (微基金) in CNY: money in from merchants and donors, money out for goods, services and
/// dividends, and the report that says how well the fund backs the points outstanding.
///
/// Every write is one transaction that posts one ledger entry (key `fund:` + the client's key) and its row
/// in the fund tables, idempotent by key: the same key with the same content returns `.exists`, with other
/// content F009.
extension TimeBankStore {
    /// The longest merchant or donor name.
    public static let fundNameLengthMaximum = 100
    /// The longest memo of a contribution or donation.
    public static let fundMemoLengthMaximum = 200

    // MARK: Contributions

    /// Records a merchant's contribution: `turnover × fund.merchant_rate` of the policy in force on `date`,
    /// rounded half-up to the fen, posted `system:outside → fund:main` (CNY, kind `fund`).
    ///
    ///     try store.contribute(merchant: "泰山路超市", turnover: 1_234_567, date: day, key: "contribution:泰山路超市:2026-11-20",
    ///                          actor: "admin")   // 12.35 CNY at 0.1%
    ///
    /// The merchant's name is stored normalised (`FundName.normalized`: trimmed, inner runs of whitespace made one
    /// space); a retry under the same key matches a stored name that normalises to the same.
    ///
    /// Refused with nothing written: F002 for a turnover ≤ 0, F003 when the rate is 0, F004 when the
    /// contribution rounds to 0.00, F005 for an unusable merchant name or memo, F009 for a key used with
    /// other content (with `dateIsExplicit`, another date is other content; without, `date` is today's and a retry
    /// on a later day finds the write, as `payDividend`'s does), A006 when no policy is in force on `date`.
    @discardableResult
    public func contribute(merchant typed: String, turnover: Int64, date: LocalDate, key: String, actor: String,
                           memo: String = "", dateIsExplicit: Bool = true) throws -> FundOutcome<FundContribution> {
        let merchant = try Self.fundName(typed, field: "merchant name")
        try Self.validateFundText(memo, field: "memo", maximum: Self.fundMemoLengthMaximum, allowEmpty: true)
        try Self.validateFundKey(key, of: .contribution)
        guard turnover > 0, turnover <= Hundredths.maximumMagnitude else {
            throw FundError.invalidAmount(field: "turnover", text: Hundredths.format(turnover))
        }
        return try writeTransaction {
            if let stored = try fundContribution(key: key) {
                guard FundName.normalized(stored.merchant) == merchant, stored.turnover == turnover, !dateIsExplicit || stored.date == date,
                      memo.isEmpty || stored.memo == memo else {
                    throw FundError.keyReused(key: key, existing: "the contribution of \(stored.merchant) on \(stored.date) "
                                              + "(turnover \(Hundredths.format(stored.turnover)) CNY, entry #\(stored.entry)"
                                              + "\(try reversedByHandClause(stored.entry)))")
                }
                return .exists(stored)
            }
            let policy = try counterPolicy(on: date)
            let rate = policy.policy.fund.merchantRate
            guard rate > .zero else {
                throw FundError.rateOutOfRange("the policy in force on \(date) (version #\(policy.version)) has merchant_rate = \(rate)")
            }
            let amount = try FundMath.contribution(turnover: turnover, rate: rate)
            guard amount > 0 else { throw FundError.contributionRoundsToZero(turnover: turnover, rate: rate.description) }
            let text = memo.isEmpty ? "商户注资 \(merchant): 营业额 \(Hundredths.format(turnover)) × \(rate)" : memo
            let entry = try appendFundEntry(.move(key: Self.fundLedgerKey(key), kind: .fund, date: date, actor: actor, memo: text,
                                                  from: .outside, to: .fund, asset: .cny, amount: amount), clientKey: key)
            try database.statement("""
                INSERT INTO fund_contributions(key, merchant, turnover, rate, policy_version, amount, memo, entry, effective_date, actor, recorded_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).bind(.text(key), .text(merchant), .integer(turnover), .text(rate.description), .integer(policy.version), .integer(amount),
                          .text(text), .integer(entry.sequence), .text(date.description), .text(actor), .text(entry.recordedAt.description)).run()
            guard let stored = try fundContribution(key: key) else { throw StoredDataError(sequence: entry.sequence, detail: "contribution not stored") }
            return .created(stored)
        }
    }

    /// The contribution recorded under a client key.
    public func fundContribution(key: String) throws -> FundContribution? {
        try database.statement("SELECT " + Self.contributionColumns + " FROM fund_contributions WHERE key = ?")
            .bind(.text(key)).first(Self.contributionRow)
    }

    /// The merchants' names stored, in the order first recorded.
    public func fundMerchants() throws -> [String] {
        try database.statement("SELECT merchant FROM fund_contributions GROUP BY merchant ORDER BY min(number)").rows { $0.text(0) }
    }

    /// The donors' names stored, in the order first recorded.
    public func fundDonors() throws -> [String] {
        try database.statement("SELECT donor FROM fund_donations GROUP BY donor ORDER BY min(number)").rows { $0.text(0) }
    }

    /// The contributions dated in a range (all when nil), oldest first.
    public func fundContributions(from: LocalDate? = nil, through: LocalDate? = nil) throws -> [FundContribution] {
        try database.statement("SELECT " + Self.contributionColumns + " FROM fund_contributions WHERE effective_date BETWEEN ? AND ? ORDER BY number")
            .bind(.text(from?.description ?? "0000-01-01"), .text(through?.description ?? "9999-12-31")).rows(Self.contributionRow)
    }

    // MARK: Donations

    /// Records a donation of money into the fund: `system:outside → fund:main`, CNY, kind `donation`. The donor's
    /// name is stored normalised, as a merchant's is (`contribute`).
    /// Refused with nothing written: F002 for an amount ≤ 0, F005 for an unusable donor or memo, F009 for a
    /// key used with other content (another date only with `dateIsExplicit`, as for `contribute`).
    @discardableResult
    public func donate(donor typed: String, amount: Int64, date: LocalDate, key: String, actor: String,
                       memo: String = "", dateIsExplicit: Bool = true) throws -> FundOutcome<FundDonation> {
        let donor = try Self.fundName(typed, field: "donor name")
        try Self.validateFundText(memo, field: "memo", maximum: Self.fundMemoLengthMaximum, allowEmpty: true)
        try Self.validateFundKey(key, of: .donation)
        guard amount > 0, amount <= Hundredths.maximumMagnitude else { throw FundError.invalidAmount(field: "amount", text: Hundredths.format(amount)) }
        return try writeTransaction {
            if let stored = try fundDonation(key: key) {
                guard FundName.normalized(stored.donor) == donor, stored.amount == amount, !dateIsExplicit || stored.date == date,
                      memo.isEmpty || stored.memo == memo else {
                    throw FundError.keyReused(key: key, existing: "the donation of \(Hundredths.format(stored.amount)) CNY by \(stored.donor) "
                                              + "on \(stored.date) (entry #\(stored.entry)\(try reversedByHandClause(stored.entry)))")
                }
                return .exists(stored)
            }
            let text = memo.isEmpty ? "捐赠 \(donor)" : memo
            let entry = try appendFundEntry(.move(key: Self.fundLedgerKey(key), kind: .donation, date: date, actor: actor, memo: text,
                                                  from: .outside, to: .fund, asset: .cny, amount: amount), clientKey: key)
            try database.statement("""
                INSERT INTO fund_donations(key, donor, amount, memo, entry, effective_date, actor, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """).bind(.text(key), .text(donor), .integer(amount), .text(text), .integer(entry.sequence), .text(date.description),
                          .text(actor), .text(entry.recordedAt.description)).run()
            guard let stored = try fundDonation(key: key) else { throw StoredDataError(sequence: entry.sequence, detail: "donation not stored") }
            return .created(stored)
        }
    }

    /// The donation recorded under a client key.
    public func fundDonation(key: String) throws -> FundDonation? {
        try database.statement("SELECT number, key, donor, amount, memo, entry, effective_date, actor, recorded_at FROM fund_donations WHERE key = ?")
            .bind(.text(key)).first { row in
                guard let date = LocalDate(row.text(6)), let recordedAt = Timestamp(row.text(8)) else {
                    throw StoredDataError(sequence: row.int64(5), detail: "fund donation \(row.int64(0)) has an unreadable date")
                }
                return FundDonation(number: row.int64(0), key: row.text(1), donor: row.text(2), amount: row.int64(3), memo: row.text(4),
                                    entry: row.int64(5), date: date, actor: row.text(7), recordedAt: recordedAt)
            }
    }

    // MARK: Report

    /// The fund from `from` through `through` (both included), read from the ledger in one snapshot:
    /// opening and closing balance of `fund:main`, money in and out by kind, the points outstanding at the
    /// end of `through` (volunteers + households + `system:held`), their value at the `point_value` of the
    /// policy in force on `through`, the coverage ratio, and how many records dated by `through` are not posted yet
    /// (their points will change those figures). F012 when `from` is after `through`.
    ///
    /// Balances "at the end of a day" sum the entries dated on or before it, whenever they were posted.
    public func fundReport(from: LocalDate, through: LocalDate) throws -> FundReport {
        guard from <= through else { throw FundError.invalidRange(from: from, through: through) }
        return try database.readTransaction {
            guard let fund = try storedAccount(.fund) else { throw LedgerError.unknownAccount(.fund) }
            let fundSum = try database.statement("""
                SELECT coalesce(sum(p.amount), 0) FROM postings p JOIN entries e ON e.sequence = p.entry
                WHERE p.account = ? AND p.asset = 'CNY' AND e.effective_date <= ?
                """)
            let opening = try fundSum.bind(.integer(fund.number), .text(from.adding(days: -1).description)).first { $0.int64(0) } ?? 0
            let closing = try fundSum.bind(.integer(fund.number), .text(through.description)).first { $0.int64(0) } ?? 0

            // Net effect of each entry on the fund, summed by the entry's kind and direction.
            var byKind: [FundFlow.Kind: FundFlow] = [:]
            _ = try database.statement("""
                SELECT e.kind, s.net FROM (
                    SELECT p.entry AS entry, sum(p.amount) AS net FROM postings p WHERE p.account = ? AND p.asset = 'CNY' GROUP BY p.entry
                ) s JOIN entries e ON e.sequence = s.entry
                WHERE e.effective_date BETWEEN ? AND ? AND s.net <> 0
                """).bind(.integer(fund.number), .text(from.description), .text(through.description)).rows { row in
                let net = row.int64(1)
                let kind = Self.flowKind(entryKind: EntryKind(rawValue: row.text(0)), inflow: net > 0)
                var flow = byKind[kind] ?? FundFlow(kind: kind, inflow: 0, outflow: 0, entries: 0)
                if net > 0 { flow.inflow += net } else { flow.outflow -= net }
                flow.entries += 1
                byKind[kind] = flow
            }
            let flows = FundFlow.Kind.allCases.compactMap { byKind[$0] }

            let points = try pointsOutstanding(through: through)
            let total = points.volunteers + points.households + points.held
            var version: Int64?
            var pointValue: ExactDecimal?
            if try policyVersion(inForceOn: through) != nil {
                let policy = try counterPolicy(on: through)
                version = policy.version
                pointValue = policy.policy.fund.pointValue
            }
            let liability = try FundMath.liability(points: total, pointValue: pointValue ?? .zero)
            let coverage = try FundMath.coverage(fund: closing, pointsOutstanding: total, pointValue: pointValue ?? .zero)
            return FundReport(from: from, through: through, openingBalance: opening, closingBalance: closing, flows: flows,
                              volunteerPoints: points.volunteers, householdPoints: points.households, heldPoints: points.held,
                              policyVersion: version, pointValue: pointValue, liability: liability, coverage: coverage,
                              recordsNotPosted: try unpostedRecordCount(from: nil, through: through))
        }
    }

    /// Points held at the end of `through`, summed from the ledger's postings of entries dated on or before it (never
    /// from the cached `balances`, which a stray edit could make drift from the ledger).
    ///
    /// - Complexity: one pass over the entries in sequence order, each entry's postings read by primary key (so the
    ///   reads go forward through both tables instead of jumping about); about 1 s of CPU for 1,000,000 entries
    ///   (docs/reports.md, "Cost").
    func pointsOutstanding(through: LocalDate) throws -> (volunteers: Int64, households: Int64, held: Int64) {
        var sums: [String: Int64] = [:]
        // `NOT INDEXED` and `CROSS JOIN` keep that order: led by the date index or by postings_by_account, SQLite would
        // look every posting's entry (or every entry's postings) up at random, three times slower on a large ledger.
        _ = try database.statement("""
            SELECT CASE WHEN a.kind = 'system' THEN 'held' ELSE a.kind END, sum(p.amount)
            FROM entries e NOT INDEXED CROSS JOIN postings p ON p.entry = e.sequence JOIN accounts a ON a.number = p.account
            WHERE e.effective_date <= ? AND p.asset = 'POINTS' AND (a.kind IN ('volunteer','household') OR a.id = ?)
            GROUP BY 1
            """).bind(.text(through.description), .text(Self.heldAccount.id.description)).rows { sums[$0.text(0)] = $0.int64(1) }
        return (sums["volunteer"] ?? 0, sums["household"] ?? 0, sums["held"] ?? 0)
    }

    static func flowKind(entryKind: EntryKind?, inflow: Bool) -> FundFlow.Kind {
        switch (entryKind, inflow) {
        case (.fund?, true): .contributions
        case (.fund?, false): .stockPurchases
        case (.donation?, true): .donations
        case (.redemption?, false): .serviceCosts
        case (.dividend?, false): .dividends
        case (.reversal?, _), (.refund?, _): .reversals
        default: .other
        }
    }

    // MARK: Dividends

    /// The most households one ledger entry of a dividend pays: an entry holds at most 1,000 postings, one of them the
    /// fund's. A dividend to more households is posted as several entries in the same transaction.
    public static var dividendHouseholdsPerEntry: Int { LedgerRules.postingCountMaximum - 1 }

    /// Pays `amount` fen from the fund to households in proportion to the points they earned in `period`
    /// (`2026`, `2026-Q4`, `2026-11`), to the fen by the largest-remainder method (`LargestRemainder`), and
    /// writes the allocation table. The payment is one ledger entry (kind `dividend`: `fund:main` → each
    /// `household:H` with a share above 0, CNY) keyed `fund:KEY`; for more than 999 households it is several
    /// entries of at most 999 households each (in household id order), `fund:KEY`, `fund:KEY:2`, `fund:KEY:3`…,
    /// consecutive in the ledger and written in one transaction: all of them or none.
    ///
    /// A household's weight: the points of `award` entries dated in the period to its volunteers' accounts
    /// (by their household now) or to the household account, minus the reversals of those awards.
    /// Volunteers without a household share in nothing (their points are reported as unassigned).
    ///
    /// It is paid on finished figures: in a store that settles nights, the period's last day must be settled (F014), and
    /// no record dated in the period may wait to be posted (F015), unless `unsettledReason` says why it is paid on the
    /// points posted so far (the reason goes into the entries' memo).
    ///
    /// Refused with nothing written: F001 when no household earned anything, F002 for an amount ≤ 0,
    /// F006 for a bad period, F007 for a basis other than `earned`, F008 when the fund holds less than the
    /// amount (now, or at the end of any day from `date` on, by the entries' dates), F009 for a key used with other
    /// content (with `dateIsExplicit`, another payment date is other content; without, `date` is today's and a retry on
    /// a later day finds the payment), F011 when `date` is not after the period's last day, F014/F015 above, L010 when a
    /// payment in several entries would make a key of more than 200 characters.
    @discardableResult
    public func payDividend(period text: String, amount: Int64, basis basisText: String = "earned", key: String, actor: String,
                            date: LocalDate, dateIsExplicit: Bool = true, unsettledReason: String? = nil) throws -> FundOutcome<Dividend> {
        let period = try DividendPeriod(parsing: text)
        let basis = try DividendBasis(parsing: basisText)
        guard amount > 0, amount <= Hundredths.maximumMagnitude else { throw FundError.invalidAmount(field: "amount", text: Hundredths.format(amount)) }
        try Self.validateFundKey(key, of: .dividend)
        if let unsettledReason {
            try Self.validateFundText(unsettledReason, field: "reason", maximum: Self.fundMemoLengthMaximum, allowEmpty: false)
        }
        return try writeTransaction {
            if let stored = try dividend(key: key) {
                guard stored.period == period.description, stored.amount == amount, stored.basis == basis,
                      !dateIsExplicit || stored.date == date else {
                    let reversed = try dividendReversals(stored).map { "; reversed by hand in entry #\($0.reversal)" }.first ?? ""
                    let suggestion = try freeDividendKey(after: key)
                    if stored.period == period.description, stored.amount == amount, stored.basis == basis {
                        throw FundError.keyReused(key: key, existing: "the same dividend paid on \(stored.date) (entry #\(stored.entry)\(reversed)), not on \(date)",
                                                  suggestion: suggestion)
                    }
                    throw FundError.keyReused(key: key, existing: "the dividend of \(Hundredths.format(stored.amount)) CNY for \(stored.period) "
                                              + "(basis \(stored.basis.rawValue), entry #\(stored.entry)\(reversed))", suggestion: suggestion)
                }
                return .exists(stored)
            }
            guard date > period.lastDay else { throw FundError.periodNotOver(period: period.description, lastDay: period.lastDay, date: date) }
            // What is not posted yet: refused without --unsettled; with it, said in the memo (nothing when all is posted).
            let unposted = try periodNotPosted(period)
            if let unposted, unsettledReason == nil { throw unposted }
            let earned = try pointsEarned(from: period.firstDay, through: period.lastDay)
            let claims = earned.households.map { LargestRemainder.Claim(id: $0.key, weight: $0.value) }.sorted { $0.id < $1.id }
            let allocation: LargestRemainder.Allocation
            do {
                allocation = try LargestRemainder.allocate(amount, among: claims)
            } catch LargestRemainder.Failure.zeroTotalWeight {
                throw FundError.nothingEarned(period: period.description)
            } catch {
                throw FundError.outOfRange("the weights of \(period)")
            }
            guard let totalWeight = Int64(exactly: allocation.totalWeight) else { throw FundError.outOfRange("the points earned in \(period)") }
            let paid = allocation.shares.filter { $0.amount > 0 }
            let perEntry = Self.dividendHouseholdsPerEntry
            let parts = stride(from: 0, to: paid.count, by: perEntry).map { paid[$0..<min($0 + perEntry, paid.count)] }
            let lastKey = Self.dividendLedgerKey(key, part: parts.count)
            if lastKey.unicodeScalars.count > LedgerRules.keyLengthMaximum {
                let longest = key.unicodeScalars.count - (lastKey.unicodeScalars.count - LedgerRules.keyLengthMaximum)
                throw LedgerError.invalidKey("a dividend to \(paid.count) households is posted as \(parts.count) entries keyed "
                                             + "fund:KEY, fund:KEY:2 … fund:KEY:\(parts.count): give a key of at most \(longest) characters")
            }
            try checkFundHeld(amount, from: date, balance: try self.balance(.fund, .cny))

            var entries: [Entry] = []
            for (index, part) in parts.enumerated() {
                let partAmount = part.reduce(Int64(0)) { $0 + $1.amount }
                var postings = [Posting(account: .fund, asset: .cny, amount: -partAmount)]
                for share in part { postings.append(Posting(account: .household(share.id), asset: .cny, amount: share.amount)) }
                var memo = "分红 \(period) (\(basis.rawValue)): \(Hundredths.format(amount)) CNY, \(paid.count) 户"
                if parts.count > 1 {
                    memo += " · \(index + 1)/\(parts.count): \(Hundredths.format(partAmount)) CNY, \(part.count) 户"
                }
                if let unsettledReason, let missing = unposted?.unpostedSummary {
                    memo += Self.unsettledMemo(missing: missing, reason: unsettledReason)
                }
                entries.append(try appendFundEntry(EntryRequest(key: Self.dividendLedgerKey(key, part: index + 1), kind: .dividend,
                                                                effectiveDate: date, actor: actor, memo: memo, postings: postings),
                                                   clientKey: key, suggestion: { try self.freeDividendKey(after: key) }))
            }
            let entry = entries[0]
            try database.statement("""
                INSERT INTO dividends(key, period, period_start, period_end, basis, amount, total_weight, unassigned_weight, entry,
                                      entry_count, effective_date, actor, recorded_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).bind(.text(key), .text(period.description), .text(period.firstDay.description), .text(period.lastDay.description),
                          .text(basis.rawValue), .integer(amount), .integer(totalWeight), .integer(earned.unassigned), .integer(entry.sequence),
                          .integer(Int64(entries.count)), .text(date.description), .text(actor), .text(entry.recordedAt.description)).run()
            let number = database.lastInsertedRowID
            let insertShare = try database.statement("INSERT INTO dividend_shares(dividend, household, weight, share, leftover) VALUES (?, ?, ?, ?, ?)")
            for share in allocation.shares {
                try insertShare.bind(.integer(number), .text(share.id), .integer(share.weight), .integer(share.amount),
                                     .integer(share.receivedLeftover ? 1 : 0)).run()
            }
            guard let stored = try dividend(key: key) else { throw StoredDataError(sequence: entry.sequence, detail: "dividend not stored") }
            return .created(stored)
        }
    }

    /// What keeps a period's figures from being final, as the refusal it makes without `--unsettled`: F014 when nights
    /// are settled but not through the period's last day, F015 when records dated in the period wait to be decided or
    /// posted (those without a verifier counted apart: the others the next night takes); nil when all is posted.
    func periodNotPosted(_ period: DividendPeriod) throws -> FundError? {
        if let latest = try latestSettledDate(), latest < period.lastDay {
            return .periodNotSettled(period: period.description, lastDay: period.lastDay, latestSettled: latest)
        }
        let open = try database.statement("""
            SELECT count(*), coalesce(sum(r.status = 'pending' AND r.verifier IS NULL), 0), min(r.service_date), max(r.service_date) FROM records r
            WHERE r.service_date BETWEEN ?1 AND ?2
              AND (r.status = 'pending' OR (r.status = 'approved' AND NOT EXISTS (SELECT 1 FROM record_scores s WHERE s.record = r.number)))
            """).bind(.text(period.firstDay.description), .text(period.lastDay.description))
            .first { (count: Int($0.int64(0)), waiting: Int($0.int64(1)), first: $0.optionalText(2), last: $0.optionalText(3)) }
        if let open, open.count > 0, let first = open.first.flatMap(LocalDate.init), let last = open.last.flatMap(LocalDate.init) {
            return .recordsNotPosted(period: period.description, count: open.count, waiting: open.waiting, firstDate: first, lastDate: last)
        }
        return nil
    }

    /// The part of a dividend entry's memo that says it was paid with `--unsettled`: what was missing and why it was paid.
    static func unsettledMemo(missing: String, reason: String) -> String {
        unsettledMemoLead + "\(missing)): \(reason)"
    }

    private static let unsettledMemoLead = " · 未结算完即发放 (paid before the period was fully posted: "

    /// Read back from an entry's memo: what was missing when a dividend was paid with `--unsettled`, and the reason; nil
    /// when the memo says no such thing (`unsettledMemo` writes it).
    public static func unsettledPayment(inMemo memo: String) -> (missing: String, reason: String)? {
        guard let start = memo.firstRange(of: unsettledMemoLead), let close = memo[start.upperBound...].firstRange(of: "): ") else { return nil }
        return (String(memo[start.upperBound..<close.lowerBound]), String(memo[close.upperBound...]))
    }

    /// F008 when paying `amount` dated `date` would leave the fund below 0 now, or at the end of a day from `date` on by
    /// the entries' dates (a payment dated back cannot spend money that came in later). `balance`: the fund's balance now.
    func checkFundHeld(_ amount: Int64, from date: LocalDate, balance: Int64) throws {
        guard let fund = try storedAccount(.fund) else { throw FundError.fundTooLow(balance: balance, amount: amount) }
        let moves = try netMovesByDay(accountNumber: fund.number, asset: .cny, after: date)
        if let breach = LedgerRules.floorBreach(from: date, movesAfter: moves, balance: balance, change: -amount, floor: 0) {
            // Short today as well, with nothing dated after `date`: the plain message. Else the day it held least (which
            // may be today) and the first date that would do, when a later one would.
            if moves.isEmpty { throw FundError.fundTooLow(balance: balance, amount: amount) }
            let keptFrom = breach.keptFrom > date && balance >= amount ? breach.keptFrom : nil
            throw FundError.fundTooLow(balance: breach.held, amount: amount, day: breach.day, keptFrom: keptFrom)
        }
    }

    /// Points earned from `from` through `through` (award entries net of their reversals), by household;
    /// `unassigned`: earned by volunteers who belong to no household.
    public func pointsEarned(from: LocalDate, through: LocalDate) throws -> (households: [String: Int64], unassigned: Int64) {
        var byAccount: [String: Int64] = [:]
        _ = try database.statement("""
            SELECT id, sum(amount) FROM (
                SELECT a.id AS id, p.amount AS amount FROM entries e
                JOIN postings p ON p.entry = e.sequence JOIN accounts a ON a.number = p.account
                WHERE e.kind = 'award' AND e.effective_date BETWEEN ?1 AND ?2 AND p.asset = 'POINTS' AND a.kind IN ('volunteer','household')
                UNION ALL
                SELECT a.id, p.amount FROM entries e
                JOIN entries r ON r.reverses = e.sequence
                JOIN postings p ON p.entry = r.sequence JOIN accounts a ON a.number = p.account
                WHERE e.kind = 'award' AND e.effective_date BETWEEN ?1 AND ?2 AND p.asset = 'POINTS' AND a.kind IN ('volunteer','household')
            ) GROUP BY id
            """).bind(.text(from.description), .text(through.description)).rows { byAccount[$0.text(0)] = $0.int64(1) }
        var householdOf: [String: String?] = [:]
        _ = try database.statement("SELECT id, household FROM volunteers").rows { householdOf[$0.text(0)] = $0.optionalText(1) }
        var households: [String: Int64] = [:]
        var unassigned: Int64 = 0
        for (text, points) in byAccount where points > 0 {
            guard let account = AccountID(text) else { continue }
            let household: String?
            switch account.kind {
            case .household: household = account.owner
            case .volunteer: household = householdOf[account.owner] ?? nil
            default: household = nil
            }
            if let household {
                let (sum, overflow) = households[household, default: 0].addingReportingOverflow(points)
                guard !overflow else { throw FundError.outOfRange("the points earned by \(household)") }
                households[household] = sum
            } else {
                unassigned += points
            }
        }
        return (households, unassigned)
    }

    /// The dividend paid under a client key, with its allocation table.
    public func dividend(key: String) throws -> Dividend? {
        try database.statement("SELECT " + Self.dividendColumns + " FROM dividends WHERE key = ?").bind(.text(key)).first(dividendRow)
    }

    /// The entries of a dividend that were reversed by hand (`timebank reverse`), each with the entry that reverses it;
    /// empty when none was. The dividend's row keeps its key, so paying the period again needs a key of its own.
    public func dividendReversals(_ dividend: Dividend) throws -> [(entry: Int64, reversal: Int64)] {
        try dividend.entries.compactMap { entry in try reversal(of: entry).map { (entry: entry, reversal: $0) } }
    }

    /// Every dividend paid, oldest first, with their allocation tables.
    public func dividends() throws -> [Dividend] {
        try database.statement("SELECT " + Self.dividendColumns + " FROM dividends ORDER BY number").rows(dividendRow)
    }

    // MARK: Helpers

    /// `; reversed by hand in entry #R` when `entry` was reversed (`timebank reverse`), else empty: an F009 for a key whose
    /// write was reversed says so, since the key stays taken and the write is recorded again under a key of its own.
    private func reversedByHandClause(_ entry: Int64) throws -> String {
        try reversal(of: entry).map { "; reversed by hand in entry #\($0)" } ?? ""
    }

    /// The ledger key of a fund write: `fund:` + the client's key.
    static func fundLedgerKey(_ key: String) -> String { EngineKey.fund.key(key) }

    /// The ledger key of part `part` (from 1) of a dividend: `fund:KEY`, then `fund:KEY:2`, `fund:KEY:3`…
    static func dividendLedgerKey(_ key: String, part: Int) -> String {
        part <= 1 ? fundLedgerKey(key) : fundLedgerKey(key) + ":\(part)"
    }

    static func validateFundKey(_ key: String) throws {
        try LedgerRules.validateKey(key)
        if key.unicodeScalars.count > LedgerRules.keyLengthMaximum - 5 {
            throw LedgerError.invalidKey("the key is " + TextLength.tooLong(key, maximum: LedgerRules.keyLengthMaximum - 5))
        }
    }

    /// The kinds of fund write whose commands make a key by themselves when none is given, with its prefix.
    enum DefaultKeyOwner: String, CaseIterable {
        case contribution = "contribution:"
        case donation = "donation:"
        case dividend = "dividend:"

        var owner: String {
            switch self {
            case .contribution: "`fund contribute`"
            case .donation: "`fund donate`"
            case .dividend: "`dividend`"
            }
        }
    }

    /// `validateFundKey`, and F018 for a key that starts with the default-key prefix of another kind of write: a
    /// donation keyed `dividend:2026-10` would take the key `dividend --period 2026-10` makes, and that dividend
    /// would then be refused (F009) as a reuse of its own key.
    static func validateFundKey(_ key: String, of kind: DefaultKeyOwner) throws {
        try validateFundKey(key)
        for other in DefaultKeyOwner.allCases where other != kind && key.hasPrefix(other.rawValue) {
            throw FundError.reservedKeyPrefix(key: key, prefix: other.rawValue, owner: other.owner)
        }
    }

    /// A merchant's or donor's name as stored: `typed` normalised (`FundName.normalized`). F005 when it has a line
    /// break or control character, is empty once trimmed, or is longer than `fundNameLengthMaximum`.
    static func fundName(_ typed: String, field: String) throws -> String {
        if typed.unicodeScalars.contains(where: \.isControl) {
            throw FundError.invalidText(field: field, reason: "has a line break or control character")
        }
        let name = FundName.normalized(typed)
        try validateFundText(name, field: field, maximum: fundNameLengthMaximum, allowEmpty: false)
        return name
    }

    static func validateFundText(_ text: String, field: String, maximum: Int, allowEmpty: Bool) throws {
        if !allowEmpty, text.unicodeScalars.allSatisfy(\.properties.isWhitespace) { throw FundError.invalidText(field: field, reason: "is empty") }
        if text.unicodeScalars.count > maximum { throw FundError.textTooLong(field: field, maximum: maximum, length: text.unicodeScalars.count) }
        if text.unicodeScalars.contains(where: \.isControl) {
            throw FundError.invalidText(field: field, reason: "has a line break or control character")
        }
    }

    /// Appends a fund entry in the caller's transaction; a ledger key taken by another write is F009 (with the key
    /// `suggestion` makes as its example, else `KEY:2`).
    private func appendFundEntry(_ request: EntryRequest, clientKey: String, suggestion: () throws -> String? = { nil }) throws -> Entry {
        do {
            return try appendStationEntry(request)
        } catch LedgerError.existsWithDifferentContent(_, let sequence) {
            throw FundError.keyReused(key: clientKey, existing: "ledger entry #\(sequence) (key \(request.key))", suggestion: try suggestion())
        }
    }

    /// The key F009 gives as its example for another dividend: `KEY-2`, `KEY-3`… the first that no dividend holds and no
    /// ledger entry holds, part keys included. Not `KEY:2`: a dividend to more than 999 households posts its second entry
    /// under `fund:KEY:2`, so a dividend keyed `KEY:2` would be refused again. (`:` to `;` is the range of keys that
    /// continue with `:`, read from the key index.)
    func freeDividendKey(after key: String) throws -> String {
        let taken = try database.statement("""
            SELECT (SELECT count(*) FROM dividends WHERE key = ?1)
                 + (SELECT count(*) FROM entries WHERE key = ?2 OR (key >= ?2 || ':' AND key < ?2 || ';'))
            """)
        for number in 2...1_000 {
            let candidate = "\(key)-\(number)"
            if try taken.bind(.text(candidate), .text(Self.fundLedgerKey(candidate))).first({ $0.int64(0) }) == 0 { return candidate }
        }
        return key + "-2"
    }

    private static let contributionColumns =
        "number, key, merchant, turnover, rate, policy_version, amount, memo, entry, effective_date, actor, recorded_at"

    private static func contributionRow(_ row: SQLiteStatement) throws -> FundContribution {
        guard let rate = ExactDecimal(row.text(4)), let date = LocalDate(row.text(9)), let recordedAt = Timestamp(row.text(11)) else {
            throw StoredDataError(sequence: row.int64(8), detail: "fund contribution \(row.int64(0)) has an unreadable rate or date")
        }
        return FundContribution(number: row.int64(0), key: row.text(1), merchant: row.text(2), turnover: row.int64(3), rate: rate,
                                policyVersion: row.int64(5), amount: row.int64(6), memo: row.text(7), entry: row.int64(8), date: date,
                                actor: row.text(10), recordedAt: recordedAt)
    }

    private static let dividendColumns =
        "number, key, period, period_start, period_end, basis, amount, total_weight, unassigned_weight, entry, effective_date, actor, recorded_at, entry_count"

    private func dividendRow(_ row: SQLiteStatement) throws -> Dividend {
        let number = row.int64(0)
        guard let start = LocalDate(row.text(3)), let end = LocalDate(row.text(4)), let basis = DividendBasis(rawValue: row.text(5)),
              let date = LocalDate(row.text(10)), let recordedAt = Timestamp(row.text(12)) else {
            throw StoredDataError(sequence: row.int64(9), detail: "dividend \(number) has an unreadable date or basis")
        }
        var dividend = Dividend(number: number, key: row.text(1), period: row.text(2), periodStart: start, periodEnd: end, basis: basis,
                                amount: row.int64(6), totalWeight: row.int64(7), unassignedWeight: row.int64(8), entry: row.int64(9),
                                entryCount: Int(row.int64(13)), date: date, actor: row.text(11), recordedAt: recordedAt, shares: [])
        // Another SQL text, so another prepared statement: the caller's may still be stepping.
        dividend.shares = try database.statement("""
            SELECT s.household, coalesce(h.name, ''), s.weight, s.share, s.leftover FROM dividend_shares s
            LEFT JOIN households h ON h.id = s.household WHERE s.dividend = ? ORDER BY s.weight DESC, s.household
            """).bind(.integer(number)).rows {
            DividendShare(household: $0.text(0), name: $0.text(1), weight: $0.int64(2), share: $0.int64(3), receivedLeftover: $0.int64(4) == 1)
        }
        return dividend
    }
}
