import TimeBankCore

extension TimeBankStore {
    /// The points `account` still holds in lots credited by `date` that had expired by it, which the nightly expiry has
    /// not taken yet (`ExpiredNotYetTaken.gather`, the rule L012 applies to the lots it read); nil when none. Read on the
    /// way to a refusal (R001) and by `balance`.
    public func expiredNotYetTaken(_ account: AccountID, on date: LocalDate) throws -> ExpiredNotYetTaken? {
        guard account.isLotTracked(.points), let stored = try storedAccount(account) else { return nil }
        let lots = try database.statement("""
            SELECT \(LedgerSQL.datedLotColumns)
            FROM lots l JOIN entries e ON e.sequence = l.entry
            WHERE l.account = ?1 AND l.remaining > 0 AND l.expires_on <= ?2
            """).bind(.integer(stored.number), .text(date.description)).rows { try datedLot($0, account: account, on: date) }
        return ExpiredNotYetTaken.gather(lots, on: date)
    }

    /// What became of an account's points after `date`, for the refusal of a debit dated `date` that needs `needed`
    /// (`LedgerRules.pointsAfter`): what the nightly expiry took since of what could be spent on `date`, and the days
    /// after it, up to today, on which the debit would go through. `adjustedBy`: draws of the entry being written, by
    /// lot. Nil for an account without lots. Read only on the way to a refusal.
    func pointsAfter(_ account: AccountID, date: LocalDate, needed: Int64, adjustedBy changes: [Int64: Int64] = [:]) throws -> PointsAfterDay? {
        guard account.isLotTracked(.points), let stored = try storedAccount(account) else { return nil }
        let histories = try lotHistories(accountNumber: stored.number, of: account, after: date).map { history in
            var history = history
            history.lot.remaining += changes[history.lot.id] ?? 0
            return history
        }
        // The latest day it can be anywhere (UTC+14): a write dated after today is refused before it gets here.
        return LedgerRules.pointsAfter(date, needed: needed, today: clock.now().date(offsetMinutes: 840), histories: histories)
    }

    /// The lots of an account with their allocations dated after `date` (`LotHistory`): those with points left, and
    /// those usable on `date` that an expiry entry dated after it drew from (they may be empty now).
    func lotHistories(accountNumber: Int64, of account: AccountID, after date: LocalDate) throws -> [LotHistory] {
        let day = date.description
        let columns = "l.id, l.entry, l.idx, l.amount, l.expires_on, l.remaining, e.effective_date"
        // Open lots by their index; emptied ones through the account's expiry entries (not a scan of every lot).
        var lots = try database.statement("""
            SELECT \(columns) FROM lots l JOIN entries e ON e.sequence = l.entry WHERE l.account = ?1 AND l.remaining > 0 ORDER BY l.id
            """).bind(.integer(accountNumber)).rows { Self.lot($0, account: account) }
        lots += try database.statement("""
            SELECT \(columns) FROM lots l JOIN entries e ON e.sequence = l.entry
            WHERE l.id IN (SELECT a.lot FROM postings p JOIN entries g ON g.sequence = p.entry
                           JOIN lot_allocations a ON a.entry = p.entry AND a.idx = p.idx
                           WHERE p.account = ?1 AND p.asset = 'POINTS' AND g.kind = 'expiry' AND g.effective_date > ?2)
              AND l.remaining = 0 AND e.effective_date <= ?2 AND l.expires_on > ?2
            ORDER BY l.id
            """).bind(.integer(accountNumber), .text(day)).rows { Self.lot($0, account: account) }
        let moves = try database.statement("""
            SELECT g.effective_date, g.kind = 'expiry', sum(a.amount) FROM lot_allocations a JOIN entries g ON g.sequence = a.entry
            WHERE a.lot = ? AND g.effective_date > ? GROUP BY g.effective_date, g.kind = 'expiry' ORDER BY g.effective_date
            """)
        return try lots.map { lot in
            moves.reset()
            let after = try moves.bind(.integer(lot.id), .text(day)).rows { row in
                guard let day = LocalDate(row.text(0)) else {
                    throw StoredDataError(sequence: nil, detail: "an allocation of lot \(lot.id) has an unreadable date")
                }
                return LotMove(day: day, amount: row.int64(2), byExpiry: row.int64(1) != 0)
            }
            return LotHistory(lot: lot, movesAfter: after)
        }
    }
}
