import CSQLite
import TimeBankCore

extension TimeBankStore {
    /// Posts one entry in its own durable transaction.
    ///
    /// Idempotent by `request.key`: the same key with the same content returns `.exists` with the stored
    /// entry; with different content it throws `LedgerError.existsWithDifferentContent`. Floors are checked
    /// against the balances inside the write transaction, so concurrent writers cannot break them.
    /// Nothing is written when it throws.
    @discardableResult
    public func post(_ request: EntryRequest) throws -> PostOutcome {
        try LedgerRules.validate(request)
        let digest = hasher.hash(EntryEncoding.contentPreimage(of: request))
        return try writeTransaction {
            try appendLocked(request, digest: digest, plan: LotPlan())
        }
    }

    /// Posts an entry a person typed (`timebank post`): `post(_:)`, except that a new entry's key may not start with a
    /// prefix the engine writes its own entries under (`release:B1`, `EngineKey`): L021, with nothing written. Taken by
    /// hand, the engine's own entry under that key could never be written (L005), and every cancellation, refund or
    /// nightly step needing it would stop for good. A retry of an entry stored under such a key with the same content still
    /// returns it.
    ///
    /// Use it for every entry whose key comes from outside the engine, not only one typed at a terminal: a client of a
    /// service embedding the library (docs/library.md) is a person's key too. A memo with a bidirectional override or
    /// isolate is L014, as `reverse`'s reason is. A lot expiring on the entry's own date is L019 as one expiring before it
    /// is (a lot expiring on D is usable until the day before, so its points could never be spent); a retry of such an
    /// entry stored before this rule still returns it.
    @discardableResult
    public func postByHand(_ request: EntryRequest) throws -> PostOutcome {
        try LedgerRules.validate(request)
        try LedgerRules.validateAssetsHeld(request)
        try LedgerRules.validateDirection(request)
        // Typed by a person: a bidirectional override would show the memo reversed on statements and in spreadsheets
        // (the command line refuses it as it is typed; the engine's own memos are built from checked names).
        if let problem = TerminalText.bidirectionalControlProblem(request.memo) {
            throw LedgerError.invalidText(field: "memo", reason: problem)
        }
        let digest = hasher.hash(EntryEncoding.contentPreimage(of: request))
        // `LedgerRules.validate` lets the engine's own writes open a lot expiring on the entry's date; a person typing
        // `--expires` equal to `--date` has made a slip.
        let expiringOnItsDate = request.postings.firstIndex { $0.lotExpiresOn == request.effectiveDate }
        return try writeTransaction {
            if let index = expiringOnItsDate {
                if let existing = try entry(key: request.key), existing.contentDigest == digest { return .exists(existing) }
                throw LedgerError.lotExpiresBeforeCredit(postingIndex: index, expiresOn: request.effectiveDate, date: request.effectiveDate)
            }
            if EngineKey.reserving(request.key) != nil {
                if let existing = try entry(key: request.key), existing.contentDigest == digest { return .exists(existing) }
                try LedgerRules.validateKeyTypedByHand(request.key)
            }
            return try appendLocked(request, digest: digest, plan: LotPlan())
        }
    }

    /// Posts several entries in one transaction: all of them, or (when one throws) none.
    @discardableResult
    public func post(_ requests: [EntryRequest]) throws -> [PostOutcome] {
        var digests: [[UInt8]] = []
        digests.reserveCapacity(requests.count)
        for request in requests {
            try LedgerRules.validate(request)
            digests.append(hasher.hash(EntryEncoding.contentPreimage(of: request)))
        }
        return try writeTransaction {
            var outcomes: [PostOutcome] = []
            outcomes.reserveCapacity(requests.count)
            for (request, digest) in zip(requests, digests) {
                outcomes.append(try appendLocked(request, digest: digest, plan: LotPlan()))
            }
            return outcomes
        }
    }

