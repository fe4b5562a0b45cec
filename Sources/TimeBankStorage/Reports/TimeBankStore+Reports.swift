import TimeBankCore

/// The reports of the ledger and the stations, over any inclusive range of days, computed from the
/// ledger's entries and the stored history (receipts, refunds, stock movements, posted scores), never
/// from running counters. Each report reads one consistent snapshot (a read transaction), so a write
/// running meanwhile cannot make its numbers disagree. docs/reports.md says where every number comes from.
extension TimeBankStore {
    // MARK: Daily

    /// One row per day of the range: records posted, points awarded, deducted, granted, expired,
    /// redeemed, refunded, transferred, donated, adjusted and reversed, and CNY into and out of the fund,
    /// from ledger entries by kind and effective date; a totals row. Throws Q001/Q003 for a bad range.
    public func dailyReport(from: LocalDate, through: LocalDate) throws -> ReportTable {
        try ReportError.validate(from: from, through: through, rowPerDay: true)
        return try database.readTransaction {
            let columns = [
                ReportColumn("date", "Date", .date), ReportColumn("records", "Records", .integer),
                ReportColumn("awarded", "Awarded", .amount), ReportColumn("deducted", "Deducted", .amount),
                ReportColumn("granted", "Granted", .amount), ReportColumn("expired", "Expired", .amount),
                ReportColumn("redeemed", "Redeemed", .amount), ReportColumn("refunded", "Refunded", .amount),
                ReportColumn("transferred", "Transferred", .amount), ReportColumn("donated", "Donated", .amount),
                ReportColumn("adjusted", "Adjusted", .amount), ReportColumn("reversed", "Reversed", .amount),
                ReportColumn("cny_in", "CNY in", .amount), ReportColumn("cny_out", "CNY out", .amount),
            ]
            let measures = columns.count - 2
            var byDay: [LocalDate: [Int64]] = [:]
            // Points under the kinds no column has (`post --kind refund|fund|dividend` by hand: the engine's refunds are
            // reversals, its fund and dividend entries move CNY), by kind, and the days they are on: named in a note, so
            // that no points moved on a day go unseen.
            let unlistedKinds = ["refund", "fund", "dividend"]
            var unlisted = [Int64](repeating: 0, count: unlistedKinds.count)
            var unlistedDays: [LocalDate] = []
            // Each entry's postings, summed by what they mean: the points an entry moves are its positive
            // POINTS postings; redemptions count what reached a station, refunds what left one (a refund is
            // the reversal of a redemption), and CNY is what entered or left a fund account.
            // CROSS JOIN keeps entries the outer loop, read once in order, each one's postings found by their
            // primary key (otherwise SQLite walks every posting and looks each entry up: 16 times slower on 1,000,000 entries).
            try database.statement("""
                SELECT e.effective_date,
                  sum(CASE WHEN e.kind = 'award' AND p.asset = 'POINTS' AND p.amount > 0 THEN p.amount ELSE 0 END),
                  sum(CASE WHEN e.kind = 'penalty' AND p.asset = 'POINTS' AND p.amount > 0 THEN p.amount ELSE 0 END),
                  sum(CASE WHEN e.kind = 'grant' AND p.asset = 'POINTS' AND p.amount > 0 THEN p.amount ELSE 0 END),
                  sum(CASE WHEN e.kind = 'expiry' AND p.asset = 'POINTS' AND p.amount > 0 THEN p.amount ELSE 0 END),
                  sum(CASE WHEN e.kind = 'redemption' AND p.asset = 'POINTS' AND a.kind = 'station' THEN p.amount ELSE 0 END),
                  sum(CASE WHEN e.kind = 'reversal' AND o.kind = 'redemption' AND p.asset = 'POINTS' AND a.kind = 'station'
                           THEN -p.amount ELSE 0 END),
                  sum(CASE WHEN e.kind = 'transfer' AND p.asset = 'POINTS' AND p.amount > 0 THEN p.amount ELSE 0 END),
                  sum(CASE WHEN e.kind = 'donation' AND p.asset = 'POINTS' AND p.amount > 0 THEN p.amount ELSE 0 END),
                  sum(CASE WHEN e.kind = 'adjustment' AND p.asset = 'POINTS' AND p.amount > 0 THEN p.amount ELSE 0 END),
                  sum(CASE WHEN e.kind = 'reversal' AND o.kind <> 'redemption' AND p.asset = 'POINTS' AND p.amount > 0
                           THEN p.amount ELSE 0 END),
                  sum(CASE WHEN a.kind = 'fund' AND p.asset = 'CNY' AND p.amount > 0 THEN p.amount ELSE 0 END),
                  sum(CASE WHEN a.kind = 'fund' AND p.asset = 'CNY' AND p.amount < 0 THEN -p.amount ELSE 0 END),
                  sum(CASE WHEN e.kind = 'refund' AND p.asset = 'POINTS' AND p.amount > 0 THEN p.amount ELSE 0 END),
                  sum(CASE WHEN e.kind = 'fund' AND p.asset = 'POINTS' AND p.amount > 0 THEN p.amount ELSE 0 END),
                  sum(CASE WHEN e.kind = 'dividend' AND p.asset = 'POINTS' AND p.amount > 0 THEN p.amount ELSE 0 END)
                FROM entries e
                CROSS JOIN postings p ON p.entry = e.sequence
                JOIN accounts a ON a.number = p.account
                LEFT JOIN entries o ON o.sequence = e.reverses
                WHERE e.effective_date BETWEEN ? AND ?
                GROUP BY e.effective_date
                """).bind(.text(from.description), .text(through.description)).forEachRow { row in
                guard let day = LocalDate(row.text(0)) else { throw StoredDataError(sequence: nil, detail: "an entry has an unreadable date") }
                byDay[day] = (0..<measures).map { row.int64(Int32($0) + 1) }
                let others = unlistedKinds.indices.map { row.int64(Int32(measures + $0) + 1) }
                if others.contains(where: { $0 != 0 }) {
                    for index in others.indices { unlisted[index] += others[index] }
                    unlistedDays.append(day)
                }
            }
            var recordsByDay: [LocalDate: Int64] = [:]
            try database.statement("""
                SELECT r.service_date, count(*) FROM records r JOIN record_scores s ON s.record = r.number
                WHERE r.service_date BETWEEN ? AND ? GROUP BY r.service_date
                """).bind(.text(from.description), .text(through.description)).forEachRow { row in
                if let day = LocalDate(row.text(0)) { recordsByDay[day] = row.int64(1) }
            }
            var rows: [[ReportCell]] = []
            var totals = [Int64](repeating: 0, count: measures)
            var totalRecords: Int64 = 0
            // Counted by day numbers: 9999-12-31 has no day after it (`adding` stays on it), so a loop on dates would not end there.
            for number in from.daysSinceEpoch...through.daysSinceEpoch {
                let day = LocalDate(daysSinceEpoch: number)
                let values = byDay[day] ?? [Int64](repeating: 0, count: measures)
                let records = recordsByDay[day] ?? 0
                rows.append([.date(day), .integer(records)] + values.map { .amount($0) })
                for index in values.indices { totals[index] += values[index] }
                totalRecords += records
            }
            var notes = ["Points by ledger entry kind and effective date; refunded = reversals of redemptions, reversed = other reversals."]
            if !unlistedDays.isEmpty {
                let kinds = unlistedKinds.indices.filter { unlisted[$0] != 0 }.map { "\(unlistedKinds[$0]) \(Hundredths.format(unlisted[$0]))" }
                let days = unlistedDays.sorted()
                let shown = days.prefix(10).map(\.description).joined(separator: ", ") + (days.count > 10 ? " and \(days.count - 10) more days" : "")
                notes.append("Not in the columns: \(Hundredths.format(unlisted.reduce(0, +))) points moved by entries of kinds no column has "
                    + "(\(kinds.joined(separator: ", ")), posted by hand), on \(shown).")
            }
            // A settled day still changes when its pending records are accepted on a later night: say so, or the morning's
            // file reads as final.
            if let note = ReportSupport.unpostedRecordsNote(try unpostedRecordCount(from: from, through: through),
                                                            consequence: "their points will count on their service dates, so these figures can still change") {
                notes.append(note)
            }
            return ReportTable(
                name: "daily", title: "每日汇总 Daily \(ReportSupport.range(from, through))", from: from, to: through,
                columns: columns, rows: rows, totals: [.text("Total"), .integer(totalRecords)] + totals.map { .amount($0) },
                notes: notes)
        }
    }

