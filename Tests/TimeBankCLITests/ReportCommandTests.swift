import Foundation
import Testing
import TimeBankCore
import TimeBankStorage
@testable import TimeBankCLI

/// The `report` commands: default ranges, formats, `--out`, the policy's defaults and the Q errors.
/// The harness clock stands at 2026-09-21, about 22:10 in China, so "yesterday" is 2026-09-20.
@Suite("report commands")
struct ReportCommandTests {
    static let policy = """
        [policy]
        id = "cli-report-test"
        version = 1
        effective = 2026-01-01

        [categories.orange]
        label = "橙色关怀"
        points_per_hour = 12

        [expiry]
        after_months = 12
        warn_days = 10

        [ranking]
        period = "month"
        top = 1
        by = "points"

        [fund]
        merchant_rate = 0.001
        point_value = 0.5
        """

    /// On 2026-09-20 V1 and V2 each get 20.00, V1 a lot of 5.00 expiring 2026-09-30 and V2 one of 17.00
    /// expiring 2026-10-03; record r1 (V1, 1 h orange on 2026-09-19) is posted: 12.00; r2 stays pending.
    /// So both have earned 37.00 this month: a tie.
    static func community() throws -> CLIHarness {
        // Today is 2026-09-21 in UTC+8 (the defaults below are yesterday, this month, warn_days from today).
        let cli = try CLIHarness(now: Timestamp(millisecondsSinceEpoch: 1_790_000_000_000))
        try cli.community()
        try cli.ok(["policy", "activate", try cli.write("policy.toml", policy)])
        for (key, to, points, expires) in [("a1", "V1", "20", nil), ("a2", "V2", "20", nil), ("a3", "V1", "5", "2026-09-30"),
                                           ("a4", "V2", "17", "2026-10-03")] as [(String, String, String, String?)] {
            try cli.ok(["post", "--from", "system:issuance", "--to", to, "--points", points, "--kind", "award", "--key", key,
                        "--memo", "奖励", "--date", "2026-09-20"] + (expires.map { ["--expires", $0] } ?? []))
        }
        try cli.ok(["record", "import", try cli.write("records.csv", """
            id,volunteer,category,date,start,end,verifier
            r1,V1,orange,2026-09-19,09:00,10:00,社区
            r2,V2,orange,2026-09-19,09:00,10:00,

            """)])
        try cli.ok(["record", "approve", "r1"])
        let store = try TimeBankStore(path: cli.databasePath, clock: cli.clock)
        try store.postApprovedRecords(on: LocalDate("2026-09-19")!, actor: "settlement")
        return cli
    }

    @Test("without --from and --to a report covers yesterday; --from alone runs to yesterday")
    func defaultRange() throws {
        let cli = try Self.community()
        let daily = try cli.ok(["report", "daily"])
        #expect(daily.hasPrefix("每日汇总 Daily 2026-09-20\n"))
        #expect(daily.contains("2026-09-20        0    62.00"))   // 20 + 20 + 5 + 17
        let two = try cli.ok(["report", "daily", "--from", "2026-09-19"])
        #expect(two.hasPrefix("每日汇总 Daily 2026-09-19 – 2026-09-20\n"))
        #expect(two.contains("2026-09-19        1    12.00"))
        #expect(two.contains("Total             1    74.00"))
    }

    @Test("--format csv and json; the global --json means json; --json with --format csv is a usage error")
    func formats() throws {
        let cli = try Self.community()
        let csv = try cli.ok(["report", "categories", "--from", "2026-09-19", "--format", "csv"])
        #expect(csv == "kind,id,name,records,minutes,hours,awarded,deducted,net\ncategory,orange,橙色关怀,1,60,1.00,12.00,0.00,12.00\n")
        let json = try cli.ok(["report", "categories", "--from", "2026-09-19", "--json"])
        #expect(json.contains(#"{"kind": "category", "id": "orange", "name": "橙色关怀", "records": 1, "minutes": 60, "hours": 1.00, "awarded": 12.00, "deducted": 0.00, "net": 12.00}"#))
        #expect(json.hasPrefix("{\n  \"report\": \"categories\",\n"))
        #expect(try cli.ok(["report", "categories", "--json", "--format", "json"]) == cli.ok(["report", "categories", "--json"]))
        let both = cli.run(["report", "daily", "--json", "--format", "csv"])
        #expect(both.exit == 2)
        #expect(both.errors.contains("error[U001]"))
    }

