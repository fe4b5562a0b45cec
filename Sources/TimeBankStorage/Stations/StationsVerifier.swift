import TimeBankCore

/// What `verifyStations` recomputed and what it found.
public struct StationsVerificationReport: Sendable {
    public var stockLevelsChecked = 0
    public var receiptsChecked = 0
    public var holdsChecked = 0
    public var problems: [VerificationProblem] = []

    /// True when the check found no problem.
    public var isClean: Bool { problems.isEmpty }
}

extension TimeBankStore {
    /// Recomputes the stations' books from their history and checks them against the ledger, in one snapshot:
    ///
    /// - V201: a stock level differs from the sum of its movements (or is below 0);
    /// - V202: a receipt's ledger entry does not move exactly its points from the payer (or `system:held`) to its station,
    ///   the receipt's operator, day or volunteer is not its entry's actor, date or paying volunteer, or a goods receipt has
    ///   not exactly one stock movement of its quantity, station and item (and one back when refunded); or its key is not
    ///   its entry's (`redeem:KEY`, `fulfil:B7` for a booking's), its item label, quantity and station not those its entry's
    ///   memo names, or its unit price × quantity not its points;
    /// - V203: `system:held` does not hold exactly the points of the bookings that have not ended;
    /// - V204: a refund's entry does not compensate its receipt's entry;
    /// - V205: a station's points differ from what its receipts paid, less their refunds;
    /// - V206: a booking does not match its hold entry (key `hold:KEY`, actor, date, postings, and the memo's item label,
    ///   quantity, station and service day) or its ending's entry (`fulfil:B7` or `release:B7`, actor, date, a cancellation's
    ///   reason), or a fulfilled one's receipt is not the one its ending's entry made.
    public func verifyStations() throws -> StationsVerificationReport {
        try database.readTransaction { try verifyStationsLocked(after: nil) }
    }

