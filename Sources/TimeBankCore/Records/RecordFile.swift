/// The two formats of record files (`docs/records.md`).
public enum RecordFileFormat: String, Sendable, Hashable, CaseIterable {
    /// RFC 4180 CSV with a header row; columns in any order.
    case csv
    /// One JSON object per line.
    case jsonLines = "jsonl"

    /// The format a file name says (`.csv`; `.jsonl`, `.ndjson`), else what the content starts
    /// with (`{` is JSON Lines).
    public static func guess(fileName: String, bytes: [UInt8]) -> RecordFileFormat {
        let lower = fileName.lowercased()
        if lower.hasSuffix(".csv") { return .csv }
        if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") || lower.hasSuffix(".json") { return .jsonLines }
        var index = TextEncodingCheck.startsWithByteOrderMark(bytes) ? 3 : 0
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        return index < bytes.count && bytes[index] == UInt8(ascii: "{") ? .jsonLines : .csv
    }
}

/// A problem that refuses a record file as a whole: nothing in it is used.
public enum RecordFileError: TimeBankError, Hashable {
    /// I100: the file is not UTF-8 (with the likely encoding and the `iconv` command).
    case notUTF8(TextEncodingError)
    /// I104–I106, E040: the header row lacks, repeats or adds columns, or the file has no header.
    case badHeader(fileName: String, problems: [Diagnostic])

    public var code: String {
        switch self {
        case .notUTF8: TextEncodingError.id
        case .badHeader(_, let problems): problems.first?.id ?? "E040"
        }
    }

    public var category: ErrorCategory { .badInput }

    public var message: String {
        switch self {
        case .notUTF8(let error):
            "\(error.fileName):\(error.location): \(error.message); nothing was read\nhelp: \(error.help)"
        case .badHeader(let fileName, let problems):
            problems.map { "\(fileName):\($0.range.start): \($0.message)" + ($0.help.first.map { " (\($0))" } ?? "") }
                .joined(separator: "\n") + "\nNothing was read: fix the header row."
        }
    }

    /// The problems as diagnostics, to render with the file's lines.
    public var diagnostics: [Diagnostic] {
        switch self {
        case .notUTF8(let error): [error.diagnostic]
        case .badHeader(_, let problems): problems
        }
    }
}

/// A row turned into a record.
public struct AcceptedRecord: Sendable, Hashable {
    public var row: Int
    public var record: Record
    /// Where the row's id is, to point at it when a stored record conflicts.
    public var idRange: SourceRange

    public init(row: Int, record: Record, idRange: SourceRange) {
        self.row = row
        self.record = record
        self.idRange = idRange
    }
}

/// A row repeating an earlier row of the same file (same id, same content).
public struct DuplicateRecord: Sendable, Hashable {
    public var row: Int
    public var firstRow: Int
    public var record: Record

    public init(row: Int, firstRow: Int, record: Record) {
        self.row = row
        self.firstRow = firstRow
        self.record = record
    }
}

/// A rejected row with every problem found in it.
public struct RejectedRow: Sendable, Hashable {
    public var row: Int
    public var errors: [RecordRowError]

    public init(row: Int, errors: [RecordRowError]) {
        self.row = row
        self.errors = errors
    }
}

/// What reading a record file gave. `rowsRead == accepted.count + duplicates.count + rejected.count`.
public struct RecordFileContents: Sendable {
    public var fileName: String
    public var format: RecordFileFormat
    /// Data rows read (blank rows and the header are not counted).
    public var rowsRead: Int
    public var accepted: [AcceptedRecord]
    public var duplicates: [DuplicateRecord]
    public var rejected: [RejectedRow]
    /// The file's text, to show the lines of rejected rows.
    public var source: String

    /// The records of the accepted rows, in file order.
    public var records: [Record] { accepted.map(\.record) }
}

/// Reads record files: the encoding check, the format, the header, every row through `RecordValidator`.
///
///     let contents = try RecordFile.read(bytes, fileName: "october.csv", context: context)
///     contents.rowsRead == contents.accepted.count + contents.duplicates.count + contents.rejected.count  // always
public enum RecordFile {
    /// The most rows one file may have.
    public static let rowCountMaximum = 5_000_000

