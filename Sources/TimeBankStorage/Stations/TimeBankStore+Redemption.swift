import TimeBankCore

/// The policy the counter works with: the version in force on the business day, compiled.
struct CounterPolicy {
    let policy: Policy
    let version: Int64
}

extension TimeBankStore {
    /// Redeems points for a catalog item at a station, as one atomic transaction.
    ///
    /// Checked in this order, inside the write transaction (so ten stations redeeming at once cannot
    /// oversell stock or overdraw a balance): the operator's role and station (O003, O004), the key
    /// (a retry with the same content returns the original receipt; other content is R008; a new key that reads as a
    /// receipt or booking number, such as `R12`, is R023), the station
    /// (R019), the item in the policy in force (R005), the volunteer (R006), eligibility (R004), the
    /// volunteer's limit (R003), the balance above the policy's floor (R001), then stock for goods (R002)
    /// or the day's capacity for a service (R007). Then it takes the points from the paying account's lots,
    /// earliest expiry first, moves them to the station's account, takes the stock and writes the receipt.
    /// A refusal writes nothing.
    ///
    ///     let zhang = try store.signIn(operatorID: "op-zhang", pin: pin)
    ///     let receipt = try store.redeem(RedemptionRequest(key: "S01-20261008-0001", station: "S01", volunteer: "V0001",
    ///                                                      item: "rice_5kg", date: today), by: zhang).receipt
    ///
    /// When the policy earns to households, the points come from the volunteer's household account.
    /// A service with a `unit_cost` also pays that cost from the fund (CNY) in the same entry.
    @discardableResult
    public func redeem(_ request: RedemptionRequest, by session: OperatorSession) throws -> RedemptionOutcome {
        try requireSignedInHere(session)
        try checkAccess(session, .redeem, atTyped: request.station)
        try Self.validateClientKey(request.key)
        return try writeTransaction {
            // The item typed by its label is its id before the request is fingerprinted: a retry by id is the same request.
            var request = request
            request.item = try itemID(request.item, on: request.date)
            let digest = request.contentDigest
            if let existing = try receipt(key: request.key) {
                guard try receiptDigest(existing.number) == digest else {
                    throw RedemptionError.keyReused(key: request.key, existing: "receipt R\(existing.number) (\(Self.summary(existing)))",
                                                    differences: request.content.differences(from: Self.content(of: [existing])))
                }
                return .exists(existing)
            }
            try refuseBasketKey(request.key)
            try Self.validateNewClientKey(request.key, names: .receipt)
            try expireLapsedHolds(at: clock.now())
            return .created(try redeemLine(request, by: session))
        }
    }

    /// Redeems several items for one volunteer at one station in one transaction (`BasketRequest`): every item is checked
    /// and paid as `redeem` does, the points of the items before it spent first, and each gets its receipt under
    /// `KEY/1`, `KEY/2`, ...; the first refusal (`BasketLineError`: the item's own code, its place in the basket) writes
    /// nothing at all. R029 for a basket of one item, more than 20 or an item named twice. Sending the same basket again
    /// returns its receipts (`.exists`), its items in any order; other items under the key, or a key already used for one
    /// redemption, is R008.
    ///
    ///     let outcome = try store.redeem(BasketRequest(key: "S01-0007", station: "S01", volunteer: "V0001",
    ///                                                  lines: [BasketLine(item: "rice_5kg"), BasketLine(item: "hair_clip", quantity: 2)],
    ///                                                  date: today), by: zhang)
    ///     outcome.receipts.map(\.key)   // ["S01-0007/1", "S01-0007/2"]
    @discardableResult
    public func redeem(_ basket: BasketRequest, by session: OperatorSession) throws -> BasketOutcome {
        try requireSignedInHere(session)
        try checkAccess(session, .redeem, atTyped: basket.station)
        try Self.validateClientKey(basket.key)
        try basket.checkShape()
        for request in basket.lineRequests { try Self.validateClientKey(request.key) }
        return try writeTransaction {
            // Items typed by their labels are their ids before anything is compared or stored (the same item typed once by
            // label and once by id is named twice, R029).
            var basket = basket
            basket.lines = try basket.lines.map { BasketLine(item: try itemID($0.item, on: basket.date), quantity: $0.quantity) }
            try basket.checkShape()
            let requests = basket.lineRequests
            if let single = try receipt(key: basket.key) {
                throw RedemptionError.keyReused(key: basket.key, existing: "receipt R\(single.number) (\(Self.summary(single)))")
            }
            let stored = try basketReceipts(key: basket.key)
            if !stored.isEmpty {
                guard try isSameBasket(basket, stored: stored) else {
                    throw RedemptionError.keyReused(key: basket.key, existing: try basketDescription(basket.key),
                                                    differences: basket.content.differences(from: Self.content(of: stored)))
                }
                return .exists(stored)
            }
            try Self.validateNewClientKey(basket.key, names: .receipt)
            try expireLapsedHolds(at: clock.now())
            var receipts: [Receipt] = []
            for (index, request) in requests.enumerated() {
                do {
                    receipts.append(try redeemLine(request, by: session))
                } catch let error as any TimeBankError {
                    throw BasketLineError(position: index + 1, count: requests.count, line: basket.lines[index],
                                          pointsBefore: receipts.reduce(0) { $0 + $1.points }, underlying: error,
                                          unit: policyUnit(on: basket.date) ?? PointsUnit.unnamed)
                }
            }
            return .created(receipts)
        }
    }

