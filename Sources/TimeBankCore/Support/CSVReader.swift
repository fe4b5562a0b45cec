/// How the spreadsheets our users save from (Excel, WPS) make the file every import reads: the advice given when a
/// file is a workbook, or text separated by something other than commas.
public enum SpreadsheetAdvice {
    /// The Save As type to choose, in the words of a Chinese-language Excel or WPS.
    public static let saveAsCSV = "save it from the spreadsheet with Save As, type \"CSV UTF-8 (逗号分隔)(*.csv)\", then import the .csv file"
}

/// One record of a CSV file, with where it and each of its fields start, so that a later check can
/// say "volunteers.csv:12:31: birth date is not a date".
public struct CSVRow: Hashable, Sendable {
    /// The field values, unquoted (doubled quotes undone), nothing trimmed.
    public var fields: [String]
    /// Where each field starts: its opening quote for a quoted field. Same count as `fields`.
    public var fieldStarts: [SourceLocation]
    /// The 1-based line on which the record starts (a quoted field may run over several lines).
    public var line: Int

    /// Creates a row; `fieldStarts` must have one location per field.
    public init(fields: [String], fieldStarts: [SourceLocation], line: Int) {
        self.fields = fields
        self.fieldStarts = fieldStarts
        self.line = line
    }

    /// The field at a 0-based index, or nil when the row is shorter.
    public subscript(index: Int) -> String? {
        fields.indices.contains(index) ? fields[index] : nil
    }

    /// True when every field is empty, as in the `,,,` rows spreadsheets leave at the end.
    public var isBlank: Bool { fields.allSatisfy(\.isEmpty) }

    /// The line breaks inside the row's fields (a quoted value over several lines): LF, CR LF and a lone CR each count
    /// once, as the reader counts lines.
    public var lineBreaks: Int {
        var count = 0
        for field in fields {
            var previousWasCR = false
            for byte in field.utf8 {
                if byte == 0x0A { if !previousWasCR { count += 1 } } else if byte == 0x0D { count += 1 }
                previousWasCR = byte == 0x0D
            }
        }
        return count
    }

    /// Numbers the records `CSVReader` reads from one file, in order, as the rows a spreadsheet shows: every record is
    /// one row, however many lines a quoted value takes, and every empty line the reader skipped is a blank row of the
    /// sheet, so the rows below it keep their numbers. For a reader that sees one record at a time (`RecordFileStream`).
    public struct SheetRowCounter: Sendable {
        private var row = 0
        /// The line the next record starts on when no empty line comes before it.
        private var nextLine = 1

        public init() {}

        /// The sheet row of `record`, the next record read.
        public mutating func row(of record: CSVRow) -> Int {
            row += max(0, record.line - nextLine) + 1
            nextLine = record.line + record.lineBreaks + 1
            return row
        }
    }

    /// The row a spreadsheet shows for each of `rows` (every record `CSVReader` read from one file, in order): every
    /// record is one row, however many lines a quoted value takes, and every empty line the reader skipped is a blank row
    /// of the sheet, so the rows below it keep their numbers (as `RecordFileStream` numbers a record file's rows).
    ///
    ///     // "id,name\n\nH1,\"two\nlines\"\nH2,x\n": the records start on lines 1, 3 and 5
    ///     CSVRow.sheetRows(rows)   // [1, 3, 4]
    public static func sheetRows(_ rows: [CSVRow]) -> [Int] {
        var counter = SheetRowCounter()
        return rows.map { counter.row(of: $0) }
    }
}

