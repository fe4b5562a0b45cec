/// Reads households, volunteers and stations from CSV rows (the format of `seeds/`), checking every
/// field. A bad row is reported with every bad cell (its row, column and reason); the good rows are returned.
public enum CommunityCSV {
    /// One bad cell of a rejected row: where, the stable code of the rule it broke (`C001`–`C006`, `C011`, `C012`, `C014`–`C017`,
    /// docs/errors.md), why, and, where we can tell, what to write instead.
    public struct RowError: Sendable, Hashable, CustomStringConvertible {
        /// The row's number as the caller gave it: the imports give the row a spreadsheet shows (`CSVRow.sheetRows`),
        /// which is not the file's line once a quoted value runs over two lines (`CommunityFileContents.record(atRow:)`
        /// finds the line, for a diagnostic's `file:line:col`).
        public var row: Int
        public var column: String
        public var reason: String
        public var code: String
        public var help: String?
        /// `row N, column …` (`score --volunteers`, `policy test` and the demo's seed check print it).
        public var description: String { "row \(row), column \(column): \(reason)" + (help.map { "; \($0)" } ?? "") }

        public init(row: Int, column: String, reason: String, code: String = "C004", help: String? = nil) {
            self.row = row
            self.column = column
            self.reason = reason
            self.code = code
            self.help = help
        }
    }

    /// What reading a file's rows gave: the good rows, and the errors of the bad ones.
    public struct Result<Value: Sendable>: Sendable {
        public var values: [Value] = []
        /// The row of each of `values`, in the same order.
        public var rows: [Int] = []
        /// Every bad cell of every rejected row, in the order of the rows and, within a row, of its cells: a row with three
        /// bad cells has three errors (a cell is named once, by its first problem). `rejectedRows` counts the rows.
        public var errors: [RowError] = []

        /// How many rows were rejected (a row with several errors is one).
        public var rejectedRows: Int { Set(errors.map(\.row)).count }

        /// The rejected rows whose id cell is good, as read (a bad cell's value is not what it says), with the columns of their
        /// bad cells: the import compares their ids with the stored ones and the earlier rows' (C015, C020) as it compares a
        /// good row's, so that one round names every problem of a row.
        public var rejectedValues: [(value: Value, row: Int, badColumns: Set<String>)] = []

        mutating func append(_ value: Value, row: Int) {
            values.append(value)
            rows.append(row)
        }

        fileprivate mutating func reject(_ value: Value, _ reader: RowReader) {
            errors += reader.errorsInCellOrder
            if !reader.failed("id") { rejectedValues.append((value, reader.row, reader.badColumns)) }
        }
    }

    public static let householdColumns = ["id", "name", "address"]
    public static let volunteerColumns = ["id", "name", "household", "birth_date", "teams", "tags", "joined"]
    public static let stationColumns = ["id", "name", "community", "address"]
    public static let teamColumns = ["id", "name", "label"]

    /// `rows` are the data rows (header removed) with their numbers (the imports give each its spreadsheet row, which
    /// the errors name as "row N"); `header` maps column names to indexes.
    public static func households(_ rows: [(row: Int, fields: [String])], header: [String: Int]) -> Result<Household> {
        var result = Result<Household>()
        var seen: [String: Int] = [:]
        for row in rows {
            var reader = RowReader(row: row, header: header)
            let id = reader.id("id", seen: &seen)
            let name = reader.required("name")
            let address = reader.optional("address") ?? ""
            let household = Household(id: id, name: name, address: address)
            for problem in CommunityRules.problems(household) { reader.fail(rule: (problem.field, problem.reason)) }
            if reader.isBad { result.reject(household, reader); continue }
            result.append(household, row: reader.row)
        }
        return result
    }

