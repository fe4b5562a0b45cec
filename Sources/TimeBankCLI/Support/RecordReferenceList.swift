import Foundation
import TimeBankCore

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

    /// The help lines both `record approve` and `record reject` show for the form of an id.
    static let idHelp = """
    ID may also be written SOURCE:ID (wechat:r1), as the messages and award memos name a record; an
    entry number is not read as the record it posted (`record show` takes one).
    """

    /// The ids typed and the ids in `--file`, in that order, each once; at least one.
    static func references(_ arguments: Arguments, source: String?) throws -> [(id: String, source: String?)] {
        var references = arguments.positionals.map { (id: $0, source: source) }
        if let path = try arguments.value("--file") {
            references += try read(path, source: source)
        }
        guard !references.isEmpty else { throw UsageError("name at least one record: its id, or --file FILE with the ids") }
        var seen = Set<String>()
        return references.filter { seen.insert(($0.source ?? "") + "\u{0}" + $0.id).inserted }
    }

    /// The records `path` names: a CSV with an `id` column, else with a `record` column (SOURCE:ID, or an id), else one id
    /// per line.
    static func read(_ path: String, source: String?) throws -> [(id: String, source: String?)] {
        let rows = try FileSystem.spreadsheetCSVRows(path).filter { !$0.isBlank }
        func cell(_ row: CSVRow, _ index: Int) -> String {
            index < row.fields.count ? row.fields[index].trimmingCharacters(in: .whitespaces) : ""
        }
        guard let first = rows.first else { throw UsageError("\(path) names no record: write one record id per line") }
        // A spreadsheet's "CSV UTF-8" starts with a byte order mark.
        let names = first.fields.enumerated().map { index, name in
            (index == 0 && name.hasPrefix("\u{FEFF}") ? String(name.dropFirst()) : name).trimmingCharacters(in: .whitespaces).lowercased()
        }
        if let idColumn = names.firstIndex(of: "id") {
            let sourceColumn = names.firstIndex(of: "source")
            let listed = rows.dropFirst().compactMap { row -> (id: String, source: String?)? in
                let id = cell(row, idColumn)
                guard !id.isEmpty else { return nil }
                let stated = sourceColumn.map { cell(row, $0) } ?? ""
                return (id, stated.isEmpty ? source : stated)
            }
            guard !listed.isEmpty else { throw UsageError("\(path) has an id column but no row with an id in it") }
            return listed
        }
        // `report rejects` names a record SOURCE:ID in its `record` column (neither holds a colon); an id alone is in
        // --source, or found as on the command line.
        if let recordColumn = names.firstIndex(of: "record") {
            let listed = rows.dropFirst().compactMap { row -> (id: String, source: String?)? in
                let record = cell(row, recordColumn)
                guard !record.isEmpty else { return nil }
                guard let colon = record.firstIndex(of: ":") else { return (record, source) }
                return (String(record[record.index(after: colon)...]), String(record[..<colon]))
            }
            guard !listed.isEmpty else { throw UsageError("\(path) has a record column but no row with a record in it") }
            return listed
        }
        var listed: [(id: String, source: String?)] = []
        for (index, row) in rows.enumerated() {
            var line = row.fields.map { $0.trimmingCharacters(in: .whitespaces) }
            if index == 0, line[0].hasPrefix("\u{FEFF}") { line[0].removeFirst() }
            if line.first?.hasPrefix("#") == true { continue }
            guard line.count == 1 else {
                throw UsageError("\(path):\(row.line): \"\(row.fields.joined(separator: ","))\" is more than one value; write one record "
                    + "id per line, or give the file a header line with an id column (id,volunteer,...)")
            }
            listed.append((line[0], source))
        }
        guard !listed.isEmpty else { throw UsageError("\(path) names no record: write one record id per line") }
        return listed
    }
}
