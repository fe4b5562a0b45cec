import Foundation
import Testing
import TimeBankCore
import TimeBankStorage
@testable import TimeBankCLI

/// `timebank settle` and `settlement list` as an admin and the nightly job see them.
@Suite("settle command")
struct SettleCommandTests {
    /// The community, and yesterday's records imported (today is 2027-01-04 at UTC+8, so yesterday is 2027-01-03):
    /// r1 of V1 with a verifier, r2 of V2 without one, then `extraRows`.
    static func yesterdayImported(extraRows: String = "") throws -> ScoringHarness {
        let cli = try ScoringHarness()
        try cli.community()
        let file = try cli.write("day.csv", """
            id,volunteer,category,date,start,end,verifier
            r1,V1,orange,2027-01-03,09:00,10:30,社区
            r2,V2,green,2027-01-03,14:00,16:00,

            """ + extraRows)
        try cli.ok(["record", "import", file])
        return cli
    }

    @Test("settles yesterday by default, prints the summary, the same again on a re-run; refusals exit 1, bad usage 2")
    func settleYesterday() throws {
        let cli = try Self.yesterdayImported()
        let output = try cli.ok(["settle"])
        // r1 (a Sunday): 1.5 h × 12 (orange) = 18, × 1.2 weekend = 21.6, + 5 first service = 26.6, to a step of 0.5 half-even: 26.50.
        // r2 has no verifier: pending until 2027-01-10.
        #expect(output.hasPrefix("Settled 2027-01-03.\n"))
        #expect(output.contains("records:  2 read: 1 accepted, 0 auto-accepted, 0 rejected, 1 still pending"))
        #expect(output.contains("posted:   1 record: 1 award (26.50 积分), 0 penalties (0.00 积分)"))
        #expect(output.contains("ranking of 2026-12 written"))

        // Settled before: when, in the community's local time as receipts print it, not the stored UTC moment.
        let settledAt = try #require(try TimeBankStore(path: cli.databasePath).settlement(on: LocalDate("2027-01-03")!)?.settledAt)
        #expect(try cli.ok(["settle"]).hasPrefix("2027-01-03 was settled before (at \(Receipt.localTime(settledAt, utcOffsetMinutes: 480))); nothing changed.\n"))
        let again = cli.run(["--json", "settle", "--date", "2027-01-03"])
        #expect(again.exit == 0)
        #expect(again.output.contains("\"already_settled\": true"))
        #expect(again.output.contains("\"awarded\": 26.50"))

        let earlier = cli.run(["settle", "--date", "2027-01-02"])
        #expect(earlier.exit == 1)
        #expect(earlier.errors.hasPrefix("error[N001]: 2027-01-02 cannot be settled: 2027-01-03 is settled already"))
        #expect(cli.run(["settle", "--date", "2027-01-04"]).errors.hasPrefix("error[N003]"))
        // A mistyped year, even out of order: no policy was in force, so nothing is recorded for it (N008).
        let typo = cli.run(["settle", "--date", "2017-01-02", "--allow-out-of-order"])
        #expect(typo.exit == 1 && typo.errors.hasPrefix("error[N008]: 2017-01-02 comes before the first policy version takes effect (2026-10-01)"))
        #expect(!(try cli.ok(["settlement", "list"])).contains("2017-01-02"))
        #expect(cli.run(["settle", "--chunk-size", "0"]).exit == 2)

        let list = try cli.ok(["settlement", "list"])
        #expect(list.contains("2027-01-03     2       1         0        1    26.50"))
        // A night's counts are not a day's: the line under the table says so, and which reports count by service date.
        #expect(list.hasSuffix("\n\nEach line is what that night did: read counts every record still waiting, read again each night "
            + "until decided; posted and awarded take in late records of earlier days. For a month's records and points by service "
            + "date, use `timebank report daily` or `report categories`: over the same days they differ by the records posted on a "
            + "later night.\n"), "\(list)")
    }

    /// For a spreadsheet and a script (the nightly script notes each night's head from it): a header of column ids, a row
    /// per night with every count and the whole head hash; json as --json; an unknown format is Q-coded usage.
    @Test func settlementListAsCSV() throws {
        let cli = try Self.yesterdayImported()
        try cli.ok(["settle"])
        let store = try TimeBankStore(path: cli.databasePath)
        let night = try #require(try store.settlement(on: LocalDate("2027-01-03")!))
        let csv = try cli.ok(["settlement", "list", "--format", "csv"])
        let lines = csv.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.count == 3 && lines[2].isEmpty, "\(csv)")
        let header = lines[0].split(separator: ",").map(String.init)
        #expect(header.first == "date" && header.contains("head_sequence") && header.contains("head_hash") && header.contains("records_read"))
        let row = Dictionary(uniqueKeysWithValues: zip(header, lines[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)))
        #expect(row["date"] == "2027-01-03")
        #expect(row["head_hash"] == night.headHash && night.headHash.count == 64)
        #expect(row["head_sequence"] == String(night.headSequence))
        #expect(row["records_read"] == "2" && row["posted"] == "1" && row["pending"] == "1" && row["awarded"] == "26.50")
        #expect(try cli.ok(["settlement", "list", "--format", "json"]) == (try cli.ok(["--json", "settlement", "list"])))
        #expect(try cli.ok(["settlement", "list", "--format", "text"]) == (try cli.ok(["settlement", "list"])))
        // No nights in the range: the header alone, so that a script reads "none" and not an error.
        #expect(try cli.ok(["settlement", "list", "--from", "2027-01-04", "--format", "csv"]) == lines[0] + "\n")
        let bad = cli.run(["settlement", "list", "--format", "xlsx"])
        #expect(bad.exit == 2 && bad.errors.contains("csv"), "\(bad.errors)")
        #expect(cli.run(["--json", "settlement", "list", "--format", "csv"]).exit == 2)
    }

    @Test("a new community whose first policy version takes effect later: yesterday has nothing to settle yet (exit 0, nothing written); a --date before it is N008")
    func nothingToSettleBeforeTheFirstPolicy() throws {
        // The nightly job is installed before the policy's first day: it exited 1 (N008) every night until then, which cron
        // mails and systemd's OnFailure alerts on, for a community that was only waiting for its start.
        let cli = try ScoringHarness()   // today 2027-01-04 at UTC+8: yesterday is 2027-01-03
        try cli.ok(["init"])
        try cli.ok(["policy", "activate", try cli.write("p.toml", "[policy]\nid = \"new\"\nversion = 1\neffective = 2027-01-10\n\n"
            + "[categories.orange]\npoints_per_hour = 12\n")])
        let quiet = cli.run(["settle", "--reports", cli.folder + "/reports"])
        #expect(quiet.exit == 0, "\(quiet.errors)")
        #expect(quiet.errors.isEmpty)
        #expect(quiet.output == "Nothing to settle yet: yesterday, 2027-01-03, comes before the first policy version takes effect "
            + "(2027-01-10). The first night to settle is 2027-01-10, in the night after it; nothing was written.\n")
        #expect(try cli.ok(["settlement", "list"]).contains("No settled days."))
        #expect(try cli.ok(["--json", "settle", "--catch-up"]) == "[]\n")
        let json = try cli.ok(["--json", "settle"])
        #expect(json.contains("\"settled\": false") && json.contains("\"first_day\": \"2027-01-10\""), "\(json)")
        // A day typed before the first version is still refused: most likely a mistyped year.
        let typed = cli.run(["settle", "--date", "2027-01-03"])
        #expect(typed.exit == 1 && typed.errors.hasPrefix("error[N008]: 2027-01-03 comes before the first policy version takes effect (2027-01-10)"))
        // Without any policy it is still N004: an admin has something to do.
        let none = try ScoringHarness()
        try none.ok(["init"])
        #expect(none.run(["settle"]).errors.hasPrefix("error[N004]"))
    }

    @Test("a night missed is refused (N010, exit 1) until --catch-up settles it first, each night with its summary, or --skip-missed leaves it")
    func missedNights() throws {
        let cli = try Self.yesterdayImported()
        #expect(try cli.ok(["settle", "--date", "2027-01-01"]).hasPrefix("Settled 2027-01-01.\n"))
        let refused = cli.run(["settle"])
        #expect(refused.exit == 1 && refused.errors.hasPrefix("error[N010]: 2027-01-03 cannot be settled yet: 2027-01-02 is not settled "
            + "(the last settled day is 2027-01-01). Settle the nights in order: --catch-up settles it and then 2027-01-03"), "\(refused.errors)")
        #expect(refused.output.isEmpty)
        let both = cli.run(["settle", "--catch-up", "--skip-missed"])
        #expect(both.exit == 2 && both.errors.contains("--catch-up and --skip-missed cannot go together"))

        let caughtUp = cli.run(["settle", "--catch-up", "--reports", cli.folder + "/reports"])
        let output = caughtUp.output
        #expect(caughtUp.exit == 0)
        // Each night is named on stderr before it starts, terminal or not: a log then says which night a kill interrupted.
        #expect(caughtUp.errors == "Settling 2027-01-02 (night 1 of 2, a missed night).\nSettling 2027-01-03 (night 2 of 2).\n",
                "\(caughtUp.errors)")
        #expect(output.hasPrefix("Settled 2027-01-02.\n"))
        #expect(output.contains("\n\nSettled 2027-01-03.\n"))
        #expect(output.contains("posted:   1 record: 1 award (26.50 积分)"))
        #expect(FileManager.default.fileExists(atPath: cli.folder + "/reports/2027-01-02/daily.csv"))
        #expect(FileManager.default.fileExists(atPath: cli.folder + "/reports/2027-01-03/daily.csv"))
        // With --json, --catch-up prints an array (here the settled day alone, settled before).
        let again = cli.run(["--json", "settle", "--catch-up"])
        #expect(again.exit == 0 && again.output.hasPrefix("[") && again.output.contains("\"already_settled\": true"), "\(again.output)")
        #expect(try cli.ok(["settlement", "list"]).components(separatedBy: "\n").filter { $0.hasPrefix("2027-01-0") }.count == 3)
    }

    @Test("--reports naming a file: N007 says why in words (not an errno number); the day is recorded, a re-run with a folder writes them")
    func reportsIntoAFile() throws {
        let cli = try Self.yesterdayImported()
        let file = try cli.write("not-a-folder", "x")
        let result = cli.run(["settle", "--reports", file])
        #expect(result.exit == 4)
        #expect(result.errors.hasPrefix("error[N007]: the reports could not be written to \(file)/2027-01-03: cannot create the folder"),
                "\(result.errors)")
        #expect(result.errors.contains("(Not a directory)"), "\(result.errors)")
        #expect(!result.errors.contains("errno"))
        let folder = cli.folder + "/reports"
        // Typed with its slash, the folder is named without a second one.
        let written = cli.run(["settle", "--reports", folder + "/"])
        #expect(written.exit == 0 && written.output.contains("(files in \(folder)/2027-01-03/)"), "\(written.output)")
        #expect(ReportFiles.folder("/", LocalDate("2027-01-03")!) == "/2027-01-03" && ReportFiles.folder("r//", LocalDate("2027-01-03")!) == "r/2027-01-03")
        #expect(FileManager.default.fileExists(atPath: folder + "/2027-01-03/daily.csv"))
        // The CSV files are for spreadsheets: a byte order mark first; the text files have none.
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: folder + "/2027-01-03/daily.csv")).prefix(3)) == [0xEF, 0xBB, 0xBF])
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: folder + "/2027-01-03/daily.txt")).prefix(3)) != [0xEF, 0xBB, 0xBF])
    }

    @Test("N007 after the night is recorded: the night's summary is printed first (its ledger head for the nightly log), exit 4; --json puts the summary beside the error")
    func summaryBeforeN007() throws {
        let cli = try Self.yesterdayImported()
        let file = try cli.write("not-a-folder", "x")
        let text = cli.run(["settle", "--reports", file])
        #expect(text.exit == 4)
        #expect(text.errors.hasPrefix("error[N007]: the reports could not be written to \(file)/2027-01-03"), "\(text.errors)")
        let recorded = try #require(try TimeBankStore(path: cli.databasePath).settlement(on: LocalDate("2027-01-03")!))
        #expect(text.output.hasPrefix("Settled 2027-01-03.\n"), "\(text.output)")
        #expect(text.output.contains("  ledger:   \(recorded.headSequence) entr\(recorded.headSequence == 1 ? "y" : "ies"), head \(recorded.headHash)\n"), "\(text.output)")
        // Settled before, its files not written again: the same.
        let again = cli.run(["settle", "--reports", file])
        #expect(again.exit == 4 && again.output.hasPrefix("2027-01-03 was settled before"), "\(again.output)")

        let json = cli.run(["--json", "settle", "--reports", file])
        #expect(json.exit == 4)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any], "\(json.output)")
        let error = try #require(object["error"] as? [String: Any])
        #expect(error["code"] as? String == "N007" && error["exit"] as? Int == 4)
        #expect(object["date"] as? String == "2027-01-03" && object["head_hash"] as? String == recorded.headHash, "\(object)")
    }

    @Test("N007: the summary's reports line says the files were not written and names the command that writes them, in text and in --json; once written, where they are")
    func reportsLineWhenFilesNotWritten() throws {
        let cli = try Self.yesterdayImported()
        let file = try cli.write("not-a-folder", "x")
        let notWritten = " (files not written to \(file)/2027-01-03/: see the error below; once its cause is fixed, "
            + "`timebank settle --date 2027-01-03 --reports \(file)` writes them)"
        for run in [cli.run(["settle", "--reports", file]), cli.run(["settle", "--reports", file])] {   // recorded, then settled before
            #expect(run.exit == 4 && run.errors.contains("error[N007]"), "\(run.errors)")
            let line = try #require(run.output.split(separator: "\n").first { $0.hasPrefix("  reports:  ") }, "\(run.output)")
            #expect(!line.contains("files in"), "\(line)")
            #expect(line.hasPrefix("  reports:  daily, ") && line.hasSuffix(notWritten), "\(line)")
        }
        let json = cli.run(["--json", "settle", "--reports", file])
        #expect(json.exit == 4)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any], "\(json.output)")
        let files = try #require(object["report_files"] as? [String: Any], "\(object)")
        #expect(files["written"] as? Bool == false && files["folder"] as? String == "\(file)/2027-01-03/", "\(files)")
        #expect(files["command"] as? String == "timebank settle --date 2027-01-03 --reports \(file)", "\(files)")

        // The cause fixed: the files are written, and the summary says where; --json says so, without a command.
        try FileManager.default.removeItem(atPath: file)
        #expect(try cli.ok(["settle", "--reports", file]).contains(" (files in \(file)/2027-01-03/)\n"))
        let fixed = try cli.ok(["--json", "settle", "--reports", file])
        let written = try #require((try JSONSerialization.jsonObject(with: Data(fixed.utf8)) as? [String: Any])?["report_files"] as? [String: Any])
        #expect(written["written"] as? Bool == true && written["command"] is NSNull, "\(written)")
        // Without --reports there are no files to speak of.
        let none = try #require(try JSONSerialization.jsonObject(with: Data(try cli.ok(["--json", "settle"]).utf8)) as? [String: Any])
        #expect(none["report_files"] is NSNull, "\(none)")
    }

    @Test("--json --catch-up: a night that fails after earlier nights were recorded prints their summaries beside the error")
    func catchUpSummariesBesideTheError() throws {
        let cli = try Self.yesterdayImported()
        try cli.ok(["settle", "--date", "2027-01-01"])
        let reports = cli.folder + "/reports"
        try FileManager.default.createDirectory(atPath: reports, withIntermediateDirectories: true)
        _ = try cli.write("reports/2027-01-03", "x")   // the second night's folder cannot be made
        let failed = cli.run(["--json", "settle", "--catch-up", "--reports", reports])
        #expect(failed.exit == 4)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(failed.output.utf8)) as? [String: Any], "\(failed.output)")
        #expect((object["error"] as? [String: Any])?["code"] as? String == "N007")
        let nights = try #require(object["summaries"] as? [[String: Any]], "\(object)")
        #expect(nights.map { $0["date"] as? String } == ["2027-01-02", "2027-01-03"])
    }

    @Test("N007 on a night of a catch-up: the message names the day and the command; the next catch-up writes that night's files, and no half-written file is left")
    func reportsOfACaughtUpNight() throws {
        let cli = try Self.yesterdayImported()
        try cli.ok(["settle", "--date", "2027-01-01"])
        let reports = cli.folder + "/reports"
        try FileManager.default.createDirectory(atPath: reports, withIntermediateDirectories: true)
        // Only the first night's folder cannot be made (a file in its place, as a full disk or a wrong owner would refuse it).
        let blocker = try cli.write("reports/2027-01-02", "x")
        let failed = cli.run(["settle", "--catch-up", "--reports", reports])
        #expect(failed.exit == 4)
        // The night in progress is named before the error (the nightly log shows which night failed).
        #expect(failed.errors.hasPrefix("Settling 2027-01-02 (night 1 of 2, a missed night).\n"
                                        + "error[N007]: the reports could not be written to \(reports)/2027-01-02/"), "\(failed.errors)")
        #expect(failed.errors.contains("The settlement of 2027-01-02 itself is recorded; once the cause is fixed, "
                                       + "`timebank settle --date 2027-01-02 --reports \(reports)` writes its files from the database"))
        #expect(try cli.ok(["settlement", "list"]).contains("2027-01-02"))
        try FileManager.default.removeItem(atPath: blocker)

        // The nightly job's next run (a catch-up of the nights after it) writes the files of 2027-01-02 as well.
        let output = try cli.ok(["settle", "--catch-up", "--reports", reports])
        #expect(output.hasPrefix("Settled 2027-01-03.\n"), "\(output)")
        for day in ["2027-01-02", "2027-01-03"] {
            let files = try FileManager.default.contentsOfDirectory(atPath: reports + "/" + day)
            #expect(files.contains("daily.csv") && files.contains("rejects.txt"), "\(day): \(files)")
            #expect(!files.contains { $0.hasSuffix(".tmp") }, "\(day): \(files)")
        }
    }

    @Test("a report file that cannot be written leaves no half-written .tmp beside the reports")
    func noHalfWrittenReport() throws {
        let cli = try Self.yesterdayImported()
        let folder = cli.folder + "/reports/2027-01-03"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        // daily.csv is a folder: the rename of daily.csv.tmp onto it fails.
        try FileManager.default.createDirectory(atPath: folder + "/daily.csv", withIntermediateDirectories: true)
        let result = cli.run(["settle", "--reports", cli.folder + "/reports"])
        #expect(result.exit == 4 && result.errors.contains("rename failed"), "\(result.errors)")
        #expect(!(try FileManager.default.contentsOfDirectory(atPath: folder)).contains { $0.hasSuffix(".tmp") })
    }

    @Test("a stale NAME.tmp in the last night's folder (a kill between writing and renaming, its files complete) is removed by the next settlement with --reports")
    func staleTemporaryOfTheLastNightRemoved() throws {
        let cli = try Self.yesterdayImported()
        let reports = cli.folder + "/reports"
        try cli.ok(["settle", "--date", "2027-01-02", "--reports", reports])
        // Killed while writing 2027-01-02's files again (a re-run by hand): every file is there, and daily.csv.tmp beside them.
        let stale = reports + "/2027-01-02/daily.csv.tmp"
        #expect(FileManager.default.createFile(atPath: stale, contents: Data("half a report".utf8)))
        try cli.ok(["settle", "--date", "2027-01-03", "--reports", reports])
        #expect(!FileManager.default.fileExists(atPath: stale))
        #expect(FileManager.default.fileExists(atPath: reports + "/2027-01-02/daily.csv"))
    }

    @Test("the summary names awards whose points had expired before they were posted, in a NOTE line")
    func expiredOnArrivalNote() {
        var summary = SettlementSummary(date: LocalDate("2027-11-05")!)
        let context = CommandContext(output: BufferedOutput(), errors: BufferedOutput(), environment: [:],
                                     clock: FixedClock(Timestamp("2027-11-06T02:00:00.000Z")!))
        #expect(!SettleCommand.text(summary, context, unit: "积分").contains("NOTE"))
        summary.expiredOnArrival = 2
        summary.expiredOnArrivalPoints = 3_650
        #expect(SettleCommand.text(summary, context, unit: "积分").contains(
            "  NOTE:     2 awards (36.50 积分) had expired by 2027-11-05 before they were posted: the policy's [expiry], counted "
            + "from the service date, ended their points by that day (a service of long ago, accepted late), so tonight's expiry takes "
            + "them back (`timebank statement` shows both)\n"))
        #expect(SettleCommand.json(summary).rendered().contains("\"expired_on_arrival_points\": 36.50"))
    }

    @Test("a record approved by hand before the night is counted, so the records line adds up to what was read")
    func approvedBeforeIsCounted() throws {
        let cli = try Self.yesterdayImported(extraRows: "r3,V2,green,2027-01-03,17:00,18:00,\n")
        try cli.ok(["record", "approve", "r3", "--verifier", "张主任"])
        let output = try cli.ok(["settle"])
        // Read 3 = 1 approved before (r3) + 1 accepted (r1) + 0 auto-accepted + 0 rejected + 1 still pending (r2).
        #expect(output.contains("records:  3 read: 1 approved before, 1 accepted, 0 auto-accepted, 0 rejected, 1 still pending"))
        #expect(output.contains("posted:   2 records: 2 awards"))
        let json = try cli.ok(["--json", "settle", "--date", "2027-01-03"])
        #expect(json.contains("\"records_read\": 3,\n  \"approved_before\": 1,\n  \"accepted\": 1,"))
    }

    @Test("verify also checks the stations' books: a shelf changed behind their back exits 3 with V201")
    func verifyChecksStations() throws {
        let cli = try ScoringHarness()
        try cli.community()
        #expect(try cli.ok(["verify"]).contains("Stations: 0 stock levels, 0 receipts and 0 holds agree with the ledger."))
        let store = try TimeBankStore(path: cli.databasePath)
        try store.database.execute("INSERT INTO stock_levels(station, item, quantity) VALUES ('S1', 'rice_5kg', 3)")
        let result = cli.run(["verify"])
        #expect(result.exit == 3)
        #expect(result.errors.contains("V201"))
        #expect(result.errors.contains("verify FAILED: 1 problem\n"))
    }
}

