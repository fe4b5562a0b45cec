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

/// One row of a record file, before it is checked: values by field, with their places.
public struct RecordInputRow: Sendable, Hashable {
    /// The row as a spreadsheet numbers it (header = row 1); the line, for JSON Lines.
    public var row: Int
    /// Where the row starts (for problems of the whole row).
    public var range: SourceRange
    /// The values present; an empty CSV cell is absent.
    public var values: [RecordField: RecordInputValue]

    /// Creates a row.
    public init(row: Int, range: SourceRange, values: [RecordField: RecordInputValue]) {
        self.row = row
        self.range = range
        self.values = values
    }
}
