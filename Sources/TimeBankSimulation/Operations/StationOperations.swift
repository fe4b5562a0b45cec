import TimeBankCore
import TimeBankStorage

/// A redemption at a station's counter.
struct RedeemOperation: SimulatedOperation {
    var name: String
    var key: String
    var station: String
    var volunteer: String
    var item: String
    var quantity: Int
    var date: LocalDate
    var session: SessionRef

    var description: String {
        "redeem key=\(key.debugDescription) station=\(station) volunteer=\(volunteer) item=\(item) qty=\(quantity) date=\(date) by \(session)"
    }

    func focus(_ model: SimModel) -> Focus {
        Focus(accounts: [.volunteer(volunteer), .station(station), .fund, SimModel.heldAccount],
              shelves: [StockKey(station: station, item: item)])
    }

    func runEngine(_ engine: EngineDriver) throws -> Outcome {
        let outcome = try engine.store.redeem(RedemptionRequest(key: key, station: station, volunteer: volunteer, item: item,
                                                                quantity: quantity, date: date), by: session.engine(engine))
        let detail = "R\(outcome.receipt.number) #\(outcome.receipt.entry)"
        return .written(detail, isNew: outcome.isNew)
    }

    func runModel(_ model: SimModel) throws(ModelRefusal) -> Outcome {
        try model.redeem(key: key, station: station, volunteer: volunteer, item: item, quantity: quantity, date: date,
                         by: session.model(model)).outcome("R")
    }
}

/// Several items at once at a station's counter: all of them or none.
struct RedeemBasketOperation: SimulatedOperation {
    var name: String
    var key: String
    var station: String
    var volunteer: String
    var lines: [(item: String, quantity: Int)]
    var date: LocalDate
    var session: SessionRef

    var description: String {
        "basket key=\(key.debugDescription) station=\(station) volunteer=\(volunteer) items=\(lines.map { "\($0.item):\($0.quantity)" }.joined(separator: ","))"
            + " date=\(date) by \(session)"
    }

    func focus(_ model: SimModel) -> Focus {
        Focus(accounts: [.volunteer(volunteer), .station(station), .fund, SimModel.heldAccount],
              shelves: lines.map { StockKey(station: station, item: $0.item) })
    }

    func runEngine(_ engine: EngineDriver) throws -> Outcome {
        let outcome = try engine.store.redeem(BasketRequest(key: key, station: station, volunteer: volunteer,
                                                            lines: lines.map { BasketLine(item: $0.item, quantity: $0.quantity) }, date: date),
                                              by: session.engine(engine))
        let last = outcome.receipts[outcome.receipts.count - 1]
        return .written("R\(last.number) #\(last.entry)", isNew: outcome.isNew)
    }

    func runModel(_ model: SimModel) throws(ModelRefusal) -> Outcome {
        try model.redeemBasket(key: key, station: station, volunteer: volunteer, lines: lines, date: date,
                               by: session.model(model)).outcome("R")
    }
}

/// A service booked ahead: the points are held until it is fulfilled, cancelled or lapses.
struct BookOperation: SimulatedOperation {
    var name: String
    var key: String
    var station: String
    var volunteer: String
    var item: String
    var quantity: Int
    var date: LocalDate
    var serviceDate: LocalDate
    /// A lapse time given (`--hold-minutes`); nil: the end of the service day.
    var expiresAt: Timestamp? = nil
    var session: SessionRef

    var description: String {
        "book key=\(key.debugDescription) station=\(station) volunteer=\(volunteer) item=\(item) qty=\(quantity) date=\(date) for \(serviceDate)"
            + (expiresAt.map { " lapsing \($0)" } ?? "") + " by \(session)"
    }

    func focus(_ model: SimModel) -> Focus {
        Focus(accounts: [.volunteer(volunteer), SimModel.heldAccount, .station(station)])
    }

