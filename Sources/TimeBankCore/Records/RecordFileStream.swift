/// Reads a record file handed over in pieces, row by row, holding only the row being read: the
/// encoding check, the format, the header, and every row through `RecordValidator`, with the same
/// rows, row numbers, locations and problems as `RecordFile.read` gives for the whole file.
///
///     var stream = RecordFileStream(fileName: "october.csv", context: context)
///     for chunk in chunks {
///         try stream.feed(chunk) { row, text in ... }    // text: the row as written, valid during the call
///     }
///     try stream.finish { row, text in ... }
///
/// The pieces are checked to be UTF-8 before they are read; the first bad byte throws
/// `RecordFileStream.NotUTF8` with its offset, and `RecordFile.encodingError(prefix:fileName:)`
/// turns the file's start into the full I100 error. A file refused whole (not UTF-8, a bad header)
/// may throw only after rows were handed over: a caller that stores rows as they come does so in
/// a transaction it rolls back on a throw.
///
/// - Complexity: O(n) in the size of the file; memory: one piece, the longest row, and what
///   `RecordValidator` keeps to check rows against each other.
public struct RecordFileStream {
    /// What one data row gave.
    public enum Row {
        /// The row was read and checked: accepted, a duplicate of an earlier row, or rejected.
        case checked(RecordInputRow, RecordValidator.Outcome)
        /// The row could not be read (broken quoting, too many fields, not a JSON object): rejected whole.
        case unreadable(RejectedRow)
    }

    /// A row as written in the file: its bytes (valid only during the call that hands them over) and
    /// the line it starts on, so that a caller can keep the lines of the rows it reports.
    public struct RowText {
        public var bytes: UnsafeBufferPointer<UInt8>
        public var line: Int
    }

    /// A byte that is not part of valid UTF-8 text, at this file offset.
    public struct NotUTF8: Error, Hashable, Sendable {
        public var offset: Int
    }

    /// The file name, for messages.
    public let fileName: String
    /// The format, once known (from the name, or from the first byte that is not a space).
    public private(set) var format: RecordFileFormat?
    /// Data rows handed over so far (blank rows and the header are not counted).
    public private(set) var rowsRead = 0
    /// Rows above a CSV header read as the sheet's title and skipped (`太白湖社区服务记录,,,,`: a merged cell saved as one
    /// cell and empty ones), in file order.
    public private(set) var skippedTitles: [SkippedTitle] = []
    /// When set, every this many rows are checked by a fresh `RecordValidator`, which forgets the rows
    /// before, so that memory does not grow with the file. Only for a caller that stores each accepted
    /// row at once, where the validator's lookup of stored records sees it: overlaps with earlier rows
    /// are then found through the lookup, and an earlier row's id when the row is stored (a duplicate
    /// or a conflict with a row of the same file, which the caller tells apart from a record stored before).
    public var validatorBatchRows: Int?
    private var rowsSinceNewValidator = 0

    private var validator: RecordValidator
    private var encoding = UTF8StreamCheck()
    private let checksEncoding: Bool
    /// The first bytes, held until they tell the format.
    private var formatProbe: [UInt8] = []
    private var started = false
    /// A refusal found in the header; reported at the end, unless the file is not UTF-8.
    private var refusal: RecordFileError?

    // CSV
    private var csv = CSVStreamReader()
    private var header: CSVRow?
    /// Columns at the end of the header with no heading (a sheet's columns formatted past the last one, saved as `,,`):
    /// left out of `header`, and their cells read past while they are empty.
    private var unnamedTrailingColumns = 0
    private var headerColumnCount = 0
    private var fieldByIndex: [(index: Int, field: RecordField)] = []
    /// The values of the row being read, kept to reuse their memory.
    private var rowValues = RecordInputValues()
    /// Quoting errors not yet given to a row: those before the header, or in blank rows.
    private var carriedErrors: [CSVError] = []
    /// The spreadsheet row of the CSV record being read: every record counts, and so does every empty line (a blank row
    /// of the sheet), so that a row number is the one a spreadsheet shows (the header is row 1 when nothing is above it).
    private var rowNumber = 0
    private var sheetRows = CSVRow.SheetRowCounter()