/// `$TIMEBANK_UTC_OFFSET_MINUTES` decides which day `settle` closes by default: hours typed for minutes must not pass.
@Suite("settle: the community's offset from UTC")
struct SettleUTCOffsetTests {
    @Test("an offset in hours (8 for UTC+8) is refused with the minutes to write; quarter hours pass", arguments: [
        ("8", "480"), ("+8", "480"), ("-5", "-300"), ("5.75", "345"), ("8.5", "510"), ("14", "840"),
    ])
    func hoursTypedForMinutes(typed: String, minutes: String) throws {
        let cli = try CLIHarness()
        try cli.community()
        let result = cli.run(["settle"], environment: ["TIMEBANK_UTC_OFFSET_MINUTES": typed])
        #expect(result.exit == 2)
        #expect(result.errors.contains("error[U001]: TIMEBANK_UTC_OFFSET_MINUTES is \"\(typed)\"; give the community's offset from UTC in "
                                       + "minutes, a multiple of 15 from -720 to 840 (480 for China, UTC+8), or unset it. "
                                       + "Offsets are minutes: for \(typed) hours write \(minutes)"), "\(result.errors)")
        #expect(cli.run(["--json", "settlement", "list"]).output.contains("[]"), "nothing was settled")
    }

    @Test("a minute count that no time zone has is refused (without a hint when it is not hours); 0, 345 and 480 pass")
    func quarterHours() throws {
        let cli = try CLIHarness()
        try cli.community()
        let odd = cli.run(["balance"], environment: ["TIMEBANK_UTC_OFFSET_MINUTES": "470"])
        #expect(odd.exit == 2)
        #expect(odd.errors.contains("a multiple of 15 from -720 to 840"))
        #expect(!odd.errors.contains("hours write"))
        for value in ["0", "345", "480", "-720"] {
            #expect(cli.run(["balance"], environment: ["TIMEBANK_UTC_OFFSET_MINUTES": value]).exit == 0, "\(value)")
        }
    }
}

