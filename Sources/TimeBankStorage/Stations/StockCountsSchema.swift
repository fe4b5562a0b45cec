/// Migration 22: stocktakes (`stock count`). A stocktake is kept whole under its key, with every line as it was found
/// (the level the books gave, what was counted, and the items of the station not counted), so that the same command sent
/// again prints the same table and writes nothing, even though the levels now equal the counted numbers. Each nonzero
/// difference is an `adjust` stock operation of its own (reason `count-correction`, key `KEY/ITEM`), written as
/// `stock adjust` writes one, which the line names. Rows are only added. Only new tables and triggers, each `IF NOT EXISTS`:
/// run again on a store that has them (its `schema_migrations` row lost), it changes nothing.
enum StockCountsSchema {
    static let migration = Migration(version: 22, name: "stocktakes", sql: """
    CREATE TABLE IF NOT EXISTS stock_counts (
        number INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        station TEXT NOT NULL REFERENCES stations(id),
        content_digest BLOB NOT NULL,
        note TEXT NOT NULL,
        actor TEXT NOT NULL,
        effective_date TEXT NOT NULL,
        recorded_at TEXT NOT NULL
    ) STRICT;
    -- One line per item: counted NULL for an item of the station not on the sheet (left as it was).
    CREATE TABLE IF NOT EXISTS stock_count_lines (
        count INTEGER NOT NULL REFERENCES stock_counts(number),
        position INTEGER NOT NULL,
        item TEXT NOT NULL,
        label TEXT NOT NULL,
        expected INTEGER NOT NULL,
        counted INTEGER CHECK (counted IS NULL OR counted >= 0),
        sheet_row INTEGER,
        operation INTEGER REFERENCES stock_operations(number),
        PRIMARY KEY (count, position)
    ) STRICT;
    CREATE TRIGGER IF NOT EXISTS stock_counts_never_updated BEFORE UPDATE ON stock_counts
        BEGIN SELECT RAISE(ABORT, 'stocktakes are append-only: never updated'); END;
    CREATE TRIGGER IF NOT EXISTS stock_counts_never_deleted BEFORE DELETE ON stock_counts
        BEGIN SELECT RAISE(ABORT, 'stocktakes are append-only: never deleted'); END;
    CREATE TRIGGER IF NOT EXISTS stock_count_lines_never_updated BEFORE UPDATE ON stock_count_lines
        BEGIN SELECT RAISE(ABORT, 'stocktake lines are append-only: never updated'); END;
    CREATE TRIGGER IF NOT EXISTS stock_count_lines_never_deleted BEFORE DELETE ON stock_count_lines
        BEGIN SELECT RAISE(ABORT, 'stocktake lines are append-only: never deleted'); END;
    """)
}