    // MARK: Stations

    /// Per station: receipts, refunds and redemptions net of refunds, items out (units redeemed less
    /// units refunded), points received (the net of the ledger's postings to `station:ID`), and how many
    /// goods are low (at most 5 units, from the stock movements up to the last day), with a totals row.
    /// The notes check the ledger's points against the receipts and list every low item.
    public func stationsReport(from: LocalDate, through: LocalDate) throws -> ReportTable {
        try ReportError.validate(from: from, through: through)
        return try database.readTransaction {
            let range: [SQLiteValue] = [.text(from.description), .text(through.description)]
            struct Line { var name = ""; var receipts: Int64 = 0; var refunds: Int64 = 0; var unitsOut: Int64 = 0
                var unitsBack: Int64 = 0; var receiptPoints: Int64 = 0; var refundPoints: Int64 = 0; var ledgerPoints: Int64 = 0
                var low: [(item: String, units: Int64)] = [] }
            var lines: [String: Line] = [:]
            try database.statement("SELECT id, name FROM stations").forEachRow { lines[$0.text(0), default: Line()].name = $0.text(1) }
            try database.statement("SELECT substr(id, 9), name FROM accounts WHERE kind = 'station'").forEachRow { row in
                if lines[row.text(0)] == nil { lines[row.text(0)] = Line(name: row.text(1)) }
            }
            try database.statement("""
                SELECT station, count(*), sum(quantity), sum(points) FROM receipts WHERE redeemed_on BETWEEN ? AND ? GROUP BY station
                """).bind(range).forEachRow { row in
                lines[row.text(0), default: Line()].receipts = row.int64(1)
                lines[row.text(0), default: Line()].unitsOut = row.int64(2)
                lines[row.text(0), default: Line()].receiptPoints = row.int64(3)
            }
            try database.statement("""
                SELECT f.station, count(*), sum(r.quantity), sum(r.points) FROM refunds f JOIN receipts r ON r.number = f.receipt
                WHERE f.refunded_on BETWEEN ? AND ? GROUP BY f.station
                """).bind(range).forEachRow { row in
                lines[row.text(0), default: Line()].refunds = row.int64(1)
                lines[row.text(0), default: Line()].unitsBack = row.int64(2)
                lines[row.text(0), default: Line()].refundPoints = row.int64(3)
            }
            // CROSS JOIN keeps the station accounts in the outer loop, so only their postings are read
            // (through the index by account) instead of every posting of the ledger.
            try database.statement("""
                SELECT substr(a.id, 9), sum(p.amount) FROM accounts a
                CROSS JOIN postings p ON p.account = a.number AND p.asset = 'POINTS'
                JOIN entries e ON e.sequence = p.entry
                WHERE a.kind = 'station' AND e.effective_date BETWEEN ? AND ?
                GROUP BY a.id
                """).bind(range).forEachRow { lines[$0.text(0), default: Line()].ledgerPoints = $0.int64(1) }
            // Each item's low-stock level from the catalog in force on the last day (`low_stock`, 5 when not set; also 5 for
            // goods no longer in the catalog).
            let catalog = try reportPolicy(on: through).map { policy in
                Dictionary(policy.catalog.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            } ?? [:]
            func lowStockLevel(_ item: String) -> Int64 { Int64(catalog[item]?.lowStockLevel ?? PolicyCatalogItem.defaultLowStock) }
            try database.statement("""
                SELECT station, item, sum(quantity) FROM stock_movements WHERE effective_date <= ?
                GROUP BY station, item ORDER BY station, item
                """).bind(.text(through.description)).forEachRow { row in
                let item = row.text(1), units = row.int64(2)
                if units <= lowStockLevel(item) { lines[row.text(0), default: Line()].low.append((item, units)) }
            }
            let levelsSet = catalog.values.contains { $0.lowStock != nil }
            let columns = [
                ReportColumn("station", "Station", .text), ReportColumn("name", "Name", .text),
                ReportColumn("receipts", "Receipts", .integer), ReportColumn("refunds", "Refunds", .integer),
                ReportColumn("redemptions", "Redemptions", .integer), ReportColumn("items_out", "Items out", .integer),
                ReportColumn("points", pointsHeading(on: through), .amount), ReportColumn("low_stock", "Low stock", .integer),
            ]
            var rows: [[ReportCell]] = []
            var total = Line()
            var notes: [String] = []
            var mismatches: [String] = []
            var lowNotes: [String] = []
            for id in lines.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
                let line = lines[id]!
                rows.append([.text(id), .text(line.name), .integer(line.receipts), .integer(line.refunds),
                             .integer(line.receipts - line.refunds), .integer(line.unitsOut - line.unitsBack),
                             .amount(line.ledgerPoints), .count(line.low.count)])
                total.receipts += line.receipts
                total.refunds += line.refunds
                total.unitsOut += line.unitsOut
                total.unitsBack += line.unitsBack
                total.ledgerPoints += line.ledgerPoints
                total.receiptPoints += line.receiptPoints
                total.refundPoints += line.refundPoints
                total.low += line.low
                let expected = line.receiptPoints - line.refundPoints
                if expected != line.ledgerPoints {
                    mismatches.append("\(id): ledger \(Hundredths.format(line.ledgerPoints)) but receipts − refunds = "
                        + "\(Hundredths.format(line.receiptPoints)) − \(Hundredths.format(line.refundPoints))")
                }
                for (item, units) in line.low {
                    let label = catalog[item].map { " \($0.label)" } ?? ""
                    let level = levelsSet ? " (low_stock \(lowStockLevel(item)))" : ""
                    lowNotes.append("  \(id) \(item)\(label): \(units) left\(level)")
                }
            }
            if mismatches.isEmpty {
                notes.append("Check: points received (ledger) = receipts − refunds = \(Hundredths.format(total.receiptPoints)) − "
                    + "\(Hundredths.format(total.refundPoints)) = \(Hundredths.format(total.ledgerPoints)): adds up.")
            } else {
                notes.append("Check FAILED: the ledger's points at a station differ from its receipts (manual postings or a broken history):")
                notes += mismatches.map { "  " + $0 }
            }
            // The heading says which level applied: 5 for every item, or each item's own `low_stock` (given on each line).
            let rule = levelsSet ? "at or below each item's low_stock, \(PolicyCatalogItem.defaultLowStock) when not set,"
                                 : "at most \(PolicyCatalogItem.defaultLowStock) units"
            if lowNotes.isEmpty {
                notes.append("Low stock (\(rule) on \(through)): none.")
            } else {
                notes.append("Low stock (\(rule) on \(through)):")
                notes += lowNotes
            }
            return ReportTable(
                name: "stations", title: "兑换站汇总 Stations \(ReportSupport.range(from, through))", from: from, to: through,
                columns: columns, rows: rows,
                totals: [.text("Total"), .text(""), .integer(total.receipts), .integer(total.refunds),
                         .integer(total.receipts - total.refunds), .integer(total.unitsOut - total.unitsBack),
                         .amount(total.ledgerPoints), .count(total.low.count)],
                notes: notes)
        }
    }

