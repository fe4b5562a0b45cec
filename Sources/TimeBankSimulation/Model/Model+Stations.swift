import TimeBankCore

/// A receipt as the model knows it.
struct ModelReceipt {
    var number: Int64
    var key: String
    var fingerprint: String
    var station: String
    var volunteer: String
    var paidFrom: AccountID
    var item: String
    var kind: SimulatedItem.Kind
    var quantity: Int
    var points: Int64
    var redeemedOn: LocalDate
    var serviceDate: LocalDate?
    var entry: Int64
    var hold: Int64?
    var refundReason: String?
    var refundEntry: Int64?
}

/// A booking (hold) as the model knows it.
struct ModelHold {
    enum State: String { case held, fulfilled, cancelled, expired }
    var number: Int64
    var key: String
    var fingerprint: String
    var station: String
    var volunteer: String
    var paidFrom: AccountID
    var item: String
    /// The catalog item as the version in force on the day of booking has it: its fulfilment pays that version's unit
    /// cost, even when a later version changes or drops the item.
    var bookedItem: SimulatedItem
    var quantity: Int
    var points: Int64
    var serviceDate: LocalDate
    var expiresAt: Timestamp
    var entry: Int64
    var state: State
    var receipt: Int64?
    var endEntry: Int64?
}

/// A station's shelf of one item.
struct StockKey: Hashable, Comparable, CustomStringConvertible {
    var station: String
    var item: String
    static func < (lhs: StockKey, rhs: StockKey) -> Bool { (lhs.station, lhs.item) < (rhs.station, rhs.item) }
    var description: String { "\(station)/\(item)" }
}

/// A shelf on one day: the key of the model's stock movements by day.
struct StockDay: Hashable {
    var shelf: StockKey
    var day: LocalDate
}

/// What a station write did, as the model predicts it: the number of the receipt, booking, gift or stock
/// operation, and the ledger entry it wrote (nil when it wrote none).
struct StationResult: Hashable {
    var number: Int64
    var entry: Int64?
    var isNew: Bool
}

extension SimModel {
    static let heldAccount = AccountID(.system, "held")
    static let poolAccount = AccountID(.system, "pool")
    static let returnWindowDays = 7

    func ensureAccount(_ account: AccountID, floor: Int64?) {
        if !exists(account) { createAccount(account, floor: floor) }
    }

    /// When a booking made on a service day lapses: at midnight after that day, in the community's time.
    static func defaultHoldExpiry(serviceDate: LocalDate) -> Timestamp {
        Timestamp(millisecondsSinceEpoch: Int64(serviceDate.daysSinceEpoch + 1) * 86_400_000 - Int64(utcOffsetMinutes) * 60_000)
    }

    /// The first day and the day after the last of the limit window (`day`, `week` Monday to Sunday, `month`,
    /// `quarter`, `year`) that contains `date`.
    static func window(_ per: String, containing date: LocalDate) -> (start: LocalDate, end: LocalDate) {
        switch per {
        case "day": return (date, date.adding(days: 1))
        case "week":
            let start = date.adding(days: 1 - date.isoWeekday)
            return (start, start.adding(days: 7))
        case "month":
            let start = LocalDate(year: date.year, month: date.month, day: 1)!
            return (start, start.adding(months: 1))
        case "quarter":
            let start = LocalDate(year: date.year, month: (date.month - 1) / 3 * 3 + 1, day: 1)!
            return (start, start.adding(months: 3))
        default:
            let start = LocalDate(year: date.year, month: 1, day: 1)!
            return (start, start.adding(months: 12))
        }
    }

    static func age(of birthDate: LocalDate, on date: LocalDate) -> Int {
        var years = date.year - birthDate.year
        if (date.month, date.day) < (birthDate.month, birthDate.day) { years -= 1 }
        return years
    }

    // MARK: Holds that lapse

    /// Releases every booking whose hold lapsed by `now`, in booking order: the points go back to their lots.
    /// Station writes do this first (inside their transaction).
    func expireLapsedHolds() throws(ModelRefusal) {
        let lapsed = activeHolds.filter { holds[$0]!.expiresAt <= now }.sorted()
        for number in lapsed.prefix(1_000) {
            let hold = holds[number]!
            let release = try reverseEntry(hold.entry, on: hold.serviceDate)
            markStationEntry(release.sequence)
            endHold(number, .expired, entry: release.sequence, receipt: nil)
        }
    }

