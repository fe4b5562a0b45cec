import TimeBankCore

/// Keeping `withdrawn_records` (migration 16) as reversals are written, and checking it against the ledger (V020).
extension TimeBankStore {
    /// The posted record whose award or penalty entry is `sequence`, found from the entry's key (`RecordEntryKey`), or nil
    /// when the entry is no record's.
    ///
    /// The key is read rather than `record_scores` searched by entry: an index on `award_entry` would cost every posted
    /// record two more b-tree writes, and reversals are rare. The score row must name the entry.
    func recordPosted(as sequence: Int64, key: String) throws -> Int64? {
        guard let named = RecordEntryKey.parse(key) else { return nil }
        return try database.statement("""
            SELECT s.record FROM records r JOIN record_scores s ON s.record = r.number
            WHERE r.source = ?1 AND r.id = ?2 AND (s.award_entry = ?3 OR s.penalty_entry = ?3)
            """).bind(.text(named.source), .text(named.id), .integer(sequence)).first { $0.int64(0) }
    }

    /// After a reversal of entry `reversed` (whose key is `key`) is written in the caller's transaction: its record,
    /// if it has one, goes into `withdrawn_records` once none of its entries stands.
    func noteWithdrawalLocked(reversed: Int64, key: String) throws {
        guard let record = try recordPosted(as: reversed, key: key) else { return }
        try database.statement("""
            INSERT OR IGNORE INTO withdrawn_records(record)
            SELECT s.record FROM record_scores s WHERE s.record = ?1 AND \(WithdrawnRecordsSQL.derived("s"))
            """).bind(.integer(record)).run()
    }

    /// The differences between `withdrawn_records` and what the decisions and the ledger say (V020): a record kept as
    /// withdrawn that is not, and a record withdrawn (by an admin, or every entry of it reversed) that is not kept.
    /// Reads the kept rows, the admins' withdrawals and the reversals of record entries, not every posted record.
    func withdrawnRecordProblems() throws -> [String] {
        var problems: [String] = []
        func named(_ record: Int64) throws -> String {
            try database.statement("SELECT source || ':' || id FROM records WHERE number = ?").bind(.integer(record))
                .first({ $0.text(0) }) ?? "number \(record)"
        }
        let kept = Set(try database.statement("SELECT record FROM withdrawn_records").rows({ $0.int64(0) }))
        for record in kept.sorted() {
            let holds = try database.statement("""
                SELECT \(WithdrawnRecordsSQL.derived("s")) FROM record_scores s WHERE s.record = ?1
                """).bind(.integer(record)).first({ $0.int64(0) != 0 }) ?? false
            if !holds {
                problems.append("record \(try named(record)) is kept as withdrawn, but an entry of it still stands and no admin withdrew it")
            }
        }
        var expected = Set(try database.statement("SELECT record FROM record_withdrawals").rows({ $0.int64(0) }))
        let reversedRecordEntries = try database.statement("""
            SELECT o.sequence, o.key FROM entries x JOIN entries o ON o.sequence = x.reverses
            WHERE x.reverses IS NOT NULL AND o.key LIKE 'record:%'
            """).rows({ (sequence: $0.int64(0), key: $0.text(1)) })
        for entry in reversedRecordEntries {
            guard let record = try recordPosted(as: entry.sequence, key: entry.key), !expected.contains(record) else { continue }
            let holds = try database.statement("""
                SELECT \(WithdrawnRecordsSQL.derived("s")) FROM record_scores s WHERE s.record = ?1
                """).bind(.integer(record)).first({ $0.int64(0) != 0 }) ?? false
            if holds { expected.insert(record) }
        }
        for record in expected.subtracting(kept).sorted() {
            problems.append("record \(try named(record)) is withdrawn (every entry of it reversed, or an admin withdrew it), but withdrawn_records does not keep it")
        }
        return problems
    }
}
