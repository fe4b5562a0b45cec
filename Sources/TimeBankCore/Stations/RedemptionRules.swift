/// What a station is asked to do at the counter: redeem `quantity` of an item for a volunteer.
/// The key is the client's: a retry with the same key and content returns the original receipt.
public struct RedemptionRequest: Hashable, Sendable {
    public var key: String
    public var station: String
    public var volunteer: String
    public var item: String
    public var quantity: Int
    /// The business day (the policy in force on it prices the item; limits count in its periods).
    public var date: LocalDate

    public init(key: String, station: String, volunteer: String, item: String, quantity: Int = 1, date: LocalDate) {
        self.key = key
        self.station = station
        self.volunteer = volunteer
        self.item = item
        self.quantity = quantity
        self.date = date
    }

    /// What the redemption asks for, for R008's differences.
    public var content: RedemptionContent {
        RedemptionContent(station: station, volunteer: volunteer, lines: [BasketLine(item: item, quantity: quantity)])
    }

    /// The idempotency fingerprint: key, station, volunteer, item, quantity (not the day, so a retry
    /// after midnight still finds the original). Tagged `TBRD1`.
    public var contentDigest: [UInt8] {
        RedemptionRules.digest(tag: "TBRD1", texts: [key, station, volunteer, item], integers: [Int64(quantity)])
    }
}

/// A service booked ahead: reserves points and a capacity slot of `serviceDate` until it lapses.
public struct BookingRequest: Hashable, Sendable {
    public var key: String
    public var station: String
    public var volunteer: String
    public var item: String
    public var quantity: Int
    /// The business day the booking is made.
    public var date: LocalDate
    /// The day the service is for (its capacity slot); the day of booking when nil.
    public var serviceDate: LocalDate?
    /// When the hold lapses; the end of the service day (local time) when nil.
    public var expiresAt: Timestamp?

    public init(key: String, station: String, volunteer: String, item: String, quantity: Int = 1, date: LocalDate,
                serviceDate: LocalDate? = nil, expiresAt: Timestamp? = nil) {
        self.key = key
        self.station = station
        self.volunteer = volunteer
        self.item = item
        self.quantity = quantity
        self.date = date
        self.serviceDate = serviceDate
        self.expiresAt = expiresAt
    }

    /// The idempotency fingerprint, tagged `TBBK1`.
    public var contentDigest: [UInt8] {
        RedemptionRules.digest(tag: "TBBK1", texts: [key, station, volunteer, item, (serviceDate ?? date).description],
                               integers: [Int64(quantity)])
    }
}

/// What an item's eligibility condition said about one volunteer.
public enum EligibilityOutcome: Hashable, Sendable {
    case eligible
    /// The condition is false, or reads a fact that is unknown (such as an age without a birth date).
    case notEligible(condition: String, facts: [String])
}

