import TimeBankCore

extension TimeBankStore {
    /// Records goods delivered to a station and pays their cost from the fund (`fund:main` → `system:outside`,
    /// CNY, kind `fund`) in the same transaction. Idempotent by key (K006 for other content).
    /// Refused: O003/O004, K001 for a quantity ≤ 0, R005/R019 for unknown ids, K004 for a service, K007 for a bad cost,
    /// F016 when the request `needsReasonWhenFundShort`, gives no reason and the cost is more than the fund holds.
    @discardableResult
    public func receiveStock(_ request: StockReceiveRequest, by session: OperatorSession) throws -> StockOperationOutcome {
        try requireSignedInHere(session)
        try checkAccess(session, .receiveStock, atTyped: request.station)
        try Self.validateClientKey(request.key)
        try Self.validateStockQuantity(request.quantity, positive: true)
        try RedemptionRules.validateLine(request.supplierNote, field: "supplier note", allowEmpty: true, maximum: 200)
        try RedemptionRules.validateLine(request.fundShortfallReason, field: "reason", allowEmpty: true, maximum: 150)
        if let cost = request.unitCost, cost < 0 { throw StockError.invalidCost(Hundredths.format(cost), problem: "is negative") }
        if let cost = request.unitCost, cost > Hundredths.maximumMagnitude {
            throw StockError.costTooLarge(unitCost: cost, quantity: request.quantity)
        }
        return try writeTransaction {
            var request = request
            request.item = try itemID(request.item, on: request.date)
            if let existing = try storedDelivery(request) { return existing }
            try Self.validateNewClientKey(request.key, names: .other)
            try refuseStockCountKey(request.key)
            let item = try requireItem(request.item, in: try counterPolicy(on: request.date).policy)
            guard item.kind == .goods else { throw StockError.notStocked(item: item.id) }
            let station = try requireStation(request.station)
            let unitCost = try Self.unitCost(of: request, item: item)
            let (total, overflow) = unitCost.multipliedReportingOverflow(by: Int64(request.quantity))
            guard !overflow, total <= Hundredths.maximumMagnitude else {
                throw StockError.costTooLarge(unitCost: unitCost, quantity: request.quantity)
            }
            var entry: Entry?
            if total > 0 {
                let reason = FundName.normalized(request.fundShortfallReason)   // trimmed: blank is no reason
                if request.needsReasonWhenFundShort, reason.isEmpty {
                    let balance = try self.balance(.fund, .cny)
                    guard total <= balance else {
                        throw FundError.paymentExceedsFund(cost: total, balance: balance,
                                                           detail: "\(request.quantity) × \(Hundredths.format(unitCost)) CNY for \(item.id)")
                    }
                }
                let supplier = request.supplierNote.isEmpty ? "" : " 供应商 \(request.supplierNote)"
                var memo = Self.memo("进货", item: item, quantity: request.quantity, station: station.id, key: request.key)
                    + " @\(Hundredths.format(unitCost)) CNY" + supplier + (reason.isEmpty ? "" : " 超支原因 \(reason)")
                if memo.unicodeScalars.count > LedgerRules.memoLengthMaximum {
                    memo = String(String.UnicodeScalarView(memo.unicodeScalars.prefix(LedgerRules.memoLengthMaximum)))
                }
                entry = try appendStationEntry(.move(
                    key: EngineKey.stockDelivery.key(request.key), kind: .fund, date: request.date, actor: session.operatorID, memo: memo,
                    from: .fund, to: .outside, asset: .cny, amount: total))
            }
            let operation = try insertStockOperation(key: request.key, kind: "receive", digest: request.contentDigest, entry: entry?.sequence,
                                                     actor: session.operatorID, date: request.date)
            try insertStockMovement(station: station.id, item: item.id, quantity: request.quantity, kind: .receive, reason: nil,
                                    unitCost: unitCost, note: request.supplierNote, operation: operation, receipt: nil,
                                    actor: session.operatorID, date: request.date, recordedAt: clock.now())
            return try stockOperationOutcome(number: operation, isNew: true)
        }
    }

