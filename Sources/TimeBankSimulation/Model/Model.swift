import TimeBankCore

/// A refusal the model predicts: the stable error code the engine must give.
struct ModelRefusal: Error, Hashable {
    let code: String
    init(_ code: String) { self.code = code }
}

/// One balance: an account and an asset.
struct BalanceKey: Hashable, Comparable, CustomStringConvertible {
    let account: AccountID
    let asset: Asset

    static func < (lhs: BalanceKey, rhs: BalanceKey) -> Bool {
        (lhs.account.description, lhs.asset.rawValue) < (rhs.account.description, rhs.asset.rawValue)
    }

    var description: String { "\(account) \(asset.rawValue)" }
}

/// Points credited to a volunteer or household together, with one expiry date (the model's own lot).
struct ModelLot: Hashable {
    let id: Int64
    let account: AccountID
    let amount: Int64
    let expiresOn: LocalDate?
    var remaining: Int64
    /// The date of the entry that credited it: a debit dated earlier cannot draw on it.
    let openedOn: LocalDate

    func isOpen(on date: LocalDate) -> Bool { openedOn <= date }
    func isUsable(on date: LocalDate) -> Bool { isOpen(on: date) && (expiresOn.map { date < $0 } ?? true) }
    func isExpired(on date: LocalDate) -> Bool { expiresOn.map { $0 <= date } ?? false }
}

/// Points drawn from a lot (positive) or given back to it (negative) by an entry dated `date`.
/// Points drawn from a lot by an entry dated `date` (given back: negative).
struct ModelLotMove: Hashable {
    let date: LocalDate
    let amount: Int64
}

/// One posting of a model entry.
struct ModelPosting: Hashable {
    var account: AccountID
    var asset: Asset = .points
    var amount: Int64
    var lotExpiresOn: LocalDate? = nil
}

/// What the model remembers of an entry that may be reversed, refunded or released later.
struct ModelEntry {
    let sequence: Int64
    let kind: EntryKind
    let date: LocalDate
    let postings: [ModelPosting]
    /// Lot draws of debits (posting index, lot, amount; negative when a reversal gave points back).
    let allocations: [(index: Int, lot: Int64, amount: Int64)]
    /// The lot each credit opened, by posting index.
    let openedLots: [Int: Int64]
}

/// The in-memory model of the engine's rules: balances, lots, stock, receipts, bookings, gifts, policy versions
/// and records, as plain values. Written from the documentation (docs/ledger.md, docs/stations.md,
/// docs/policy.md) and not from the engine's code: it calls none of the engine's rule types.
///
/// Every operation runs in `transaction`: a refusal (a thrown `ModelRefusal`) undoes everything the operation
/// changed, as the engine's rollback does.
final class SimModel {
    // MARK: All-or-nothing

    private var undoLog: [() -> Void] = []
    private var transactionDepth = 0

    /// Runs `body`; when it throws, every change it made is undone.
    func transaction<T>(_ body: () throws(ModelRefusal) -> T) throws(ModelRefusal) -> T {
        let mark = undoLog.count
        transactionDepth += 1
        defer { transactionDepth -= 1 }
        do {
            let result = try body()
            if transactionDepth == 1 { undoLog.removeAll(keepingCapacity: true) }
            return result
        } catch {
            while undoLog.count > mark { undoLog.removeLast()() }
            throw error
        }
    }

    /// Records how to undo a change made inside a transaction.
    func journal(_ undo: @escaping () -> Void) {
        precondition(transactionDepth > 0, "the model changes state only inside a transaction")
        undoLog.append(undo)
    }

    /// Sets a dictionary value, journaled.
    func update<Key: Hashable, Value>(_ path: ReferenceWritableKeyPath<SimModel, [Key: Value]>, _ key: Key, _ value: Value?) {
        let old = self[keyPath: path][key]
        journal { [unowned self] in self[keyPath: path][key] = old }
        self[keyPath: path][key] = value
    }

    /// Sets a value, journaled.
    func set<Value>(_ path: ReferenceWritableKeyPath<SimModel, Value>, _ value: Value) {
        let old = self[keyPath: path]
        journal { [unowned self] in self[keyPath: path] = old }
        self[keyPath: path] = value
    }

