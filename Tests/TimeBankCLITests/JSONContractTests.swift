import Foundation
import Testing
import TimeBankCore
import TimeBankStorage
@testable import TimeBankCLI

/// The machine contract of `--json` (docs/cli.md, the paragraph after the list of commands; docs/errors.md, its
/// opening), checked for every command in the registry: a small community is built, and every command is run with
/// `--json` at least once where it succeeds and once where it is refused.
@Suite("--json: every command keeps the machine contract")
struct JSONContractTests {
    /// One command line of the scenario: what it runs, as whom, and whether it must succeed.
    struct Step {
        var arguments: [String]
        var environment: [String: String]
        /// True when the step must exit 0; false when it must be refused (any other documented exit).
        var succeeds: Bool
        /// A refusal that prints the command's findings as its document instead of the error object (see `reportsOnFailure`).
        var reports = false
    }

    /// Commands that, when what they check has errors, exit 1, 2 or 3 with their findings as the JSON document rather than
    /// `{"error": ...}`, as their help says (a program reads every diagnostic, rejected row or broken entry from it). They
    /// are refused with the error object too, when they cannot run at all (a missing file).
    static let reportsOnFailure: Set<String> = ["policy check", "policy fmt", "policy test", "record import", "verify", "stock verify"]

    /// Commands that have no `--json` form of their own (none today: every command in the registry prints JSON).
    static let withoutJSON: Set<String> = []

    // MARK: - The scenario

