/// A stocktake (盘点) at one station: the numbers counted on the shelf, item by item, which the store compares with its
/// levels and corrects by `count-correction` adjustments of `counted − level`, all in one transaction (docs/stations.md,
/// "Stocktake").
///
///     StockCountRequest(key: "S01-count-2026-11", station: "S01",
///                       lines: [StockCountLine(item: "rice_5kg", counted: 17), StockCountLine(item: "饼干礼盒", counted: 2)],
///                       date: day)
public struct StockCountRequest: Hashable, Sendable {
    public var key: String
    public var station: String
    public var lines: [StockCountLine]
    /// Kept on each correction's stock movement (with the stocktake's key).
    public var note: String
    public var date: LocalDate

    public init(key: String, station: String, lines: [StockCountLine], note: String = "", date: LocalDate) {
        self.key = key
        self.station = station
        self.lines = lines
        self.note = note
        self.date = date
    }

    /// The idempotency fingerprint of a stocktake whose lines name `items` (resolved ids, in any order): the station, the
    /// note and what was counted of each item, not the order of the sheet nor whether an item was typed by id or label.
    public func contentDigest(items: [(item: String, counted: Int)]) -> [UInt8] {
        let sorted = items.sorted { $0.item < $1.item }
        return RedemptionRules.digest(tag: "TBSC1", texts: [key, station, note] + sorted.map(\.item),
                                      integers: sorted.map { Int64($0.counted) })
    }

    /// The note of the correction of one line: `盘点 S01-count-2026-11: counted 61, expected 63`, and `; NOTE` after it when
    /// the stocktake has a note (`correctionNotePrefix` is what comes before the note).
    public static func correctionNote(_ key: String, counted: Int, expected: Int, note: String) -> String {
        note.isEmpty ? "盘点 \(key): counted \(counted), expected \(expected)" : correctionNotePrefix(key, counted: counted, expected: expected) + note
    }

    /// The words of a correction's note before the stocktake's note: `盘点 KEY: counted 61, expected 63; `.
    public static func correctionNotePrefix(_ key: String, counted: Int, expected: Int) -> String {
        "盘点 \(key): counted \(counted), expected \(expected); "
    }

    /// The key of the stock operation that corrects `item` in the stocktake under `key`: `KEY/ITEM` (`S01-count-2026-11/rice_5kg`),
    /// so that every correction is a keyed `adjust` operation of its own, as `stock adjust --key` writes one.
    public static func correctionKey(_ key: String, item: String) -> String { "\(key)/\(item)" }
}

/// One line of a stocktake's sheet: the item (its catalog id, or its exact catalog label) and the number counted.
public struct StockCountLine: Hashable, Sendable {
    public var item: String
    public var counted: Int
    /// The sheet's row (a spreadsheet's row number) for errors to name; nil for one item typed on the command line.
    public var row: Int?

    public init(item: String, counted: Int, row: Int? = nil) {
        self.item = item
        self.counted = counted
        self.row = row
    }
}

/// What a stocktake found for one item of the station.
public struct StockCountResult: Hashable, Sendable {
    public enum Status: String, Hashable, Sendable {
        /// Counted, and different from the level: a `count-correction` of `difference` was written.
        case corrected
        /// Counted, and the same as the level.
        case agrees
        /// Stocked at the station (it has stock movements there) but not on the sheet: left as it is.
        case notCounted = "not_counted"
    }

    public var item: String
    /// The catalog label when the stocktake was made (the id for an item no longer in the catalog).
    public var label: String
    /// The level the books gave: at the end of the stocktake's day.
    public var expected: Int
    /// Nil for an item not counted.
    public var counted: Int?
    /// The row of the sheet it was on (nil when typed on the command line, or not counted).
    public var row: Int?
    /// The correction's stock operation (`corrected` only; nil in a dry run).
    public var operation: Int64?

    public init(item: String, label: String, expected: Int, counted: Int?, row: Int? = nil, operation: Int64? = nil) {
        self.item = item
        self.label = label
        self.expected = expected
        self.counted = counted
        self.row = row
        self.operation = operation
    }

    /// `counted − expected`; 0 when not counted.
    public var difference: Int { counted.map { $0 - expected } ?? 0 }

    public var status: Status { counted == nil ? .notCounted : difference == 0 ? .agrees : .corrected }

    /// A count far from the books (`StockCountRules.farFromBooks`): most often a slip of the pen (3 written for 63). It is
    /// written all the same, as counted; the table marks it, so that the item is counted again.
    public var needsCheck: Bool { counted != nil && StockCountRules.farFromBooks.holds(difference: difference, expected: expected) }
}

/// When a counted number is far enough from the books to be checked: the difference is at least `minimumUnits` and more
/// than `percentOfExpected` percent of the level expected (both, so that 1 counted for 3 expected is not marked).
public struct StockCountCheckThreshold: Hashable, Sendable {
    public var minimumUnits: Int
    public var percentOfExpected: Int

    public init(minimumUnits: Int, percentOfExpected: Int) {
        self.minimumUnits = minimumUnits
        self.percentOfExpected = percentOfExpected
    }

