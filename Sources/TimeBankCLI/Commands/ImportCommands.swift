import Foundation
import TimeBankCore
import TimeBankStorage

/// Reads a community CSV file: refuses a file that is not UTF-8 (naming the likely encoding and the
/// `iconv` command that fixes it), checks the header, and returns the data rows with their line numbers.
enum CommunityFile {
    static func rows(path: String, columns: [String], required: [String]) throws -> (rows: [(line: Int, fields: [String])], header: [String: Int]) {
        let bytes = try FileSystem.readBytes(path)
        do {
            try TextEncodingCheck.requireUTF8(bytes, fileName: path)
        } catch {
            throw FileEncodingError(error)
        }
        let table: [CSVRow]
        do {
            table = try CSVReader.rows(bytes)
        } catch {
            throw UsageError("\(path):\(error.description)")
        }
        guard let headerRow = table.first else { throw UsageError("\(path) is empty; the first line must be the header: \(columns.joined(separator: ","))") }
        var header: [String: Int] = [:]
        for (index, name) in headerRow.fields.enumerated() {
            let name = name.trimmingCharacters(in: .whitespaces).lowercased()
            guard columns.contains(name) else {
                let hint = Suggestions.nearest(to: name, in: columns).map { "; did you mean \"\($0)\"?" } ?? ""
                throw UsageError("\(path):\(headerRow.line): unknown column \"\(name)\"\(hint); columns are \(columns.joined(separator: ","))")
            }
            guard header[name] == nil else { throw UsageError("\(path):\(headerRow.line): the column \"\(name)\" appears twice") }
            header[name] = index
        }
        for name in required where header[name] == nil {
            throw UsageError("\(path):\(headerRow.line): missing column \"\(name)\"; the header needs \(required.joined(separator: ","))")
        }
        return (table.dropFirst().filter { !$0.isBlank }.map { ($0.line, $0.fields) }, header)
    }
}

/// What an import did: read = added + already present + rejected.
struct ImportSummary {
    var kind: String
    var read = 0
    var added = 0
    var present = 0
    var rejected: [String] = []

    func print(_ context: CommandContext, file: String) {
        if context.json {
            context.output.line(JSON.object([
                ("file", .string(file)), ("kind", .string(kind)), ("read", .integer(read)), ("added", .integer(added)),
                ("already_present", .integer(present)), ("rejected", .integer(rejected.count)),
                ("errors", .array(rejected.map(JSON.string))),
            ]).rendered())
        } else {
            for error in rejected { context.errors.line("\(file): \(error)") }
            context.output.line("\(file): read \(read) \(kind)s: \(added) added, \(present) already present, \(rejected.count) rejected")
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
        summary.rejected = parsed.errors.map(\.description)
        var fresh: [Value] = []
        for value in parsed.values {
            if let stored = try existing(value, store: store) {
                if stored == value { summary.present += 1 } else {
                    summary.rejected.append("\(Self.kind) \(describe(value)) exists already with other details; change it in place is not supported, use a new id")
                }
            } else {
                fresh.append(value)
            }
        }
        if !summary.rejected.isEmpty && !skipBad {
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

    The file is UTF-8 CSV (RFC 4180) with a header row; columns may come in any order.
    Every row is checked first: if any is bad, nothing is imported and each bad row is named
    (line and column), unless --skip-bad is given. Rows whose id is already stored with the same
    details are counted as already present, so importing a file twice adds nothing.
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
    func existing(_ value: Household, store: TimeBankStore) throws -> Household? { try store.household(value.id) }
    func add(_ values: [Household], store: TimeBankStore) throws { try store.addCommunity(households: values, volunteers: [], stations: []) }
}

struct VolunteerImportCommand: CommunityImportCommand {
    typealias Value = Volunteer
    static let name = "volunteer import"
    static let abstract = "Import volunteers from a CSV file (id,name,household,birth_date,teams,tags,joined)"
    static let help = "Usage: timebank volunteer import FILE.csv [--skip-bad]\n" + importHelpTail
        + "\n    teams and tags are lists separated by \";\"; teams are the ids of `timebank team list` (the five colours\n"
        + "    red, orange, blue, green, purple until the community imports its own with `timebank team import`).\n\n"
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
        Import the teams before the volunteers; volunteers.csv and --teams then name them by id.

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
    func existing(_ value: Team, store: TimeBankStore) throws -> Team? { try store.storedTeams().first { $0.id == value.id } }
    func add(_ values: [Team], store: TimeBankStore) throws { try store.addTeams(values) }
}