    /// Runs `steps` in order on one fresh community; returns each step with what it printed.
    static func runScenario(_ cli: CLIHarness, seeds: String) throws -> [(Step, CLIHarness.Result)] {
        let root = ScoringCommandTests.repositoryRoot
        let policy = root + "/config/policy.toml"
        let cases = root + "/config/tests/policy.cases.toml"
        let admin = CLIHarness.asAdmin, op1 = CLIHarness.asOp1
        let broken = try cli.write("broken.toml", "[policy]\nid = \"x\"\nversion = 1\neffective = 2026-10-01\n\n[categories.red]\npoints_per_hour = \"ten\"\n")
        let brokenCases = try cli.write("broken.cases.toml", "[[case]]\nname = \"typos\"\nrecrods = \"x\"\n")
        let unreadable = try cli.write("unreadable.toml", "[policy\nid = \"x\"\n")
        let formatted = try cli.write("fmt.toml", try String(contentsOfFile: policy, encoding: .utf8))
        let records = try cli.write("october.csv", """
            id,volunteer,category,date,start,end,verifier,tags,note
            r1,V1,orange,2026-10-08,09:00,10:30,社区,,探访独居老人
            r2,V2,green,2026-10-12,09:00,13:00,社区,,
            r3,V2,red,2026-10-13,09:00,10:00,社区,,

            """)
        let badRecords = try cli.write("bad.csv", """
            id,volunteer,category,date,start,end,verifier,tags,note
            r9,V9,red,2026-10-12,09:00,10:00,社区,,

            """)
        let households = try cli.write("households.csv", "id,name,address\nH3,赵家,南池路1号\n")
        let volunteers = try cli.write("volunteers.csv", "id,name,household,birth_date,teams,tags,joined\nV4,赵四,H3,1970-01-01,green,,2025-01-01\n")
        let stations = try cli.write("stations.csv", "id,name,community,address\nS4,第四兑换站,南池社区,南池路2号\n")
        let teams = try cli.write("teams.csv", "id,name,label\nsilver,银发服务队,elders\n")
        let missing = cli.folder + "/missing.csv"

        func ok(_ arguments: [String], _ environment: [String: String] = admin) -> Step {
            Step(arguments: arguments, environment: environment, succeeds: true)
        }
        func refused(_ arguments: [String], _ environment: [String: String] = admin) -> Step {
            Step(arguments: arguments, environment: environment, succeeds: false)
        }
        func findings(_ arguments: [String], _ environment: [String: String] = admin) -> Step {
            Step(arguments: arguments, environment: environment, succeeds: false, reports: true)
        }
        let steps: [Step] = [
            ok(["init"]), refused(["init", "--admin"]),
            ok(["--db", cli.folder + "/demo.sqlite", "demo", "--seeds", seeds]), refused(["--db", cli.databasePath, "demo", "--seeds", seeds]),
            // The community.
            ok(["household", "add", "--id", "H2", "--name", "李家"]), refused(["household", "add", "--id", "H1", "--name", "李家"]), ok(["household", "add", "--id", "H1", "--name", "王家"]),
            ok(["household", "list"]), refused(["household", "list", "extra"]),
            ok(["household", "show", "H1", "--history"]), refused(["household", "show", "H9"]),
            ok(["household", "import", households]), refused(["household", "import", missing]),
            ok(["household", "update", "H2", "--address", "南池路5号", "--reason", "门牌改了"]),
            refused(["household", "update", "H9", "--name", "x", "--reason", "r"]),
            ok(["volunteer", "add", "--id", "V3", "--name", "张三", "--household", "H2", "--joined", "2025-03-01"]),
            refused(["volunteer", "add", "--id", "V5", "--name", "x", "--household", "H9"]),
            ok(["volunteer", "list"]), refused(["volunteer", "list", "--household", "H9"]),
            ok(["volunteer", "show", "V1", "--history"]), refused(["volunteer", "show", "V9"]),
            ok(["volunteer", "import", volunteers]), refused(["volunteer", "import", missing]),
            ok(["volunteer", "update", "V3", "--tags", "党员", "--reason", "补录"]),
            refused(["volunteer", "update", "V9", "--name", "x", "--reason", "r"]),
            ok(["station", "add", "--id", "S3", "--name", "第三兑换站"]), refused(["station", "add", "--id", "S1", "--name", "x"]),
            ok(["station", "list"]), refused(["station", "list", "extra"]),
            ok(["station", "show", "S1", "--history"]), refused(["station", "show", "S9"]),
            ok(["station", "import", stations]), refused(["station", "import", missing]),
            ok(["station", "update", "S3", "--address", "泰山路1号", "--reason", "新址"]),
            refused(["station", "update", "S9", "--name", "x", "--reason", "r"]),
            ok(["team", "add", "gold", "--name", "金色服务队"]), refused(["team", "add", "orange", "--name", "橙色"]),
            ok(["team", "list"]), refused(["team", "list", "extra"]),
            ok(["team", "show", "orange", "--history"]), refused(["team", "show", "orang"]),
            ok(["team", "import", teams]), refused(["team", "import", missing]),
            ok(["team", "update", "gold", "--label", "gold", "--reason", "补标签"]),
            refused(["team", "update", "teal", "--name", "x", "--reason", "r"]),
            // The ledger.
            ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "300", "--kind", "award", "--key", "a1",
                "--date", "2026-10-05", "--expires", "2027-10-01", "--memo", "橙色关怀"]),
            ok(["post", "--from", "system:issuance", "--to", "V2", "--points", "100", "--kind", "award", "--key", "a2", "--date", "2026-10-05"]),
            ok(["post", "--from", "system:issuance", "--to", "V2", "--points", "1", "--kind", "award", "--key", "a3", "--date", "2026-10-05"]),
            ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "300", "--kind", "award", "--key", "a1",
                "--date", "2026-10-05", "--expires", "2027-10-01", "--memo", "橙色关怀"]),
            refused(["post", "--from", "V2", "--to", "V1", "--points", "1000", "--kind", "adjustment", "--key", "a4", "--date", "2026-10-06"]),
            ok(["balance", "V1", "V2", "fund:main"]), refused(["balance", "V9"]),
            ok(["balance"]),
            ok(["statement", "V1"]), refused(["statement", "V9"]),
            ok(["lots", "V1", "--all"]), refused(["lots", "V9"]),
            ok(["reverse", "a3", "--key", "undo-a3", "--reason", "recorded twice", "--date", "2026-10-06"]),
            refused(["reverse", "a3", "--key", "undo-a3-again", "--reason", "again", "--date", "2026-10-06"]),
            ok(["entry", "list", "--account", "V1"]), refused(["entry", "list", "--limit", "x"]),
            ok(["entry", "show", "1"]), refused(["entry", "show", "99999"]),
            ok(["export", "--format", "ledger", "--output", cli.folder + "/ledger.journal"]), refused(["export", "--format", "ledger"]),
            // The policy.
            ok(["policy", "check", policy]), findings(["policy", "check", broken]), refused(["policy", "check", missing]),
            ok(["policy", "show", policy]), refused(["policy", "show", broken]),
            ok(["policy", "activate", policy]), refused(["policy", "activate", broken]),
            ok(["policy", "versions"]), refused(["policy", "versions", "--on", "yesterday-ish"]),
            ok(["policy", "fmt", formatted]), findings(["policy", "fmt", unreadable]), findings(["policy", "fmt", missing]), refused(["policy", "fmt"]),
            ok(["policy", "test", policy, cases]), refused(["policy", "test", policy, brokenCases]),
            // Records and scoring.
            ok(["record", "import", records]), findings(["record", "import", badRecords]), refused(["record", "import", missing]),
            ok(["record", "list"]), refused(["record", "list", "--status", "maybe"]),
            ok(["record", "show", "r1"]), refused(["record", "show", "r99"]),
            ok(["record", "approve", "r1", "r2"]), refused(["record", "approve", "r99"]),
            ok(["record", "reject", "r3", "--reason", "未核实"]), refused(["record", "reject", "r99", "--reason", "x"]),
            ok(["score", "--policy", policy, records, "--explain"]), refused(["score", "--policy", policy, missing]),
            ok(["whatif", "--policy", policy, "--against", policy, records]), refused(["whatif", "--policy", policy, "--against", broken, records]),
            ok(["settle", "--date", "2027-01-04", "--catch-up", "--reports", cli.folder + "/reports"]),
            refused(["settle", "--date", "2099-01-01"]),
            ok(["settlement", "list"]), refused(["settlement", "list", "--from", "someday"]),
            ok(["explain", "r1"]), refused(["explain", "r99"]),
            // Operators.
            ok(["operator", "add", "--id", "op3", "--name", "王芳", "--role", "operator", "--station", "S2"],
               admin.merging(["TIMEBANK_NEW_PIN": "3131"]) { $1 }),
            refused(["operator", "add", "--id", "op1", "--name", "x", "--role", "operator", "--station", "S1"],
                    admin.merging(["TIMEBANK_NEW_PIN": "3131"]) { $1 }),
            ok(["operator", "list"]), refused(["operator", "list", "extra"]),
            ok(["operator", "pin"], CLIHarness.asOp2.merging(["TIMEBANK_NEW_PIN": "2323"]) { $1 }),
            refused(["operator", "pin", "--for", "op9"], admin.merging(["TIMEBANK_NEW_PIN": "2323"]) { $1 }),
            ok(["operator", "disable", "op3", "--reason", "调岗"]), refused(["operator", "disable", "op9", "--reason", "x"]),
            ok(["operator", "enable", "op3"]), refused(["operator", "enable", "op9"]),
            // Stations: stock, redemptions, bookings.
            ok(["stock", "receive", "--station", "S1", "--item", "rice_5kg", "--qty", "20", "--key", "in-1", "--date", "2026-10-06"]),
            refused(["stock", "receive", "--station", "S1", "--item", "rice", "--qty", "20", "--key", "in-2"]),
            ok(["stock", "adjust", "--station", "S1", "--item", "rice_5kg", "--qty", "-1", "--reason", "damaged", "--key", "adj-1", "--date", "2026-10-06"]),
            refused(["stock", "adjust", "--station", "S1", "--item", "rice_5kg", "--qty", "-1", "--reason", "eaten", "--key", "adj-2"]),
            ok(["stock", "move", "--from", "S1", "--to", "S2", "--item", "rice_5kg", "--qty", "2", "--key", "mv-1", "--date", "2026-10-06"]),
            refused(["stock", "move", "--from", "S1", "--to", "S2", "--item", "rice_5kg", "--qty", "1000", "--key", "mv-2", "--date", "2026-10-06"]),
            ok(["stock", "receive", "--station", "S1", "--item", "hair_clip", "--qty", "10", "--key", "in-3", "--date", "2026-10-06"]),
            ok(["stock", "count", "--station", "S1", "--item", "hair_clip", "--counted", "9", "--key", "count-1", "--date", "2026-10-06"]),
            refused(["stock", "count", "--station", "S1", "--item", "hair_clip", "--counted", "-9", "--key", "count-2"]),
            ok(["stock", "counts"]), ok(["stock", "counts", "--key", "count-1"]), refused(["stock", "counts", "--key", "count-9"]),
            ok(["stock", "list"]), refused(["stock", "list", "--station", "S9"]),
            ok(["stock", "history", "--station", "S1"]), refused(["stock", "history", "--station", "S9"]),
            ok(["redeem", "--station", "S1", "--volunteer", "V1", "--item", "rice_5kg", "--key", "S1-0001", "--date", "2026-10-08"], op1),
            ok(["redeem", "--station", "S1", "--volunteer", "V1", "--item", "rice_5kg", "--key", "S1-0001", "--date", "2026-10-08"], op1),
            refused(["redeem", "--station", "S1", "--volunteer", "V1", "--item", "rice_5kg", "--key", "S1-0002", "--date", "2026-10-09"], op1),
            ok(["redeem", "--station", "S1", "--volunteer", "V2", "--item", "hair_clip:2", "--key", "S1-0003", "--date", "2026-10-09"], op1),
            ok(["receipt", "show", "R1"]), refused(["receipt", "show", "R999"]),
            ok(["receipt", "list", "--station", "S1"]), refused(["receipt", "list", "--station", "S9"]),
            ok(["refund", "R2", "--reason", "不合适", "--date", "2026-10-09"], op1), refused(["refund", "R999", "--reason", "x"], op1),
            ok(["book", "--station", "S1", "--volunteer", "V1", "--item", "health_check", "--for", "2027-01-05", "--key", "bk-1"], op1),
            refused(["book", "--station", "S1", "--volunteer", "V2", "--item", "health_check", "--for", "2027-01-05", "--key", "bk-2"], op1),
            ok(["fulfil", "B1"], op1), refused(["fulfil", "B999"], op1),
            ok(["book", "--station", "S1", "--volunteer", "V1", "--item", "home_cleaning", "--for", "2027-01-06", "--key", "bk-3"], op1),
            ok(["cancel", "B2", "--reason", "改期"], op1), refused(["cancel", "B999", "--reason", "x"], op1),
            ok(["booking", "list"]), refused(["booking", "list", "--station", "S9"]),
            ok(["booking", "expire"]), refused(["booking", "expire", "extra"]),
            ok(["stock", "verify"]), refused(["stock", "verify", "extra"]),
            ok(["transfer", "--from", "V1", "--to", "V2", "--points", "10", "--key", "t1", "--date", "2026-10-10"]),
            refused(["transfer", "--from", "V1", "--to", "V2", "--points", "1000", "--key", "t2", "--date", "2026-10-10"]),
            ok(["donate", "--from", "V1", "--points", "5", "--key", "d1", "--date", "2026-10-10"]),
            refused(["donate", "--from", "V1", "--points", "100000", "--key", "d2", "--date", "2026-10-10"]),
            // The fund.
            ok(["fund", "contribute", "--merchant", "鲁味斋", "--turnover", "100000", "--key", "fc1", "--date", "2026-10-10"]),
            refused(["fund", "contribute", "--merchant", "鲁味斋", "--turnover", "lots", "--key", "fc2"]),
            ok(["fund", "donate", "--donor", "爱心企业", "--amount", "2000", "--key", "fd1", "--date", "2026-10-10"]),
            refused(["fund", "donate", "--donor", "爱心企业", "--amount", "-5", "--key", "fd2"]),
            ok(["fund", "report"]), refused(["fund", "report", "--from", "someday"]),
            ok(["dividend", "--period", "2026-10", "--amount", "100", "--key", "dv1", "--date", "2026-12-01"]),
            refused(["dividend", "--period", "2026-13", "--amount", "100", "--key", "dv2"]),
            // Reports.
            ok(["report", "daily", "--from", "2026-10-01", "--to", "2026-10-31"]), refused(["report", "daily", "--format", "xlsx"]),
            ok(["report", "stations", "--from", "2026-10-01", "--to", "2026-10-31"]), refused(["report", "stations", "--format", "xlsx"]),
            ok(["report", "categories", "--from", "2026-10-01", "--to", "2026-10-31"]), refused(["report", "categories", "--format", "xlsx"]),
            ok(["report", "ranking", "--from", "2026-10-01", "--to", "2026-10-31"]), refused(["report", "ranking", "--by", "luck"]),
            ok(["report", "levels", "--from", "2026-10-01", "--to", "2026-10-31"]), refused(["report", "levels", "--format", "xlsx"]),
            ok(["report", "expiring", "--as-of", "2027-09-15", "--within", "30"]), refused(["report", "expiring", "--within", "soon"]),
            ok(["report", "rejects", "--from", "2026-10-01", "--to", "2026-10-31"]), refused(["report", "rejects", "--format", "xlsx"]),
            ok(["report", "fund", "--from", "2026-10-01", "--to", "2026-10-31"]), refused(["report", "fund", "--format", "xlsx"]),
            // The whole ledger, and a copy of it.
            ok(["verify"]), refused(["verify", "extra"]),
            ok(["backup", "--to", cli.folder + "/backup.sqlite"]), refused(["backup", "--to", cli.databasePath]),
        ]
        return steps.map { step in (step, cli.run(["--json"] + step.arguments, environment: step.environment)) }
    }

    /// A few lines of the seed files: enough for `demo` to tell its story in seconds.
    static func smallSeeds(in folder: String) throws -> String {
        let seeds = folder + "/seeds"
        try FileManager.default.createDirectory(atPath: seeds, withIntermediateDirectories: true)
        let source = ScoringCommandTests.repositoryRoot + "/seeds"
        let volunteers = try String(contentsOfFile: source + "/volunteers.csv", encoding: .utf8).split(separator: "\n").prefix(13)
        let households = Set(volunteers.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false)[2] })
        let householdLines = try String(contentsOfFile: source + "/households.csv", encoding: .utf8).split(separator: "\n")
        try (volunteers.joined(separator: "\n") + "\n").write(toFile: seeds + "/volunteers.csv", atomically: true, encoding: .utf8)
        try ([householdLines[0]] + householdLines.dropFirst().filter { households.contains($0.split(separator: ",")[0]) })
            .joined(separator: "\n").appending("\n").write(toFile: seeds + "/households.csv", atomically: true, encoding: .utf8)
        for name in ["stations.csv", "teams.csv"] {
            try FileManager.default.copyItem(atPath: source + "/" + name, toPath: seeds + "/" + name)
        }
        return seeds
    }

    @Test("every command with --json prints one JSON document in the documented forms, and the documented error when refused")
    func everyCommand() throws {
        let cli = try CLIHarness()
        try cli.stations(policy: try String(contentsOfFile: ScoringCommandTests.repositoryRoot + "/config/policy.toml", encoding: .utf8))
        let seeds = try Self.smallSeeds(in: cli.folder)
        let ran = try Self.runScenario(cli, seeds: seeds)
        let exits = try Self.documentedExits()

        for (step, result) in ran {
            let line = "timebank --json " + step.arguments.joined(separator: " ")
            if step.succeeds {
                #expect(result.exit == 0, "\(line): exit \(result.exit)\n\(result.errors)")
            } else {
                #expect(result.exit != 0, "\(line) was not refused\n\(result.output)")
            }
            // Exactly one JSON document on standard output, as Foundation reads it.
            let parsed = try? JSONSerialization.jsonObject(with: Data(result.output.utf8), options: [.fragmentsAllowed])
            #expect(parsed != nil, "\(line): standard output is not one JSON document:\n\(result.output)")
            guard let document = try? JSONValue.parse(result.output) else {
                Issue.record("\(line): standard output does not parse:\n\(result.output)")
                continue
            }
            if step.reports {
                #expect(Self.reportsOnFailure.contains(Self.commandName(step.arguments) ?? ""), "\(line): not a command that reports on failure")
                if case .object(let members) = document { #expect(members.first?.0 != "error", "\(line): the error object, not the findings") }
            } else if result.exit != 0 {
                Self.checkError(document, exit: result.exit, errors: result.errors, documented: exits, line: line)
            }
            for problem in JSONContract.problems(in: document, command: Self.commandName(step.arguments)) {
                Issue.record("\(line): \(problem)")
            }
        }

        // Every command of the registry was run both ways, unless listed above as having no --json.
        for command in TimeBankCLI.commands.map({ $0.name }) where !Self.withoutJSON.contains(command) {
            let steps = ran.filter { Self.commandName($0.0.arguments) == command }
            #expect(steps.contains { $0.0.succeeds && $0.1.exit == 0 }, "\(command): no successful --json run in the scenario")
            #expect(steps.contains { !$0.0.succeeds && $0.1.exit != 0 }, "\(command): no refused --json run in the scenario")
        }
    }

    /// The registry's command that `arguments` run (the longest name that its leading words spell).
    static func commandName(_ arguments: [String]) -> String? {
        var words: [String] = []
        var index = 0
        while index < arguments.count {
            if arguments[index] == "--db" { index += 2; continue }
            if arguments[index].hasPrefix("-") { break }
            words.append(arguments[index])
            index += 1
        }
        return TimeBankCLI.commands.map { $0.name }
            .filter { name in
                let parts = name.split(separator: " ").map(String.init)
                return Array(words.prefix(parts.count)) == parts
            }
            .max { $0.count < $1.count }
    }

    /// docs/errors.md's tables: each code with the exits its row allows (`2 (1 for a balance)` allows 2 and 1).
    static func documentedExits() throws -> [String: Set<Int32>] {
        let text = try String(contentsOfFile: ScoringCommandTests.repositoryRoot + "/docs/errors.md", encoding: .utf8)
        var exits: [String: Set<Int32>] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("| ") {
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count > 3, cells[1].wholeMatch(of: /[A-Z][0-9]{3}/) != nil else { continue }
            let allowed = Set(cells[2].matches(of: /\b[0-4]\b/).compactMap { Int32($0.output) })
            if !allowed.isEmpty { exits[cells[1], default: []].formUnion(allowed) }
        }
        return exits
    }

    /// `{"error": {"code": "R001", "message": "...", "exit": 1}}`, the same code and message on standard error, and an
    /// exit that docs/errors.md gives the code.
    static func checkError(_ document: JSONValue, exit: Int32, errors: String, documented: [String: Set<Int32>], line: String) {
        guard case .object(let top) = document, top.map(\.0) == ["error"], case .object(let members)? = top.first?.1 else {
            Issue.record("\(line): exit \(exit) but standard output is not {\"error\": {...}}")
            return
        }
        #expect(members.map(\.0) == ["code", "message", "exit"], "\(line): error members \(members.map(\.0))")
        guard case .string(let code)? = members.first(where: { $0.0 == "code" })?.1,
              case .string(let message)? = members.first(where: { $0.0 == "message" })?.1,
              case .number(let exitText)? = members.first(where: { $0.0 == "exit" })?.1 else {
            Issue.record("\(line): the error's code, message or exit has the wrong type")
            return
        }
        #expect(exitText == String(exit), "\(line): \"exit\": \(exitText), but it exited \(exit)")
        #expect(!message.isEmpty)
        #expect(errors.contains("error[\(code)]: "), "\(line): standard error does not give error[\(code)]:\n\(errors)")
        if let allowed = documented[code] {
            #expect(allowed.contains(exit), "\(line): \(code) exited \(exit); docs/errors.md gives \(allowed.sorted())")
        } else {
            Issue.record("\(line): \(code) is not in docs/errors.md")
        }
    }

    /// A booking is priced by the version in force on the day it is booked and keeps it (docs/stations.md); its `--json`
    /// says which, as a receipt's does. B1 is booked under version 1 and B2 under version 2, activated in between.
    @Test("booking list --json gives each booking's policy_version, as receipt list --json gives each receipt's")
    func bookingPolicyVersion() throws {
        let cli = try CLIHarness(now: Timestamp("2026-10-10T04:00:00.000Z")!)
        try cli.stations()
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "300", "--kind", "award", "--key", "a1", "--date", "2026-10-01"],
                   CLIHarness.asAdmin)
        try cli.ok(["book", "--station", "S1", "--volunteer", "V1", "--item", "health_check", "--for", "2026-10-10", "--key", "bk-1",
                    "--date", "2026-10-08"], CLIHarness.asOp1)
        try cli.ok(["fulfil", "B1", "--date", "2026-10-10"], CLIHarness.asOp1)
        let second = stationCLIPolicy.replacingOccurrences(of: "version = 1\neffective = 2026-01-01", with: "version = 2\neffective = 2026-10-10")
        try cli.ok(["policy", "activate", try cli.write("policy-2.toml", second)], CLIHarness.asAdmin)
        try cli.ok(["book", "--station", "S1", "--volunteer", "V1", "--item", "health_check", "--for", "2026-10-12", "--key", "bk-2"],
                   CLIHarness.asOp1)
        func document(_ arguments: [String]) throws -> Any {
            try JSONSerialization.jsonObject(with: Data(cli.ok(arguments + ["--json"]).utf8))
        }
        let bookings = try #require(try document(["booking", "list"]) as? [[String: Any]])
        #expect(bookings.map { "\($0["booking"] ?? "") \($0["policy_version"] ?? "none")" } == ["B1 1", "B2 2"])
        let receipts = try #require((try document(["receipt", "list"]) as? [String: Any])?["receipts"] as? [[String: Any]])
        #expect(receipts.map { "\($0["booking"] ?? "") \($0["policy_version"] ?? "none")" } == ["B1 1"], "B1's receipt names B1's version")
    }
}

