import TimeBankCore

/// One line of a stocktake's table as the model predicts it: the item, the level the books gave at the end of the
/// stocktake's day, the number counted (nil: a stocked item not on the sheet) and the correction's stock operation.
struct ModelStockCountLine: Hashable {
    var item: String
    var expected: Int
    var counted: Int?
    var operation: Int64?

    /// `rice 5→7 K12` (corrected), `soap 3=3` (agrees), `pen 4 -` (not counted).
    var description: String {
        guard let counted else { return "\(item) \(expected) -" }
        if counted == expected { return "\(item) \(expected)=\(counted)" }
        return "\(item) \(expected)→\(counted)" + (operation.map { " K\($0)" } ?? "")
    }
}

/// A stocktake as the model keeps it under its key: what was counted (the fingerprint) and the table it printed.
struct ModelStockCount {
    var number: Int64
    var fingerprint: String
    var lines: [ModelStockCountLine]
}

/// What a stocktake did, as the model predicts it.
struct StockCountResultModel {
    /// Nil for a dry run.
    var number: Int64?
    var isNew: Bool
    var lines: [ModelStockCountLine]

    /// `C3: rice 5→7 K12; soap 3=3; pen 4 -`, or `dry run: ...`: the same text the simulator builds from the engine's answer.
    var detail: String {
        (number.map { "C\($0)" } ?? "dry run") + ": " + lines.map(\.description).joined(separator: "; ")
    }
}

extension SimModel {
    /// The most units one stock operation carries, so the most a stocktake may count (docs/errors.md K009).
    static let countedMaximum = 1_000_000

    /// The key of the correction a stocktake under `key` writes for `item` (docs/stations.md, "Stocktake": `KEY/ITEM`;
    /// written out here, not the engine's `StockCountRequest.correctionKey`).
    static func countCorrectionKey(_ key: String, item: String) -> String { "\(key)/\(item)" }

    /// What a shelf held at the end of `date`: the level now less the movements dated after it.
    func stockLevel(_ shelf: StockKey, atEndOf date: LocalDate) -> Int {
        var level = stock[shelf] ?? 0
        guard let latest = stockLatestDay[shelf], latest > date else { return level }
        var day = latest
        while day > date {
            level -= stockByDay[StockDay(shelf: shelf, day: day)] ?? 0
            day = day.adding(days: -1)
        }
        return level
    }

    /// A stocktake (`stock count`, docs/stations.md "Stocktake"; codes from docs/errors.md): the numbers counted are set
    /// beside the levels at the end of `date`, each difference written as a `count-correction` under `KEY/ITEM`, all lines
    /// together or none. Checked in this order: who (O003, O004), the key (L010), the note (R020), no line (K010); then each
    /// line of the sheet in turn, its count (K009) and its item (R005 unknown, K004 a service, K008 named before), the first
    /// bad line's code refusing all; then the key: a stocktake stored under it with the same content (station, note and what
    /// was counted of each item, in any order) returns its table as it was, other content is K006; a new key with white space
    /// at an edge is L010, one a stock operation took is K006; an unknown station R019; then line by line a correction's
    /// key taken by a stock operation or a stocktake (K006) and a correction dated back that leaves a day from its date on below 0 (K003). A dry run makes the
    /// same checks and writes nothing.
    func countStock(key: String, station: String, lines: [(item: String, counted: Int)], note: String, date: LocalDate,
                    dryRun: Bool, by session: ModelOperator) throws(ModelRefusal) -> StockCountResultModel {
        try Self.checkAccess(session, .countStock, at: station)
        try Self.checkClientKey(key)
        try Self.checkLine(note, allowEmpty: true)
        guard !lines.isEmpty else { throw ModelRefusal("K010") }
        return try transaction { () throws(ModelRefusal) in
            let policy = try requirePolicy(on: date)
            // Every line is read; the first problem on the sheet is the code (a line's count before its item).
            var problems: [String] = []
            var items: [String] = []
            for line in lines {
                if line.counted < 0 || line.counted > Self.countedMaximum { problems.append("K009") }
                let item: String
                do throws(ModelRefusal) {
                    // As `stock adjust` takes an item: goods of the catalog in force, or goods stocked before and since dropped.
                    item = try stockedGoods(line.item, policy: policy)
                } catch {
                    problems.append(error.code)
                    continue
                }
                if items.contains(item) {
                    problems.append("K008")
                    continue
                }
                items.append(item)
            }
            if let first = problems.first { throw ModelRefusal(first) }
            let counts = zip(items, lines.map(\.counted)).map { (item: $0, counted: $1) }
            let fingerprint = "\(station)|\(note)|" + counts.sorted { $0.item < $1.item }.map { "\($0.item)=\($0.counted)" }.joined(separator: ",")
            if let stored = stockCounts[key] {
                guard stored.fingerprint == fingerprint else { throw ModelRefusal("K006") }
                return StockCountResultModel(number: stored.number, isNew: false, lines: stored.lines)
            }
            try Self.checkNewStationKey(key)
            if stockOperations[key] != nil { throw ModelRefusal("K006") }
            guard stations.contains(station) else { throw ModelRefusal("R019") }
            var table: [ModelStockCountLine] = []
            for (item, counted) in counts {
                let shelf = StockKey(station: station, item: item)
                let expected = stockLevel(shelf, atEndOf: date)
                var line = ModelStockCountLine(item: item, expected: expected, counted: counted)
                let difference = counted - expected
                if difference != 0 {
                    let correctionKey = Self.countCorrectionKey(key, item: item)
                    try Self.checkClientKey(correctionKey)
                    // Taken by a stock operation, or by a stocktake: "a stock operation under a stocktake's key is K006 too".
                    if stockOperations[correctionKey] != nil || stockCounts[correctionKey] != nil { throw ModelRefusal("K006") }
                    guard stockAvailable(shelf, on: date) + difference >= 0 else { throw ModelRefusal("K003") }
                    if !dryRun {
                        // Never equal to a `stock adjust`'s fingerprint: the same key sent by `stock adjust` is K006.
                        line.operation = recordStockOperation(correctionKey, "count|\(key)|\(station)|\(item)|\(difference)", entry: nil)
                        moveStock(shelf, by: difference, on: date)
                    }
                }
                table.append(line)
            }
            // The station's other shelves with a movement by `date`, by item: listed, left as they are.
            let others = stockFirstDay.filter { $0.key.station == station && $0.value <= date && !items.contains($0.key.item) }.keys
            for shelf in others.sorted() {
                table.append(ModelStockCountLine(item: shelf.item, expected: stockLevel(shelf, atEndOf: date), counted: nil))
            }
            guard !dryRun else { return StockCountResultModel(number: nil, isNew: true, lines: table) }
            let number = stockCountCount + 1
            set(\.stockCountCount, number)
            update(\.stockCounts, key, ModelStockCount(number: number, fingerprint: fingerprint, lines: table))
            return StockCountResultModel(number: number, isNew: true, lines: table)
        }
    }
}
