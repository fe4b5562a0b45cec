import Foundation
import TimeBankCore
import TimeBankStorage

/// The records a decision names: ids on the command line, and those of `--file`: a list a clerk keeps, one id per line,
/// or a CSV with an `id` column, such as the spreadsheet of the records a verifier checked, or with a `record` column, such
/// as the CSV of `report rejects` (`default:r1`), the list of pending records an admin decides at the month's end.
enum RecordReferenceList {
    /// The help lines both `record approve` and `record reject` show for `--file`.
    static let fileHelp = """
    --file FILE names more records: one id per line (blank lines and lines starting with # are skipped),
    or a CSV file whose header has an id column (and a source column, else --source applies), such as
    a spreadsheet of the records checked, saved as CSV, or a record column of SOURCE:ID, as `report
    rejects --format csv --out pending.csv` writes it (keep the rows to decide). Other columns (status,
    reason, ...) are not read. UTF-8; an id named twice counts once.
    """

    /// `record reject`'s help for `--file`: as `fileHelp`, with the reason column read.
    static let rejectFileHelp = """
    --file FILE names more records: one id per line (blank lines and lines starting with # are skipped),
    or a CSV file whose header has an id column (and a source column, else --source applies), such as
    a spreadsheet of the records checked, saved as CSV, or a record column of SOURCE:ID, as `report
    rejects --format csv --out pending.csv` writes it (keep the rows to decide). UTF-8.

    A reason column gives each record its own reason (id,reason); --reason is then needed only for the
    rows whose reason is empty and the ids typed, and a row left with no reason is refused with its line:
    nothing is rejected. The rejects report's own reason column says why a record waits, not why to
    reject it, and is not read: a file with the report's status, record and reason columns takes the
    reasons from a column of its own, reject_reason (or all get --reason). An id named twice counts once;
    named twice with two reasons it is refused.
    """

    /// The help lines both `record approve` and `record reject` show for the form of an id.
    static let idHelp = """
    ID may also be written SOURCE:ID (wechat:r1), as the messages and award memos name a record; an
    entry number is not read as the record it posted (`record show` takes one).
    """

    /// The ids typed and the ids in `--file`, in that order, each once; at least one. With where `--file` names each
    /// record (`places`).
    static func references(_ arguments: Arguments, source: String?) throws
        -> (references: [(id: String, source: String?)], places: [String: String]) {
        var references = arguments.positionals.map { (id: $0, source: source) }
        var places: [String: String] = [:]
        if let path = try arguments.value("--file") {
            // The records `path` names: a CSV with an `id` column, else with a `record` column (SOURCE:ID, or an id), else
            // one id per line.
            let named = try entries(path, source: source, readingReasons: false).named
            references += named.map { ($0.id, $0.source) }
            places = Self.places(named.map { ($0.id, "\(path):\($0.line)") })
        }
        guard !references.isEmpty else { throw UsageError("name at least one record: its id, or --file FILE with the ids") }
        var seen = Set<String>()
        return (references.filter { seen.insert(($0.source ?? "") + "\u{0}" + $0.id).inserted }, places)
    }

    /// Where `--file` names each record: `PATH:LINE` of the first line naming the id, by id.
    static func places(_ named: [(id: String, place: String)]) -> [String: String] {
        var places: [String: String] = [:]
        for (id, place) in named where places[id] == nil { places[id] = place }
        return places
    }

    /// A refusal of a decision, each record named by `--file` preceded by the line naming it (`list.csv:3: no record
    /// "r99"`), so that a list of 200 ids is put right where it is wrong; under the refusal's own code.
    struct PlacedRefusal: TimeBankError {
        let code: String
        let category: ErrorCategory
        let message: String

        init(_ error: RecordStoreError, places: [String: String]) {
            code = error.code
            category = error.category
            message = error.message { problem in problem.recordID.flatMap { places[$0] } }
        }

        /// A refusal of what the line at `place` (`PATH:LINE`) holds.
        init(_ error: RecordStoreError, at place: String) {
            code = error.code
            category = error.category
            message = "\(place): \(error.message)"
        }
    }