/// A JSON value that keeps each number's text (`60.00` and `60` are different texts; Foundation reads both as 60).
indirect enum JSONValue: Equatable {
    case object([(String, JSONValue)])
    case array([JSONValue])
    case string(String)
    case number(String)
    case bool(Bool)
    case null

    static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.object(let a), .object(let b)): a.map(\.0) == b.map(\.0) && a.map(\.1) == b.map(\.1)
        case (.array(let a), .array(let b)): a == b
        case (.string(let a), .string(let b)), (.number(let a), .number(let b)): a == b
        case (.bool(let a), .bool(let b)): a == b
        case (.null, .null): true
        default: false
        }
    }

    struct ParseError: Error { var offset: Int }

    /// The whole text as one value (white space around it allowed, nothing else).
    static func parse(_ text: String) throws -> JSONValue {
        var parser = Parser(bytes: Array(text.utf8))
        let value = try parser.value()
        parser.skipSpace()
        guard parser.index == parser.bytes.count else { throw ParseError(offset: parser.index) }
        return value
    }

    private struct Parser {
        let bytes: [UInt8]
        var index = 0

        mutating func skipSpace() {
            while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
        }

        mutating func expect(_ byte: UInt8) throws {
            skipSpace()
            guard index < bytes.count, bytes[index] == byte else { throw ParseError(offset: index) }
            index += 1
        }

        mutating func value() throws -> JSONValue {
            skipSpace()
            guard index < bytes.count else { throw ParseError(offset: index) }
            switch bytes[index] {
            case UInt8(ascii: "{"):
                index += 1
                var members: [(String, JSONValue)] = []
                skipSpace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
                repeat {
                    skipSpace()
                    guard case .string(let key) = try value() else { throw ParseError(offset: index) }
                    try expect(UInt8(ascii: ":"))
                    members.append((key, try value()))
                    skipSpace()
                } while try separator(closing: UInt8(ascii: "}"))
                return .object(members)
            case UInt8(ascii: "["):
                index += 1
                var items: [JSONValue] = []
                skipSpace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
                repeat {
                    items.append(try value())
                    skipSpace()
                } while try separator(closing: UInt8(ascii: "]"))
                return .array(items)
            case UInt8(ascii: "\""):
                let start = index
                index += 1
                while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                    index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
                }
                index += 1
                let literal = Data(bytes[start..<min(index, bytes.count)])
                guard let string = try JSONSerialization.jsonObject(with: literal, options: [.fragmentsAllowed]) as? String else {
                    throw ParseError(offset: start)
                }
                return .string(string)
            case UInt8(ascii: "t"): return try word("true", .bool(true))
            case UInt8(ascii: "f"): return try word("false", .bool(false))
            case UInt8(ascii: "n"): return try word("null", .null)
            default:
                let start = index
                while index < bytes.count, "-+.eE0123456789".utf8.contains(bytes[index]) { index += 1 }
                let text = String(decoding: bytes[start..<index], as: UTF8.self)
                guard text.wholeMatch(of: /-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?/) != nil else { throw ParseError(offset: start) }
                return .number(text)
            }
        }

        /// After a member or item: true at a comma, false at the closing bracket.
        mutating func separator(closing: UInt8) throws -> Bool {
            guard index < bytes.count else { throw ParseError(offset: index) }
            if bytes[index] == UInt8(ascii: ",") { index += 1; return true }
            if bytes[index] == closing { index += 1; return false }
            throw ParseError(offset: index)
        }

        mutating func word(_ text: String, _ value: JSONValue) throws -> JSONValue {
            let end = index + text.utf8.count
            guard end <= bytes.count, Array(bytes[index..<end]) == Array(text.utf8) else { throw ParseError(offset: index) }
            index = end
            return value
        }
    }
}