    /// How a write treats lots beyond the default rules: postings that give points back to the lots an
    /// earlier entry took them from, and lots to draw on first.
    struct LotPlan {
        /// Posting index -> allocations to undo (lot id, amount taken).
        var restores: [Int: [(lotID: Int64, amount: Int64)]] = [:]
        /// Posting index -> the lot to draw on before the others.
        var preferredLot: [Int: Int64] = [:]
        var reverses: Int64?
    }

    /// Appends an entry; the caller holds the write transaction and has validated the request.
    ///
    /// A key used before (a retry) gives `.exists` with the stored entry when the content is the same, else
    /// `existsWithDifferentContent`, whatever the balances are now. The key is looked up only when the write cannot go
    /// ahead (a check refuses it, or the insert meets the key's UNIQUE constraint), not before every write: nothing has
    /// been written for this entry at either point.
    func appendLocked(_ request: EntryRequest, digest: [UInt8], plan: LotPlan) throws -> PostOutcome {
        guard let cache = writeCache else { preconditionFailure("appendLocked runs inside writeTransaction") }
        let prepared: PreparedEntry
        do {
            prepared = try prepareLocked(request, digest: digest, plan: plan, cache: cache)
        } catch {
            if let stored = try storedOutcome(key: request.key, digest: digest) { return stored }
            throw error
        }
        let entry = prepared.entry, sequence = entry.sequence, numbers = prepared.numbers
        // Bound one value at a time: this runs once per entry of a batch of a million.
        do {
            try statement(.insertEntry)
                .bind(1, sequence).bind(2, entry.key).bind(3, entry.kind.rawValue).bind(4, entry.effectiveDate.description)
                .bind(5, Self.timestampText(entry.recordedAt)).bind(6, entry.actor).bind(7, entry.memo).bind(8, entry.reverses)
                .bind(9, blob: digest).bind(10, blob: entry.previousHash).bind(11, blob: entry.hash)
                .run()
        } catch let error as SQLiteError where error.resultCode == SQLITE_CONSTRAINT {
            if let stored = try storedOutcome(key: request.key, digest: digest) { return stored }
            throw error
        }
        let newLots = prepared.newLots, allocations = entry.allocations, lotRemainingChanges = prepared.lotRemainingChanges
        let insertPosting = try statement(.insertPosting)
        for (index, posting) in entry.postings.enumerated() {
            try insertPosting.bind(1, sequence).bind(2, Int64(index)).bind(3, numbers[index]).bind(4, posting.asset.rawValue)
                .bind(5, posting.amount).bind(6, posting.lotExpiresOn?.description).run()
        }
        if !newLots.isEmpty {
            let insertLot = try statement(.insertLot)
            for index in newLots {
                let posting = entry.postings[index]
                try insertLot.bind(1, numbers[index]).bind(2, sequence).bind(3, Int64(index)).bind(4, posting.amount)
                    .bind(5, posting.lotExpiresOn?.description).bind(6, posting.amount).run()
            }
        }
        if !allocations.isEmpty {
            let insertAllocation = try statement(.insertAllocation)
            for allocation in allocations {
                try insertAllocation.bind(1, sequence).bind(2, Int64(allocation.postingIndex)).bind(3, allocation.lotID)
                    .bind(4, allocation.amount).run()
            }
            let updateLot = try statement(.updateLotRemaining)
            for (lotID, change) in lotRemainingChanges where change != 0 {
                try updateLot.bind(1, change).bind(2, lotID).run()
            }
        }
        // Awards per volunteer or household and day, for the scorer's cap windows: an award on its date, the
        // reversal of an award taken off on the award's date (what `award_days` keeps; `verify` recomputes it).
        var awardDay: String?
        if request.kind == .award {
            awardDay = entry.effectiveDate.description
        } else if request.kind == .reversal, let reversed = plan.reverses,
                  let original = try statement(.entryKindAndDate).bind(1, reversed)
                    .first({ (kind: $0.text(0), date: $0.text(1), key: $0.text(2)) }) {
            if original.kind == EntryKind.award.rawValue { awardDay = original.date }
            // A record none of whose entries stands any more counts no more (`withdrawn_records`).
            if original.kind == EntryKind.award.rawValue || original.kind == EntryKind.penalty.rawValue {
                try noteWithdrawalLocked(reversed: reversed, key: original.key)
            }
        }
        if let awardDay {
            let addAwardDay = try statement(.addAwardDay)
            for (index, posting) in entry.postings.enumerated() where posting.account.isLotTracked(posting.asset) {
                try addAwardDay.bind(1, numbers[index]).bind(2, awardDay).bind(3, posting.amount).run()
            }
        }
        // Balances are written once per account before the transaction commits.
        for (slot, _, change) in prepared.changes {
            cache.balances[slot]! += change
            cache.unwritten[slot, default: 0] += change
        }
        cache.head = (sequence, entry.hash)
        return .created(entry)
    }