    /// Reads `bytes`; throws only when the file as a whole is refused (not UTF-8, a bad header).
    /// - Complexity: O(n) in the size of the file, plus the overlap checks per volunteer and day.
    public static func read(
        _ bytes: [UInt8], fileName: String, format: RecordFileFormat? = nil, context: RecordValidator.Context
    ) throws(RecordFileError) -> RecordFileContents {
        do {
            try TextEncodingCheck.requireUTF8(bytes, fileName: fileName)
        } catch {
            throw .notUTF8(error)
        }
        let format = format ?? RecordFileFormat.guess(fileName: fileName, bytes: bytes)
        var validator = RecordValidator(context: context)
        var rowsRead = 0
        var accepted: [AcceptedRecord] = []
        var duplicates: [DuplicateRecord] = []
        var rejected: [RejectedRow] = []
        // Each row is checked as soon as it is read, so that the rows of a large file are never all held at once.
        func check(_ row: RecordInputRow) {
            rowsRead += 1
            switch validator.check(row) {
            case .accepted(let record):
                accepted.append(AcceptedRecord(row: row.row, record: record, idRange: row.values[.id]?.range ?? row.range))
            case .duplicate(let record, let firstRow): duplicates.append(DuplicateRecord(row: row.row, firstRow: firstRow, record: record))
            case .rejected(let errors): rejected.append(RejectedRow(row: row.row, errors: errors))
            }
        }
        func unreadable(_ row: RejectedRow) {
            rowsRead += 1
            rejected.append(row)
        }
        switch format {
        case .csv: try csvRows(bytes, fileName: fileName, each: check, unreadable: unreadable)
        case .jsonLines: jsonRows(bytes, each: check, unreadable: unreadable)
        }
        rejected.sort { $0.row < $1.row }
        return RecordFileContents(
            fileName: fileName, format: format, rowsRead: rowsRead,
            accepted: accepted, duplicates: duplicates, rejected: rejected, source: String(decoding: bytes, as: UTF8.self))
    }

    // MARK: CSV

    /// Hands each data row of a CSV file to `each`, in file order, and each row whose quoting is broken
    /// (rejected whole) to `unreadable`.
    static func csvRows(_ bytes: [UInt8], fileName: String, each: (RecordInputRow) -> Void,
                        unreadable: (RejectedRow) -> Void) throws(RecordFileError) {
        let parsed = CSVReader.parse(bytes)
        guard let headerIndex = parsed.rows.firstIndex(where: { !$0.isBlank }) else {
            throw .badHeader(fileName: fileName, problems: [Diagnostic(
                severity: .error, id: "E040", message: "the file has no header row",
                range: SourceRange(at: SourceLocation(line: 1, column: 1, offset: 0)),
                help: ["the first line names the columns, e.g. id,volunteer,category,date,start,end,verifier"])])
        }
        let header = parsed.rows[headerIndex]
        // Quoting problems in the header refuse the file; in a data row they reject that row.
        let headerEnd = parsed.rows.indices.contains(headerIndex + 1) ? parsed.rows[headerIndex + 1].line : Int.max
        let headerQuoting = parsed.errors.filter { $0.location.line < headerEnd }
        if !headerQuoting.isEmpty { throw .badHeader(fileName: fileName, problems: headerQuoting.map(\.diagnostic)) }

        let translated = CSVRow(fields: header.fields.map { RecordField(columnName: $0)?.name ?? $0 },
                                fieldStarts: header.fieldStarts, line: header.line)
        let columns = CSVColumns(header: translated, required: [RecordField.id.name],
                                 optional: RecordField.allCases.filter { $0 != .id }.map(\.name))
        var problems = columns.errors.map(\.diagnostic)
        if columns.index(of: "category") == nil, columns.index(of: "indicator") == nil {
            problems.append(Diagnostic(
                severity: .error, id: CSVError.Code.missingColumn.rawValue,
                message: "the header has neither a \"category\" column (service records) nor an \"indicator\" column (assessments)",
                range: SourceRange(at: header.fieldStarts.first ?? SourceLocation(line: header.line, column: 1, offset: 0)),
                help: ["columns: " + RecordField.names.joined(separator: ",")]))
        }
        if !problems.isEmpty { throw .badHeader(fileName: fileName, problems: problems) }

        let fieldByIndex: [(Int, RecordField)] = RecordField.allCases.compactMap { field in columns.index(of: field.name).map { ($0, field) } }
        var errorIndex = parsed.errors.firstIndex { $0.location.line >= headerEnd } ?? parsed.errors.count
        var rowNumber = 1
        let dataRows = parsed.rows[(headerIndex + 1)...]
        for (offset, csvRow) in zip(dataRows.indices, dataRows) {
            if csvRow.isBlank { continue }
            rowNumber += 1
            let start = csvRow.fieldStarts.first ?? SourceLocation(line: csvRow.line, column: 1, offset: 0)
            let rowRange = SourceRange(start: start, end: SourceLocation(line: start.line, column: start.column + 1, offset: start.offset + 1))
            // The quoting errors that fall inside this row.
            let nextLine = parsed.rows.indices.contains(offset + 1) ? parsed.rows[offset + 1].line : Int.max
            var quoting: [RecordRowError] = []
            while errorIndex < parsed.errors.count, parsed.errors[errorIndex].location.line < nextLine {
                let error = parsed.errors[errorIndex]
                let column = error.fieldNumber.flatMap { number in fieldByIndex.first { $0.0 == number - 1 }?.1.name } ?? ""
                quoting.append(RecordRowError(.malformedRow, row: rowNumber, column: column, range: error.range,
                                              message: error.message, help: error.help))
                errorIndex += 1
            }
            if !quoting.isEmpty {
                unreadable(RejectedRow(row: rowNumber, errors: quoting))
                continue
            }
            if csvRow.fields.count > header.fields.count {
                let extra = csvRow.fieldStarts[header.fields.count]
                unreadable(RejectedRow(row: rowNumber, errors: [RecordRowError(
                    .malformedRow, row: rowNumber, column: "",
                    range: SourceRange(start: extra, end: SourceLocation(line: extra.line, column: extra.column + 1, offset: extra.offset + 1)),
                    message: "the row has \(csvRow.fields.count) fields but the header has \(header.fields.count)",
                    help: "a comma inside a value needs the value in double quotes: \"探访, 助餐\"")]))
                continue
            }
            var values: [RecordField: RecordInputValue] = [:]
            for (index, field) in fieldByIndex where index < csvRow.fields.count {
                let text = csvRow.fields[index]
                if text.isEmpty { continue }
                let fieldStart = csvRow.fieldStarts[index]
                values[field] = RecordInputValue(.text(text), range: range(of: text, at: fieldStart, in: bytes))
            }
            each(RecordInputRow(row: rowNumber, range: rowRange, values: values))
        }
    }