    /// Whether `basket` is the one whose receipts are `stored` (`KEY/1`, `KEY/2`, ...): the same station, volunteer, items
    /// and quantities, in any order. A counter that scans the items again in another order sends the same basket; the
    /// receipts keep the first order (an item is named once in a basket, so each receipt matches one line at most).
    func isSameBasket(_ basket: BasketRequest, stored: [Receipt]) throws -> Bool {
        guard stored.count == basket.lines.count else { return false }
        for (index, receipt) in stored.enumerated() {
            guard let line = basket.lines.first(where: { $0.item == receipt.item }) else { return false }
            let request = RedemptionRequest(key: BasketRequest.lineKey(basket.key, index: index), station: basket.station,
                                            volunteer: basket.volunteer, item: line.item, quantity: line.quantity, date: basket.date)
            guard try receiptDigest(receipt.number) == request.contentDigest else { return false }
        }
        return true
    }

    /// What the receipts of one redemption or basket went through with, for R008's differences.
    static func content(of receipts: [Receipt]) -> RedemptionContent {
        RedemptionContent(station: receipts.first?.station ?? "", volunteer: receipts.first?.volunteer ?? "",
                          lines: receipts.map { BasketLine(item: $0.item, quantity: $0.quantity) })
    }

    /// R008 for a new single redemption under a key a basket used (its receipts are `KEY/1`, `KEY/2`, ...): a retry of
    /// the basket would otherwise meet a receipt under its own key.
    func refuseBasketKey(_ key: String) throws {
        if try receipt(key: BasketRequest.lineKey(key, index: 0)) != nil {
            throw RedemptionError.keyReused(key: key, existing: try basketDescription(key))
        }
    }

    /// The receipts of the basket redeemed under `key` (`KEY/1`, `KEY/2`, ...), in its order; empty when no basket has it.
    public func basketReceipts(key: String) throws -> [Receipt] {
        var receipts: [Receipt] = []
        while receipts.count < BasketRequest.linesMaximum,
              let receipt = try receipt(key: BasketRequest.lineKey(key, index: receipts.count)) {
            receipts.append(receipt)
        }
        return receipts
    }

    /// `the basket of receipts R5 (饼干礼盒 × 1), R6 (发夹饰品 × 2) and R7 (食用油 1.8L × 1) for 朱平 (V0204), 2026-11-08 at S01`:
    /// the receipts under `KEY/1`, `KEY/2`, ... as they stand, with what each gave, so that an operator who changed a
    /// quantity on a retry sees what went through. A lone receipt under `KEY/1` was one redemption sent with that key (a
    /// basket has two items at least), and is named as such.
    func basketDescription(_ key: String) throws -> String {
        let receipts = try basketReceipts(key: key)
        if receipts.count == 1 {
            let lineKey = BasketRequest.lineKey(key, index: 0)
            return "receipt R\(receipts[0].number) under \"\(lineKey)\" (the key a basket under \"\(key)\" gives its first item: "
                + "\(Self.summary(receipts[0])))"
        }
        let lines = receipts.map { "R\($0.number) (\($0.itemLabel) × \($0.quantity))" }.listedInProse
        let first = receipts[0]
        return "the basket of receipts \(lines) for \(first.volunteerName) (\(first.volunteer)), \(first.redeemedOn) at \(first.station)"
    }

    /// One redemption inside the caller's write transaction, its key known to be new: the checks, the entry, the receipt
    /// and the stock movement.
    func redeemLine(_ request: RedemptionRequest, by session: OperatorSession) throws -> Receipt {
        let digest = request.contentDigest
        let counter = try counterPolicy(on: request.date)
        let station = try requireStation(request.station)
        let item = try requireItem(request.item, in: counter.policy)
        let volunteer = try requireVolunteer(request.volunteer)
        let paying = Self.payingAccount(of: volunteer, policy: counter.policy)
        let facts = try redemptionFacts(volunteer: volunteer, item: item, station: station.id, quantity: request.quantity,
                                        date: request.date, paying: paying, policy: counter.policy)
        let points = try RedemptionRules.check(facts)
        let unitPrice = try RedemptionRules.price(of: item, quantity: request.quantity).unit

        var postings = [Posting(account: paying, amount: -points), Posting(account: .station(station.id), amount: points)]
        postings += try serviceCostPostings(item: item, quantity: request.quantity)
        let entry = try appendStationEntry(EntryRequest(
            key: EngineKey.redemption.key(request.key), kind: .redemption, effectiveDate: request.date, actor: session.operatorID,
            memo: Self.memo("兑换", item: item, quantity: request.quantity, station: station.id, key: request.key),
            postings: postings))
        let balanceNow = try balance(paying)
        let receipt = Receipt(
            number: 0, key: request.key, station: station.id, stationName: station.name, volunteer: volunteer.id,
            volunteerName: volunteer.name, paidFrom: paying, item: item.id, itemLabel: item.label, itemKind: item.kind,
            quantity: request.quantity, unitPrice: unitPrice, points: points,
            balanceAfter: try balanceOnDay(paying, date: request.date, entry: entry.sequence, balanceThen: balanceNow),
            operatorID: session.operatorID, operatorName: session.name, redeemedOn: request.date,
            serviceDate: item.kind == .service ? request.date : nil, recordedAt: entry.recordedAt, entry: entry.sequence,
            hold: nil, policyVersion: counter.version, refund: nil, balanceWhenEntered: balanceNow)
        let stored = try insertReceipt(receipt, digest: digest)
        if item.kind == .goods {
            try insertStockMovement(station: station.id, item: item.id, quantity: -request.quantity, kind: .redeem, reason: nil,
                                    unitCost: nil, note: "", operation: nil, receipt: stored.number,
                                    actor: session.operatorID, date: request.date, recordedAt: entry.recordedAt)
        }
        return stored
    }

