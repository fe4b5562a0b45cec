/// Migration 7: where the last settlement's reconciliation ended, so that the next one verifies only what
/// came after it (issue: "chain and balances verified since the last settlement"); the awards per account
/// and day that the scorer's cap windows sum; a posted record's explanation in one row; and the indexes that reports, dividends, stock and the
/// incremental check read by.
enum ReconciliationSchema {
    static let migration = Migration(version: 7, name: "reconciliation checkpoint, award days, read indexes", sql: """
    -- One row: the last entry a settlement's reconciliation verified, its hash, and the last lot and stock
    -- movement that existed then. The next reconciliation starts the chain from this hash and the running
    -- balances from reconciled_balances. `timebank verify` ignores both and checks everything.
    CREATE TABLE reconciliation_checkpoint (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        date TEXT NOT NULL,
        sequence INTEGER NOT NULL,
        hash BLOB NOT NULL,
        last_lot INTEGER NOT NULL,
        last_movement INTEGER NOT NULL
    ) STRICT;
    -- Every balance as the checkpoint's reconciliation recomputed it from the postings.
    CREATE TABLE reconciled_balances (
        account INTEGER NOT NULL,
        asset TEXT NOT NULL,
        balance INTEGER NOT NULL,
        PRIMARY KEY (account, asset)
    ) STRICT, WITHOUT ROWID;

    -- Points awarded to a volunteer or household per day: award entries on their date, reversals of awards
    -- taken off on the award's date. Written with each such entry; `verify` recomputes it from the ledger.
    -- The scorer's day, week and month caps sum a window of it instead of the account's every posting.
    CREATE TABLE award_days (
        account INTEGER NOT NULL REFERENCES accounts(number),
        day TEXT NOT NULL,
        amount INTEGER NOT NULL,
        PRIMARY KEY (account, day)
    ) STRICT, WITHOUT ROWID;
    INSERT INTO award_days(account, day, amount)
    SELECT account, day, sum(amount) FROM (\(awardDaysFromLedger)) GROUP BY account, day;

    -- A posted record's explanation in one row (record_score_steps keeps those posted before this migration):
    -- each line's rule, text, effect and running total, each field written as its UTF-8 length, ':' and the text.
    CREATE TABLE record_score_explanations (
        record INTEGER PRIMARY KEY REFERENCES record_scores(record),
        lines TEXT NOT NULL
    ) STRICT;
    CREATE TRIGGER record_score_explanations_append_only_update BEFORE UPDATE ON record_score_explanations
        BEGIN SELECT RAISE(ABORT, 'posted explanations are never changed'); END;
    CREATE TRIGGER record_score_explanations_append_only_delete BEFORE DELETE ON record_score_explanations
        BEGIN SELECT RAISE(ABORT, 'posted explanations are never deleted'); END;

    -- A lot's allocations, for checking the lots an entry after the checkpoint drew from.
    CREATE INDEX lot_allocations_by_lot ON lot_allocations(lot);
    -- The movements of one stock operation (a replayed receive, adjust or move).
    CREATE INDEX stock_movements_by_operation ON stock_movements(operation) WHERE operation IS NOT NULL;
    -- Entries of a day or period: daily reports, rankings, dividends, the fund report.
    CREATE INDEX entries_by_date ON entries(effective_date);
    """)
}

extension ReconciliationSchema {
    /// Every posting that `award_days` sums, as (account, day, amount): to volunteers and households, of award
    /// entries on their date and of reversals of awards on the award's date.
    static let awardDaysFromLedger = """
        SELECT p.account AS account, e.effective_date AS day, p.amount AS amount
        FROM entries e JOIN postings p ON p.entry = e.sequence JOIN accounts a ON a.number = p.account
        WHERE e.kind = 'award' AND p.asset = 'POINTS' AND a.kind IN ('volunteer', 'household')
        UNION ALL
        SELECT p.account, o.effective_date, p.amount
        FROM entries e JOIN entries o ON o.sequence = e.reverses JOIN postings p ON p.entry = e.sequence
        JOIN accounts a ON a.number = p.account
        WHERE e.kind = 'reversal' AND o.kind = 'award' AND p.asset = 'POINTS' AND a.kind IN ('volunteer', 'household')
        """
}
