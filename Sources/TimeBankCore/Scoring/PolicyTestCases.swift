/// Test cases for a policy (`timebank policy test POLICY CASES`): records with the points each must
/// earn and, optionally, the rules that must (or must not) act. The format is TOML
/// (`docs/scoring.md`, "Policy test cases"):
///
///     [[case]]
///     name = "90 minutes of orange care on a Saturday, first service"
///     records = '''
///     id,volunteer,category,date,start,end,verifier
///     e1,V1,orange,2026-10-03,09:00,10:30,社区
///     '''
///     expect.e1 = { points = 26.5, rules = ["multipliers.weekend", "bonuses.first_service"] }
///
/// Records are written exactly as in a record file (CSV with a header). Each case is scored on its
/// own, from an empty history unless it gives `balances`, `awards` or `bonuses_received`.
public struct PolicyTestFile: Sendable {
    public var path: String
    /// The file's text, for rendering diagnostics.
    public var source: String
    public var cases: [PolicyTestCase]
    /// Problems of the file (P0xx TOML syntax, E2xx case structure, E0xx rows of a case's records).
    public var diagnostics: [Diagnostic]

    /// Whether the file can be run: no error.
    public var isValid: Bool { !diagnostics.contains { $0.severity == .error } }
}

/// One case: records scored together and what each must give.
public struct PolicyTestCase: Sendable {
    public var name: String
    public var range: SourceRange
    public var records: [Record]
    public var expectations: [RecordExpectation]
    public var history: InMemoryScoringHistory
    public var community: CommunityDirectory?
}

/// What one record of a case must give. Amounts in hundredths; nil is not checked.
public struct RecordExpectation: Sendable, Hashable {
    public var recordID: String
    public var range: SourceRange
    /// Net points: award minus deduction.
    public var points: Int64?
    public var capped: Int64?
    public var deducted: Int64?
    public var shortfall: Int64?
    public var status: RecordScore.Status?
    /// Rule ids that must act on the record (`multipliers.weekend`, `caps.daily`, ...).
    public var rules: [String]
    /// Rule ids that must not act.
    public var absentRules: [String]
}

/// The outcome of one case.
public struct PolicyTestResult: Sendable {
    public var testCase: PolicyTestCase
    public var run: ScoringRun
    /// Every mismatch; empty when the case passed.
    public var failures: [PolicyTestFailure]
    /// True when the case met every expectation.
    public var passed: Bool { failures.isEmpty }
}

/// One mismatch: which record, what was expected and what the scorer gave.
public struct PolicyTestFailure: Sendable, Hashable {
    public var recordID: String
    public var range: SourceRange
    /// Such as `points: expected 26.5, got 27`.
    public var message: String
}

/// The policy test-case files (`config/tests/*.cases.toml`, `timebank policy test`): their keys, reading and running.
public enum PolicyTestCases {
    /// Keys of one `[[case]]`.
    public static let caseKeys = ["name", "records", "expect", "volunteers", "households", "balances", "awards", "bonuses_received"]
    /// Keys of one expectation.
    public static let expectationKeys = ["points", "capped", "deducted", "shortfall", "status", "rules", "not_rules"]

    /// Reads a case file; record rows are checked against `policy` (its categories and indicators).
    public static func parse(_ bytes: [UInt8], path: String, policy: Policy) -> PolicyTestFile {
        let decoded = TOMLDecoder.decode(bytes)
        var reader = CaseReader(bytes: bytes, policy: policy)
        reader.diagnostics = decoded.diagnostics.map { PolicyLoader.naming(path, in: $0) }
        if !decoded.hasErrors { reader.read(decoded.document) }
        return PolicyTestFile(path: path, source: String(decoding: bytes, as: UTF8.self), cases: reader.cases,
                              diagnostics: reader.diagnostics.sorted { $0.range.start.offset < $1.range.start.offset })
    }

    /// Scores every case under `version` and compares with the expectations.
    public static func run(_ file: PolicyTestFile, version: PolicyTimeline.Version) throws -> [PolicyTestResult] {
        try file.cases.map { testCase in
            let scorer = Scorer(timeline: PolicyTimeline([version]), community: testCase.community)
            let run = try scorer.score(testCase.records, history: testCase.history)
            return PolicyTestResult(testCase: testCase, run: run, failures: compare(testCase, run))
        }
    }