    /// The receipt with this number, with its refund if it has one.
    public func receipt(number: Int64) throws -> Receipt? {
        try database.statement(Self.receiptSelect + " WHERE r.number = ?").bind(.integer(number)).first(Self.receiptRow)
            .map(withBalanceOnDay)
    }

    /// The receipt written under a client key.
    public func receipt(key: String) throws -> Receipt? {
        try database.statement(Self.receiptSelect + " WHERE r.key = ?").bind(.text(key)).first(Self.receiptRow).map(withBalanceOnDay)
    }

    /// The balance of `account` right after `entry`, dated `date`, by the entries' dates: `balanceThen` (right after it
    /// was written) less what the entries written before it and dated after `date` moved. Written before it, so it
    /// stays the same when more is typed in later. Only entries dated after `date` are read (none, for a write of today).
    func balanceOnDay(_ account: AccountID, date: LocalDate, entry: Int64, balanceThen: Int64) throws -> Int64 {
        guard try database.statement("SELECT 1 FROM entries WHERE effective_date > ? LIMIT 1").bind(.text(date.description)).first({ _ in true })
                ?? false, let stored = try storedAccount(account) else { return balanceThen }
        let later = try database.statement("""
            SELECT coalesce(sum(p.amount), 0) FROM postings p JOIN entries g ON g.sequence = p.entry
            WHERE p.account = ? AND p.asset = 'POINTS' AND p.entry < ? AND g.effective_date > ?
            """).bind(.integer(stored.number), .integer(entry), .text(date.description)).first { $0.int64(0) } ?? 0
        return balanceThen - later
    }

    /// A receipt as read (`balanceAfter` is the balance when it was written, the stored `balance_after`) with the
    /// balance on its day, for one that may be dated before the day it was typed in.
    func withBalanceOnDay(_ receipt: Receipt) throws -> Receipt {
        // Dated before the day it was written in any time zone (UTC+14 is the latest): else the two are the same.
        guard receipt.redeemedOn < receipt.recordedAt.date(offsetMinutes: 840) else { return receipt }
        var receipt = receipt
        receipt.balanceAfter = try balanceOnDay(receipt.paidFrom, date: receipt.redeemedOn, entry: receipt.entry,
                                                balanceThen: receipt.balanceWhenEntered)
        return receipt
    }