    // JSON Lines
    /// The start of a line that has no line feed yet.
    private var lineBuffer: [UInt8] = []
    /// The file offset of `lineBuffer[0]`, and its line.
    private var lineBufferOffset = 0
    private var jsonLine = 1
    private var jsonStarted = false

    /// Creates a stream for one file.
    /// - Parameters:
    ///   - format: nil: told from the name (`.csv`, `.jsonl`), else from the content.
    ///   - checksEncoding: false when the caller checked the whole file already.
    public init(fileName: String, format: RecordFileFormat? = nil, context: RecordValidator.Context, checksEncoding: Bool = true) {
        self.fileName = fileName
        self.validator = RecordValidator(context: context)
        self.checksEncoding = checksEncoding
        let lower = fileName.lowercased()
        if let format {
            self.format = format
        } else if lower.hasSuffix(".csv") {
            self.format = .csv
        } else if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") || lower.hasSuffix(".json") {
            self.format = .jsonLines
        }
    }

    /// Reads the next piece of the file, handing each row it completes to `each`.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer, each: (Row, RowText) throws -> Void) throws {
        if checksEncoding, !encoding.feed(bytes) { throw NotUTF8(offset: encoding.firstBadOffset ?? 0) }
        guard refusal == nil else { return }
        guard started else {
            // The first bytes are held until they tell the format and whether a byte order mark starts the file.
            formatProbe.append(contentsOf: bytes)
            guard formatProbe.count >= 3 else { return }
            if format == nil {
                guard Self.startsWithContent(formatProbe) else { return }
                format = RecordFileFormat.guess(fileName: fileName, bytes: formatProbe)
            }
            try start(each: each)
            return
        }
        try read(bytes, each: each)
    }

    /// Reads the next piece (an array).
    public mutating func feed(_ bytes: [UInt8], each: (Row, RowText) throws -> Void) throws {
        try bytes.withUnsafeBytes { try feed($0, each: each) }
    }

    /// Ends the file: reads its last row, then throws when the file is refused whole.
    public mutating func finish(each: (Row, RowText) throws -> Void) throws {
        if checksEncoding, !encoding.finish() { throw NotUTF8(offset: encoding.firstBadOffset ?? 0) }
        if let refusal { throw refusal }
        if !started {
            if format == nil { format = RecordFileFormat.guess(fileName: fileName, bytes: formatProbe) }
            try start(each: each)
        }
        switch format! {
        case .csv:
            var reader = csv
            csv = CSVStreamReader()
            try reader.finish { record, text in try csvRecord(record, text: text, each: each) }
            csv = reader
            if let refusal { throw refusal }
            if header == nil { throw Self.noHeader(fileName: fileName, titles: skippedTitles) }
        case .jsonLines:
            if !lineBuffer.isEmpty {
                let last = lineBuffer
                lineBuffer = []
                try last.withUnsafeBufferPointer { try readJSONLine($0, each: each) }
            }
        }
    }

    /// True when the bytes (after a byte order mark) hold something other than spaces and line breaks.
    private static func startsWithContent(_ bytes: [UInt8]) -> Bool {
        let start = TextEncodingCheck.startsWithByteOrderMark(bytes) ? 3 : 0
        return bytes.count > start && bytes[start...].contains { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
    }

    /// Reads the bytes held so far, once the format is known.
    private mutating func start(each: (Row, RowText) throws -> Void) throws {
        started = true
        let probe = formatProbe
        formatProbe = []
        try probe.withUnsafeBytes { try read($0, each: each) }
    }

    private mutating func read(_ bytes: UnsafeRawBufferPointer, each: (Row, RowText) throws -> Void) throws {
        switch format! {
        case .csv:
            // The reader is taken out while it calls back into this stream.
            var reader = csv
            csv = CSVStreamReader()
            defer { csv = reader }
            try reader.feed(bytes) { record, text in try csvRecord(record, text: text, each: each) }
        case .jsonLines:
            try jsonPiece(bytes, each: each)
        }
    }

    private mutating func check(_ row: RecordInputRow) -> RecordValidator.Outcome {
        if let batch = validatorBatchRows {
            rowsSinceNewValidator += 1
            if rowsSinceNewValidator > batch {
                validator = RecordValidator(context: validator.context)
                rowsSinceNewValidator = 1
            }
        }
        return validator.check(row)
    }

    // MARK: CSV

    static func noHeader(fileName: String, titles: [SkippedTitle] = []) -> RecordFileError {
        let read = titles.isEmpty ? [] : ["every row has one cell, read as a title above the header (line \(titles[0].line): \"\(titles[0].text)\""
                                          + (titles.count > 1 ? ", and \(titles.count - 1) more" : "") + "): a header names two columns or more"]
        return .badHeader(fileName: fileName, problems: [Diagnostic(
            severity: .error, id: "E040", message: "the file has no header row",
            range: SourceRange(at: SourceLocation(line: titles.first?.line ?? 1, column: 1, offset: 0)),
            help: read + ["the first line names the columns, e.g. id,volunteer,category,date,start,end,verifier"])])
    }

    private mutating func csvRecord(_ record: CSVStreamRecord, text bytes: UnsafeBufferPointer<UInt8>,
                                    each: (Row, RowText) throws -> Void) throws {
        guard refusal == nil else { return }
        let csvRow = record.row
        let text = RowText(bytes: bytes, line: csvRow.line)
        rowNumber = sheetRows.row(of: csvRow)
        guard let header else {
            carriedErrors += record.errors
            if csvRow.isBlank { return }
            // A title above the header (a row of the spreadsheet, so counted as one): skipped, and said.
            if record.errors.isEmpty,
               let title = csvRow.sheetTitle(namesColumn: { RecordField(columnName: $0) != nil || $0 == RecordRejectsFile.column }) {
                skippedTitles.append(SkippedTitle(line: csvRow.line, text: title))
                return
            }
            readHeader(csvRow)
            return
        }
        if csvRow.isBlank {
            // Quoting errors of a blank row go to the next row that is read.
            carriedErrors += record.errors
            return
        }
        rowsRead += 1
        let start = csvRow.fieldStarts.first ?? SourceLocation(line: csvRow.line, column: 1, offset: 0)
        let rowRange = SourceRange(start: start, end: SourceLocation(line: start.line, column: start.column + 1, offset: start.offset + 1))
        let errors = carriedErrors.isEmpty ? record.errors : carriedErrors + record.errors
        carriedErrors = []
        if !errors.isEmpty {
            let quoting = errors.map { error in
                let column = error.fieldNumber.flatMap { number in fieldByIndex.first { $0.index == number - 1 }?.field.name } ?? ""
                return RecordRowError(.malformedRow, row: rowNumber, column: column, range: error.range,
                                      message: error.message, help: error.help)
            }
            try each(.unreadable(RejectedRow(row: rowNumber, errors: quoting)), text)
            return
        }
        // Cells past the header that are empty (a sheet's columns with no heading and nothing in them, or commas left at
        // the end of a line) hold nothing to lose: read past. One with a value is refused, as it belongs to no column.
        if csvRow.fields.count > header.fields.count,
           let index = csvRow.fields.indices.dropFirst(header.fields.count).first(where: { !csvRow.fields[$0].trimmingASCIISpaces().isEmpty }) {
            let extra = csvRow.fieldStarts[index]
            if index >= header.fields.count + unnamedTrailingColumns {
                try each(.unreadable(RejectedRow(row: rowNumber, errors: [RecordRowError(
                    .malformedRow, row: rowNumber, column: "",
                    range: SourceRange(start: extra, end: SourceLocation(line: extra.line, column: extra.column + 1, offset: extra.offset + 1)),
                    message: "the row has \(csvRow.fields.count) fields but the header has \(header.fields.count + unnamedTrailingColumns)",
                    help: "a comma inside a value needs the value in double quotes: \"探访, 助餐\"")])), text)
                return
            }
            try each(.unreadable(RejectedRow(row: rowNumber, errors: [RecordRowError(
                .malformedRow, row: rowNumber, column: "",
                range: RecordFile.range(of: csvRow.fields[index], at: extra, quoted: record.fieldIsQuoted[index]),
                message: "\"\(csvRow.fields[index])\" is in column \(index + 1), which has no heading",
                help: "give the column its heading (one of the known columns) or move the value to its column, then import the "
                    + "row again; a comma inside a value needs the value in double quotes: \"探访, 助餐\"")])), text)
            return
        }
        // One buffer of values serves every row (a caller that keeps a row keeps a copy): each column of the
        // header sets its field's value, or clears it when the cell is empty or missing.
        for (index, field) in fieldByIndex {
            let value = index < csvRow.fields.count ? csvRow.fields[index] : ""
            if value.isEmpty {
                rowValues.remove(field)
            } else {
                rowValues.setText(value, range: RecordFile.range(of: value, at: csvRow.fieldStarts[index], quoted: record.fieldIsQuoted[index]),
                                  of: field)
            }
        }
        let row = RecordInputRow(row: rowNumber, range: rowRange, values: rowValues)
        var outcome = check(row)
        // A row that ends early is read with its last cells empty (a file written by hand may leave out trailing empty
        // cells). When a rejection concerns a column it has no cell for, the shortness is said first: the row was probably
        // cut or split by a line break, and "no category" alone would not say so.
        if csvRow.fields.count < header.fields.count, case .rejected(let errors) = outcome,
           case let missing = header.fields[csvRow.fields.count...].map({ $0.trimmingASCIISpaces() }).filter({ !$0.isEmpty }),
           case let fields = Set(missing.map { RecordField(columnName: $0)?.name ?? $0 }),
           errors.contains(where: { fields.contains($0.column) || ($0.id == "E020" && !fields.isDisjoint(with: ["category", "indicator"])) }) {
            let end = csvRow.fieldStarts.last ?? start
            outcome = .rejected([RecordRowError(
                .malformedRow, row: rowNumber, column: "",
                range: SourceRange(start: end, end: SourceLocation(line: end.line, column: end.column + 1, offset: end.offset + 1)),
                message: "the row has \(csvRow.fields.count) field\(csvRow.fields.count == 1 ? "" : "s") but the header has "
                    + "\(header.fields.count): it has no cell for \(missing.joined(separator: ", "))",
                help: "a row ends early when it was cut, or split by a line break inside a value (put such a value in double "
                    + "quotes); give every column its cell, an empty one between two commas")] + errors)
        }
        try each(.checked(row, outcome), text)
    }

    /// Reads the header row; a problem in it refuses the file.
    private mutating func readHeader(_ headerRow: CSVRow) {
        var row = headerRow
        while row.fields.count > 1, row.fields.last!.trimmingASCIISpaces().isEmpty {
            row.fields.removeLast()
            row.fieldStarts.removeLast()
            unnamedTrailingColumns += 1
        }
        header = row
        // Quoting problems in the header (or in blank rows before it) refuse the file.
        if !carriedErrors.isEmpty {
            refusal = .badHeader(fileName: fileName, problems: carriedErrors.map(\.diagnostic))
            return
        }
        if let separated = Self.otherSeparatorProblem(row) {
            refusal = .badHeader(fileName: fileName, problems: [separated])
            return
        }
        let translated = CSVRow(fields: row.fields.map { RecordField(columnName: $0)?.name ?? $0 },
                                fieldStarts: row.fieldStarts, line: row.line)
        // `rejected_because`: the reasons a rejects file carries (`RecordRejectsFile`), read past.
        let columns = CSVColumns(header: translated, required: [RecordField.id.name],
                                 optional: RecordField.allCases.filter { $0 != .id }.map(\.name) + [RecordRejectsFile.column],
                                 aliases: RecordField.chineseNames.mapValues(\.name))
        var problems = columns.errors.map { error in
            var diagnostic = error.diagnostic
            // A column the team leader added (负责人, 联系电话): the file is refused whole, so say how to go on.
            if error.code == .unknownColumn, diagnostic.help.first?.hasPrefix("known columns") == true {
                diagnostic.help.append("delete the column (or rename it to one of the known ones; Chinese names such as 编号, 志愿者, "
                    + "服务类别, 服务日期, 开始, 结束, 时长, 核实人, 备注 are read too), then import the file again")
            }
            return diagnostic
        }
        if columns.index(of: "category") == nil, columns.index(of: "indicator") == nil {
            problems.append(Diagnostic(
                severity: .error, id: CSVError.Code.missingColumn.rawValue,
                message: "the header has neither a \"category\" column (service records) nor an \"indicator\" column (assessments)",
                range: SourceRange(at: row.fieldStarts.first ?? SourceLocation(line: row.line, column: 1, offset: 0)),
                help: ["columns: " + RecordField.names.joined(separator: ",")]))
        }
        if !problems.isEmpty {
            refusal = .badHeader(fileName: fileName, problems: problems)
            return
        }
        fieldByIndex = RecordField.allCases.compactMap { field in columns.index(of: field.name).map { ($0, field) } }
    }

    /// A header of one column holding tabs or semicolons: the file is tab-separated text (what Excel and WPS save as
    /// "Unicode text" or "文本文件(制表符分隔)") or semicolon-separated, not CSV. One problem says so, instead of a
    /// missing id column and an unknown column named by the whole line.
    static func otherSeparatorProblem(_ header: CSVRow) -> Diagnostic? {
        guard let separator = header.otherSeparator, let only = header.fields.first else { return nil }
        let names = only.split(separator: separator.character).map { String($0).trimmingASCIISpaces() }
        guard names.contains(where: { RecordField(columnName: $0) != nil }) else { return nil }
        let start = header.fieldStarts.first ?? SourceLocation(line: header.line, column: 1, offset: 0)
        return Diagnostic(
            severity: .error, id: "I107",
            message: "the header's columns are separated by \(separator.name), not commas: this is not a CSV file",
            range: SourceRange(at: start),
            help: [SpreadsheetAdvice.saveAsCSV])
    }

    // MARK: JSON Lines

    /// Splits a piece into lines; a line without its line feed waits for the next piece.
    private mutating func jsonPiece(_ bytes: UnsafeRawBufferPointer, each: (Row, RowText) throws -> Void) throws {
        let piece = bytes.bindMemory(to: UInt8.self)
        var lineStart = 0
        if !jsonStarted {
            // The first piece holds at least 3 bytes (or the whole file): enough to see a byte order mark.
            jsonStarted = true
            if piece.count >= 3, piece[0] == 0xEF, piece[1] == 0xBB, piece[2] == 0xBF {
                lineStart = 3
                lineBufferOffset = 3
            }
        }
        var index = lineStart
        while index < piece.count {
            guard piece[index] == 0x0A else {
                index += 1
                continue
            }
            if lineBuffer.isEmpty {
                try readJSONLine(UnsafeBufferPointer(rebasing: piece[lineStart..<index]), each: each)
            } else {
                lineBuffer.append(contentsOf: piece[lineStart..<index])
                let joined = lineBuffer
                lineBuffer = []
                try joined.withUnsafeBufferPointer { try readJSONLine($0, each: each) }
            }
            lineBufferOffset += 1 // the line feed
            jsonLine += 1
            index += 1
            lineStart = index
        }
        lineBuffer.append(contentsOf: piece[lineStart..<piece.count])
    }

    /// Reads one line (without its line feed) that starts at `lineBufferOffset`, then moves the offset past it.
    private mutating func readJSONLine(_ content: UnsafeBufferPointer<UInt8>, each: (Row, RowText) throws -> Void) throws {
        let lineStart = lineBufferOffset
        let line = jsonLine
        let text = RowText(bytes: content, line: line)
        lineBufferOffset += content.count
        if content.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return }
        rowsRead += 1
        let lineRange = SourceRange(start: SourceLocation(line: line, column: 1, offset: lineStart),
                                    end: SourceLocation(line: line, column: 2, offset: lineStart + 1))
        switch JSONLineParser.parseObject(Array(content), line: line, lineOffset: lineStart) {
        case .failure(let failure):
            try each(.unreadable(RejectedRow(row: line, errors: [RecordRowError(
                .malformedRow, row: line, column: "", range: failure.range, message: failure.message,
                help: "each line is one JSON object, such as {\"id\": \"r1\", \"volunteer\": \"V0001\", \"category\": \"orange\", \"date\": \"2026-10-03\", \"minutes\": 90}")])),
                text)
        case .success(let members):
            var values = RecordInputValues()
            var problems: [RecordRowError] = []
            var keys: [RecordField: String] = [:]
            for member in members {
                // Keys are read as a CSV header's names are: ASCII case and surrounding spaces do not count (`"ID"`,
                // `"Minutes"`), and the Chinese names (`"日期"`) are read too.
                // The reasons a rejects file carries (`RecordRejectsFile`) are read past.
                if member.key == RecordRejectsFile.column { continue }
                guard let field = RecordField(columnName: member.key) else {
                    // A Chinese name a character off means the field its near names name (开始时: 开始, 开始时间, both start),
                    // and is answered with the Chinese name and the field it names ("开始" (start)).
                    let hint = ExpressionSpelling.suggestion(for: member.key.lowercased(), among: RecordField.names).map { "did you mean \"\($0)\"?" }
                        ?? Spelling.nearestSpelling(to: member.key, among: RecordField.chineseNames.sorted { $0.key < $1.key }
                                                        .map { (spelling: $0.key, meaning: $0.value.name) })
                            .map(Spelling.didYouMean)
                    problems.append(RecordRowError(.unexpectedField, row: line, column: member.key, range: member.keyRange,
                                                   message: "unknown field \"\(member.key)\"",
                                                   help: hint ?? "fields: " + RecordField.names.joined(separator: ", ")))
                    continue
                }
                // Two keys for one field (`"id"` and `"ID"`, `"date"` and `"日期"`): which one is meant is not for us to guess.
                if case .null = member.value { continue }
                if let earlier = keys[field] {
                    problems.append(RecordRowError(.unexpectedField, row: line, column: member.key, range: member.keyRange,
                                                   message: "\"\(earlier)\" and \"\(member.key)\" both give the \(field.name)",
                                                   help: "keep one of them"))
                    continue
                }
                keys[field] = member.key
                switch member.value {
                case .null: continue
                case .string(let text): values[field] = RecordInputValue(.text(text), range: member.range)
                case .number(let text) where RecordField.identifiers.contains(field):
                    // "id": 100 is the id "100", as written; "id": 1e2 or 1.5 would be the id "1e2" while "minutes": 1e2 is 100,
                    // so an id that is not written in digits alone is refused: quoted, it means what it shows.
                    guard text.utf8.enumerated().allSatisfy({ $0.element >= 0x30 && $0.element <= 0x39 || $0.offset == 0 && $0.element == 0x2D }) else {
                        let value = JSONLineParser.wholeNumberText(text).map { " (or \"\(member.key)\": \"\($0)\", if that is the \(field.name))" } ?? ""
                        problems.append(RecordRowError(.invalidID, row: line, column: field.name, range: member.range,
                                                       message: "the \(field.name) \(text) is a JSON number not written in digits alone: an id is text",
                                                       help: "quote it as text: \"\(member.key)\": \"\(text)\"" + value))
                        continue
                    }
                    values[field] = RecordInputValue(.text(text), range: member.range)
                case .number(let text):
                    // "minutes": 60.0 or 1e2: a JSON number is its value, so a whole one counts as written in digits.
                    let whole = field == .minutes || field == .rating ? JSONLineParser.wholeNumberText(text) : nil
                    values[field] = RecordInputValue(.text(whole ?? text), range: member.range)
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
                let row = RecordInputRow(row: line, range: lineRange, values: values)
                try each(.checked(row, check(row)), text)
            } else {
                try each(.unreadable(RejectedRow(row: line, errors: problems)), text)
            }
        }
    }
}

/// A row above a file's header read as the sheet's title and skipped (`CSVRow.sheetTitle`, `RecordFileStream.skippedTitles`).
public struct SkippedTitle: Sendable, Hashable {
    /// The line it is on.
    public var line: Int
    /// Its one cell, trimmed.
    public var text: String

    public init(line: Int, text: String) {
        self.line = line
        self.text = text
    }
}
