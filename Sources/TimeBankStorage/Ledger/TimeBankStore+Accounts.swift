import TimeBankCore

/// An account as stored: its number (what ledger rows refer to) and the account itself.
struct StoredAccount {
    let number: Int64
    let account: Account
}

extension TimeBankStore {
    /// The account with this id, or nil.
    public func account(_ id: AccountID) throws -> Account? {
        try storedAccount(id)?.account
    }

    /// The stored account and its number; cached, since accounts never change once created.
    func storedAccount(_ id: AccountID) throws -> StoredAccount? {
        if let cached = accountCache[id] { return cached }
        guard let found = try database.statement("SELECT number, name, floor FROM accounts WHERE id = ?")
            .bind(.text(id.description))
            .first({ StoredAccount(number: $0.int64(0), account: Account(id: id, name: $0.text(1), floor: $0.optionalInt64(2))) })
        else { return nil }
        accountCache[id] = found
        accountIDs[found.number] = id
        return found
    }

    /// The account id of a stored account number.
    func accountID(number: Int64) throws -> AccountID {
        if let cached = accountIDs[number] { return cached }
        guard let text = try database.statement("SELECT id FROM accounts WHERE number = ?").bind(.integer(number)).first({ $0.text(0) }),
              let id = AccountID(text) else {
            throw StoredDataError(sequence: nil, detail: "no readable account number \(number)")
        }
        _ = try storedAccount(id)
        return id
    }

    /// Creates an account. Volunteer, household and station accounts are made by `addVolunteer` and friends.
    public func createAccount(_ account: Account) throws {
        if account.id.isLotTracked(.points), let floor = account.floor, floor < 0 {
            throw LedgerError.invalidFloor(account.id, floor)
        }
        try writeTransaction {
            if try self.account(account.id) != nil { throw LedgerError.accountExists(account.id) }
            try insertAccount(account)
        }
    }

    func insertAccount(_ account: Account) throws {
        try database.statement("INSERT INTO accounts(id, kind, name, floor, created_at) VALUES (?, ?, ?, ?, ?)")
            .bind(.text(account.id.description), .text(account.id.kind.rawValue), .text(account.name),
                  account.floor.map(SQLiteValue.integer) ?? .null, .text(clock.now().description))
            .run()
        let number = database.lastInsertedRowID
        accountCache[account.id] = StoredAccount(number: number, account: account)
        accountIDs[number] = account.id
    }

    /// All accounts, ordered by id.
    public func accounts(kind: AccountKind? = nil) throws -> [Account] {
        let statement: SQLiteStatement
        if let kind {
            statement = try database.statement("SELECT id, name, floor FROM accounts WHERE kind = ? ORDER BY id").bind(.text(kind.rawValue))
        } else {
            statement = try database.statement("SELECT id, name, floor FROM accounts ORDER BY id")
        }
        return try statement.rows { row in
            guard let id = AccountID(row.text(0)) else { throw StoredDataError(sequence: nil, detail: "unreadable account id \(row.text(0))") }
            return Account(id: id, name: row.text(1), floor: row.optionalInt64(2))
        }
    }

    /// The balance of an account in hundredths (0 when it never moved).
    public func balance(_ id: AccountID, _ asset: Asset = .points) throws -> Int64 {
        guard let stored = try storedAccount(id) else { return 0 }
        return try balance(BalanceSlot(number: stored.number, asset: asset))
    }

    func balance(_ slot: BalanceSlot) throws -> Int64 {
        if let cached = writeCache?.balances[slot] { return cached }
        let value = try statement(.balance).bind(.integer(slot.number), .text(slot.asset.rawValue)).first { $0.int64(0) } ?? 0
        writeCache?.balances[slot] = value
        return value
    }