    /// A record named by a file: its reason (the cell of the reason column, nil when the file has none; empty when the
    /// cell is) and the line it is on (for a refusal).
    struct Entry {
        var id: String
        var source: String?
        var reason: String?
        var line: Int
    }

    /// The column of a `--file` that `record reject` reads the reasons from: `reject_reason`, else `reason`, except in
    /// the rejects report (`status`, `record` and `reason` columns, as `report rejects --out` writes them), whose reason
    /// says why a record waits: that file is `isRejectsReport` and has no reason column unless it has a `reject_reason`.
    struct ReasonColumn {
        var index: Int?
        var isRejectsReport: Bool

        init(_ names: [String]) {
            isRejectsReport = names.contains("status") && names.contains("record") && names.contains("reason")
            index = names.firstIndex(of: "reject_reason") ?? (isRejectsReport ? nil : names.firstIndex(of: "reason"))
        }
    }

    /// The records `path` names, with their reasons when `readingReasons` (`record reject`).
    static func entries(_ path: String, source: String?, readingReasons: Bool) throws -> (named: [Entry], reasons: ReasonColumn?) {
        let rows = try FileSystem.spreadsheetCSVRows(path).filter { !$0.isBlank }
        // A cell that starts like a formula was written with a leading `'` by the report (`'-east:r9`): read it without.
        func cell(_ row: CSVRow, _ index: Int) -> String {
            index < row.fields.count ? ReportTable.formulaSafeUndone(row.fields[index].trimmingCharacters(in: .whitespaces)) : ""
        }
        guard let first = rows.first else { throw UsageError("\(path) names no record: write one record id per line") }
        // A spreadsheet's "CSV UTF-8" starts with a byte order mark.
        let names = first.fields.enumerated().map { index, name in
            (index == 0 && name.hasPrefix("\u{FEFF}") ? String(name.dropFirst()) : name).trimmingCharacters(in: .whitespaces).lowercased()
        }
        let reasons = readingReasons ? ReasonColumn(names) : nil
        func reason(_ row: CSVRow) -> String? { reasons?.index.map { cell(row, $0) } }
        if let idColumn = names.firstIndex(of: "id") {
            let sourceColumn = names.firstIndex(of: "source")
            let listed = rows.dropFirst().compactMap { row -> Entry? in
                let id = cell(row, idColumn)
                guard !id.isEmpty else { return nil }
                let stated = sourceColumn.map { cell(row, $0) } ?? ""
                return Entry(id: id, source: stated.isEmpty ? source : stated, reason: reason(row), line: row.line)
            }
            guard !listed.isEmpty else { throw UsageError("\(path) has an id column but no row with an id in it") }
            return (listed, reasons)
        }
        // `report rejects` names a record SOURCE:ID in its `record` column (neither holds a colon); an id alone is in
        // --source, or found as on the command line.
        if let recordColumn = names.firstIndex(of: "record") {
            let listed = rows.dropFirst().compactMap { row -> Entry? in
                let record = cell(row, recordColumn)
                guard !record.isEmpty else { return nil }
                guard let colon = record.firstIndex(of: ":") else { return Entry(id: record, source: source, reason: reason(row), line: row.line) }
                return Entry(id: String(record[record.index(after: colon)...]), source: String(record[..<colon]), reason: reason(row),
                             line: row.line)
            }
            guard !listed.isEmpty else { throw UsageError("\(path) has a record column but no row with a record in it") }
            return (listed, reasons)
        }
        var listed: [Entry] = []
        for (index, row) in rows.enumerated() {
            var line = row.fields.map { $0.trimmingCharacters(in: .whitespaces) }
            if index == 0, line[0].hasPrefix("\u{FEFF}") { line[0].removeFirst() }
            // A line of spaces is blank too (an id of spaces would be looked up as "").
            if line.first?.hasPrefix("#") == true || line == [""] { continue }
            guard line.count == 1 else {
                throw UsageError("\(path):\(row.line): \"\(row.fields.joined(separator: ","))\" is more than one value; write one record "
                    + "id per line, or give the file a header line with an id column (id,volunteer,...)")
            }
            listed.append(Entry(id: line[0], source: source, reason: nil, line: row.line))
        }
        guard !listed.isEmpty else { throw UsageError("\(path) names no record: write one record id per line") }
        return (listed, nil)
    }

