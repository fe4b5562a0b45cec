import TimeBankCore

extension TimeBankStore {
    /// A stocktake (盘点) at one station: for each line, the level the books give at the end of `request.date` is compared
    /// with the number counted, and a nonzero difference is written as a `count-correction` adjustment of `counted − level`
    /// under the key `KEY/ITEM` (`StockCountRequest.correctionKey`), as `stock adjust` writes one. All lines in one
    /// transaction: every line is checked first, and a bad one writes nothing. The stocktake is kept whole under its key:
    /// the same request again returns it (`isNew` false, no second correction); other content under the key is K006.
    /// `dryRun`: the same checks and table, nothing written (a key stored already returns the stored stocktake).
    ///
    /// Refused: O003/O004 as `stock adjust`; R019 for the station; K010 for no line; `StockCountError.badLines` for bad
    /// lines (R005 unknown item, K004 a service, K008 an item twice, K009 a counted number out of range), each with its row;
    /// K003 when a correction dated back would leave a later day below 0; K006 when the key or a correction's key is taken (by a
    /// stock operation or a stocktake).
    /// An item never stocked at the station is counted like any other (`stock adjust` takes a count-correction of it).
    @discardableResult
    public func countStock(_ request: StockCountRequest, dryRun: Bool = false, by session: OperatorSession) throws -> StockCountOutcome {
        try requireSignedInHere(session)
        try checkAccess(session, .countStock, atTyped: request.station)
        try Self.validateClientKey(request.key)
        try RedemptionRules.validateLine(request.note, field: "note", allowEmpty: true, maximum: 200)
        guard !request.lines.isEmpty else { throw StockCountError.empty }
        let body = { () throws -> StockCountOutcome in
            let policy = try self.counterPolicy(on: request.date).policy
            let lines = try self.resolvedCountLines(request.lines, policy: policy)
            let digest = request.contentDigest(items: lines.map { ($0.item, $0.line.counted) })
            if let stored = try self.stockCount(key: request.key, digest: digest) { return stored }
            try Self.validateNewClientKey(request.key, names: .other)
            try self.refuseStockOperationKey(request.key)
            let station = try self.requireStation(request.station)
            let levels = Dictionary(uniqueKeysWithValues: try self.stockLevels(station: station.id, asOf: request.date).map { ($0.item, $0.quantity) })
            // The stocktake's note is written on each correction after the correction's own words: refused before anything is
            // written (in a dry run too) when the longest of them leaves it too little of a stock note's 200 characters (R020).
            let prefixes = lines.compactMap { line -> String? in
                let expected = levels[line.item] ?? 0
                return line.line.counted == expected ? nil
                    : StockCountRequest.correctionNotePrefix(request.key, counted: line.line.counted, expected: expected)
            }
            if let longest = prefixes.max(by: { $0.unicodeScalars.count < $1.unicodeScalars.count }) {
                try RedemptionRules.validateNote(request.note, after: longest)
            }
            var results: [StockCountResult] = []
            for line in lines {
                let expected = levels[line.item] ?? 0
                var result = StockCountResult(item: line.item, label: line.label, expected: expected, counted: line.line.counted, row: line.line.row)
                if result.difference != 0 {
                    let adjustment = StockAdjustRequest(
                        key: StockCountRequest.correctionKey(request.key, item: line.item), station: station.id, item: line.item,
                        quantity: result.difference, reason: .countCorrection,
                        note: StockCountRequest.correctionNote(request.key, counted: line.line.counted, expected: expected, note: request.note),
                        date: request.date)
                    try Self.validateClientKey(adjustment.key)
                    try self.refuseStockOperationKey(adjustment.key)
                    // A correction is a stock operation: under another stocktake's key it is K006 too (docs/stations.md).
                    if let number = try self.stockCountNumber(key: adjustment.key) {
                        throw StockError.keyReused(key: adjustment.key, existing: try self.describeStockCount(number: number), byStocktake: true)
                    }
                    if dryRun {
                        // The check the write makes (K003 for a correction dated back), without writing.
                        try self.checkAdjustmentFits(adjustment, item: line.item, station: station.id)
                    } else {
                        result.operation = try self.insertAdjustment(adjustment, item: line.item, station: station.id, actor: session.operatorID)
                    }
                }
                results.append(result)
            }
            // The station's other shelves (with a stock movement by the day), not on the sheet: left as they are.
            let counted = Set(lines.map(\.item))
            for (item, level) in levels.sorted(by: { $0.key < $1.key }) where !counted.contains(item) {
                results.append(StockCountResult(item: item, label: policy.catalogItem(item)?.label ?? item, expected: level, counted: nil))
            }
            let now = self.clock.now()
            var outcome = StockCountOutcome(number: nil, key: request.key, station: station.id, date: request.date, actor: session.operatorID,
                                            note: request.note, isNew: true, isDryRun: dryRun, results: results)
            guard !dryRun else { return outcome }
            try self.database.statement("""
                INSERT INTO stock_counts(key, station, content_digest, note, actor, effective_date, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                """).bind(.text(request.key), .text(station.id), .blob(digest), .text(request.note), .text(session.operatorID),
                          .text(request.date.description), .text(now.description)).run()
            let number = self.database.lastInsertedRowID
            let insert = try self.database.statement("""
                INSERT INTO stock_count_lines(count, position, item, label, expected, counted, sheet_row, operation) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for (position, result) in results.enumerated() {
                try insert.bind(.integer(number), .integer(Int64(position + 1)), .text(result.item), .text(result.label),
                                .integer(Int64(result.expected)), result.counted.map { .integer(Int64($0)) } ?? .null,
                                result.row.map { .integer(Int64($0)) } ?? .null, result.operation.map(SQLiteValue.integer) ?? .null).run()
            }
            outcome.number = number
            return outcome
        }
        return dryRun ? try database.readTransaction(body) : try writeTransaction(body)
    }

    /// The stocktake stored under `key`, or nil.
    public func stockCount(key: String) throws -> StockCountOutcome? {
        try stockCountNumber(key: key).map { try storedStockCount(number: $0, isNew: false) }
    }

    /// The stocktakes on record, newest first (at one station, or at every one), at most `limit`: each whole, with its
    /// agreeing and not-counted lines, which no stock movement keeps (`stock counts`).
    public func stockCounts(station: String? = nil, limit: Int = 100) throws -> [StockCountOutcome] {
        let numbers = try database.statement("""
            SELECT number FROM stock_counts WHERE ?1 IS NULL OR station = ?1 ORDER BY number DESC LIMIT ?2
            """).bind(station.map(SQLiteValue.text) ?? .null, .integer(Int64(max(0, limit)))).rows { $0.int64(0) }
        return try numbers.map { try storedStockCount(number: $0, isNew: false) }
    }

    // MARK: Helpers

    /// The lines with their items resolved (an id of the catalog in force, an item stocked before and since dropped from it,
    /// or the exact label of one catalog item), every bad line named with its row and cell.
    private func resolvedCountLines(_ lines: [StockCountLine], policy: Policy) throws -> [(line: StockCountLine, item: String, label: String)] {
        var problems: [(error: CommunityCSV.RowError, original: any TimeBankError)] = []
        var resolved: [(line: StockCountLine, item: String, label: String)] = []
        var firstRow: [String: Int] = [:]
        for (index, line) in lines.enumerated() {
            let row = line.row ?? index + 1
            func fail(_ column: String, _ error: any TimeBankError, help: String? = nil) {
                problems.append((CommunityCSV.RowError(row: row, column: column, reason: error.message, code: error.code, help: help), error))
            }
            if line.counted < 0 || line.counted > StockError.quantityMaximum {
                fail("counted", StockCountError.badCount(typed: String(line.counted), problem: line.counted < 0
                    ? "is negative: a shelf holds 0 or more" : "is more than \(StockError.quantityMaximum), the most one stock operation carries"))
            }
            let typed = line.item.trimmingASCIISpaces()
            // An id, or the exact label of one catalog item (大米 5kg, spaces and full-width forms as typed or not).
            let item: String
            do {
                item = try stockedGoods(typed, in: policy)
            } catch let error as RedemptionError {
                // A sheet names its goods in its own words: the near ones are listed, by id and label (R005's did-you-mean
                // gives one only when it is sure).
                guard case .unknownItem = error else { fail("item", error); continue }
                fail("item", error, help: Self.nearGoods(typed, in: policy))
                continue
            } catch let error as any TimeBankError {
                fail("item", error)
                continue
            }
            if let first = firstRow[item] {
                fail("item", StockCountError.itemTwice(item: item, firstRow: first))
                continue
            }
            firstRow[item] = row
            resolved.append((line, item, policy.catalogItem(item)?.label ?? item))
        }
        guard problems.isEmpty else {
            // One item typed on the command line: its own error (R005 with its did-you-mean, K004 ...), with no row to name.
            if lines.count == 1, lines[0].row == nil, problems.count == 1 { throw problems[0].original }
            throw StockCountError.badLines(problems.map(\.error))
        }
        return resolved
    }

    /// The goods of `policy` whose id or label holds `typed` or is held in it (`rice` for `rice_5kg`, `大米` for `大米 5kg`),
    /// else every goods item: `the catalog's goods: rice_5kg (大米 5kg), biscuits (饼干礼盒)`, at most 10.
    static func nearGoods(_ typed: String, in policy: Policy) -> String {
        let goods = policy.catalog.filter { $0.kind == .goods }
        let reading = StationReference.readingForm(typed).lowercased()
        let near = reading.isEmpty ? [] : goods.filter { item in
            [item.id.lowercased(), StationReference.readingForm(item.label).lowercased()].contains { $0.contains(reading) || reading.contains($0) }
        }
        let shown = (near.isEmpty ? goods : near).prefix(10).map { $0.label == $0.id ? $0.id : "\($0.id) (\($0.label))" }
        return (near.isEmpty ? "the catalog's goods: " : "near it: ") + shown.joined(separator: ", ")
            + (goods.count > 10 && near.isEmpty ? " … (timebank policy show --active)" : "")
    }

    func stockCountNumber(key: String) throws -> Int64? {
        try database.statement("SELECT number FROM stock_counts WHERE key = ?").bind(.text(key)).first { $0.int64(0) }
    }

    /// K006 (with a stocktake's advice) when a stock operation has `key`, naming the operation.
    private func refuseStockOperationKey(_ key: String) throws {
        if let number = try database.statement("SELECT number FROM stock_operations WHERE key = ?").bind(.text(key)).first({ $0.int64(0) }) {
            throw StockError.keyReused(key: key, existing: Self.describe(try stockOperationOutcome(number: number, isNew: false)), byStocktake: true)
        }
    }

    /// K006 for a stock operation whose key is a stocktake's, naming the stocktake.
    func refuseStockCountKey(_ key: String) throws {
        if let number = try stockCountNumber(key: key) {
            throw StockError.keyReused(key: key, existing: try describeStockCount(number: number))
        }
    }

    /// The stored stocktake under `key`: its outcome when the content matches, K006 naming it when not, nil when new.
    private func stockCount(key: String, digest: [UInt8]) throws -> StockCountOutcome? {
        guard let (number, stored) = try database.statement("SELECT number, content_digest FROM stock_counts WHERE key = ?")
            .bind(.text(key)).first({ ($0.int64(0), $0.blob(1)) }) else { return nil }
        guard stored == digest else {
            throw StockError.keyReused(key: key, existing: try describeStockCount(number: number), byStocktake: true)
        }
        return try storedStockCount(number: number, isNew: false)
    }

    /// `stocktake #2 at S01 on 2026-11-30 by op-zhang (rice_5kg 20 → 17, biscuits agreed at 2, 1 item not counted)`, for K006.
    func describeStockCount(number: Int64) throws -> String {
        let count = try storedStockCount(number: number, isNew: false)
        var parts: [String] = count.results.compactMap { result in
            switch result.status {
            case .corrected: "\(result.item) \(result.expected) → \(result.counted ?? 0)"
            case .agrees: "\(result.item) agreed at \(result.expected)"
            case .notCounted: nil
            }
        }
        if !count.notCounted.isEmpty { parts.append("\(count.notCounted.count) item\(count.notCounted.count == 1 ? "" : "s") not counted") }
        return "stocktake #\(number) at \(count.station) on \(count.date) by \(count.actor) (" + parts.joined(separator: ", ") + ")"
    }

    private func storedStockCount(number: Int64, isNew: Bool) throws -> StockCountOutcome {
        guard let head = try database.statement("SELECT key, station, note, actor, effective_date FROM stock_counts WHERE number = ?")
            .bind(.integer(number)).first({ ($0.text(0), $0.text(1), $0.text(2), $0.text(3), $0.text(4)) }),
              let date = LocalDate(head.4) else {
            throw StoredDataError(sequence: nil, detail: "stocktake \(number) is missing or has an unreadable date")
        }
        let results = try database.statement("""
            SELECT item, label, expected, counted, sheet_row, operation FROM stock_count_lines WHERE count = ? ORDER BY position
            """).bind(.integer(number)).rows {
            StockCountResult(item: $0.text(0), label: $0.text(1), expected: Int($0.int64(2)), counted: $0.optionalInt64(3).map { Int($0) },
                             row: $0.optionalInt64(4).map { Int($0) }, operation: $0.optionalInt64(5))
        }
        return StockCountOutcome(number: number, key: head.0, station: head.1, date: date, actor: head.3, note: head.2, isNew: isNew,
                                 isDryRun: false, results: results)
    }
}
