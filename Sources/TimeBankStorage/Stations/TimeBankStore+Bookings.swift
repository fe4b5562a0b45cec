import TimeBankCore

/// What booking a service did.
public enum BookingOutcome: Hashable, Sendable {
    /// A new hold was made.
    case created(Hold)
    /// The key was booked before with the same content: the original hold; nothing was written.
    case exists(Hold)

    /// The hold, new or found.
    public var hold: Hold {
        switch self {
        case .created(let hold), .exists(let hold): hold
        }
    }

    /// True when it was written now, false for a retry that found it.
    public var isNew: Bool {
        if case .created = self { return true }
        return false
    }
}

extension TimeBankStore {
    /// The account that holds booked points until a booking is fulfilled, cancelled or expires.
    public static let heldAccount = Account(id: AccountID(.system, "held"), name: "Points held for bookings (预约冻结)", floor: 0)

    /// Books a service: the first phase of a two-phase hold. Checked like a redemption (the same codes), on the
    /// service day; then the points move from the paying account's lots to `system:held` (so they cannot be spent
    /// twice) and a capacity slot of the service day is taken until the hold ends. Idempotent by key.
    ///
    /// The hold entry is dated the day of booking, so the points must be spendable on that day too (R001 names it
    /// when points credited after it would be needed). A service day before the day of booking, or a hold that would
    /// have lapsed already (a paper booking of a past day), is R025; a lapse time given (`expiresAt`) that comes before the
    /// service day starts is R027, one after it ends R030; a new key that reads as a number (`B7`) is R023.
    ///
    /// - Parameter utcOffsetMinutes: the community's offset from UTC, for the default expiry (the end of the service day);
    ///   nil: the offset at the end of the service day in the zone of the policy in force on that day
    ///   (`communityOffsetMinutes(atEndOf:)`), as the settlement voids lapsed holds.
    @discardableResult
    public func book(_ request: BookingRequest, by session: OperatorSession, utcOffsetMinutes: Int? = nil) throws -> BookingOutcome {
        try requireSignedInHere(session)
        try checkAccess(session, .book, atTyped: request.station)
        try Self.validateClientKey(request.key)
        let serviceDate = request.serviceDate ?? request.date
        let utcOffsetMinutes = try utcOffsetMinutes ?? communityOffsetMinutes(atEndOf: serviceDate)
        return try writeTransaction {
            // The item typed by its label is its id before the request is fingerprinted (the policy of the day of booking).
            var request = request
            request.item = try itemID(request.item, on: request.date)
            let digest = request.contentDigest
            // A retry finds its booking first, whatever day it is sent again (after the service day, as for a redemption).
            if let existing = try hold(key: request.key) {
                // Booked for its own day without a service day: sent again after midnight, "today" is the day it was booked
                // for. A booking made for a later day is another booking than one for today (R008).
                var asBooked = request
                if request.serviceDate == nil, existing.serviceDate == existing.bookedOn { asBooked.serviceDate = existing.serviceDate }
                guard try holdDigest(existing.number) == asBooked.contentDigest else {
                    let stored = RedemptionContent(station: existing.station, volunteer: existing.volunteer,
                                                   lines: [BasketLine(item: existing.item, quantity: existing.quantity)])
                    let sent = RedemptionContent(station: request.station, volunteer: request.volunteer,
                                                 lines: [BasketLine(item: request.item, quantity: request.quantity)])
                    let day = (asBooked.serviceDate ?? request.date) == existing.serviceDate ? []
                        : ["service day \(asBooked.serviceDate ?? request.date), not \(existing.serviceDate)"]
                    throw RedemptionError.keyReused(key: request.key, existing: "booking B\(existing.number) ("
                        + "\(existing.itemLabel) × \(existing.quantity) for \(existing.volunteer) at \(existing.station) on \(existing.serviceDate))",
                                                    differences: sent.differences(from: stored) + day)
                }
                return .exists(existing)
            }
            if serviceDate < request.date {
                throw RedemptionError.bookingTooLate(station: request.station, volunteer: request.volunteer, item: request.item,
                                                     serviceDate: serviceDate, bookedOn: request.date, lapsesAt: nil, expiryGiven: false,
                                                     limitReached: !limitAllowsRedemption(volunteer: request.volunteer, item: request.item,
                                                                                          quantity: request.quantity, on: serviceDate),
                                                     quantity: request.quantity)
            }
            try Self.validateNewClientKey(request.key, names: .booking)
            let now = clock.now()
            try expireLapsedHolds(at: now)
            let expiresAt = request.expiresAt ?? Hold.defaultExpiry(serviceDate: serviceDate, utcOffsetMinutes: utcOffsetMinutes)
            guard expiresAt > now else {
                throw RedemptionError.bookingTooLate(station: request.station, volunteer: request.volunteer, item: request.item,
                                                     serviceDate: serviceDate, bookedOn: request.date,
                                                     lapsesAt: Receipt.localTime(expiresAt, utcOffsetMinutes: utcOffsetMinutes),
                                                     expiryGiven: request.expiresAt != nil,
                                                     limitReached: !limitAllowsRedemption(volunteer: request.volunteer, item: request.item,
                                                                                          quantity: request.quantity, on: serviceDate),
                                                     quantity: request.quantity)
            }
            // A lapse time given for a later service day (`--hold-minutes` counts from now) must not end the booking before the
            // service day has begun (R027).
            let serviceDayStarts = Hold.defaultExpiry(serviceDate: serviceDate.adding(days: -1), utcOffsetMinutes: utcOffsetMinutes)
            if request.expiresAt != nil, expiresAt <= serviceDayStarts {
                throw RedemptionError.holdLapsesBeforeServiceDay(
                    serviceDate: serviceDate, lapsesAt: Receipt.localTime(expiresAt, utcOffsetMinutes: utcOffsetMinutes),
                    serviceDayStarts: Receipt.localTime(serviceDayStarts, utcOffsetMinutes: utcOffsetMinutes))
            }
            // Nor keep it past the service day's end (R030): a hold still held on a later day could be fulfilled then.
            let serviceDayEnds = Hold.defaultExpiry(serviceDate: serviceDate, utcOffsetMinutes: utcOffsetMinutes)
            if request.expiresAt != nil, expiresAt > serviceDayEnds {
                let left = (serviceDayEnds.millisecondsSinceEpoch - now.millisecondsSinceEpoch) / 60_000
                throw RedemptionError.holdOutlastsServiceDay(
                    serviceDate: serviceDate, lapsesAt: Receipt.localTime(expiresAt, utcOffsetMinutes: utcOffsetMinutes),
                    serviceDayEnds: Receipt.localTime(serviceDayEnds, utcOffsetMinutes: utcOffsetMinutes),
                    minutesLeft: serviceDate == request.date && left >= 1 ? Int(left) : nil)
            }
            let counter = try counterPolicy(on: request.date)
            let station = try requireStation(request.station)
            let item = try requireItem(request.item, in: counter.policy)
            guard item.kind == .service else { throw RedemptionError.wrongKind(item: item.id, kind: item.kind, operation: "book") }
            let volunteer = try requireVolunteer(request.volunteer)
            let paying = Self.payingAccount(of: volunteer, policy: counter.policy)
            var facts = try redemptionFacts(volunteer: volunteer, item: item, station: station.id, quantity: request.quantity,
                                            date: serviceDate, paying: paying, policy: counter.policy)
            facts.purpose = .booking
            let bookingDay = request.date
            // Lots that expire between the day of booking and the service day are `expiringBefore`; those expired by the
            // day of booking (not yet taken by the nightly expiry) are these.
            facts.expiredNotYetTaken = { [self] in (try? self.expiredNotYetTaken(paying, on: bookingDay)) ?? nil }
            facts.expiringBefore = { [self] in
                guard bookingDay < serviceDate, let account = try? storedAccount(paying) else { return nil }
                let found = try? database.statement("""
                    SELECT sum(remaining), min(expires_on) FROM lots
                    WHERE account = ? AND remaining > 0 AND expires_on > ? AND expires_on <= ?
                    """).bind(.integer(account.number), .text(bookingDay.description), .text(serviceDate.description))
                    .first { row in row.optionalText(1).flatMap(LocalDate.init).map { (points: row.int64(0), first: $0) } }
                guard let found = found ?? nil, found.points > 0 else { return nil }
                return ExpiringPoints(points: found.points, firstDay: found.first, serviceDay: serviceDate)
            }
            if request.date < serviceDate {
                // The hold entry is dated the day of booking, and the ledger lets a debit draw only on points credited by
                // its date (L017): what was spendable on that day counts too, whichever is less. When the service day
                // itself is short, that is the refusal (no day of booking would help); else the day of booking is, and
                // it names a later day of booking that would do.
                let onBookingDay = try lotPoints(paying, on: request.date)
                let price = try RedemptionRules.price(of: item, quantity: request.quantity).total
                if onBookingDay.spendable < facts.spendable, facts.spendable - facts.floor >= price {
                    facts.spendable = onBookingDay.spendable
                    facts.creditedLater = onBookingDay.creditedLater
                    facts.balanceDate = request.date
                    facts.purpose = .bookingMadeThatDay
                    facts.pointsAfter = pointsAfterReader(paying, date: request.date)
                }
            }
            let points = try RedemptionRules.check(facts)
            let unitPrice = try RedemptionRules.price(of: item, quantity: request.quantity).unit
            try ensureAccount(Self.heldAccount)
            let entry = try appendStationEntry(.move(
                key: EngineKey.hold.key(request.key), kind: .redemption, date: request.date, actor: session.operatorID,
                memo: Self.holdMemo(label: item.label, quantity: request.quantity, station: station.id, key: request.key,
                                    serviceDate: serviceDate),
                from: paying, to: Self.heldAccount.id, amount: points))
            try database.statement("""
                INSERT INTO holds(key, content_digest, station, volunteer, paid_from, item, item_label, quantity, unit_price, points,
                                  service_date, expires_at, operator, booked_on, recorded_at, entry, policy_version)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).bind(.text(request.key), .blob(digest), .text(station.id), .text(volunteer.id), .text(paying.description),
                          .text(item.id), .text(item.label), .integer(Int64(request.quantity)), .integer(unitPrice), .integer(points),
                          .text(serviceDate.description), .text(expiresAt.description), .text(session.operatorID),
                          .text(request.date.description), .text(entry.recordedAt.description), .integer(entry.sequence),
                          .integer(counter.version)).run()
            guard let stored = try hold(number: database.lastInsertedRowID) else { throw RedemptionError.unknownHold("just written") }
            return .created(stored)
        }
    }

    /// Fulfils a booking: the held points move to the station (and a service's unit cost is paid from the fund),
    /// and a receipt is written. The price, the unit cost and the receipt's policy version are those of the version that
    /// priced the booking on the day it was booked. Fulfilling a fulfilled booking again returns its receipt; a cancelled or
    /// expired one is R014; a `date` before the day it was booked is R021, one before its service day R028.
    @discardableResult
    public func fulfil(hold number: Int64, by session: OperatorSession, on date: LocalDate) throws -> RedemptionOutcome {
        try requireSignedInHere(session)
        return try writeTransaction { () throws -> Result<RedemptionOutcome, RedemptionError> in
            guard let found = try hold(number: number) else { throw RedemptionError.unknownHold("B\(number)") }
            try Self.checkStation(session, .fulfil, of: "booking B\(number)", at: found.station)
            let released = try expireLapsedHolds(at: clock.now())
            guard let hold = try self.hold(number: number) else { throw RedemptionError.unknownHold("B\(number)") }
            if hold.state == .fulfilled, let receiptNumber = hold.receipt, let receipt = try receipt(number: receiptNumber) {
                return .success(.exists(receipt))
            }
            guard hold.state == .held else {
                // A booking that lapsed unfulfilled: a service given on its service day (the only day it could be fulfilled) is
                // recorded as a redemption of that day, whatever day the fulfilment is typed in.
                var given = ServiceRedemption(station: hold.station, volunteer: hold.volunteer, item: hold.item, date: hold.serviceDate,
                                              quantity: hold.quantity)
                if let item = (try? counterPolicyInForce(on: hold.serviceDate))?.catalogItem(hold.item),
                   let (_, costs) = try? RedemptionRules.price(of: item, quantity: hold.quantity) {
                    given.repriced = .init(costs: costs, held: hold.points, unit: policyUnit(on: hold.serviceDate) ?? PointsUnit.unnamed)
                }
                let refusal = RedemptionError.holdNotActive(
                    hold: number, state: hold.state, receipt: hold.receipt,
                    given: hold.state == .expired && limitAllowsRedemption(volunteer: hold.volunteer, item: hold.item, quantity: hold.quantity,
                                                                           on: hold.serviceDate) ? given : nil)
                return try Self.refusalKeepingRelease(refusal, of: number, released: released)
            }
            guard date >= hold.bookedOn else {
                throw RedemptionError.dateBeforeStart(operation: "fulfilment of B\(number)", date: date, earliest: hold.bookedOn,
                                                      because: "the booking")
            }
            guard date >= hold.serviceDate else {
                throw RedemptionError.fulfilBeforeServiceDay(hold: number, serviceDate: hold.serviceDate, date: date)
            }
            let station = try requireStation(hold.station)
            let volunteer = try requireVolunteer(hold.volunteer)
            // The version that priced the booking (the points it holds) is the one the receipt names and whose unit cost the fund
            // pays, not the one in force on the day it is fulfilled: a receipt never says one version while its price came from another.
            let counter = try counterPolicy(version: try holdPolicyVersion(number))
            var postings = [Posting(account: Self.heldAccount.id, amount: -hold.points), Posting(account: .station(station.id), amount: hold.points)]
            if let item = counter.policy.catalogItem(hold.item) { postings += try serviceCostPostings(item: item, quantity: hold.quantity) }
            let entry = try appendStationEntry(EntryRequest(
                key: EngineKey.fulfilment.key("B\(number)"), kind: .redemption, effectiveDate: date, actor: session.operatorID,
                memo: Self.fulfilmentMemo(hold: number, label: hold.itemLabel, quantity: hold.quantity, station: station.id),
                postings: postings))
            // A redemption keyed `booking:KEY` before R026 may hold this receipt's key: then the receipt takes the first free
            // `booking:KEY#2`, `#3`… (no new client key starts with `booking:`), never a raw UNIQUE failure.
            var receiptKey = Receipt.key(ofBooking: hold.key)
            var attempt = 1
            while try receipt(key: receiptKey) != nil {
                attempt += 1
                receiptKey = Receipt.key(ofBooking: hold.key) + "#\(attempt)"
            }
            let balanceNow = try balance(hold.paidFrom)
            let receipt = try insertReceipt(Receipt(
                number: 0, key: receiptKey, station: station.id, stationName: station.name, volunteer: volunteer.id,
                volunteerName: volunteer.name, paidFrom: hold.paidFrom, item: hold.item, itemLabel: hold.itemLabel, itemKind: .service,
                quantity: hold.quantity, unitPrice: hold.points / Int64(hold.quantity), points: hold.points,
                balanceAfter: try balanceOnDay(hold.paidFrom, date: date, entry: entry.sequence, balanceThen: balanceNow),
                operatorID: session.operatorID, operatorName: session.name,
                redeemedOn: date, serviceDate: hold.serviceDate, recordedAt: entry.recordedAt, entry: entry.sequence, hold: number,
                policyVersion: counter.version, refund: nil, balanceWhenEntered: balanceNow),
                digest: RedemptionRequest(key: receiptKey, station: station.id, volunteer: volunteer.id, item: hold.item,
                                          quantity: hold.quantity, date: date).contentDigest)
            try endHold(number, state: .fulfilled, entry: entry.sequence, receipt: receipt.number, reason: "", actor: session.operatorID,
                        on: date, at: entry.recordedAt)
            return .success(.created(receipt))
        }.get()
    }

    /// The memo of a fulfilment's entry (`履约 B7 上门保洁 ×1 @S01`), which `verifyStations` writes again from the receipt.
    static func fulfilmentMemo(hold number: Int64, label: String, quantity: Int, station: String) -> String {
        "履约 B\(number) \(label) ×\(quantity) @\(station)"
    }

    /// The memo of a cancellation's entry (`取消预约 B7: 生病了`), which `verifyStations` writes again from the booking's ending.
    static func cancellationMemo(hold number: Int64, reason: String) -> String {
        "取消预约 B\(number): \(reason)"
    }

    /// The memo of a hold's entry (`预约 上门保洁 ×1 @S01 [bk-1] for 2026-10-09`), which `verifyStations` writes again from the
    /// booking.
    static func holdMemo(label: String, quantity: Int, station: String, key: String, serviceDate: LocalDate) -> String {
        memo("预约", label: label, quantity: quantity, station: station, key: key) + " for \(serviceDate)"
    }

    /// Cancels a booking: the held points go back to the exact lots they came from, and the slot is freed.
    /// Cancelling a cancelled booking again changes nothing; a fulfilled or expired one is R014; a `date` before
    /// the day it was booked is R021.
    @discardableResult
    public func cancel(hold number: Int64, reason: String, by session: OperatorSession, on date: LocalDate) throws -> Hold {
        try requireSignedInHere(session)
        try RedemptionRules.validateLine(reason, field: "reason", allowEmpty: false, maximum: 200)
        return try writeTransaction { () throws -> Result<Hold, RedemptionError> in
            guard let found = try hold(number: number) else { throw RedemptionError.unknownHold("B\(number)") }
            try Self.checkStation(session, .cancelBooking, of: "booking B\(number)", at: found.station)
            let released = try expireLapsedHolds(at: clock.now())
            guard let hold = try self.hold(number: number) else { throw RedemptionError.unknownHold("B\(number)") }
            if hold.state == .cancelled { return .success(hold) }
            // A fulfilled booking is undone by refunding its receipt (unless it was refunded already).
            guard hold.state == .held else {
                let receipt = try hold.receipt.flatMap { try self.receipt(number: $0) }
                let refusal = RedemptionError.holdNotActive(hold: number, state: hold.state,
                                                            receipt: receipt?.refund == nil ? receipt?.number : nil)
                return try Self.refusalKeepingRelease(refusal, of: number, released: released)
            }
            guard date >= hold.bookedOn else {
                throw RedemptionError.dateBeforeStart(operation: "cancellation of B\(number)", date: date, earliest: hold.bookedOn,
                                                      because: "the booking")
            }
            let release = try reverse(sequence: hold.entry, key: EngineKey.release.key("B\(number)"), actor: session.operatorID,
                                      memo: Self.cancellationMemo(hold: number, reason: reason), on: date, asStationOperation: true).entry
            try endHold(number, state: .cancelled, entry: release.sequence, receipt: nil, reason: reason, actor: session.operatorID,
                        on: date, at: release.recordedAt)
            return .success(try self.hold(number: number) ?? hold)
        }.get()
    }

    /// `AccessRules.check` for a write on a receipt, booking or shelf of `station` (`subject` names it): an operator of
    /// another station is told whose it is (O004), as the operator did not name that station, the receipt, booking or
    /// move did.
    static func checkStation(_ session: OperatorSession, _ action: StationAction, of subject: String, at station: String) throws {
        do {
            try AccessRules.check(session, action, at: station)
        } catch AccessError.wrongStation(let id, let own, let other) {
            throw AccessError.wrongStationOf(subject: subject, operatorID: id, ownStation: own, station: other)
        }
    }

    /// The refusal of a fulfilment or cancellation of a booking that is not held. When this very transaction released
    /// it (its hold had lapsed and no write had released it yet), the release is kept: it is due whatever was asked,
    /// and the refusal says the points went back, which must be so once it is read (a throw would roll it back).
    private static func refusalKeepingRelease<T>(_ refusal: RedemptionError, of number: Int64,
                                                released: [Hold]) throws -> Result<T, RedemptionError> {
        guard released.contains(where: { $0.number == number }) else { throw refusal }
        return .failure(refusal)
    }

    /// Ends every booking whose hold lapsed by `now`: its points go back to their lots and its slot is freed.
    /// Every station write runs this first, and the nightly settlement should too. Returns the expired holds.
    @discardableResult
    public func expireHolds(asOf now: Timestamp? = nil) throws -> [Hold] {
        try writeTransaction { try expireLapsedHolds(at: now ?? clock.now()) }
    }

    /// `expireHolds` inside the caller's transaction: every lapsed hold, read 1,000 at a time (a fulfilment, cancellation or
    /// capacity check after it may count on none being left: a hold still `held` is one that has not lapsed).
    @discardableResult
    func expireLapsedHolds(at now: Timestamp) throws -> [Hold] {
        var expired: [Hold] = []
        while true {
            let batch = try expireLapsedBatch(at: now)
            expired += batch
            if batch.isEmpty { return expired }
        }
    }

    /// Releases up to 1,000 lapsed holds, the oldest first; empty when none is left.
    private func expireLapsedBatch(at now: Timestamp) throws -> [Hold] {
        let lapsed = try database.statement("SELECT hold FROM active_holds WHERE expires_at <= ? ORDER BY hold LIMIT 1000")
            .bind(.text(now.description)).rows { $0.int64(0) }
        var expired: [Hold] = []
        for number in lapsed {
            guard let hold = try hold(number: number) else { continue }
            // The memo is read in the passbook, so it names the lapse time as receipts do, in the community's local time (memos
            // written before this say the stored UTC instant, `2026-11-12T16:00:00.000Z`, and stay so: the ledger never edits).
            let release = try reverse(sequence: hold.entry, key: EngineKey.release.key("B\(number)"), actor: "system",
                                      memo: "预约过期 B\(number) (hold lapsed \(try communityLocalTime(hold.expiresAt)))",
                                      on: hold.serviceDate, asStationOperation: true).entry
            try endHold(number, state: .expired, entry: release.sequence, receipt: nil, reason: "lapsed", actor: "system",
                        on: hold.serviceDate, at: release.recordedAt)
            if let ended = try self.hold(number: number) { expired.append(ended) }
        }
        return expired
    }

    /// The booking with this number, with its state.
    public func hold(number: Int64) throws -> Hold? {
        try database.statement(Self.holdSelect + " WHERE h.number = ?").bind(.integer(number)).first(Self.holdRow)
    }

    /// The booking made under a client key.
    public func hold(key: String) throws -> Hold? {
        try database.statement(Self.holdSelect + " WHERE h.key = ?").bind(.text(key)).first(Self.holdRow)
    }

    /// Bookings in number order: of one station, paid from one account, only those still held, the newest `limit`.
    public func holds(station: String? = nil, paidFrom: AccountID? = nil, activeOnly: Bool = false, limit: Int = 1_000) throws -> [Hold] {
        var conditions: [String] = []
        var values: [SQLiteValue] = []
        if let station { conditions.append("h.station = ?"); values.append(.text(station)) }
        if let paidFrom { conditions.append("h.paid_from = ?"); values.append(.text(paidFrom.description)) }
        if activeOnly { conditions.append("e.hold IS NULL") }
        values.append(.integer(Int64(max(0, limit))))
        let sql = "SELECT * FROM (" + Self.holdSelect + (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND "))
            + " ORDER BY h.number DESC LIMIT ?) ORDER BY 1"
        return try database.statement(sql).bind(values).rows(Self.holdRow)
    }

    // MARK: Helpers

    private func endHold(_ number: Int64, state: HoldState, entry: Int64, receipt: Int64?, reason: String, actor: String,
                         on date: LocalDate, at time: Timestamp) throws {
        try database.statement("""
            INSERT INTO hold_endings(hold, state, entry, receipt, reason, actor, ended_on, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """).bind(.integer(number), .text(state.rawValue), .integer(entry), receipt.map(SQLiteValue.integer) ?? .null,
                      .text(reason), .text(actor), .text(date.description), .text(time.description)).run()
    }

    /// The stored policy version that priced booking `number`.
    private func holdPolicyVersion(_ number: Int64) throws -> Int64 {
        guard let version = try database.statement("SELECT policy_version FROM holds WHERE number = ?").bind(.integer(number))
            .first({ $0.int64(0) }) else { throw RedemptionError.unknownHold("B\(number)") }
        return version
    }

    private func holdDigest(_ number: Int64) throws -> [UInt8]? {
        try database.statement("SELECT content_digest FROM holds WHERE number = ?").bind(.integer(number)).first { $0.blob(0) }
    }

    static let holdSelect = """
        SELECT h.number, h.key, h.station, h.volunteer, h.paid_from, h.item, h.item_label, h.quantity, h.points, h.service_date,
               h.expires_at, h.operator, h.booked_on, h.recorded_at, h.entry, e.state, e.receipt, e.ended_on, e.actor, e.reason,
               coalesce(v.name, h.volunteer), h.policy_version
        FROM holds h LEFT JOIN hold_endings e ON e.hold = h.number LEFT JOIN volunteers v ON v.id = h.volunteer
        """

    static func holdRow(_ row: SQLiteStatement) throws -> Hold {
        guard let paidFrom = AccountID(row.text(4)), let serviceDate = LocalDate(row.text(9)), let expiresAt = Timestamp(row.text(10)),
              let bookedOn = LocalDate(row.text(12)), let recordedAt = Timestamp(row.text(13)),
              let state = row.isNull(15) ? HoldState.held : HoldState(rawValue: row.text(15)) else {
            throw StoredDataError(sequence: nil, detail: "booking B\(row.int64(0)) has an unreadable field")
        }
        var ending: HoldEnding?
        if !row.isNull(17) {
            guard let endedOn = LocalDate(row.text(17)) else {
                throw StoredDataError(sequence: nil, detail: "booking B\(row.int64(0)) has an unreadable end date")
            }
            ending = HoldEnding(endedOn: endedOn, actor: row.text(18), reason: row.text(19))
        }
        return Hold(number: row.int64(0), key: row.text(1), station: row.text(2), volunteer: row.text(3), paidFrom: paidFrom,
                    item: row.text(5), itemLabel: row.text(6), quantity: Int(row.int64(7)), points: row.int64(8), serviceDate: serviceDate,
                    expiresAt: expiresAt, operatorID: row.text(11), bookedOn: bookedOn, recordedAt: recordedAt, entry: row.int64(14),
                    state: state, receipt: row.optionalInt64(16), ending: ending, volunteerName: row.text(20),
                    policyVersion: row.int64(21))
    }
}