    /// True when `difference` (counted − expected, either way) is at least `minimumUnits` and more than `percentOfExpected`
    /// percent of `expected`; in whole numbers (`|difference| × 100 > expected × percent`).
    public func holds(difference: Int, expected: Int) -> Bool {
        let size = difference.magnitude
        return size >= UInt(minimumUnits) && size * 100 > UInt(max(expected, 0)) * UInt(percentOfExpected)
    }

    /// `more than half the level expected and at least 10 units`, for the help, the docs and the note after the table.
    public var inWords: String {
        (percentOfExpected == 50 ? "more than half the level expected" : "more than \(percentOfExpected)% of the level expected")
            + " and at least \(minimumUnits) units"
    }
}

/// What a stocktake did: written now, found written before under its key, or (a dry run) what it would write.
public struct StockCountOutcome: Hashable, Sendable {
    /// The stocktake's number; nil in a dry run.
    public var number: Int64?
    public var key: String
    public var station: String
    public var date: LocalDate
    public var actor: String
    public var note: String
    public var isNew: Bool
    public var isDryRun: Bool
    /// The counted items in the order of the sheet, then the items not counted by id.
    public var results: [StockCountResult]

    public init(number: Int64?, key: String, station: String, date: LocalDate, actor: String, note: String, isNew: Bool,
                isDryRun: Bool, results: [StockCountResult]) {
        self.number = number
        self.key = key
        self.station = station
        self.date = date
        self.actor = actor
        self.note = note
        self.isNew = isNew
        self.isDryRun = isDryRun
        self.results = results
    }

    public var corrected: [StockCountResult] { results.filter { $0.status == .corrected } }
    public var agreeing: [StockCountResult] { results.filter { $0.status == .agrees } }
    public var notCounted: [StockCountResult] { results.filter { $0.status == .notCounted } }
    /// The counted lines far from the books (`StockCountResult.needsCheck`).
    public var toCheck: [StockCountResult] { results.filter(\.needsCheck) }
}

/// Reading a stocktake's counted numbers, and its refusals.
public enum StockCountRules {
    /// A difference marked `check` in a stocktake's table (and `"check": true` in --json): more than half the level
    /// expected and at least 10 units either way (-60 for 3 counted of 63). docs/stations.md, "Stocktake".
    public static let farFromBooks = StockCountCheckThreshold(minimumUnits: 10, percentOfExpected: 50)

    /// The number a counted cell holds: a whole number from 0 to `StockError.quantityMaximum`, full-width digits read as
    /// ASCII (`１２`), spaces around it dropped. Else why not, for K009.
    public static func counted(_ text: String) -> Result<Int, StockCountError> {
        let typed = text.halfWidth.trimmingASCIISpaces()
        if typed.isEmpty { return .failure(.badCount(typed: text, problem: "is blank: write the number counted, 0 for an empty shelf")) }
        let digits = typed.hasPrefix("-") || typed.hasPrefix("+") ? typed.dropFirst() : Substring(typed)
        guard !digits.isEmpty, digits.utf8.allSatisfy({ (48...57).contains($0) }) else {
            return .failure(.badCount(typed: text, problem: "is not a whole number (a count of units: 0, 1, 2 ...)"))
        }
        if typed.hasPrefix("-"), digits.contains(where: { $0 != "0" }) {
            return .failure(.badCount(typed: text, problem: "is negative: a shelf holds 0 or more"))
        }
        guard digits.count <= 7, let value = Int(digits), value <= StockError.quantityMaximum else {
            return .failure(.badCount(typed: text, problem: "is more than \(StockError.quantityMaximum), the most one stock operation carries"))
        }
        return .success(value)
    }
}

/// A stocktake's refusals of its sheet (every bad line is named, and nothing is written).
public enum StockCountError: TimeBankError, Hashable {
    /// K008: an item on two lines of the sheet (by id or label alike).
    case itemTwice(item: String, firstRow: Int?)
    /// K009: a counted number that is blank, not a whole number, negative or above 1,000,000.
    case badCount(typed: String, problem: String)
    /// K010: a stocktake with no line.
    case empty
    /// Each bad line of a sheet, in the order of the sheet, with its row, column, code and reason.
    case badLines([CommunityCSV.RowError])
    /// K011: no stocktake under this key (`stock counts --key`).
    case unknownKey(String)

    public var code: String {
        switch self {
        case .itemTwice: "K008"
        case .badCount: "K009"
        case .empty: "K010"
        case .badLines(let errors): errors.first?.code ?? "K010"
        case .unknownKey: "K011"
        }
    }

    public var category: ErrorCategory { .badInput }

    public var message: String {
        switch self {
        case .itemTwice(let item, let firstRow):
            "\(item) is counted twice" + (firstRow.map { " (first on row \($0))" } ?? "") + ": give each item once, with all its units"
        case .badCount(let typed, let problem):
            "the counted number \"\(typed)\" \(problem)"
        case .empty:
            "the stocktake has no line: give --item and --counted, or a sheet with a row for each item counted (item,counted); nothing was written"
        case .badLines(let errors):
            errors.map { "row \($0.row), column \"\($0.column)\": [\($0.code)] \($0.reason)" }.joined(separator: "; ")
                + "; nothing was written"
        case .unknownKey(let key):
            "no stocktake under the key \"\(key)\": `timebank stock counts` lists the stocktakes with their keys"
        }
    }
}