/// A problem in a CSV file: bad quoting, or a header that lacks, repeats or adds columns.
public struct CSVError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Stable ids, never reused for another meaning.
    public enum Code: String, Hashable, Sendable, CaseIterable {
        /// A quoted field runs to the end of the file.
        case unterminatedQuote = "I101"
        /// A `"` in the middle of a field that did not start with one.
        case quoteInUnquotedField = "I102"
        /// Characters between a closing quote and the next comma or line end.
        case textAfterClosingQuote = "I103"
        /// The header lacks a column that is required.
        case missingColumn = "I104"
        /// The header names a column that is neither required nor optional.
        case unknownColumn = "I105"
        /// The header names the same column twice.
        case duplicateColumn = "I106"
    }

    /// What kind of problem it is; its raw value is the stable id.
    public var code: Code
    /// The span at fault (for quoting errors, the quote character; for header errors, the name).
    public var range: SourceRange
    /// The 1-based field (CSV column) number, when the problem is inside one field.
    public var fieldNumber: Int?
    /// What is wrong, in one sentence.
    public var message: String
    /// What to write instead, when we can tell.
    public var help: String?

    /// Creates an error value; the reader and `CSVColumns` make these.
    public init(code: Code, range: SourceRange, fieldNumber: Int?, message: String, help: String? = nil) {
        self.code = code
        self.range = range
        self.fieldNumber = fieldNumber
        self.message = message
        self.help = help
    }

    /// The stable id, such as `I101`.
    public var id: String { code.rawValue }
    /// Where the problem starts.
    public var location: SourceLocation { range.start }

    /// `line:column: error[I101]: message`, for logs and tests.
    public var description: String { "\(location): error[\(id)]: \(message)" }

    /// The same problem as a diagnostic, for the shared renderer.
    public var diagnostic: Diagnostic {
        Diagnostic(severity: .error, id: id, message: message, range: range, help: help.map { [$0] } ?? [])
    }
}

/// The rows of a CSV file and every quoting problem found on the way.
public struct CSVParseResult: Hashable, Sendable {
    /// Every record in file order, the header row (if any) first.
    public var rows: [CSVRow]
    /// Quoting errors in file order. Reading goes on after each one, except an unterminated quote,
    /// which swallows the rest of the file.
    public var errors: [CSVError]
}

/// Reads CSV (RFC 4180) from UTF-8 bytes: comma-separated fields, quoted fields that may hold
/// commas, doubled quotes (`""`) and line breaks; records end with CRLF, LF or a lone CR.
///
///     let result = CSVReader.parse(Array("id,name\r\nV0001,\"王, 小明\"\n".utf8))
///     result.rows[1].fields  // ["V0001", "王, 小明"]
///     result.rows[1].line    // 2
///
/// Rules beyond RFC 4180, chosen for files that people export from spreadsheets:
/// - a UTF-8 byte order mark at the start is skipped (locations still count its bytes in `offset`);
/// - empty lines are skipped, and a last record may end without a line break;
/// - nothing is trimmed, inside quotes or out; `a, "b"` is a quoting error, not `b`.
///
/// Check the encoding first (`TextEncodingCheck`): invalid UTF-8 decodes to U+FFFD here.
/// For files too large to hold, `CSVStreamReader` reads the same way from pieces.
///
/// - Complexity: O(n) in the number of bytes.
public enum CSVReader {
    /// Reads every record, collecting all quoting errors.
    public static func parse(_ bytes: [UInt8]) -> CSVParseResult {
        bytes.withUnsafeBufferPointer { buffer in
            var parser = Parser(bytes: buffer, baseOffset: 0, line: 1, isFinal: true)
            parser.skipByteOrderMark()
            return parser.parseAll()
        }
    }

    /// Reads every record, or throws the first quoting error.
    public static func rows(_ bytes: [UInt8]) throws(CSVError) -> [CSVRow] {
        let result = parse(bytes)
        if let first = result.errors.first { throw first }
        return result.rows
    }
}

/// One record read by `CSVStreamReader`, with the quoting errors found in it.
public struct CSVStreamRecord: Sendable {
    /// The fields, their starts and the line, as `CSVReader.parse` gives them.
    public var row: CSVRow
    /// The quoting errors inside this record, in file order.
    public var errors: [CSVError]
    /// Per field: whether it was written in quotes (its start is then the opening quote).
    public var fieldIsQuoted: [Bool]
    /// True when a quoted field runs to the end of the file: this is the last record.
    public var isUnterminated: Bool
}

