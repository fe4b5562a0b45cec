import TimeBankCore

extension TimeBankStore {
    /// The account with this id, or nil.
    public func account(_ id: AccountID) throws -> Account? {
        if let cached = accountCache[id] { return cached }
        let found = try database.statement("SELECT name, floor FROM accounts WHERE id = ?")
            .bind(.text(id.description))
            .first { Account(id: id, name: $0.text(0), floor: $0.optionalInt64(1)) }
        if let found { accountCache[id] = found }
        return found
    }

    /// Creates an account. Volunteer, household and station accounts are made by `addVolunteer` and friends.
    public func createAccount(_ account: Account) throws {
        if account.id.isLotTracked(.points), let floor = account.floor, floor < 0 {
            throw LedgerError.invalidFloor(account.id, floor)
        }
        try database.writeTransaction {
            if try self.account(account.id) != nil { throw LedgerError.accountExists(account.id) }
            try insertAccount(account)
        }
    }

    func insertAccount(_ account: Account) throws {
        try database.statement("INSERT INTO accounts(id, kind, name, floor, created_at) VALUES (?, ?, ?, ?, ?)")
            .bind(.text(account.id.description), .text(account.id.kind.rawValue), .text(account.name),
                  account.floor.map(SQLiteValue.integer) ?? .null, .text(clock.now().description))
            .run()
        accountCache[account.id] = account
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
            guard let id = AccountID(row.text(0)) else { throw SQLiteError(message: "unreadable account id \(row.text(0))") }
            return Account(id: id, name: row.text(1), floor: row.optionalInt64(2))
        }
    }

    /// The cached balance of an account in hundredths (0 when it never moved).
    public func balance(_ id: AccountID, _ asset: Asset = .points) throws -> Int64 {
        try database.statement("SELECT balance FROM balances WHERE account = ? AND asset = ?")
            .bind(.text(id.description), .text(asset.rawValue))
            .first { $0.int64(0) } ?? 0
    }

    /// Every non-zero cached balance, ordered by account then asset.
    public func balances() throws -> [(account: AccountID, asset: Asset, balance: Int64)] {
        try database.statement("SELECT account, asset, balance FROM balances WHERE balance <> 0 ORDER BY account, asset")
            .rows { row in
                guard let id = AccountID(row.text(0)), let asset = Asset(rawValue: row.text(1)) else {
                    throw SQLiteError(message: "unreadable balance row \(row.text(0))")
                }
                return (id, asset, row.int64(2))
            }
    }

    /// The lots of a volunteer or household, oldest first; with `openOnly`, only those with points left.
    public func lots(of id: AccountID, openOnly: Bool = false) throws -> [Lot] {
        let sql = "SELECT id, entry, idx, amount, expires_on, remaining FROM lots WHERE account = ?"
            + (openOnly ? " AND remaining > 0" : "") + " ORDER BY id"
        return try database.statement(sql).bind(.text(id.description)).rows { row in
            Lot(id: row.int64(0), account: id, openedBy: row.int64(1), postingIndex: Int(row.int64(2)),
                amount: row.int64(3), expiresOn: row.optionalText(4).flatMap { LocalDate($0) }, remaining: row.int64(5))
        }
    }
}