    /// Appends to a list, journaled.
    func appendElement<Element>(_ path: ReferenceWritableKeyPath<SimModel, [Element]>, _ element: Element) {
        journal { [unowned self] in self[keyPath: path].removeLast() }
        self[keyPath: path].append(element)
    }

    /// Appends to a list kept in a dictionary, journaled.
    func append<Key: Hashable, Element>(_ path: ReferenceWritableKeyPath<SimModel, [Key: [Element]]>, _ key: Key, _ element: Element) {
        journal { [unowned self] in
            self[keyPath: path][key]!.removeLast()
            if self[keyPath: path][key]!.isEmpty { self[keyPath: path][key] = nil }
        }
        self[keyPath: path][key, default: []].append(element)
    }

    // MARK: Time

    /// The community's offset from UTC (the simulated policies say `+08:00`).
    static let utcOffsetMinutes = 480
    var now: Timestamp
    var today: LocalDate { now.date(offsetMinutes: Self.utcOffsetMinutes) }

    init(start: Timestamp) {
        now = start
        for account in [AccountID.issuance, .expired, .adjustments, .outside, .fund] { floors[account] = .some(nil) }
    }

    // MARK: Ledger state

    /// Every account that exists, with its floor (nil: none).
    var floors: [AccountID: Int64?] = [:]
    var balances: [BalanceKey: Int64] = [:]
    /// Lot ids are 1, 2, 3, ... in the order lots are opened: `lots[id - 1]`.
    var lots: [ModelLot] = []
    var lotsByAccount: [AccountID: [Int64]] = [:]
    /// The lots of each account with points left.
    var openLots: [AccountID: Set<Int64>] = [:]
    /// Every allocation of a lot, with its entry's date: a draw positive, a give-back (a reversal of a debit) negative;
    /// `drawable(_:on:)` reads those dated after a debit's date.
    var lotMoves: [Int64: [ModelLotMove]] = [:]
    /// The net postings per day of the accounts with a floor that keep no lots (stations, CNY): a write dated back
    /// must keep the floor on every day since (`postEntry`).
    var datedMoves: [BalanceKey: [LocalDate: Int64]] = [:]
    var entryCount: Int64 = 0
    var entries: [Int64: ModelEntry] = [:]
    /// Client keys of ledger writes made through `post`/`reverse`: what was posted under each.
    var ledgerKeys: [String: (fingerprint: String, sequence: Int64)] = [:]
    /// Original entry → the entry that reversed it.
    var reversedBy: [Int64: Int64] = [:]
    /// Counts of what the operations did inside (record rows by outcome, ...), for the report; not journaled.
    var statistics: [String: Int] = [:]
    /// Points flows counted by kind of operation, for the issued = balances + redeemed + expired identity.
    var flows: [String: Int64] = [:]
    /// Points of award entries (net of their reversals) by the award's date and the volunteer or household credited.
    var awardsByDay: [LocalDate: [AccountID: Int64]] = [:]

    func countAward(_ postings: [ModelPosting], on date: LocalDate) {
        var day = awardsByDay[date] ?? [:]
        for posting in postings where Self.isLotTracked(posting.account, posting.asset) { day[posting.account, default: 0] += posting.amount }
        update(\.awardsByDay, date, day)
    }

    /// Money in and out of `fund:main` by kind (docs/fund.md: contributions, donations, stock purchases, service
    /// costs, dividends, reversals), as the fund report must show it: flows "fund KIND in|out|entries".
    func countFundFlow(kind: EntryKind, postings: [ModelPosting]) {
        let net = postings.filter { $0.account == .fund && $0.asset == .cny }.reduce(0) { $0 + $1.amount }
        guard net != 0 else { return }
        let name: String
        switch (kind, net > 0) {
        case (.fund, true): name = "contributions"
        case (.fund, false): name = "stock purchases"
        case (.donation, true): name = "donations"
        case (.redemption, false): name = "service costs"
        case (.dividend, false): name = "dividends"
        case (.reversal, _), (.refund, _): name = "reversals"
        default: name = "other"
        }
        addFlow("fund \(name) \(net > 0 ? "in" : "out")", abs(net))
        addFlow("fund \(name) entries", 1)
    }

    /// Recent awards, penalties and expiries: what the generator asks to reverse (an expiry of expired lots is L026; a gift or
    /// a station's entry is refused with R024, a reversal with L009). Reversed ones stay, for retries and L008.
    var correctable: [Int64] = []