    /// `record reject`'s records, each with its reason: the ids typed with `--reason`, those of `--file` with the
    /// cell of its reason column (`ReasonColumn`), or `--reason` when the cell is empty. Refused, naming every line, when
    /// a record is left with no reason or is named twice with two; nothing is rejected then.
    static func rejections(_ arguments: Arguments, source: String?, reason given: String?) throws
        -> (references: [(id: String, source: String?, reason: String)], places: [String: String]) {
        let typed = arguments.positionals
        let typedPlace = "the command line"
        var named: [(id: String, source: String?, reason: String, place: String)] = []
        if !typed.isEmpty {
            guard let given else { throw UsageError("missing --reason: say why the records are rejected") }
            named += typed.map { (id: $0, source: source, reason: given, place: typedPlace) }
        }
        if let path = try arguments.value("--file") {
            let file = try entries(path, source: source, readingReasons: true)
            if file.reasons?.index == nil, given == nil {
                if file.reasons?.isRejectsReport == true {
                    throw UsageError("missing --reason: \(path) is the rejects report, whose reason column says why a record waits, "
                        + "not why to reject it, and is not read. Write each record's reason in a column of its own, "
                        + "reject_reason, or give --reason for all")
                }
                throw UsageError("missing --reason: say why the records are rejected, or give \(path) a header line with a "
                    + "reason column (id,reason)")
            }
            var without: [Entry] = []
            for entry in file.named {
                let cell = entry.reason ?? ""
                guard let reason = cell.isEmpty ? given : cell else {
                    without.append(entry)
                    continue
                }
                // A reason of the file's own that the store would refuse (E104) is refused here, naming its line.
                if !cell.isEmpty, let problem = LedgerRules.lineProblem(cell, maximum: TimeBankStore.recordReasonLengthMaximum) {
                    throw PlacedRefusal(.invalidText(field: "reason for \(entry.id)", problem: problem), at: "\(path):\(entry.line)")
                }
                named.append((entry.id, entry.source, reason, "\(path):\(entry.line)"))
            }
            if !without.isEmpty {
                throw UsageError("\(plural(without.count, "row")) of \(path) \(without.count == 1 ? "has" : "have") no reason and there "
                    + "is no --reason: " + without.map { "\(path):\($0.line) (\($0.id))" }.joined(separator: ", ")
                    + ". Write \(without.count == 1 ? "its reason" : "their reasons"), or give --reason for the rows without one; "
                    + "nothing was rejected")
            }
        }
        guard !named.isEmpty else { throw UsageError("name at least one record: its id, or --file FILE with the ids") }
        // Named twice: once, with its reason; with two reasons, refused (which to keep would be a guess).
        var first: [String: (reason: String, place: String)] = [:], conflicts: [String] = [], kept: [(id: String, source: String?, reason: String)] = []
        for one in named {
            let key = (one.source ?? "") + "\u{0}" + one.id
            if let earlier = first[key] {
                if LedgerRules.trimmingSpaces(earlier.reason) != LedgerRules.trimmingSpaces(one.reason) {
                    conflicts.append("\(one.id) has \"\(earlier.reason)\" (\(earlier.place)) and \"\(one.reason)\" (\(one.place))")
                }
                continue
            }
            first[key] = (one.reason, one.place)
            kept.append((one.id, one.source, one.reason))
        }
        if !conflicts.isEmpty {
            throw UsageError("a record named twice has two reasons: " + conflicts.joined(separator: "; ")
                + ". Give each record one reason; nothing was rejected")
        }
        return (kept, places(named.filter { $0.place != typedPlace }.map { ($0.id, $0.place) }))
    }
}