    /// The cost of one unit a delivery pays: the one given, else the catalog's (0 when it has none).
    static func unitCost(of request: StockReceiveRequest, item: PolicyCatalogItem) throws -> Int64 {
        if let given = request.unitCost { return given }
        guard let catalogCost = item.unitCost else { return 0 }
        guard let value = try? catalogCost.hundredths() else { throw StockError.invalidCost(catalogCost.description) }
        return value
    }

    /// The delivery stored under the request's key, when it is this one: the same content, or the same content but for
    /// the unit cost given on one of the two and left to the catalog on the other, where the catalog's equals the one
    /// paid (`--unit-cost 10.00` on a retry of a delivery sent without it, at a catalog cost of 10.00). K006 otherwise.
    func storedDelivery(_ request: StockReceiveRequest) throws -> StockOperationOutcome? {
        do {
            return try stockOperation(key: request.key, digest: request.contentDigest)
        } catch let refusal as StockError {
            guard let (number, stored) = try database.statement("SELECT number, content_digest FROM stock_operations WHERE key = ? AND kind = 'receive'")
                .bind(.text(request.key)).first({ ($0.int64(0), $0.blob(1)) }) else { throw refusal }
            let outcome = try stockOperationOutcome(number: number, isNew: false)
            guard outcome.movements.count == 1, let paid = outcome.movements[0].unitCost else { throw refusal }
            var other = request
            other.unitCost = request.unitCost == nil ? paid : nil
            guard other.contentDigest == stored else { throw refusal }
            guard let item = try? requireItem(request.item, in: try counterPolicy(on: request.date).policy),
                  (try? Self.unitCost(of: request, item: item)) == paid else { throw refusal }
            return outcome
        }
    }

    /// Corrects a station's stock with a reason: damaged and lost take stock away, a count correction goes
    /// either way. Refused: K002 when the sign does not fit the reason, K003 when it would leave less than 0.
    @discardableResult
    public func adjustStock(_ request: StockAdjustRequest, by session: OperatorSession) throws -> StockOperationOutcome {
        try requireSignedInHere(session)
        try checkAccess(session, .adjustStock, atTyped: request.station)
        try Self.validateClientKey(request.key)
        try Self.validateStockQuantity(request.quantity, positive: false)
        guard request.reason.allows(quantity: request.quantity) else {
            throw StockError.invalidReason("\(request.reason.rawValue) only takes stock away: give a negative quantity (count-correction goes either way)")
        }
        try RedemptionRules.validateLine(request.note, field: "note", allowEmpty: true, maximum: 200)
        return try writeTransaction {
            // By id or label, resolved before the fingerprint (an item dropped from the catalog by its id).
            var request = request
            request.item = try itemID(request.item, on: request.date, stocked: true)
            if let existing = try stockOperation(key: request.key, digest: request.contentDigest) { return existing }
            try Self.validateNewClientKey(request.key, names: .other)
            try refuseStockCountKey(request.key)
            let item = try stockedGoods(request.item, on: request.date)
            let station = try requireStation(request.station)
            let operation = try insertAdjustment(request, item: item, station: station.id, actor: session.operatorID)
            return try stockOperationOutcome(number: operation, isNew: true)
        }
    }

    /// Writes an adjustment inside the caller's transaction, after its key, item and station were checked: K003 when it
    /// would leave less than 0 on any day from its date on. `stock adjust` and each correction of a stocktake go through it.
    func insertAdjustment(_ request: StockAdjustRequest, item: String, station: String, actor: String) throws -> Int64 {
        try checkAdjustmentFits(request, item: item, station: station)
        let operation = try insertStockOperation(key: request.key, kind: "adjust", digest: request.contentDigest, entry: nil,
                                                 actor: actor, date: request.date)
        try insertStockMovement(station: station, item: item, quantity: request.quantity, kind: .adjust, reason: request.reason,
                                unitCost: nil, note: request.note, operation: operation, receipt: nil,
                                actor: actor, date: request.date, recordedAt: clock.now())
        return operation
    }

    /// K003 when the adjustment would leave less than 0 on any day from its date on (a stocktake's dry run asks it alone).
    func checkAdjustmentFits(_ request: StockAdjustRequest, item: String, station: String) throws {
        let onHand = try stockOnHand(station: station, item: item, on: request.date)
        guard onHand.available + request.quantity >= 0 else {
            throw StockError.insufficientStock(item: item, station: station, onHand: onHand.available, change: request.quantity,
                                               since: onHand.arrivedLater)
        }
    }