/// The facts a redemption is decided on, gathered by the store inside its write transaction.
public struct RedemptionFacts {
    public var volunteer: String
    public var item: PolicyCatalogItem
    public var station: String
    public var quantity: Int
    public var date: LocalDate
    public var eligibility: EligibilityOutcome
    /// Units of this item the volunteer redeemed (not refunded) or holds in the item's limit window.
    public var usedInLimitWindow: Int
    /// How many of `usedInLimitWindow` are bookings not fulfilled yet (only read when the limit refuses).
    public var bookedInLimitWindow: () -> Int = { 0 }
    /// The receipts counted in `usedInLimitWindow`, oldest first, as `R12 at S02 on 2026-11-07` (only read when the limit
    /// refuses; at most `RedemptionRules.limitReceiptsShown`).
    public var receiptsInLimitWindow: () -> [String] = { [] }
    public var payingAccount: AccountID
    /// Points the paying account can spend now: unexpired lots, in hundredths.
    public var spendable: Int64
    /// The policy's balance floor, in hundredths.
    public var floor: Int64
    /// Points credited to the paying account after `date` (for a redemption dated before today), which it cannot spend.
    public var creditedLater: Int64
    /// The day `spendable` and `creditedLater` were counted on when it is not `date`: a booking's hold entry is dated the
    /// day of booking, and may spend only what was credited by then.
    public var balanceDate: LocalDate?
    /// What the points pay for, for the wording of R001 (a booking checked on the day of booking when `balanceDate` is set).
    public var purpose: PointsPurpose
    /// For R001 of a day before today: given the points needed (price and floor), what the nightly expiry took since that
    /// day and the later days that would do (nil when there is nothing to say). Only read when the balance is short.
    public var pointsAfter: (_ needed: Int64) -> PointsAfterDay?
    /// A booking checked on its service day: points held when booking that expire before that day (only read when short).
    public var expiringBefore: () -> ExpiringPoints? = { nil }
    /// Points the paying account still shows in lots that had expired by the day (of the redemption, or of booking), which
    /// the nightly expiry has not taken yet (only read when short).
    public var expiredNotYetTaken: () -> ExpiredNotYetTaken? = { nil }
    /// A household pays: the member's own spendable points, which the counter does not spend (only read when short).
    public var memberOwnPoints: () -> MemberOwnPoints? = { nil }
    /// What the policy in force calls a point (积分, 信义币), for R001's message.
    public var unit: String = PointsUnit.unnamed
    /// Goods: units on hand at the station (for a redemption dated before today, the least it held on a day since). Services: nil.
    public var stockOnHand: Int?
    /// Goods: the shelf from `date` on, when more is on hand now than `stockOnHand` (goods arrived after it), for the
    /// refusal to say so and name the first day that would do.
    public var stockSince: ShelfDays?
    /// Services: slots taken on the service day at the station (redemptions and active holds). Goods: nil.
    public var capacityUsed: Int?
    /// Where else the item can be had, for the refusal message (only read when stock or capacity is short).
    public var elsewhere: () -> [StationAvailability]

    public init(volunteer: String, item: PolicyCatalogItem, station: String, quantity: Int, date: LocalDate,
                eligibility: EligibilityOutcome, usedInLimitWindow: Int, payingAccount: AccountID, spendable: Int64, floor: Int64,
                stockOnHand: Int?, capacityUsed: Int?, elsewhere: @escaping () -> [StationAvailability],
                creditedLater: Int64 = 0, stockSince: ShelfDays? = nil, balanceDate: LocalDate? = nil, purpose: PointsPurpose = .redemption,
                pointsAfter: @escaping (_ needed: Int64) -> PointsAfterDay? = { _ in nil }) {
        self.volunteer = volunteer
        self.item = item
        self.station = station
        self.quantity = quantity
        self.date = date
        self.eligibility = eligibility
        self.usedInLimitWindow = usedInLimitWindow
        self.payingAccount = payingAccount
        self.spendable = spendable
        self.floor = floor
        self.stockOnHand = stockOnHand
        self.capacityUsed = capacityUsed
        self.elsewhere = elsewhere
        self.creditedLater = creditedLater
        self.stockSince = stockSince
        self.balanceDate = balanceDate
        self.purpose = purpose
        self.pointsAfter = pointsAfter
    }
}

/// The pure rules of a redemption: in which order it is checked, and what each refusal says.
public enum RedemptionRules {
    /// The most units one redemption or booking may carry.
    public static let quantityMaximum = 1_000
    /// How many days after a redemption it may be refunded: the policy language has no key for it yet,
    /// so every policy gets this window (the day of redemption and the 7 days after it).
    public static let defaultReturnWindowDays = 7

    /// The points `quantity` units cost, in hundredths, or R010 when the quantity is out of range.
    public static func price(of item: PolicyCatalogItem, quantity: Int) throws(RedemptionError) -> (unit: Int64, total: Int64) {
        guard (1...quantityMaximum).contains(quantity) else {
            throw .invalidQuantity("give a whole number from 1 to \(quantityMaximum), not \(quantity)")
        }
        guard let unit = try? item.price.hundredths() else {
            throw .invalidQuantity("the price of \(item.id) (\(item.price)) is not a whole number of hundredths")
        }
        let (total, overflow) = unit.multipliedReportingOverflow(by: Int64(quantity))
        guard !overflow, total <= Hundredths.maximumMagnitude else { throw .invalidQuantity("\(quantity) × \(item.id) costs too many points") }
        _ = try serviceCost(of: item, quantity: quantity)
        return (unit, total)
    }

