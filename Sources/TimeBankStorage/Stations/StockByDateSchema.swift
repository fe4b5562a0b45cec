/// Migration 10: stock movements by date. A station write dated before today may take only what the station held on
/// every day from that date on (`TimeBankStore.stockAvailable(station:item:on:)`), which sums the movements dated after
/// it; this index reads just those.
enum StockByDateSchema {
    static let migration = Migration(version: 10, name: "stock movements by date", sql: """
    CREATE INDEX stock_movements_by_date ON stock_movements(station, item, effective_date);
    """)
}