/// Reads CSV from a file handed over in pieces (of any size: a quoted field, a CRLF or the byte
/// order mark may be split between two), with the same rules and the same locations as
/// `CSVReader.parse`, holding only the record being read.
///
///     var reader = CSVStreamReader()
///     for chunk in chunks { reader.feed(chunk) { record, text in ... } }
///     reader.finish { record, text in ... }
///
/// Each record is handed over with its bytes as written (`text`, valid only during the call), so
/// that a caller can keep the lines of the few records it reports.
///
/// - Complexity: O(n) in the number of bytes (a record longer than a piece is read again only when the bytes held
///   have doubled); memory O(the longest record + one piece).
public struct CSVStreamReader {
    /// Bytes received and not yet read: a record that is not complete yet, then the newest piece.
    private var buffer: [UInt8] = []
    /// The file offset of `buffer[0]`.
    private var bufferOffset = 0
    /// The line on which `buffer[0]` starts (always the start of a record or of a blank line).
    private var line = 1
    private var handledByteOrderMark = false
    /// An unterminated quote swallowed the rest: nothing more is read.
    private var isDone = false
    /// The buffer's size at which an unfinished record is read again: twice what it was when last found unfinished,
    /// so that a record longer than a piece (10,000 commas read a byte at a time, an unclosed quote early in a large
    /// file) is read from its start a logarithmic number of times, not once per piece.
    private var readAgainAtCount = 0
    /// The bytes handed to the parser so far, counting a byte read again each time (for the test that this stays linear).
    private(set) var bytesScanned = 0

    /// Creates a reader at the start of a file.
    public init() {}

    /// Bytes read so far and handed over as records.
    public var bytesRead: Int { bufferOffset }