    func endHold(_ number: Int64, _ state: ModelHold.State, entry: Int64, receipt: Int64?) {
        var hold = holds[number]!
        hold.state = state
        hold.endEntry = entry
        hold.receipt = receipt
        update(\.holds, number, hold)
        set(\.activeHolds, activeHolds.subtracting([number]))
        addFlow("held", -hold.points)
    }

    /// Units of an item a volunteer redeemed (not refunded) on days in the window, plus units booked for its days.
    func unitsUsed(volunteer: String, item: String, window: (start: LocalDate, end: LocalDate)) -> Int {
        var used = 0
        for number in receiptsByVolunteerItem[volunteer + "|" + item] ?? [] {
            let receipt = receipts[number]!
            if receipt.refundReason == nil, window.start <= receipt.redeemedOn, receipt.redeemedOn < window.end { used += receipt.quantity }
        }
        for number in activeHolds {
            let hold = holds[number]!
            if hold.volunteer == volunteer, hold.item == item, window.start <= hold.serviceDate, hold.serviceDate < window.end {
                used += hold.quantity
            }
        }
        return used
    }

    /// Slots of a service taken on a day at a station: redemptions not refunded and bookings not ended.
    func slotsTaken(station: String, item: String, on date: LocalDate) -> Int {
        var taken = 0
        for number in receiptsBySlot["\(station)|\(item)|\(date)"] ?? [] where receipts[number]!.refundReason == nil {
            taken += receipts[number]!.quantity
        }
        for number in activeHolds {
            let hold = holds[number]!
            if hold.station == station, hold.item == item, hold.serviceDate == date { taken += hold.quantity }
        }
        return taken
    }

    /// The checks of a redemption or booking, in the documented order: the quantity (R010), eligibility (R004),
    /// the volunteer's limit (R003), the balance above the policy's floor (R001), stock (R002) or capacity (R007).
    /// `balanceAlsoOn`: a booking's day of booking, which its hold entry is dated (the points must be spendable then too).
    /// Returns the points it costs.
    func checkRedemption(volunteer: ModelVolunteer, item: SimulatedItem, station: String, quantity: Int, on date: LocalDate,
                         floor: Int64, paying: AccountID, balanceAlsoOn: LocalDate? = nil) throws(ModelRefusal) -> Int64 {
        guard (1...1_000).contains(quantity) else { throw ModelRefusal("R010") }
        let points = item.price * Int64(quantity)
        if item.seniorsOnly {
            guard let birthDate = volunteer.birthDate, Self.age(of: birthDate, on: date) >= 60 else { throw ModelRefusal("R004") }
        }
        if let limit = item.limit {
            let used = unitsUsed(volunteer: volunteer.id, item: item.id, window: Self.window(limit.per, containing: date))
            if used + quantity > limit.count { throw ModelRefusal("R003") }
        }
        let available = min(spendable(paying, on: date), balanceAlsoOn.map { spendable(paying, on: $0) } ?? .max)
        if available - floor < points { throw ModelRefusal("R001") }
        switch item.kind {
        case .goods:
            if stockAvailable(StockKey(station: station, item: item.id), on: date) < quantity { throw ModelRefusal("R002") }
        case .service:
            if let capacity = item.capacityPerDay, slotsTaken(station: station, item: item.id, on: date) + quantity > capacity {
                throw ModelRefusal("R007")
            }
        }
        return points
    }

    /// The fund pays a service's unit cost when it is delivered.
    static func serviceCost(_ item: SimulatedItem?, quantity: Int) -> [ModelPosting] {
        guard let item, item.kind == .service, let unitCost = item.unitCost, unitCost > 0 else { return [] }
        let cost = unitCost * Int64(quantity)
        return [ModelPosting(account: .fund, asset: .cny, amount: -cost), ModelPosting(account: .outside, asset: .cny, amount: cost)]
    }

    func insertReceipt(_ receipt: ModelReceipt) {
        update(\.receipts, receipt.number, receipt)
        update(\.receiptByKey, receipt.key, receipt.number)
        set(\.receiptCount, receipt.number)
        append(\.receiptsByVolunteerItem, receipt.volunteer + "|" + receipt.item, receipt.number)
        if let serviceDate = receipt.serviceDate {
            append(\.receiptsBySlot, "\(receipt.station)|\(receipt.item)|\(serviceDate)", receipt.number)
        }
        addFlow("redeemed", receipt.points)
    }

