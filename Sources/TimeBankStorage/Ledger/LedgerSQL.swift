import TimeBankCore

/// The statements on the posting path, prepared once per connection and reused.
/// (Looking them up by their SQL text costs a string hash per call, which shows on a hot path.)
enum LedgerSQL: Int, CaseIterable {
    case entryByKey, insertEntry, insertPosting, insertLot, insertAllocation, updateLotRemaining, openLots, lotByID,
         head, lotOpenedBy, reversalOf, balance

    var sql: String {
        switch self {
        case .entryByKey: "SELECT sequence, content_digest FROM entries WHERE key = ?"
        case .insertEntry: """
            INSERT INTO entries(sequence, key, kind, effective_date, recorded_at, actor, memo, reverses,
                                content_digest, previous_hash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """
        case .insertPosting: "INSERT INTO postings(entry, idx, account, asset, amount, lot_expires_on) VALUES (?, ?, ?, ?, ?, ?)"
        case .insertLot: "INSERT INTO lots(account, entry, idx, amount, expires_on, remaining) VALUES (?, ?, ?, ?, ?, ?)"
        case .insertAllocation: "INSERT INTO lot_allocations(entry, idx, lot, amount) VALUES (?, ?, ?, ?)"
        case .updateLotRemaining: "UPDATE lots SET remaining = remaining + ? WHERE id = ?"
        case .openLots: """
            SELECT id, entry, idx, amount, expires_on, remaining FROM lots
            WHERE account = ? AND remaining > 0 ORDER BY coalesce(expires_on, '9999-12-31'), id
            """
        case .lotByID: "SELECT id, entry, idx, amount, expires_on, remaining FROM lots WHERE id = ? AND account = ?"
        case .head: "SELECT sequence, hash FROM entries ORDER BY sequence DESC LIMIT 1"
        case .lotOpenedBy: "SELECT id FROM lots WHERE entry = ? AND idx = ?"
        case .reversalOf: "SELECT sequence FROM entries WHERE reverses = ?"
        case .balance: "SELECT balance FROM balances WHERE account = ? AND asset = ?"
        }
    }
}

extension TimeBankStore {
    /// A hot statement, reset and ready to bind.
    func statement(_ which: LedgerSQL) throws -> SQLiteStatement {
        if let prepared = ledgerStatements[which.rawValue] {
            prepared.reset()
            return prepared
        }
        let prepared = try database.statement(which.sql)
        ledgerStatements[which.rawValue] = prepared
        return prepared
    }
}
