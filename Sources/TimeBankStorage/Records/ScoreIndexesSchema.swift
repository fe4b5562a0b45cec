/// Migration 8: less work per row written by an import, a settlement and a station.
///
/// - `record_scores` was indexed by account, by holder and by volunteer: three index entries per record, rewritten by
///   every settlement chunk for every account it touched. Now the holder index covers only the scores that carry
///   once-only bonuses (the only question asked by holder), and a volunteer's totals are read through
///   `records_by_volunteer`, which the import writes anyway.
/// - CHECK constraints of the form `column IN ('a','b','c')` on tables written a row at a time (records, stock
///   movements and operations, hold endings, accounts) are rewritten as comparisons joined by OR, which accept the same
///   values: SQLite builds a temporary b-tree for such an `IN` list on every one-row INSERT (about a third of the
///   SQLite work of importing a record).
enum ScoreIndexesSchema {
    static let migration = Migration(version: 8, name: "fewer indexes and cheaper checks per row", sql: """
    DROP INDEX record_scores_by_holder;
    DROP INDEX record_scores_by_volunteer;
    CREATE INDEX record_scores_once_bonuses ON record_scores(holder) WHERE once_bonuses <> '';
    """, checkRewrites: [
        .inList(table: "records", column: "status", values: ["pending", "approved", "rejected"]),
        .inList(table: "records", column: "response_level", values: ["I", "II", "III"], nullable: true),
        .inList(table: "stock_movements", column: "kind", values: ["receive", "adjust", "move_out", "move_in", "redeem", "refund"]),
        .inList(table: "stock_movements", column: "reason", values: ["damaged", "lost", "count-correction"], nullable: true),
        .inList(table: "stock_operations", column: "kind", values: ["receive", "adjust", "move"]),
        .inList(table: "hold_endings", column: "state", values: ["fulfilled", "cancelled", "expired"]),
        .inList(table: "accounts", column: "kind", values: ["volunteer", "household", "station", "fund", "system"]),
    ])
}