/// The policy's `timezone` decides "today" and "yesterday" when `$TIMEBANK_UTC_OFFSET_MINUTES` is not set.
@Suite("settle: the policy's time zone")
struct SettlePolicyTimeZoneTests {
    /// config/policy.toml with `timezone` replaced, as version 2 in force from 2027-01-01.
    static func version2(_ cli: ScoringHarness, timezone: String) throws -> String {
        let text = try String(contentsOfFile: ScoringCommandTests.policy, encoding: .utf8)
            .replacingOccurrences(of: "timezone = \"Asia/Shanghai\"", with: "timezone = \"\(timezone)\"")
            .replacingOccurrences(of: "version = 1 ", with: "version = 2 ")
            .replacingOccurrences(of: "effective = 2026-10-01", with: "effective = 2027-01-01")
        return try cli.write("v2.toml", text)
    }

    @Test("settle's default day is yesterday in the policy's zone: at 2027-01-04T00:00Z that is 01-03 in Shanghai, 01-02 in New York")
    func yesterdayInThePolicysZone() throws {
        let cli = try ScoringHarness()
        try cli.community()
        // 2027-01-04T00:00Z is 08:00 on 01-04 in Shanghai (UTC+8) and 19:00 on 01-03 in New York (UTC-5 in winter).
        try cli.ok(["policy", "activate", try Self.version2(cli, timezone: "America/New_York")])
        #expect(try cli.ok(["policy", "show", "--active"]).contains("time zone America/New_York"))
        #expect(try cli.ok(["settle"]).hasPrefix("Settled 2027-01-02.\n"))
        // The environment overrides the policy, for a machine or a test.
        let overridden = cli.run(["settle"], environment: ["TIMEBANK_UTC_OFFSET_MINUTES": "480"])
        #expect(overridden.exit == 0)
        #expect(overridden.output.hasPrefix("Settled 2027-01-03.\n"), "\(overridden.output)\(overridden.errors)")
    }

