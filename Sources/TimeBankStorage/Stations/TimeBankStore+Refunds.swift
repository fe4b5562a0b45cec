import TimeBankCore

extension TimeBankStore {
    /// Refunds a receipt within the return window: the points go back to the exact lots they came from (the
    /// ledger's reversal of the redemption entry, with the memo `退货 R12 ...`), goods go back to the station's
    /// stock, and a service's slot is freed. A receipt is refunded at most once: the same refund again (same reason) returns
    /// it as `.exists`, decided in the same transaction as the write (two counters sending it at once: one `.created`, one
    /// `.exists`); anything else is R012. R013 after the window, R021 before the redemption. The operator must work at the receipt's station.
    ///
    /// `late`: an admin's refund after the return window (a correction; O003 for anyone else), the same in every other
    /// way: the receipt shows the refund, the goods go back to the shelf, and the ledger memo says it came late.
    ///
    ///     try store.refund(receipt: 12, reason: "米袋破损", by: zhang, on: today)
    @discardableResult
    public func refund(receipt number: Int64, reason: String, by session: OperatorSession, on date: LocalDate,
                       returnWindowDays: Int = RedemptionRules.defaultReturnWindowDays, late: Bool = false) throws -> RedemptionOutcome {
        try requireSignedInHere(session)
        if late { try AccessRules.check(session, .lateRefund) }
        try RedemptionRules.validateLine(reason, field: "reason", allowEmpty: false, maximum: 200)
        return try writeTransaction {
            guard let receipt = try receipt(number: number) else { throw RedemptionError.unknownReceipt("R\(number)") }
            try Self.checkStation(session, .refund, of: "receipt R\(number)", at: receipt.station)
            if let refund = receipt.refund {
                if refund.reason == reason { return .exists(receipt) }
                throw RedemptionError.alreadyRefunded(receipt: number, detail: "on \(refund.refundedOn) by \(refund.operatorID): \(refund.reason)")
            }
            if let by = try reversal(of: receipt.entry) {
                throw RedemptionError.alreadyRefunded(receipt: number, detail: "its entry #\(receipt.entry) was reversed by entry #\(by)")
            }
            guard date >= receipt.redeemedOn else {
                throw RedemptionError.dateBeforeStart(operation: "refund of R\(number)", date: date, earliest: receipt.redeemedOn,
                                                      because: "the redemption")
            }
            let lastDay = RedemptionRules.lastReturnDay(redeemedOn: receipt.redeemedOn, windowDays: returnWindowDays)
            guard date <= lastDay || late else {
                throw RedemptionError.returnWindowClosed(receipt: number, redeemedOn: receipt.redeemedOn, lastDay: lastDay)
            }
            let memo = "退货 R\(number) \(receipt.itemLabel) ×\(receipt.quantity)" + (date > lastDay ? " (late: returns closed \(lastDay))" : "")
                + ": \(reason)"
            let refundEntry = try reverse(sequence: receipt.entry, key: EngineKey.refund.key("R\(number)"), actor: session.operatorID,
                                          memo: memo, on: date, asStationOperation: true).entry
            // A fulfilled booking's points reached the station through system:held: give them back to the lots too.
            var holdEntry: Entry?
            if let holdNumber = receipt.hold, let hold = try hold(number: holdNumber) {
                holdEntry = try reverse(sequence: hold.entry, key: EngineKey.refund.key("B\(holdNumber)"), actor: session.operatorID,
                                        memo: memo, on: date, asStationOperation: true).entry
            }
            try database.statement("""
                INSERT INTO refunds(receipt, reason, operator, station, entry, hold_entry, refunded_on, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """).bind(.integer(number), .text(reason), .text(session.operatorID), .text(receipt.station), .integer(refundEntry.sequence),
                          holdEntry.map { .integer($0.sequence) } ?? .null, .text(date.description),
                          .text(refundEntry.recordedAt.description)).run()
            if receipt.itemKind == .goods {
                try insertStockMovement(station: receipt.station, item: receipt.item, quantity: receipt.quantity, kind: .refund, reason: nil,
                                        unitCost: nil, note: reason, operation: nil, receipt: number,
                                        actor: session.operatorID, date: date, recordedAt: refundEntry.recordedAt)
            }
            return .created(try self.receipt(number: number) ?? receipt)
        }
    }
}