    func addCorrectable(_ sequence: Int64) {
        set(\.correctable, Array((correctable + [sequence]).suffix(64)))
    }

    // MARK: Community, policies, stations

    var operators: [String: ModelOperator] = [:]
    var households: Set<String> = []
    var volunteers: [String: ModelVolunteer] = [:]
    /// In the order they joined (the generator picks from it).
    var volunteerIDs: [String] = []
    var stations: [String] = []
    var policies: [ModelPolicyVersion] = []
    var receipts: [Int64: ModelReceipt] = [:]
    var receiptByKey: [String: Int64] = [:]
    var receiptCount: Int64 = 0
    var receiptsByVolunteerItem: [String: [Int64]] = [:]
    /// Receipts of services by "station|item|service day".
    var receiptsBySlot: [String: [Int64]] = [:]
    var holds: [Int64: ModelHold] = [:]
    var holdByKey: [String: Int64] = [:]
    var holdCount: Int64 = 0
    var activeHolds: Set<Int64> = []
    var stock: [StockKey: Int] = [:]
    /// Stock movements netted per shelf and day, and each shelf's latest day: what a write dated back may take (R002, K003).
    var stockByDay: [StockDay: Int] = [:]
    var stockLatestDay: [StockKey: LocalDate] = [:]
    /// Each shelf's first day with a movement: a stocktake lists the shelves stocked by its date ("not counted").
    var stockFirstDay: [StockKey: LocalDate] = [:]
    /// Stocktakes (`stock count`) by key, and the number of the latest.
    var stockCounts: [String: ModelStockCount] = [:]
    var stockCountCount: Int64 = 0
    var stockOperations: [String: (fingerprint: String, number: Int64, entry: Int64?)] = [:]
    var stockOperationCount: Int64 = 0
    var gifts: [String: (fingerprint: String, number: Int64, entry: Int64)] = [:]
    /// Entries of the stations' books (receipts, bookings and their endings, refunds, gifts, stock deliveries' payments):
    /// `reverse` refuses them (R024).
    var stationEntries: [Int64: Bool] = [:]
    var giftCount: Int64 = 0
    /// Points given away by "volunteer|first day of the month".
    var givenByMonth: [String: Int64] = [:]
    /// Stored service records by id (one source), their ids in the order stored, and minutes by "volunteer|date".
    var records: [String: ModelRecord] = [:]
    var recordIDs: [String] = []
    var recordMinutes: [String: Int] = [:]
    /// Records a settlement may still decide or post: pending, or approved and not posted.
    var openRecords: [String: Bool] = [:]
    /// Settled days (the summary) and the latest.
    var settled: [LocalDate: String] = [:]
    var latestSettled: LocalDate?
    /// Monthly grants given, by "first day of the month|account".
    var grants: [String: Bool] = [:]
    /// Fund writes by client key (contributions, donations, dividends share the ledger keys `fund:KEY`).
    var fundKeys: [String: (fingerprint: String, detail: String)] = [:]

    func balance(_ account: AccountID, _ asset: Asset = .points) -> Int64 { balances[BalanceKey(account: account, asset: asset)] ?? 0 }

    func exists(_ account: AccountID) -> Bool { floors[account] != nil }

    func createAccount(_ account: AccountID, floor: Int64?) {
        update(\.floors, account, .some(floor))
    }

    func addFlow(_ name: String, _ amount: Int64) {
        update(\.flows, name, (flows[name] ?? 0) + amount)
    }

    func setLotRemaining(_ id: Int64, _ remaining: Int64) {
        let index = Int(id - 1)
        let old = lots[index].remaining
        journal { [unowned self] in self.applyLotRemaining(index, old) }
        applyLotRemaining(index, remaining)
    }

    private func applyLotRemaining(_ index: Int, _ remaining: Int64) {
        lots[index].remaining = remaining
        let account = lots[index].account
        if remaining > 0 {
            openLots[account, default: []].insert(lots[index].id)
        } else {
            openLots[account]?.remove(lots[index].id)
        }
    }