    /// Sends goods from one station to another: the move out and the move in are one operation, written
    /// together or not at all. The operator must work at the sending station (or be an admin).
    @discardableResult
    public func moveStock(_ request: StockMoveRequest, by session: OperatorSession) throws -> StockOperationOutcome {
        try requireSignedInHere(session)
        // Goods are sent by the sending station: an operator of the receiving one asks that station to send them.
        // A sending station typed by its name is told its id, as at the counter (not "the shelf belongs to station 第一兑换站").
        if try station(request.from) == nil, try stationNamed(request.from) != nil {
            try checkAccess(session, .moveStock, atTyped: request.from)
        }
        try Self.checkStation(session, .moveStock, of: "the shelf the goods leave", at: request.from)
        try Self.validateClientKey(request.key)
        try Self.validateStockQuantity(request.quantity, positive: true)
        guard request.from != request.to else { throw StockError.sameStation(request.from) }
        try RedemptionRules.validateLine(request.note, field: "note", allowEmpty: true, maximum: 200)
        return try writeTransaction {
            // By id or label, resolved before the fingerprint (an item dropped from the catalog by its id).
            var request = request
            request.item = try itemID(request.item, on: request.date, stocked: true)
            if let existing = try stockOperation(key: request.key, digest: request.contentDigest) { return existing }
            try Self.validateNewClientKey(request.key, names: .other)
            try refuseStockCountKey(request.key)
            let item = try stockedGoods(request.item, on: request.date)
            let from = try requireStation(request.from), to = try requireStation(request.to)
            // The note is written after `to S02: ` on the way out and `from S01: ` on the way in: each within a stock note's 200 characters.
            let outWords = "to \(to.id): ", inWords = "from \(from.id): "
            try RedemptionRules.validateNote(request.note, after: outWords.unicodeScalars.count > inWords.unicodeScalars.count ? outWords : inWords)
            let onHand = try stockOnHand(station: from.id, item: item, on: request.date)
            guard onHand.available >= request.quantity else {
                throw StockError.insufficientStock(item: item, station: from.id, onHand: onHand.available, change: -request.quantity,
                                                   since: onHand.arrivedLater)
            }
            let operation = try insertStockOperation(key: request.key, kind: "move", digest: request.contentDigest, entry: nil,
                                                     actor: session.operatorID, date: request.date)
            let now = clock.now()
            try insertStockMovement(station: from.id, item: item, quantity: -request.quantity, kind: .moveOut, reason: nil, unitCost: nil,
                                    note: request.note.isEmpty ? "to \(to.id)" : outWords + request.note, operation: operation,
                                    receipt: nil, actor: session.operatorID, date: request.date, recordedAt: now)
            try insertStockMovement(station: to.id, item: item, quantity: request.quantity, kind: .moveIn, reason: nil, unitCost: nil,
                                    note: request.note.isEmpty ? "from \(from.id)" : inWords + request.note, operation: operation,
                                    receipt: nil, actor: session.operatorID, date: request.date, recordedAt: now)
            return try stockOperationOutcome(number: operation, isNew: true)
        }
    }

    /// Units of an item a write dated `date` may take from a station: the least the station holds at the end of any day
    /// from `date` on, counting movements by their dates, so that no day's stock goes below zero (goods that arrived
    /// after `date` cannot be handed out on it). For a write dated today, the level now.
    public func stockAvailable(station: String, item: String, on date: LocalDate) throws -> Int {
        try stockOnHand(station: station, item: item, on: date).available
    }

    /// `stockAvailable` and the level now, read together; `arrivedLater` is the shelf from `date` on when the level now
    /// is more (goods arrived after it), for a refusal to say so, name the day it held least and the first day that
    /// would do.
    func stockOnHand(station: String, item: String, on date: LocalDate) throws -> (available: Int, now: Int, arrivedLater: ShelfDays?) {
        let now = try stockLevel(station: station, item: item)
        var level = now
        var days: [ShelfDays.Day] = []
        // Walking back from now: before each later day's movements, the level was lower (or higher) by their sum.
        let later = try database.statement("""
            SELECT effective_date, sum(quantity) FROM stock_movements WHERE station = ? AND item = ? AND effective_date > ?
            GROUP BY effective_date ORDER BY effective_date DESC
            """).bind(.text(station), .text(item), .text(date.description))
        while try later.step() {
            guard let day = LocalDate(later.text(0)) else { throw StoredDataError(sequence: nil, detail: "a stock movement has an unreadable date")  }
            days.append(ShelfDays.Day(day: day, held: level))
            level -= Int(later.int64(1))
        }
        days.append(ShelfDays.Day(day: date, held: level))
        let shelf = ShelfDays(days: days.reversed())
        let lowest = shelf.least.held
        return (lowest, now, now > lowest ? shelf : nil)
    }