    /// Adds the next piece of the file and hands over every record it completes.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer, each: (CSVStreamRecord, UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        guard !isDone else { return }
        buffer.append(contentsOf: bytes)
        try drain(isFinal: false, each: each)
    }

    /// Adds the next piece of the file (an array) and hands over every record it completes.
    public mutating func feed(_ bytes: [UInt8], each: (CSVStreamRecord, UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        try bytes.withUnsafeBytes { try feed($0, each: each) }
    }

    /// Ends the file: hands over the last record (which may lack a line break).
    public mutating func finish(each: (CSVStreamRecord, UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        guard !isDone else { return }
        try drain(isFinal: true, each: each)
        isDone = true
        buffer = []
    }

    private mutating func drain(isFinal: Bool, each: (CSVStreamRecord, UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        if !handledByteOrderMark {
            // Three bytes decide whether the file starts with a byte order mark.
            guard buffer.count >= 3 || isFinal else { return }
            handledByteOrderMark = true
        }
        guard isFinal || buffer.count >= readAgainAtCount else { return }
        let skipMark = bufferOffset == 0 && TextEncodingCheck.startsWithByteOrderMark(buffer)
        bytesScanned += buffer.count
        let (consumed, nextLine, unterminated) = try buffer.withUnsafeBufferPointer { all in
            var parser = Parser(bytes: all, baseOffset: bufferOffset, line: line, isFinal: isFinal)
            if skipMark { parser.skipByteOrderMark() }
            var unterminated = false
            loop: while true {
                let errorsBefore = parser.errors.count
                switch parser.nextRow() {
                case .end, .needMore:
                    break loop
                case .row(let row, let isUnterminated):
                    let record = CSVStreamRecord(row: row, errors: Array(parser.errors[errorsBefore...]),
                                                 fieldIsQuoted: parser.quoted, isUnterminated: isUnterminated)
                    try each(record, UnsafeBufferPointer(rebasing: all[parser.rowStart..<parser.index]))
                    if isUnterminated {
                        unterminated = true
                        break loop
                    }
                }
            }
            return (parser.index, parser.line, unterminated)
        }
        buffer.removeFirst(consumed)
        bufferOffset += consumed
        line = nextLine
        readAgainAtCount = 2 * buffer.count
        if unterminated { isDone = true }
    }
}

private let quote = UInt8(ascii: "\"")
private let comma = UInt8(ascii: ",")
private let carriageReturn = UInt8(ascii: "\r")
private let lineFeed = UInt8(ascii: "\n")

/// A single pass over the bytes that keeps the current line and column up to date. It reads a
/// whole file, or a window of one (`isFinal` false) where a record that reaches the window's end
/// is left for the next window.
private struct Parser {
    let bytes: UnsafeBufferPointer<UInt8>
    /// The file offset of `bytes[0]`.
    let baseOffset: Int
    /// Whether the file ends where `bytes` end.
    let isFinal: Bool
    var index = 0
    var line: Int
    /// Unicode scalars already read on the current line.
    var scalarsOnLine = 0
    var rows: [CSVRow] = []
    var errors: [CSVError] = []
    /// Bytes of a quoted field, which differ from the input when quotes were doubled.
    var quotedFieldBytes: [UInt8] = []
    /// Per field of the last record read: whether it was quoted.
    var quoted: [Bool] = []
    /// Where the last record read starts in `bytes`.
    var rowStart = 0

    init(bytes: UnsafeBufferPointer<UInt8>, baseOffset: Int, line: Int, isFinal: Bool) {
        self.bytes = bytes
        self.baseOffset = baseOffset
        self.line = line
        self.isFinal = isFinal
    }

    /// Skips a UTF-8 byte order mark at the start of the file.
    mutating func skipByteOrderMark() {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            index = 3
        }
    }

    var location: SourceLocation { SourceLocation(line: line, column: scalarsOnLine + 1, offset: baseOffset + index) }

    var isAtEnd: Bool { index >= bytes.count }

    func isLineBreak(_ byte: UInt8) -> Bool { byte == lineFeed || byte == carriageReturn }

    /// Moves past one byte that is not a line break.
    mutating func advance() {
        // Continuation bytes (10xxxxxx) belong to the scalar already counted.
        if bytes[index] & 0xC0 != 0x80 { scalarsOnLine += 1 }
        index += 1
    }

    /// Moves past a line break at `index` (CRLF counts as one) and returns its bytes' range.
    mutating func consumeLineBreak() -> Range<Int> {
        let start = index
        if bytes[index] == carriageReturn, index + 1 < bytes.count, bytes[index + 1] == lineFeed {
            index += 2
        } else {
            index += 1
        }
        line += 1
        scalarsOnLine = 0
        return start..<index
    }

    /// The range of one quote character starting at `location`.
    func quoteRange(at location: SourceLocation) -> SourceRange {
        SourceRange(start: location, end: SourceLocation(line: location.line, column: location.column + 1, offset: location.offset + 1))
    }

    mutating func parseAll() -> CSVParseResult {
        while case .row(let row, let isUnterminated) = nextRow() {
            rows.append(row)
            if isUnterminated { break }
        }
        return CSVParseResult(rows: rows, errors: errors)
    }

    enum NextRow {
        /// A record; an unterminated one is the last.
        case row(CSVRow, isUnterminated: Bool)
        /// The file has no more records.
        case end
        /// The window ends inside the next record (or in a CR that a LF may follow): nothing was read.
        case needMore
    }

    /// Skips empty lines and reads the next record.
    mutating func nextRow() -> NextRow {
        while !isAtEnd, isLineBreak(bytes[index]) {
            // A CR at the window's end may be the first half of a CRLF.
            if !isFinal, bytes[index] == carriageReturn, index + 1 == bytes.count { return .needMore }
            _ = consumeLineBreak()
        }
        if isAtEnd { return isFinal ? .end : .needMore }
        let saved = (index: index, line: line, errors: errors.count)
        rowStart = index
        let (row, ending) = parseRow()
        if !isFinal, ending != .lineBreak {
            // The record may go on in the next window: read it again from its start then.
            index = saved.index
            line = saved.line
            scalarsOnLine = 0
            errors.removeSubrange(saved.errors...)
            return .needMore
        }
        return .row(row, isUnterminated: ending == .unterminated)
    }

    /// How a record ended.
    enum RowEnding {
        /// With a line break that is certainly complete.
        case lineBreak
        /// At the end of the bytes (or with a CR that is their last byte).
        case endOfBytes
        /// Inside a quoted field that is never closed; the partial record is returned.
        case unterminated
    }

    /// Reads one record starting at a non-empty line.
    mutating func parseRow() -> (CSVRow, RowEnding) {
        var fields: [String] = []
        var starts: [SourceLocation] = []
        quoted.removeAll(keepingCapacity: true)
        let rowLine = line
        var ending = RowEnding.endOfBytes
        while true {
            let start = location
            starts.append(start)
            let fieldNumber = starts.count
            if !isAtEnd, bytes[index] == quote {
                quoted.append(true)
                guard let value = parseQuotedField(start: start, fieldNumber: fieldNumber) else {
                    fields.append(String(decoding: quotedFieldBytes, as: UTF8.self))
                    return (CSVRow(fields: fields, fieldStarts: starts, line: rowLine), .unterminated)
                }
                fields.append(value)
            } else {
                quoted.append(false)
                fields.append(parseUnquotedField(fieldNumber: fieldNumber))
            }
            if isAtEnd { break }
            if bytes[index] == comma {
                advance()
                continue
            }
            _ = consumeLineBreak()
            // A CR as the very last byte may be followed by a LF that is not here yet.
            ending = isAtEnd && bytes[index - 1] == carriageReturn ? .endOfBytes : .lineBreak
            break
        }
        return (CSVRow(fields: fields, fieldStarts: starts, line: rowLine), ending)
    }

    /// Reads up to the next comma, line break or end. A quote inside is kept, and reported.
    mutating func parseUnquotedField(fieldNumber: Int) -> String {
        let start = index
        var reported = false
        while !isAtEnd {
            let byte = bytes[index]
            if byte == comma || isLineBreak(byte) { break }
            if byte == quote, !reported {
                reported = true
                let at = location
                errors.append(CSVError(
                    code: .quoteInUnquotedField, range: quoteRange(at: at), fieldNumber: fieldNumber,
                    message: "quote inside field \(fieldNumber), which does not start with a quote",
                    help: "quote the whole field and double the quotes inside it, as in \"say \"\"hi\"\"\"; "
                        + "a quoted field must start right after the comma, with no space"))
            }
            advance()
        }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
    }

    /// Reads a quoted field from its opening quote; nil when the bytes end inside it, with the
    /// bytes read so far left in `quotedFieldBytes`.
    mutating func parseQuotedField(start: SourceLocation, fieldNumber: Int) -> String? {
        quotedFieldBytes.removeAll(keepingCapacity: true)
        advance() // the opening quote
        while true {
            guard !isAtEnd else {
                errors.append(CSVError(
                    code: .unterminatedQuote, range: quoteRange(at: start), fieldNumber: fieldNumber,
                    message: "quoted field \(fieldNumber) opened here is never closed",
                    help: "add the closing quote; a quote inside a quoted field is written twice (\"\")"))
                return nil
            }
            let byte = bytes[index]
            if byte == quote {
                if index + 1 < bytes.count, bytes[index + 1] == quote {
                    quotedFieldBytes.append(quote)
                    advance()
                    advance()
                    continue
                }
                advance() // the closing quote
                break
            }
            if isLineBreak(byte) {
                let lineBreak = consumeLineBreak()
                quotedFieldBytes.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[lineBreak]))
                continue
            }
            quotedFieldBytes.append(byte)
            advance()
        }
        // After the closing quote only a comma, a line break or the end may follow.
        if !isAtEnd, bytes[index] != comma, !isLineBreak(bytes[index]) {
            let at = location
            errors.append(CSVError(
                code: .textAfterClosingQuote, range: quoteRange(at: at), fieldNumber: fieldNumber,
                message: "text after the closing quote of field \(fieldNumber)",
                help: "a quote inside a quoted field is written twice (\"\"); put the whole field in quotes"))
            while !isAtEnd, bytes[index] != comma, !isLineBreak(bytes[index]) {
                quotedFieldBytes.append(bytes[index])
                advance()
            }
        }
        return String(decoding: quotedFieldBytes, as: UTF8.self)
    }
}

