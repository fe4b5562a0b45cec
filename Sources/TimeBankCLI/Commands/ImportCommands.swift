import Foundation
import TimeBankCore
import TimeBankStorage

/// Reads a community CSV file: refuses a file that is not UTF-8 (naming the likely encoding and the
/// `iconv` command that fixes it), checks the header, and returns the data rows with their line numbers.
enum CommunityFile {
    static func rows(path: String, columns: [String], required: [String]) throws -> (rows: [(line: Int, fields: [String])], header: [String: Int]) {
        let table = try FileSystem.spreadsheetCSVRows(path)
        guard let headerRow = table.first else { throw UsageError("\(path) is empty; the first line must be the header: \(columns.joined(separator: ","))") }
        var header: [String: Int] = [:]
        let dataRows = table.dropFirst().filter { !$0.isBlank }
        if let separator = headerRow.otherSeparator {
            // Saved as "CSV (semicolon)" or "Text (tab delimited)": the whole header reads as one column.
            throw UsageError("\(path):\(headerRow.line): the header's columns are separated by \(separator.name), not commas: "
                + "this is not a CSV file; \(SpreadsheetAdvice.saveAsCSV)")
        }
        for (index, name) in headerRow.fields.enumerated() {
            let name = name.trimmingCharacters(in: .whitespaces).lowercased()
            if name.isEmpty {
                // A spreadsheet saves columns past the data that were once touched, with no name: ignored while empty.
                if let row = dataRows.first(where: { index < $0.fields.count && !$0.fields[index].trimmingCharacters(in: .whitespaces).isEmpty }) {
                    throw UsageError("\(path):\(row.line): column \(index + 1) has no name in the header but holds \"\(row.fields[index])\"; "
                        + "name it (columns are \(columns.joined(separator: ","))) or delete the column")
                }
                continue
            }
            guard columns.contains(name) else {
                // Every column named in Chinese (or misspelt) with a meaning: the header as it should be written.
                let rewritten = headerRow.fields.map { field -> String? in
                    let word = field.trimmingCharacters(in: .whitespaces).lowercased()
                    return word.isEmpty || columns.contains(word) ? word : meaning(of: word, among: columns)
                }
                let hint = rewritten[index].map { "; did you mean \"\($0)\"?" } ?? ""
                let named = rewritten.compactMap { $0 }.filter { !$0.isEmpty }
                let whole = !rewritten.contains(nil) && Set(named).count == named.count
                    ? "; write the header as: " + rewritten.compactMap { $0 }.joined(separator: ",") : ""
                throw UsageError("\(path):\(headerRow.line): unknown column \"\(name)\"\(hint); columns are \(columns.joined(separator: ","))"
                    + (name.unicodeScalars.contains { $0.value >= 0x80 } ? " (the header row names them in English)" : "") + whole)
            }
            guard header[name] == nil else { throw UsageError("\(path):\(headerRow.line): the column \"\(name)\" appears twice") }
            header[name] = index
        }
        for name in required where header[name] == nil {
            throw UsageError("\(path):\(headerRow.line): missing column \"\(name)\"; the header needs \(required.joined(separator: ","))")
        }
        return (dataRows.map { ($0.line, $0.fields) }, header)
    }

    /// The column `word` most likely means: a near spelling, or the column a Chinese heading names.
    static func meaning(of word: String, among columns: [String]) -> String? {
        Spelling.nearest(to: word, among: columns) ?? headerWords[word]?.first(where: columns.contains)
    }

    /// Column names as a spreadsheet made in Chinese heads them, with the columns they may mean, likeliest first
    /// (户号 is a volunteer's household, or a household's own id).
    static let headerWords: [String: [String]] = [
        "编号": ["id"], "編號": ["id"], "代码": ["id"], "代碼": ["id"], "站号": ["id"], "站號": ["id"],
        "户号": ["household", "id"], "戶號": ["household", "id"], "家庭编号": ["household", "id"], "家庭編號": ["household", "id"],
        "家庭": ["household"], "所属家庭": ["household"], "所屬家庭": ["household"], "户": ["household"], "戶": ["household"],
        "姓名": ["name"], "名字": ["name"], "名称": ["name"], "名稱": ["name"], "户名": ["name"], "戶名": ["name"], "站名": ["name"],
        "队名": ["name"], "隊名": ["name"], "地址": ["address"], "住址": ["address"], "门牌": ["address"], "門牌": ["address"],
        "社区": ["community"], "社區": ["community"], "村": ["community"], "出生日期": ["birth_date"], "生日": ["birth_date"],
        "出生年月日": ["birth_date"], "队伍": ["teams"], "隊伍": ["teams"], "服务队": ["teams"], "服務隊": ["teams"], "团队": ["teams"],
        "團隊": ["teams"], "标签": ["tags"], "標籤": ["tags"], "特长": ["tags"], "特長": ["tags"], "加入日期": ["joined"],
        "入队日期": ["joined"], "入隊日期": ["joined"], "注册日期": ["joined"], "註冊日期": ["joined"], "加入时间": ["joined"],
        "加入時間": ["joined"], "英文名": ["label"], "说明": ["label"], "說明": ["label"],
    ]
}