    /// The same checks for what changed after `checkpoint` only: the stock of the items with a movement since,
    /// the receipts and refunds whose entries came after it, and `system:held`. Call inside a transaction.
    func verifyStationsLocked(after checkpoint: LedgerCheckpoint?) throws -> StationsVerificationReport {
        var report = StationsVerificationReport()
        func problem(_ code: String, _ message: String, sequence: Int64? = nil) {
            report.problems.append(VerificationProblem(code: code, sequence: sequence, message: message))
        }

        // V201: levels against movements, both ways (after a checkpoint: the items moved since, one by one).
        let levels = if let checkpoint {
            try database.statement("""
                SELECT t.station, t.item, (SELECT sum(m.quantity) FROM stock_movements m WHERE m.station = t.station AND m.item = t.item),
                       coalesce((SELECT l.quantity FROM stock_levels l WHERE l.station = t.station AND l.item = t.item), -1)
                FROM (SELECT DISTINCT station, item FROM stock_movements WHERE id > ?) t
                """).bind(.integer(checkpoint.lastMovement))
        } else {
            try database.statement("""
                SELECT m.station, m.item, sum(m.quantity), coalesce(l.quantity, -1) FROM stock_movements m
                LEFT JOIN stock_levels l ON l.station = m.station AND l.item = m.item GROUP BY m.station, m.item
                UNION ALL
                SELECT l.station, l.item, 0, l.quantity FROM stock_levels l
                WHERE NOT EXISTS (SELECT 1 FROM stock_movements m WHERE m.station = l.station AND m.item = l.item) AND l.quantity <> 0
                """)
        }
        let sums = try levels.rows { ($0.text(0), $0.text(1), $0.int64(2), $0.int64(3)) }
        for (station, item, sum, level) in sums {
            report.stockLevelsChecked += 1
            if level != sum || sum < 0 {
                problem("V201", "stock of \(item) at \(station) is \(level < 0 ? "missing" : String(level)), but its movements add up to \(sum)")
            }
        }

        // V202 and V204: receipts against their entries and movements.
        let receiptRows = if let checkpoint {
            try database.statement(Self.receiptSelect + """
                 WHERE r.number IN (SELECT number FROM receipts WHERE entry > ?1 UNION SELECT receipt FROM refunds WHERE entry > ?1)
                 ORDER BY r.number
                """).bind(.integer(checkpoint.sequence))
        } else {
            try database.statement(Self.receiptSelect + " ORDER BY r.number")
        }
        let receipts = try receiptRows.rows(Self.receiptRow)
        for receipt in receipts {
            report.receiptsChecked += 1
            guard let redemption = try self.entry(sequence: receipt.entry) else {
                problem("V202", "receipt R\(receipt.number) names entry #\(receipt.entry), which does not exist")
                continue
            }
            let payer = receipt.hold == nil ? receipt.paidFrom : Self.heldAccount.id
            let pointsMoved = redemption.postings.filter { $0.asset == .points }
            if redemption.kind != .redemption || pointsMoved.count != 2
                || !pointsMoved.contains(Posting(account: payer, amount: -receipt.points))
                || !pointsMoved.contains(Posting(account: .station(receipt.station), amount: receipt.points)) {
                problem("V202", "receipt R\(receipt.number) (\(Hundredths.format(receipt.points)) \(verificationUnit()) from \(payer) to station:\(receipt.station)) does not match entry #\(redemption.sequence)", sequence: redemption.sequence)
            }
            // The receipt's own rows are outside the hash chain: who redeemed, when, and who paid must be what its entry (in the
            // chain) says, or an edit of `receipts` would move a redemption to another volunteer, day or operator unseen.
            var differs: [String] = []
            if receipt.operatorID != redemption.actor { differs.append("operator \(receipt.operatorID), but the entry's actor is \(redemption.actor)") }
            if receipt.redeemedOn != redemption.effectiveDate {
                differs.append("date \(receipt.redeemedOn), but the entry is dated \(redemption.effectiveDate)")
            }
            if receipt.paidFrom.kind == .volunteer, receipt.paidFrom.owner != receipt.volunteer {
                differs.append("volunteer \(receipt.volunteer), but \(receipt.paidFrom) paid it")
            }
            // Its key, item, quantity and station too: the entry's key is made from the receipt's key (`redeem:KEY`) or its
            // booking's number (`fulfil:B7`), and its memo names the item's label, the quantity and the station (and the key).
            let expectedKey = receipt.hold.map { EngineKey.fulfilment.key("B\($0)") } ?? EngineKey.redemption.key(receipt.key)
            if redemption.key != expectedKey {
                differs.append(receipt.hold == nil ? "key \(receipt.key), but the entry's key is \(redemption.key)"
                               : "booking B\(receipt.hold ?? 0), but the entry's key is \(redemption.key)")
            }
            let expectedMemo = receipt.hold.map {
                Self.fulfilmentMemo(hold: $0, label: receipt.itemLabel, quantity: receipt.quantity, station: receipt.station)
            } ?? Self.memo("兑换", label: receipt.itemLabel, quantity: receipt.quantity, station: receipt.station, key: receipt.key)
            if redemption.memo != expectedMemo {
                differs.append("\(receipt.itemLabel) ×\(receipt.quantity) at \(receipt.station), but the entry's memo is \"\(redemption.memo)\"")
            }
            if receipt.unitPrice.multipliedReportingOverflow(by: Int64(receipt.quantity)) != (receipt.points, false) {
                differs.append("unit price \(Hundredths.format(receipt.unitPrice)) × \(receipt.quantity), but it paid "
                               + Hundredths.format(receipt.points))
            }
            if !differs.isEmpty {
                problem("V202", "receipt R\(receipt.number) names the " + differs.joined(separator: "; the "),
                        sequence: redemption.sequence)
            }
            if receipt.itemKind == .goods {
                // Each movement's station and item too: the receipt's item edited alone would otherwise still match.
                let movements = try database.statement("SELECT kind, quantity, station, item FROM stock_movements WHERE receipt = ? ORDER BY id")
                    .bind(.integer(receipt.number)).rows { "\($0.text(0)) \(Int($0.int64(1))) \($0.text(2))/\($0.text(3))" }
                let shelf = "\(receipt.station)/\(receipt.item)"
                let expected = ["redeem \(-receipt.quantity) \(shelf)"] + (receipt.refund == nil ? [] : ["refund \(receipt.quantity) \(shelf)"])
                if movements != expected {
                    problem("V202", "goods receipt R\(receipt.number) has stock movements \(movements) instead of \(expected)")
                }
            }
            if let refund = receipt.refund {
                guard let compensation = try self.entry(sequence: refund.entry), compensation.reverses == receipt.entry,
                      compensation.postings.map(\.amount) == redemption.postings.map({ -$0.amount }) else {
                    problem("V204", "the refund of receipt R\(receipt.number) (entry #\(refund.entry)) does not compensate entry #\(receipt.entry)",
                            sequence: refund.entry)
                    continue
                }
                if refund.operatorID != compensation.actor || refund.refundedOn != compensation.effectiveDate {
                    problem("V204", "the refund of receipt R\(receipt.number) names \(refund.operatorID) on \(refund.refundedOn), but its entry "
                            + "#\(refund.entry) was made by \(compensation.actor) on \(compensation.effectiveDate)", sequence: refund.entry)
                }
            }
        }

        // V203: system:held against the bookings that have not ended.
        let activePoints = try database.statement("""
            SELECT coalesce(sum(h.points), 0), count(*) FROM holds h JOIN active_holds a ON a.hold = h.number
            """).first { ($0.int64(0), Int($0.int64(1))) } ?? (0, 0)
        let endedWithoutRow = try database.statement("""
            SELECT count(*) FROM holds h WHERE NOT EXISTS (SELECT 1 FROM hold_endings e WHERE e.hold = h.number)
              AND NOT EXISTS (SELECT 1 FROM active_holds a WHERE a.hold = h.number)
            """).first { $0.int64(0) } ?? 0
        report.holdsChecked = Int(try database.statement("SELECT count(*) FROM holds").first { $0.int64(0) } ?? 0)
        let held = try balance(Self.heldAccount.id)
        if held != activePoints.0 || endedWithoutRow != 0 {
            problem("V203", "system:held holds \(Hundredths.format(held)) \(verificationUnit()), but the \(activePoints.1) bookings not ended hold \(Hundredths.format(activePoints.0))"
                    + (endedWithoutRow == 0 ? "" : "; \(endedWithoutRow) bookings are neither active nor ended"))
        }

        // V206: each booking against its hold entry and its ending's entry, in one joined pass (after a checkpoint: the bookings
        // whose hold or ending came after it). The booking's rows are outside the hash chain: its key, operator, day, paying
        // account, points, item label, quantity, station and service day must be what its hold entry says (key `hold:KEY`, actor,
        // date, postings, memo), and its ending's what the ending's entry says (`fulfil:B7` or `release:B7`, actor, date; a
        // cancellation's reason is in its memo), or an edit of `holds` would move a booking to another volunteer or station unseen.
        let holdRows = try database.statement("""
            SELECT h.number, h.key, h.station, h.volunteer, h.paid_from, h.item_label, h.quantity, h.points, h.service_date, h.operator,
                   h.booked_on, g.key, g.actor, g.effective_date, g.memo,
                   (SELECT coalesce(sum(p.amount), 0) FROM postings p JOIN accounts a ON a.number = p.account
                    WHERE p.entry = h.entry AND p.asset = 'POINTS' AND a.id = h.paid_from),
                   (SELECT coalesce(sum(p.amount), 0) FROM postings p JOIN accounts a ON a.number = p.account
                    WHERE p.entry = h.entry AND p.asset = 'POINTS' AND a.id = 'system:held'),
                   (SELECT count(*) FROM postings p WHERE p.entry = h.entry AND p.asset = 'POINTS'),
                   e.state, e.actor, e.ended_on, e.reason, e.entry, ge.key, ge.actor, ge.effective_date, ge.reverses, ge.memo,
                   e.receipt, r.key, r.entry, r.hold, h.entry, h.unit_price
            FROM holds h LEFT JOIN entries g ON g.sequence = h.entry
            LEFT JOIN hold_endings e ON e.hold = h.number LEFT JOIN entries ge ON ge.sequence = e.entry
            LEFT JOIN receipts r ON r.number = e.receipt
            """ + (checkpoint == nil ? ""
                : " WHERE h.number IN (SELECT number FROM holds WHERE entry > ?1 UNION SELECT hold FROM hold_endings WHERE entry > ?1)") + " ORDER BY h.number")
        if let checkpoint { _ = try holdRows.bind(.integer(checkpoint.sequence)) }
        _ = try holdRows.rows { row in
            let number = row.int64(0), key = row.text(1), station = row.text(2), volunteer = row.text(3), paidFrom = row.text(4)
            let quantity = Int(row.int64(6)), points = row.int64(7), holdEntry = row.isNull(11) ? nil : row.text(11)
            var differs: [String] = []
            if let entryKey = holdEntry {
                let memo = Self.holdMemo(label: row.text(5), quantity: quantity, station: station, key: key,
                                         serviceDate: LocalDate(row.text(8)) ?? LocalDate(year: 1, month: 1, day: 1)!)
                if entryKey != EngineKey.hold.key(key) { differs.append("key \(key), but its hold entry's key is \(entryKey)") }
                if row.text(9) != row.text(12) { differs.append("operator \(row.text(9)), but its hold entry's actor is \(row.text(12))") }
                if row.text(10) != row.text(13) { differs.append("day \(row.text(10)), but its hold entry is dated \(row.text(13))") }
                if row.int64(15) != -points || row.int64(16) != points || row.int64(17) != 2 {
                    differs.append("\(Hundredths.format(points)) \(verificationUnit()) from \(paidFrom), but its hold entry moves "
                                   + "\(Hundredths.format(-row.int64(15))) from it and \(Hundredths.format(row.int64(16))) to system:held")
                }
                if row.int64(33).multipliedReportingOverflow(by: Int64(quantity)) != (points, false) {
                    differs.append("unit price \(Hundredths.format(row.int64(33))) × \(quantity), but it holds \(Hundredths.format(points))")
                }
                if let owner = AccountID(paidFrom), owner.kind == .volunteer, owner.owner != volunteer {
                    differs.append("volunteer \(volunteer), but \(paidFrom) paid it")
                }
                if row.text(14) != memo {
                    differs.append("\(row.text(5)) ×\(quantity) at \(station) for \(row.text(8)), but its hold entry's memo is \"\(row.text(14))\"")
                }
            } else {
                differs.append("hold entry, which does not exist")
            }
            if !row.isNull(18) {
                let state = row.text(18), endingEntry = row.int64(22)
                if row.isNull(23) {
                    differs.append("ending's entry #\(endingEntry), which does not exist")
                } else {
                    let expectedKey = state == HoldState.fulfilled.rawValue ? EngineKey.fulfilment.key("B\(number)")
                        : EngineKey.release.key("B\(number)")
                    if row.text(23) != expectedKey { differs.append("\(state) ending, but its entry's key is \(row.text(23))") }
                    if row.text(19) != row.text(24) || row.text(20) != row.text(25) {
                        differs.append("ending \(state) by \(row.text(19)) on \(row.text(20)), but its ending's entry #\(endingEntry) was made by "
                                       + "\(row.text(24)) on \(row.text(25))")
                    }
                    if state == HoldState.cancelled.rawValue, row.text(27) != Self.cancellationMemo(hold: number, reason: row.text(21)) {
                        differs.append("reason \"\(row.text(21))\", but its cancellation's memo is \"\(row.text(27))\"")
                    }
                }
                // A fulfilled booking's receipt is written with its ending: the ending's entry, this booking, and the key
                // `booking:KEY` (or `booking:KEY#2` when an older redemption had taken that key).
                if state == HoldState.fulfilled.rawValue {
                    let receiptKey = Receipt.key(ofBooking: key)
                    if row.isNull(29) || row.optionalInt64(30) != endingEntry || row.optionalInt64(31) != number
                        || (row.text(29) != receiptKey && !row.text(29).hasPrefix(receiptKey + "#")) {
                        differs.append("fulfilled ending's receipt " + (row.isNull(28) ? "(none)" : "R\(row.int64(28))")
                                       + (row.isNull(29) ? "" : " under key \(row.text(29))") + ", which is not the receipt of entry "
                                       + "#\(endingEntry) under key \(receiptKey)")
                    }
                }
            }
            if !differs.isEmpty {
                problem("V206", "booking B\(number) names the " + differs.joined(separator: "; the "), sequence: row.int64(32))
            }
        }

        // V205: each station's points against its receipts: what they paid in, less what their refunds gave back. Only
        // `redeem`, `fulfil` and `refund` move points in or out of a station's account (`post` refuses it), so an entry
        // made another way (by hand in the database, or before `post` refused it) shows here. A few sums, every time.
        let explained = Dictionary(uniqueKeysWithValues: try database.statement("""
            SELECT r.station, sum(CASE WHEN f.receipt IS NULL THEN r.points ELSE 0 END)
            FROM receipts r LEFT JOIN refunds f ON f.receipt = r.number GROUP BY r.station
            """).rows { ($0.text(0), $0.int64(1)) })
        let stationBalances = try database.statement("""
            SELECT substr(a.id, 9), coalesce(b.balance, 0) FROM accounts a LEFT JOIN balances b ON b.account = a.number AND b.asset = 'POINTS'
            WHERE a.id LIKE 'station:%' ORDER BY a.id
            """).rows { ($0.text(0), $0.int64(1)) }
        // A receipt or refund that disagrees with its entry (its points edited by hand) makes the difference too: then the row
        // is what changed, and reversing an entry to match it would make the ledger wrong as well.
        let rowEdited = report.problems.contains { $0.code == "V202" || $0.code == "V204" }
        for (station, balance) in stationBalances where balance != explained[station] ?? 0 {
            let receipts = explained[station] ?? 0
            problem("V205", "station:\(station) holds \(Hundredths.format(balance)) \(verificationUnit()), but its receipts, less their refunds, paid it "
                    + "\(Hundredths.format(receipts)): \(Hundredths.format(balance - receipts)) came or went another way"
                    + (rowEdited ? ". A receipt or refund above (V202, V204) disagrees with its entry: its row was edited, not the ledger; "
                        + "restore the last good backup rather than post or reverse anything"
                       : " (`timebank statement station:\(station)` lists its entries; reverse the one that is not a receipt or a refund)"))
        }
        return report
    }
}