    /// Units of an item at a station (0 when it never had any).
    public func stockLevel(station: String, item: String) throws -> Int {
        Int(try database.statement("SELECT quantity FROM stock_levels WHERE station = ? AND item = ?")
            .bind(.text(station), .text(item)).first { $0.int64(0) } ?? 0)
    }

    /// Stock levels by station and item; of one station when given.
    public func stockLevels(station: String? = nil) throws -> [StockLevel] {
        let statement = station == nil
            ? try database.statement("SELECT station, item, quantity FROM stock_levels ORDER BY station, item")
            : try database.statement("SELECT station, item, quantity FROM stock_levels WHERE station = ? ORDER BY item").bind(.text(station!))
        return try statement.rows { StockLevel(station: $0.text(0), item: $0.text(1), quantity: Int($0.int64(2))) }
    }

    /// Stock levels at the end of `date`: the sums of the movements dated on or before it (stock history is append-only and
    /// every level is the sum of its movements, so this is what the shelf held that evening, with paper receipts typed in
    /// later counted on their own days). Of one station when given; items with no movement by then are left out.
    public func stockLevels(station: String? = nil, asOf date: LocalDate) throws -> [StockLevel] {
        var sql = "SELECT station, item, sum(quantity) FROM stock_movements WHERE effective_date <= ?"
        var values: [SQLiteValue] = [.text(date.description)]
        if let station { sql += " AND station = ?"; values.append(.text(station)) }
        sql += " GROUP BY station, item ORDER BY station, item"
        return try database.statement(sql).bind(values).rows { StockLevel(station: $0.text(0), item: $0.text(1), quantity: Int($0.int64(2))) }
    }

    /// The stock history, oldest first: of one station and/or item when given; the newest `limit` movements.
    public func stockMovements(station: String? = nil, item: String? = nil, limit: Int = 1_000) throws -> [StockMovement] {
        var conditions: [String] = []
        var values: [SQLiteValue] = []
        if let station { conditions.append("station = ?"); values.append(.text(station)) }
        if let item { conditions.append("item = ?"); values.append(.text(item)) }
        values.append(.integer(Int64(max(0, limit))))
        let sql = "SELECT * FROM (SELECT " + Self.movementColumns + " FROM stock_movements"
            + (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")) + " ORDER BY id DESC LIMIT ?) ORDER BY id"
        return try database.statement(sql).bind(values).rows(Self.movementRow)
    }

    // MARK: Helpers

    static func validateStockQuantity(_ quantity: Int, positive: Bool) throws {
        guard quantity != 0, quantity.magnitude <= StockError.quantityMaximum.magnitude, !positive || quantity > 0 else {   // magnitude: abs(Int.min) traps
            throw StockError.invalidQuantity(quantity, signed: !positive)
        }
    }

    /// The stored operation under `key`: its outcome when the content matches, K006 when it does not, nil when new.
    func stockOperation(key: String, digest: [UInt8]) throws -> StockOperationOutcome? {
        guard let (number, stored) = try database.statement("SELECT number, content_digest FROM stock_operations WHERE key = ?")
            .bind(.text(key)).first({ ($0.int64(0), $0.blob(1)) }) else { return nil }
        guard stored == digest else {
            throw StockError.keyReused(key: key, existing: Self.describe(try stockOperationOutcome(number: number, isNew: false)))
        }
        return try stockOperationOutcome(number: number, isNew: false)
    }

