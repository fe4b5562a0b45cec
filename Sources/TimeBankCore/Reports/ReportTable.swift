/// A report as values: a title, typed columns, rows of cells, an optional totals row and notes.
/// Made by the store's report functions, rendered as text, CSV or JSON by `rendered(as:)`.
///
///     let table = ReportTable(name: "stations", title: "兑换站汇总 Stations 2026-11-01 – 2026-11-30",
///                             from: LocalDate("2026-11-01"), to: LocalDate("2026-11-30"),
///                             columns: [ReportColumn("station", "Station", .text), ReportColumn("points", "Points", .amount)],
///                             rows: [[.text("S01"), .amount(12_000)]])
///     print(table.rendered(as: .text))
///
/// Amounts are `Int64` hundredths; nothing in a report is a floating-point number.
public struct ReportTable: Sendable, Hashable {
    /// The UTF-8 byte order mark a CSV *file* starts with: Excel and WPS on a Chinese Windows read a CSV file without it
    /// in the local code page and garble every Chinese name. CSV written to standard output (for programs) has none;
    /// timebank's own CSV reader skips it.
    public static let csvFileByteOrderMark = "\u{FEFF}"

    /// A short machine name: `daily`, `stations`, `categories`, `ranking`, `levels`, `expiring`, `rejects`, `fund`.
    public var name: String
    /// One line for people, with the range, e.g. "兑换站汇总 Stations 2026-11-01 – 2026-11-30".
    public var title: String
    /// The first day the report covers (nil when it is not about a range).
    public var from: LocalDate?
    /// The last day the report covers, inclusive.
    public var to: LocalDate?
    public var columns: [ReportColumn]
    /// One array of cells per row, in column order.
    public var rows: [[ReportCell]]
    /// A totals row in column order (shown under a rule in text, as `totals` in JSON, left out of CSV).
    public var totals: [ReportCell]?
    /// Lines for people under the table: checks, warnings, how a number was found.
    public var notes: [String]
    /// Figures of the report besides its rows, for programs (a balance, a ratio, a flag): the notes say them for
    /// people. Non-empty, they are a `figures` object in JSON, and the CSV is written one figure per line
    /// (`ReportTable.renderedCSV`), so that a spreadsheet or a script gets every number, not only the rows.
    public var figures: [ReportFigure]

    public init(name: String, title: String, from: LocalDate? = nil, to: LocalDate? = nil, columns: [ReportColumn],
                rows: [[ReportCell]] = [], totals: [ReportCell]? = nil, notes: [String] = [], figures: [ReportFigure] = []) {
        self.name = name
        self.title = title
        self.from = from
        self.to = to
        self.columns = columns
        self.rows = rows
        self.totals = totals
        self.notes = notes
        self.figures = figures
    }

    /// The cell of `column` (by id) in `row`, or nil when there is no such column.
    public func cell(_ column: String, inRow row: Int) -> ReportCell? {
        guard let index = columns.firstIndex(where: { $0.id == column }), rows.indices.contains(row),
              rows[row].indices.contains(index) else { return nil }
        return rows[row][index]
    }

    /// The values of `column` (by id), top to bottom.
    public func column(_ id: String) -> [ReportCell] {
        guard let index = columns.firstIndex(where: { $0.id == id }) else { return [] }
        return rows.map { index < $0.count ? $0[index] : .empty }
    }
}

/// A column of a report: its id (CSV header, JSON key), its header in text, what its cells hold, how they align.
public struct ReportColumn: Sendable, Hashable {
    /// What the cells of a column hold.
    public enum Kind: String, Sendable, Hashable {
        case text
        case integer
        /// Hundredths, written with two decimals (`12.50`).
        case amount
        case date
    }

    /// A stable id for machines: `points`, `items_out`.
    public var id: String
    /// The header people read in the text table.
    public var header: String
    public var kind: Kind
    public var alignment: TextAlignment