    func moveStock(_ key: StockKey, by change: Int, on date: LocalDate) {
        update(\.stock, key, (stock[key] ?? 0) + change)
        let day = StockDay(shelf: key, day: date)
        update(\.stockByDay, day, (stockByDay[day] ?? 0) + change)
        if stockLatestDay[key].map({ date > $0 }) ?? true { update(\.stockLatestDay, key, date) }
        if stockFirstDay[key].map({ date < $0 }) ?? true { update(\.stockFirstDay, key, date) }
    }

    /// Units a write dated `date` may take from a shelf: the least it held at the end of any day from `date` on, by the
    /// movements' dates (the engine's `stockAvailable`: goods that arrived after `date` cannot be handed out on it). For a
    /// write dated on or after the shelf's last movement, the level now.
    func stockAvailable(_ key: StockKey, on date: LocalDate) -> Int {
        var level = stock[key] ?? 0
        var lowest = level
        guard let latest = stockLatestDay[key], latest > date else { return level }
        // Walking back from now: before each later day's movements, the level was lower (or higher) by their sum.
        var day = latest
        while day > date {
            level -= stockByDay[StockDay(shelf: key, day: day)] ?? 0
            lowest = min(lowest, level)
            day = day.adding(days: -1)
        }
        return lowest
    }

    /// Remembers an entry of the stations' books, which `reverse` refuses (R024).
    func markStationEntry(_ sequence: Int64) {
        update(\.stationEntries, sequence, true)
    }

    /// R023: a new redemption or booking key that reads as a receipt or booking number (`R12`, `B7`, `12`, `number:12`).
    static func checkKeyIsNotANumber(_ key: String) throws(ModelRefusal) {
        if readsAsNumber(key, signs: ["#", "r", "b"]) { throw ModelRefusal("R023") }
    }

    /// The key of a basket's line `index` (from 0): the basket's key and the line's place from 1, `S01-0002/2`
    /// (docs/stations.md, "A basket"; written out here, not the engine's `BasketRequest.lineKey`).
    static func basketLineKey(_ key: String, index: Int) -> String { "\(key)/\(index + 1)" }

    /// The most items a basket holds (docs/errors.md R029: fewer than two or more than 20 is refused).
    static let basketLinesMaximum = 20

    /// The prefix of the receipt a fulfilled booking writes (`booking:` and the booking's key, docs/stations.md).
    static let bookingReceiptPrefix = "booking:"

    /// The checks of a new station write's key once it is known to be new (docs/ledger.md "Keys", docs/errors.md): white
    /// space at an edge L010; for a receipt or booking, one that reads as a number R023; for a receipt, one that starts with
    /// `booking:` R026 (fulfilling that booking would find its receipt's key taken).
    static func checkNewStationKey(_ key: String, receipt: Bool = false, booking: Bool = false) throws(ModelRefusal) {
        try checkNewKeySpacing(key)
        if receipt || booking { try checkKeyIsNotANumber(key) }
        if receipt, key.hasPrefix(bookingReceiptPrefix) { throw ModelRefusal("R026") }
    }

    // MARK: Redeem, book, fulfil, cancel, refund

    func redeem(key: String, station: String, volunteer volunteerID: String, item itemID: String, quantity: Int, date: LocalDate,
                by session: ModelOperator) throws(ModelRefusal) -> StationResult {
        try Self.checkAccess(session, .redeem, at: station)
        try Self.checkClientKey(key)
        let fingerprint = "\(key)|\(station)|\(volunteerID)|\(itemID)|\(quantity)"
        return try transaction { () throws(ModelRefusal) in
            if let number = receiptByKey[key] {
                let receipt = receipts[number]!
                guard receipt.fingerprint == fingerprint else { throw ModelRefusal("R008") }
                return StationResult(number: number, entry: receipt.entry, isNew: false)
            }
            if receiptByKey[Self.basketLineKey(key, index: 0)] != nil { throw ModelRefusal("R008") }
            try Self.checkNewStationKey(key, receipt: true)
            try expireLapsedHolds()
            return try redeemLine(key: key, fingerprint: fingerprint, station: station, volunteer: volunteerID, item: itemID,
                                  quantity: quantity, date: date)
        }
    }