    /// What `appendLocked` computes before it writes anything: reads and checks only.
    struct PreparedEntry {
        var entry: Entry
        /// The stored number of each posting's account.
        var numbers: [Int64]
        var changes: [(slot: BalanceSlot, account: Account, change: Int64)]
        var newLots: [Int]
        var lotRemainingChanges: [Int64: Int64]
    }

    /// The `.exists` outcome of a key stored with the same content, `existsWithDifferentContent` for other content,
    /// nil when the key is not stored.
    func storedOutcome(key: String, digest: [UInt8]) throws -> PostOutcome? {
        guard let existing = try statement(.entryByKey).bind(1, key).first({ (sequence: $0.int64(0), digest: $0.blob(1)) }) else {
            return nil
        }
        guard existing.digest == digest else { throw LedgerError.existsWithDifferentContent(key: key, sequence: existing.sequence) }
        return .exists(try entry(sequence: existing.sequence)!)
    }

    /// Checks the accounts, balances, floors and lots of an entry and computes it with its hash; writes nothing.
    func prepareLocked(_ request: EntryRequest, digest: [UInt8], plan: LotPlan, cache: WriteCache) throws -> PreparedEntry {
        // Here rather than in `LedgerRules.validate`: a retry of an entry stored under such a key before L022 still returns it.
        try LedgerRules.validateNewKey(request.key)
        // Accounts exist; net change per account and asset (entries have few postings: a list is fastest); floors.
        var numbers: [Int64] = []
        numbers.reserveCapacity(request.postings.count)
        var changes: [(slot: BalanceSlot, account: Account, change: Int64)] = []
        for posting in request.postings {
            guard let stored = try storedAccount(posting.account) else { throw LedgerError.unknownAccount(posting.account) }
            numbers.append(stored.number)
            let slot = BalanceSlot(number: stored.number, asset: posting.asset)
            if let index = changes.firstIndex(where: { $0.slot == slot }) {
                changes[index].change += posting.amount
            } else {
                changes.append((slot, stored.account, posting.amount))
            }
        }
        for (slot, account, change) in changes {
            let before = try balance(slot)
            let (after, overflow) = before.addingReportingOverflow(change)
            if overflow || after.magnitude > UInt64(LedgerRules.balanceMagnitudeMaximum) {
                throw LedgerError.balanceOutOfRange(account: account.id, asset: slot.asset, balance: before, change: change)
            }
            guard change < 0, let floor = account.floor else { continue }
            if after < floor {
                throw LedgerError.belowFloor(account: account.id, asset: slot.asset, balance: before, change: change, floor: floor,
                                             unit: policyUnit(on: request.effectiveDate) ?? PointsUnit.unnamed)
            }
            // A write dated back must leave the floor kept on every day since, by the entries' dates (lot-tracked points
            // keep it through their lots: a debit draws only what a lot held on every day from its date on).
            if !account.id.isLotTracked(slot.asset) {
                let date = request.effectiveDate
                let moves = try netMovesByDay(accountNumber: slot.number, asset: slot.asset, after: date)
                if let breach = LedgerRules.floorBreach(from: date, movesAfter: moves, balance: before, change: change, floor: floor) {
                    throw LedgerError.belowFloorOnDay(account: account.id, asset: slot.asset, date: date, day: breach.day, balance: breach.held,
                                                      change: change, floor: floor, keptFrom: breach.keptFrom,
                                                      unit: policyUnit(on: date) ?? PointsUnit.unnamed)
                }
            }
        }

        let head = try cache.head ?? statement(.head).first { (sequence: $0.int64(0), hash: $0.blob(1)) }
        let sequence = (head?.sequence ?? 0) + 1
        let previousHash = head?.hash ?? EntryEncoding.genesisHash

        // Lots: outflows draw on lots (or undo an earlier draw); inflows open lots.
        var allocations: [LotAllocation] = []
        var lotRemainingChanges: [Int64: Int64] = [:]
        var newLots: [Int] = []
        for (index, posting) in request.postings.enumerated() where posting.account.isLotTracked(posting.asset) {
            if let restores = plan.restores[index] {
                for restore in restores {
                    allocations.append(LotAllocation(postingIndex: index, lotID: restore.lotID, amount: -restore.amount))
                    lotRemainingChanges[restore.lotID, default: 0] += restore.amount
                }
            } else if posting.amount > 0 {
                newLots.append(index)
            } else {
                let needed = -posting.amount
                let includeExpired = request.kind == .expiry
                let available = try openLots(accountNumber: numbers[index], of: posting.account, covering: needed,
                                             on: request.effectiveDate, includeExpired: includeExpired,
                                             preferring: plan.preferredLot[index], adjustedBy: lotRemainingChanges)
                let draw = LedgerRules.drawFromLots(available, amount: needed, on: request.effectiveDate,
                                                    includeExpired: includeExpired, preferring: plan.preferredLot[index])
                if draw.uncovered > 0 {
                    // `available` holds every open lot here: reading stops only once the amount is covered. Points that
                    // came into a lot after the date (it was opened later, or they were given back later) and had not
                    // expired by it were not there yet.
                    let date = request.effectiveDate
                    let later = available.filter {
                        $0.id != plan.preferredLot[index] && $0.creditedAfter(date) > 0 && (includeExpired || !$0.isExpired(on: date))
                    }
                    // What the nightly expiry took since the date, and which later date would do (not the expiry's own entry).
                    let after = includeExpired ? nil
                        : try pointsAfter(posting.account, date: date, needed: needed, adjustedBy: lotRemainingChanges)
                    // The refusal names the points as the policy in force on the date does (none yet: "points").
                    let unit = policyUnit(on: date) ?? PointsUnit.unnamed
                    if let first = later.compactMap({ $0.firstCreditedAfter(date) }).min() {
                        throw LedgerError.pointsNotYetCredited(account: posting.account, date: date, usable: needed - draw.uncovered, needed: needed,
                                                               creditedLater: later.reduce(0) { $0 + $1.creditedAfter(date) }, firstCreditedOn: first,
                                                               after: after, unit: unit)
                    }
                    // `available` holds the lots that had expired by the date and still hold points too.
                    throw LedgerError.pointsExpired(account: posting.account, usable: needed - draw.uncovered, needed: needed, date: date,
                                                    after: after.flatMap { $0.expired > 0 ? $0 : nil },
                                                    notYetTaken: ExpiredNotYetTaken.gather(available, on: date), unit: unit)
                }
                for (lotID, amount) in draw.allocations {
                    allocations.append(LotAllocation(postingIndex: index, lotID: lotID, amount: amount))
                    lotRemainingChanges[lotID, default: 0] -= amount
                }
            }
        }
        // Stored and hashed in one canonical order, the order they are read back in.
        allocations.sort { ($0.postingIndex, $0.lotID) < ($1.postingIndex, $1.lotID) }

        var entry = Entry(
            sequence: sequence, key: request.key, kind: request.kind, effectiveDate: request.effectiveDate,
            recordedAt: clock.now(), actor: request.actor, memo: request.memo, reverses: plan.reverses,
            postings: request.postings, allocations: allocations, contentDigest: digest,
            previousHash: previousHash, hash: [])
        entry.hash = hasher.hash(EntryEncoding.chainPreimage(of: entry, previousHash: previousHash))

        return PreparedEntry(entry: entry, numbers: numbers, changes: changes, newLots: newLots, lotRemainingChanges: lotRemainingChanges)
    }

