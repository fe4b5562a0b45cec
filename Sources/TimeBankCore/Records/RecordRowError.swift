/// Why one row of a record file was rejected: the row, the column, the reason and, where we can
/// tell, what to write instead. Codes are stable and documented in `docs/errors.md` ("Records and
/// scoring (E)").
///
///     records.csv:14:23: error[E006]: row 14, column "date": "2026-02-30" is not a day: February 2026 has 28 days
public struct RecordRowError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The stable ids of row problems.
    public enum Code: String, Hashable, Sendable, CaseIterable {
        /// A required value is missing.
        case missingField = "E001"
        /// An id (record, volunteer, household, station, source) is empty, too long, or has spaces or `:`.
        case invalidID = "E002"
        /// No such volunteer or household in the community.
        case unknownVolunteer = "E003"
        /// The policy in force on the record's date declares no such category.
        case unknownCategory = "E004"
        /// The policy in force on the record's date declares no such indicator.
        case unknownIndicator = "E005"
        /// A date that is malformed or names no real day (2026-02-30).
        case invalidDate = "E006"
        /// A time that is not `HH:MM` on a 24-hour clock.
        case invalidTime = "E007"
        /// The end is not after the start, or the service runs past midnight.
        case endNotAfterStart = "E008"
        /// Minutes that are not a whole number 0–1440, or disagree with the start and end.
        case invalidMinutes = "E009"
        /// The service overlaps another record of the same volunteer.
        case overlap = "E010"
        /// A rating that is not a whole number 1–5.
        case invalidRating = "E011"
        /// A response level that is not I, II or III.
        case invalidResponseLevel = "E012"
        /// A period that is malformed or of another length than the indicator's `per`.
        case invalidPeriod = "E013"
        /// A result that is not `met` or `broken`.
        case invalidResult = "E014"
        /// The same id appears earlier in the file with other content.
        case conflictingDuplicate = "E015"
        /// The same id is stored already with other content.
        case conflictsWithStored = "E016"
        /// No such station.
        case unknownStation = "E017"
        /// Text that is too long or holds control characters (a note, a tag, a verifier).
        case invalidText = "E018"
        /// A date after today.
        case dateInFuture = "E019"
        /// A row with both a category and an indicator, or neither.
        case kindUnclear = "E020"
        /// No policy is in force on the record's date, so its category cannot be checked.
        case noPolicyInForce = "E021"
        /// A field that this kind of record does not have, or an unknown JSON key.
        case unexpectedField = "E022"
        /// A line of a JSON Lines file that is not one JSON object, or a CSV row with broken quoting.
        case malformedRow = "E023"
        /// More than 24 hours of service on one day.
        case dayOverfull = "E024"
        /// The volunteer does not belong to the household the row names.
        case householdMismatch = "E025"
        /// The same indicator assessed twice for the same volunteer or household in one period.
        case assessedTwice = "E026"
        /// The verifier is the record's own volunteer, or a member of the household it assesses (本人核实: `SelfVerification`).
        case verifiedBySelf = "E029"
    }

    public var code: Code
    /// The row as a spreadsheet numbers it (the header is row 1); for JSON Lines, the line.
    public var row: Int
    /// The column (field name) at fault, such as `date`; empty for the row as a whole.
    public var column: String
    /// Where the bad value is in the file.
    public var range: SourceRange
    public var message: String
    public var help: String?

    /// Creates a row error.
    public init(_ code: Code, row: Int, column: String, range: SourceRange, message: String, help: String? = nil) {
        self.code = code
        self.row = row
        self.column = column
        self.range = range
        self.message = message
        self.help = help
    }

    /// The stable id, such as `E006`.
    public var id: String { code.rawValue }

    /// `row 14, column "date": message`.
    public var reason: String {
        column.isEmpty ? "row \(row): \(message)" : "row \(row), column \"\(column)\": \(message)"
    }

    /// `14:23: error[E006]: row 14, column "date": ...`.
    public var description: String { "\(range.start): error[\(id)]: \(reason)" }

    /// The same problem as a diagnostic, for `DiagnosticRenderer` (source line and marker).
    public var diagnostic: Diagnostic {
        Diagnostic(severity: .error, id: id, message: reason, range: range, help: help.map { [$0] } ?? [])
    }
}
