import CSQLite
import TimeBankCore

/// The statements on the posting path, prepared once per connection and reused.
/// (Looking them up by their SQL text costs a string hash per call, which shows on a hot path.)
enum LedgerSQL: Int, CaseIterable {
    case entryByKey, insertEntry, insertPosting, insertLot, insertAllocation, updateLotRemaining, openLots, lotByID,
         head, lotOpenedBy, reversalOf, balance, recordForPosting, insertRecordScore, insertRecordScoreExplanation, entryKindAndDate, addAwardDay

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
            SELECT \(Self.datedLotColumns)
            FROM lots l JOIN entries e ON e.sequence = l.entry
            WHERE l.account = ?1 AND l.remaining > 0 ORDER BY coalesce(l.expires_on, '9999-12-31'), l.id
            """
        case .lotByID: """
            SELECT \(Self.datedLotColumns)
            FROM lots l JOIN entries e ON e.sequence = l.entry WHERE l.id = ?1 AND l.account = ?3
            """
        case .head: "SELECT sequence, hash FROM entries ORDER BY sequence DESC LIMIT 1"
        case .lotOpenedBy: "SELECT id FROM lots WHERE entry = ? AND idx = ?"
        case .reversalOf: "SELECT sequence FROM entries WHERE reverses = ?"
        case .balance: "SELECT balance FROM balances WHERE account = ? AND asset = ?"
        case .recordForPosting: """
            SELECT r.number, r.status, s.record IS NOT NULL FROM records r LEFT JOIN record_scores s ON s.record = r.number
            WHERE r.source = ? AND r.id = ?
            """
        case .insertRecordScore: """
            INSERT INTO record_scores(record, policy_version, account, holder, volunteer, service_date, category, indicator,
                period, minutes_counted, earned, award, deduction, shortfall, once_bonuses, award_entry, penalty_entry,
                posted_at, posted_by)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """
        case .insertRecordScoreExplanation: "INSERT INTO record_score_explanations(record, lines) VALUES (?, ?)"
        case .entryKindAndDate: "SELECT kind, effective_date, key FROM entries WHERE sequence = ?"
        case .addAwardDay: """
            INSERT INTO award_days(account, day, amount) VALUES (?, ?, ?)
            ON CONFLICT(account, day) DO UPDATE SET amount = amount + excluded.amount
            """
        }
    }
}

extension LedgerSQL {
    /// A lot `l` (joined to its opening entry `e`) as read for the day bound to `?2`: `id, entry, idx, amount,
    /// expires_on, remaining, effective_date`, then the points given back to it by entries dated after that day (the
    /// negative allocations a reversal writes: a refund, a cancelled booking; found by `lot_allocations_by_lot`, and
    /// almost always 0). `TimeBankStore.datedLot(_:account:on:)` reads the row into a `Lot`.
    static let datedLotColumns = """
        l.id, l.entry, l.idx, l.amount, l.expires_on, l.remaining, e.effective_date,
        coalesce((SELECT -sum(a.amount) FROM lot_allocations a JOIN entries g ON g.sequence = a.entry
                  WHERE a.lot = l.id AND a.amount < 0 AND g.effective_date > ?2), 0)
        """
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

// SQLite must copy bound text and blobs: the Swift buffers do not outlive the call.
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// Binding one parameter at a time, for the hot statements: no `[SQLiteValue]` array, no enum boxing of each value.
/// Parameters are numbered from 1. Each returns the statement, so that calls chain.
extension SQLiteStatement {
    @discardableResult
    func bind(_ index: Int32, _ value: Int64) throws(SQLiteError) -> SQLiteStatement {
        try check(sqlite3_bind_int64(handle, index, value))
    }

    @discardableResult
    func bind(_ index: Int32, _ value: Int64?) throws(SQLiteError) -> SQLiteStatement {
        guard let value else { return try check(sqlite3_bind_null(handle, index)) }
        return try check(sqlite3_bind_int64(handle, index, value))
    }

    @discardableResult
    func bind(_ index: Int32, _ text: String) throws(SQLiteError) -> SQLiteStatement {
        var text = text
        // Bound with its length from the UTF-8 buffer: no NUL-terminated copy, no strlen.
        return try check(text.withUTF8 { bindText(index, $0) })
    }

    /// Binds UTF-8 bytes as text, with their length (text built as bytes needs no String).
    @discardableResult
    func bind(_ index: Int32, utf8 bytes: UnsafeBufferPointer<UInt8>) throws(SQLiteError) -> SQLiteStatement {
        try check(bindText(index, bytes))
    }

    private func bindText(_ index: Int32, _ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        bytes.withMemoryRebound(to: CChar.self) { text in
            guard let base = text.baseAddress else { return sqlite3_bind_text(handle, index, "", 0, transient) }
            return sqlite3_bind_text(handle, index, base, Int32(text.count), transient)
        }
    }

    @discardableResult
    func bind(_ index: Int32, _ text: String?) throws(SQLiteError) -> SQLiteStatement {
        guard let text else { return try check(sqlite3_bind_null(handle, index)) }
        return try bind(index, text)
    }

    @discardableResult
    func bind(_ index: Int32, blob bytes: [UInt8]) throws(SQLiteError) -> SQLiteStatement {
        let code = bytes.withUnsafeBytes { buffer in
            sqlite3_bind_blob(handle, index, buffer.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(buffer.count), transient)
        }
        return try check(code)
    }

    @discardableResult
    func bindNull(_ index: Int32) throws(SQLiteError) -> SQLiteStatement {
        try check(sqlite3_bind_null(handle, index))
    }

    private func check(_ code: Int32) throws(SQLiteError) -> SQLiteStatement {
        guard code == SQLITE_OK else { throw failure(code) }
        return self
    }
}

/// The text forms of dates and times that a batch writes over and over (most entries of a batch share their
/// date and their lot expiry), kept so that each is formatted once.
struct DateTextCache {
    private var dates: [LocalDate: String] = [:]

    mutating func text(_ date: LocalDate) -> String {
        if let known = dates[date] { return known }
        let text = date.description
        if dates.count > 4_096 { dates.removeAll(keepingCapacity: true) }
        dates[date] = text
        return text
    }
}