    /// The stations of `stations.csv` rows, read as `households(_:header:)` reads its rows.
    public static func stations(_ rows: [(row: Int, fields: [String])], header: [String: Int]) -> Result<Station> {
        var result = Result<Station>()
        var seen: [String: Int] = [:]
        for row in rows {
            var reader = RowReader(row: row, header: header)
            let id = reader.id("id", seen: &seen)
            let name = reader.required("name")
            let community = reader.optional("community") ?? ""
            let address = reader.optional("address") ?? ""
            let station = Station(id: id, name: name, community: community, address: address)
            for problem in CommunityRules.problems(station) { reader.fail(rule: (problem.field, problem.reason)) }
            if reader.isBad { result.reject(station, reader); continue }
            result.append(station, row: reader.row)
        }
        return result
    }

    /// Teams (志愿服务队): `id,name,label` as in `seeds/teams.csv`.
    public static func teams(_ rows: [(row: Int, fields: [String])], header: [String: Int]) -> Result<Team> {
        var result = Result<Team>()
        var seen: [String: Int] = [:]
        for row in rows {
            var reader = RowReader(row: row, header: header)
            let id = reader.id("id", seen: &seen)
            let name = reader.required("name")
            let label = reader.optional("label") ?? ""
            let team = Team(id: id, name: name, label: label)
            for problem in CommunityRules.problems(team) { reader.fail(rule: (problem.field, problem.reason)) }
            if reader.isBad { result.reject(team, reader); continue }
            result.append(team, row: reader.row)
        }
        return result
    }

