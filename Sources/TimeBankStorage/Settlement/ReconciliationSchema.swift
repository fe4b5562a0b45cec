/// Migration 7: where the last settlement's reconciliation ended, so that the next one verifies only what
/// came after it (issue: "chain and balances verified since the last settlement"), and the indexes that
/// reports, dividends, stock and the incremental check read by.
enum ReconciliationSchema {
    static let migration = Migration(version: 7, name: "reconciliation checkpoint and read indexes", sql: """
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

    -- A lot's allocations, for checking the lots an entry after the checkpoint drew from.
    CREATE INDEX lot_allocations_by_lot ON lot_allocations(lot);
    -- The movements of one stock operation (a replayed receive, adjust or move).
    CREATE INDEX stock_movements_by_operation ON stock_movements(operation) WHERE operation IS NOT NULL;
    -- Entries of a day or period: daily reports, rankings, dividends, the fund report.
    CREATE INDEX entries_by_date ON entries(effective_date);
    """)
}