    /// Several items in one transaction (the engine's `redeem(BasketRequest)`): all or none, a receipt per item under
    /// `KEY/1`, `KEY/2`, ...; the first refusal is the item's own code. The result names the last receipt.
    func redeemBasket(key: String, station: String, volunteer volunteerID: String, lines: [(item: String, quantity: Int)],
                      date: LocalDate, by session: ModelOperator) throws(ModelRefusal) -> StationResult {
        try Self.checkAccess(session, .redeem, at: station)
        try Self.checkClientKey(key)
        guard (2...Self.basketLinesMaximum).contains(lines.count), Set(lines.map(\.item)).count == lines.count else {
            throw ModelRefusal("R029")
        }
        let keys = lines.indices.map { Self.basketLineKey(key, index: $0) }
        for lineKey in keys { try Self.checkClientKey(lineKey) }
        let fingerprints = zip(keys, lines).map { "\($0)|\(station)|\(volunteerID)|\($1.item)|\($1.quantity)" }
        return try transaction { () throws(ModelRefusal) in
            if receiptByKey[key] != nil { throw ModelRefusal("R008") }
            let found = keys.map { receiptByKey[$0] }
            if found.contains(where: { $0 != nil }) {
                let same = zip(found, fingerprints).allSatisfy { number, fingerprint in number.map { receipts[$0]!.fingerprint == fingerprint } ?? false }
                guard same, receiptByKey[Self.basketLineKey(key, index: keys.count)] == nil, let last = found.last!,
                      let receipt = receipts[last] else { throw ModelRefusal("R008") }
                return StationResult(number: last, entry: receipt.entry, isNew: false)
            }
            try Self.checkNewStationKey(key, receipt: true)
            try expireLapsedHolds()
            var result: StationResult?
            for index in lines.indices {
                result = try redeemLine(key: keys[index], fingerprint: fingerprints[index], station: station, volunteer: volunteerID,
                                        item: lines[index].item, quantity: lines[index].quantity, date: date)
            }
            return result!
        }
    }

    /// One redemption inside the caller's transaction, its key known to be new.
    private func redeemLine(key: String, fingerprint: String, station: String, volunteer volunteerID: String, item itemID: String,
                            quantity: Int, date: LocalDate) throws(ModelRefusal) -> StationResult {
        let policy = try requirePolicy(on: date)
        guard stations.contains(station) else { throw ModelRefusal("R019") }
        guard let item = policy.item(itemID) else { throw ModelRefusal("R005") }
        guard let volunteer = volunteers[volunteerID] else { throw ModelRefusal("R006") }
        let paying = AccountID.volunteer(volunteer.id)
        let points = try checkRedemption(volunteer: volunteer, item: item, station: station, quantity: quantity, on: date,
                                         floor: policy.balanceFloor, paying: paying)
        let entry = try postEntry(kind: .redemption, date: date, postings: [
            ModelPosting(account: paying, amount: -points), ModelPosting(account: .station(station), amount: points),
        ] + Self.serviceCost(item, quantity: quantity), remember: true)
        markStationEntry(entry.sequence)
        let number = receiptCount + 1
        insertReceipt(ModelReceipt(
            number: number, key: key, fingerprint: fingerprint, station: station, volunteer: volunteer.id, paidFrom: paying,
            item: item.id, kind: item.kind, quantity: quantity, points: points, redeemedOn: date,
            serviceDate: item.kind == .service ? date : nil, entry: entry.sequence, hold: nil))
        if item.kind == .goods { moveStock(StockKey(station: station, item: item.id), by: -quantity, on: date) }
        return StationResult(number: number, entry: entry.sequence, isNew: true)
    }

