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
        let digest = EntryEncoding.contentDigest(of: request)
        return try database.writeTransaction {
            try appendLocked(request, digest: digest, plan: LotPlan())
        }
    }

    /// Posts several entries in one transaction: all of them, or (when one throws) none.
    @discardableResult
    public func post(_ requests: [EntryRequest]) throws -> [PostOutcome] {
        var digests: [[UInt8]] = []
        digests.reserveCapacity(requests.count)
        for request in requests {
            try LedgerRules.validate(request)
            digests.append(EntryEncoding.contentDigest(of: request))
        }
        return try database.writeTransaction {
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
    func appendLocked(_ request: EntryRequest, digest: [UInt8], plan: LotPlan) throws -> PostOutcome {
        if let existing = try database.statement("SELECT sequence, content_digest FROM entries WHERE key = ?")
            .bind(.text(request.key)).first({ (sequence: $0.int64(0), digest: $0.blob(1)) }) {
            guard existing.digest == digest else {
                throw LedgerError.existsWithDifferentContent(key: request.key, sequence: existing.sequence)
            }
            return .exists(try entry(sequence: existing.sequence)!)
        }

        // Accounts exist; net change per account and asset; floors.
        var netChanges: [BalanceKey: Int64] = [:]
        var order: [BalanceKey] = []
        for posting in request.postings {
            guard try account(posting.account) != nil else { throw LedgerError.unknownAccount(posting.account) }
            let key = BalanceKey(account: posting.account, asset: posting.asset)
            if netChanges[key] == nil { order.append(key) }
            netChanges[key, default: 0] += posting.amount
        }
        for key in order {
            let change = netChanges[key]!
            let before = try balance(key.account, key.asset)
            let (after, overflow) = before.addingReportingOverflow(change)
            if overflow || after.magnitude > UInt64(Int64.max / 2) {
                throw LedgerError.amountOutOfRange(postingIndex: 0, amount: change)
            }
            if change < 0, let floor = try account(key.account)?.floor, after < floor {
                throw LedgerError.belowFloor(account: key.account, asset: key.asset, balance: before, change: change, floor: floor)
            }
        }

        let head = try database.statement("SELECT sequence, hash FROM entries ORDER BY sequence DESC LIMIT 1")
            .first { (sequence: $0.int64(0), hash: $0.blob(1)) }
        let sequence = (head?.sequence ?? 0) + 1
        let previousHash = head?.hash ?? EntryEncoding.genesisHash

        // Lots: outflows draw on lots (or undo an earlier draw); inflows open lots (or give points back).
        var allocations: [LotAllocation] = []
        var lotRemainingChanges: [Int64: Int64] = [:]
        var newLots: [(postingIndex: Int, posting: Posting)] = []
        for (index, posting) in request.postings.enumerated() where posting.account.isLotTracked(posting.asset) {
            if let restores = plan.restores[index] {
                for restore in restores {
                    allocations.append(LotAllocation(postingIndex: index, lotID: restore.lotID, amount: -restore.amount))
                    lotRemainingChanges[restore.lotID, default: 0] += restore.amount
                }
            } else if posting.amount > 0 {
                newLots.append((index, posting))
            } else {
                let needed = -posting.amount
                // Lots already drawn on by earlier postings of this entry count with what they have left.
                let available = try openLots(of: posting.account, covering: needed, on: request.effectiveDate,
                                             includeExpired: request.kind == .expiry, preferring: plan.preferredLot[index],
                                             adjustedBy: lotRemainingChanges)
                let draw = LedgerRules.drawFromLots(
                    available, amount: needed, on: request.effectiveDate,
                    includeExpired: request.kind == .expiry, preferring: plan.preferredLot[index])
                if draw.uncovered > 0 {
                    throw LedgerError.pointsExpired(account: posting.account, usable: needed - draw.uncovered, needed: needed)
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
        entry.hash = EntryEncoding.chainHash(of: entry, previousHash: previousHash)

        try database.statement("""
            INSERT INTO entries(sequence, key, kind, effective_date, recorded_at, actor, memo, reverses,
                                content_digest, previous_hash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
            .bind(.integer(sequence), .text(entry.key), .text(entry.kind.rawValue), .text(entry.effectiveDate.description),
                  .text(entry.recordedAt.description), .text(entry.actor), .text(entry.memo),
                  entry.reverses.map(SQLiteValue.integer) ?? .null, .blob(digest), .blob(previousHash), .blob(entry.hash))
            .run()
        let insertPosting = try database.statement(
            "INSERT INTO postings(entry, idx, account, asset, amount, lot_expires_on) VALUES (?, ?, ?, ?, ?, ?)")
        for (index, posting) in entry.postings.enumerated() {
            try insertPosting.bind(.integer(sequence), .integer(Int64(index)), .text(posting.account.description),
                                   .text(posting.asset.rawValue), .integer(posting.amount),
                                   posting.lotExpiresOn.map { .text($0.description) } ?? .null).run()
        }
        let insertLot = try database.statement(
            "INSERT INTO lots(account, entry, idx, amount, expires_on, remaining) VALUES (?, ?, ?, ?, ?, ?)")
        for (index, posting) in newLots {
            try insertLot.bind(.text(posting.account.description), .integer(sequence), .integer(Int64(index)),
                               .integer(posting.amount), posting.lotExpiresOn.map { .text($0.description) } ?? .null,
                               .integer(posting.amount)).run()
        }
        let insertAllocation = try database.statement("INSERT INTO lot_allocations(entry, idx, lot, amount) VALUES (?, ?, ?, ?)")
        for allocation in allocations {
            try insertAllocation.bind(.integer(sequence), .integer(Int64(allocation.postingIndex)),
                                      .integer(allocation.lotID), .integer(allocation.amount)).run()
        }
        let updateLot = try database.statement("UPDATE lots SET remaining = remaining + ? WHERE id = ?")
        for (lotID, change) in lotRemainingChanges where change != 0 {
            try updateLot.bind(.integer(change), .integer(lotID)).run()
        }
        let upsertBalance = try database.statement("""
            INSERT INTO balances(account, asset, balance) VALUES (?, ?, ?)
            ON CONFLICT(account, asset) DO UPDATE SET balance = balance + excluded.balance
            """)
        for key in order {
            try upsertBalance.bind(.text(key.account.description), .text(key.asset.rawValue), .integer(netChanges[key]!)).run()
        }
        return .created(entry)
    }
}

extension TimeBankStore {
    /// The open lots of an account in spending order, read only as far as needed to cover `amount`
    /// (plus the preferred lot), with this entry's earlier draws applied.
    func openLots(
        of account: AccountID, covering amount: Int64, on date: LocalDate, includeExpired: Bool, preferring preferred: Int64?,
        adjustedBy changes: [Int64: Int64]
    ) throws -> [Lot] {
        var lots: [Lot] = []
        var covered: Int64 = 0
        if let preferred, let lot = try database.statement(
            "SELECT id, entry, idx, amount, expires_on, remaining FROM lots WHERE id = ? AND account = ?")
            .bind(.integer(preferred), .text(account.description)).first({ Self.lot($0, account: account) }) {
            lots.append(lot)
        }
        let statement = try database.statement("""
            SELECT id, entry, idx, amount, expires_on, remaining FROM lots
            WHERE account = ? AND remaining > 0 ORDER BY coalesce(expires_on, '9999-12-31'), id
            """).bind(.text(account.description))
        defer { statement.reset() }
        while covered < amount, try statement.step() {
            var lot = Self.lot(statement, account: account)
            lot.remaining += changes[lot.id] ?? 0
            guard lot.id != preferred, lot.remaining > 0 else { continue }
            if includeExpired || lot.isUsable(on: date) { covered += lot.remaining }
            lots.append(lot)
        }
        return lots
    }

    static func lot(_ row: SQLiteStatement, account: AccountID) -> Lot {
        Lot(id: row.int64(0), account: account, openedBy: row.int64(1), postingIndex: Int(row.int64(2)),
            amount: row.int64(3), expiresOn: row.optionalText(4).flatMap { LocalDate($0) }, remaining: row.int64(5))
    }
}

struct BalanceKey: Hashable {
    var account: AccountID
    var asset: Asset
}