    /// `knownHouseholds` are the household ids a volunteer may name (stored ones plus those in the same import);
    /// `knownTeams` the community's teams (`TimeBankStore.communityTeams()`), nil where no community is at hand to check
    /// them against (a policy's test cases, `score --volunteers`); `today`, when given, refuses a birth date after it.
    public static func volunteers(_ rows: [(row: Int, fields: [String])], header: [String: Int], knownHouseholds: Set<String>,
                                  knownTeams: [Team]? = nil, today: LocalDate? = nil, stored: [Volunteer] = []) -> Result<Volunteer> {
        var result = Result<Volunteer>()
        var seen: [String: Int] = [:]
        // The same person listed twice under two ids (a clerk's sheet merged from two) would get two points accounts, and
        // no volunteer is ever deleted: a name and birth date already given to another id, stored or on an earlier row. Names
        // are compared as `PersonName` reads them (阿卜杜·艾力 typed 阿卜杜•艾力 is the same name).
        var byNameAndBirth: [String: (id: String, row: Int?)] = [:]
        for volunteer in stored {
            if let birth = volunteer.birthDate { byNameAndBirth["\(PersonName.comparisonKey(volunteer.name))\u{0}\(birth)"] = (volunteer.id, nil) }
        }
        // The same person typed twice in one household, with no birth date on one of the two rows (or stored volunteers) to
        // tell them apart (C017). Two people of one name in one household are rare, and a birth date tells them apart; the
        // same name in two households is common (张伟) and never compared.
        var byHouseholdAndName: [String: [(id: String, row: Int?, birth: LocalDate?)]] = [:]
        for volunteer in stored {
            if let household = volunteer.household {
                byHouseholdAndName["\(household)\u{0}\(PersonName.comparisonKey(volunteer.name))", default: []].append((volunteer.id, nil, volunteer.birthDate))
            }
        }
        // A row whose id is stored adds no one: it is already present, or another's details (C015); it is compared with no one.
        let storedIDs = Set(stored.map(\.id))
        var rejectedRows: Set<Int> = []
        for row in rows {
            // Every cell is checked, each on its own: a clerk fixes a row's bad cells in one round, not one per import. A check
            // that reads another cell (a birth date after joining, the same person twice) is made only when that cell is good.
            var reader = RowReader(row: row, header: header)
            let id = reader.id("id", seen: &seen)
            let name = reader.required("name")
            let household = reader.optional("household")
            if let household, !knownHouseholds.contains(household) {
                let near = Spelling.nearest(to: household, among: knownHouseholds).map { "did you mean \"\($0)\"? " } ?? ""
                reader.fail("household", "no household \"\(household)\"" + (near.isEmpty ? "" : "; \(near.dropLast())"), code: "C003",
                            help: "import the households first (timebank household import FILE), or add this one (timebank household add), or fix the id")
            }
            let birth = reader.date("birth_date", required: false)
            let teamList = reader.list("teams")
            for team in teamList where !reader.failed("teams") {
                if team.unicodeScalars.contains(where: \.properties.isWhitespace) {
                    // qianshou puti: two teams with a space between them, where the file separates them with ";".
                    let parts = team.split(whereSeparator: \.isWhitespace).joined(separator: ";")
                    reader.fail("teams", "\"\(team)\" has a space: a volunteer's teams are separated by \";\", as in \(parts)", code: "C005")
                } else if let knownTeams, let help = CommunityRules.unknownTeamHelp(team, among: knownTeams) {
                    reader.fail("teams", "unknown team \"\(team)\"; \(help)", code: "C005")
                }
            }
            let tags = reader.list("tags")
            let joined = reader.date("joined", required: true)
            // Without a day of joining to compare with, the birth date is judged against itself (never after it), and the
            // rules' word on the refused joined cell is not said again (`fail` names a cell once).
            let volunteer = Volunteer(id: id, name: name, household: household, birthDate: birth, teams: teamList, tags: tags,
                                      joined: joined ?? birth ?? LocalDate(year: 2000, month: 1, day: 1)!)
            for problem in CommunityRules.problems(volunteer, today: today) {
                // The rules name the field as a person reads it; the file's columns are birth_date and tags. A date's reason
                // ("it is in the future") is said of the date the row gives, as a date that is not a day is, so the line names it.
                let column = ["birth date": "birth_date", "tag": "tags"][problem.field] ?? problem.field
                let isDate = column == "birth_date" || column == "joined"
                reader.fail(rule: (column, isDate && problem.reason.hasPrefix("it ") ? "\"\(problem.value)\" \(problem.reason.dropFirst(3))" : problem.reason))
            }
            // Whether the row is a person already listed reads its id, name, birth date and household: moot when one is bad.
            let nameKey = PersonName.comparisonKey(name)
            let person = birth.map { "\(nameKey)\u{0}\($0)" }
            let identityIsGood = !["id", "name", "birth_date"].contains(where: reader.failed)
            let householdIsGood = !reader.failed("household")
            if identityIsGood, !storedIDs.contains(id), let birth, let person, let other = byNameAndBirth[person], other.id != id {
                let rejected = other.row.map { rejectedRows.contains($0) } ?? false
                let whose = other.row.map { "of \(other.id) on row \($0)" + (rejected ? " (rejected for another cell)" : "") } ?? "of \(other.id), stored"
                // The other row goes in first (--skip-bad): added by hand before it, this one would refuse that row. A rejected
                // other row is put right first, whichever of the two is kept.
                let byHand = (other.row == nil ? "" : (rejected ? "put row \(other.row!) right, " : "") + "import the file with --skip-bad, then ")
                    + "add this one by hand: timebank volunteer add --id \(id) ..."
                let keep = rejected ? "leave one of the two rows out (row \(other.row!), \(other.id), is rejected for another cell: put it right if it is the one kept)"
                    : "leave this row out (their id is \(other.id))"
                reader.fail("name", "\(name), born \(birth), has the name and birth date \(whose): one person under two ids would have "
                            + "two points accounts", code: "C016",
                            help: "if it is the same person, \(keep); if two people share the name and the birth date, \(byHand)")
            } else if identityIsGood, householdIsGood, !storedIDs.contains(id), let household,
                      let other = byHouseholdAndName["\(household)\u{0}\(nameKey)"]?.first(where: { $0.id != id && ($0.birth == nil || birth == nil) }) {
                let rejected = other.row.map { rejectedRows.contains($0) } ?? false
                reader.fail("name", sameHouseholdReason(name: name, household: household, birth: birth, other: other)
                                + (rejected ? " (row \(other.row!) is rejected for another cell: put right the one kept)" : ""), code: "C017",
                            help: sameHouseholdHelp(id: id, birth: birth, other: other))
            }
            // A rejected row is still the person the clerk typed: a later row of the same person is compared with it, so that one
            // round names both rows (the first one fixed would otherwise meet C016 or C017 on the next round).
            let isGood = !reader.isBad && joined != nil
            if isGood || identityIsGood {
                if let person, byNameAndBirth[person] == nil { byNameAndBirth[person] = (id, reader.row) }
                if let household, householdIsGood { byHouseholdAndName["\(household)\u{0}\(nameKey)", default: []].append((id, reader.row, birth)) }
            }
            guard isGood else { rejectedRows.insert(reader.row); result.reject(volunteer, reader); continue }
            result.append(volunteer, row: reader.row)
        }
        return result
    }