    static func compare(_ testCase: PolicyTestCase, _ run: ScoringRun) -> [PolicyTestFailure] {
        var failures: [PolicyTestFailure] = []
        for expectation in testCase.expectations {
            guard let score = run.scores.first(where: { run.record(of: $0).id == expectation.recordID }) else { continue }
            func fail(_ message: String) {
                failures.append(PolicyTestFailure(recordID: expectation.recordID, range: expectation.range, message: message))
            }
            func check(_ name: String, _ expected: Int64?, _ actual: Int64) {
                if let expected, expected != actual {
                    fail("\(name): expected \(Hundredths.trimmed(expected)), got \(Hundredths.trimmed(actual))")
                }
            }
            if let status = expectation.status, status != score.status {
                fail("status: expected \(status.rawValue), got \(score.status.rawValue)")
            }
            check("points", expectation.points, score.net)
            check("capped", expectation.capped, score.capped)
            check("deducted", expectation.deducted, score.deduction)
            check("shortfall", expectation.shortfall, score.shortfall)
            let applied = run.rulesApplied(score)
            let missing = expectation.rules.filter { !applied.contains($0) }
            if !missing.isEmpty {
                // A name close to one the record's explanation mentions (or a cap's) is most likely misspelt: say which.
                let category: String = { if case .service(let service) = run.records[score.recordIndex] { return service.category } else { return "" } }()
                let known = Set(run.explanation(of: score).map(\.rule) + ScoringCap.allCases.map { $0.key(category: category) })
                let named = missing.map { rule -> String in
                    guard !known.contains(rule), let near = ExpressionSpelling.suggestion(for: rule, among: known.sorted()) else { return rule }
                    return rule + " (did you mean \(near)?)"
                }
                fail("rules: expected \(named.joined(separator: ", ")) to act; acted: " + (applied.isEmpty ? "none" : applied.joined(separator: ", ")))
            }
            // A rule of a family the version does not declare can never act: the expectation could never fail, so say so.
            if let policy = run.version(of: score)?.policy {
                let declared = policy.categories.map { "categories.\($0.id)" } + policy.indicators.map { "indicators.\($0.id)" }
                    + policy.multipliers.map { "multipliers.\($0.id)" } + policy.bonuses.map { "bonuses.\($0.id)" }
                    + policy.penalties.map { "penalties.\($0.id)" }
                let families = ["categories.", "indicators.", "multipliers.", "bonuses.", "penalties."]
                for rule in expectation.absentRules where !declared.contains(rule) {
                    guard families.contains(where: { rule.hasPrefix($0) }) || !rule.contains(".") else { continue }
                    let near = ExpressionSpelling.suggestion(for: rule, among: declared.sorted()).map { " (did you mean \($0)?)" } ?? ""
                    fail("not_rules: \(rule) is not a rule of \(policy.id) version \(policy.version)\(near), so it can never act")
                }
            }
            let unwanted = expectation.absentRules.filter { applied.contains($0) }
            if !unwanted.isEmpty { fail("rules: expected \(unwanted.joined(separator: ", ")) not to act, but it did") }
        }
        return failures
    }
}

/// Reads the tables of a case file, collecting every problem.
private struct CaseReader {
    let bytes: [UInt8]
    let policy: Policy
    var diagnostics: [Diagnostic] = []
    var cases: [PolicyTestCase] = []

    init(bytes: [UInt8], policy: Policy) {
        self.bytes = bytes
        self.policy = policy
    }

    mutating func error(_ id: String, _ message: String, _ range: SourceRange, help: String? = nil) {
        diagnostics.append(Diagnostic(severity: .error, id: id, message: message, range: range, help: help.map { [$0] } ?? []))
    }

    mutating func unknownKeys(_ table: TOMLTable, allowed: [String], in what: String) {
        for entry in table.entries where !allowed.contains(entry.key.name) {
            let hint = ExpressionSpelling.suggestion(for: entry.key.name, among: allowed).map { "did you mean \"\($0)\"?" }
            error("E201", "unknown key \"\(entry.key.name)\" in \(what)", entry.key.range, help: hint ?? "keys: " + allowed.joined(separator: ", "))
        }
    }

    mutating func read(_ document: TOMLDocument) {
        unknownKeys(document.root, allowed: ["case"], in: "the file")
        guard let entry = document.root.entry(named: "case") else {
            error("E203", "the file has no [[case]]", SourceRange(at: SourceLocation(line: 1, column: 1, offset: 0)),
                  help: "add cases: [[case]] with name, records and expect")
            return
        }
        guard let array = entry.value.array, array.isArrayOfTables else {
            error("E202", "`case` must be an array of tables, written [[case]]", entry.key.range)
            return
        }
        var names = Set<String>()
        for element in array.elements {
            guard let table = element.table else { continue }
            if let testCase = readCase(table, range: element.range) {
                if !names.insert(testCase.name).inserted {
                    error("E202", "two cases are named \"\(testCase.name)\"", testCase.range, help: "give each case its own name")
                }
                cases.append(testCase)
            }
        }
    }