    func runEngine(_ engine: EngineDriver) throws -> Outcome {
        let outcome = try engine.store.book(BookingRequest(key: key, station: station, volunteer: volunteer, item: item, quantity: quantity,
                                                           date: date, serviceDate: serviceDate, expiresAt: expiresAt), by: session.engine(engine),
                                            utcOffsetMinutes: SimModel.utcOffsetMinutes)
        switch outcome {
        case .created(let hold): return .done("B\(hold.number) #\(hold.entry)")
        case .exists(let hold): return .exists("B\(hold.number) #\(hold.entry)")
        }
    }

    func runModel(_ model: SimModel) throws(ModelRefusal) -> Outcome {
        try model.book(key: key, station: station, volunteer: volunteer, item: item, quantity: quantity, date: date,
                       serviceDate: serviceDate, expiresAt: expiresAt, by: session.model(model)).outcome("B")
    }
}

/// A booking fulfilled: the held points go to the station, with a receipt.
struct FulfilOperation: SimulatedOperation {
    var name = "fulfil"
    var hold: Int64
    var date: LocalDate
    var session: SessionRef
    var accounts: [AccountID]

    var description: String { "fulfil B\(hold) date=\(date) by \(session)" }

    func focus(_ model: SimModel) -> Focus { Focus(accounts: accounts + [SimModel.heldAccount, .fund]) }

    func runEngine(_ engine: EngineDriver) throws -> Outcome {
        let outcome = try engine.store.fulfil(hold: hold, by: session.engine(engine), on: date)
        let detail = "R\(outcome.receipt.number) #\(outcome.receipt.entry)"
        return .written(detail, isNew: outcome.isNew)
    }

    func runModel(_ model: SimModel) throws(ModelRefusal) -> Outcome {
        try model.fulfil(hold: hold, on: date, by: session.model(model)).outcome("R")
    }
}

/// A booking cancelled: the held points go back to their lots.
struct CancelOperation: SimulatedOperation {
    var name = "cancel"
    var hold: Int64
    var reason: String
    var date: LocalDate
    var session: SessionRef
    var accounts: [AccountID]

    var description: String { "cancel B\(hold) reason=\(reason.debugDescription) date=\(date) by \(session)" }

    func focus(_ model: SimModel) -> Focus { Focus(accounts: accounts + [SimModel.heldAccount]) }

    func runEngine(_ engine: EngineDriver) throws -> Outcome {
        // Cancelling a cancelled booking changes nothing of it (it may still release other lapsed bookings).
        let wasCancelled = try engine.store.hold(number: hold)?.state == .cancelled
        let cancelled = try engine.store.cancel(hold: hold, reason: reason, by: session.engine(engine), on: date)
        return .written("B\(cancelled.number)", isNew: !wasCancelled)
    }

    func runModel(_ model: SimModel) throws(ModelRefusal) -> Outcome {
        let result = try model.cancel(hold: hold, reason: reason, on: date, by: session.model(model))
        return .written("B\(result.number)", isNew: result.isNew)
    }
}

/// A receipt refunded within the return window.
struct RefundOperation: SimulatedOperation {
    var name: String
    var receipt: Int64
    var reason: String
    var date: LocalDate
    var session: SessionRef
    var accounts: [AccountID]
    var shelves: [StockKey]

    var description: String { "refund R\(receipt) reason=\(reason.debugDescription) date=\(date) by \(session)" }

    func focus(_ model: SimModel) -> Focus { Focus(accounts: accounts + [SimModel.heldAccount, .fund], shelves: shelves) }

    func runEngine(_ engine: EngineDriver) throws -> Outcome {
        let outcome = try engine.store.refund(receipt: receipt, reason: reason, by: session.engine(engine), on: date)
        let refunded = outcome.receipt
        let detail = "R\(refunded.number)" + (refunded.refund.map { " #\($0.entry)" } ?? "")
        return .written(detail, isNew: outcome.isNew)
    }

    func runModel(_ model: SimModel) throws(ModelRefusal) -> Outcome {
        try model.refund(receipt: receipt, reason: reason, on: date, by: session.model(model)).outcome("R")
    }
}

/// Points given to another volunteer, or donated to the community pool.
struct TransferOperation: SimulatedOperation {
    var name: String
    var key: String
    var from: String
    var to: String?
    var points: Int64
    var memo: String
    var date: LocalDate
    var session: SessionRef