    /// The span of a field's text starting at `start` (a quoted field: from its opening quote;
    /// the span is cut at a line break so the marker stays on one line).
    static func range(of text: String, at start: SourceLocation, in bytes: [UInt8]) -> SourceRange {
        var scalars = 0, byteCount = 0
        let quoted = start.offset < bytes.count && bytes[start.offset] == UInt8(ascii: "\"")
        for scalar in text.unicodeScalars {
            if scalar == "\n" || scalar == "\r" { break }
            scalars += 1
            byteCount += String(scalar).utf8.count
        }
        let extra = quoted ? 2 : 0
        return SourceRange(start: start, end: SourceLocation(line: start.line, column: start.column + scalars + extra,
                                                              offset: start.offset + byteCount + extra))
    }

    // MARK: JSON Lines

    /// Hands the rows of a JSON Lines file to `each`: one object per non-blank line. A line that is
    /// not an object, or has an unknown key, goes to `unreadable`.
    static func jsonRows(_ bytes: [UInt8], each: (RecordInputRow) -> Void, unreadable: (RejectedRow) -> Void) {
        var lineStart = TextEncodingCheck.startsWithByteOrderMark(bytes) ? 3 : 0
        var line = 1
        while lineStart <= bytes.count {
            var lineEnd = lineStart
            while lineEnd < bytes.count, bytes[lineEnd] != 0x0A { lineEnd += 1 }
            defer { lineStart = lineEnd + 1; line += 1 }
            let content = Array(bytes[lineStart..<lineEnd])
            if content.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
                if lineEnd >= bytes.count { break }
                continue
            }
            let lineRange = SourceRange(start: SourceLocation(line: line, column: 1, offset: lineStart),
                                        end: SourceLocation(line: line, column: 2, offset: lineStart + 1))
            switch JSONLineParser.parseObject(content, line: line, lineOffset: lineStart) {
            case .failure(let failure):
                unreadable(RejectedRow(row: line, errors: [RecordRowError(
                    .malformedRow, row: line, column: "", range: failure.range, message: failure.message,
                    help: "each line is one JSON object, such as {\"id\": \"r1\", \"volunteer\": \"V0001\", \"category\": \"orange\", \"date\": \"2026-10-03\", \"minutes\": 90}")]))
            case .success(let members):
                var values: [RecordField: RecordInputValue] = [:]
                var problems: [RecordRowError] = []
                for member in members {
                    guard let field = RecordField(rawValue: member.key) else {
                        let hint = ExpressionSpelling.suggestion(for: member.key, among: RecordField.names).map { "did you mean \"\($0)\"?" }
                        problems.append(RecordRowError(.unexpectedField, row: line, column: member.key, range: member.keyRange,
                                                       message: "unknown field \"\(member.key)\"",
                                                       help: hint ?? "fields: " + RecordField.names.joined(separator: ", ")))
                        continue
                    }
                    switch member.value {
                    case .null: continue
                    case .string(let text): values[field] = RecordInputValue(.text(text), range: member.range)
                    case .number(let text): values[field] = RecordInputValue(.text(text), range: member.range)
                    case .bool(let flag): values[field] = RecordInputValue(.text(flag ? "true" : "false"), range: member.range)
                    case .array(let elements):
                        var items: [String] = []
                        for element in elements {
                            switch element {
                            case .string(let text), .number(let text): items.append(text)
                            default:
                                problems.append(RecordRowError(.unexpectedField, row: line, column: member.key, range: member.range,
                                                               message: "a list of \(member.key) holds text or numbers only"))
                            }
                        }
                        values[field] = RecordInputValue(.list(items), range: member.range)
                    }
                }
                if problems.isEmpty {
                    each(RecordInputRow(row: line, range: lineRange, values: values))
                } else {
                    unreadable(RejectedRow(row: line, errors: problems))
                }
            }
            if lineEnd >= bytes.count { break }
        }
    }
}