/// The forms docs/cli.md promises ("The same things have the same form everywhere"), checked member by member, by key.
enum JSONContract {
    /// Keys that hold an amount of points or CNY: a JSON number with two decimals (`60.00`), or null.
    static func isAmount(_ key: String) -> Bool {
        if ["points_per_hour"].contains(key) { return false }  // a rate: a plain number
        return ["points", "amount", "price", "unit_price", "unit_cost", "turnover", "share", "max_points_per_month"].contains(key)
            || key.hasPrefix("balance") || key.hasPrefix("points_") || key.hasPrefix("cny")
            || key.hasSuffix("_points") || key.hasSuffix("_balance") || key.hasSuffix("_cny") || key.hasSuffix("_amount")
    }

    /// Keys that hold a day: `"YYYY-MM-DD"`, or null.
    static func isDate(_ key: String, command: String) -> Bool {
        // A report's range; elsewhere `from` and `to` may name accounts or a grant's recipients.
        if key == "from" || key == "to" { return command.hasPrefix("report ") || ["fund report", "settlement list"].contains(command) }
        return ["date", "effective", "joined", "through", "as_of", "period_start", "period_end", "last_settled_day", "holidays"].contains(key)
            || key.hasSuffix("_date") || key.hasSuffix("_on")
    }