    /// What the fund pays when `quantity` units of a service are delivered (its `unit_cost`, CNY hundredths; 0 for goods,
    /// paid when received, and for a service without one), or R010 when that is beyond the ledger's largest amount.
    public static func serviceCost(of item: PolicyCatalogItem, quantity: Int) throws(RedemptionError) -> Int64 {
        guard item.kind == .service, let unitCost = try? item.unitCost?.hundredths(), unitCost > 0 else { return 0 }
        let (cost, overflow) = unitCost.multipliedReportingOverflow(by: Int64(quantity))
        guard !overflow, cost <= Hundredths.maximumMagnitude else {
            throw .invalidQuantity("\(quantity) × \(item.id) costs the fund too much: \(quantity) × \(Hundredths.format(unitCost)) CNY "
                + "(its unit_cost) is beyond the ledger's largest amount, \(Hundredths.format(Hundredths.maximumMagnitude)) CNY")
        }
        return cost
    }

    /// How many receipts R003 names (the rest are "…"): a limit is a few times a period.
    public static let limitReceiptsShown = 3

    /// Checks a redemption in the documented order: eligibility, the volunteer's limit, the balance above
    /// the floor, then stock (goods) or capacity (services). The operator's role and station and the ids were
    /// checked before the facts were gathered. Returns the points to take, or throws the first refusal.
    public static func check(_ facts: RedemptionFacts) throws(RedemptionError) -> Int64 {
        let item = facts.item
        let (_, total) = try price(of: item, quantity: facts.quantity)
        if case .notEligible(let condition, let known) = facts.eligibility {
            throw .notEligible(volunteer: facts.volunteer, item: item.id, condition: condition, facts: known)
        }
        if let limit = item.limit, facts.usedInLimitWindow + facts.quantity > limit.count {
            let window = LimitWindow(limit.per, containing: facts.date)
            throw .limitReached(volunteer: facts.volunteer, item: item.id, limit: limit.count, period: limit.per,
                                used: facts.usedInLimitWindow, wanted: facts.quantity, resetsOn: window.end,
                                booked: facts.bookedInLimitWindow(), receipts: facts.receiptsInLimitWindow())
        }
        let spendableAboveFloor = facts.spendable - facts.floor
        if spendableAboveFloor < total, !LedgerRules.floorCheckSkippedForSimulation {
            // A day before today: the points that came in since, or expired since, are named with it.
            let after = facts.pointsAfter(total + facts.floor).flatMap { $0.expired > 0 || facts.creditedLater > 0 ? $0 : nil }
            let dated = facts.creditedLater > 0 || after != nil
            throw .insufficientBalance(account: facts.payingAccount, spendable: max(0, spendableAboveFloor), floor: facts.floor, price: total,
                                       purpose: facts.purpose, creditedLater: facts.creditedLater,
                                       date: dated ? facts.balanceDate ?? facts.date : nil, after: after,
                                       expiringBefore: !dated && facts.purpose == .booking ? facts.expiringBefore() : nil,
                                       expiredNotYetTaken: facts.expiredNotYetTaken(), memberOwnPoints: facts.memberOwnPoints(), unit: facts.unit)
        }
        if let onHand = facts.stockOnHand, onHand < facts.quantity {
            throw .outOfStock(item: item.id, station: facts.station, onHand: onHand, wanted: facts.quantity, elsewhere: facts.elsewhere(),
                              since: facts.stockSince)
        }
        if let used = facts.capacityUsed, let capacity = item.capacityPerDay, used + facts.quantity > capacity {
            throw .capacityFull(item: item.id, station: facts.station, date: facts.date, capacity: capacity, taken: used, wanted: facts.quantity,
                                elsewhere: facts.elsewhere())
        }
        return total
    }

