/// A report that cannot be made as asked: bad input (exit 2). Codes Q001–Q007, in docs/errors.md.
public enum ReportError: TimeBankError, Hashable {
    /// The range ends before it starts.
    case rangeReversed(from: LocalDate, to: LocalDate)
    /// `--from` after yesterday, with no `--to` (which then means yesterday).
    case startsAfterDefaultEnd(from: LocalDate, yesterday: LocalDate)
    /// A format that is not text, csv or json.
    case unknownFormat(String)
    /// More days than a report covers at once.
    case rangeTooLong(days: Int, maximum: Int)
    /// `--top` that is not a whole number of at least 1.
    case invalidTop(String)
    /// `--by` that is not points or hours.
    case unknownMeasure(String)
    /// `--within` that is not a whole number of days in 0...maximum.
    case invalidWithin(String, maximum: Int)
    /// `--out FILE` whose extension names one format while `--format` (or `--json`, `askedBy`) asks for another.
    case formatDisagreesWithFile(file: String, fileFormat: ReportFormat, asked: ReportFormat, askedBy: String)

    /// What people call the spreadsheet format they want, which is CSV here.
    static let spreadsheetWords: Set<String> = ["xlsx", "xls", "excel", "et", "wps", "ods", "spreadsheet", "表格", "电子表格", "excel表格"]

    /// The longest range one report covers: ten years and a few leap days.
    public static let rangeDaysMaximum = 3_660

    public var code: String {
        switch self {
        case .rangeReversed, .startsAfterDefaultEnd: "Q001"
        case .unknownFormat: "Q002"
        case .rangeTooLong: "Q003"
        case .invalidTop: "Q004"
        case .unknownMeasure: "Q005"
        case .invalidWithin: "Q006"
        case .formatDisagreesWithFile: "Q007"
        }
    }

    public var category: ErrorCategory { .badInput }

    public var message: String {
        switch self {
        case .rangeReversed(let from, let to):
            "the range starts on \(from) after it ends on \(to); give --from on or before --to"
        case .startsAfterDefaultEnd(let from, let yesterday):
            "the range starts on \(from), but without --to it ends yesterday (\(yesterday)); "
                + "give --from on or before \(yesterday), or a --to"
        case .unknownFormat(let text):
            "unknown report format \"\(text)\"; use text, csv or json"
                + (Self.spreadsheetWords.contains(text.halfWidth.lowercased())
                    ? ": for a spreadsheet write --format csv --out FILE.csv, which Excel and WPS open (with Chinese names)" : "")
        case .rangeTooLong(let days, let maximum):
            "the range covers \(days) days; a report with a row per day covers at most \(maximum): split it into shorter ranges"
        case .invalidTop(let text):
            "--top \"\(text)\" is not a whole number of at least 1; e.g. --top 10"
        case .unknownMeasure(let text):
            "--by \"\(text)\" is not a ranking measure; use points or hours"
        case .invalidWithin(let text, let maximum):
            "--within \"\(text)\" is not a number of days from 0 to \(maximum); e.g. --within 30"
        case .formatDisagreesWithFile(let file, let fileFormat, let asked, let askedBy):
            "--out \(file) names a \(fileFormat.displayName) file, but \(askedBy) writes \(asked.displayName); write --out "
                + "\(Self.file(file, withExtensionOf: asked)) for \(asked.displayName), or leave out \(askedBy) for \(fileFormat.displayName)"
        }
    }

    /// Checks a report's range: not reversed (Q001), at most `rangeDaysMaximum` days (Q003) when the report has a row
    /// per day (`rowPerDay`, `report daily`). The other reports' size and cost follow what is stored in the range,
    /// not its days, so "since the beginning" (`--from 2000-01-01`) is one report there, as it is for `fund report`:
    /// balances and a coverage ratio cannot be added up from shorter ranges.
    public static func validate(from: LocalDate, through: LocalDate, rowPerDay: Bool = false) throws(ReportError) {
        guard from <= through else { throw .rangeReversed(from: from, to: through) }
        let days = through.daysSinceEpoch - from.daysSinceEpoch + 1
        guard !rowPerDay || days <= rangeDaysMaximum else { throw .rangeTooLong(days: days, maximum: rangeDaysMaximum) }
    }

    /// `file` with its last extension replaced by the one of `format`: `daily.json` → `daily.csv`.
    public static func file(_ file: String, withExtensionOf format: ReportFormat) -> String {
        let nameStart = file.lastIndex(of: "/").map { file.index(after: $0) } ?? file.startIndex
        guard let dot = file[nameStart...].lastIndex(of: "."), dot != nameStart else { return file + "." + format.fileExtension }
        return file[..<dot] + "." + format.fileExtension
    }

    /// The format named `text` (Q002 when it is none).
    public static func format(_ text: String) throws(ReportError) -> ReportFormat {
        guard let format = ReportFormat(rawValue: text.lowercased()) else { throw .unknownFormat(text) }
        return format
    }
}