    /// A booking (docs/stations.md, "Services booked ahead"). `expiresAt`: a lapse time given (`--hold-minutes` from now);
    /// nil, the end of the service day. A retry finds its booking by key and content, whatever lapse time it gives; a new one
    /// for a service day already over, or whose hold would have lapsed by now, is R025; one given a lapse time at or before
    /// the start of its service day (it would have lapsed before it could be served) is R027, one after its end R030.
    func book(key: String, station: String, volunteer volunteerID: String, item itemID: String, quantity: Int, date: LocalDate,
              serviceDate: LocalDate, expiresAt givenExpiry: Timestamp? = nil, by session: ModelOperator) throws(ModelRefusal) -> StationResult {
        try Self.checkAccess(session, .book, at: station)
        try Self.checkClientKey(key)
        let fingerprint = "\(key)|\(station)|\(volunteerID)|\(itemID)|\(serviceDate)|\(quantity)"
        return try transaction { () throws(ModelRefusal) in
            // A retry finds its booking first, whatever day it is sent again.
            if let number = holdByKey[key] {
                let hold = holds[number]!
                guard hold.fingerprint == fingerprint else { throw ModelRefusal("R008") }
                return StationResult(number: number, entry: hold.entry, isNew: false)
            }
            if serviceDate < date { throw ModelRefusal("R025") }
            try Self.checkNewStationKey(key, booking: true)
            try expireLapsedHolds()
            let expiresAt = givenExpiry ?? Self.defaultHoldExpiry(serviceDate: serviceDate)
            guard expiresAt > now else { throw ModelRefusal("R025") }
            // The service day starts when the day before it ends (midnight, the community's time).
            if givenExpiry != nil, expiresAt <= Self.defaultHoldExpiry(serviceDate: serviceDate.adding(days: -1)) { throw ModelRefusal("R027") }
            // Nor past the end of the service day: a booking is fulfilled on its day.
            if givenExpiry != nil, expiresAt > Self.defaultHoldExpiry(serviceDate: serviceDate) { throw ModelRefusal("R030") }
            let policy = try requirePolicy(on: date)
            guard stations.contains(station) else { throw ModelRefusal("R019") }
            guard let item = policy.item(itemID) else { throw ModelRefusal("R005") }
            guard item.kind == .service else { throw ModelRefusal("R009") }
            guard let volunteer = volunteers[volunteerID] else { throw ModelRefusal("R006") }
            let paying = AccountID.volunteer(volunteer.id)
            let points = try checkRedemption(volunteer: volunteer, item: item, station: station, quantity: quantity, on: serviceDate,
                                             floor: policy.balanceFloor, paying: paying, balanceAlsoOn: date < serviceDate ? date : nil)
            ensureAccount(Self.heldAccount, floor: 0)
            let entry = try postEntry(kind: .redemption, date: date, postings: [
                ModelPosting(account: Self.heldAccount, amount: points), ModelPosting(account: paying, amount: -points),
            ], remember: true)
            markStationEntry(entry.sequence)
            let number = holdCount + 1
            let hold = ModelHold(number: number, key: key, fingerprint: fingerprint, station: station, volunteer: volunteer.id,
                                 paidFrom: paying, item: item.id, bookedItem: item, quantity: quantity, points: points, serviceDate: serviceDate,
                                 expiresAt: expiresAt, entry: entry.sequence, state: .held)
            update(\.holds, number, hold)
            update(\.holdByKey, key, number)
            set(\.holdCount, number)
            set(\.activeHolds, activeHolds.union([number]))
            addFlow("held", points)
            return StationResult(number: number, entry: entry.sequence, isNew: true)
        }
    }

    func fulfil(hold number: Int64, on date: LocalDate, by session: ModelOperator) throws(ModelRefusal) -> StationResult {
        try transaction { () throws(ModelRefusal) -> Result<StationResult, ModelRefusal> in
            guard let found = holds[number] else { throw ModelRefusal("R015") }
            try Self.checkAccess(session, .fulfil, at: found.station)
            try expireLapsedHolds()
            let hold = holds[number]!
            if hold.state == .fulfilled, let receipt = hold.receipt {
                return .success(StationResult(number: receipt, entry: receipts[receipt]!.entry, isNew: false))
            }
            // The engine keeps a release this refused command made itself (R014 says the points went back).
            guard hold.state == .held else {
                if found.state == .held { return .failure(ModelRefusal("R014")) }
                throw ModelRefusal("R014")
            }
            if date < hold.serviceDate { throw ModelRefusal("R028") }
            _ = try requirePolicy(on: date)
            // The version that priced the booking pays its unit cost (docs/stations.md), not the one in force on the day it is fulfilled.
            let entry = try postEntry(kind: .redemption, date: date, postings: [
                ModelPosting(account: Self.heldAccount, amount: -hold.points), ModelPosting(account: .station(hold.station), amount: hold.points),
            ] + Self.serviceCost(hold.bookedItem, quantity: hold.quantity), remember: true)
            markStationEntry(entry.sequence)
            let receiptNumber = receiptCount + 1
            let receiptKey = "booking:" + hold.key
            insertReceipt(ModelReceipt(
                number: receiptNumber, key: receiptKey, fingerprint: "\(receiptKey)|\(hold.station)|\(hold.volunteer)|\(hold.item)|\(hold.quantity)",
                station: hold.station, volunteer: hold.volunteer, paidFrom: hold.paidFrom, item: hold.item, kind: .service,
                quantity: hold.quantity, points: hold.points, redeemedOn: date, serviceDate: hold.serviceDate, entry: entry.sequence,
                hold: number))
            endHold(number, .fulfilled, entry: entry.sequence, receipt: receiptNumber)
            return .success(StationResult(number: receiptNumber, entry: entry.sequence, isNew: true))
        }.get()
    }