    /// A column; numbers align right and text left unless `alignment` says otherwise.
    public init(_ id: String, _ header: String, _ kind: Kind, alignment: TextAlignment? = nil) {
        self.id = id
        self.header = header
        self.kind = kind
        self.alignment = alignment ?? (kind == .integer || kind == .amount ? .right : .left)
    }
}

/// One value of a report.
public enum ReportCell: Sendable, Hashable {
    case text(String)
    case integer(Int64)
    /// Hundredths.
    case amount(Int64)
    case date(LocalDate)
    /// No value (null in JSON, empty in text and CSV).
    case empty
    /// A count in a totals row under a text column, e.g. how many accounts the rows name: `3 accounts` in text (`1 account`),
    /// and in JSON's `totals` a number of its own keyed by `many` (`"accounts": 3`), beside the sums keyed by column id.
    case tally(Int64, one: String, many: String)

    /// An integer cell from any integer.
    public static func count(_ value: some BinaryInteger) -> ReportCell { .integer(Int64(value)) }

    /// The value as people read it: `12.50`, `3`, `2026-11-01`, the text itself.
    public var text: String {
        switch self {
        case .text(let text): text
        case .integer(let value): String(value)
        case .amount(let value): Hundredths.format(value)
        case .date(let date): date.description
        case .empty: ""
        case .tally(let count, let one, let many): "\(count) \(count == 1 ? one : many)"
        }
    }

    /// The number held, for integer and amount cells.
    public var number: Int64? {
        switch self {
        case .integer(let value), .amount(let value): value
        default: nil
        }
    }
}

/// A named figure of a report that is not a row: `closing_balance` 412.35, `coverage_ratio` 0.813000, `below_one` true.
public struct ReportFigure: Sendable, Hashable {
    /// What a figure holds.
    public enum Value: Sendable, Hashable {
        /// Hundredths, written with two decimals.
        case amount(Int64)
        case integer(Int64)
        /// An exact decimal as written (`0.5`, `0.810811`): a rate, a ratio.
        case decimal(String)
        case flag(Bool)
        case text(String)
        case date(LocalDate)
        /// No value (null in JSON, empty in CSV): a ratio that does not exist.
        case none
    }

    /// A stable id for machines, e.g. `closing_balance`.
    public var id: String
    public var value: Value

    public init(_ id: String, _ value: Value) {
        self.id = id
        self.value = value
    }
}

/// How a report is written out.
public enum ReportFormat: String, Sendable, Hashable, CaseIterable {
    /// Aligned columns for a terminal or a printout (Chinese text stays aligned).
    case text
    /// RFC 4180: a header row of column ids, quoted where needed, `\n` line ends.
    case csv
    /// One object with a stable key order; amounts as decimal numbers with two places.
    case json

    /// How messages name the format: `text`, `CSV`, `JSON`.
    public var displayName: String {
        switch self {
        case .text: "text"
        case .csv: "CSV"
        case .json: "JSON"
        }
    }

    /// The file name extension of a report written in this format.
    public var fileExtension: String {
        switch self {
        case .text: "txt"
        case .csv: "csv"
        case .json: "json"
        }
    }
}

/// The note a report or the fund's figures carry when records dated in what they cover are not posted yet (pending, or
/// approved and waiting for a nightly settlement): their points count on their own service dates once posted (a record
/// without a verifier is often accepted days later), so a day already settled still changes.
public enum UnpostedRecordsNote {
    /// `3 records dated in this range are not posted yet (…): CONSEQUENCE.`; nil when `count` is 0. `dated`: `in this range`,
    /// `on or before 2026-11-03`.
    public static func text(_ count: Int64, dated: String, consequence: String) -> String? {
        guard count > 0 else { return nil }
        return "\(count) record\(count == 1 ? "" : "s") dated \(dated) \(count == 1 ? "is" : "are") not posted yet (pending, or approved "
            + "and waiting for a nightly settlement): \(consequence)."
    }
}
