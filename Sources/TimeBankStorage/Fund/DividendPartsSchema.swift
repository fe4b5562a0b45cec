/// Migration 9: a dividend to more than 999 households is paid in several ledger entries (an entry holds at most
/// 1,000 postings, one of them the fund's). `dividends.entry` stays the first; `entry_count` says how many followed
/// it, consecutive in the ledger (keys `fund:KEY`, `fund:KEY:2`…). Dividends paid before were one entry each.
enum DividendPartsSchema {
    static let migration = Migration(version: 9, name: "dividends paid in several entries", sql: """
    ALTER TABLE dividends ADD COLUMN entry_count INTEGER NOT NULL DEFAULT 1 CHECK (entry_count >= 1);
    """)
}