/// What an import did: read = added + not added + already present + rejected, where "not added" are the good new rows
/// of a file refused for its bad ones (nothing is imported then, unless --skip-bad).
struct ImportSummary {
    var kind: String
    var read = 0
    var added = 0
    var notAdded = 0
    var present = 0
    var rejected: [String] = []

    func print(_ context: CommandContext, file: String) {
        if context.json {
            context.output.line(JSON.object([
                ("file", .string(file)), ("kind", .string(kind)), ("read", .integer(read)), ("added", .integer(added)),
                ("not_added", .integer(notAdded)), ("already_present", .integer(present)), ("rejected", .integer(rejected.count)),
                ("errors", .array(rejected.map(JSON.string))),
            ]).rendered())
        } else {
            for error in rejected { context.errors.line("\(file): \(error)") }
            context.output.line("\(file): read \(read) \(kind)\(read == 1 ? "" : "s"): \(added) added, "
                                + (notAdded > 0 ? "\(notAdded) not added (the file was refused for its rejected rows), " : "")
                                + "\(present) already present, \(rejected.count) rejected")
        }
    }
}

/// The shared shape of the three imports: all rows good, or nothing written (unless --skip-bad).
protocol CommunityImportCommand: Command {
    associatedtype Value: Sendable, Equatable
    static var kind: String { get }
    static var columns: [String] { get }
    static var requiredColumns: [String] { get }
    var path: String { get }
    var skipBad: Bool { get }
    init(path: String, skipBad: Bool)
    func parse(_ rows: [(line: Int, fields: [String])], header: [String: Int], store: TimeBankStore, today: LocalDate) throws -> CommunityCSV.Result<Value>
    func existing(_ value: Value, store: TimeBankStore) throws -> Value?
    /// The value's cells under the file's columns, to name what a row changes of a stored value.
    func cells(_ value: Value) -> [(column: String, value: String)]
    func add(_ values: [Value], store: TimeBankStore) throws
}

extension CommunityImportCommand {
    static var flagOptions: [String] { ["--skip-bad"] }

    init(_ arguments: Arguments) throws {
        try arguments.expectPositionals(1...1, "a CSV file")
        self.init(path: arguments.positionals[0], skipBad: arguments.flag("--skip-bad"))
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let store = try context.openStore()
        let file = try CommunityFile.rows(path: path, columns: Self.columns, required: Self.requiredColumns)
        let parsed = try parse(file.rows, header: file.header, store: store, today: context.today)
        var summary = ImportSummary(kind: Self.kind, read: file.rows.count)
        var fresh: [Value] = []
        var conflicts: [CommunityCSV.RowError] = []
        for (value, line) in zip(parsed.values, parsed.lines) {
            if let stored = try existing(value, store: store) {
                if let conflict = CommunityCSV.storedConflict(kind: Self.kind, id: describe(value), line: line,
                                                              stored: cells(stored), row: cells(value)) {
                    conflicts.append(conflict)
                } else {
                    summary.present += 1
                }
            } else {
                fresh.append(value)
            }
        }
        // Every rejected row in the order of the file, whichever check found it.
        summary.rejected = (parsed.errors + conflicts).sorted { $0.line < $1.line }.map(\.description)
        if !summary.rejected.isEmpty && !skipBad {
            summary.notAdded = fresh.count
            summary.print(context, file: path)
            context.errors.line("Nothing was imported. Fix the rows above, or pass --skip-bad to import the good rows.")
            return ExitCode.badInput
        }
        try add(fresh, store: store)
        summary.added = fresh.count
        summary.print(context, file: path)
        return summary.rejected.isEmpty ? ExitCode.done : ExitCode.badInput
    }

    func describe(_ value: Value) -> String {
        switch value {
        case let household as Household: household.id
        case let volunteer as Volunteer: volunteer.id
        case let station as Station: station.id
        case let team as Team: team.id
        default: "\(value)"
        }
    }
}

private let importHelpTail = """

    The file is UTF-8 CSV (RFC 4180) with a header row; columns may come in any order, and empty
    columns without a name (which spreadsheets add at the right) are ignored.
    Every row is checked first: if any is bad, nothing is imported and each bad row is named
    (line and column), unless --skip-bad is given: then the good rows are imported and the exit
    code is still 2 when a row was rejected. Rows whose id is already stored with the same
    details are counted as already present, so importing a file twice adds nothing; a row
    with other details is rejected, naming each column that differs: an import never
    changes a stored row (a household, volunteer or station is corrected with its own
    `update` command, which keeps what it was and why).
    """

struct HouseholdImportCommand: CommunityImportCommand {
    typealias Value = Household
    static let name = "household import"
    static let abstract = "Import households from a CSV file (id,name,address)"
    static let help = "Usage: timebank household import FILE.csv [--skip-bad]\n" + importHelpTail + "\n\nExample:\n  timebank household import seeds/households.csv"
    static let kind = "household"
    static let columns = CommunityCSV.householdColumns
    static let requiredColumns = ["id", "name"]
    let path: String
    let skipBad: Bool