    /// C017's reason: the row's name is another's of its household, and a birth date is missing to tell the two apart.
    static func sameHouseholdReason(name: String, household: String, birth: LocalDate?,
                                    other: (id: String, row: Int?, birth: LocalDate?)) -> String {
        let whose = other.row.map { "\(other.id) on row \($0)" } ?? "\(other.id), stored,"
        let missing = switch (birth, other.birth) {
        case (nil, nil): "and neither has a birth date"
        case (nil, _): "and this row has no birth date"
        default: "and \(other.id) has no birth date"
        }
        return "\(name) has the name of \(whose) in the same household \(household), \(missing) to tell them apart: one person "
            + "under two ids would have two points accounts"
    }

    /// C017's help: leave the row out, or give the missing birth dates (a stored volunteer's with `volunteer update`).
    static func sameHouseholdHelp(id: String, birth: LocalDate?, other: (id: String, row: Int?, birth: LocalDate?)) -> String {
        let dates = switch (birth == nil, other.birth == nil, other.row) {
        case (true, true, .some): "write the birth_date of both rows"
        case (true, false, _): "write this row's birth_date"
        case (false, true, .some(let row)): "write row \(row)'s birth_date"
        case (true, true, nil): "write this row's birth_date and give \(other.id) theirs: timebank volunteer update \(other.id) --birth-date YYYY-MM-DD --reason TEXT"
        default: "give \(other.id) their birth date: timebank volunteer update \(other.id) --birth-date YYYY-MM-DD --reason TEXT"
        }
        return "if it is the same person, leave this row out (their id is \(other.id)); if they are two people, \(dates), then import the file again"
    }
}

extension CommunityCSV {
    /// A row's cells under the file's columns, as `households(_:header:)` and the others read them back.
    public static func cells(_ household: Household) -> [(column: String, value: String)] {
        [("name", household.name), ("address", household.address)]
    }

    /// A station's cells under the file's columns.
    public static func cells(_ station: Station) -> [(column: String, value: String)] {
        [("name", station.name), ("community", station.community), ("address", station.address)]
    }

    /// A team's cells under the file's columns.
    public static func cells(_ team: Team) -> [(column: String, value: String)] {
        [("name", team.name), ("label", team.label)]
    }

    /// A volunteer's cells under the file's columns (lists joined with `;`).
    public static func cells(_ volunteer: Volunteer) -> [(column: String, value: String)] {
        [("name", volunteer.name), ("household", volunteer.household ?? ""), ("birth_date", volunteer.birthDate?.description ?? ""),
         ("teams", volunteer.teams.joined(separator: ";")), ("tags", volunteer.tags.joined(separator: ";")),
         ("joined", volunteer.joined.description)]
    }

