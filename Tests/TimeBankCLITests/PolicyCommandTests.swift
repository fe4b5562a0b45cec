import Foundation
import Testing
import TimeBankCore
import TimeBankStorage
@testable import TimeBankCLI

/// `timebank policy check | show | activate | versions`, run in-process.
@Suite("Policy commands")
struct PolicyCommandTests {
    /// The repository root, from this file's path (Tests/TimeBankCLITests/PolicyCommandTests.swift).
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    static func config(_ relativePath: String) -> String { repositoryRoot + "/" + relativePath }

    static func policy(version: String, effective: String, rate: Int = 12) -> String {
        "[policy]\nid = \"cli-test\"\nversion = \"\(version)\"\neffective = \(effective)\n\n[categories.orange]\nlabel = \"橙色关怀\"\npoints_per_hour = \(rate)\n"
    }

    @Test("check: the shipped policies pass (exit 0)")
    func checkShipped() throws {
        let cli = try CLIHarness()
        let paths = ["config/policy.toml", "config/examples/xinyi-village.toml", "config/examples/red-account.toml"].map(Self.config)
        let result = cli.run(["policy", "check"] + paths)
        #expect(result.exit == 0, "\(result.output)\(result.errors)")
        #expect(result.output == paths.map { "\($0): 0 errors, 0 warnings\n" }.joined())
    }