    @Test("Q001 for --from after --to, Q002 for an unknown format, Q004 and Q005 for ranking options, Q006 for --within")
    func errors() throws {
        let cli = try Self.community()
        let cases: [([String], String)] = [
            (["report", "stations", "--from", "2026-09-21", "--to", "2026-09-20"], "Q001"),
            (["report", "daily", "--format", "xlsx"], "Q002"),
            (["report", "daily", "--from", "2000-01-01", "--to", "2026-09-20"], "Q003"),
            (["report", "ranking", "--top", "0"], "Q004"),
            (["report", "ranking", "--by", "minutes"], "Q005"),
            (["report", "expiring", "--within", "-3"], "Q006"),
        ]
        for (arguments, code) in cases {
            let result = cli.run(arguments)
            #expect(result.exit == 2, "\(arguments)")
            #expect(result.errors.hasPrefix("error[\(code)]"), "\(arguments): \(result.errors)")
            #expect(result.output.isEmpty)
        }
        // Without --to the range ends yesterday (2026-09-20): a --from after it says so.
        let afterYesterday = cli.run(["report", "daily", "--from", "2026-09-21"])
        #expect(afterYesterday.errors == "error[Q001]: the range starts on 2026-09-21, but without --to it ends yesterday "
                + "(2026-09-20); give --from on or before 2026-09-20, or a --to\n", "\(afterYesterday.errors)")
        #expect(cli.run(["report", "ranking", "--from", "2026-09-21"]).errors.contains("without --to it ends yesterday (2026-09-20)"))
        let mixed = cli.run(["report", "expiring", "--as-of", "2026-09-21", "--from", "2026-09-23", "--to", "2026-09-30"])
        #expect(mixed.exit == 2)
        #expect(mixed.errors.contains("not both"))
    }

    @Test("ranking defaults to the policy: this month up to yesterday, top 1, by points; the tie at place 1 lists both; r2 pending is noted")
    func rankingDefaults() throws {
        let cli = try Self.community()
        let text = try cli.ok(["report", "ranking"])
        // V1: 20 + 5 + 12 (r1) = 37.00; V2: 20 + 17 = 37.00. Tied at place 1, V1 listed first for its 60 minutes.
        #expect(text == """
            排行榜 Ranking by 积分, top 1, 2026-09-01 – 2026-09-20

            Rank  Volunteer  Name     积分  Minutes  Hours
            ----  ---------  ------  -----  -------  -----
               1  V1         王秀英  37.00       60   1.00
               1  V2         Li      37.00        0   0.00

            Ranked by 积分 earned; equal 积分 share a rank (1, 2, 2, 4), listed by hours and then volunteer id; volunteers with none are not ranked.
            2 volunteers listed for the top 1: those tied at place 1 are all shown.
            1 record dated in this range is not posted yet (pending, or approved and waiting for a nightly settlement): the ranking can still change.

            """)
        let hours = try cli.ok(["report", "ranking", "--by", "hours", "--top", "5", "--format", "csv"])
        #expect(hours == "rank,volunteer,name,points,minutes,hours\n1,V1,王秀英,37.00,60,1.00\n")
        // A number typed with a Chinese input method reads as the number.
        #expect(try cli.ok(["report", "ranking", "--by", "hours", "--top", "５", "--format", "csv"]) == hours)
    }

    /// A committee member who names the month's last day means the month: `--to` alone runs from the start of the
    /// policy's ranking period that holds it (a month here), not from the --to day itself.
    @Test("ranking with --to alone covers the ranking period up to that day, not that one day")
    func rankingToAlone() throws {
        let cli = try Self.community()
        #expect(try cli.ok(["report", "ranking", "--to", "2026-09-20"]) == (try cli.ok(["report", "ranking"])))
        let csv = try cli.ok(["report", "ranking", "--to", "2026-09-19", "--by", "hours", "--format", "json"])
        #expect(csv.contains("\"from\": \"2026-09-01\",\n  \"to\": \"2026-09-19\""))
        #expect(csv.contains("\"volunteer\": \"V1\""))   // r1 of 2026-09-19: 60 minutes
        // --from still gives the first day.
        #expect(try cli.ok(["report", "ranking", "--from", "2026-09-20", "--to", "2026-09-20"]).hasPrefix("排行榜 Ranking by 积分, top 1, 2026-09-20\n"))
    }

    @Test("expiring defaults to today and the policy's warn_days (10): the lot of 2026-10-03 is outside, --within 15 takes it")
    func expiringDefaults() throws {
        let cli = try Self.community()
        let text = try cli.ok(["report", "expiring", "--format", "csv"])
        #expect(text == "expires_on,account,name,household,points,lots\n2026-09-30,volunteer:V1,王秀英,H1,5.00,1\n")
        let wider = try cli.ok(["report", "expiring", "--within", "15", "--format", "csv"])
        #expect(wider.hasSuffix("2026-09-30,volunteer:V1,王秀英,H1,5.00,1\n2026-10-03,volunteer:V2,Li,,17.00,1\n"))
        let byDates = try cli.ok(["report", "expiring", "--from", "2026-10-01", "--to", "2026-10-03", "--format", "csv"])
        #expect(byDates == "expires_on,account,name,household,points,lots\n2026-10-03,volunteer:V2,Li,,17.00,1\n")
    }

    @Test("--out writes the report to a file and says so; rejects accounts for the pending record")
    func outFile() throws {
        let cli = try Self.community()
        let path = cli.folder + "/rejects.txt"
        let said = try cli.ok(["report", "rejects", "--from", "2026-09-19", "--out", path])
        #expect(said == "wrote the rejects report (1 row, text) to \(path)\n")
        let written = try String(contentsOfFile: path, encoding: .utf8)
        #expect(written.contains("pending  default:r2  2026-09-19  V2   orange    no verifier: approve it with a verifier"))
        #expect(written.hasSuffix("Read 2 = posted 1 + pending 1 + rejected 0 + approved, not posted 0: adds up.\n"))
        let json = try cli.ok(["report", "stations", "--json", "--out", cli.folder + "/stations.json"])
        #expect(json.contains("\"file\": \"\(cli.folder)/stations.json\""))
    }

    @Test("--out FILE.csv or FILE.json without --format writes that format (not the text table); --format or --json that agree with it too")
    func outFormatFromName() throws {
        let cli = try Self.community()
        let csv = cli.folder + "/daily.csv"
        #expect(try cli.ok(["report", "daily", "--from", "2026-09-19", "--out", csv]).hasSuffix(" rows, csv) to \(csv)\n"))
        #expect(try String(contentsOfFile: csv, encoding: .utf8).hasPrefix("date,records,awarded,"))
        let json = cli.folder + "/Stations.JSON"
        #expect(try cli.ok(["report", "stations", "--out", json]).contains(", json) to \(json)"))
        #expect(try String(contentsOfFile: json, encoding: .utf8).hasPrefix("{\n  \"report\": \"stations\""))
        let text = cli.folder + "/daily.txt"
        try cli.ok(["report", "daily", "--from", "2026-09-19", "--out", text])
        #expect(try String(contentsOfFile: text, encoding: .utf8).hasPrefix("每日汇总 Daily"))
        // A --format or --json that says the same as the name is fine; an unknown extension is text, as before.
        try cli.ok(["report", "daily", "--from", "2026-09-19", "--format", "CSV", "--out", csv])
        #expect(try String(contentsOfFile: csv, encoding: .utf8).hasPrefix("date,records,awarded,"))
        try cli.ok(["report", "stations", "--json", "--out", json])
        try cli.ok(["report", "daily", "--from", "2026-09-19", "--format", "json", "--out", cli.folder + "/daily.data"])
        let other = cli.folder + "/daily.report"
        try cli.ok(["report", "daily", "--from", "2026-09-19", "--out", other])
        #expect(try String(contentsOfFile: other, encoding: .utf8).hasPrefix("每日汇总 Daily"))
        #expect(ReportOptions.format(ofFileNamed: "reports.csv/daily") == nil)
        #expect(ReportOptions.format(ofFileNamed: ".csv") == nil)
    }

    @Test("--out FILE whose name says one format and --format or --json another is refused (Q007), with what to write; no file is written")
    func outFormatDisagreesWithName() throws {
        let cli = try Self.community()
        let json = cli.folder + "/daily.json"
        let csvAsJSON = cli.run(["report", "daily", "--from", "2026-09-19", "--out", json, "--format", "csv"])
        #expect(csvAsJSON.exit == 2)
        #expect(csvAsJSON.errors == "error[Q007]: --out \(json) names a JSON file, but --format csv writes CSV; write --out "
            + "\(cli.folder)/daily.csv for CSV, or leave out --format csv for JSON\n")
        let csv = cli.folder + "/x.CSV"
        let jsonAsCSV = cli.run(["report", "stations", "--json", "--out", csv])
        #expect(jsonAsCSV.exit == 2)
        #expect(jsonAsCSV.errors == "error[Q007]: --out \(csv) names a CSV file, but --json writes JSON; write --out "
            + "\(cli.folder)/x.json for JSON, or leave out --json for CSV\n")
        #expect(jsonAsCSV.output.contains("\"code\": \"Q007\""))
        let textAsCSV = cli.run(["report", "ranking", "--format", "text", "--out", cli.folder + "/ranking.csv"])
        #expect(textAsCSV.exit == 2 && textAsCSV.errors.contains("names a CSV file, but --format text writes text; write --out "
            + "\(cli.folder)/ranking.txt for text"))
        #expect(cli.run(["report", "fund", "--format", "csv", "--out", cli.folder + "/fund.txt"]).errors.hasPrefix("error[Q007]"))
        for path in [json, csv, cli.folder + "/ranking.csv", cli.folder + "/fund.txt"] {
            #expect(!FileManager.default.fileExists(atPath: path))
        }
        #expect(ReportError.file("a.b/daily", withExtensionOf: .csv) == "a.b/daily.csv")
        #expect(ReportError.file("out/.hidden", withExtensionOf: .json) == "out/.hidden.json")
    }

    /// Q007 is a usage error: it is refused before any report work, so before what only the range, the store or the report
    /// would find (a range backwards, a missing database, expiring's --from without --to, a bad --top).
    @Test("--out and --format that disagree are refused first (Q007), before the range, the store or the report are read")
    func outFormatDisagreesRefusedFirst() throws {
        let cli = try Self.community()
        let json = cli.folder + "/year.json", missing = cli.folder + "/none.sqlite"
        let backwards = ["--from", "2026-11-05", "--to", "2026-11-01", "--out", json, "--format", "csv"]
        for report in ["daily", "stations", "categories", "rejects", "ranking", "fund"] {
            let refused = cli.run(["report", report] + backwards)
            #expect(refused.exit == 2 && refused.errors.hasPrefix("error[Q007]: --out \(json) names a JSON file"), "\(report): \(refused.errors)")
            let noStore = cli.run(["--db", missing, "report", report, "--out", json, "--format", "csv"])
            #expect(noStore.exit == 2 && noStore.errors.hasPrefix("error[Q007]"), "\(report): \(noStore.errors)")
            // Under --json too, whose check waits for the command's run: still before the range.
            let asJSON = cli.run(["--json", "report", report, "--from", "2026-11-05", "--to", "2026-11-01", "--out", cli.folder + "/year.csv"])
            #expect(asJSON.exit == 2 && asJSON.errors.hasPrefix("error[Q007]"), "\(report): \(asJSON.errors)")
        }
        let expiring = cli.run(["report", "expiring", "--from", "2026-11-05", "--out", json, "--format", "csv"])
        #expect(expiring.exit == 2 && expiring.errors.hasPrefix("error[Q007]"), "\(expiring.errors)")
        let ranking = cli.run(["report", "ranking", "--top", "0", "--out", json, "--format", "csv"])
        #expect(ranking.exit == 2 && ranking.errors.hasPrefix("error[Q007]"), "\(ranking.errors)")
        #expect(!FileManager.default.fileExists(atPath: json) && !FileManager.default.fileExists(atPath: missing))
    }

    @Test("--out FILE.csv starts with a UTF-8 byte order mark (Excel on a Chinese Windows reads UTF-8 without one as GBK); standard output and JSON files do not")
    func csvFileHasByteOrderMark() throws {
        let cli = try Self.community()
        let path = cli.folder + "/ranking.csv"
        try cli.ok(["report", "ranking", "--from", "2026-09-01", "--to", "2026-09-20", "--out", path])
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let printed = try cli.ok(["report", "ranking", "--from", "2026-09-01", "--to", "2026-09-20", "--format", "csv"])
        #expect(printed.hasPrefix("rank,volunteer,name,"))
        #expect(Array(bytes.dropFirst(3)) == Array(printed.utf8))
        // The fund's CSV too; a JSON or text file has none.
        let fund = cli.folder + "/fund.csv"
        try cli.ok(["report", "fund", "--from", "2026-09-20", "--to", "2026-09-20", "--out", fund])
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: fund)).prefix(4)) == [0xEF, 0xBB, 0xBF] + Array("f".utf8))
        for (name, first) in [("stations.json", "{"), ("stations.txt", "兑")] {
            try cli.ok(["report", "stations", "--out", cli.folder + "/" + name])
            let data = try Data(contentsOf: URL(fileURLWithPath: cli.folder + "/" + name))
            #expect(Array(data.prefix(first.utf8.count)) == Array(first.utf8), "\(name)")
        }
        // timebank's own CSV reader reads the file as it reads one without the mark.
        let rows = try CSVReader.rows(bytes)
        #expect(rows.first?.fields.first == "rank")
    }

    @Test("a date typed as people write it gets what to write: the day (2026/11/1, 2026年11月1日, full-width), and for a month, a quarter or a year the range", arguments: [
        ("--from", "2026/11/1", "write 2026-11-01 (YYYY-MM-DD)"),
        ("--from", "2026.11.01", "write 2026-11-01 (YYYY-MM-DD)"),
        ("--to", "2026年11月1日", "write 2026-11-01 (YYYY-MM-DD)"),
        ("--from", "２０２６－１１－０１", "write 2026-11-01 (YYYY-MM-DD)"),
        ("--from", "20261101", "write 2026-11-01 (YYYY-MM-DD)"),
        ("--from", "2026-1-1", "write 2026-01-01 (YYYY-MM-DD)"),
        ("--from", "2026-11-00", "write YYYY-MM-DD, e.g. 2026-10-01"),
        ("--from", "2026-02-30", "2026-02 has 28 days: write 2026-02-28 (its last day) or 2026-03-01 (the first of the next month)"),
        ("--from", "2026-11", "a month is not a day: for November 2026 write --from 2026-11-01 --to 2026-11-30"),
        ("--to", "2026年2月", "a month is not a day: for February 2026 write --from 2026-02-01 --to 2026-02-28"),
        ("--from", "2026-Q4", "a quarter is not a day: for 2026 Q4 write --from 2026-10-01 --to 2026-12-31"),
        ("--from", "2026年第一季度", "a quarter is not a day: for 2026 Q1 write --from 2026-01-01 --to 2026-03-31"),
        ("--from", "2026", "a year is not a day: for 2026 write --from 2026-01-01 --to 2026-12-31"),
        ("--from", "yesterday", "write YYYY-MM-DD, e.g. 2026-10-01"),
    ])
    func dateTypedAsPeopleWriteIt(option: String, typed: String, help: String) throws {
        let cli = try Self.community()
        let result = cli.run(["report", "categories", option, typed])
        #expect(result.exit == 2)
        #expect(result.errors == "error[U001]: \(option) \"\(typed)\" is not a date; \(help)\n")
        #expect(result.output.isEmpty)
    }

    @Test("categories over a range across a version that dropped a category: the category keeps its label from the version that had it, not its bare id")
    func categoryDroppedByALaterVersion() throws {
        let cli = try Self.community()
        // Version 2, in force from 2026-09-20, replaces orange (r1's category, 2026-09-19) with red.
        let v2 = Self.policy.replacingOccurrences(of: "version = 1", with: "version = 2")
            .replacingOccurrences(of: "effective = 2026-01-01", with: "effective = 2026-09-20")
            .replacingOccurrences(of: "[categories.orange]\nlabel = \"橙色关怀\"", with: "[categories.red]\nlabel = \"红色教育\"")
        try cli.ok(["policy", "activate", try cli.write("v2.toml", v2)])
        let text = try cli.ok(["report", "categories", "--from", "2026-09-01", "--to", "2026-09-20"])
        #expect(text.contains("category  orange  橙色关怀        1       60"), "\(text)")
        let csv = try cli.ok(["report", "categories", "--from", "2026-09-01", "--to", "2026-09-20", "--format", "csv"])
        #expect(csv.contains("\ncategory,orange,橙色关怀,1,60,1.00,12.00,0.00,12.00\n"), "\(csv)")
    }

    @Test("report --output suggests --out and export --out suggests --output: the two commands spell it differently")
    func outputSpelledTheOtherWay() throws {
        let cli = try Self.community()
        let report = cli.run(["report", "daily", "--output", cli.folder + "/d.csv"])
        #expect(report.exit == 2 && report.errors == "error[U001]: unknown option --output; did you mean --out? (see --help)\n")
        let export = cli.run(["export", "--format", "ledger", "--out", cli.folder + "/j.journal"])
        #expect(export.exit == 2 && export.errors == "error[U001]: unknown option --out; did you mean --output? (see --help)\n")
        #expect(cli.run(["report", "expiring", "--within-days", "3"]).errors.contains("did you mean --within?"))
        // A shorter word is not taken for a longer option that adds words to it.
        #expect(cli.run(["settle", "--all"]).errors == "error[U001]: unknown option --all (see --help)\n")
        #expect(!FileManager.default.fileExists(atPath: cli.folder + "/d.csv"))
    }

    @Test("--format xlsx (or excel, 表格) is Q002 with the CSV to write for a spreadsheet; another unknown format is as before")
    func spreadsheetFormat() throws {
        let cli = try Self.community()
        for word in ["xlsx", "Excel", "表格"] {
            let result = cli.run(["report", "daily", "--format", word])
            #expect(result.exit == 2)
            #expect(result.errors == "error[Q002]: unknown report format \"\(word)\"; use text, csv or json: for a spreadsheet write "
                + "--format csv --out FILE.csv, which Excel and WPS open (with Chinese names)\n")
        }
        #expect(cli.run(["report", "daily", "--format", "pdf"]).errors == "error[Q002]: unknown report format \"pdf\"; use text, csv or json\n")
    }

    @Test("dates given as arguments (report daily 2026-11-01 2026-11-30, statement V1 2026-11) get the --from/--to to write")
    func datesGivenAsArguments() throws {
        let cli = try Self.community()
        let cases: [([String], String)] = [
            (["report", "daily", "2026-09-01", "2026-09-20"], "\"2026-09-01\"; dates are given as options: write --from 2026-09-01 --to 2026-09-20"),
            (["report", "categories", "2026-09"], "\"2026-09\"; dates are given as options: write --from 2026-09-01 --to 2026-09-30"),
            (["report", "fund", "2026年第三季度"], "\"2026年第三季度\"; dates are given as options: write --from 2026-07-01 --to 2026-09-30"),
            (["statement", "V1", "2026/9/1"], "\"2026/9/1\"; dates are given as options: write --from 2026-09-01"),
        ]
        for (arguments, message) in cases {
            let result = cli.run(arguments)
            #expect(result.exit == 2)
            #expect(result.errors == "error[U001]: unexpected argument \(message)\n", "\(arguments)")
        }
        #expect(cli.run(["report", "daily", "soon"]).errors == "error[U001]: unexpected argument \"soon\"; expected no arguments\n")
    }

    @Test("a range since the beginning (--from 1900-01-01) is one report for fund, stations, categories, rejects, ranking and expiring; daily is Q003")
    func sinceTheBeginning() throws {
        let cli = try Self.community()
        let range = ["--from", "1900-01-01", "--to", "2026-09-20"]
        for report in ["fund", "stations", "categories", "rejects", "ranking", "expiring"] {
            let result = cli.run(["report", report] + range + ["--format", "json"])
            #expect(result.exit == 0, "\(report): \(result.errors)")
        }
        let fund = try cli.ok(["report", "fund"] + range + ["--format", "csv"])
        #expect(fund.contains("opening_balance,,0.00\n") && fund.contains("points_outstanding,,74.00\n"), "\(fund)")
        let daily = cli.run(["report", "daily"] + range)
        #expect(daily.exit == 2)
        #expect(daily.errors.hasPrefix("error[Q003]: the range covers 46284 days; a report with a row per day covers at most 3660"), "\(daily.errors)")
    }

    @Test("--out never overwrites a SQLite database or the files beside it (the store itself, given by mistake); export --output neither")
    func outRefusesDatabase() throws {
        let cli = try Self.community()
        let before = try Data(contentsOf: URL(fileURLWithPath: cli.databasePath))
        let copy = cli.folder + "/copy.sqlite"
        try FileManager.default.copyItem(atPath: cli.databasePath, toPath: copy)
        // The store itself is told without opening it (closing a descriptor of it would drop this process's locks).
        let own = cli.run(["report", "daily", "--from", "2026-09-19", "--out", cli.databasePath])
        #expect(own.exit == 2)
        #expect(own.errors.contains("\(cli.databasePath) is the database this command reads; a report or export never overwrites one: "
            + "give another file name"), "\(own.errors)")
        let result = cli.run(["report", "daily", "--from", "2026-09-19", "--out", copy])
        #expect(result.exit == 2)
        #expect(result.errors.contains("\(copy) is a SQLite database; a report or export never overwrites one: give another file name"),
                "\(result.errors)")
        let export = cli.run(["export", "--format", "ledger", "--output", cli.databasePath])
        #expect(export.exit == 2)
        #expect(export.errors.contains("\(cli.databasePath) is the database this command reads"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: cli.databasePath)).prefix(16) == before.prefix(16))
        #expect(try cli.ok(["verify"]).contains("OK"))
        // An ordinary file is replaced as before.
        let path = try cli.write("daily.csv", "old contents")
        try cli.ok(["report", "daily", "--from", "2026-09-19", "--format", "csv", "--out", path])
        #expect(try String(contentsOfFile: path, encoding: .utf8).hasPrefix("date,"))
    }

    @Test("--out to a folder, into a folder that does not exist, or a directory given to read: the message says which, in words")
    func fileProblemsInWords() throws {
        let cli = try Self.community()
        let folder = cli.folder + "/reports"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let intoFolder = cli.run(["report", "daily", "--out", folder])
        #expect(intoFolder.exit == 2)
        #expect(intoFolder.errors == "error[U001]: cannot write \(folder): it is a folder; give a file name in it, e.g. \(folder)/daily.txt\n")
        // The name it suggests is the report's, with the format's extension.
        #expect(cli.run(["report", "ranking", "--format", "csv", "--out", folder]).errors.hasSuffix("e.g. \(folder)/ranking.csv\n"))
        // An export is a ledger journal, not a CSV report: the name it suggests says so.
        let exportIntoFolder = cli.run(["export", "--format", "ledger", "--output", folder])
        #expect(exportIntoFolder.exit == 2)
        #expect(exportIntoFolder.errors == "error[U001]: cannot write \(folder): it is a folder; give a file name in it, e.g. \(folder)/community.journal\n",
                "\(exportIntoFolder.errors)")
        let missing = cli.run(["report", "daily", "--out", cli.folder + "/nowhere/daily.txt"])
        #expect(missing.errors == "error[U001]: cannot write \(cli.folder)/nowhere/daily.txt: the folder \(cli.folder)/nowhere does not exist; "
                + "create it first (mkdir -p \(cli.folder)/nowhere)\n")
        let readFolder = cli.run(["policy", "check", folder])
        #expect(readFolder.exit == 2 && readFolder.errors.contains("cannot read \(folder): it is a folder; give a file in it"))
        let fmtFolder = cli.run(["policy", "fmt", folder])
        #expect(fmtFolder.exit != 0 && (fmtFolder.output + fmtFolder.errors).contains("cannot read \(folder): it is a folder"))
    }

    @Test("report fund: the fund's numbers as a report; 30.00 CNY backs 74.00 points worth 37.00 CNY, so a warning")
    func fund() throws {
        let cli = try Self.community()
        try cli.ok(["fund", "contribute", "--merchant", "粮油店", "--turnover", "30000", "--date", "2026-09-20", "--key", "c1"])
        let text = try cli.ok(["report", "fund"])
        // 30,000 × 0.001 = 30.00 CNY; points 37.00 (V1) + 37.00 (V2) = 74.00 × 0.5 = 37.00 CNY; 30 ÷ 37 = 0.8108.
        #expect(text == """
            微基金 Micro-fund 2026-09-20, CNY

            Kind           Entries  CNY in  CNY out
            -------------  -------  ------  -------
            contributions        1   30.00     0.00
            -------------  -------  ------  -------
            Total                1   30.00     0.00

            Opening balance on 2026-09-20: 0.00 CNY; closing balance on 2026-09-20: 30.00 CNY.
            积分 outstanding at the end of 2026-09-20: 74.00 (volunteers 74.00, households 0.00, held for bookings 0.00).
            Point value (policy #1): 0.5 CNY; the 积分 are worth 37.00 CNY.
            Coverage ratio (fund ÷ value of the points): 0.8108.
            WARNING: the fund covers only 0.8108 of the points outstanding (30.00 CNY for points worth 37.00 CNY; short by 7.00 CNY)
            1 record dated on or before 2026-09-20 is not posted yet (pending, or approved and waiting for a nightly settlement): their points will count on their service dates, so the points outstanding at the end of 2026-09-20 and the coverage can still change.

            """)
        // CSV carries every figure, one per line; JSON the same figures under the names of `fund report --json`.
        #expect(try cli.ok(["report", "fund", "--format", "csv"]) == """
            figure,kind,value
            entries,contributions,1
            cny_in,contributions,30.00
            cny_out,contributions,0.00
            opening_balance,,0.00
            closing_balance,,30.00
            total_in,,30.00
            total_out,,0.00
            points_volunteers,,74.00
            points_households,,0.00
            points_held,,0.00
            points_outstanding,,74.00
            policy_version,,1
            point_value,,0.5
            points_value,,37.00
            coverage_ratio,,0.810811
            coverage,,0.8108
            below_one,,true
            warning,,WARNING: the fund covers only 0.8108 of the points outstanding (30.00 CNY for points worth 37.00 CNY; short by 7.00 CNY)
            records_not_posted,,1

            """)
        let json = try cli.ok(["report", "fund", "--json"])
        #expect(json.contains("\"coverage_ratio\": 0.810811,\n") && json.contains("\"below_one\": true,\n"), "\(json)")
        let fundJSON = try cli.ok(["fund", "report", "--from", "2026-09-20", "--to", "2026-09-20", "--json"])
        #expect(fundJSON.contains("\"coverage_ratio\": 0.810811,\n") && fundJSON.contains("\"below_one\": true,\n"))
        // A day with no money moved still has its figures.
        let quiet = try cli.ok(["report", "fund", "--from", "2026-09-19", "--to", "2026-09-19", "--format", "csv"])
        #expect(quiet.hasPrefix("figure,kind,value\nopening_balance,,0.00\nclosing_balance,,0.00\n"), "\(quiet)")
        #expect(quiet.contains("\ncoverage_ratio,,0.000000\n") && quiet.contains("\nbelow_one,,true\n"))
        #expect(cli.run(["report", "fund", "--from", "2026-09-21", "--to", "2026-09-20"]).errors.hasPrefix("error[Q001]"))
    }

    @Test("a range past the last settled day or past today gets a NOTE in text and JSON, none in CSV; nothing is refused")
    func unsettledDays() throws {
        let cli = try Self.community()
        // No settlement yet: only days after today (2026-09-21) are noted.
        #expect(try !cli.ok(["report", "daily", "--from", "2026-09-19", "--to", "2026-09-20"]).contains("NOTE"))
        let future = try cli.ok(["report", "daily", "--from", "2026-09-20", "--to", "2026-09-25"])
        #expect(future.hasSuffix("NOTE: 2026-09-22 to 2026-09-25 are after today (2026-09-21): they have not happened, so they have no figures.\n"),
                "\(future)")

        try cli.ok(["settle", "--date", "2026-09-19"])
        let yesterday = try cli.ok(["report", "daily"])
        #expect(yesterday.hasSuffix("NOTE: the last settled day is 2026-09-19; 2026-09-20 is not settled yet, so its figures are not final "
                                    + "(records are posted and points expire at the nightly settlement).\n"), "\(yesterday)")
        #expect(try !cli.ok(["report", "daily", "--from", "2026-09-01", "--to", "2026-09-19"]).contains("NOTE"))
        let long = try cli.ok(["report", "daily", "--from", "2026-09-19", "--to", "2027-01-01"])
        #expect(long.hasSuffix("NOTE: the last settled day is 2026-09-19; 2026-09-20 to 2027-01-01 are not settled yet, so their figures are "
                               + "not final (records are posted and points expire at the nightly settlement); the days after today "
                               + "(2026-09-21) have not happened, so they have no figures.\n"), "\(long)")
        // CSV stays rows only; JSON has the note among its notes.
        let csv = try cli.ok(["report", "daily", "--from", "2026-09-19", "--to", "2026-09-22", "--format", "csv"])
        #expect(!csv.contains("NOTE") && csv.split(separator: "\n").count == 5)
        #expect(try cli.ok(["report", "stations", "--from", "2026-09-19", "--to", "2026-09-22", "--json"])
                    .contains("\"NOTE: the last settled day is 2026-09-19; 2026-09-20 to 2026-09-22 are not settled yet"))

        // The fund at the end of a day to come is a projection, and says so.
        let fund = cli.run(["fund", "report", "--from", "2027-01-01", "--to", "2027-12-31"])
        #expect(fund.exit == 0)
        #expect(fund.output.hasSuffix("NOTE: the last settled day is 2026-09-19; 2027-01-01 to 2027-12-31 have not happened yet (today is "
                                      + "2026-09-21), so they have no figures. The balances and points outstanding at the end of 2027-12-31 are "
                                      + "what is recorded so far: a projection, not that day's figures.\n"), "\(fund.output)")
        let fundJSON = try cli.ok(["fund", "report", "--from", "2027-01-01", "--to", "2027-12-31", "--json"])
        #expect(fundJSON.contains("\"records_not_posted\": 1,\n  \"last_settled_day\": \"2026-09-19\",\n  \"notes\": [\n"
                                  + "    \"1 record dated on or before 2027-12-31 is not posted yet"), "\(fundJSON)")
        #expect(fundJSON.contains("\",\n    \"NOTE: the last settled day is 2026-09-19;"), "\(fundJSON)")
        // A settled range gets no NOTE; its points can still change while r2 (2026-09-19) waits, and the note says so.
        let settled = try cli.ok(["fund", "report", "--from", "2026-09-01", "--to", "2026-09-19", "--json"])
        #expect(settled.contains("\"notes\": [\n    \"1 record dated on or before 2026-09-19 is not posted yet") && !settled.contains("NOTE"),
                "\(settled)")
        #expect(try cli.ok(["fund", "report", "--from", "2026-09-01", "--to", "2026-09-18", "--json"])
                    .contains("\"records_not_posted\": 0,\n  \"last_settled_day\": \"2026-09-19\",\n  \"notes\": []"))
        #expect(try cli.ok(["report", "fund", "--from", "2027-01-01", "--to", "2027-01-31"]).contains("are what is recorded so far: a projection"))
    }

    @Test("every report command has help with an example and is not admin-gated")
    func help() throws {
        let cli = try CLIHarness()
        for name in ["daily", "stations", "categories", "ranking", "expiring", "rejects", "fund"] {
            let help = try cli.ok(["report", name, "--help"])
            #expect(help.contains("Example"), "\(name)")
            #expect(help.contains("timebank report \(name)"), "\(name)")
        }
        #expect(!AdminGate.adminCommandNames.contains { $0.hasPrefix("report") })
    }
}

/// The rejects report's CSV is the list to decide from (`record approve --file`), whatever the records' source is called.
@Suite("report rejects CSV read back")
struct RejectsCSVReadBackTests {
    @Test("a record of a source that starts like a formula (-east, @office): its record cell is written '-east:r9 for Excel, and record approve --file reads it back as -east:r9")
    func formulaSafeRecordCellReadBack() throws {
        let cli = try ReportCommandTests.community()
        try cli.ok(["record", "import", try cli.write("east.csv", """
            id,source,volunteer,category,date,start,end,verifier
            r9,-east,V1,orange,2026-09-19,11:00,12:00,
            r9,@office,V2,orange,2026-09-19,11:00,12:00,

            """)])
        let pending = cli.folder + "/pending.csv"
        try cli.ok(["report", "rejects", "--from", "2026-09-19", "--to", "2026-09-19", "--out", pending])
        let written = try String(contentsOfFile: pending, encoding: .utf8)
        #expect(written.contains("\npending,'-east:r9,2026-09-19,V1,orange,"), "\(written)")
        #expect(written.contains("\npending,'@office:r9,2026-09-19,V2,orange,"), "\(written)")
        let said = try cli.ok(["record", "approve", "--file", pending, "--verifier", "社区"])
        #expect(said.hasPrefix("Approved 3 records"), "\(said)")
        let store = try TimeBankStore(path: cli.databasePath, clock: cli.clock)
        #expect(try store.storedRecord(id: "r9", source: "-east").status == .approved)
        #expect(try store.storedRecord(id: "r9", source: "@office").status == .approved)
    }
}