    func cancel(hold number: Int64, reason: String, on date: LocalDate, by session: ModelOperator) throws(ModelRefusal) -> StationResult {
        try Self.checkLine(reason, allowEmpty: false)
        return try transaction { () throws(ModelRefusal) -> Result<StationResult, ModelRefusal> in
            guard let found = holds[number] else { throw ModelRefusal("R015") }
            try Self.checkAccess(session, .cancel, at: found.station)
            try expireLapsedHolds()
            let hold = holds[number]!
            if hold.state == .cancelled { return .success(StationResult(number: number, entry: hold.endEntry, isNew: false)) }
            guard hold.state == .held else {
                if found.state == .held { return .failure(ModelRefusal("R014")) }
                throw ModelRefusal("R014")
            }
            let release = try reverseEntry(hold.entry, on: date)
            markStationEntry(release.sequence)
            endHold(number, .cancelled, entry: release.sequence, receipt: nil)
            return .success(StationResult(number: number, entry: release.sequence, isNew: true))
        }.get()
    }

    func refund(receipt number: Int64, reason: String, on date: LocalDate, by session: ModelOperator) throws(ModelRefusal) -> StationResult {
        try Self.checkLine(reason, allowEmpty: false)
        return try transaction { () throws(ModelRefusal) in
            guard var receipt = receipts[number] else { throw ModelRefusal("R011") }
            try Self.checkAccess(session, .refund, at: receipt.station)
            if let refundReason = receipt.refundReason {
                guard refundReason == reason else { throw ModelRefusal("R012") }
                return StationResult(number: number, entry: receipt.refundEntry, isNew: false)
            }
            if reversedBy[receipt.entry] != nil { throw ModelRefusal("R012") }
            guard date <= receipt.redeemedOn.adding(days: Self.returnWindowDays) else { throw ModelRefusal("R013") }
            let reversal = try reverseEntry(receipt.entry, on: date)
            markStationEntry(reversal.sequence)
            if let holdNumber = receipt.hold {
                markStationEntry(try reverseEntry(holds[holdNumber]!.entry, on: date).sequence)
            }
            receipt.refundReason = reason
            receipt.refundEntry = reversal.sequence
            update(\.receipts, number, receipt)
            addFlow("redeemed", -receipt.points)
            if receipt.kind == .goods { moveStock(StockKey(station: receipt.station, item: receipt.item), by: receipt.quantity, on: date) }
            return StationResult(number: number, entry: reversal.sequence, isNew: true)
        }
    }

    // MARK: Gifts