    @Test("check: errors are rendered with the line, a marker and help (exit 2)")
    func checkBroken() throws {
        let cli = try CLIHarness()
        let path = try cli.write("broken.toml", Self.policy(version: "1", effective: "2026-10-01") + """

            [earning]
            combine_multipliers = "max"

            [multipliers.care]
            factor = 1.2
            categories = ["orang"]
            """)
        let result = cli.run(["policy", "check", path])
        #expect(result.exit == 2)
        #expect(result.output == """
            \(path):15:15: error[P104]: unknown category "orang"
               |
            15 | categories = ["orang"]
               |               ^^^^^^^
               = help: did you mean "orange"?
               = note: the declared category ids are: "orange"

            \(path): 1 error, 0 warnings

            """)
    }

    @Test("check: warnings alone exit 0")
    func checkWarnings() throws {
        let cli = try CLIHarness()
        let path = try cli.write("warn.toml", Self.policy(version: "1", effective: "2026-10-01") + "\n[caps]\ndaily = 50\nmonthly = 40\n")
        let result = cli.run(["policy", "check", path])
        #expect(result.exit == 0)
        #expect(result.output.contains("warning[P115]"))
        #expect(result.output.hasSuffix("\(path): 0 errors, 1 warning\n"))
    }

    @Test("check --json: the diagnostics as data")
    func checkJSON() throws {
        let cli = try CLIHarness()
        let path = try cli.write("broken.toml", Self.policy(version: "1", effective: "2026-10-01").replacingOccurrences(of: "points_per_hour", with: "rate"))
        let result = cli.run(["policy", "check", "--json", path])
        #expect(result.exit == 2)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        #expect(object["ok"] as? Bool == false)
        #expect(object["errors"] as? Int == 1)
        let file = try #require((object["files"] as? [[String: Any]])?.first)
        #expect(file["path"] as? String == path)
        let diagnostic = try #require((file["diagnostics"] as? [[String: Any]])?.first)
        #expect(diagnostic["id"] as? String == "P100")
        #expect(diagnostic["severity"] as? String == "error")
        #expect(diagnostic["line"] as? Int == 8)
        #expect(diagnostic["column"] as? Int == 1)
        #expect(diagnostic["end_column"] as? Int == 5)
        #expect(diagnostic["help"] as? [String] == ["did you mean \"points_per_hour\"?"])
    }

    @Test("show: a policy without a name is named by its id once")
    func showWithoutName() throws {
        let cli = try CLIHarness()
        let path = cli.folder + "/unnamed.toml"
        try Data("[policy]\nid = \"xiaoqu\"\nversion = 1\neffective = 2026-11-01\n\n[categories.patrol]\npoints_per_hour = 10\n".utf8)
            .write(to: URL(fileURLWithPath: path))
        let result = cli.run(["policy", "show", path])
        #expect(result.exit == 0, "\(result.errors)")
        #expect(result.output.hasPrefix("xiaoqu, version 1, effective 2026-11-01, time zone Asia/Shanghai"))
    }

    @Test("check: a missing file is a usage error (U001, exit 2)")
    func checkMissingFile() throws {
        let cli = try CLIHarness()
        let result = cli.run(["policy", "check", cli.folder + "/nope.toml"])
        #expect(result.exit == 2)
        #expect(result.errors.contains("error[U001]"))
    }

    @Test("show: a readable summary in aligned tables")
    func show() throws {
        let cli = try CLIHarness()
        let result = cli.run(["policy", "show", Self.config("config/policy.toml")])
        #expect(result.exit == 0, "\(result.errors)")
        #expect(result.output.hasPrefix("太白湖区五彩志愿服务时间银行 (taibaihu-time-bank), version 1, effective 2026-10-01"))
        // The points are named as the policy names them (积分), in the text and in the tables' headings.
        #expect(result.output.contains("\n积分 go to the volunteer's account; balance floor 0.\n"))
        #expect(result.output.contains("""
            Category  Label     积分/hour  Daily cap  Monthly cap
            --------  --------  ---------  ---------  -----------
            red       红色教育         10          -            -
            orange    橙色关怀         12          -            -
            """))
        // min_minutes 30 and max_minutes_per_record 480: shorter records earn nothing, longer ones count 480 minutes.
        #expect(result.output.contains("a record shorter than 30 minutes earns nothing, and at most 480 minutes of one record count;"),
                "\(result.output)")
        #expect(!result.output.contains("records of 30 to 480 minutes"))
        #expect(result.output.contains("Caps per volunteer (earning only; penalties are not capped): day 60, month 600"))
        #expect(result.output.contains("first_service  首次服务奖励     5  yes   record.kind == \"service\""))
        #expect(result.output.contains("health_check       老年人健康体检  service  健康体检    100"))
    }

    @Test("show: a factor and a condition written over several lines are shown on one line of the table")
    func showMultiLineExpressions() throws {
        let cli = try CLIHarness()
        let file = try cli.write("p.toml", """
            [policy]
            id = "x"
            version = 1
            effective = 2026-10-01

            [earning]
            combine_multipliers = "max"

            [categories.orange]
            points_per_hour = 12

            [multipliers.rated]
            factor = '''
            has(record.rating) ?
              record.rating / 4 : 1'''
            when = '''
            record.weekday in ["sat",
                               "sun"]'''
            """)
        // The factor's line break went into the table: its row was cut in two.
        #expect(try cli.ok(["policy", "show", file]).contains("""
            ----------  -----  ------------------------------  --------------------------------
            rated       rated  'has(record.rating) ? record.…  record.weekday in ["sat", "sun"]

            """))
    }

    @Test("show: a catalog item's eligible over several lines is shown on one line; holidays listed out of order run earliest to latest")
    func showEligibleOverLinesAndHolidaysOutOfOrder() throws {
        let cli = try CLIHarness()
        let file = try cli.write("p.toml", """
            [policy]
            id = "x"
            version = 1
            effective = 2026-10-01

            [categories.orange]
            points_per_hour = 12

            [catalog.rice]
            kind = "goods"
            price = 60
            eligible = '''
            volunteer.age >= 60 ||
              has(household.id)'''

            [calendar]
            holidays = [2026-12-25, 2026-10-01, 2027-01-01, 2026-10-02]
            """)
        let shown = try cli.ok(["policy", "show", file])
        // The line break went into the table and cut the item's row in two.
        #expect(shown.contains("rice  rice   goods            60         -                          5  volunteer.age >= 60 || has(household.id)\n"),
                "\(shown)")
        // It said "2026-12-25 to 2026-10-02": the file's first and last, not the earliest and latest.
        // Every day, in order, consecutive days as one run: an admin checks the calendar against the year's notice.
        #expect(shown.contains("Holidays: 4 days: 2026-10-01 to 2026-10-02, 2026-12-25, 2027-01-01.\n"), "\(shown)")
    }

    @Test("show: a file with errors prints its diagnostics instead (exit 2)")
    func showBroken() throws {
        let cli = try CLIHarness()
        let path = try cli.write("broken.toml", "[policy]\nid = \"x\"\n")
        let result = cli.run(["policy", "show", path])
        #expect(result.exit == 2)
        #expect(result.output.isEmpty)
        #expect(result.errors.contains("error[P101]: [policy] needs \"version\""))
    }

    @Test("activate: the help says who is recorded, and it is so: the admin signed in, not $TIMEBANK_ACTOR; before any operator, $TIMEBANK_ACTOR")
    func activateRecordsWhoActivated() throws {
        let help = try CLIHarness().ok(["policy", "activate", "--help"])
        #expect(help.contains("with who activated it:\nthe admin signed in (below; $TIMEBANK_ACTOR is not read then), or, while the database has no\n"
            + "operator yet, $TIMEBANK_ACTOR (else $USER, else $LOGNAME)"), "\(help)")
        #expect(help.contains("The admin is recorded as the actor."))

        let cli = try CLIHarness()
        try cli.ok(["init"])   // no PIN given: no operator yet
        try cli.ok(["policy", "activate", try cli.write("v1.toml", Self.policy(version: "1", effective: "2026-10-01"))])
        #expect(try cli.ok(["policy", "versions"]).contains("tester"))
        let admin = ["TIMEBANK_OPERATOR": "admin", "TIMEBANK_PIN": "wj-2468", "TIMEBANK_ACTOR": "someone-else"]
        try cli.ok(["operator", "add", "--id", "admin", "--name", "黃露", "--role", "admin"], admin)
        try cli.ok(["policy", "activate", try cli.write("v2.toml", Self.policy(version: "2", effective: "2026-11-01"))], admin)
        let versions = try cli.ok(["policy", "versions", "--json"])
        #expect(versions.contains("\"actor\": \"admin\"") && !versions.contains("someone-else"), "\(versions)")
    }

    @Test("activate: a version that drops a category records not posted yet use is refused (A012); forced, or dropping a rule, it warns")
    func activateWarnsOfDroppedUses() throws {
        let cli = try CLIHarness()
        try cli.community()
        func policy(_ version: Int, _ effective: String, purple: Bool = true, weekend: Bool = true) -> String {
            "[policy]\nid = \"cli-test\"\nversion = \(version)\neffective = \(effective)\n\n[earning]\ncombine_multipliers = \"max\"\n\n"
                + "[categories.orange]\npoints_per_hour = 12\n\n" + (purple ? "[categories.purple]\npoints_per_hour = 10\n\n" : "")
                + (weekend ? "[multipliers.weekend]\nfactor = 1.5\nwhen = 'record.weekday in [\"sat\", \"sun\"]'\n" : "")
        }
        try cli.ok(["policy", "activate", try cli.write("v1.toml", policy(1, "2026-10-01"))])
        let records = try cli.write("r.csv", "id,volunteer,category,date,start,end,verifier\n"
            + "p1,V1,purple,2026-11-07,09:00,10:00,社区\np2,V2,purple,2026-11-09,09:00,10:00,社区\no1,V2,orange,2026-11-07,09:00,10:00,社区\n")
        try cli.ok(["record", "import", records])
        let next = try cli.write("v2.toml", policy(2, "2026-11-01", purple: false, weekend: false))
        let refused = cli.run(["policy", "activate", next])
        #expect(refused.exit == 1)
        #expect(refused.errors.contains("error[A012]: version 2 (in force from 2026-11-01) drops what records not posted yet still use:"),
                "\(refused.errors)")
        #expect(refused.errors.contains("category \"purple\": 2 pending records dated 2026-11-07 to 2026-11-09; the nightly settlement would reject"))
        // Forced: activated, and every dropped use is said, the multiplier too (it acts on the two Saturday records).
        let forced = cli.run(["policy", "activate", next, "--force", "--reason", "紫色并入橙色", "--json"])
        #expect(forced.exit == 0, "\(forced.errors)")
        #expect(forced.errors.contains("warning: version 2 drops what records not posted yet still use:\n  - category \"purple\""), "\(forced.errors)")
        #expect(forced.errors.contains("  - multiplier \"weekend\": 2 pending records dated 2026-11-07; they would be scored without it"),
                "\(forced.errors)")
        #expect(forced.output.contains("\"kind\": \"multiplier\""), "\(forced.output)")
    }

    @Test("activate: a version dated on settled days is refused (A013) and shown by check --against-active; forced, it warns")
    func activateOnSettledDays() throws {
        let cli = try CLIHarness()
        try cli.community()
        func policy(_ version: Int, _ effective: String, rate: Int) -> String {
            "[policy]\nid = \"cli-test\"\nversion = \(version)\neffective = \(effective)\n\n[categories.orange]\npoints_per_hour = \(rate)\n"
        }
        try cli.ok(["policy", "activate", try cli.write("v1.toml", policy(1, "2026-10-01", rate: 12))])
        try cli.ok(["record", "import", try cli.write("r.csv", "id,volunteer,category,date,start,end,verifier\n"
            + "o1,V1,orange,2026-11-02,09:00,10:00,社区\no2,V2,orange,2026-11-03,09:00,10:00,\n")])
        try cli.ok(["settle", "--date", "2026-11-03"])
        // Meant 2026-12-01: o1 is posted under version 1, o2 still waits for a verifier.
        let typo = try cli.write("v2.toml", policy(2, "2026-11-01", rate: 15))
        let check = cli.run(["policy", "check", typo, "--against-active"])
        #expect(check.exit == 0, "\(check.errors)")
        #expect(check.output.contains("warning[A013]: version 2 would take effect on 2026-11-01, but the nightly settlement has "
            + "closed the days through 2026-11-03 already: the 1 record of those days posted keeps the points version 1 gave it (a posted record is never scored "
            + "again), and only the 1 not posted yet would be scored by version 2, so the same days would be scored by two rules; "
            + "write effective = 2026-11-04 (the first day not settled) or a later day"), "\(check.output)")
        #expect(check.output.contains("would refuse it (A013) unless given --force with --reason"), "\(check.output)")
        let refused = cli.run(["policy", "activate", typo])
        #expect(refused.exit == 1)
        #expect(refused.errors.contains("error[A013]: version 2 would take effect on 2026-11-01"), "\(refused.errors)")
        #expect(try cli.ok(["policy", "versions"]).contains("2026-11-01") == false)
        let forced = cli.run(["policy", "activate", typo, "--force", "--reason", "11月规则更正"])
        #expect(forced.exit == 0, "\(forced.errors)")
        #expect(forced.errors.contains("warning: version 2 would take effect on 2026-11-01, but the nightly settlement has closed the days through 2026-11-03"),
                "\(forced.errors)")
    }

    @Test("check --against-active compares grants and [ranking], and warns that a new ranking period leaves one period unranked")
    func rankingPeriodChange() throws {
        let cli = try CLIHarness()
        try cli.community()
        func policy(_ version: Int, _ effective: String, period: String, grant: String) -> String {
            "[policy]\nid = \"cli-test\"\nversion = \(version)\neffective = \(effective)\n\n[categories.orange]\npoints_per_hour = 12\n\n"
                + "[grants.base]\nlabel = \"基础分\"\npoints = 5\nevery = \"\(grant)\"\n\n[ranking]\nperiod = \"\(period)\"\ntop = 10\n"
        }
        try cli.ok(["policy", "activate", try cli.write("v1.toml", policy(1, "2026-10-01", period: "month", grant: "year")
            + "\n[levels.star1]\nmin_hours = 20\n")])
        let next = try cli.write("v2.toml", policy(2, "2026-11-15", period: "quarter", grant: "month") + "\n[expiry]\nafter_months = 6\n"
            + "\n[levels.star1]\nmin_hours = 30\n")
        let check = try cli.ok(["policy", "check", next, "--against-active"])
        #expect(check.contains("  changed  [grants.base] every: year → month\n  changed  [levels.star1] min_hours: 20 → 30 hours\n"
            + "  changed  [ranking] period: month → quarter\n"), "\(check)")
        #expect(check.contains("note: grant \"base\" is paid on the first night from 2026-11-15 for 2026-11, its whole 5 积分, however "
            + "late in the month the version starts (what it paid for 2026 is not taken back)\n"), "\(check)")
        #expect(check.contains("note: star levels are worked out again every night by the version in force: from 2026-11-15 a volunteer "
            + "below a raised threshold loses the level"), "\(check)")
        #expect(check.contains("note: points credited before 2026-11-15 keep the expiry date they were given; the new [expiry] dates "
            + "the points credited from 2026-11-15\n"), "\(check)")
        #expect(check.contains("warning: the ranking changes from every month to every quarter on 2026-11-15, so the ranking of 2026-11 will "
            + "not be written: the nightly settlement ranks a period by the [ranking] of the version in force on its last day, and 2026-11 "
            + "ends (2026-11-30) under the new version. The first ranking by quarter is that of 2026-Q4, written on 2027-01-01. To keep "
            + "2026-11's ranking, write effective = 2026-12-01, the day after it ends; or `timebank report ranking --from 2026-11-01 "
            + "--to 2026-11-30` prints it once its records are posted"), "\(check)")
        let json = try cli.ok(["policy", "check", next, "--against-active", "--json"])
        #expect(json.contains("\"ranking_not_written\": \"2026-11\""), "\(json)")
        // The year typed wrong: said, as the version would otherwise wait a year without a word.
        let far = try cli.ok(["policy", "check", try cli.write("v2far.toml", policy(2, "2028-11-15", period: "month", grant: "year")),
                              "--against-active"])
        #expect(far.contains("note: 2028-11-15 is 680 days after today (2027-01-05): check the year of effective\n"), "\(far)")
        // A grant paid to households from now on: paid again for the period, to each household.
        let toHouseholds = policy(2, "2026-11-15", period: "month", grant: "year")
            .replacingOccurrences(of: "every = \"year\"\n", with: "every = \"year\"\nto = \"household\"\n")
        let moved = try cli.ok(["policy", "check", try cli.write("v2to.toml", toHouseholds), "--against-active"])
        #expect(moved.contains("note: grant \"base\" is paid on the first night from 2026-11-15 for 2026, its whole 5 积分, however late "
            + "in the year the version starts (what it paid for 2026 is not taken back; it is now paid to each household, as well as what "
            + "each volunteer had)"), "\(moved)")
        let activated = cli.run(["policy", "activate", next])
        #expect(activated.exit == 0)
        #expect(activated.errors.contains("warning: the ranking changes from every month to every quarter on 2026-11-15"), "\(activated.errors)")
        // What the warning says: settled through 2026-12-01, the nights write no ranking of 2026-11.
        let settled = try cli.ok(["settle", "--date", "2026-12-01", "--json"])
        #expect(!settled.contains("2026-11\""), "\(settled)")

        // Taking effect on the day after a month ends (the advice): no warning, and that month is ranked under the version
        // in force through it, on the first night of the new one.
        let clean = try CLIHarness()
        try clean.community()
        try clean.ok(["policy", "activate", try clean.write("v1.toml", policy(1, "2026-10-01", period: "month", grant: "year"))])
        let boundary = try clean.write("v2.toml", policy(2, "2026-12-01", period: "quarter", grant: "year"))
        #expect(!(try clean.ok(["policy", "check", boundary, "--against-active"])).contains("ranking of 2026-11 will not be written"))
        let onBoundary = clean.run(["policy", "activate", boundary])
        #expect(onBoundary.exit == 0 && !onBoundary.errors.contains("will not be written"), "\(onBoundary.errors)")
        try clean.ok(["settle", "--date", "2026-11-30"])
        let first = try clean.ok(["settle", "--date", "2026-12-01", "--json"])
        #expect(first.contains("2026-11\""), "\(first)")
    }

    @Test("a date typed another way gets the date written right: --on 2026/11/15, 2026年11月15日, 2026-11-1, 20261115, full-width",
          arguments: [("2026/11/15", "write 2026-11-15 (YYYY-MM-DD)"), ("2026年11月15日", "write 2026-11-15 (YYYY-MM-DD)"),
                      ("2026-11-1", "write 2026-11-01 (YYYY-MM-DD)"), ("20261115", "write 2026-11-15 (YYYY-MM-DD)"),
                      ("２０２６-１１-１５", "write 2026-11-15 (YYYY-MM-DD)"), ("2026.11.15", "write 2026-11-15 (YYYY-MM-DD)"),
                      ("2026-11-31", "2026-11 has 30 days: write 2026-11-30 (its last day) or 2026-12-01 (the first of the next month)"),
                      ("2026-13-01", "there is no month 13; write YYYY-MM-DD, e.g. 2026-10-01"), ("下周一", "write YYYY-MM-DD, e.g. 2026-10-01")])
    func dateTypedAnotherWay(_ typed: String, _ help: String) throws {
        let cli = try CLIHarness()
        try cli.community()
        let result = cli.run(["policy", "versions", "--on", typed])
        #expect(result.exit == 2)
        #expect(result.errors == "error[U001]: --on \"\(typed)\" is not a date; \(help)\n", "\(result.errors)")
    }

    @Test("check --against-active names the points as each version does: a removed rule by the version it leaves")
    func checkAgainstActiveNamesTheUnit() throws {
        let cli = try CLIHarness()
        try cli.community()
        let base = "[policy]\nid = \"cli-test\"\nversion = VERSION\neffective = EFFECTIVE\nUNIT\n[categories.orange]\npoints_per_hour = RATE\n\n"
        let first = try cli.write("v1.toml", base.replacingOccurrences(of: "VERSION", with: "1").replacingOccurrences(of: "EFFECTIVE", with: "2026-10-01")
            .replacingOccurrences(of: "UNIT", with: "").replacingOccurrences(of: "RATE", with: "12") + "[categories.purple]\npoints_per_hour = 10\n")
        try cli.ok(["policy", "activate", first])
        let next = try cli.write("v2.toml", base.replacingOccurrences(of: "VERSION", with: "2").replacingOccurrences(of: "EFFECTIVE", with: "2026-11-01")
            .replacingOccurrences(of: "UNIT", with: "unit = \"信义币\"\n").replacingOccurrences(of: "RATE", with: "15"))
        let result = try cli.ok(["policy", "check", next, "--against-active"])
        #expect(result.contains("  removed  category \"purple\": 10 积分 an hour\n"), "\(result)")
        #expect(result.contains("  changed  category \"orange\": 12 → 15 信义币 an hour\n"), "\(result)")
        #expect(result.contains("  changed  [policy] unit: 积分 → 信义币\n"), "\(result)")
    }

    @Test("check --against-active: an added or removed rule with the records it applies to, a catalog item's keys, the holidays")
    func checkAgainstActiveConditionsCatalogAndHolidays() throws {
        let cli = try CLIHarness()
        try cli.community()
        let head = "[policy]\nid = \"cli-test\"\nversion = VERSION\neffective = EFFECTIVE\n\n[earning]\ncombine_multipliers = \"max\"\n\n"
            + "[categories.orange]\npoints_per_hour = 12\n\n[categories.green]\npoints_per_hour = 10\n\n"
        let first = try cli.write("v1.toml", head.replacingOccurrences(of: "VERSION", with: "1").replacingOccurrences(of: "EFFECTIVE", with: "2026-10-01")
            + "[bonuses.welcome]\npoints = 3\ncategories = [\"orange\"]\nonce = true\n\n"
            + "[catalog.rice]\nkind = \"goods\"\nprice = 60\nlimit = { count = 1, per = \"month\" }\n\n"
            + "[calendar]\nholidays = [2026-10-01, 2026-10-02, 2026-12-31]\n")
        try cli.ok(["policy", "activate", first])
        let next = try cli.write("v2.toml", head.replacingOccurrences(of: "VERSION", with: "2").replacingOccurrences(of: "EFFECTIVE", with: "2026-11-01")
            + "[multipliers.night]\nfactor = 1.2\ncategories = [\"orange\", \"green\"]\nwhen = '''\n  has(record.start_hour) &&\n    record.start_hour >= 22'''\n\n"
            + "[bonuses.first]\npoints = 5\n\n"
            + "[catalog.rice]\nkind = \"goods\"\nprice = 60\nlimit = { count = 2, per = \"month\" }\nlow_stock = 20\n\n"
            + "[catalog.oil]\nkind = \"goods\"\nprice = 50\neligible = 'volunteer.age >= 60'\n\n"
            + "[calendar]\nholidays = [2026-12-25, 2027-01-01]\n")
        let result = try cli.ok(["policy", "check", next, "--against-active"])
        // The holidays before 2026-11-01 (2026-10-01, -02) score nothing under version 2: not listed.
        #expect(result.contains("""
            What changes:
              added    multiplier "night": factor 1.2; when 'has(record.start_hour) && record.start_hour >= 22'; categories ["orange", "green"]
              added    bonus "first": 5 积分; on every record
              added    catalog item "oil": 50 积分; eligible 'volunteer.age >= 60'; kind = "goods"
              removed  bonus "welcome": 3 积分; categories ["orange"]; once per volunteer
              changed  [catalog.rice] limit: { count = 1, per = "month" } → { count = 2, per = "month" }
              changed  [catalog.rice] low_stock: 5 → 20 units
              added    [calendar] holidays: 2026-12-25, 2027-01-01
              removed  [calendar] holidays: 2026-12-31
            Not compared: labels, [policy] name, catalog groups.

            """), "\(result)")
        let json = try cli.ok(["policy", "check", next, "--against-active", "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let against = try #require((object["files"] as? [[String: Any]])?.first?["against_active"] as? [String: Any])
        let added = try #require(against["added"] as? [[String: Any]])
        #expect(added.first?["when"] as? String == "has(record.start_hour) && record.start_hour >= 22")
        #expect(added.first?["categories"] as? [String] == ["orange", "green"])
        #expect(added.first { $0["id"] as? String == "first" }?["once"] as? Bool == false)
        #expect(added.first { $0["id"] as? String == "oil" }?["eligible"] as? String == "volunteer.age >= 60")
        #expect(added.first { $0["id"] as? String == "oil" }?["details"] as? [String] == ["kind = \"goods\""])
        #expect(against["holidays_added"] as? [String] == ["2026-12-25", "2027-01-01"])
        #expect(against["holidays_removed"] as? [String] == ["2026-12-31"])
    }

    @Test("check --against-active: what changes from the version in force, and A012 and dropped rules as warnings, writing nothing")
    func checkAgainstActive() throws {
        let cli = try CLIHarness()
        try cli.community()
        func policy(_ version: Int, _ effective: String, purple: Bool = true, weekend: Bool = true, orange: Int = 12,
                    monthlyCap: Int = 600) -> String {
            "[policy]\nid = \"cli-test\"\nversion = \(version)\neffective = \(effective)\n\n[earning]\ncombine_multipliers = \"max\"\n\n"
                + "[categories.orange]\nlabel = \"橙色关怀\"\npoints_per_hour = \(orange)\n\n"
                + (purple ? "[categories.purple]\nlabel = \"紫色便民\"\npoints_per_hour = 10\n\n" : "[categories.teal]\npoints_per_hour = 8\ndaily_cap = 40\n\n")
                + (weekend ? "[multipliers.weekend]\nfactor = 1.5\nwhen = 'record.weekday in [\"sat\", \"sun\"]'\n\n" : "")
                + "[caps]\nmonthly = \(monthlyCap)\n"
        }
        let first = try cli.write("v1.toml", policy(1, "2026-10-01"))
        // Nothing stored yet: nothing to compare with.
        let empty = try cli.ok(["policy", "check", first, "--against-active"])
        #expect(empty.hasSuffix("""
            No policy version is stored in the database yet: there is nothing to compare with.

            `timebank policy activate \(first)` would store it as version 1, in force from 2026-10-01. Nothing was written.

            """), "\(empty)")
        try cli.ok(["policy", "activate", first])
        try cli.ok(["record", "import", try cli.write("r.csv", "id,volunteer,category,date,start,end,verifier\n"
            + "p1,V1,purple,2026-11-07,09:00,10:00,社区\np2,V2,purple,2026-11-09,09:00,10:00,社区\no1,V2,orange,2026-11-07,09:00,10:00,社区\n")])

        let next = try cli.write("v2.toml", policy(2, "2026-11-01", purple: false, weekend: false, orange: 15, monthlyCap: 800))
        let result = cli.run(["policy", "check", next, "--against-active"])
        #expect(result.exit == 0, "\(result.errors)")
        #expect(result.output == """
            \(next): 0 errors, 0 warnings

            From 2026-11-01, version 2 would replace version 1 (#1, in force from 2026-10-01). What changes:
              added    category "teal": 8 积分 an hour; daily_cap = 40
              removed  category "purple" (紫色便民): 10 积分 an hour
              removed  multiplier "weekend": factor 1.5; when 'record.weekday in ["sat", "sun"]'
              changed  category "orange" (橙色关怀): 12 → 15 积分 an hour
              changed  [caps] monthly: 600 → 800 积分
            Not compared: labels, [policy] name, catalog groups.
            To see those, read `timebank policy show \(next)` beside `timebank policy show --active --on 2026-10-01`.

            warning[A012]: version 2 (in force from 2026-11-01) drops what records not posted yet still use:
                category "purple": 2 pending records dated 2026-11-07 to 2026-11-09; the nightly settlement would reject the pending ones for good
            Keep it in the new version, let it take effect after 2026-11-09, settle or reject those records first, or pass --force with --reason to activate it anyway

            warning: version 2 also drops rules that act on records not posted yet:
              - multiplier "weekend": 2 pending records dated 2026-11-07; they would be scored without it

            `timebank policy activate \(next)` would refuse it (A012) unless given --force with --reason. Nothing was written.

            """, "\(result.output)")
        // docs/policy.md shows this output, for a file named v2.toml.
        let guide = try String(contentsOfFile: Self.config("docs/policy.md"), encoding: .utf8)
        let section = try #require(guide.range(of: "### Before activating: `policy check --against-active`"))
        let open = try #require(guide.range(of: "```\n", range: section.upperBound..<guide.endIndex))
        let close = try #require(guide.range(of: "```\n", range: open.upperBound..<guide.endIndex))
        #expect(String(guide[open.upperBound..<close.lowerBound]) == result.output.replacingOccurrences(of: next, with: "v2.toml"))
        // Nothing was written, and activate refuses it as said.
        #expect(!(try cli.ok(["policy", "versions", "--json"])).contains("\"version\": \"2\""))
        #expect(cli.run(["policy", "activate", next]).errors.contains("error[A012]"))

        // As data.
        let json = cli.run(["policy", "check", next, "--against-active", "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        let file = try #require((object["files"] as? [[String: Any]])?.first)
        let against = try #require(file["against_active"] as? [String: Any])
        #expect((against["replaces"] as? [String: Any])?["number"] as? Int == 1)
        #expect((against["changed"] as? [[String: Any]])?.first?["new"] as? Int == 15)
        let setting = try #require((against["settings"] as? [[String: Any]])?.first)
        #expect(setting["setting"] as? String == "[caps] monthly" && setting["old"] as? String == "600" && setting["new"] as? String == "800")
        #expect((against["not_compared"] as? [String])?.contains("catalog groups") == true)
        // A removed rule with the records it applied to.
        let weekend = try #require((against["removed"] as? [[String: Any]])?.first { $0["id"] as? String == "weekend" })
        #expect(weekend["when"] as? String == "record.weekday in [\"sat\", \"sun\"]" && weekend["categories"] is NSNull)
        #expect((against["dropped_in_use_refusal"] as? [String: Any])?["code"] as? String == "A012")
        #expect((against["dropped_in_use"] as? [[String: Any]])?.count == 2)

        // Only a condition changed: the records the rule applies to, old → new as written (it said "nothing compared differs").
        let conditionOnly = try cli.write("v2-weekend.toml", policy(2, "2026-11-01").replacingOccurrences(of: "\"sat\", \"sun\"", with: "\"sun\""))
        let narrowed = try cli.ok(["policy", "check", conditionOnly, "--against-active"])
        #expect(narrowed.contains("What changes:\n"
            + "  changed  [multipliers.weekend] when: 'record.weekday in [\"sat\", \"sun\"]' → 'record.weekday in [\"sun\"]'\n"
            + "Not compared: labels, [policy] name, catalog groups.\n"), "\(narrowed)")
        // Nothing compared differs (the condition only re-spaced, a label changed): said so, and still what was not compared.
        let respaced = try cli.write("v2-respaced.toml", policy(2, "2026-11-01")
            .replacingOccurrences(of: "'record.weekday in [\"sat\", \"sun\"]'", with: "'record.weekday  in [\"sat\",\"sun\"]'")
            .replacingOccurrences(of: "橙色关怀", with: "橙色"))
        let unchanged = try cli.ok(["policy", "check", respaced, "--against-active"])
        #expect(unchanged.contains("What changes:\n  nothing compared differs: categories, indicators, multipliers, bonuses, penalties "
            + "(with their conditions), grants, the catalog (but its groups), and the settings of [policy] timezone and unit, [earning], "
            + "indicators' per and dimension, [caps], [accounts], [transfers], [expiry], levels, [ranking], [fund] and [calendar] holidays\n"
            + "Not compared: labels, [policy] name, catalog groups.\n"), "\(unchanged)")

        // The stored text again, a file with errors, and two files: said plainly.
        #expect(try cli.ok(["policy", "check", first, "--against-active"]).contains(
            "This exact text is stored already as #1 (version 1, in force from 2026-10-01): activating it again changes nothing."))
        // The same file re-saved by a Windows editor (CRLF line ends, a byte-order mark): the same version, said so (it was A002).
        let resaved = try cli.write("v1-windows.toml", "\u{FEFF}" + policy(1, "2026-10-01").replacingOccurrences(of: "\n", with: "\r\n"))
        #expect(try cli.ok(["policy", "check", resaved, "--against-active"]).contains(
            "This text is stored already as #1 (version 1, in force from 2026-10-01), but for its line ends or byte-order mark, "
            + "which read the same: activating it again changes nothing."))
        #expect(try cli.ok(["policy", "activate", resaved]) == "This text is active already as #1 (version 1, in force from 2026-10-01), "
            + "but for its line ends or byte-order mark, which read the same; nothing written.\n")
        let broken = cli.run(["policy", "check", try cli.write("bad.toml", policy(3, "2026-12-01") + "\n[transfers]\nmax_points_per_month = 30 分\n"),
                              "--against-active"])
        #expect(broken.exit == 2)
        #expect(broken.output.hasSuffix("The comparison with the stored versions waits until the errors are fixed.\n"), "\(broken.output)")
        let two = cli.run(["policy", "check", first, next, "--against-active"])
        #expect(two.exit == 2)
        #expect(two.errors.contains("expected one policy file with --against-active"))
    }

    @Test("activate, versions and show --active: versions by date, refusals, overrides")
    func activateAndSelectByDate() throws {
        let cli = try CLIHarness()
        try cli.ok(["init"])
        let first = try cli.write("v1.toml", Self.policy(version: "1", effective: "2026-01-01", rate: 10))
        let second = try cli.write("v2.toml", Self.policy(version: "2", effective: "2026-10-01", rate: 12))
        let early = try cli.write("v3.toml", Self.policy(version: "3", effective: "2026-05-01", rate: 11))

        let activated = try cli.ok(["policy", "activate", first])
        #expect(activated.hasPrefix("Activated policy cli-test version 1 as #1, in force from 2026-01-01."))
        try cli.ok(["policy", "activate", second])
        #expect(try cli.ok(["policy", "activate", second]).contains("active already as #2"))
        // The first file again: superseded by #2, refused even with --force, and told what a new version must say.
        for extra in [[], ["--force", "--reason", "回到旧规则"]] {
            let again = cli.run(["policy", "activate", first] + extra)
            #expect(again.exit == 1)
            #expect(again.output.isEmpty)
            #expect(again.errors.contains("error[A011]: this file is version 1 (#1, in force from 2026-01-01), which is superseded by version 2"),
                    "\(again.errors)")
            #expect(again.errors.contains("effective = 2026-01-01  ->  effective = 2026-10-02"), "\(again.errors)")
        }

        // An effective date before the latest: refused (exit 1), then allowed with --force and a reason.
        let refused = cli.run(["policy", "activate", early])
        #expect(refused.exit == 1)
        #expect(refused.errors.contains("error[A002]"))
        let noReason = cli.run(["policy", "activate", early, "--force"])
        #expect(noReason.exit == 2)
        #expect(noReason.errors.contains("error[A003]"))
        try cli.ok(["policy", "activate", early, "--force", "--reason", "补记5月规则"])

        let versions = try cli.ok(["policy", "versions", "--on", "2026-06-15"])
        #expect(versions.contains("*  3  cli-test  3        2026-05-01  2026-05-01 to 2026-09-30"), "\(versions)")
        // The days each version holds: #1 until #3 takes over, #2 open from its date on.
        #expect(versions.contains("   1  cli-test  1        2026-01-01  2026-01-01 to 2026-04-30"), "\(versions)")
        #expect(versions.contains("   2  cli-test  2        2026-10-01  2026-10-01 on"), "\(versions)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(try cli.ok(["policy", "versions", "--json"]).utf8)) as? [String: Any])
        let spans = (json["versions"] as? [[String: Any]])?.map { "\($0["number"] ?? "") \($0["in_force_through"] ?? "") \($0["never_in_force"] ?? "")" }
        #expect(spans == ["1 2026-04-30 0", "2 <null> 0", "3 2026-09-30 0"], "\(spans ?? [])")
        #expect(versions.contains("补记5月规则"))
        #expect(versions.hasSuffix("* in force on 2026-06-15: #3\n"))
        // When it was activated is shown in the community's local time, as receipts show theirs, not as the stored UTC moment.
        let activatedAt = try #require(try TimeBankStore(path: cli.databasePath).policyVersions().last?.activatedAt)
        let local = Receipt.localTime(activatedAt, utcOffsetMinutes: 480)
        #expect(versions.contains(local + "  ") && !versions.contains(activatedAt.description), "\(versions)")

        let june = try cli.ok(["policy", "show", "--active", "--on", "2026-06-15"])
        #expect(june.hasPrefix("In force on 2026-06-15: version #3, activated"))
        #expect(june.contains(", activated " + Receipt.localTime(try #require(try TimeBankStore(path: cli.databasePath).policyVersions().last?.activatedAt), utcOffsetMinutes: 480) + " by "), "\(june)")
        #expect(june.contains("orange    橙色关怀         11"))
        let march = try cli.ok(["policy", "show", "--active", "--on", "2026-03-01"])
        #expect(march.contains("orange    橙色关怀         10"))
        let october = try cli.ok(["policy", "show", "--active", "--on", "2026-10-01", "--json"])
        #expect(october.contains("\"points_per_hour\": 12"))

        let none = cli.run(["policy", "show", "--active", "--on", "2025-12-31"])
        #expect(none.exit == 2)
        #expect(none.errors.contains("error[A006]: no policy version is in force on 2025-12-31; the first takes effect on 2026-01-01"))

        // A version forced onto #3's own effective date replaces it before its first day: #3 was never in force.
        try cli.ok(["policy", "activate", try cli.write("v4.toml", Self.policy(version: "4", effective: "2026-05-01", rate: 9)),
                    "--force", "--reason", "5月规则再更正"])
        let replaced = try cli.ok(["policy", "versions", "--on", "2026-06-15"])
        #expect(replaced.contains("   3  cli-test  3        2026-05-01  never (#4, same day)"), "\(replaced)")
        #expect(replaced.contains("*  4  cli-test  4        2026-05-01  2026-05-01 to 2026-09-30"), "\(replaced)")
    }

    @Test("activate: a file with errors is refused with its diagnostics (A001), even with --force")
    func activateBroken() throws {
        let cli = try CLIHarness()
        try cli.ok(["init"])
        let path = try cli.write("broken.toml", Self.policy(version: "1", effective: "2026-10-01").replacingOccurrences(of: "= 12", with: "= -12"))
        let result = cli.run(["policy", "activate", path, "--force", "--reason", "try anyway"])
        #expect(result.exit == 2)
        #expect(result.errors.contains("error[P103]: \"points_per_hour\" must be 0 or more, but it is -12"))
        #expect(result.errors.contains("error[A001]"))
        #expect(try cli.ok(["policy", "versions"]).contains("No policy version is active yet"))
    }

    @Test("activate: a file saved as GB18030 is refused (P001, A001), even with --force, and nothing is stored")
    func activateNotUTF8() throws {
        let cli = try CLIHarness()
        try cli.ok(["init"])
        let path = try cli.write("gbk.toml", "")
        // `label = "橙色关怀"` in GB18030, inside an otherwise valid policy.
        var bytes = Array(Self.policy(version: "1", effective: "2026-10-01").utf8)
        let label = Array("橙色关怀".utf8)
        let start = try #require((0...(bytes.count - label.count)).first { Array(bytes[$0 ..< $0 + label.count]) == label })
        bytes.replaceSubrange(start ..< start + label.count, with: [0xB3, 0xC8, 0xC9, 0xAB, 0xB9, 0xD8, 0xBB, 0xB3])
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        for arguments in [["policy", "activate", path], ["policy", "activate", path, "--force", "--reason", "try anyway"]] {
            let result = cli.run(arguments)
            #expect(result.exit == 2)
            #expect(result.errors.contains("error[P001]"))
            #expect(result.errors.contains("error[A001]"))
        }
        #expect(try cli.ok(["policy", "versions"]).contains("No policy version is active yet"))
    }

    @Test("check: a policy saved as UTF-16 is called UTF-16, not GBK, with the iconv command")
    func checkUTF16() throws {
        let cli = try CLIHarness()
        let path = try cli.write("unicode.toml", "")
        let text = Self.policy(version: "1", effective: "2026-10-01")
        try Data([0xFF, 0xFE] + Array(text.utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }).write(to: URL(fileURLWithPath: path))
        let result = cli.run(["policy", "check", path])
        #expect(result.exit == 2)
        #expect(result.output.contains("error[P001]"))
        #expect(result.output.contains("the file looks like UTF-16, what Windows Notepad calls \"Unicode\""))
        #expect(result.output.contains("iconv -f UTF-16 -t UTF-8"))
        #expect(!result.output.contains("GBK"))
    }

    @Test("activate the shipped policy with the actor from TIMEBANK_ACTOR")
    func activateShipped() throws {
        let cli = try CLIHarness()
        try cli.ok(["init"])
        let result = cli.run(["policy", "activate", Self.config("config/policy.toml"), "--json"])
        #expect(result.exit == 0, "\(result.errors)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        #expect(object["outcome"] as? String == "activated")
        let version = try #require(object["version"] as? [String: Any])
        #expect(version["actor"] as? String == "tester")
        #expect(version["policy_id"] as? String == "taibaihu-time-bank")
        let text = try String(contentsOfFile: Self.config("config/policy.toml"), encoding: .utf8)
        #expect(version["sha256"] as? String == SHA256.hexHash(utf8: text))
    }
}