    /// The cells of the file's row `row` against the stored value of the same id: nil when they say the same (a list in another order,
    /// `orange;purple` for `purple;orange`, says the same), else the error naming each column that differs, with both
    /// values. An import adds rows; it never changes a stored one.
    public static func storedConflict(kind: String, id: String, row: Int, stored: [(column: String, value: String)],
                                      cells: [(column: String, value: String)]) -> RowError? {
        guard let found = differences(kind: kind, id: id, stored: stored, given: cells, givenIn: "in this row") else { return nil }
        let update = found.update.map { "; to correct the stored one: \($0)" } ?? ""
        return RowError(row: row, column: found.firstColumn,
                        reason: "\(kind) \(id) is stored already with other details (\(found.what)); an import adds "
                            + "new rows and never changes a stored one: write the row as stored, or leave it out, or give it a new id" + update, code: "C015")
    }

    /// What differs between the stored details of `kind` `id` and those `given` (a row of a file, the options of an `add`):
    /// nil when they say the same (a list in another order, `orange;purple` for `purple;orange`, says the same); else each
    /// column that differs with both values (`name "王家" stored, "李家" in this row`, `givenIn` naming where the second
    /// is), the first of them, and the `update` command that would give the stored one the given values (nil for a kind
    /// without one).
    public static func differences(kind: String, id: String, stored: [(column: String, value: String)],
                                   given cells: [(column: String, value: String)], givenIn: String)
        -> (what: String, firstColumn: String, update: String?)? {
        let lists: Set<String> = ["teams", "tags"]
        func same(_ column: String, _ a: String, _ b: String) -> Bool {
            guard lists.contains(column) else { return a == b }
            return Set(CommunityRules.listItems(a)) == Set(CommunityRules.listItems(b))
        }
        let storedValues = Dictionary(stored.map { ($0.column, $0.value) }, uniquingKeysWith: { first, _ in first })
        let differing = cells.filter { cell in !same(cell.column, storedValues[cell.column] ?? "", cell.value) }
        guard let first = differing.first else { return nil }
        func shown(_ value: String) -> String { value.isEmpty ? "empty" : "\"\(value)\"" }
        let what = differing.map { "\($0.column) \(shown(storedValues[$0.column] ?? "")) stored, \(shown($0.value)) \(givenIn)" }
        // A correction of the stored one is its own command, which keeps what it was and why.
        // The options it takes, with the given values, when each differing column has one and a value to give.
        let options: [String: String] = ["name": "--name", "address": "--address", "community": "--community", "household": "--household",
                                         "birth_date": "--birth-date", "teams": "--teams", "tags": "--tags", "joined": "--joined",
                                         "label": "--label"]
        // `;` ends a command in a shell (`--teams orange;blue` would run `--teams orange`, then `blue`): it is quoted, and a
        // list is given with commas, as `--teams red,orange` is documented.
        func quoted(_ value: String) -> String {
            value.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || $0.properties.numericType != nil || "-_,.".unicodeScalars.contains($0) }
                ? value : "\"" + value.map { "\"\\$`".contains($0) ? "\\\($0)" : "\($0)" }.joined() + "\""
        }
        func typed(_ column: String, _ value: String) -> String {
            lists.contains(column) ? CommunityRules.listItems(value).joined(separator: ",") : value
        }
        let given = differing.compactMap { cell in
            options[cell.column].flatMap { cell.value.isEmpty ? nil : "\($0) \(quoted(typed(cell.column, cell.value)))" }
        }
        let arguments = given.count == differing.count ? given.joined(separator: " ") : "..."
        let update = CommunitySubject(rawValue: kind).map { _ in "timebank \(kind) update \(id) \(arguments) --reason TEXT" }
        return (what.joined(separator: "; "), first.column, update)
    }
}

/// Reads the fields of one row; remembers the first problem of each cell.
private struct RowReader {
    /// The row's number, which its errors name.
    let row: Int
    let fields: [String]
    let header: [String: Int]
    /// The problems found, at most one a column, in the order they were found.
    private(set) var errors: [CommunityCSV.RowError] = []

    /// Whether a cell of the row is bad.
    var isBad: Bool { !errors.isEmpty }