    mutating func string(_ table: TOMLTable, _ key: String) -> (String, TOMLValue)? {
        guard let value = table[key] else { return nil }
        guard let text = value.string else {
            error("E202", "`\(key)` must be text, not \(value.kindDescription)", value.range)
            return nil
        }
        return (text, value)
    }

    /// Points written as a number (`26.5`, `-5`), in hundredths.
    mutating func points(_ value: TOMLValue, key: String) -> Int64? {
        let text: String
        switch value.kind {
        case .integer(let integer): text = String(integer.value)
        case .float(let float): text = float.text
        default:
            error("E202", "`\(key)` must be a number of points, not \(value.kindDescription)", value.range)
            return nil
        }
        guard let decimal = ExactDecimal(text.replacingUnderscores()), let hundredths = try? decimal.hundredths() else {
            error("E202", "`\(key)` must be points with at most 2 decimals, not \(text)", value.range)
            return nil
        }
        return hundredths
    }

    mutating func stringList(_ value: TOMLValue, key: String) -> [String] {
        guard let array = value.array else {
            error("E202", "`\(key)` must be a list of rule ids such as [\"multipliers.weekend\"]", value.range)
            return []
        }
        return array.elements.compactMap { element in
            guard let text = element.string else {
                error("E202", "`\(key)` holds rule ids in quotes", element.range)
                return nil
            }
            return text
        }
    }

    /// The line (and byte offset) of the file where a string's text starts: a line break right after
    /// the opening `'''` or `"""` is not part of the text.
    func firstTextLine(of value: TOMLValue) -> (line: Int, offset: Int) {
        guard case .string(let string) = value.kind else { return (value.range.start.line, value.range.start.offset) }
        var offset = string.contentRange.start.offset
        var line = string.contentRange.start.line
        if offset < bytes.count, bytes[offset] == 0x0D { offset += 1 }
        if offset < bytes.count, bytes[offset] == 0x0A {
            offset += 1
            line += 1
        }
        return (line, offset)
    }

    /// Moves a range inside an embedded text to the file (lines shift; the first line's columns too).
    func shifted(_ range: SourceRange, from start: (line: Int, offset: Int), firstColumn: Int) -> SourceRange {
        func move(_ location: SourceLocation) -> SourceLocation {
            SourceLocation(line: location.line + start.line - 1,
                           column: location.line == 1 ? location.column + firstColumn - 1 : location.column,
                           offset: location.offset + start.offset)
        }
        return SourceRange(start: move(range.start), end: move(range.end))
    }

    mutating func readCase(_ table: TOMLTable, range: SourceRange) -> PolicyTestCase? {
        unknownKeys(table, allowed: PolicyTestCases.caseKeys, in: "a case")
        guard let (name, _) = string(table, "name") else {
            if table["name"] == nil { error("E203", "a case needs a `name`", range) }
            return nil
        }
        var community: CommunityDirectory?
        if table["volunteers"] != nil || table["households"] != nil {
            community = readCommunity(table)
        }
        guard let (text, value) = string(table, "records") else {
            if table["records"] == nil || table["records"]?.string == nil {
                error("E203", "case \"\(name)\" needs `records`: CSV text with a header, as in a record file", range,
                      help: Self.recordsHelp(table))
            }
            return nil
        }
        let start = firstTextLine(of: value)
        var context = RecordValidator.Context(
            defaultSource: "default", policies: PolicyTimeline([.init(label: "policy", policy: policy)]), community: community)
        // A case may test a record dated before the policy: the scorer reports it as not scored.
        context.requiresPolicyInForce = false
        let records: [Record]
        do {
            let contents = try RecordFile.read(Array(text.utf8), fileName: "records", format: .csv, context: context)
            for rejected in contents.rejected {
                for problem in rejected.errors {
                    error(problem.id, "case \"\(name)\": " + problem.reason, shifted(problem.range, from: start, firstColumn: 1),
                          help: problem.help)
                }
            }
            for duplicate in contents.duplicates {
                error("E015", "case \"\(name)\": record \(duplicate.record.id) is written twice", value.range)
            }
            records = contents.records
        } catch {
            for problem in error.diagnostics {
                self.error(problem.id, "case \"\(name)\": " + problem.message, shifted(problem.range, from: start, firstColumn: 1),
                           help: problem.help.first)
            }
            return nil
        }
        var expectations: [RecordExpectation] = []
        if let expect = table["expect"] {
            if let expectTable = expect.table {
                for entry in expectTable.entries {
                    guard records.contains(where: { $0.id == entry.key.name }) else {
                        let ids = records.map(\.id)
                        let hint = ExpressionSpelling.suggestion(for: entry.key.name, among: ids).map { "did you mean \"\($0)\"?" }
                        error("E204", "case \"\(name)\" has no record \"\(entry.key.name)\"", entry.key.range,
                              help: hint ?? (ids.isEmpty ? "the case's records were not read" : "records: " + ids.joined(separator: ", ")))
                        continue
                    }
                    if let expectation = readExpectation(entry) { expectations.append(expectation) }
                }
            } else {
                error("E202", "`expect` must be a table of record ids, such as expect.r1 = { points = 12 }", expect.range)
            }
        } else {
            error("E203", "case \"\(name)\" expects nothing: add expect.ID = { points = ... }", range)
        }
        var history = InMemoryScoringHistory()
        readHistory(table, into: &history)
        return PolicyTestCase(name: name, range: range, records: records, expectations: expectations, history: history,
                              community: community)
    }