    var description: String {
        "\(to == nil ? "donate" : "transfer") key=\(key) from=\(from) to=\(to ?? "pool") points=\(Hundredths.format(points)) date=\(date) by \(session)"
    }

    func focus(_ model: SimModel) -> Focus {
        Focus(accounts: [.volunteer(from), to.map { AccountID.volunteer($0) } ?? SimModel.poolAccount])
    }

    func runEngine(_ engine: EngineDriver) throws -> Outcome {
        let outcome = try engine.store.transfer(TransferRequest(key: key, from: from, to: to, points: points, memo: memo, date: date),
                                                by: session.engine(engine))
        switch outcome {
        case .created(let gift, let entry): return .done("G\(gift.number) #\(entry.sequence)")
        case .exists(let gift, let entry): return .exists("G\(gift.number) #\(entry.sequence)")
        }
    }

    func runModel(_ model: SimModel) throws(ModelRefusal) -> Outcome {
        try model.transfer(key: key, from: from, to: to, points: points, memo: memo, date: date, by: session.model(model)).outcome("G")
    }
}

/// Goods delivered to a station, paid from the fund.
struct ReceiveStockOperation: SimulatedOperation {
    var name: String
    var key: String
    var station: String
    var item: String
    var quantity: Int
    var unitCost: Int64?
    var note: String
    var date: LocalDate
    var session: SessionRef

    var description: String {
        "stock receive key=\(key) station=\(station) item=\(item) qty=\(quantity) cost=\(unitCost.map(Hundredths.format) ?? "catalog") date=\(date) by \(session)"
    }

    func focus(_ model: SimModel) -> Focus { Focus(accounts: [.fund, .outside], shelves: [StockKey(station: station, item: item)]) }

    func runEngine(_ engine: EngineDriver) throws -> Outcome {
        let outcome = try engine.store.receiveStock(StockReceiveRequest(key: key, station: station, item: item, quantity: quantity,
                                                                        unitCost: unitCost, supplierNote: note, date: date),
                                                    by: session.engine(engine))
        return StationResult(number: outcome.number, entry: outcome.entry, isNew: outcome.isNew).outcome("K")
    }

    func runModel(_ model: SimModel) throws(ModelRefusal) -> Outcome {
        try model.receiveStock(key: key, station: station, item: item, quantity: quantity, unitCost: unitCost, note: note, date: date,
                               by: session.model(model)).outcome("K")
    }
}

/// A stock correction with a reason.
struct AdjustStockOperation: SimulatedOperation {
    var name: String
    var key: String
    var station: String
    var item: String
    var quantity: Int
    var reason: StockAdjustmentReason
    var date: LocalDate
    var session: SessionRef

    var description: String {
        "stock adjust key=\(key) station=\(station) item=\(item) qty=\(quantity) reason=\(reason.rawValue) date=\(date) by \(session)"
    }

    func focus(_ model: SimModel) -> Focus { Focus(shelves: [StockKey(station: station, item: item)]) }

    func runEngine(_ engine: EngineDriver) throws -> Outcome {
        let outcome = try engine.store.adjustStock(StockAdjustRequest(key: key, station: station, item: item, quantity: quantity,
                                                                      reason: reason, note: "", date: date), by: session.engine(engine))
        return StationResult(number: outcome.number, entry: outcome.entry, isNew: outcome.isNew).outcome("K")
    }

    func runModel(_ model: SimModel) throws(ModelRefusal) -> Outcome {
        try model.adjustStock(key: key, station: station, item: item, quantity: quantity, reason: reason.rawValue, note: "", date: date,
                              by: session.model(model)).outcome("K")
    }
}

/// Goods sent from one station to another.
struct MoveStockOperation: SimulatedOperation {
    var name: String
    var key: String
    var from: String
    var to: String
    var item: String
    var quantity: Int
    var date: LocalDate
    var session: SessionRef

    var description: String { "stock move key=\(key) \(from)->\(to) item=\(item) qty=\(quantity) date=\(date) by \(session)" }

    func focus(_ model: SimModel) -> Focus {
        Focus(shelves: [StockKey(station: from, item: item), StockKey(station: to, item: item)])
    }