/// The columns of a CSV file by name, read from its header row, so that columns may come in any
/// order and each row is read by name.
///
///     let columns = CSVColumns(header: rows[0], required: ["id", "name"], optional: ["tags"])
///     columns.errors                          // [] when all is well
///     columns.value("name", in: rows[1])      // "王家"
///
/// Names match after trimming surrounding spaces, ignoring ASCII case (`ID` is `id`).
public struct CSVColumns: Hashable, Sendable {
    /// The line of the header row.
    public let headerLine: Int
    /// Required names the header lacks, in the order they were asked for.
    public let missingRequired: [String]
    /// Header names that are neither required nor optional, as written.
    public let unknownNames: [String]
    /// Every header problem: missing, unknown and repeated columns.
    public let errors: [CSVError]
    private let indexByName: [String: Int]

    /// Maps the names in `header` to their 0-based field indexes. `aliases` are other names of columns (`服务日期` for
    /// `date`), each to the column it names: the header should come with them read already; they are only looked at
    /// for an unknown column's did-you-mean, where two near names of one column are no tie (`开始时` is one edit from
    /// `开始` and from `开始时间`: start).
    public init(header: CSVRow, required: [String], optional: [String] = [], aliases: [String: String] = [:]) {
        var expectedByKey: [String: String] = [:]
        for name in required + optional {
            expectedByKey[Self.matchKey(name)] = name
        }
        var indexByName: [String: Int] = [:]
        var unknown: [(name: String, index: Int)] = []
        var errors: [CSVError] = []
        for (index, written) in header.fields.enumerated() {
            let range = Self.range(ofField: index, in: header)
            guard let expected = expectedByKey[Self.matchKey(written)] else {
                unknown.append((written, index))
                continue
            }
            if let first = indexByName[expected] {
                errors.append(CSVError(
                    code: .duplicateColumn, range: range, fieldNumber: index + 1,
                    message: "column \"\(expected)\" appears twice (columns \(first + 1) and \(index + 1))",
                    help: "remove one of them"))
            } else {
                indexByName[expected] = index
            }
        }
        let missing = required.filter { indexByName[$0] == nil }
        let headerStart = header.fieldStarts.first ?? SourceLocation(line: header.line, column: 1, offset: 0)
        // A header typed in Chinese is told the Chinese headings each column may have too: `id (编号, 记录编号, 序号)`.
        let chineseHeadings = header.fields.contains(where: Spelling.isWrittenInChinese)
            ? Dictionary(grouping: aliases.keys.filter(Spelling.isWrittenInChinese).sorted(), by: { aliases[$0]! }) : [:]
        func named(_ column: String) -> String {
            chineseHeadings[column].map { "\(column) (or \($0.joined(separator: ", ")))" } ?? column
        }
        for name in missing {
            let inChinese = chineseHeadings[name].map { " (in Chinese: \($0.joined(separator: ", ")))" } ?? ""
            errors.append(CSVError(
                code: .missingColumn, range: SourceRange(at: headerStart), fieldNumber: nil,
                message: "the header has no \"\(name)\" column" + inChinese,
                help: "the header row must name these columns: " + required.map(named).joined(separator: chineseHeadings.isEmpty ? "," : "; ")))
        }
        let unclaimed = (required + optional).filter { indexByName[$0] == nil }
        let spellings = unclaimed.map { (spelling: $0, meaning: $0) }
            + aliases.sorted { $0.key < $1.key }.filter { unclaimed.contains($0.value) }.map { (spelling: $0.key, meaning: $0.value) }
        for (written, index) in unknown {
            let trimmed = Self.trimmed(written)
            let message = trimmed.isEmpty
                ? "column \(index + 1) has no name"
                : "unknown column \"\(trimmed)\""
            let help: String
            // Case, spaces, hyphens and underscores are ignored ("Birth Date", "birth-date" → birth_date), then a near spelling
            // of a column's name or of one of its aliases.
            // A heading typed in Chinese gets the Chinese heading, with the column it names (`服务时常` → "服务时长" (minutes)).
            if let suggestion = Spelling.nearestSpelling(to: trimmed, among: spellings) {
                help = Spelling.didYouMean(suggestion)
            } else {
                help = "known columns: " + (required + optional).joined(separator: ",")
            }
            errors.append(CSVError(
                code: .unknownColumn, range: Self.range(ofField: index, in: header), fieldNumber: index + 1,
                message: message, help: help))
        }
        errors.sort { ($0.location.offset, $0.code.rawValue) < ($1.location.offset, $1.code.rawValue) }
        self.headerLine = header.line
        self.missingRequired = missing
        self.unknownNames = unknown.map(\.name)
        self.errors = errors
        self.indexByName = indexByName
    }

