import TimeBankCore

/// One row of a simulated record file (CSV: id, volunteer, category, date, minutes, verifier), as written.
struct RecordRow: Hashable {
    var id: String
    var volunteer: String
    var category: String
    var date: String
    var minutes: String
    var verifier: String

    var csv: String { [id, volunteer, category, date, minutes, verifier].joined(separator: ",") }
}

/// A stored service record as the model knows it.
struct ModelRecord {
    enum Status: String { case pending, approved, rejected }
    var id: String
    var volunteer: String
    var category: String
    var date: LocalDate
    var minutes: Int
    var verifier: String?
    var status: Status
    /// The community's day of its import: `auto_accept_after_days` counts from it when it is later than `date`.
    var importedOn: LocalDate
    var approvalVerifier: String?
    /// The award entry, once posted.
    var awardEntry: Int64?
    /// Scored and posted by a settlement.
    var posted = false
    /// Withdrawn by an admin's rejection after it was posted (docs/records.md, "Correcting a posted record").
    var withdrawn = false
    /// The reason of its rejection or withdrawal: the same again changes nothing, another is E102.
    var reason: String?

    var content: String { "\(volunteer)|\(category)|\(date)|\(minutes)|\(verifier ?? "")" }
}

extension SimModel {
    /// What importing a file did, in the words of both sides: counts, and the first error code of each rejected row.
    static func importSummary(read: Int, stored: Int, known: Int, duplicates: Int, rejected: [(row: Int, code: String)]) -> String {
        "read \(read) stored \(stored) known \(known) duplicates \(duplicates) rejected [" + rejected.map { "\($0.code)@\($0.row)" }.joined(separator: ",") + "]"
    }

    /// `importRecords` (docs/records.md): each row is checked on its own and against the rows before it; good rows
    /// are stored as pending; a row that repeats an earlier row is a duplicate; the same id with other content is
    /// E015 in the file and E016 when stored. Rows are numbered as a spreadsheet does (the header is row 1).
    func importRecords(_ rows: [RecordRow]) throws(ModelRefusal) -> String {
        try transaction { () throws(ModelRefusal) in
            var stored = 0, known = 0, duplicates = 0
            var rejected: [(row: Int, code: String)] = []
            var inFile: [String: String] = [:]
            for (index, row) in rows.enumerated() {
                let number = index + 2
                let result = checkRecordRow(row)
                switch result {
                case .failure(let refusal):
                    rejected.append((number, refusal.code))
                case .success(let record):
                    if let earlier = inFile[record.id] {
                        if earlier == record.content { duplicates += 1 } else { rejected.append((number, "E015")) }
                        continue
                    }
                    inFile[record.id] = record.content
                    if let existing = records[record.id] {
                        if existing.content == record.content { known += 1 } else { rejected.append((number, "E016")) }
                        continue
                    }
                    update(\.records, record.id, record)
                    update(\.recordMinutes, "\(record.volunteer)|\(record.date)", (recordMinutes["\(record.volunteer)|\(record.date)"] ?? 0) + record.minutes)
                    appendElement(\.recordIDs, record.id)
                    update(\.openRecords, record.id, true)
                    stored += 1
                }
            }
            rejected.sort { $0.row < $1.row }
            statistics["record rows stored", default: 0] += stored
            statistics["record rows known already", default: 0] += known
            statistics["record rows repeated in a file", default: 0] += duplicates
            for (_, code) in rejected { statistics["record rows rejected \(code)", default: 0] += 1 }
            return Self.importSummary(read: rows.count, stored: stored, known: known, duplicates: duplicates, rejected: rejected)
        }
    }

