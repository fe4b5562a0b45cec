import TimeBankCore
import TimeBankStorage

/// A record file imported: good rows, malformed rows, duplicates, late records, re-imports.
struct ImportRecordsOperation: SimulatedOperation {
    var name = "records.import"
    var fileName: String
    var rows: [RecordRow]
    var today: LocalDate

    static let header = "id,volunteer,category,date,minutes,verifier"

    var description: String { "import \(fileName) (\(rows.count) rows): " + rows.map(\.csv).joined(separator: " | ") }

    func focus(_ model: SimModel) -> Focus { Focus() }

    func runEngine(_ engine: EngineDriver) throws -> Outcome {
        let text = ([Self.header] + rows.map(\.csv)).joined(separator: "\n") + "\n"
        let outcome = try engine.store.importRecords(Array(text.utf8), fileName: fileName, actor: "sim-admin", today: today)
        return .done(SimModel.importSummary(read: outcome.rowsRead, stored: outcome.stored.count, known: outcome.alreadyStored.count,
                                            duplicates: outcome.duplicatesInFile.count,
                                            rejected: outcome.rejected.map { ($0.row, $0.errors.first?.id ?? "?") }))
    }

    func runModel(_ model: SimModel) throws(ModelRefusal) -> Outcome {
        .done(try model.importRecords(rows))
    }
}

/// Records approved (with or without a verifier) or rejected by an admin.
struct DecideRecordsOperation: SimulatedOperation {
    var name: String
    var ids: [String]
    var approve: Bool
    var verifier: String?

    var description: String { "\(approve ? "approve" : "reject") records \(ids)\(verifier.map { " verifier \($0)" } ?? "")" }

    func focus(_ model: SimModel) -> Focus { Focus() }

    func runEngine(_ engine: EngineDriver) throws -> Outcome {
        let references = ids.map { (id: $0, source: Optional<String>.none) }
        if approve {
            return .done("approved \(try engine.store.approveRecords(references, actor: "sim-admin", verifier: verifier).count)")
        }
        return .done("rejected \(try engine.store.rejectRecords(references, actor: "sim-admin", reason: "重复登记").count)")
    }

    func runModel(_ model: SimModel) throws(ModelRefusal) -> Outcome {
        .done(approve ? try model.approveRecords(ids, verifier: verifier) : try model.rejectRecords(ids, reason: "重复登记"))
    }
}

extension Generator {
    /// Record files, decisions, and (when the engine has them) settlements, fund contributions and dividends.
    mutating func makeIssueSixOperation(_ kind: Kind, step: Int, model: SimModel) -> (any SimulatedOperation)? {
        switch kind {
        case .importRecords: return makeImport(step: step, model: model)
        case .decideRecords: return makeDecision(model: model)
        default: return makeSettlementOperation(kind, step: step, model: model)
        }
    }

    private mutating func makeImport(step: Int, model: SimModel) -> (any SimulatedOperation)? {
        guard !model.volunteerIDs.isEmpty else { return nil }
        let today = model.today
        var rows: [RecordRow] = []
        var minutesByDay: [String: Int] = [:]
        for _ in 0..<random.int(in: 1...6) {
            let roll = random.int(in: 0...99)
            if roll < 8, !model.recordIDs.isEmpty {
                // A record stored before, again (nothing added) or with other content (E016).
                let id = model.recordIDs[random.int(in: max(0, model.recordIDs.count - 100)...(model.recordIDs.count - 1))]
                let record = model.records[id]!
                var row = RecordRow(id: id, volunteer: record.volunteer, category: record.category, date: record.date.description,
                                    minutes: String(record.minutes), verifier: record.verifier ?? "")
                if random.chance(0.4) { row.minutes = String(record.minutes == 15 ? 30 : record.minutes - 15) }
                // Its date as a spreadsheet writes it: the same record all the same (nothing added), not other content.
                if random.chance(0.3) { row.date = "\(record.date.year)/\(record.date.month)/\(record.date.day)" }
                rows.append(row)
                continue
            }
            if roll < 14, let earlier = rows.last {
                // The same row twice in one file (a duplicate), or the same id with other content (E015).
                var row = earlier
                if random.chance(0.4) { row.category = row.category == "care" ? "patrol" : "care" }
                rows.append(row)
                continue
            }
            let volunteer = model.volunteerIDs[random.int(in: 0...(model.volunteerIDs.count - 1))]
            let late = random.int(in: 0...99)
            let date = today.adding(days: late < 50 ? 0 : late < 85 ? -random.int(in: 1...3) : -random.int(in: 5...40))
            let minutes = random.int(in: 1...16) * 15
            let dayKey = "\(volunteer)|\(date)"
            // Keep every volunteer's day far below 24 hours (E024 is not what this simulates).
            if (model.recordMinutes[dayKey] ?? 0) + minutesByDay[dayKey, default: 0] + minutes > 600 { continue }
            minutesByDay[dayKey, default: 0] += minutes
            var row = RecordRow(id: Self.recordID(nextRecordNumber()), volunteer: volunteer,
                                category: random.pick(["care", "patrol"]), date: date.description, minutes: String(minutes),
                                verifier: random.chance(0.75) ? "组长" : "")
            switch random.int(in: 0...99) {
            case 0...2: row.volunteer = "V999"                                  // E003
            case 3...4: row.date = "\(date.year)-02-30"                        // E006
            case 5...6: row.category = "cookig"                                // E004
            case 7: row.minutes = "2000"                                       // E009
            case 8...9: row.date = today.adding(days: random.int(in: 1...5)).description   // E019
            case 10...12: row.date = "\(date.year)/\(date.month)/\(date.day)"                // a spreadsheet's date: read
            case 13: row.date = "\(date.year)年\(date.month)月\(date.day)日"                  // read too
            case 14: row.date = "\(date.day)/\(date.month)/\(date.year)"                     // year last: E006
            default: break
            }
            rows.append(row)
        }
        guard !rows.isEmpty else { return nil }
        return ImportRecordsOperation(fileName: "records-\(step).csv", rows: rows, today: today)
    }

    /// Record ids sort as their numbers do: r0000001, r0000002, ...
    static func recordID(_ number: Int) -> String {
        let digits = String(number)
        return "r" + String(repeating: "0", count: max(0, 7 - digits.count)) + digits
    }

    private mutating func makeDecision(model: SimModel) -> (any SimulatedOperation)? {
        guard !model.recordIDs.isEmpty else { return nil }
        var ids: [String] = []
        for _ in 0..<random.int(in: 1...3) {
            // Mostly recent records (most still pending); now and then an unknown id (E100).
            ids.append(random.chance(0.03) ? "r9999999"
                       : model.recordIDs[random.int(in: max(0, model.recordIDs.count - 60)...(model.recordIDs.count - 1))])
        }
        if random.chance(0.85) {
            return DecideRecordsOperation(name: "records.approve", ids: ids, approve: true, verifier: random.chance(0.5) ? "主任" : nil)
        }
        return DecideRecordsOperation(name: "records.reject", ids: ids, approve: false, verifier: nil)
    }
}