    /// The errors in the order of the row's cells, as the clerk reads the line (a column the file lacks last).
    var errorsInCellOrder: [CommunityCSV.RowError] {
        errors.enumerated().sorted { a, b in
            let (left, right) = (header[a.element.column] ?? Int.max, header[b.element.column] ?? Int.max)
            return left != right ? left < right : a.offset < b.offset
        }.map(\.element)
    }

    /// The columns of the bad cells.
    var badColumns: Set<String> { Set(errors.map(\.column)) }

    /// Whether `column`'s cell has a problem already (a check that reads it is moot then).
    func failed(_ column: String) -> Bool { errors.contains { $0.column == column } }

    init(row: (row: Int, fields: [String]), header: [String: Int]) {
        self.row = row.row
        self.fields = row.fields
        self.header = header
    }

    mutating func fail(_ column: String, _ reason: String, code: String = "C004", help: String? = nil) {
        // A cell is named once, by its first problem: "missing name" is not followed by "it is empty".
        if !failed(column) { errors.append(CommunityCSV.RowError(row: row, column: column, reason: reason, code: code, help: help)) }
    }

    /// A broken rule of `CommunityRules.problem` in `column`: C001 for the id, C004 for any other field.
    mutating func fail(rule problem: (column: String, reason: String)) {
        fail(problem.column, problem.reason, code: problem.column == "id" ? "C001" : "C004")
    }

    func raw(_ column: String) -> String? {
        guard let index = header[column], index < fields.count else { return nil }
        let value = fields[index].trimmingASCIISpaces()
        return value.isEmpty ? nil : value
    }

    mutating func required(_ column: String) -> String {
        guard let value = raw(column) else { fail(column, "missing \(column)", code: column == "id" ? "C001" : "C004"); return "" }
        return value
    }

    func optional(_ column: String) -> String? { raw(column) }

    mutating func id(_ column: String, seen: inout [String: Int]) -> String {
        let value = required(column)
        guard !failed(column) else { return value }
        if let half = CommunityRules.halfWidthID(value) {
            fail(column, "the id \"\(value)\" \(CommunityError.fullWidthReason(halfWidth: half))", code: "C006")
        } else if let lookAlike = CommunityRules.lookAlikeProblem(kind: column, id: value) {
            fail(column, lookAlike.reasonAfterID, code: lookAlike.code)
        } else if !AccountID.isValidOwner(value) {
            fail(column, "invalid id \"\(CommunityError.visible(value))\": \(CommunityError.idRule(value))", code: "C001")
        } else if let first = seen[value] {
            fail(column, "the id \"\(value)\" appears twice in this file (first on row \(first))", code: "C014",
                 help: "delete the repeated row, or give the other one its own id")
        } else {
            seen[value] = row
        }
        return value
    }

    mutating func date(_ column: String, required: Bool) -> LocalDate? {
        guard let text = raw(column) else {
            if required { fail(column, "missing \(column) (YYYY-MM-DD)") }
            return nil
        }
        // As the record import reads them: full-width digits (２０２４-０５-０１) and a full-width space at an end, as a
        // Chinese input method types them, and a spreadsheet's year-first day (1949/3/8, 1949年3月8日); a spreadsheet's
        // date number (17965) gets the same help as there, with the date written right.
        guard let date = LocalDate(text) ?? LocalDate.yearFirst(text) else {
            fail(column, RecordValidator.dateProblem(text), help: RecordValidator.dateHelp(text))
            return nil
        }
        return date
    }

    func list(_ column: String) -> [String] {
        CommunityRules.listItems(raw(column) ?? "")
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    public func trimmingASCIISpaces() -> String {
        // Nearly every value has nothing to trim: then no copy is made. (A first and last byte other than a space
        // or a tab start and end characters other than " " and "\t".)
        let edges = (utf8.first, utf8.last)
        let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")
        guard edges.0 == space || edges.0 == tab || edges.1 == space || edges.1 == tab else { return self }
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}