    /// Keys that hold an instant: UTC with milliseconds (`"2026-11-08T02:00:00.000Z"`), or null.
    static func isInstant(_ key: String) -> Bool { key == "at" || key.hasSuffix("_at") }

    /// Keys that hold a number the engine counts: an integer, or null.
    static func isInteger(_ key: String) -> Bool {
        ["entry", "lot", "operation", "quantity", "number", "row", "line", "exit", "rank", "policy_version"].contains(key)
    }

    /// Keys that name a volunteer, household, station or operator by id alone (`"V1"`); an account is `"volunteer:V1"`.
    static let plainIDs: Set<String> = ["volunteer", "household", "station", "operator"]
    static let accountKeys: Set<String> = ["account", "paid_from"]

    /// Documented exceptions (docs/cli.md, "Exceptions kept for the programs that read them"), by command and key.
    static func isDocumentedException(command: String, key: String, value: JSONValue) -> Bool {
        switch (command, key) {
        case ("balance", "POINTS"), ("balance", "CNY"): true  // amounts named by asset code
        // The steps of a record's explanation give the text the volunteer is shown ("+24", "×1.5"), in `score --explain` too.
        case ("explain", "points"), ("explain", "effect"), ("score", "points"), ("score", "effect"): value.isString
        default: false
        }
    }