    /// `Timestamp.description` (`2026-11-21T08:30:00.000Z`), written without string interpolation: it is
    /// stored with every entry.
    /// The net of an account's postings of `asset` on each day after `date`, by the entries' dates, oldest first: what
    /// `LedgerRules.floorBreach` walks back from the balance now (a write dated back must keep a floor on every day since).
    func netMovesByDay(accountNumber: Int64, asset: Asset, after date: LocalDate) throws -> [(day: LocalDate, amount: Int64)] {
        try database.statement("""
            SELECT e.effective_date, sum(p.amount) FROM postings p JOIN entries e ON e.sequence = p.entry
            WHERE p.account = ? AND p.asset = ? AND e.effective_date > ? GROUP BY e.effective_date ORDER BY e.effective_date
            """).bind(.integer(accountNumber), .text(asset.rawValue), .text(date.description))
            .rows { (day: LocalDate($0.text(0)) ?? date, amount: $0.int64(1)) }
    }

    static func timestampText(_ timestamp: Timestamp) -> String {
        let date = timestamp.utcDate
        let milliseconds = Int(timestamp.millisecondsSinceEpoch - Int64(date.daysSinceEpoch) * 86_400_000)
        guard (1...9999).contains(date.year) else { return timestamp.description }
        return String(unsafeUninitializedCapacity: 24) { buffer in
            func put(_ value: Int, at offset: Int, digits: Int) {
                var value = value
                for position in stride(from: offset + digits - 1, through: offset, by: -1) {
                    buffer[position] = UInt8(48 + value % 10)
                    value /= 10
                }
            }
            put(date.year, at: 0, digits: 4)
            buffer[4] = UInt8(ascii: "-")
            put(date.month, at: 5, digits: 2)
            buffer[7] = UInt8(ascii: "-")
            put(date.day, at: 8, digits: 2)
            buffer[10] = UInt8(ascii: "T")
            put(milliseconds / 3_600_000, at: 11, digits: 2)
            buffer[13] = UInt8(ascii: ":")
            put(milliseconds / 60_000 % 60, at: 14, digits: 2)
            buffer[16] = UInt8(ascii: ":")
            put(milliseconds / 1000 % 60, at: 17, digits: 2)
            buffer[19] = UInt8(ascii: ".")
            put(milliseconds % 1000, at: 20, digits: 3)
            buffer[23] = UInt8(ascii: "Z")
            return 24
        }
    }

    /// The open lots of an account in spending order, read only as far as needed to cover `amount`
    /// (plus the preferred lot), with this entry's earlier draws applied.
    func openLots(
        accountNumber: Int64, of account: AccountID, covering amount: Int64, on date: LocalDate, includeExpired: Bool,
        preferring preferred: Int64?, adjustedBy changes: [Int64: Int64]
    ) throws -> [Lot] {
        var lots: [Lot] = []
        var covered: Int64 = 0
        let day = date.description
        if let preferred, var lot = try statement(.lotByID).bind(1, preferred).bind(2, day).bind(3, accountNumber)
            .first({ try datedLot($0, account: account, on: date) }) {
            lot.remaining += changes[lot.id] ?? 0
            lots.append(lot)
        }
        let open = try statement(.openLots).bind(1, accountNumber).bind(2, day)
        defer { open.reset() }
        while covered < amount, try open.step() {
            guard open.int64(0) != preferred else { continue }
            var lot = try datedLot(open, account: account, on: date)
            lot.remaining += changes[lot.id] ?? 0
            guard lot.remaining > 0 else { continue }
            if includeExpired || lot.isUsable(on: date) { covered += lot.drawable }
            lots.append(lot)
        }
        return lots
    }
}