    /// Evaluates an item's `eligible` condition for a volunteer on a day. A condition that reads an unknown
    /// fact (an age without a birth date) does not hold. On refusal, names the facts the condition read.
    public static func eligibility(of item: PolicyCatalogItem, context: ExpressionContext, schema: ExpressionSchema) -> EligibilityOutcome {
        guard let condition = item.eligible else { return .eligible }
        if case .success(true) = condition.evaluateCondition(context) { return .eligible }
        var facts: [String] = []
        for path in condition.referencedFields {
            guard let info = ExpressionSchema.fields.first(where: { $0.path == path }) else { continue }
            let (field, _) = ExpressionCompiler.compile(path, at: SourceLocation(line: 1, column: 1, offset: 0),
                                                        expecting: info.type, schema: schema)
            switch field?.evaluate(context) {
            case .success(let value): facts.append("\(path) is \(value)")
            default: facts.append("\(path) is unknown")
            }
        }
        return .notEligible(condition: condition.text, facts: facts)
    }

    /// The facts an eligibility condition can read about a volunteer redeeming on `date`.
    /// `record.*` is not available at the counter (the policy checker refuses it, P214), so the record
    /// part only carries the day, which `volunteer.age` is computed on.
    public static func context(volunteer: Volunteer, household: ExpressionHouseholdFacts?, on date: LocalDate,
                               hoursTotal: ExactDecimal = .zero, recordsTotal: Int = 0, level: String? = nil) -> ExpressionContext {
        ExpressionContext(
            record: ExpressionRecordFacts(category: "", date: date, minutes: 0),
            volunteer: ExpressionVolunteerFacts(id: volunteer.id, household: volunteer.household, teams: volunteer.teams,
                                                tags: volunteer.tags, birthDate: volunteer.birthDate, joined: volunteer.joined,
                                                hoursTotal: hoursTotal, recordsTotal: recordsTotal, level: level),
            household: household)
    }

    /// The last day a receipt redeemed on `date` may be refunded.
    public static func lastReturnDay(redeemedOn date: LocalDate, windowDays: Int = defaultReturnWindowDays) -> LocalDate {
        date.adding(days: windowDays)
    }

    /// SHA-256 of a tag, texts (length-prefixed) and integers (8 bytes big-endian), as the ledger encodes them.
    static func digest(tag: String, texts: [String], integers: [Int64]) -> [UInt8] {
        var writer = EntryByteWriter()
        var tag = tag
        tag.withUTF8 { writer.raw(UnsafeRawBufferPointer($0)) }
        for text in texts { writer.text(text) }
        for integer in integers { writer.integer(integer) }
        return SHA256.hash(writer.bytes)
    }

    /// R020 when an operator's `note`, stored after words the engine writes before it (`prefix`: a stocktake correction's
    /// `盘点 KEY: counted 61, expected 63; `, a move's `from S01: `), would make the stored note longer than `maximum`, the
    /// most any stock note holds: the message names the words and how many characters are left for the note. An empty
    /// note passes (the engine's words alone are stored). Counted in Unicode scalars, as `validateLine` counts.
    public static func validateNote(_ note: String, after prefix: String, maximum: Int = 200) throws(RedemptionError) {
        guard !note.isEmpty else { return }
        let room = maximum - prefix.unicodeScalars.count
        guard note.unicodeScalars.count > room else { return }
        let left = room <= 0 ? "no characters are left for the note (leave it out, or use a shorter key)"
            : "\(room) character\(room == 1 ? " is" : "s are") left for the note, and it has \(note.unicodeScalars.count)"
        throw .invalidText(field: "note", reason: "it is written after `\(prefix)`, and a stock note holds at most \(maximum) characters: \(left)")
    }

    /// Checks a one-line text such as a refund reason or a supplier note: not empty (unless `allowEmpty`), not too long, no
    /// control character and no bidirectional override or isolate (U+202A–U+202E, U+2066–U+2069).
    public static func validateLine(_ text: String, field: String, allowEmpty: Bool, maximum: Int = 500) throws(RedemptionError) {
        if !allowEmpty, text.unicodeScalars.allSatisfy(\.properties.isWhitespace) { throw .invalidText(field: field, reason: "it is empty") }
        if text.unicodeScalars.count > maximum { throw .invalidText(field: field, reason: "it is " + TextLength.tooLong(text, maximum: maximum)) }
        if text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw .invalidText(field: field, reason: "it has a line break or control character")
        }
        // As names and addresses (C004): the receipt, the statement and a spreadsheet cell would show the rest reversed.
        if let problem = TerminalText.bidirectionalControlProblem(text) { throw .invalidText(field: field, reason: problem) }
    }
}