    private func openLot(account: AccountID, amount: Int64, expiresOn: LocalDate?, on date: LocalDate) -> Int64 {
        let id = Int64(lots.count + 1)
        journal { [unowned self] in
            self.lots.removeLast()
            self.lotsByAccount[account]!.removeLast()
            self.openLots[account]?.remove(id)
        }
        lots.append(ModelLot(id: id, account: account, amount: amount, expiresOn: expiresOn, remaining: amount, openedOn: date))
        lotsByAccount[account, default: []].append(id)
        openLots[account, default: []].insert(id)
        return id
    }

    /// Volunteers' and households' points are kept in lots.
    static func isLotTracked(_ account: AccountID, _ asset: Asset) -> Bool {
        asset == .points && (account.kind == .volunteer || account.kind == .household)
    }

    /// Points the account can spend on `date`: what its lots credited by then and not expired on that day held on it
    /// (others: the balance).
    func spendable(_ account: AccountID, on date: LocalDate) -> Int64 {
        guard Self.isLotTracked(account, .points) else { return balance(account) }
        var total: Int64 = 0
        for id in openLots[account] ?? [] where lots[Int(id - 1)].isUsable(on: date) { total += drawable(lots[Int(id - 1)], on: date) }
        return total
    }

    /// What something holding `now` today held at the end of `date` and of every later day with a move, by the moves'
    /// dates (at the end of day t it held `now` less the moves dated after t). Written out day by day, as docs/ledger.md
    /// states the rule, not with the engine's `LedgerRules`.
    static func heldAtEndOfDays(from date: LocalDate, now: Int64, moves: [(date: LocalDate, amount: Int64)]) -> [(day: LocalDate, held: Int64)] {
        let days = Set([date] + moves.map(\.date).filter { $0 > date }).sorted()
        return days.map { day in (day, now - moves.filter { $0.date > day }.reduce(0) { $0 + $1.amount }) }
    }

    /// What a debit dated `date` may draw from a lot (docs/ledger.md): the least it held at the end of any day from
    /// then on.
    func drawable(_ lot: ModelLot, on date: LocalDate) -> Int64 {
        // A draw lowers what the lot holds: as a change of what it holds, its amount is negated.
        let moves = (lotMoves[lot.id] ?? []).map { (date: $0.date, amount: -$0.amount) }
        return max(0, Self.heldAtEndOfDays(from: date, now: lot.remaining, moves: moves).map(\.held).min() ?? lot.remaining)
    }

    /// Whether an account without lots, holding `now`, would end a day below `floor` from `date` on if `change` were
    /// dated `date` (docs/ledger.md: such an account keeps its floor on every day from a write's date, by the dates).
    func breaksFloor(of key: BalanceKey, from date: LocalDate, now: Int64, change: Int64, floor: Int64) -> Bool {
        let moves = (datedMoves[key] ?? [:]).map { (date: $0.key, amount: $0.value) }
        return Self.heldAtEndOfDays(from: date, now: now, moves: moves).contains { $0.held + change < floor }
    }

    /// The order debits draw on lots (docs/ledger.md): earliest expiry first, never-expiring lots last, then
    /// oldest first.
    static func spendsBefore(_ lhs: ModelLot, _ rhs: ModelLot) -> Bool {
        switch (lhs.expiresOn, rhs.expiresOn) {
        case let (left?, right?) where left != right: return left < right
        case (.some, .none): return true
        case (.none, .some): return false
        default: return lhs.id < rhs.id
        }
    }

    /// The lots a debit of `amount` draws on: the preferred lot first (whatever its expiry), then the others in
    /// spending order, skipping empty lots and (unless `includeExpired`) lots not usable on `date` (expired, or credited later).
    func draw(from account: AccountID, amount: Int64, on date: LocalDate, includeExpired: Bool = false,
              preferring preferred: Int64? = nil, adjustments: [Int64: Int64] = [:]) -> (draws: [(lot: Int64, amount: Int64)], uncovered: Int64) {
        var candidates: [ModelLot] = []
        for id in openLots[account] ?? [] {
            var lot = lots[Int(id - 1)]
            lot.remaining += adjustments[id] ?? 0
            if drawable(lot, on: date) > 0, includeExpired || lot.isUsable(on: date) || id == preferred { candidates.append(lot) }
        }
        // A preferred lot with points left that is not open any more cannot happen: open = points left.
        candidates.sort(by: Self.spendsBefore)
        if let preferred, let index = candidates.firstIndex(where: { $0.id == preferred }) {
            candidates.insert(candidates.remove(at: index), at: 0)
        }
        var left = amount
        var draws: [(lot: Int64, amount: Int64)] = []
        for lot in candidates where left > 0 {
            let take = min(drawable(lot, on: date), left)
            draws.append((lot.id, take))
            left -= take
        }
        return (draws, left)
    }