    /// Receipts in number order: of one station and/or one day, or of one volunteer, or all; the newest `limit`.
    public func receipts(station: String? = nil, on date: LocalDate? = nil, volunteer: String? = nil, limit: Int = 1_000) throws -> [Receipt] {
        var conditions: [String] = []
        var values: [SQLiteValue] = []
        if let station { conditions.append("r.station = ?"); values.append(.text(station)) }
        if let date { conditions.append("r.redeemed_on = ?"); values.append(.text(date.description)) }
        if let volunteer { conditions.append("r.volunteer = ?"); values.append(.text(volunteer)) }
        let sql = "SELECT * FROM (" + Self.receiptSelect + (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND "))
            + " ORDER BY r.number DESC LIMIT ?) ORDER BY 1"
        values.append(.integer(Int64(max(0, limit))))
        return try database.statement(sql).bind(values).rows(Self.receiptRow).map(withBalanceOnDay)
    }

    /// Receipts of earlier days refunded on `date` (of one station, one volunteer), in number order: a day's closing list
    /// counts a refund on the day it was made, as `report stations` does, whatever day the receipt was redeemed.
    public func receipts(refundedOn date: LocalDate, station: String? = nil, volunteer: String? = nil) throws -> [Receipt] {
        var conditions = ["f.refunded_on = ?", "r.redeemed_on <> ?"]
        var values: [SQLiteValue] = [.text(date.description), .text(date.description)]
        if let station { conditions.append("r.station = ?"); values.append(.text(station)) }
        if let volunteer { conditions.append("r.volunteer = ?"); values.append(.text(volunteer)) }
        let sql = Self.receiptSelect + " WHERE " + conditions.joined(separator: " AND ") + " ORDER BY r.number"
        return try database.statement(sql).bind(values).rows(Self.receiptRow).map(withBalanceOnDay)
    }

    /// The points of `account` that expire after `day` and within `withinDays` days of it (the window of the expiring
    /// report), per expiry day, earliest first: what the counter's slip tells the volunteer under the balance. What the
    /// lots hold now, in one query on the open lots' index.
    public func expiringPoints(of account: AccountID, after day: LocalDate, withinDays: Int) throws -> [ExpiringSoon] {
        guard withinDays > 0 else { return [] }
        return try database.statement("""
            SELECT expires_on, sum(remaining) FROM lots
            WHERE account = (SELECT number FROM accounts WHERE id = ?1) AND remaining > 0 AND expires_on > ?2 AND expires_on <= ?3
            GROUP BY expires_on ORDER BY expires_on
            """).bind(.text(account.description), .text(day.description), .text(day.adding(days: withinDays).description))
            .rows { row in
                guard let expiresOn = LocalDate(row.text(0)) else {
                    throw StoredDataError(sequence: nil, detail: "a lot has an unreadable expiry date")
                }
                return ExpiringSoon(expiresOn: expiresOn, points: row.int64(1))
            }
    }

    /// The policy in force on `date`, compiled once per process and version (A006 when none is in force).
    public func counterPolicyInForce(on date: LocalDate) throws -> Policy {
        try counterPolicy(on: date).policy
    }

    /// What the policy in force on `date` calls a point (积分, 信义币, 时间币), or nil before any policy is: a text that names
    /// the points in a word ("Points:", "points outstanding") keeps its English word then, as it read before policies named them.
    public func policyUnit(on date: LocalDate) -> String? { try? counterPolicyInForce(on: date).unit }

    /// The policy's unit heading a column or naming a field (`积分:`), `Points` before any policy (`PointsUnit.heading`).
    public func pointsHeading(on date: LocalDate) -> String { policyUnit(on: date) ?? PointsUnit.heading }

    // MARK: Facts

    /// The policy in force on `date`, compiled once per process and version.
    func counterPolicy(on date: LocalDate) throws -> CounterPolicy {
        if let inForce = try counterPolicyIfAny(on: date) { return inForce }
        let stored = try policy(inForceOn: date)   // throws A006 with the first effective date
        return CounterPolicy(policy: stored.policy, version: stored.record.number)
    }

    /// `counterPolicy(on:)`, nil before any version is in force (not A006): one lookup of the version.
    func counterPolicyIfAny(on date: LocalDate) throws -> CounterPolicy? {
        guard let record = try policyVersion(inForceOn: date) else { return nil }
        // Compiled before: no need to read the text.
        if let cached = Self.cachedPolicy(sha256: record.sha256) {
            return CounterPolicy(policy: cached, version: record.number)
        }
        let stored = try policy(inForceOn: date)
        return CounterPolicy(policy: stored.policy, version: stored.record.number)
    }

    /// Stored version `number` (a booking's, a receipt's), compiled once per process: what priced a booking is what its
    /// fulfilment pays and records, whatever version is in force on the day it is fulfilled. A008 when there is no such version.
    func counterPolicy(version number: Int64) throws -> CounterPolicy {
        guard let record = try policyVersions().first(where: { $0.number == number }) else {
            throw PolicyStoreError.noSuchVersion(number: number)
        }
        if let cached = Self.cachedPolicy(sha256: record.sha256) { return CounterPolicy(policy: cached, version: number) }
        return CounterPolicy(policy: try compiledStoredPolicy(record, text: try policyText(version: number)), version: number)
    }

    /// The account a volunteer spends from: the household's when the policy earns to households, else their own.
    public static func payingAccount(of volunteer: Volunteer, policy: Policy) -> AccountID {
        if policy.accounts.earnTo == .household, let household = volunteer.household { return .household(household) }
        return .volunteer(volunteer.id)
    }

    /// Everything `RedemptionRules.check` decides on, read inside the write transaction.
    func redemptionFacts(volunteer: Volunteer, item: PolicyCatalogItem, station: String, quantity: Int, date: LocalDate,
                         paying: AccountID, policy: Policy) throws -> RedemptionFacts {
        let eligibility = item.eligible == nil ? EligibilityOutcome.eligible
            : RedemptionRules.eligibility(of: item, context: try eligibilityContext(volunteer, on: date), schema: policy.expressionSchema)
        var used = 0
        if let limit = item.limit {
            let window = LimitWindow(limit.per, containing: date)
            used = try unitsRedeemed(volunteer: volunteer.id, item: item.id, from: window.start, before: window.end)
        }
        let floor = (try? policy.accounts.balanceFloor.hundredths()) ?? 0
        let stock = item.kind == .goods ? try stockOnHand(station: station, item: item.id, on: date) : nil
        let capacity = item.kind == .service && item.capacityPerDay != nil ? try slotsTaken(station: station, item: item.id, on: date) : nil
        let elsewhere: () -> [StationAvailability] = { [self] in
            (try? self.availabilityElsewhere(item: item, excluding: station, quantity: quantity, on: date)) ?? []
        }
        let points = try lotPoints(paying, on: date)
        var facts = RedemptionFacts(volunteer: volunteer.id, item: item, station: station, quantity: quantity, date: date,
                               eligibility: eligibility, usedInLimitWindow: used, payingAccount: paying,
                               spendable: points.spendable, floor: floor, stockOnHand: stock?.available,
                               capacityUsed: capacity, elsewhere: elsewhere, creditedLater: points.creditedLater, stockSince: stock?.arrivedLater,
                               pointsAfter: pointsAfterReader(paying, date: date))
        facts.expiredNotYetTaken = { [self] in (try? self.expiredNotYetTaken(paying, on: date)) ?? nil }
        facts.unit = policy.unit
        if let limit = item.limit {
            let window = LimitWindow(limit.per, containing: date)
            facts.bookedInLimitWindow = { [self] in
                (try? self.unitsBooked(volunteer: volunteer.id, item: item.id, from: window.start, before: window.end)) ?? 0
            }
            facts.receiptsInLimitWindow = { [self] in
                (try? self.receiptsRedeemed(volunteer: volunteer.id, item: item.id, from: window.start, before: window.end)) ?? []
            }
        }
        if paying.kind == .household {
            facts.memberOwnPoints = { [self] in self.memberOwnPoints(volunteer.id, on: date) }
        }
        return facts
    }

    /// The points `volunteer` holds on their own account when their household pays (earned before the policy earned to
    /// households), which an R001 of the household names with the admin's post that moves them; nil when none.
    func memberOwnPoints(_ volunteer: String, on date: LocalDate) -> MemberOwnPoints? {
        guard let own = try? lotPoints(.volunteer(volunteer), on: date), own.spendable > 0 else { return nil }
        return MemberOwnPoints(volunteer: volunteer, points: own.spendable)
    }

    /// `RedemptionFacts.pointsAfter` for a debit of `account` dated `date` (`pointsAfter(_:date:needed:)`), read only
    /// when the balance is short. (A booking's service day has not ended, so a later day of booking up to today is
    /// never after it.)
    func pointsAfterReader(_ account: AccountID, date: LocalDate) -> (Int64) -> PointsAfterDay? {
        { [self] needed in (try? self.pointsAfter(account, date: date, needed: needed)) ?? nil }
    }

    /// What an eligibility condition reads about a volunteer. `hours_total`, `records_total` and `level` are
    /// 0, 0 and absent until scoring keeps them; `household.*` has the household's id, name and member count.
    func eligibilityContext(_ volunteer: Volunteer, on date: LocalDate) throws -> ExpressionContext {
        var household: ExpressionHouseholdFacts?
        if let id = volunteer.household, let stored = try self.household(id) {
            let members = try database.statement("SELECT count(*) FROM volunteers WHERE household = ?").bind(.text(id)).first { $0.int64(0) } ?? 0
            household = ExpressionHouseholdFacts(id: id, name: stored.name, members: Int(members))
        }
        return RedemptionRules.context(volunteer: volunteer, household: household, on: date)
    }

    /// Points the account can spend on `date`: the remainders of its lots credited on or before that day that have
    /// not expired by it (for accounts without lots, the balance). The rule `LedgerRules.drawFromLots` draws by.
    public func spendablePoints(_ account: AccountID, on date: LocalDate) throws -> Int64 {
        try lotPoints(account, on: date).spendable
    }

    /// `spendablePoints`, and the points of lots not expired by `date` that came in after it (there now, not spendable
    /// by a debit dated `date`: lots credited later, and points given back to a lot later; 0 for accounts without
    /// lots), read in one pass over the account's open lots (`Lot.drawable`, `Lot.creditedAfter`).
    func lotPoints(_ account: AccountID, on date: LocalDate) throws -> (spendable: Int64, creditedLater: Int64) {
        guard let stored = try storedAccount(account) else { throw LedgerError.unknownAccount(account) }
        guard account.isLotTracked(.points) else { return (try balance(account), 0) }
        var spendable: Int64 = 0, later: Int64 = 0
        try database.statement("""
            SELECT \(LedgerSQL.datedLotColumns)
            FROM lots l JOIN entries e ON e.sequence = l.entry
            WHERE l.account = ?1 AND l.remaining > 0 AND (l.expires_on IS NULL OR l.expires_on > ?2)
            """).bind(.integer(stored.number), .text(date.description)).forEachRow { row in
            let lot = try datedLot(row, account: account, on: date)
            if lot.isOpen(on: date) { spendable += lot.drawable }
            later += lot.creditedAfter(date)
        }
        return (spendable, later)
    }

    /// Whether a redemption of `quantity` of an item by a volunteer on `date` stays within the item's limit, for advice that
    /// names such a redemption (R014, R025); true when no policy or item answers (the redemption itself says what is wrong).
    func limitAllowsRedemption(volunteer: String, item itemID: String, quantity: Int, on date: LocalDate) -> Bool {
        guard let item = try? counterPolicy(on: date).policy.catalogItem(itemID), let limit = item.limit else { return true }
        let window = LimitWindow(limit.per, containing: date)
        guard let used = try? unitsRedeemed(volunteer: volunteer, item: itemID, from: window.start, before: window.end) else { return true }
        return used + quantity <= limit.count
    }

    /// Units of an item a volunteer redeemed (not refunded) on days in `[start, end)`, plus units booked for those days.
    func unitsRedeemed(volunteer: String, item: String, from start: LocalDate, before end: LocalDate) throws -> Int {
        let redeemed = try database.statement("""
            SELECT coalesce(sum(r.quantity), 0) FROM receipts r
            WHERE r.volunteer = ? AND r.item = ? AND r.redeemed_on >= ? AND r.redeemed_on < ?
              AND NOT EXISTS (SELECT 1 FROM refunds f WHERE f.receipt = r.number)
            """).bind(.text(volunteer), .text(item), .text(start.description), .text(end.description)).first { $0.int64(0) } ?? 0
        return Int(redeemed) + (try unitsBooked(volunteer: volunteer, item: item, from: start, before: end))
    }

    /// The receipts (not refunded) of an item a volunteer redeemed in a window, oldest first, as R003 names them:
    /// `R12 at S02 on 2026-11-07` (`× 2` when more than one), at most `RedemptionRules.limitReceiptsShown`, then `…` for more.
    func receiptsRedeemed(volunteer: String, item: String, from start: LocalDate, before end: LocalDate) throws -> [String] {
        try database.statement("""
            SELECT r.number, r.station, r.redeemed_on, r.quantity FROM receipts r
            WHERE r.volunteer = ? AND r.item = ? AND r.redeemed_on >= ? AND r.redeemed_on < ?
              AND NOT EXISTS (SELECT 1 FROM refunds f WHERE f.receipt = r.number)
            ORDER BY r.redeemed_on, r.number LIMIT ?
            """).bind(.text(volunteer), .text(item), .text(start.description), .text(end.description), .integer(Int64(RedemptionRules.limitReceiptsShown + 1)))
            .rows { row in
                "R\(row.int64(0)) at \(row.text(1)) on \(row.text(2))" + (row.int64(3) > 1 ? " × \(row.int64(3))" : "")
            }
            .enumerated().map { $0.offset < RedemptionRules.limitReceiptsShown ? $0.element : "…" }
    }

    /// Units of an item a volunteer holds in bookings not ended yet whose service days are in the window.
    func unitsBooked(volunteer: String, item: String, from start: LocalDate, before end: LocalDate) throws -> Int {
        Int(try database.statement("""
            SELECT coalesce(sum(quantity), 0) FROM active_holds WHERE volunteer = ? AND item = ? AND service_date >= ? AND service_date < ?
            """).bind(.text(volunteer), .text(item), .text(start.description), .text(end.description)).first { $0.int64(0) } ?? 0)
    }

    /// Service slots of a day at a station: redemptions (not refunded) and bookings that have not ended.
    public func slotsTaken(station: String, item: String, on date: LocalDate) throws -> Int {
        let redeemed = try database.statement("""
            SELECT coalesce(sum(r.quantity), 0) FROM receipts r
            WHERE r.station = ? AND r.item = ? AND r.service_date = ?
              AND NOT EXISTS (SELECT 1 FROM refunds f WHERE f.receipt = r.number)
            """).bind(.text(station), .text(item), .text(date.description)).first { $0.int64(0) } ?? 0
        let held = try database.statement("""
            SELECT coalesce(sum(quantity), 0) FROM active_holds WHERE station = ? AND item = ? AND service_date = ?
            """).bind(.text(station), .text(item), .text(date.description)).first { $0.int64(0) } ?? 0
        return Int(redeemed + held)
    }

    /// Other stations that have some of the goods in stock (most first: R002 names those with `quantity` on their own shelf,
    /// else those with some), or `quantity` free slots of the service on `date`.
    func availabilityElsewhere(item: PolicyCatalogItem, excluding station: String, quantity: Int, on date: LocalDate) throws -> [StationAvailability] {
        if item.kind == .goods {
            return try database.statement("""
                SELECT l.station, s.name, l.quantity FROM stock_levels l JOIN stations s ON s.id = l.station
                WHERE l.item = ? AND l.station <> ? AND l.quantity > 0 ORDER BY l.quantity DESC, l.station LIMIT 5
                """).bind(.text(item.id), .text(station))
                .rows { StationAvailability(station: $0.text(0), stationName: $0.text(1), available: Int($0.int64(2))) }
        }
        guard let capacity = item.capacityPerDay else { return [] }
        var free: [StationAvailability] = []
        for other in try stations() where other.id != station {
            let left = capacity - (try slotsTaken(station: other.id, item: item.id, on: date))
            if left >= quantity { free.append(StationAvailability(station: other.id, stationName: other.name, available: left)) }
        }
        return Array(free.sorted { ($0.available, $1.station) > ($1.available, $0.station) }.prefix(5))
    }

    // MARK: Lookups that refuse with the redemption codes

    func requireStation(_ id: String) throws -> Station {
        guard let station = try station(id) else {
            throw RedemptionError.unknownStation(id, suggestion: try stationSuggestion(for: id))
        }
        return station
    }

    /// The station id a counter most likely meant by `typed`: the id typed in full width (`Ｓ０１`), the id of the station with
    /// that name (`太白湖区第一志愿服务积分兑换站`, spaces as typed or not), else the nearest id (R019's did-you-mean).
    public func stationSuggestion(for typed: String) throws -> String? {
        let reading = StationReference.readingForm(typed)
        if reading != typed, try station(reading) != nil { return reading }
        if let named = try stationNamed(typed) { return named }
        return Spelling.nearest(to: typed, among: try ids(of: .station))
    }

    /// The id of the one station whose name is `typed` (compared in reading form: half width, without spaces); nil when
    /// none or several are.
    func stationNamed(_ typed: String) throws -> String? {
        let reading = StationReference.readingForm(typed)
        let named = try stations().filter { StationReference.readingForm($0.name) == reading }
        return named.count == 1 ? named[0].id : nil
    }

    /// `AccessRules.check` for a write at the station an operator typed: when the text is not a station's id but a station's
    /// name, O004 says which id that name is (`wrongStationNamed`).
    func checkAccess(_ session: OperatorSession, _ action: StationAction, atTyped station: String) throws {
        do {
            try AccessRules.check(session, action, at: station)
        } catch AccessError.wrongStation(let id, let own, let typed) {
            if try self.station(typed) == nil, let named = try stationNamed(typed) {
                throw AccessError.wrongStationNamed(operatorID: id, ownStation: own, typed: typed, station: named)
            }
            throw AccessError.wrongStation(operatorID: id, ownStation: own, station: typed)
        }
    }

    /// The volunteer with `id`, or R006 with a did-you-mean (`volunteerSuggestion`); for the name of several volunteers
    /// (`张国栋`), R006 naming each, with household, birth year and teams, so the operator can ask which one it is.
    public func requireVolunteer(_ id: String) throws -> Volunteer {
        guard let volunteer = try volunteer(id) else {
            let name = FundName.normalized(id)
            // Names compared as everywhere a person is looked up by name (`PersonName`: a middle dot however typed).
            let key = PersonName.comparisonKey(name)
            let all = try database.statement("SELECT id, name FROM volunteers ORDER BY id").rows { (id: $0.text(0), name: $0.text(1)) }
            let named = all.filter { PersonName.comparisonKey($0.name) == key }.map(\.id)
            if named.count > 1 {
                let shown = try named.prefix(CommunityRules.namesakesShownMaximum).compactMap { try self.volunteer($0) }
                throw RedemptionError.volunteerNameShared(name: name, volunteers: shown, count: named.count)
            }
            // A name before its correction (an old card): whose it was, when it changed and the name now; never taken for the id.
            if named.isEmpty, let change = try nameChanges().last(where: { $0.subject == .volunteer && PersonName.same($0.oldValue, name) }),
               let renamed = try self.volunteer(change.id) {
                let until = communityDay(of: change.at, zone: (try? communityTimeZone(at: change.at)) ?? nil)
                throw RedemptionError.volunteerFormerName(typed: name, volunteer: renamed, until: until)
            }
            // Part of a name (`秀英`, the given name a resident gives): whose names hold it, to check; never taken for the id.
            if named.isEmpty, PersonName.isHintablePart(name) {
                let holding = all.filter { PersonName.holds($0.name, part: name) }.map(\.id)
                if !holding.isEmpty {
                    let shown = try holding.prefix(CommunityRules.namesakesShownMaximum).compactMap { try self.volunteer($0) }
                    throw RedemptionError.volunteerNamePart(typed: name, volunteers: shown, count: holding.count)
                }
            }
            throw RedemptionError.unknownVolunteer(id, suggestion: try volunteerSuggestion(for: id, named: named))
        }
        return volunteer
    }

    /// The volunteer id a counter most likely meant by `typed`: the id typed in full width (`Ｖ０５０４`), the id of the one
    /// volunteer with that name (`刘丽娟`; `named`: the ids of the volunteers named `typed`), the id with the same number
    /// (`V1` for `V0001`), else the nearest id (R006's did-you-mean).
    func volunteerSuggestion(for typed: String, named: [String]) throws -> String? {
        let reading = StationReference.readingForm(typed)
        if reading != typed, try volunteer(reading) != nil { return reading }
        if named.count == 1 { return named[0] }
        let ids = try ids(of: .volunteer)
        return Spelling.sameNumber(as: typed, among: ids) ?? Spelling.nearest(to: typed, among: ids)
    }

    // MARK: Writing

    /// A client key for station writes: a ledger key with room for the prefix (`redeem:`, `hold:`, ...).
    static func validateClientKey(_ key: String) throws {
        try LedgerRules.validateKey(key)
        if key.unicodeScalars.count > LedgerRules.keyLengthMaximum - 10 {
            throw LedgerError.invalidKey("the key is " + TextLength.tooLong(key, maximum: LedgerRules.keyLengthMaximum - 10))
        }
    }

    /// What a station write's key will name: a receipt or a booking (which people also name by number), or neither.
    enum ClientKeyUse { case receipt, booking, other }

    /// A client key for a new station write, checked once a retry under it is ruled out (keys stored before these rules
    /// are still found): not blank, no white space at its start or end (L010, `S01-0001 ` would be another key to a retry
    /// typed without the space); for a receipt or a booking, not one that reads as a receipt or booking number (R023: a new
    /// key that reads as R12, B7 or 12 could later make `refund R12` hit it instead of receipt 12); for a receipt, not one
    /// that starts with `booking:`, the prefix of the receipts of fulfilled bookings (R026).
    static func validateNewClientKey(_ key: String, names use: ClientKeyUse) throws {
        try LedgerRules.validateNewKeySpacing(key)
        if use != .other, StationReference.readsAsNumber(key) { throw RedemptionError.keyReadsAsNumber(key: key) }
        if use == .receipt, key.hasPrefix(Receipt.bookingKeyPrefix) { throw RedemptionError.keyReservedForBookings(key: key) }
    }

    /// Appends a new ledger entry inside the caller's transaction; a ledger key already taken is L005.
    func appendStationEntry(_ request: EntryRequest) throws -> Entry {
        try LedgerRules.validate(request)
        let digest = hasher.hash(EntryEncoding.contentPreimage(of: request))
        let outcome = try appendLocked(request, digest: digest, plan: LotPlan())
        guard case .created(let entry) = outcome else {
            throw LedgerError.existsWithDifferentContent(key: request.key, sequence: outcome.entry.sequence)
        }
        return entry
    }

    /// The fund pays a service's unit cost (CNY) when the service is delivered; goods are paid when received.
    func serviceCostPostings(item: PolicyCatalogItem, quantity: Int) throws -> [Posting] {
        let cost = try RedemptionRules.serviceCost(of: item, quantity: quantity)
        guard cost > 0 else { return [] }
        return [Posting(account: .fund, asset: .cny, amount: -cost), Posting(account: .outside, asset: .cny, amount: cost)]
    }

    static func memo(_ verb: String, item: PolicyCatalogItem, quantity: Int, station: String, key: String) -> String {
        memo(verb, label: item.label, quantity: quantity, station: station, key: key)
    }

    /// The memo of a redemption's or a hold's entry (`兑换 饼干礼盒 ×1 @S01 [S01-0001]`): `verifyStations` writes it again from
    /// the receipt's or booking's row to tie its item label, quantity, station and key to the hash chain.
    static func memo(_ verb: String, label itemLabel: String, quantity: Int, station: String, key: String) -> String {
        let label = itemLabel.unicodeScalars.count > 100 ? String(String.UnicodeScalarView(itemLabel.unicodeScalars.prefix(100))) : itemLabel
        let memo = "\(verb) \(label) ×\(quantity) @\(station) [\(key)]"
        return memo.unicodeScalars.count > LedgerRules.memoLengthMaximum
            ? String(String.UnicodeScalarView(memo.unicodeScalars.prefix(LedgerRules.memoLengthMaximum))) : memo
    }

    /// Makes a system account on first use (`system:held`, `system:pool`).
    func ensureAccount(_ account: Account) throws {
        if try self.account(account.id) == nil { try insertAccount(account) }
    }

    func insertReceipt(_ receipt: Receipt, digest: [UInt8]) throws -> Receipt {
        try database.statement("""
            INSERT INTO receipts(key, content_digest, station, station_name, volunteer, volunteer_name, paid_from, item, item_label,
                                 item_kind, quantity, unit_price, points, balance_after, operator, operator_name, redeemed_on,
                                 service_date, recorded_at, entry, hold, policy_version)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).bind(.text(receipt.key), .blob(digest), .text(receipt.station), .text(receipt.stationName), .text(receipt.volunteer),
                      .text(receipt.volunteerName), .text(receipt.paidFrom.description), .text(receipt.item), .text(receipt.itemLabel),
                      .text(receipt.itemKind.rawValue), .integer(Int64(receipt.quantity)), .integer(receipt.unitPrice),
                      .integer(receipt.points), .integer(receipt.balanceWhenEntered), .text(receipt.operatorID), .text(receipt.operatorName),
                      .text(receipt.redeemedOn.description), receipt.serviceDate.map { .text($0.description) } ?? .null,
                      .text(receipt.recordedAt.description), .integer(receipt.entry), receipt.hold.map(SQLiteValue.integer) ?? .null,
                      .integer(receipt.policyVersion)).run()
        var stored = receipt
        stored.number = database.lastInsertedRowID
        return stored
    }

    func receiptDigest(_ number: Int64) throws -> [UInt8]? {
        try database.statement("SELECT content_digest FROM receipts WHERE number = ?").bind(.integer(number)).first { $0.blob(0) }
    }

    /// `balance_after` is the balance right after the receipt was written (`Receipt.balanceWhenEntered`); the balance
    /// on its day is worked out from the ledger when it differs (`withBalanceOnDay`).
    static let receiptSelect = """
        SELECT r.number, r.key, r.station, r.station_name, r.volunteer, r.volunteer_name, r.paid_from, r.item, r.item_label,
               r.item_kind, r.quantity, r.unit_price, r.points, r.balance_after, r.operator, r.operator_name, r.redeemed_on,
               r.service_date, r.recorded_at, r.entry, r.hold, r.policy_version,
               f.reason, f.operator, f.station, f.entry, f.hold_entry, f.refunded_on, f.recorded_at
        FROM receipts r LEFT JOIN refunds f ON f.receipt = r.number
        """

    static func receiptRow(_ row: SQLiteStatement) throws -> Receipt {
        guard let paidFrom = AccountID(row.text(6)), let kind = PolicyCatalogItem.Kind(rawValue: row.text(9)),
              let redeemedOn = LocalDate(row.text(16)), let recordedAt = Timestamp(row.text(18)) else {
            throw StoredDataError(sequence: nil, detail: "receipt R\(row.int64(0)) has an unreadable field")
        }
        var refund: Refund?
        if !row.isNull(22) {
            guard let refundedOn = LocalDate(row.text(27)), let refundedAt = Timestamp(row.text(28)) else {
                throw StoredDataError(sequence: nil, detail: "the refund of receipt R\(row.int64(0)) has an unreadable date")
            }
            refund = Refund(receipt: row.int64(0), reason: row.text(22), operatorID: row.text(23), station: row.text(24),
                            entry: row.int64(25), holdEntry: row.optionalInt64(26), refundedOn: refundedOn, recordedAt: refundedAt)
        }
        return Receipt(number: row.int64(0), key: row.text(1), station: row.text(2), stationName: row.text(3), volunteer: row.text(4),
                       volunteerName: row.text(5), paidFrom: paidFrom, item: row.text(7), itemLabel: row.text(8), itemKind: kind,
                       quantity: Int(row.int64(10)), unitPrice: row.int64(11), points: row.int64(12), balanceAfter: row.int64(13),
                       operatorID: row.text(14), operatorName: row.text(15), redeemedOn: redeemedOn,
                       serviceDate: row.optionalText(17).flatMap { LocalDate($0) }, recordedAt: recordedAt, entry: row.int64(19),
                       hold: row.optionalInt64(20), policyVersion: row.int64(21), refund: refund)
    }
}