    /// The 0-based field index of a required or optional column, or nil when the header lacks it.
    public func index(of name: String) -> Int? {
        indexByName[name]
    }

    /// The value of column `name` in `row`, or nil when the header lacks the column or the row
    /// is too short to reach it.
    public func value(_ name: String, in row: CSVRow) -> String? {
        index(of: name).flatMap { row[$0] }
    }

    /// Where column `name`'s field starts in `row`, to point an error at a bad value.
    public func location(of name: String, in row: CSVRow) -> SourceLocation? {
        guard let index = index(of: name), row.fieldStarts.indices.contains(index) else { return nil }
        return row.fieldStarts[index]
    }

    private static func trimmed(_ name: String) -> String {
        var scalars = name.unicodeScalars[...]
        while let first = scalars.first, first.properties.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }

    /// Trimmed and with ASCII letters lowercased.
    private static func matchKey(_ name: String) -> String {
        String(String.UnicodeScalarView(trimmed(name).unicodeScalars.map { scalar in
            ("A"..."Z").contains(scalar) ? Unicode.Scalar(scalar.value + 32)! : scalar
        }))
    }

    /// The header field's span, assuming it sits on one line (header names hold no line breaks).
    private static func range(ofField index: Int, in header: CSVRow) -> SourceRange {
        let start = header.fieldStarts[index]
        let text = header.fields[index]
        return SourceRange(start: start, end: SourceLocation(
            line: start.line, column: start.column + text.unicodeScalars.count, offset: start.offset + text.utf8.count))
    }
}