    /// How a write treats lots beyond the default: postings that give points back to the lots an earlier entry took
    /// them from (a reversal of a debit), and the lot a reversed credit takes back first.
    struct LotPlan {
        var restores: [Int: [(lot: Int64, amount: Int64)]] = [:]
        var preferred: [Int: Int64] = [:]
    }

    /// Appends an entry, as the ledger does (docs/ledger.md): every account must exist (L006); no account may end
    /// below its floor (L004, checked on the net change per account and asset); debits of lot-tracked points draw
    /// on lots usable on the entry's date (L017 when lots credited later would have covered it, L012 otherwise);
    /// credits open lots. Returns the entry.
    @discardableResult
    func postEntry(kind: EntryKind, date: LocalDate, postings: [ModelPosting], plan: LotPlan = LotPlan(),
                   remember: Bool = false) throws(ModelRefusal) -> ModelEntry {
        for posting in postings where !exists(posting.account) { throw ModelRefusal("L006") }
        var changes: [(key: BalanceKey, change: Int64)] = []
        for posting in postings {
            let key = BalanceKey(account: posting.account, asset: posting.asset)
            if let index = changes.firstIndex(where: { $0.key == key }) {
                changes[index].change += posting.amount
            } else {
                changes.append((key, posting.amount))
            }
        }
        for (key, change) in changes where change < 0 {
            guard let floor = floors[key.account] ?? nil else { continue }
            let after = (balances[key] ?? 0) + change
            if after < floor { throw ModelRefusal("L004") }
            // Accounts without lots keep the floor on every day from the entry's date, by the entries' dates.
            if !Self.isLotTracked(key.account, key.asset) {
                if breaksFloor(of: key, from: date, now: balances[key] ?? 0, change: change, floor: floor) { throw ModelRefusal("L004") }
            }
        }
        var allocations: [(index: Int, lot: Int64, amount: Int64)] = []
        var adjustments: [Int64: Int64] = [:]
        var credits: [Int] = []
        for (index, posting) in postings.enumerated() where Self.isLotTracked(posting.account, posting.asset) {
            if let restores = plan.restores[index] {
                for restore in restores {
                    allocations.append((index, restore.lot, -restore.amount))
                    adjustments[restore.lot, default: 0] += restore.amount
                }
            } else if posting.amount > 0 {
                credits.append(index)
            } else {
                let drawn = draw(from: posting.account, amount: -posting.amount, on: date, includeExpired: kind == .expiry,
                                 preferring: plan.preferred[index], adjustments: adjustments)
                if drawn.uncovered > 0 {
                    // L017 when lots hold points that came in after the date (a lot credited later, or points given back
                    // later) and were not expired on it (the engine says so before L012).
                    let later = (openLots[posting.account] ?? []).contains { id in
                        let lot = lots[Int(id - 1)]
                        let remaining = lot.remaining + (adjustments[id] ?? 0)
                        guard id != plan.preferred[index], remaining > 0, kind == .expiry || !lot.isExpired(on: date) else { return false }
                        return !lot.isOpen(on: date) || drawable(lot, on: date) < lot.remaining
                    }
                    throw ModelRefusal(later ? "L017" : "L012")
                }
                for (lot, amount) in drawn.draws {
                    allocations.append((index, lot, amount))
                    adjustments[lot, default: 0] -= amount
                }
            }
        }
        // Nothing can refuse it now: write.
        set(\.entryCount, entryCount + 1)
        for (key, change) in changes { update(\.balances, key, (balances[key] ?? 0) + change) }
        // Dated moves of floored accounts without lots (their floor is kept on every day) and of the fund (a dividend
        // dated back cannot spend money that came in later).
        for (key, change) in changes where change != 0 && !Self.isLotTracked(key.account, key.asset)
            && ((floors[key.account] ?? nil) != nil || key.account == .fund) {
            var days = datedMoves[key] ?? [:]
            days[date, default: 0] += change
            update(\.datedMoves, key, days)
        }
        for allocation in allocations { append(\.lotMoves, allocation.lot, ModelLotMove(date: date, amount: allocation.amount)) }
        for (lot, change) in adjustments where change != 0 { setLotRemaining(lot, lots[Int(lot - 1)].remaining + change) }
        var opened: [Int: Int64] = [:]
        for index in credits {
            let posting = postings[index]
            opened[index] = openLot(account: posting.account, amount: posting.amount, expiresOn: posting.lotExpiresOn, on: date)
        }
        let entry = ModelEntry(sequence: entryCount, kind: kind, date: date, postings: postings, allocations: allocations, openedLots: opened)
        if remember { update(\.entries, entry.sequence, entry) }
        if kind == .award { countAward(entry.postings, on: date) }
        countFundFlow(kind: kind, postings: postings)
        return entry
    }