    func runEngine(_ engine: EngineDriver) throws -> Outcome {
        let outcome = try engine.store.moveStock(StockMoveRequest(key: key, from: from, to: to, item: item, quantity: quantity, note: "",
                                                                  date: date), by: session.engine(engine))
        return StationResult(number: outcome.number, entry: outcome.entry, isNew: outcome.isNew).outcome("K")
    }

    func runModel(_ model: SimModel) throws(ModelRefusal) -> Outcome {
        try model.moveStock(key: key, from: from, to: to, item: item, quantity: quantity, note: "", date: date,
                            by: session.model(model)).outcome("K")
    }
}

/// A stocktake (`stock count`): the numbers counted set beside the levels, each difference a count-correction.
struct CountStockOperation: SimulatedOperation {
    var name: String
    var key: String
    var station: String
    var lines: [(item: String, counted: Int)]
    var note: String
    var date: LocalDate
    var dryRun: Bool
    var session: SessionRef

    var description: String {
        "stock count key=\(key) station=\(station) lines=[\(lines.map { "\($0.item)=\($0.counted)" }.joined(separator: ","))]"
            + (note.isEmpty ? "" : " note=\(note)") + " date=\(date)" + (dryRun ? " --dry-run" : "") + " by \(session)"
    }

    var writes: Bool { !dryRun }

    /// Every shelf of the station the model knows and every item on the sheet: a stocktake may correct any of them, and a
    /// dry run or a refusal none.
    func focus(_ model: SimModel) -> Focus {
        let known = model.stockLatestDay.keys.filter { $0.station == station }
        return Focus(shelves: Array(known) + lines.map { StockKey(station: station, item: $0.item) })
    }

    func runEngine(_ engine: EngineDriver) throws -> Outcome {
        let request = StockCountRequest(key: key, station: station,
                                        lines: lines.map { StockCountLine(item: $0.item, counted: $0.counted) }, note: note, date: date)
        let outcome = try engine.store.countStock(request, dryRun: dryRun, by: session.engine(engine))
        let table = outcome.results.map { ModelStockCountLine(item: $0.item, expected: $0.expected, counted: $0.counted, operation: $0.operation) }
        let detail = StockCountResultModel(number: outcome.isDryRun ? nil : outcome.number, isNew: outcome.isNew, lines: table).detail
        return outcome.isDryRun ? .done(detail) : .written(detail, isNew: outcome.isNew)
    }

    /// Each correction of a new stocktake is in the stock history as `stock adjust --reason count-correction` writes one: its
    /// operation, the difference, on the stocktake's day, with the stocktake's key and the numbers in its note.
    func writtenProblems(_ engine: EngineDriver, model: SimModel, outcome: Outcome) throws -> [String] {
        guard case .done = outcome, !dryRun, let stocktake = model.stockCounts[key] else { return [] }
        var problems: [String] = []
        for line in stocktake.lines {
            guard let counted = line.counted, let operation = line.operation else { continue }
            let last = try engine.store.stockMovements(station: station, item: line.item, limit: 1).last
            let note = "盘点 \(key): counted \(counted), expected \(line.expected)" + (self.note.isEmpty ? "" : "; \(self.note)")
            if last?.operation != operation || last?.quantity != counted - line.expected || last?.kind != .adjust
                || last?.reason != .countCorrection || last?.date != date || last?.note != note {
                problems.append("the correction of \(line.item) in the stock history: engine "
                                + (last.map { "K\($0.operation ?? 0) \($0.quantity) \($0.kind) \($0.reason?.rawValue ?? "-") \($0.date) \($0.note)" } ?? "none")
                                + ", model K\(operation) \(counted - line.expected) adjust count-correction \(date) \(note)")
            }
        }
        return problems
    }

    func runModel(_ model: SimModel) throws(ModelRefusal) -> Outcome {
        let result = try model.countStock(key: key, station: station, lines: lines, note: note, date: date, dryRun: dryRun,
                                          by: session.model(model))
        return result.number == nil ? .done(result.detail) : .written(result.detail, isNew: result.isNew)
    }
}