extension CSVRow {
    /// For a header read as a single column that holds tabs or semicolons, what separates its columns: the file was saved
    /// as "Text (tab delimited)" / "文本文件(制表符分隔)" or "CSV (semicolon)", not as CSV. Nil for any other row.
    public var otherSeparator: (character: Character, name: String)? {
        guard fields.count == 1, let only = fields.first else { return nil }
        if only.contains("\t") { return ("\t", "tabs") }
        if only.contains(";") { return (";", "semicolons") }
        return nil
    }

    /// The sheet's title this row holds when it stands above a file's header, or nil when it is no title: one filled
    /// cell, the first (a merged title cell such as 太白湖社区志愿者名单 is saved as one cell and empty ones), that names no
    /// column (`namesColumn`, given the cell trimmed) and is not a header saved with tabs or semicolons (I107). The record
    /// and community imports skip such rows, as every header of theirs names two columns or more.
    public func sheetTitle(namesColumn: (String) -> Bool) -> String? {
        guard let first = fields.first, otherSeparator == nil else { return nil }
        let title = LedgerRules.trimmingSpaces(first)
        guard !title.isEmpty, fields.dropFirst().allSatisfy({ LedgerRules.trimmingSpaces($0).isEmpty }), !namesColumn(title) else { return nil }
        return title
    }
}