    /// Every non-zero balance, ordered by account then asset.
    public func balances() throws -> [(account: AccountID, asset: Asset, balance: Int64)] {
        try writeBalances()
        return try database.statement("""
            SELECT a.id, b.asset, b.balance FROM balances b JOIN accounts a ON a.number = b.account
            WHERE b.balance <> 0 ORDER BY a.id, b.asset
            """).rows { row in
                guard let id = AccountID(row.text(0)), let asset = Asset(rawValue: row.text(1)) else {
                    throw StoredDataError(sequence: nil, detail: "unreadable balance row \(row.text(0))")
                }
                return (id, asset, row.int64(2))
            }
    }

    /// The lots of a volunteer or household, oldest first; with `openOnly`, only those with points left.
    public func lots(of id: AccountID, openOnly: Bool = false) throws -> [Lot] {
        guard let stored = try storedAccount(id) else { return [] }
        let sql = "SELECT l.id, l.entry, l.idx, l.amount, l.expires_on, l.remaining, e.effective_date "
            + "FROM lots l JOIN entries e ON e.sequence = l.entry WHERE l.account = ?"
            + (openOnly ? " AND l.remaining > 0" : "") + " ORDER BY l.id"
        return try database.statement(sql).bind(.integer(stored.number)).rows { Self.lot($0, account: id) }
    }

    /// The points the nightly `expiry` entries (not reversed) took from each lot of a volunteer or household, by lot id;
    /// lots nothing expired from are left out. With `lots`, they tell a lot that was spent from one whose points expired.
    public func expiredPointsByLot(of id: AccountID) throws -> [Int64: Int64] {
        guard let stored = try storedAccount(id) else { return [:] }
        var expired: [Int64: Int64] = [:]
        try database.statement("""
            SELECT la.lot, sum(la.amount) FROM lots l JOIN lot_allocations la ON la.lot = l.id JOIN entries e ON e.sequence = la.entry
            WHERE l.account = ? AND e.kind = 'expiry' AND NOT EXISTS (SELECT 1 FROM entries r WHERE r.reverses = e.sequence)
            GROUP BY la.lot
            """).bind(.integer(stored.number)).forEachRow { row in
            if row.int64(1) != 0 { expired[row.int64(0)] = row.int64(1) }
        }
        return expired
    }

    /// A lot from a row of `LedgerSQL.datedLotColumns` read for `date`. When points were given back to it after that
    /// day, its allocations dated after it tell how many of them the lot did not hold on every day since
    /// (`Lot.returnedLater`: a give-back spent again later is not counted) and the first give-back's day.
    func datedLot(_ row: SQLiteStatement, account: AccountID, on date: LocalDate) throws -> Lot {
        var lot = Self.lot(row, account: account)
        guard row.int64(7) > 0 else { return lot }
        let days = try database.statement("""
            SELECT g.effective_date, sum(a.amount), min(a.amount) FROM lot_allocations a JOIN entries g ON g.sequence = a.entry
            WHERE a.lot = ? AND g.effective_date > ? GROUP BY g.effective_date ORDER BY g.effective_date
            """).bind(.integer(lot.id), .text(date.description)).rows { (day: $0.text(0), net: $0.int64(1), givesBack: $0.int64(2) < 0) }
        lot.returnedLater = LedgerRules.pointsNotHeldThroughout(movesAfter: days.map(\.net))
        lot.firstReturnedOn = days.first(where: \.givesBack).flatMap { LocalDate($0.day) }
        return lot
    }

    /// A lot from a row of `id, entry, idx, amount, expires_on, remaining, effective_date` (the opening entry's date).
    static func lot(_ row: SQLiteStatement, account: AccountID) -> Lot {
        Lot(id: row.int64(0), account: account, openedBy: row.int64(1), postingIndex: Int(row.int64(2)),
            amount: row.int64(3), expiresOn: row.optionalText(4).flatMap { LocalDate($0) }, remaining: row.int64(5),
            openedOn: LocalDate(row.text(6)) ?? .init(year: 1, month: 1, day: 1)!)
    }
}