    /// For a case that wrote its records as tables (`record = { volunteer = "V1", ... }`, `records = [{ ... }]` or
    /// `[[case.records]]`): the same records as the CSV text a case takes, each with an id (`r1`, ...), and an `expect` of a
    /// bare number moved to the first id. Otherwise where to find an example.
    static func recordsHelp(_ table: TOMLTable) -> String {
        let written = table["records"] ?? table["record"]
        let tables = written.flatMap { value in value.table.map { [$0] } ?? value.array?.elements.compactMap(\.table) } ?? []
        let fallback = "write records = ''' on a line, then a header such as id,volunteer,category,date,minutes, a line per record "
            + "and ''' (config/tests/policy.cases.toml has examples)"
        guard !tables.isEmpty else { return fallback }
        var columns = ["id"]
        for record in tables { for entry in record.entries where !columns.contains(entry.key.name) { columns.append(entry.key.name) } }
        func text(_ value: TOMLValue?) -> String? {
            guard let value else { return "" }
            switch value.kind {
            case .string(let string): return string.value.contains(",") ? "\"\(string.value)\"" : string.value
            case .integer(let integer): return String(integer.value)
            case .float(let float): return float.text
            case .boolean(let flag): return String(flag)
            case .dateTime(let dateTime): return dateTime.description
            case .array, .table: return nil
            }
        }
        var lines = [columns.joined(separator: ",")]
        for (index, record) in tables.enumerated() {
            let id = record["id"]?.string ?? "r\(index + 1)"
            let values = columns.dropFirst().map { text(record[$0]) }
            guard !values.contains(where: { $0 == nil }) else { return fallback }
            lines.append(([id] + values.map { $0! }).joined(separator: ","))
        }
        var help = "write the records as CSV text with a header: records = '''\n" + lines.joined(separator: "\n") + "\n'''"
        if let expect = table["expect"], expect.table == nil, let points = text(expect), !points.isEmpty {
            help += "\nexpect.\(tables[0]["id"]?.string ?? "r1") = \(points)"
        }
        return help
    }

    mutating func readExpectation(_ entry: TOMLTable.Entry) -> RecordExpectation? {
        var expectation = RecordExpectation(recordID: entry.key.name, range: entry.key.range, points: nil, capped: nil,
                                            deducted: nil, shortfall: nil, status: nil, rules: [], absentRules: [])
        // `expect.r1 = 12` is a shorthand for `expect.r1 = { points = 12 }`.
        guard let table = entry.value.table else {
            expectation.points = points(entry.value, key: entry.key.name)
            return expectation
        }
        unknownKeys(table, allowed: PolicyTestCases.expectationKeys, in: "an expectation")
        for item in table.entries {
            switch item.key.name {
            case "points": expectation.points = points(item.value, key: "points")
            case "capped": expectation.capped = points(item.value, key: "capped")
            case "deducted": expectation.deducted = points(item.value, key: "deducted")
            case "shortfall": expectation.shortfall = points(item.value, key: "shortfall")
            case "status":
                if let text = item.value.string, let status = RecordScore.Status(rawValue: text) {
                    expectation.status = status
                } else {
                    error("E202", "`status` is one of \"scored\", \"pending\", \"no_policy\"", item.value.range)
                }
            case "rules": expectation.rules = stringList(item.value, key: "rules")
            case "not_rules": expectation.absentRules = stringList(item.value, key: "not_rules")
            default: break
            }
        }
        return expectation
    }