    static func problems(in document: JSONValue, command: String?) -> [String] {
        var found: [String] = []
        walk(document, path: "", key: nil, command: command ?? "", into: &found)
        return found
    }

    static func walk(_ value: JSONValue, path: String, key: String?, command: String, into found: inout [String]) {
        if let key, !isDocumentedException(command: command, key: key, value: value) {
            check(value, key: key, command: command, at: path, into: &found)
        }
        switch value {
        case .object(let members):
            for (member, item) in members {
                let at = path + "." + member
                if member.wholeMatch(of: /[a-z][a-z0-9_]*/) == nil, !isDocumentedException(command: command, key: member, value: item) {
                    found.append("\(at): the key is not snake_case")
                }
                walk(item, path: at, key: member, command: command, into: &found)
            }
        case .array(let items):
            // The items of an array are checked by the array's key (`holidays`: dates).
            for (index, item) in items.enumerated() { walk(item, path: path + "[\(index)]", key: key, command: command, into: &found) }
        default:
            break
        }
    }

    static func check(_ value: JSONValue, key: String, command: String, at path: String, into found: inout [String]) {
        switch value {
        case .null, .array, .object: return
        default: break
        }
        if isAmount(key) {
            guard case .number(let text) = value, text.wholeMatch(of: /-?[0-9]+\.[0-9]{2}/) != nil else {
                found.append("\(path): an amount must be a number with two decimals, not \(value)")
                return
            }
        } else if isDate(key, command: command) {
            guard case .string(let text) = value, text.wholeMatch(of: /[0-9]{4}-[0-9]{2}-[0-9]{2}/) != nil else {
                found.append("\(path): a date must be \"YYYY-MM-DD\", not \(value)")
                return
            }
        } else if isInstant(key) {
            guard case .string(let text) = value,
                  text.wholeMatch(of: /[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z/) != nil else {
                found.append("\(path): an instant must be UTC with milliseconds (2026-11-08T02:00:00.000Z), not \(value)")
                return
            }
        } else if isInteger(key) {
            guard case .number(let text) = value, text.wholeMatch(of: /-?[0-9]+/) != nil else {
                found.append("\(path): \(key) must be an integer, not \(value)")
                return
            }
        } else if key == "receipt" || key == "booking" {
            let pattern = key == "receipt" ? /R[0-9]+/ : /B[0-9]+/
            guard case .string(let text) = value, text.wholeMatch(of: pattern) != nil else {
                found.append("\(path): a \(key) is named \(key == "receipt" ? "\"R12\"" : "\"B7\""), not \(value)")
                return
            }
        } else if plainIDs.contains(key) {
            guard case .string(let text) = value, !text.contains(":") else {
                found.append("\(path): \(key) is named by its id alone (\"V1\"), not \(value)")
                return
            }
        } else if accountKeys.contains(key) {
            guard case .string(let text) = value, text.wholeMatch(of: /(volunteer|household|station|system|fund):[^:]+/) != nil else {
                found.append("\(path): an account is named kind:id (\"volunteer:V1\"), not \(value)")
                return
            }
        }
        if ["volunteer_id", "household_id", "station_id", "operator_id", "account_id"].contains(key) {
            found.append("\(path): the docs name it \(key.dropLast(3)), as every other command does")
        }
    }
}

extension JSONValue: CustomStringConvertible {
    var isString: Bool { if case .string = self { true } else { false } }

    var description: String {
        switch self {
        case .object: "an object"
        case .array: "an array"
        case .string(let text): "the string \"\(text)\""
        case .number(let text): "the number \(text)"
        case .bool(let value): "\(value)"
        case .null: "null"
        }
    }
}
