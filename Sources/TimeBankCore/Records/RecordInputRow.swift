/// The fields a record file may have, by their documented names (`docs/records.md`).
public enum RecordField: String, Sendable, Hashable, CaseIterable {
    case source
    case id
    case volunteer
    case household
    case category
    case indicator
    case date
    case start
    case end
    case minutes
    case verifier
    case responseLevel = "response_level"
    case rating
    case tags
    case station
    case note
    case period
    case result

    /// The documented name, such as `response_level`.
    public var name: String { rawValue }

    /// The field's place in `allCases`, which is its slot in `RecordInputValues`.
    var slot: Int {
        switch self {
        case .source: 0
        case .id: 1
        case .volunteer: 2
        case .household: 3
        case .category: 4
        case .indicator: 5
        case .date: 6
        case .start: 7
        case .end: 8
        case .minutes: 9
        case .verifier: 10
        case .responseLevel: 11
        case .rating: 12
        case .tags: 13
        case .station: 14
        case .note: 15
        case .period: 16
        case .result: 17
        }
    }

    /// How many fields there are: the slots of `RecordInputValues`.
    static let count = allCases.count

    /// Every documented name, in documentation order.
    public static var names: [String] { allCases.map(\.rawValue) }

    /// Chinese column names that spreadsheets exported by Chinese software often use, mapped to
    /// the documented names (`日期` is `date`).
    public static let chineseNames: [String: RecordField] = [
        "来源": .source,
        "编号": .id, "记录编号": .id, "序号": .id,
        "志愿者": .volunteer, "志愿者编号": .volunteer,
        "户": .household, "户号": .household, "家庭": .household, "农户": .household,
        "类别": .category, "服务类别": .category, "服务类型": .category,
        "指标": .indicator, "考核指标": .indicator,
        "日期": .date, "服务日期": .date,
        "开始": .start, "开始时间": .start,
        "结束": .end, "结束时间": .end,
        "时长": .minutes, "分钟": .minutes, "服务时长": .minutes,
        "核实人": .verifier, "审核人": .verifier,
        "响应级别": .responseLevel, "应急响应": .responseLevel,
        "满意度": .rating, "评分": .rating,
        "标签": .tags,
        "兑换站": .station, "站点": .station,
        "备注": .note,
        "周期": .period, "考核周期": .period,
        "结果": .result, "是否达标": .result,
    ]

    /// The fields that hold an id (of the record, its source, a volunteer, a household or a station).
    public static let identifiers: Set<RecordField> = [.id, .source, .volunteer, .household, .station]

    /// The field a column name means: a documented name (ASCII case and surrounding spaces
    /// ignored) or one of `chineseNames`.
    public init?(columnName: String) {
        var name = Substring(columnName)
        while let first = name.first, first == " " || first == "\t" { name.removeFirst() }
        while let last = name.last, last == " " || last == "\t" { name.removeLast() }
        if let field = RecordField(rawValue: name.lowercased()) {
            self = field
        } else if let field = RecordField.chineseNames[String(name)] {
            self = field
        } else {
            return nil
        }
    }
}

/// One value of an input row: text (or a list, from JSON), and where it is in the file.
public struct RecordInputValue: Sendable, Hashable {
    /// What the file holds.
    public enum Content: Sendable, Hashable {
        /// Text as written (CSV cells are text; JSON numbers keep their text).
        case text(String)
        /// A JSON array of strings (tags).
        case list([String])
    }

    public var content: Content
    /// Where the value is written.
    public var range: SourceRange

    /// Creates a value.
    public init(_ content: Content, range: SourceRange) {
        self.content = content
        self.range = range
    }
}

/// The values of one row by field, one slot per field.
///
/// The checks read a row's fields some thirty times and a large import has millions of rows: a slot
/// is an array index, where a `[RecordField: RecordInputValue]` would hash the field's name each time.
///
///     var values = RecordInputValues()
///     values[.id] = RecordInputValue(.text("r1"), range: range)
///     values[.id]?.range   // range
public struct RecordInputValues: Sendable, Hashable {
    /// A value kept as its parts, text or list, not as a `RecordInputValue?`: copying or dropping an
    /// enum with two kinds of payload goes through Swift's runtime, and whether a field has a value is
    /// then a look at the slot in place, not a copy of it.
    private struct Slot: Sendable, Hashable {
        var text: String?
        var list: [String]?
        var range: SourceRange

        static let absent = Slot(text: nil, list: nil, range: SourceRange(at: SourceLocation(line: 0, column: 0, offset: 0)))
    }

    private var slots: [Slot]

    /// No values.
    public init() {
        slots = Array(repeating: .absent, count: RecordField.count)
    }

    /// The value of `field`, nil when the row has none.
    public subscript(field: RecordField) -> RecordInputValue? {
        get {
            let slot = slots[field.slot]
            if let text = slot.text { return RecordInputValue(.text(text), range: slot.range) }
            if let list = slot.list { return RecordInputValue(.list(list), range: slot.range) }
            return nil
        }
        set {
            switch newValue?.content {
            case nil: slots[field.slot] = .absent
            case .text(let text)?: slots[field.slot] = Slot(text: text, list: nil, range: newValue!.range)
            case .list(let list)?: slots[field.slot] = Slot(text: nil, list: list, range: newValue!.range)
            }
        }
    }

    /// Sets `field` to text (what `self[field] = RecordInputValue(.text(text), range: range)` does).
    mutating func setText(_ text: String, range: SourceRange, of field: RecordField) {
        slots[field.slot] = Slot(text: text, list: nil, range: range)
    }

    /// Removes the value of `field`.
    mutating func remove(_ field: RecordField) {
        slots[field.slot] = .absent
    }

    /// Whether the row has a value (text or list) for `field`.
    func contains(_ field: RecordField) -> Bool {
        slots[field.slot].text != nil || slots[field.slot].list != nil
    }

    /// The text of `field`, nil when it has none or a list.
    func text(of field: RecordField) -> String? {
        slots[field.slot].text
    }

    /// Where the value of `field` is written, nil when the row has none.
    func range(of field: RecordField) -> SourceRange? {
        contains(field) ? slots[field.slot].range : nil
    }
}

/// One row of a record file, before it is checked: values by field, with their places.
public struct RecordInputRow: Sendable, Hashable {
    /// The row as a spreadsheet numbers it (header = row 1); the line, for JSON Lines.
    public var row: Int
    /// Where the row starts (for problems of the whole row).
    public var range: SourceRange
    /// The values present; an empty CSV cell is absent.
    public var values: RecordInputValues

    /// Creates a row.
    public init(row: Int, range: SourceRange, values: RecordInputValues) {
        self.row = row
        self.range = range
        self.values = values
    }
}