    /// `V1` is the volunteer's account; `household:H1` and other `kind:owner` ids are taken as written.
    mutating func account(_ text: String, _ range: SourceRange) -> AccountID? {
        if text.contains(":") {
            guard let account = AccountID(text) else {
                error("E202", "\"\(text)\" is not an account such as V1 or household:H1", range)
                return nil
            }
            return account
        }
        guard AccountID.isValidOwner(text) else {
            error("E202", "\"\(text)\" is not a volunteer id", range)
            return nil
        }
        return .volunteer(text)
    }

    mutating func readHistory(_ table: TOMLTable, into history: inout InMemoryScoringHistory) {
        if let balances = table["balances"] {
            if let balanceTable = balances.table {
                for entry in balanceTable.entries {
                    if let account = account(entry.key.name, entry.key.range), let amount = points(entry.value, key: entry.key.name) {
                        history.balances[account] = amount
                    }
                }
            } else {
                error("E202", "`balances` must be a table such as { V1 = 10 }", balances.range)
            }
        }
        if let awards = table["awards"] {
            for element in awards.array?.elements ?? [] {
                guard let award = element.table else {
                    error("E202", "an award is a table { account = \"V1\", date = 2026-10-03, points = 20 }", element.range)
                    continue
                }
                unknownKeys(award, allowed: ["account", "date", "category", "points"], in: "an award")
                guard let (accountText, accountValue) = string(award, "account"), let account = account(accountText, accountValue.range),
                      let dateValue = award["date"], case .dateTime(let dateTime) = dateValue.kind, let tomlDate = dateTime.date,
                      dateTime.time == nil, let date = LocalDate(tomlDate.description),
                      let pointsValue = award["points"], let amount = points(pointsValue, key: "points") else {
                    error("E202", "an award needs account, date (a date without quotes) and points", element.range)
                    continue
                }
                history.recordAward(to: account, on: date, category: string(award, "category")?.0, points: amount)
            }
            if awards.array == nil { error("E202", "`awards` must be a list of tables", awards.range) }
        }
        if let bonuses = table["bonuses_received"] {
            for element in bonuses.array?.elements ?? [] {
                guard let bonus = element.table, let (holderText, holderValue) = string(bonus, "holder"),
                      let holder = account(holderText, holderValue.range), let (id, _) = string(bonus, "bonus") else {
                    error("E202", "a received bonus is { holder = \"V1\", bonus = \"first_service\" }", element.range)
                    continue
                }
                unknownKeys(bonus, allowed: ["holder", "bonus"], in: "a received bonus")
                history.bonusesReceived.insert(.init(bonus: id, holder: holder))
            }
            if bonuses.array == nil { error("E202", "`bonuses_received` must be a list of tables", bonuses.range) }
        }
    }

    /// Volunteers and households written as CSV, in the columns of `volunteer import` and `household import`.
    mutating func readCommunity(_ table: TOMLTable) -> CommunityDirectory? {
        var households: [Household] = []
        var volunteers: [Volunteer] = []
        func rows(_ key: String) -> (rows: [(row: Int, fields: [String])], header: [String: Int], value: TOMLValue)? {
            guard let (text, value) = string(table, key) else { return nil }
            guard let parsed = try? CSVReader.rows(Array(text.utf8)), let header = parsed.first else {
                error("E202", "`\(key)` must be CSV text with a header", value.range)
                return nil
            }
            var columns: [String: Int] = [:]
            for (index, name) in header.fields.enumerated() { columns[name.trimmingASCIISpaces().lowercased()] = index }
            // Numbered as a spreadsheet would number the text's rows, which the E202 message names (`households: row 3, column name: ...`).
            return (zip(CSVRow.sheetRows(parsed), parsed).dropFirst().filter { !$0.1.isBlank }.map { ($0.0, $0.1.fields) }, columns, value)
        }
        if let (rows, header, value) = rows("households") {
            let result = CommunityCSV.households(rows, header: header)
            for problem in result.errors { error("E202", "households: \(problem)", value.range) }
            households = result.values
        }
        if let (rows, header, value) = rows("volunteers") {
            let result = CommunityCSV.volunteers(rows, header: header, knownHouseholds: Set(households.map(\.id)))
            for problem in result.errors { error("E202", "volunteers: \(problem)", value.range) }
            volunteers = result.values
        }
        return CommunityDirectory(volunteers: volunteers, households: households, stations: [])
    }
}

extension String {
    /// TOML allows `1_000`; exact decimals read it too, but without underscores is simplest.
    fileprivate func replacingUnderscores() -> String { String(filter { $0 != "_" }) }
}