    // MARK: Categories

    /// Per service category and per assessment indicator: records posted, minutes counted (and hours),
    /// points awarded and deducted, from the posted scores of records dated in the range whose ledger
    /// entries are not reversed; a totals row.
    public func categoriesReport(from: LocalDate, through: LocalDate) throws -> ReportTable {
        try ReportError.validate(from: from, through: through)
        return try database.readTransaction {
            let awardKept = ReportSupport.notReversed("s.award_entry")
            let penaltyKept = ReportSupport.notReversed("s.penalty_entry")
            // A record counts unless it is withdrawn: every entry it has was reversed, or an admin withdrew it.
            let annulled = WithdrawnRecordsSQL.withdrawn("s")
            struct Line { var kind: String; var id: String; var records: Int64; var minutes: Int64; var awarded: Int64; var deducted: Int64 }
            var lines: [Line] = []
            try database.statement("""
                SELECT CASE WHEN s.indicator IS NULL THEN 'category' ELSE 'indicator' END, coalesce(s.indicator, s.category, ''),
                       count(*), sum(s.minutes_counted),
                       sum(CASE WHEN s.award_entry IS NOT NULL AND \(awardKept) THEN s.award ELSE 0 END),
                       sum(CASE WHEN s.penalty_entry IS NOT NULL AND \(penaltyKept) THEN s.deduction ELSE 0 END)
                FROM records r JOIN record_scores s ON s.record = r.number
                WHERE r.service_date BETWEEN ? AND ? AND NOT \(annulled)
                GROUP BY 1, 2
                """).bind(.text(from.description), .text(through.description)).forEachRow { row in
                lines.append(Line(kind: row.text(0), id: row.text(1), records: row.int64(2), minutes: row.int64(3),
                                  awarded: row.int64(4), deducted: row.int64(5)))
            }
            let excluded = try database.statement("""
                SELECT count(*) FROM records r JOIN record_scores s ON s.record = r.number
                WHERE r.service_date BETWEEN ? AND ? AND \(annulled)
                """).bind(.text(from.description), .text(through.description)).first { $0.int64(0) } ?? 0
            let policy = try reportPolicy(on: through)
            func label(_ line: Line, in policy: Policy) -> String? {
                line.kind == "category" ? policy.category(line.id)?.label : policy.indicator(line.id)?.label
            }
            // A category a later version dropped (purple, in a range across the change) keeps the label of the latest
            // version in force by the last day that has it, rather than showing its bare id; read only when needed.
            var earlier: [Policy]?
            func label(_ line: Line) throws -> String {
                if let policy, let label = label(line, in: policy) { return label }
                if earlier == nil {
                    earlier = try storedPolicyTimeline().versions.map(\.policy).filter { $0.effective <= through }.reversed()
                }
                return earlier?.lazy.compactMap { label(line, in: $0) }.first ?? line.id
            }
            // Categories before indicators, each by id in byte order.
            lines.sort { $0.kind != $1.kind ? $0.kind < $1.kind : $0.id.utf8.lexicographicallyPrecedes($1.id.utf8) }
            let columns = [
                ReportColumn("kind", "Kind", .text), ReportColumn("id", "Id", .text), ReportColumn("name", "Name", .text),
                ReportColumn("records", "Records", .integer), ReportColumn("minutes", "Minutes", .integer),
                ReportColumn("hours", "Hours", .amount), ReportColumn("awarded", "Awarded", .amount),
                ReportColumn("deducted", "Deducted", .amount), ReportColumn("net", "Net", .amount),
            ]
            var rows: [[ReportCell]] = []
            var total = Line(kind: "", id: "", records: 0, minutes: 0, awarded: 0, deducted: 0)
            for line in lines {
                rows.append([.text(line.kind), .text(line.id), .text(try label(line)), .integer(line.records), .integer(line.minutes),
                             .amount(ReportSupport.hours(minutes: line.minutes)), .amount(line.awarded), .amount(line.deducted),
                             .amount(line.awarded - line.deducted)])
                total.records += line.records
                total.minutes += line.minutes
                total.awarded += line.awarded
                total.deducted += line.deducted
            }
            var notes = ["From the posted scores of records dated in the range; amounts of reversed entries are left out."]
            if excluded > 0 {
                notes.append("\(excluded) posted record\(excluded == 1 ? " is" : "s are") left out: withdrawn (every entry reversed, or withdrawn by an admin).")
            }
            if let note = ReportSupport.unpostedRecordsNote(try unpostedRecordCount(from: from, through: through),
                                                            consequence: "their hours and points will count once posted, so these figures can still change") {
                notes.append(note)
            }
            return ReportTable(
                name: "categories", title: "分类汇总 Categories \(ReportSupport.range(from, through))", from: from, to: through,
                columns: columns, rows: rows,
                totals: [.text("Total"), .text(""), .text(""), .integer(total.records), .integer(total.minutes),
                         .amount(ReportSupport.hours(minutes: total.minutes)), .amount(total.awarded), .amount(total.deducted),
                         .amount(total.awarded - total.deducted)],
                notes: notes)
        }
    }
}