    /// What a stored stock operation did, for K006: `stock operation #3 (biscuits +200 received at S01 on 2026-11-10 by
    /// op-zhang, paid from the fund by entry #3042)`, so that an operator who changed a quantity on a retry sees what stands.
    static func describe(_ operation: StockOperationOutcome) -> String {
        var parts: [String] = []
        if let moveOut = operation.movements.first(where: { $0.kind == .moveOut }),
           let moveIn = operation.movements.first(where: { $0.kind == .moveIn }) {
            parts.append("\(moveIn.item) \(moveIn.quantity) moved from \(moveOut.station) to \(moveIn.station)")
        } else {
            for movement in operation.movements {
                let signed = movement.quantity > 0 ? "+\(movement.quantity)" : "\(movement.quantity)"
                let done = movement.kind == .receive ? "received" : "adjusted"
                let reason = movement.reason.map { " (\($0.rawValue))" } ?? ""
                parts.append("\(movement.item) \(signed) \(done) at \(movement.station)\(reason)")
            }
        }
        if let first = operation.movements.first { parts[parts.count - 1] += " on \(first.date) by \(first.actor)" }
        if let entry = operation.entry { parts.append("paid from the fund by entry #\(entry)") }
        return "stock operation #\(operation.number) (" + parts.joined(separator: ", ") + ")"
    }

    func stockOperationOutcome(number: Int64, isNew: Bool) throws -> StockOperationOutcome {
        let movements = try database.statement("SELECT " + Self.movementColumns + " FROM stock_movements WHERE operation = ? ORDER BY id")
            .bind(.integer(number)).rows(Self.movementRow)
        let entry = try database.statement("SELECT entry FROM stock_operations WHERE number = ?").bind(.integer(number)).first { $0.optionalInt64(0) } ?? nil
        var levels: [StockLevel] = []
        for movement in movements {
            levels.append(StockLevel(station: movement.station, item: movement.item,
                                     quantity: try stockLevel(station: movement.station, item: movement.item)))
        }
        return StockOperationOutcome(number: number, isNew: isNew, movements: movements, entry: entry, levelsAfter: levels)
    }

    private func insertStockOperation(key: String, kind: String, digest: [UInt8], entry: Int64?, actor: String, date: LocalDate) throws -> Int64 {
        try database.statement("""
            INSERT INTO stock_operations(key, kind, content_digest, entry, actor, effective_date, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)
            """).bind(.text(key), .text(kind), .blob(digest), entry.map(SQLiteValue.integer) ?? .null, .text(actor),
                      .text(date.description), .text(clock.now().description)).run()
        return database.lastInsertedRowID
    }

    /// Appends one stock movement; the trigger keeps the level (and refuses a level below 0).
    func insertStockMovement(station: String, item: String, quantity: Int, kind: StockMovementKind, reason: StockAdjustmentReason?,
                             unitCost: Int64?, note: String, operation: Int64?, receipt: Int64?, actor: String, date: LocalDate,
                             recordedAt: Timestamp) throws {
        try database.statement("""
            INSERT INTO stock_movements(station, item, quantity, kind, reason, unit_cost, note, operation, receipt, actor,
                                        effective_date, recorded_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).bind(.text(station), .text(item), .integer(Int64(quantity)), .text(kind.rawValue), reason.map { .text($0.rawValue) } ?? .null,
                      unitCost.map(SQLiteValue.integer) ?? .null, .text(note), operation.map(SQLiteValue.integer) ?? .null,
                      receipt.map(SQLiteValue.integer) ?? .null, .text(actor), .text(date.description), .text(recordedAt.description)).run()
    }

    static let movementColumns = "id, station, item, quantity, kind, reason, unit_cost, note, operation, receipt, actor, effective_date, recorded_at"

    static func movementRow(_ row: SQLiteStatement) throws -> StockMovement {
        guard let kind = StockMovementKind(rawValue: row.text(4)), let date = LocalDate(row.text(11)), let recordedAt = Timestamp(row.text(12)) else {
            throw StoredDataError(sequence: nil, detail: "stock movement \(row.int64(0)) has an unreadable field")
        }
        return StockMovement(id: row.int64(0), station: row.text(1), item: row.text(2), quantity: Int(row.int64(3)), kind: kind,
                             reason: row.optionalText(5).flatMap(StockAdjustmentReason.init(rawValue:)), unitCost: row.optionalInt64(6),
                             note: row.text(7), operation: row.optionalInt64(8), receipt: row.optionalInt64(9), actor: row.text(10),
                             date: date, recordedAt: recordedAt)
    }
}