    @Test("an offset works as a zone name does; a version not yet in force by its own zone leaves the earlier one's zone")
    func offsetsAndVersionsNotYetInForce() throws {
        let cli = try ScoringHarness()
        try cli.community()
        try cli.ok(["policy", "activate", try Self.version2(cli, timezone: "-10:00")])
        // 2027-01-03 14:00 at UTC-10: yesterday is 2027-01-02.
        #expect(try cli.ok(["settle"]).hasPrefix("Settled 2027-01-02.\n"))

        let later = try ScoringHarness()
        try later.community()
        let text = try String(contentsOfFile: try Self.version2(later, timezone: "-10:00"), encoding: .utf8)
            .replacingOccurrences(of: "effective = 2027-01-01", with: "effective = 2027-01-04")
        try later.ok(["policy", "activate", try later.write("v2-later.toml", text)])
        // Version 2 starts on 2027-01-04, which has not come at UTC-10 (it is 01-03 there): version 1's Shanghai decides.
        #expect(try later.ok(["settle"]).hasPrefix("Settled 2027-01-03.\n"))
    }

    @Test("a stored version whose zone this machine does not know: one warning on stderr, and today taken at UTC+8")
    func storedZoneUnknownHere() throws {
        let cli = try ScoringHarness()
        try cli.community()
        try cli.ok(["policy", "activate", try Self.version2(cli, timezone: "America/New_York")])
        // As if activated on a machine whose time zone database knew a name this one does not: text and hash replaced.
        let store = try TimeBankStore(path: cli.databasePath, clock: cli.clock)
        try store.database.execute("DROP TRIGGER policy_versions_append_only_update")
        let text = try store.policyText(version: 2).replacingOccurrences(of: "America/New_York", with: "Mars/Olympus_Mons")
        try store.database.execute("UPDATE policy_versions SET text = '\(text.replacingOccurrences(of: "'", with: "''"))', "
                                   + "sha256 = '\(SHA256.hexHash(utf8: text))' WHERE number = 2")
        let result = cli.run(["settle"])
        #expect(result.exit == 0, "\(result.errors)")
        // 2027-01-04T00:00Z is 08:00 on 01-04 at UTC+8: yesterday is 01-03 (New York's would have been 01-02).
        #expect(result.output.hasPrefix("Settled 2027-01-03.\n"), "\(result.output)")
        let warning = "warning: the policy in force has timezone = \"Mars/Olympus_Mons\", a name this machine's time zone database does not know"
        #expect(result.errors.components(separatedBy: warning).count == 2, "once: \(result.errors)")
        // The environment's offset decides without a warning.
        let overridden = cli.run(["settle", "--date", "2027-01-03"], environment: ["TIMEBANK_UTC_OFFSET_MINUTES": "480"])
        #expect(!overridden.errors.contains("warning:"), "\(overridden.errors)")
    }

