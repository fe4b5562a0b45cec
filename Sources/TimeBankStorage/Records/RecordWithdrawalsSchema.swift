/// Migration 12: a posted record withdrawn by an admin's decision (`record reject` of a posted record none of whose
/// entries stands in the ledger any more). A record whose entries were all reversed is withdrawn without it (the
/// ledger says so); this table keeps who withdrew it, when and why, and is the only way to withdraw a posted record
/// that has no entry at all (capped to nothing, a broken assessment, a penalty the floor kept whole). See
/// `WithdrawnRecordsSQL` and docs/records.md, "Correcting a posted record".
enum RecordWithdrawalsSchema {
    static let migration = Migration(version: 12, name: "withdrawn records", sql: """
    CREATE TABLE record_withdrawals (
        record INTEGER PRIMARY KEY REFERENCES record_scores(record),
        withdrawn_at TEXT NOT NULL,
        withdrawn_by TEXT NOT NULL,
        reason TEXT NOT NULL
    ) STRICT;
    CREATE TRIGGER record_withdrawals_append_only_update BEFORE UPDATE ON record_withdrawals
        BEGIN SELECT RAISE(ABORT, 'a withdrawal is written once: never updated'); END;
    CREATE TRIGGER record_withdrawals_append_only_delete BEFORE DELETE ON record_withdrawals
        BEGIN SELECT RAISE(ABORT, 'a withdrawal is written once: never deleted'); END;
    """)
}

/// Migration 16: every withdrawn posted record in one table, kept as the ledger and the admins' decisions change, so
/// that the places reading the posted history ask one primary-key probe per record instead of three (the admin's
/// withdrawal, and the reversal of the award and of the penalty). The rows are written by a trigger on
/// `record_withdrawals` and, for reversals, by the posting code (`TimeBankStore.noteWithdrawalLocked`), which finds the
/// record from the reversed entry's key; `verify` recomputes the set from the ledger and the decisions (V020).
/// A record once withdrawn stays withdrawn: reversals and decisions are never undone.
enum WithdrawnRecordsSchema {
    static let migration = Migration(version: 16, name: "withdrawn records kept", sql: """
    CREATE TABLE withdrawn_records (
        record INTEGER PRIMARY KEY REFERENCES record_scores(record)
    ) STRICT;
    CREATE TRIGGER withdrawn_records_append_only_update BEFORE UPDATE ON withdrawn_records
        BEGIN SELECT RAISE(ABORT, 'a withdrawn record stays withdrawn: never updated'); END;
    CREATE TRIGGER withdrawn_records_append_only_delete BEFORE DELETE ON withdrawn_records
        BEGIN SELECT RAISE(ABORT, 'a withdrawn record stays withdrawn: never deleted'); END;
    CREATE TRIGGER record_withdrawals_kept AFTER INSERT ON record_withdrawals
        BEGIN INSERT OR IGNORE INTO withdrawn_records(record) VALUES (NEW.record); END;
    INSERT INTO withdrawn_records(record) SELECT s.record FROM record_scores s WHERE \(WithdrawnRecordsSQL.derived("s"));
    """)
}

/// The SQL conditions "a posted record is withdrawn" and "a posted record stands", over an alias of `record_scores`.
///
/// A posted record is **withdrawn** when nothing of it stands in the ledger any more and so it no longer counts:
/// it has an award or a penalty entry and every entry it has is reversed, or an admin withdrew it (`record_withdrawals`,
/// allowed only when none of its entries stands). Its content, its posted score and its entries stay as they are.
/// Every place that reads the posted history as records (overlaps, a full day, once-only bonuses, assessments once per
/// period, minutes and record counts, star levels, rankings, the categories report) asks the same condition; amounts
/// are read from the entries not reversed (`award_days`, `ReportSupport.notReversed`), so a record whose award alone is
/// reversed adds no points but still counts as a record until its penalty is reversed too.
///
/// The condition is asked of `withdrawn_records` (migration 16), which holds exactly the records `derived` selects.
enum WithdrawnRecordsSQL {
    /// True when the record of the `record_scores` row `alias` is withdrawn.
    static func withdrawn(_ alias: String) -> String {
        "EXISTS (SELECT 1 FROM withdrawn_records w WHERE w.record = \(alias).record)"
    }

    /// True when the record of the `record_scores` row `alias` stands (is not withdrawn).
    static func stands(_ alias: String) -> String {
        "NOT \(withdrawn(alias))"
    }

    /// True when the stored record `recordAlias` (a row of `records`) is not a withdrawn posted record.
    static func recordStands(_ recordAlias: String) -> String {
        "NOT EXISTS (SELECT 1 FROM withdrawn_records ws WHERE ws.record = \(recordAlias).number)"
    }

    /// The definition `withdrawn_records` keeps, worked out from the decisions and the ledger: what migration 16 fills
    /// the table with, and what `verify` checks it against for the records it is asked about (V020).
    static func derived(_ alias: String) -> String {
        "(EXISTS (SELECT 1 FROM record_withdrawals d WHERE d.record = \(alias).record) "
            + "OR ((\(alias).award_entry IS NOT NULL OR \(alias).penalty_entry IS NOT NULL) "
            + "AND (\(alias).award_entry IS NULL OR EXISTS (SELECT 1 FROM entries x WHERE x.reverses = \(alias).award_entry)) "
            + "AND (\(alias).penalty_entry IS NULL OR EXISTS (SELECT 1 FROM entries x WHERE x.reverses = \(alias).penalty_entry))))"
    }
}