    /// Reverses a remembered entry (docs/ledger.md): every posting negated; points a debit took go back to the same
    /// lots; points a credit opened a lot with are taken from that lot first. At most once.
    @discardableResult
    func reverseEntry(_ sequence: Int64, on date: LocalDate, remember: Bool = false) throws(ModelRefusal) -> ModelEntry {
        guard let original = entries[sequence] else { preconditionFailure("the model reverses only entries it remembers: #\(sequence)") }
        if original.kind == .reversal { throw ModelRefusal("L009") }
        if date < original.date { throw ModelRefusal("L018") }
        if reversedBy[sequence] != nil { throw ModelRefusal("L008") }
        var plan = LotPlan()
        for (index, posting) in original.postings.enumerated() where Self.isLotTracked(posting.account, posting.asset) {
            if posting.amount < 0 {
                plan.restores[index] = original.allocations.filter { $0.index == index && $0.amount > 0 }.map { ($0.lot, $0.amount) }
            } else if let lot = original.openedLots[index] {
                plan.preferred[index] = lot
            }
        }
        let postings = original.postings.map { ModelPosting(account: $0.account, asset: $0.asset, amount: -$0.amount) }
        let reversal = try postEntry(kind: .reversal, date: date, postings: postings, plan: plan, remember: remember)
        update(\.reversedBy, sequence, reversal.sequence)
        // Points earned (the dividend's weight) count award entries net of their reversals, by the award's date.
        if original.kind == .award { countAward(postings, on: original.date) }
        return reversal
    }

    /// Forgets entries no later operation can touch (closed receipts, ended bookings, old corrections), to keep
    /// the model small over a million steps. Outside any transaction.
    func forget(_ sequences: [Int64]) {
        for sequence in sequences { entries[sequence] = nil }
    }

    // MARK: Client keys

    /// The same checks the engine makes on a client key of a station write: 1 to 190 characters, no control characters.
    static func checkClientKey(_ key: String, maximum: Int = 190) throws(ModelRefusal) {
        if key.isEmpty || key.unicodeScalars.count > maximum || key.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw ModelRefusal("L010")
        }
    }

    /// A one-line text of a station write (reason, note, memo): R020 when empty (where not allowed), too long or
    /// with a control character.
    static func checkLine(_ text: String, allowEmpty: Bool, maximum: Int = 200) throws(ModelRefusal) {
        if !allowEmpty, text.unicodeScalars.allSatisfy(\.properties.isWhitespace) { throw ModelRefusal("R020") }
        if text.unicodeScalars.count > maximum || text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw ModelRefusal("R020")
        }
    }
}

extension SimModel {
    /// Forgets the entries no later operation can reverse (receipts past their return window or refunded, ended
    /// bookings, corrections no longer offered), so that a long run stays small. Outside any transaction.
    func prune() {
        var needed = Set(correctable)
        // The reversals of those, which the generator now and then asks to reverse in turn (L009).
        for sequence in correctable { if let reversal = reversedBy[sequence] { needed.insert(reversal) } }
        for number in activeHolds { needed.insert(holds[number]!.entry) }
        for (_, receipt) in receipts where receipt.refundReason == nil && today <= receipt.redeemedOn.adding(days: Self.returnWindowDays) {
            needed.insert(receipt.entry)
            if let hold = receipt.hold { needed.insert(holds[hold]!.entry) }
        }
        entries = entries.filter { needed.contains($0.key) }
    }
}
