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
    /// The slips of the accepted rows (I110, I111), in row order: accepted all the same, as an import stores them.
    public var warnings: [RecordRowWarning] = []
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
    /// A file too large to hold is read with `RecordFileStream`, in pieces.
    /// - Complexity: O(n) in the size of the file, plus the overlap checks per volunteer and day.
    public static func read(
        _ bytes: [UInt8], fileName: String, format: RecordFileFormat? = nil, context: RecordValidator.Context
    ) throws(RecordFileError) -> RecordFileContents {
        do {
            try TextEncodingCheck.requireUTF8(bytes, fileName: fileName)
        } catch {
            throw .notUTF8(error)
        }
        var stream = RecordFileStream(fileName: fileName, format: format ?? RecordFileFormat.guess(fileName: fileName, bytes: bytes),
                                      context: context, checksEncoding: false)
        var accepted: [AcceptedRecord] = []
        var duplicates: [DuplicateRecord] = []
        var rejected: [RejectedRow] = []
        var warnings: [RecordRowWarning] = []
        // Each row is checked as soon as it is read, so that the rows of a large file are never all held at once.
        func collect(_ row: RecordFileStream.Row, _ text: RecordFileStream.RowText) {
            switch row {
            case .checked(let input, .accepted(let record, let slips)):
                accepted.append(AcceptedRecord(row: input.row, record: record, idRange: input.values[.id]?.range ?? input.range))
                warnings += slips
            case .checked(let input, .duplicate(let record, let firstRow)):
                duplicates.append(DuplicateRecord(row: input.row, firstRow: firstRow, record: record))
            case .checked(let input, .rejected(let errors)):
                rejected.append(RejectedRow(row: input.row, errors: errors))
            case .unreadable(let row):
                rejected.append(row)
            }
        }
        do {
            try stream.feed(bytes, each: collect)
            try stream.finish(each: collect)
        } catch let error as RecordFileError {
            throw error
        } catch {
            preconditionFailure("the encoding was checked before: \(error)")
        }
        rejected.sort { $0.row < $1.row }
        return RecordFileContents(
            fileName: fileName, format: stream.format ?? .csv, rowsRead: stream.rowsRead,
            accepted: accepted, duplicates: duplicates, rejected: rejected, warnings: warnings,
            source: String(decoding: bytes, as: UTF8.self))
    }

    /// The I100 error of a file whose first bad byte `RecordFileStream` found: `prefix` is the file's
    /// start, at least its first `TextEncodingCheck.sampleByteCountMax` bytes (or all of it) and up
    /// to 4 bytes past the bad one, which gives the same error as the whole file would.
    public static func encodingError(prefix: [UInt8], fileName: String) -> RecordFileError {
        do {
            try TextEncodingCheck.requireUTF8(prefix, fileName: fileName)
        } catch {
            return .notUTF8(error)
        }
        // Not reached when the prefix holds the bad byte; a character cut off by the prefix's end is bad.
        return .notUTF8(TextEncodingCheck.error(bytes: prefix, badOffset: max(0, prefix.count - 1), fileName: fileName))
    }

    /// The span of a field's text starting at `start` (a quoted field: from its opening quote;
    /// the span is cut at a line break so the marker stays on one line).
    /// Counted over the UTF-8 bytes (every value of every row needs one): a scalar starts at each byte that is
    /// not a continuation byte (10xxxxxx), and line breaks are ASCII.
    static func range(of text: String, at start: SourceLocation, quoted: Bool) -> SourceRange {
        func count(_ bytes: some Sequence<UInt8>) -> (scalars: Int, bytes: Int) {
            var scalars = 0, byteCount = 0
            for byte in bytes {
                if byte == 0x0A || byte == 0x0D { break }
                if byte & 0xC0 != 0x80 { scalars += 1 }
                byteCount += 1
            }
            return (scalars, byteCount)
        }
        let (scalars, byteCount) = text.utf8.withContiguousStorageIfAvailable(count) ?? count(text.utf8)
        let extra = quoted ? 2 : 0
        return SourceRange(start: start, end: SourceLocation(line: start.line, column: start.column + scalars + extra,
                                                              offset: start.offset + byteCount + extra))
    }
}