    /// The two spreadsheet spellings the generator writes, year first: `2026/10/3` and `2026年10月3日` (docs/records.md:
    /// the same day as 2026-10-03). Year last (`3/10/2026`) is no date (E006).
    static func yearFirstDate(_ text: String) -> LocalDate? {
        let slashes = text.split(separator: "/", omittingEmptySubsequences: false)
        let chinese = text.hasSuffix("日") ? text.dropLast().split(whereSeparator: { $0 == "年" || $0 == "月" }) : []
        let parts = slashes.count == 3 ? slashes : chinese
        guard parts.count == 3, parts[0].count == 4, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]) else {
            return nil
        }
        return LocalDate(year: year, month: month, day: day)
    }

    /// The checks of one row, in the order the file's reader makes them for the defects the generator writes.
    private func checkRecordRow(_ row: RecordRow) -> Result<ModelRecord, ModelRefusal> {
        guard volunteers[row.volunteer] != nil else { return .failure(ModelRefusal("E003")) }
        guard let date = LocalDate(row.date) ?? Self.yearFirstDate(row.date) else { return .failure(ModelRefusal("E006")) }
        if date > today { return .failure(ModelRefusal("E019")) }
        guard let policy = policy(on: date)?.policy else { return .failure(ModelRefusal("E021")) }
        guard policy.pointsPerHour(row.category) != nil else { return .failure(ModelRefusal("E004")) }
        guard let minutes = Int(row.minutes), (0...1_440).contains(minutes) else { return .failure(ModelRefusal("E009")) }
        return .success(ModelRecord(id: row.id, volunteer: row.volunteer, category: row.category, date: date, minutes: minutes,
                                    verifier: row.verifier.isEmpty ? nil : row.verifier, status: .pending, importedOn: today))
    }

    /// `approveRecords`, all or none: E100 unknown, E102 rejected or withdrawn already, E027 a category the version in force on
    /// its date does not have, E103 no verifier under a policy that needs one.
    /// A record named twice is approved once; one approved already is left as it is and not counted (a retry).
    func approveRecords(_ ids: [String], verifier: String?) throws(ModelRefusal) -> String {
        let ids = Self.once(ids)
        return try transaction { () throws(ModelRefusal) in
            var approved = 0
            for id in ids {
                guard var record = records[id] else { throw ModelRefusal("E100") }
                // Withdrawn (by a rejection, or its award reversed): refused; approved already: left as it is.
                if record.withdrawn || record.awardEntry.map({ reversedBy[$0] != nil }) == true { throw ModelRefusal("E102") }
                if record.status == .approved { continue }
                guard record.status == .pending else { throw ModelRefusal("E102") }
                // No version in force on its date, or one without its category: it could only be posted with no points.
                guard policy(on: record.date)?.policy.pointsPerHour(record.category) != nil else { throw ModelRefusal("E027") }
                if record.verifier == nil, verifier == nil { throw ModelRefusal("E103") }
                record.status = .approved
                if record.verifier == nil { record.approvalVerifier = verifier }
                update(\.records, id, record)
                approved += 1
            }
            return "approved \(approved)"
        }
    }

    /// `rejectRecords`, all or none: E100; a posted record is withdrawn when none of its entries stands (its award was
    /// reversed, or it had none: the simulated policies take no penalties), else E105, and E102 when it was withdrawn
    /// so before with another reason; E102 decided already (with another reason, or approved). A record named twice is
    /// rejected once; one rejected or withdrawn already with the same reason is left as it is and not counted (a retry).
    func rejectRecords(_ ids: [String], reason: String) throws(ModelRefusal) -> String {
        let ids = Self.once(ids)
        return try transaction { () throws(ModelRefusal) in
            var rejected = 0
            for id in ids {
                guard var record = records[id] else { throw ModelRefusal("E100") }
                if record.posted {
                    if record.withdrawn {
                        if record.reason == reason { continue }
                        throw ModelRefusal("E102")
                    }
                    if let award = record.awardEntry, reversedBy[award] == nil { throw ModelRefusal("E105") }
                    record.withdrawn = true
                    record.reason = reason
                    update(\.records, id, record)
                    rejected += 1
                    continue
                }
                if record.status == .rejected, record.reason == reason { continue }
                guard record.status == .pending else { throw ModelRefusal("E102") }
                record.status = .rejected
                record.reason = reason
                update(\.records, id, record)
                update(\.openRecords, id, nil)
                rejected += 1
            }
            return "rejected \(rejected)"
        }
    }

    /// The ids in the order given, each once.
    static func once(_ ids: [String]) -> [String] {
        var seen: Set<String> = []
        return ids.filter { seen.insert($0).inserted }
    }
}