    func parse(_ rows: [(line: Int, fields: [String])], header: [String: Int], store: TimeBankStore, today: LocalDate) throws -> CommunityCSV.Result<Household> {
        CommunityCSV.households(rows, header: header)
    }
    func cells(_ value: Household) -> [(column: String, value: String)] { CommunityCSV.cells(value) }
    func existing(_ value: Household, store: TimeBankStore) throws -> Household? { try store.household(value.id) }
    func add(_ values: [Household], store: TimeBankStore) throws { try store.addCommunity(households: values, volunteers: [], stations: []) }
}

struct VolunteerImportCommand: CommunityImportCommand {
    typealias Value = Volunteer
    static let name = "volunteer import"
    static let abstract = "Import volunteers from a CSV file (id,name,household,birth_date,teams,tags,joined)"
    static let help = "Usage: timebank volunteer import FILE.csv [--skip-bad]\n" + importHelpTail
        + "\n    teams and tags are lists separated by \";\" (or \",\", and 、，； as a Chinese spreadsheet writes\n"
        + "    them); teams are the ids of `timebank team list` (the five colours red, orange, blue, green,\n"
        + "    purple until the community imports its own with `timebank team import`).\n\n"
        + "Example:\n  timebank volunteer import seeds/volunteers.csv"
    static let kind = "volunteer"
    static let columns = CommunityCSV.volunteerColumns
    static let requiredColumns = ["id", "name", "joined"]
    let path: String
    let skipBad: Bool

    func parse(_ rows: [(line: Int, fields: [String])], header: [String: Int], store: TimeBankStore, today: LocalDate) throws -> CommunityCSV.Result<Volunteer> {
        CommunityCSV.volunteers(rows, header: header, knownHouseholds: Set(try store.ids(of: .household)),
                                knownTeams: try store.communityTeams(), today: today)
    }
    func cells(_ value: Volunteer) -> [(column: String, value: String)] { CommunityCSV.cells(value) }
    func existing(_ value: Volunteer, store: TimeBankStore) throws -> Volunteer? { try store.volunteer(value.id) }
    func add(_ values: [Volunteer], store: TimeBankStore) throws { try store.addCommunity(households: [], volunteers: values, stations: []) }
}

struct StationImportCommand: CommunityImportCommand {
    typealias Value = Station
    static let name = "station import"
    static let abstract = "Import stations from a CSV file (id,name,community,address)"
    static let help = "Usage: timebank station import FILE.csv [--skip-bad]\n" + importHelpTail + "\n\nExample:\n  timebank station import seeds/stations.csv"
    static let kind = "station"
    static let columns = CommunityCSV.stationColumns
    static let requiredColumns = ["id", "name"]
    let path: String
    let skipBad: Bool

    func parse(_ rows: [(line: Int, fields: [String])], header: [String: Int], store: TimeBankStore, today: LocalDate) throws -> CommunityCSV.Result<Station> {
        CommunityCSV.stations(rows, header: header)
    }
    func cells(_ value: Station) -> [(column: String, value: String)] { CommunityCSV.cells(value) }
    func existing(_ value: Station, store: TimeBankStore) throws -> Station? { try store.station(value.id) }
    func add(_ values: [Station], store: TimeBankStore) throws { try store.addCommunity(households: [], volunteers: [], stations: values) }
}

struct TeamImportCommand: CommunityImportCommand {
    typealias Value = Team
    static let name = "team import"
    static let abstract = "Import the community's volunteer teams (志愿服务队) from a CSV file (id,name,label)"
    static let help = "Usage: timebank team import FILE.csv [--skip-bad]\n" + importHelpTail + """

        Until a community imports teams, volunteers' teams are the five colours (red 红色教育, orange 橙色关怀,
        blue 蓝色调解, green 绿色环保, purple 紫色便民); once it has imported any, they are the teams it imported.
        Import the teams before the volunteers; volunteers.csv and --teams then name them by id. A first
        import that leaves out a five-colour team stored volunteers are in is refused (C007). `team add` and
        `team update` on a community of the five colours store them; an import after that adds to them.

    Example:
      timebank team import teams.csv      # id,name,label: qianshou,牽手,hand in hand
    """
    static let kind = "team"
    static let columns = CommunityCSV.teamColumns
    static let requiredColumns = ["id", "name"]
    let path: String
    let skipBad: Bool

    func parse(_ rows: [(line: Int, fields: [String])], header: [String: Int], store: TimeBankStore, today: LocalDate) throws -> CommunityCSV.Result<Team> {
        CommunityCSV.teams(rows, header: header)
    }
    func cells(_ value: Team) -> [(column: String, value: String)] { CommunityCSV.cells(value) }
    func existing(_ value: Team, store: TimeBankStore) throws -> Team? { try store.storedTeams().first { $0.id == value.id } }
    func add(_ values: [Team], store: TimeBankStore) throws { try store.addTeams(values) }
}