    /// A transfer to another volunteer (`to` set) or a donation to the community pool (docs/stations.md, "Gifts").
    func transfer(key: String, from giverID: String, to recipientID: String?, points: Int64, memo: String, date: LocalDate,
                  by session: ModelOperator) throws(ModelRefusal) -> StationResult {
        try Self.checkAccess(session, recipientID == nil ? .donate : .transfer, at: nil)
        try Self.checkClientKey(key)
        try Self.checkLine(memo, allowEmpty: true)
        let fingerprint = "\(key)|\(giverID)|\(recipientID ?? "")|\(memo)|\(points)"
        return try transaction { () throws(ModelRefusal) in
            if let gift = gifts[key] {
                guard gift.fingerprint == fingerprint else { throw ModelRefusal("R008") }
                return StationResult(number: gift.number, entry: gift.entry, isNew: false)
            }
            try Self.checkNewStationKey(key)
            let policy = try requirePolicy(on: date)
            guard volunteers[giverID] != nil else { throw ModelRefusal(households.contains(giverID) ? "R018" : "R006") }
            let from = AccountID.volunteer(giverID)
            var to = Self.poolAccount
            if let recipientID {
                guard volunteers[recipientID] != nil else { throw ModelRefusal(households.contains(recipientID) ? "R018" : "R006") }
                if recipientID == giverID { throw ModelRefusal("R018") }
                to = .volunteer(recipientID)
            }
            let month = Self.window("month", containing: date)
            let given = givenByMonth["\(giverID)|\(month.start)"] ?? 0
            guard points > 0, points <= 1_000_000_000_000_000 else { throw ModelRefusal("R018") }
            guard policy.transfersEnabled else { throw ModelRefusal("R016") }
            if let limit = policy.transferLimitPerMonth, given + points > limit { throw ModelRefusal("R017") }
            if spendable(from, on: date) - policy.balanceFloor < points { throw ModelRefusal("R001") }
            var postings = [ModelPosting(account: from, amount: -points)]
            if recipientID != nil {
                // The receiver gets one lot per expiry date of the points given, in the order they are drawn.
                var credits: [(expiresOn: LocalDate?, amount: Int64)] = []
                for drawn in draw(from: from, amount: points, on: date).draws {
                    let expiry = lots[Int(drawn.lot - 1)].expiresOn
                    if let index = credits.firstIndex(where: { $0.expiresOn == expiry }) {
                        credits[index].amount += drawn.amount
                    } else {
                        credits.append((expiry, drawn.amount))
                    }
                }
                postings += credits.map { ModelPosting(account: to, amount: $0.amount, lotExpiresOn: $0.expiresOn) }
            } else {
                ensureAccount(Self.poolAccount, floor: 0)
                postings.append(ModelPosting(account: to, amount: points))
            }
            let entry = try postEntry(kind: recipientID == nil ? .donation : .transfer, date: date, postings: postings, remember: true)
            markStationEntry(entry.sequence)
            let number = giftCount + 1
            update(\.gifts, key, (fingerprint, number, entry.sequence))
            set(\.giftCount, number)
            update(\.givenByMonth, "\(giverID)|\(month.start)", given + points)
            // Not offered to `reverse` (R024 by hand). An admin's undo (`TimeBankStore.undoGift`) is not simulated: the model
            // keeps away from it, and its tests are GiftUndoTests.
            if recipientID == nil { addFlow("donated", points) }
            return StationResult(number: number, entry: entry.sequence, isNew: true)
        }
    }

    // MARK: Stock

    private func existingStockOperation(_ key: String, _ fingerprint: String) throws(ModelRefusal) -> StationResult? {
        guard let operation = stockOperations[key] else { return nil }
        guard operation.fingerprint == fingerprint else { throw ModelRefusal("K006") }
        return StationResult(number: operation.number, entry: operation.entry, isNew: false)
    }

    func recordStockOperation(_ key: String, _ fingerprint: String, entry: Int64?) -> Int64 {
        let number = stockOperationCount + 1
        update(\.stockOperations, key, (fingerprint, number, entry))
        set(\.stockOperationCount, number)
        return number
    }

    /// Goods delivered to a station, paid from the fund at the given or the catalog's unit cost.
    func receiveStock(key: String, station: String, item itemID: String, quantity: Int, unitCost: Int64?, note: String, date: LocalDate,
                      by session: ModelOperator) throws(ModelRefusal) -> StationResult {
        try Self.checkAccess(session, .receiveStock, at: station)
        try Self.checkClientKey(key)
        guard quantity > 0, quantity <= 1_000_000 else { throw ModelRefusal("K001") }
        try Self.checkLine(note, allowEmpty: true)
        if let unitCost, unitCost < 0 { throw ModelRefusal("K007") }
        let fingerprint = { (cost: Int64?) in "receive|\(key)|\(station)|\(itemID)|\(note)|\(quantity)|\(cost ?? -1)" }
        return try transaction { () throws(ModelRefusal) in
            // The same delivery but for a unit cost typed on one of the two sends and left to the catalog on the other,
            // where the catalog's is the one typed.
            if let stored = stockOperations[key], stored.fingerprint != fingerprint(unitCost),
               let item = policy(on: date)?.policy.item(itemID), case let catalogCost = item.unitCost ?? 0,
               stored.fingerprint == fingerprint(unitCost == nil ? catalogCost : nil), unitCost == nil || unitCost == catalogCost {
                return StationResult(number: stored.number, entry: stored.entry, isNew: false)
            }
            if let existing = try existingStockOperation(key, fingerprint(unitCost)) { return existing }
            try Self.checkNewStationKey(key)
            if stockCounts[key] != nil { throw ModelRefusal("K006") }
            let policy = try requirePolicy(on: date)
            guard let item = policy.item(itemID) else { throw ModelRefusal("R005") }
            guard item.kind == .goods else { throw ModelRefusal("K004") }
            guard stations.contains(station) else { throw ModelRefusal("R019") }
            let total = (unitCost ?? item.unitCost ?? 0) * Int64(quantity)
            var entry: Int64?
            if total > 0 {
                let payment = try postEntry(kind: .fund, date: date, postings: [
                    ModelPosting(account: .outside, asset: .cny, amount: total), ModelPosting(account: .fund, asset: .cny, amount: -total),
                ]).sequence
                // Reversed by hand, the fund would show the goods unpaid while they stay on the shelf (R024).
                markStationEntry(payment)
                entry = payment
            }
            let number = recordStockOperation(key, fingerprint(unitCost), entry: entry)
            moveStock(StockKey(station: station, item: item.id), by: quantity, on: date)
            return StationResult(number: number, entry: entry, isNew: true)
        }
    }