    @Test("a stored time is shown at the offset of its own day: New York is UTC-5 in January and UTC-4 in July")
    func storedTimesAtTheirOwnOffset() throws {
        let cli = try ScoringHarness()
        try cli.community()
        try cli.ok(["policy", "activate", try Self.version2(cli, timezone: "America/New_York")])
        let context = CommandContext(output: BufferedOutput(), errors: BufferedOutput(),
                                     environment: ["TIMEBANK_DB": cli.databasePath], clock: cli.clock)
        #expect(context.utcOffsetMinutes == -300)
        #expect(context.utcOffsetMinutes(at: Timestamp("2027-07-01T12:00:00.000Z")!) == -240)
        #expect(Receipt.localTime(Timestamp("2027-07-01T12:00:00.000Z")!, utcOffsetMinutes: context.utcOffsetMinutes(at: Timestamp("2027-07-01T12:00:00.000Z")!))
                == "2027-07-01 08:00:00 (UTC-4)")
        // The environment's fixed offset is used for every time, as before.
        let fixed = CommandContext(output: BufferedOutput(), errors: BufferedOutput(),
                                   environment: ["TIMEBANK_DB": cli.databasePath, "TIMEBANK_UTC_OFFSET_MINUTES": "480"], clock: cli.clock)
        #expect(fixed.utcOffsetMinutes(at: Timestamp("2027-07-01T12:00:00.000Z")!) == 480)
    }

    /// A booking lapses, and a night counts its lapsed holds, at the end of the day: at that day's offset, not today's. In New
    /// York summer time ends on 2027-11-07 and starts on 2027-03-14 (at 02:00, not at midnight).
    @Test("a day ends at its own offset in a zone with summer time: New York's 1 November at UTC-4, 8 November at UTC-5, whatever today's")
    func dayEndsAtItsOwnOffset() throws {
        let cli = try ScoringHarness()
        try cli.community()
        try cli.ok(["policy", "activate", try Self.version2(cli, timezone: "America/New_York")])
        let store = try TimeBankStore(path: cli.databasePath, clock: cli.clock)
        let context = CommandContext(output: BufferedOutput(), errors: BufferedOutput(),
                                     environment: ["TIMEBANK_DB": cli.databasePath], clock: cli.clock)
        #expect(context.utcOffsetMinutes == -300, "January")
        for (day, offset) in [("2027-11-06", -240), ("2027-11-07", -300), ("2027-11-08", -300), ("2027-03-13", -300), ("2027-03-14", -240),
                              ("2027-07-01", -240), ("2026-12-31", 480)] {   // before version 2: version 1's Shanghai
            #expect(try store.communityOffsetMinutes(atEndOf: LocalDate(day)!) == offset, "\(day)")
            // The command line (a booking's lapse) agrees, the zone of the version in force on that day included.
            #expect(context.utcOffsetMinutes(atEndOf: LocalDate(day)!) == offset, "\(day)")
        }
        // So a booking for 1 July, made in January, lapses at 2027-07-02 00:00 EDT, 04:00Z (it was 05:00Z, at January's offset).
        #expect(Hold.defaultExpiry(serviceDate: LocalDate("2027-07-01")!, utcOffsetMinutes: context.utcOffsetMinutes(atEndOf: LocalDate("2027-07-01")!))
                == Timestamp("2027-07-02T04:00:00.000Z")!)
        // The environment's fixed offset decides every day, as before.
        let fixed = CommandContext(output: BufferedOutput(), errors: BufferedOutput(),
                                   environment: ["TIMEBANK_DB": cli.databasePath, "TIMEBANK_UTC_OFFSET_MINUTES": "480"], clock: cli.clock)
        #expect(fixed.utcOffsetMinutes(atEndOf: LocalDate("2027-07-01")!) == 480)
    }

    @Test("a zone name the system does not know is refused by policy check and activate, with the nearest name")
    func unknownZoneName() throws {
        let cli = try ScoringHarness()
        try cli.community()
        let path = try Self.version2(cli, timezone: "Asia/Shangai")
        for command in [["policy", "check", path], ["policy", "activate", path]] {
            let result = cli.run(command)
            #expect(result.exit == 2, "\(command)")
            let printed = result.output + result.errors
            #expect(printed.contains("error[P103]: \"timezone\" is \"Asia/Shangai\", a name this system's time zone database does not know"))
            #expect(printed.contains("help: did you mean \"Asia/Shanghai\"?"))
        }
        #expect(try cli.ok(["policy", "show", "--active"]).contains("version 1,"), "nothing was activated")
    }
}