    /// The item a correction or a move names (the engine's `stockedGoods`): goods of the catalog in force (a service is
    /// K004), or an item no longer in it whose goods have a stock history, so that what is left on a shelf can be written
    /// off or sent away; anything else is R005.
    func stockedGoods(_ itemID: String, policy: SimulatedPolicy) throws(ModelRefusal) -> String {
        if let item = policy.item(itemID) {
            guard item.kind == .goods else { throw ModelRefusal("K004") }
            return item.id
        }
        guard stockLatestDay.keys.contains(where: { $0.item == itemID }) else { throw ModelRefusal("R005") }
        return itemID
    }

    /// A correction with a reason: `damaged` and `lost` only take stock away; `count-correction` goes either way.
    func adjustStock(key: String, station: String, item itemID: String, quantity: Int, reason: String, note: String, date: LocalDate,
                     by session: ModelOperator) throws(ModelRefusal) -> StationResult {
        try Self.checkAccess(session, .adjustStock, at: station)
        try Self.checkClientKey(key)
        guard quantity != 0, abs(quantity) <= 1_000_000 else { throw ModelRefusal("K001") }
        guard reason == "count-correction" || quantity < 0 else { throw ModelRefusal("K002") }
        try Self.checkLine(note, allowEmpty: true)
        let fingerprint = "adjust|\(key)|\(station)|\(itemID)|\(reason)|\(note)|\(quantity)"
        return try transaction { () throws(ModelRefusal) in
            if let existing = try existingStockOperation(key, fingerprint) { return existing }
            try Self.checkNewStationKey(key)
            if stockCounts[key] != nil { throw ModelRefusal("K006") }
            let item = try stockedGoods(itemID, policy: try requirePolicy(on: date))
            guard stations.contains(station) else { throw ModelRefusal("R019") }
            let shelf = StockKey(station: station, item: item)
            guard stockAvailable(shelf, on: date) + quantity >= 0 else { throw ModelRefusal("K003") }
            let number = recordStockOperation(key, fingerprint, entry: nil)
            moveStock(shelf, by: quantity, on: date)
            return StationResult(number: number, entry: nil, isNew: true)
        }
    }

    /// Goods sent from one station to another, both halves together.
    func moveStock(key: String, from: String, to: String, item itemID: String, quantity: Int, note: String, date: LocalDate,
                   by session: ModelOperator) throws(ModelRefusal) -> StationResult {
        try Self.checkAccess(session, .moveStock, at: from)
        try Self.checkClientKey(key)
        guard quantity > 0, quantity <= 1_000_000 else { throw ModelRefusal("K001") }
        guard from != to else { throw ModelRefusal("K005") }
        try Self.checkLine(note, allowEmpty: true)
        let fingerprint = "move|\(key)|\(from)|\(to)|\(itemID)|\(note)|\(quantity)"
        return try transaction { () throws(ModelRefusal) in
            if let existing = try existingStockOperation(key, fingerprint) { return existing }
            try Self.checkNewStationKey(key)
            if stockCounts[key] != nil { throw ModelRefusal("K006") }
            let item = try stockedGoods(itemID, policy: try requirePolicy(on: date))
            guard stations.contains(from), stations.contains(to) else { throw ModelRefusal("R019") }
            let source = StockKey(station: from, item: item)
            guard stockAvailable(source, on: date) >= quantity else { throw ModelRefusal("K003") }
            let number = recordStockOperation(key, fingerprint, entry: nil)
            moveStock(source, by: -quantity, on: date)
            moveStock(StockKey(station: to, item: item), by: quantity, on: date)
            return StationResult(number: number, entry: nil, isNew: true)
        }
    }
}
