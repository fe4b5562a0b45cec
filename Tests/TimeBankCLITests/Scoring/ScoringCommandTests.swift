import Foundation
import Testing
import TimeBankCore
import TimeBankStorage
@testable import TimeBankCLI

/// The record, score, explain, policy test and whatif commands, run in-process.
@Suite("Scoring commands")
struct ScoringCommandTests {
    static let repositoryRoot = ScoringDocExamplesTests.repositoryRoot
    static let policy = repositoryRoot + "/config/policy.toml"

    /// A community (H1, V1, V2, S1) with config/policy.toml active.
    static func community() throws -> ScoringHarness {
        let harness = try ScoringHarness()
        try harness.community()
        return harness
    }

    static let records = """
        id,volunteer,category,date,start,end,verifier,tags,note
        r1,V1,orange,2026-10-03,09:00,10:30,社区,,"探访独居老人
        第二行"
        r2,V1,red,2026-10-12,09:00,12:00,社区,,
        r3,V2,green,2026-10-12,09:00,13:00,社区,,
        r4,V2,green,2026-10-12,14:00,16:00,,,
        r5,V9,red,2026-10-12,09:00,10:00,社区,,
        r6,V1,red,2026-10-12,11:00,12:30,社区,,

        """

    @Test("record import: rejected rows named with row and column, counts that add up, exit 2; again adds nothing")
    func importCommand() throws {
        let harness = try Self.community()
        let file = try harness.write("october.csv", Self.records)
        let first = harness.run(["record", "import", file])
        #expect(first.exit == 2)
        #expect(first.output.contains("read 6 rows: 4 stored as pending, 0 duplicates (0 stored before, 0 repeated in the file), 2 rejected"))
        #expect(first.errors.contains("october.csv:7:4: error[E003]: row 6, column \"volunteer\": no volunteer \"V9\""))
        #expect(first.errors.contains("error[E010]: row 7, column \"start\": 11:00–12:30 overlaps record default:r2"))
        let again = harness.run(["record", "import", file, "--json"])
        #expect(again.output.contains("\"stored\": 0") && again.output.contains("\"already_stored\": 4") && again.output.contains("\"rejected\": 2"))

        let list = try harness.ok(["record", "list", "--status", "pending"])
        #expect(list.contains("r1") && list.contains("4 records"))
        let show = try harness.ok(["record", "show", "r1"])
        #expect(show.contains("note            探访独居老人\n                第二行") && show.contains("pending"))
        let noVerifier = harness.run(["record", "approve", "r4"])
        #expect(noVerifier.exit == 1 && noVerifier.errors.contains("error[E103]"))
        // r3 named twice is approved once, not refused as decided by its own first mention.
        #expect(try harness.ok(["record", "approve", "r1", "r2", "r3", "r3"]).contains("Approved 3 records: r1, r2, r3\n"))
        #expect(try harness.ok(["record", "reject", "r4", "--reason", "未核实"]).contains("Rejected 1 record: r4"))
        // Sent again (a retry), an approval changes nothing and is not refused; a rejected record is.
        let twice = try harness.ok(["record", "approve", "r1", "r2"])
        #expect(twice.contains("r1 was approved already (") && twice.contains("r2 was approved already (") && !twice.contains("Approved"))
        let rejectedOne = harness.run(["record", "approve", "r4", "--verifier", "张主任"])
        #expect(rejectedOne.exit == 1 && rejectedOne.errors.contains("error[E102]: record default:r4 is rejected already"))
        #expect(rejectedOne.errors.contains("for \"未核实\""))
        #expect(try harness.ok(["record", "reject", "r4", "--reason", "未核实"]).contains("r4 was rejected already ("))
        let otherReason = harness.run(["record", "reject", "r4", "--reason", "重复"])
        #expect(otherReason.exit == 1 && otherReason.errors.contains("error[E102]"))
        // A retry that names a record that does not exist still says so.
        let missingOne = harness.run(["record", "approve", "r1", "r99"])
        #expect(missingOne.exit == 2 && missingOne.errors.contains("error[E100]: no record \"r99\""))
        let missing = harness.run(["record", "show", "r99"])
        #expect(missing.exit == 2 && missing.errors.contains("error[E100]"))
        // An id typed in full width, or with a hyphen, names the stored id (the did-you-mean of every unknown id).
        for typed in ["ｒ１", "R-1"] {
            let near = harness.run(["record", "show", typed])
            #expect(near.exit == 2 && near.errors.hasPrefix("error[E100]: no record \"\(typed)\"; did you mean \"r1\"?"), "\(near.errors)")
        }
    }

    @Test("record import: records dated before their volunteer joined are stored, with a WARNING naming them and both remedies")
    func datedBeforeJoining() throws {
        let harness = try Self.community()
        try harness.ok(["volunteer", "add", "--id", "V3", "--name", "Wang", "--joined", "2026-10-12"])
        let file = try harness.write("late.csv", """
            id,volunteer,category,date,start,end,verifier
            e1,V3,orange,2026-10-03,09:00,10:00,社区
            e2,V3,orange,2026-10-12,09:00,10:00,社区
            e3,V1,orange,2026-10-03,09:00,10:00,社区

            """)
        let text = try harness.ok(["record", "import", file, "--source", "paper"])
        #expect(text.hasSuffix("""
            read 3 rows: 3 stored as pending, 0 duplicates (0 stored before, 0 repeated in the file), 0 rejected
            WARNING: 1 record stored now is dated before its volunteer joined; stored as pending all the same:
              row 2, e1: V3 on 2026-10-03, joined 2026-10-12
              If a day of joining is wrong (`volunteer add` without --joined takes the day it ran): \
            `timebank volunteer update V3 --joined YYYY-MM-DD --reason TEXT`. If a record's date is wrong: \
            `timebank record reject e1 --source paper --reason TEXT`, then import it corrected under a new id.

            """), "\(text)")
        let json = try harness.ok(["record", "import", try harness.write("more.csv", """
            id,volunteer,category,date,start,end,verifier
            e4,V3,orange,2026-10-04,09:00,10:00,社区

            """), "--json"])
        #expect(json.contains("""
              "dated_before_joining": 1,
              "dated_before_joining_first": [
                {
                  "row": 2,
                  "id": "e4",
                  "volunteer": "V3",
                  "date": "2026-10-04",
                  "joined": "2026-10-12"
                }
              ]
            """), "\(json)")
        // Imported again: nothing stored now, no warning.
        #expect(!(try harness.ok(["record", "import", file, "--source", "paper"])).contains("WARNING"))
    }

    /// `score --policy` of a policy that earns to households, without --db or --volunteers, scored each record to its
    /// volunteer's own account, with that account's caps, and said nothing.
    @Test("score of a policy that earns to households, with no volunteers known, says each record is scored to its volunteer's account")
    func scoreNotesHouseholdsUnknown() throws {
        let harness = try Self.community()
        let file = try harness.write("one.csv", "id,volunteer,category,date,minutes,verifier\nh1,V1,orange,2026-10-03,60,张主任\n")
        let household = try harness.write("household.toml", try String(contentsOfFile: Self.policy, encoding: .utf8)
            .replacingOccurrences(of: "earn_to = \"volunteer\"", with: "earn_to = \"household\""))
        let unknown = harness.run(["score", "--policy", household, file])
        #expect(unknown.exit == 0, "\(unknown.errors)")
        #expect(unknown.errors.contains("note: the policy earns to households (earn_to = \"household\"), but without --db or --volunteers"), "\(unknown.errors)")
        // A policy that earns to volunteers needs no note.
        #expect(harness.run(["score", "--policy", Self.policy, file]).errors.isEmpty)
    }

    /// E029 needs the volunteer's name: with --db or --volunteers the dry run refuses what the import would; without a
    /// community there is no name to compare with, and the row is scored, as unknown volunteer ids are.
    @Test("score: a record verified by its own volunteer is E029 with --db or --volunteers, scored without a community; record approve --verifier too")
    func scoreSelfVerified() throws {
        let harness = try Self.community()
        let file = try harness.write("self.csv", """
            id,volunteer,category,date,minutes,verifier
            v1,V1,orange,2026-10-03,60,王秀英
            v2,V2,orange,2026-10-03,60,Ｌｉ
            v3,V2,orange,2026-10-04,60,王秀英

            """)
        let volunteers = try harness.write("volunteers.csv", "id,name,joined\nV1,王秀英,2024-05-01\nV2,Li,2024-05-01\n")
        for arguments in [["--db", harness.databasePath, "score", file], ["score", "--policy", Self.policy, file, "--volunteers", volunteers]] {
            let run = harness.run(arguments)
            #expect(run.exit == 2, "\(arguments)")
            #expect(run.errors.contains("self.csv:2:28: error[E029]: row 2, column \"verifier\": record v1 names its own volunteer 王秀英 (V1) "
                + "as its verifier"), "\(run.errors)")
            #expect(run.errors.contains("error[E029]: row 3, column \"verifier\": record v2 names its own volunteer Li (V2)"), "\(run.errors)")
            #expect(!run.errors.contains("row 4"), "\(run.errors)")
        }
        let bare = harness.run(["score", "--policy", Self.policy, file])
        #expect(bare.exit == 0 && bare.errors.isEmpty, "\(bare.errors)")
        #expect(bare.output.contains("v1 ") && bare.output.contains("v2 "), "\(bare.output)")

        _ = try harness.write("waiting.csv", "id,volunteer,category,date,minutes,verifier\nw1,V1,orange,2026-10-05,60,\n")
        try harness.ok(["record", "import", harness.folder + "/waiting.csv"])
        let approve = harness.run(["record", "approve", "w1", "--verifier", "王秀英"])
        #expect(approve.exit == 1 && approve.errors.contains("error[E029]: record default:w1 cannot be approved with --verifier 王秀英"))
        #expect(try harness.ok(["record", "show", "w1"]).contains("pending"))
    }

    @Test("score (the dry run) gives the WARNINGs record import would (I110, I111), without and with --db, text and --json")
    func scoreShowsSlipWarnings() throws {
        let harness = try Self.community()
        let file = try harness.write("slips.csv", """
            id,volunteer,category,date,start,end,minutes,verifier
            s1,V1,orange,2026-10-03,09:00,11:00,,张主任
            s2,V2,orange,2026-10-03,,,1200,张主任
            s4,V1,orange,2026-10-03,,,120,李主任

            """)
        let text = harness.run(["score", "--policy", Self.policy, file])
        #expect(text.exit == 0)
        // The table shows the minutes that count beside those typed, so that its column adds up to the totals (120 + 480 + 120).
        let s2 = text.output.split(separator: "\n").first { $0.hasPrefix("s2 ") }.map(String.init) ?? ""
        #expect(s2.contains(" 480 of 1200 "), "\(text.output)")
        #expect(text.output.contains("volunteer:V2        1      480 "), "\(text.output)")
        #expect(text.output.hasSuffix("""

            WARNING[I110]: 1 record of the file has more minutes than the policy counts in one record (max_minutes_per_record); \
            scored all the same:
              row 3, s2: 1200 minutes typed; only 480 will count (max_minutes_per_record of the policy in force on 2026-10-03, \
            \(Self.policy)): did you mean 120?
              If the minutes are wrong, correct the row before importing the file (`record import` stores it with this warning). \
            A service that really was that long (a whole day's event) needs nothing: it counts as the policy says.
            WARNING[I111]: 1 record of the file looks like the same service as another record, one with times and one with minutes \
            only; scored all the same:
              row 4, s4: V1, orange on 2026-10-03, 120 minutes, no times; record s1 is the same volunteer, day, category and duration \
            (09:00–11:00): the same service typed twice?
              If it is one service, leave one of the two out before importing the file (a record stored already: \
            `timebank record reject ID --reason TEXT`). Two services of the same length need nothing.

            """), "\(text.output)")
        // With --db, against the stored records too: s1 stored, a file of s4 alone is the same service as it.
        try harness.ok(["record", "import", try harness.write("s1.csv", "id,volunteer,category,date,start,end,verifier\ns1,V1,orange,2026-10-03,09:00,11:00,张主任\n")])
        let alone = try harness.write("s4.csv", "id,volunteer,category,date,minutes,verifier\ns4,V1,orange,2026-10-03,120,李主任\n")
        let json = try harness.ok(["--db", harness.databasePath, "--json", "score", alone])
        #expect(json.contains("""
              "minutes_over_counted": 0,
              "same_service_twice": 1,
              "deduction_broken": 0,
              "minutes_below_minimum": 0,
              "zero_minutes_no_penalty": 0,
              "warnings": [
                {
                  "code": "I111",
                  "row": 2,
                  "id": "s4",
                  "source": "default",
                  "message": "V1, orange on 2026-10-03, 120 minutes, no times; record s1 is the same volunteer, day, category and duration (09:00–11:00): the same service typed twice?"
                }
              ],
            """), "\(json)")
        // A file without slips has none.
        #expect(!(try harness.ok(["score", "--policy", Self.policy, try harness.write("ok.csv", "id,volunteer,category,date,minutes,verifier\nk1,V2,red,2026-10-05,60,张主任\n")])).contains("WARNING"))
    }

    @Test("record import: minutes over max_minutes_per_record (I110) and the same service typed twice (I111) are stored, with WARNINGs naming them")
    func slipWarnings() throws {
        let harness = try Self.community()
        let file = try harness.write("slips.csv", """
            id,volunteer,category,date,start,end,minutes,verifier
            s1,V1,orange,2026-10-03,09:00,11:00,,张主任
            s2,V2,orange,2026-10-03,,,1200,张主任
            s3,V2,green,2026-10-04,08:00,20:00,,张主任
            s4,V1,orange,2026-10-03,,,120,李主任

            """)
        let text = try harness.ok(["record", "import", file])
        #expect(text.hasSuffix("""
            read 4 rows: 4 stored as pending, 0 duplicates (0 stored before, 0 repeated in the file), 0 rejected
            WARNING[I110]: 2 records stored now have more minutes than the policy counts in one record (max_minutes_per_record); \
            stored as pending all the same:
              row 3, s2: 1200 minutes typed; only 480 will count (max_minutes_per_record of the policy in force on 2026-10-03, #1): \
            did you mean 120?
              row 4, s3: 08:00–20:00 is 720 minutes; only 480 will count (max_minutes_per_record of the policy in force on 2026-10-04, #1)
              If the minutes are wrong, reject the record before the nightly settlement accepts it: \
            `timebank record reject s2 --reason TEXT`, then import it corrected under a new id. A service that really was that long \
            (a whole day's event) needs nothing: it counts as the policy says.
            WARNING[I111]: 1 record stored now looks like the same service as another record, one with times and one with minutes only; \
            stored as pending all the same:
              row 5, s4: V1, orange on 2026-10-03, 120 minutes, no times; record s1 is the same volunteer, day, category and duration \
            (09:00–11:00): the same service typed twice?
              If it is one service, reject one of the two before the nightly settlement accepts it: \
            `timebank record reject s4 --reason TEXT`. Two services of the same length need nothing.

            """), "\(text)")
        // The other team leader's sheet, under its own source: the stored record is named with its source.
        let json = try harness.ok(["record", "import", try harness.write("team2.csv", """
            id,volunteer,category,date,minutes,verifier
            1,V2,green,2026-10-04,720,王组长

            """), "--source", "team2", "--json"])
        #expect(json.contains("""
              "minutes_over_counted": 1,
              "same_service_twice": 1,
              "deduction_broken": 0,
              "minutes_below_minimum": 0,
              "zero_minutes_no_penalty": 0,
              "warnings": [
                {
                  "code": "I110",
                  "row": 2,
                  "id": "1",
                  "source": "team2",
                  "message": "720 minutes typed; only 480 will count (max_minutes_per_record of the policy in force on 2026-10-04, #1)"
                },
                {
                  "code": "I111",
                  "row": 2,
                  "id": "1",
                  "source": "team2",
                  "message": "V2, green on 2026-10-04, 720 minutes, no times; record default:s3 is the same volunteer, day, category and duration (08:00–20:00): the same service typed twice?"
                }
              ]
            """), "\(json)")
        // Imported again: nothing stored now, no warning; a file without slips has none.
        #expect(!(try harness.ok(["record", "import", file])).contains("WARNING"))
        // Hours typed in the minutes column: 2 is under min_minutes (30), so it earns nothing; I113 says so, and the
        // minutes 2 hours would be, as text and in --json.
        let hours = try harness.write("team3.csv", "id,volunteer,category,date,minutes,verifier\nh1,V1,orange,2026-10-05,2,张主任\n")
        let warned = try harness.ok(["record", "import", hours, "--source", "team3"])
        #expect(warned.contains("WARNING[I113]") && warned.contains("row 2, h1:") && warned.contains("did you mean 120?"), "\(warned)")
        let again = try harness.ok(["record", "import", try harness.write("team4.csv", "id,volunteer,category,date,minutes,verifier\n"
            + "h2,V2,orange,2026-10-06,2,张主任\n"), "--source", "team4", "--json"])
        #expect(again.contains("\"minutes_below_minimum\": 1,") && again.contains("\"code\": \"I113\""), "\(again)")
        // A no-show written 缺席 where the policy's penalty reads the tag no_show: 0 minutes, nothing posted; I114 names the
        // penalty and what it reads, and how to put it right.
        let absent = try harness.write("team5.csv", "id,volunteer,category,date,minutes,verifier,tags\nq1,V1,orange,2026-10-07,0,张主任,缺席\n")
        let named = try harness.ok(["record", "import", absent, "--source", "team5"])
        #expect(named.contains("""
            WARNING[I114]: 1 record stored now has 0 minutes and no penalty that applies, so it posts nothing; stored as pending all the same:
              row 2, q1: 0 minutes, tags 缺席: no penalty applies, so it posts nothing; the penalties of the policy in force on 2026-10-07 (#1): no_show 无故缺席 when record.tags.contains("no_show")
              If the volunteer signed up and did not come, reject the record before the nightly settlement accepts it: `timebank record reject q1 --reason TEXT`, then import it again under a new id with what the penalty reads (its condition, above; a tag goes in the tags column). A record meant to post nothing needs nothing.
            """), "\(named)")
        let counted = try harness.ok(["record", "import", try harness.write("team6.csv", "id,volunteer,category,date,minutes,verifier\n"
            + "q2,V2,orange,2026-10-07,0,张主任\n"), "--source", "team6", "--json"])
        #expect(counted.contains("\"zero_minutes_no_penalty\": 1,") && counted.contains("\"code\": \"I114\""), "\(counted)")
    }

    @Test("record import: a sheet's title above the header (a merged cell) is skipped with a note; rows keep the spreadsheet's numbers")
    func titleAboveTheHeader() throws {
        let harness = try Self.community()
        let file = try harness.write("titled.csv", """
            太白湖社区十月服务记录,,,,,,
            id,volunteer,category,date,start,end,verifier
            t1,V1,orange,2026-10-03,09:00,10:00,社区
            t2,V9,orange,2026-10-03,09:00,10:00,社区

            """)
        let result = harness.run(["record", "import", file])
        #expect(result.exit == 2)
        #expect(result.output.contains("read 2 rows: 1 stored as pending"), "\(result.output)")
        #expect(result.errors.hasPrefix("note: \(file):1: \"太白湖社区十月服务记录\" is read as the sheet's title and skipped; the header is the row below it\n"),
                "\(result.errors)")
        #expect(result.errors.contains("titled.csv:4:4: error[E003]: row 4, column \"volunteer\""), "\(result.errors)")
        let json = harness.run(["record", "import", file, "--json"]).output
        #expect(json.contains("\"skipped_titles\": [\n    {\n      \"line\": 1,\n      \"text\": \"太白湖社区十月服务记录\""), "\(json)")
        // A file of one-cell rows has no header: E040 says what was read as a title.
        let noHeader = harness.run(["record", "import", try harness.write("one.csv", "十月记录\n张三\n")])
        #expect(noHeader.exit == 2 && noHeader.errors.contains("error[E040]: the file has no header row"), "\(noHeader.errors)")
        #expect(noHeader.errors.contains("every row has one cell, read as a title above the header (line 1: \"十月记录\", and 1 more)"))
        // A header of known columns is never a title, even alone: it is refused as a header (no category column).
        let lone = harness.run(["record", "import", try harness.write("lone.csv", "id\nx1\n")])
        #expect(lone.exit == 2 && !lone.errors.contains("title"), "\(lone.errors)")
    }

    /// A store of some years holds a million records: the list shows the latest (as `entry list` shows the newest), in
    /// canonical order, and says how many earlier ones match; the oldest are found with --from/--to.
    @Test("record list shows the latest 1,000 records and how many earlier match; --limit shows the latest N; --json every one")
    func listCutAtAThousand() throws {
        let harness = try Self.community()
        var rows = ["id,volunteer,category,date,minutes,verifier"]
        for index in 0..<1_003 {
            let day = LocalDate("2026-10-01")!.adding(days: index / 24 % 30)
            rows.append("m\(index),V\(index % 2 + 1),orange,\(day),1,社区")
        }
        let file = try harness.write("many.csv", rows.joined(separator: "\n") + "\n")
        #expect(try harness.ok(["record", "import", file]).contains("1003 stored as pending"))
        let text = try harness.ok(["record", "list"])
        #expect(text.hasSuffix("the latest 1000 records; 3 earlier match: give --limit N to see more, or narrow the list with "
                               + "--from/--to, --volunteer or --status\n"), "\(text.suffix(300))")
        #expect(text.split(separator: "\n").count == 1_000 + 3)   // the header, its rule, the rows and the count line
        // The 3 left out are the earliest: m0, m1 and m10 of 2026-10-01 (ids in byte order); the last row is the latest
        // record, in canonical order.
        let ids = text.split(separator: "\n").dropFirst(2).dropLast().map { String($0.split(separator: " ")[0]) }
        #expect(!ids.contains("m0") && !ids.contains("m1") && !ids.contains("m10") && ids.contains("m11") && ids.contains("m2"))
        #expect(ids.last == "m719", "the last of 2026-10-30 in canonical order: \(ids.suffix(3))")
        #expect(try harness.ok(["record", "list", "--limit", "1003"]).hasSuffix("\n1003 records\n"))
        // A --limit that cuts the list says so too: "2 records" for the latest 2 of 1,003 would read as all there are.
        let two = try harness.ok(["record", "list", "--limit", "2"])
        #expect(two.hasSuffix("\nthe latest 2 records; 1001 earlier match: give a larger --limit to see more, or narrow the list with "
                              + "--from/--to, --volunteer or --status\n"))
        #expect(try harness.ok(["record", "list", "--limit", "1002"]).hasSuffix("; 1 earlier matches: give a larger --limit to see more, "
                                                                               + "or narrow the list with --from/--to, --volunteer or --status\n"))
        #expect(try harness.ok(["record", "list", "--volunteer", "V1"]).hasSuffix("\n502 records\n"))
        // The earliest, by a range.
        #expect(try harness.ok(["record", "list", "--to", "2026-10-01"]).contains("m0 "))
        let json = try harness.ok(["record", "list", "--json"])
        #expect(json.components(separatedBy: "\"status\":").count - 1 == 1_003)
        // --json with --limit: the latest too.
        let latestJSON = try harness.ok(["record", "list", "--json", "--limit", "1"])
        #expect(latestJSON.contains("\"id\": \"m719\""), "\(latestJSON.prefix(200))")
    }

    @Test("record approve and reject --file: one id per line, or a CSV with an id column; a line of several values is refused with its line")
    func decisionsFromAFile() throws {
        let harness = try Self.community()
        _ = harness.run(["record", "import", try harness.write("october.csv", Self.records)])
        let several = harness.run(["record", "approve", "--file", try harness.write("bad.txt", "r1\nr1,r2\n")])
        #expect(several.exit == 2 && several.errors.hasSuffix("bad.txt:2: \"r1,r2\" is more than one value; write one record id per line, "
            + "or give the file a header line with an id column (id,volunteer,...)\n"))
        let empty = harness.run(["record", "approve", "--file", try harness.write("empty.txt", "# nothing yet\n")])
        #expect(empty.exit == 2 && empty.errors.contains("names no record: write one record id per line"))
        let none = harness.run(["record", "approve"])
        #expect(none.exit == 2 && none.errors.contains("name at least one record: its id, or --file FILE with the ids"))
        // Nothing was decided by the refused commands: r1 is still pending.
        #expect(try harness.ok(["record", "show", "r1"]).contains("pending"))

        let list = try harness.write("checked.txt", "\u{FEFF}# 张主任 checked these on 13 October\nr1\n\n r2 \nr1\n")
        #expect(try harness.ok(["record", "approve", "--file", list]).contains("Approved 2 records: r1, r2\n"))
        // A spreadsheet saved as CSV: its id column is read, the other columns are not.
        let sheet = try harness.write("sheet.csv", "\u{FEFF}id,volunteer,note\nr3,V2,好\n,V2,\n")
        #expect(try harness.ok(["record", "approve", "r2", "--file", sheet]).contains("Approved 1 record: r3\n"))
        let rejects = try harness.write("reject.txt", "r4\n")
        #expect(try harness.ok(["record", "reject", "--file", rejects, "--reason", "未核实"]).contains("Rejected 1 record: r4"))
    }

    @Test("record approve and reject --file read the record column (SOURCE:ID) of report rejects' CSV: a month's pending records decided from the report")
    func decisionsFromTheRejectsReport() throws {
        let harness = try Self.community()
        _ = harness.run(["record", "import", try harness.write("october.csv", Self.records)])
        // r2, r3 and r4 of 12 October wait (r5 names no volunteer of the community, r6 overlaps r2: neither was stored).
        let pending = harness.folder + "/pending.csv"
        #expect(try harness.ok(["report", "rejects", "--from", "2026-10-12", "--to", "2026-10-12", "--out", pending])
            .contains("(3 rows, csv)"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: pending)).starts(with: Array("\u{FEFF}status,record,".utf8)))
        let approved = try harness.ok(["record", "approve", "--file", pending, "--verifier", "张主任"])
        #expect(approved.contains("Approved 3 records: "), "\(approved)")
        for id in ["r2", "r3", "r4"] { #expect(try harness.ok(["record", "show", id]).contains("approved")) }
        // The report's reason column is not read: a rejection keeps --reason.
        let one = try harness.write("one.csv", "status,record,reason\npending,default:r1,no verifier yet\n")
        #expect(try harness.ok(["record", "reject", "--file", one, "--reason", "与纸质记录重复"]).contains("Rejected 1 record: r1\n"))
        #expect(try harness.ok(["record", "show", "r1"]).contains("与纸质记录重复"))
        let empty = harness.run(["record", "approve", "--file", try harness.write("none.csv", "status,record\n")])
        #expect(empty.exit == 2 && empty.errors.contains("has a record column but no row with a record in it"))
    }

    @Test("record reject --file with a reason column: each record its own reason, --reason for the empty cells; a row with none is refused with its line")
    func rejectionReasonsFromAFile() throws {
        let harness = try Self.community()
        _ = harness.run(["record", "import", try harness.write("october.csv", Self.records)])
        let checked = try harness.write("checked.csv", "id,reason\nr1,重复登记\nr2,\nr3,\" 未核实 \"\n")
        let refused = harness.run(["record", "reject", "--file", checked])
        #expect(refused.exit == 2 && refused.errors.hasSuffix("1 row of \(checked) has no reason and there is no --reason: \(checked):3 (r2). "
            + "Write its reason, or give --reason for the rows without one; nothing was rejected\n"), "\(refused.errors)")
        for id in ["r1", "r2", "r3"] { #expect(try harness.ok(["record", "show", id]).contains("pending")) }

        let rejected = try harness.ok(["record", "reject", "--file", checked, "--reason", "时长不符"])
        #expect(rejected == "Rejected 3 records: r1 (重复登记), r2 (时长不符), r3 (未核实)\n", "\(rejected)")
        #expect(try harness.ok(["record", "show", "r1"]).contains("重复登记"))
        #expect(try harness.ok(["record", "show", "r2"]).contains("时长不符"))
        let json = try harness.ok(["record", "show", "r3", "--json"])
        #expect(json.contains("\"reason\": \"未核实\""), "\(json)")
        // Sent again, each with its own reason: nothing changes.
        let again = try harness.ok(["record", "reject", "--file", checked, "--reason", "时长不符"])
        #expect(again.components(separatedBy: "was rejected already").count - 1 == 3, "\(again)")
        // Without --reason and without a reason column there is nothing to keep.
        let bare = harness.run(["record", "reject", "--file", try harness.write("ids.txt", "r4\n")])
        #expect(bare.exit == 2 && bare.errors.contains("missing --reason: say why the records are rejected, or give "), "\(bare.errors)")
    }

    @Test("record reject --file: a record named twice with two reasons is refused, in the file or as ID and SOURCE:ID")
    func rejectionReasonsThatDisagree() throws {
        let harness = try Self.community()
        _ = harness.run(["record", "import", try harness.write("october.csv", Self.records)])
        let twice = try harness.write("twice.csv", "id,reason\nr4,重复登记\nr2,未核实\nr4,未核实\n")
        let refused = harness.run(["record", "reject", "--file", twice])
        #expect(refused.exit == 2 && refused.errors.contains("a record named twice has two reasons: r4 has \"重复登记\" (\(twice):2) "
            + "and \"未核实\" (\(twice):4)"), "\(refused.errors)")
        let one = try harness.write("one.csv", "id,reason\nr4,重复登记\n")
        let crossed = harness.run(["record", "reject", "default:r4", "--reason", "未核实", "--file", one])
        #expect(crossed.exit == 2 && crossed.errors.contains("E104") && crossed.errors.contains("is given twice"), "\(crossed.errors)")
        #expect(try harness.ok(["record", "show", "r4"]).contains("pending"))
        #expect(try harness.ok(["record", "show", "r2"]).contains("pending"))
    }

    @Test("record reject --file of the rejects report: its reason (why a record waits) is never a rejection's; reject_reason is")
    func rejectsReportReasonNotTaken() throws {
        let harness = try Self.community()
        _ = harness.run(["record", "import", try harness.write("october.csv", Self.records)])
        let pending = harness.folder + "/pending.csv"
        _ = try harness.ok(["report", "rejects", "--from", "2026-10-12", "--to", "2026-10-12", "--out", pending])
        let refused = harness.run(["record", "reject", "--file", pending])
        #expect(refused.exit == 2 && refused.errors.contains("missing --reason: \(pending) is the rejects report, whose reason column says "
            + "why a record waits, not why to reject it, and is not read. Write each record's reason in a column of its own, "
            + "reject_reason, or give --reason for all"), "\(refused.errors)")
        for id in ["r2", "r3", "r4"] { #expect(try harness.ok(["record", "show", id]).contains("pending")) }

        let decided = try harness.write("decided.csv", """
            status,record,date,who,subject,reason,reject_reason
            pending,default:r2,2026-10-12,V1,red,waits for auto-acceptance,重复登记
            pending,default:r4,2026-10-12,V2,green,no verifier yet,

            """)
        #expect(try harness.ok(["record", "reject", "--file", decided, "--reason", "未核实"])
            == "Rejected 2 records: r2 (重复登记), r4 (未核实)\n")
        #expect(try harness.ok(["record", "show", "r4"]).contains("未核实"))
        #expect(!(try harness.ok(["record", "show", "r4"]).contains("no verifier yet")))
    }

    @Test("--rejects writes every rejected row with its errors; put right, that file imports as it is")
    func rejectsFileRoundTrip() throws {
        let harness = try Self.community()
        let file = try harness.write("october.csv", Self.records)
        let rejects = harness.folder + "/rejects.csv"
        let first = harness.run(["record", "import", file, "--rejects", rejects])
        #expect(first.exit == 2 && first.output.contains("wrote 2 rejected rows to \(rejects), each with its errors in the last column"))
        // Opened in a spreadsheet to be put right: the file starts with the UTF-8 byte order mark.
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: rejects)).prefix(3)) == [0xEF, 0xBB, 0xBF])
        let written = try String(contentsOfFile: rejects, encoding: .utf8)
        let lines = written.split(separator: "\n").map(String.init)
        #expect(lines.count == 3 && lines[0] == "id,volunteer,category,date,start,end,verifier,tags,note,rejected_because")
        #expect(lines[1] == "r5,V9,red,2026-10-12,09:00,10:00,社区,,,\"E003 volunteer: no volunteer \"\"V9\"\" (add the volunteer first (timebank volunteer add))\"")
        #expect(lines[2].hasPrefix("r6,V1,red,2026-10-12,11:00,12:30,社区,,,\"E010 start: 11:00–12:30 overlaps record default:r2 (09:00–12:00)"))
        // The team leader puts r5 right and leaves r6: r5 is stored, r6 rejected again with one set of reasons.
        try written.replacingOccurrences(of: "r5,V9,red,2026-10-12,09:00,10:00", with: "r5,V2,red,2026-10-12,17:00,18:00").write(toFile: rejects, atomically: true, encoding: .utf8)
        let again = harness.run(["record", "import", rejects, "--rejects", rejects + ".2"])
        #expect(again.exit == 2 && again.output.contains("read 2 rows: 1 stored as pending, 0 duplicates (0 stored before, 0 repeated in the file), 1 rejected"))
        let second = try String(contentsOfFile: rejects + ".2", encoding: .utf8).split(separator: "\n")
        #expect(second.count == 2 && second[1].hasPrefix("r6,V1,red,2026-10-12,11:00,12:30,社区,,,\"E010 start:") && !second[1].contains("E003"))
        // A spreadsheet's empty row of commas before the header is skipped, as the import skips it.
        let padded = try harness.write("padded.csv", ",,,,,,,,\n" + Self.records.replacingOccurrences(of: "r5,V9", with: "p5,V9"))
        _ = harness.run(["record", "import", padded, "--source", "padded", "--rejects", rejects + ".3"])
        #expect(try String(contentsOfFile: rejects + ".3", encoding: .utf8).hasPrefix("id,volunteer,category,date,start,end,verifier,tags,note,rejected_because\n"))
        // Never over the store, nor over the file read; nothing is written when the file is refused whole.
        #expect(harness.run(["record", "import", file, "--rejects", harness.databasePath]).errors.contains("is a SQLite database"))
        #expect(harness.run(["record", "import", file, "--rejects", file]).errors.contains("is the file being imported"))
        let refused = harness.run(["record", "import", try harness.write("bad.csv", "id;volunteer;category\nr1;V1;red\n"),
                                   "--rejects", harness.folder + "/bad-rejects.csv"])
        #expect(refused.exit == 2 && !FileManager.default.fileExists(atPath: harness.folder + "/bad-rejects.csv"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: harness.folder).allSatisfy { !$0.contains(".partial-") })
        // What an import killed part-way left (its process gone: no process has a number above the kernel's pid_max) goes
        // at the next import to that OUT; one of a process still running (init, 1) stays.
        let abandoned = rejects + ".partial-2147483646", running = rejects + ".partial-1"
        for path in [abandoned, running] { #expect(FileManager.default.createFile(atPath: path, contents: Data("r5,V9\n".utf8))) }
        _ = harness.run(["record", "import", file, "--source", "again", "--rejects", rejects])
        #expect(!FileManager.default.fileExists(atPath: abandoned) && FileManager.default.fileExists(atPath: running))
    }

    @Test("a GB18030 file is refused whole with the iconv command, and nothing is stored")
    func gb18030() throws {
        let harness = try Self.community()
        let path = harness.folder + "/gbk.csv"
        let bytes: [UInt8] = Array("id,volunteer,category,date,minutes,note\ng1,V1,orange,2026-10-04,60,".utf8) + [0xCC, 0xBD, 0xB7, 0xC3, 0x0A]
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        let result = harness.run(["record", "import", path])
        #expect(result.exit == 2)
        #expect(result.errors.contains("error[I100]") && result.errors.contains("iconv -f GB18030 -t UTF-8"))
        #expect(result.errors.contains("Nothing was read"))
        #expect(try harness.ok(["record", "list"]).contains("0 records"))
    }

    @Test("community CSVs and policy cases that are not UTF-8 are I100 too, with the hint that suits the file")
    func otherFilesNotUTF8() throws {
        let harness = try Self.community()
        let gbk = harness.folder + "/households.csv"
        _ = FileManager.default.createFile(atPath: gbk, contents: Data(Array("id,name\nH9,".utf8) + [0xD5, 0xC5, 0xC8, 0xFD, 0x0A]))
        let households = harness.run(["household", "import", gbk])
        #expect(households.exit == 2)
        #expect(households.errors.hasPrefix("error[I100]: \(gbk):2:4: \(gbk) is not UTF-8: byte 0xD5"))
        #expect(households.errors.contains("save it again as \"CSV UTF-8\""))
        // UTF-16 with a byte order mark, as "Unicode text" exports are.
        let utf16 = harness.folder + "/volunteers.csv"
        _ = FileManager.default.createFile(atPath: utf16, contents: Data([0xFF, 0xFE] + Array("id,name,joined\n".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }))
        let volunteers = harness.run(["volunteer", "import", utf16])
        #expect(volunteers.exit == 2)
        #expect(volunteers.errors.hasPrefix("error[I100]:") && volunteers.errors.contains("the file looks like UTF-16"))
        #expect(volunteers.errors.contains("iconv -f UTF-16 -t UTF-8"))
        // A cases file is TOML from an editor, not a spreadsheet.
        let cases = harness.folder + "/policy.cases.toml"
        _ = FileManager.default.createFile(atPath: cases, contents: Data(Array("[[case]]\nname = \"".utf8) + [0xB3, 0xC8, 0xC9, 0xAB, 0x22, 0x0A]))
        let test = harness.run(["policy", "test", ScoringCommandTests.policy, cases])
        #expect(test.exit == 2)
        #expect(test.errors.hasPrefix("error[I100]:") && test.errors.contains("which Chinese Windows editors often save"))
        #expect(test.errors.contains("save it again as UTF-8 (Save As, then Encoding: UTF-8)") && !test.errors.contains("CSV UTF-8"))
    }

    @Test("explain shows the posted explanation, or a preview before posting")
    func explainCommand() throws {
        let harness = try Self.community()
        let file = try harness.write("october.csv", Self.records)
        _ = harness.run(["record", "import", file])
        let preview = try harness.ok(["explain", "r1"])
        #expect(preview.contains("Not posted yet (record pending)"))
        #expect(preview.contains("multipliers.weekend") && preview.contains("= 26.50 积分"))
        try harness.ok(["record", "approve", "r1"])
        let store = try TimeBankStore(path: harness.databasePath)
        try store.postApprovedRecords(on: LocalDate("2026-10-03")!, actor: "settlement")
        let posted = try harness.ok(["explain", "r1"])
        #expect(posted.contains("Posted ") && posted.contains("to volunteer:V1"))
        #expect(posted.contains("bonuses.first_service") && posted.contains("= 26.50 积分"))
        let json = try harness.ok(["explain", "r1", "--json"])
        #expect(json.contains("\"posted\": true") && json.contains("\"points\": 26.50"))
    }

    @Test("score prints the same bytes every time; --json totals per account and category")
    func scoreIsDeterministic() throws {
        let harness = try CLIHarness()
        let file = try harness.write("october.csv", Self.records)
        let first = harness.run(["score", "--policy", Self.policy, file, "--explain"])
        let second = harness.run(["score", "--policy", Self.policy, file, "--explain"])
        #expect(first.exit == 2, "r6 overlaps r2: rejected, exit 2")
        #expect(first.output == second.output && first.errors == second.errors)
        #expect(!first.output.contains("pending: no verifier"), "r4 is auto-accepted (auto_accept_after_days = 7)")
        let json = harness.run(["score", "--policy", Self.policy, file, "--json"]).output
        #expect(json == harness.run(["score", "--policy", Self.policy, file, "--json"]).output)
        #expect(json.contains("\"by_account\"") && json.contains("\"key\": \"volunteer:V2\""))
        // The same records in another order give the same output.
        let shuffled = try harness.write("shuffled.csv", "id,volunteer,category,date,start,end,verifier\n"
            + "b,V1,red,2026-10-12,13:00,14:00,社区\na,V1,red,2026-10-12,09:00,10:00,社区\n")
        let inOrder = try harness.write("ordered.csv", "id,volunteer,category,date,start,end,verifier\n"
            + "a,V1,red,2026-10-12,09:00,10:00,社区\nb,V1,red,2026-10-12,13:00,14:00,社区\n")
        let one = harness.run(["score", "--policy", Self.policy, shuffled, "--explain"]).output
        let two = harness.run(["score", "--policy", Self.policy, inOrder, "--explain"]).output
        #expect(one.replacingOccurrences(of: "shuffled.csv", with: "ordered.csv") == two)
    }

    @Test("score previews a record without a verifier that the night accepts on its own as accepted, naming the night; without auto_accept_after_days it stays pending")
    func scoreAutoAcceptedRecords() throws {
        let harness = try CLIHarness()
        // config/policy.toml: require_verifier = true, auto_accept_after_days = 7. The harness's today is 2026-10-08 or later:
        // the record, imported today, is accepted 7 days after today (its date is earlier).
        let file = try harness.write("one.csv", "id,volunteer,category,date,start,end\nw1,V1,orange,2026-10-03,09:00,10:30\n")
        let text = harness.run(["score", "--policy", Self.policy, file])
        let json = harness.run(["score", "--policy", Self.policy, file, "--json"])
        #expect(text.exit == 0 && json.exit == 0, "\(text.errors)")
        let night = try #require(json.output.firstMatch(of: /"auto_accept_on": "([0-9-]{10})"/)).1
        #expect(json.output.contains(/"auto_accepted": \[\s*\{\s*"id": "w1",\s*"auto_accept_on": "[0-9-]{10}"\s*\}\s*\]/)
                && json.output.contains("\"pending\": 0"), "\(json.output)")
        #expect(text.output.contains("1 record without a verifier (w1) scored as accepted: imported today, the nightly settlement of \(night) "
            + "accepts it unless rejected before (auto_accept_after_days)"), "\(text.output)")
        // The same points as with a verifier: what the night that accepts it posts.
        let verified = try harness.write("verified.csv", "id,volunteer,category,date,start,end,verifier\nw1,V1,orange,2026-10-03,09:00,10:30,社区\n")
        let points = { (output: String) in output.firstMatch(of: /"total": \{[^}]*"points": ([0-9.]+)/)?.1.description }
        let withVerifier = harness.run(["score", "--policy", Self.policy, verified, "--json"]).output
        #expect(points(json.output) != nil && points(json.output) == points(withVerifier) && points(withVerifier) != "0.00", "\(withVerifier)")
        // Without auto_accept_after_days the record waits for a verifier: pending, nothing scored.
        let policyText = try String(contentsOfFile: Self.policy, encoding: .utf8)
        let waiting = try harness.write("waiting.toml", policyText.replacingOccurrences(of: "auto_accept_after_days = 7", with: ""))
        let pending = harness.run(["score", "--policy", waiting, file])
        #expect(pending.output.contains("pending: no verifier") && !pending.output.contains("scored as accepted"), "\(pending.output)\(pending.errors)")
    }

    @Test("a record whose penalty is beyond the ledger is too_large and spends no once-only bonus: the next record gets it")
    func tooLargeSpendsNoBonus() throws {
        let harness = try CLIHarness()
        let policy = try harness.write("huge.toml", """
            [policy]
            id = "huge"
            version = 1
            effective = 2026-10-01
            [earning]
            require_verifier = false
            [categories.patrol]
            points_per_hour = 10
            [bonuses.first]
            points = 5
            once = true
            when = 'true'
            [penalties.huge]
            points = 'record.minutes * -100000000000000'
            when = 'record.tags.contains("x")'
            """)
        let records = try harness.write("huge.csv", "id,volunteer,category,date,start,end,tags\n"
            + "r1,V1,patrol,2026-10-10,09:00,11:00,x\nr2,V1,patrol,2026-10-11,09:00,10:00,\n")
        let result = harness.run(["score", "--policy", policy, records])
        #expect(result.exit == 0, "\(result.errors)")
        #expect(result.output.contains("0.00  too large: not scored"), "\(result.output)")
        // 10 + the first-service bonus of 5: r1 did not use it.
        #expect(result.output.contains("60   15.00    0.00   0.00  15.00  scored"), "\(result.output)")
    }

    @Test("score with --db counts the points posted in the database")
    func scoreWithDatabase() throws {
        let harness = try Self.community()
        let posted = try harness.write("posted.csv", "id,volunteer,category,date,start,end,verifier\np1,V1,red,2026-10-12,08:00,13:00,社区\n")
        _ = try harness.ok(["record", "import", posted])
        try harness.ok(["record", "approve", "p1"])
        let store = try TimeBankStore(path: harness.databasePath)
        try store.postApprovedRecords(on: LocalDate("2026-10-12")!, actor: "settlement")
        let more = try harness.write("more.csv", "id,volunteer,category,date,start,end,verifier\nm1,V1,red,2026-10-12,14:00,16:00,社区\n")
        let dry = harness.run(["score", "--policy", Self.policy, more])
        #expect(dry.output.contains("m1") && dry.output.contains("25.00"), "without a database: 20 + 5 first service")
        let withDB = harness.run(["--db", harness.databasePath, "score", more])
        #expect(withDB.exit == 0)
        // 50 + 5 posted already today; 20 earned, 5 fit under the daily cap of 60; the bonus was received.
        #expect(withDB.output.contains("20.00   15.00   0.00  5.00"), "\(withDB.output)")
        // The posted p1 in the file again: left out and named, so its 55.00 are not counted twice against the cap.
        let both = try harness.write("both.csv", "id,volunteer,category,date,start,end,verifier\n"
            + "p1,V1,red,2026-10-12,08:00,13:00,社区\nm1,V1,red,2026-10-12,14:00,16:00,社区\n")
        let again = harness.run(["--db", harness.databasePath, "score", both])
        #expect(again.exit == 0)
        #expect(again.output.contains("1 record left out: posted in the database already (p1)"), "\(again.output)")
        #expect(again.output.contains("20.00   15.00   0.00  5.00"), "\(again.output)")
        #expect(harness.run(["--db", harness.databasePath, "score", both, "--json"]).output.contains(#""already_posted": ["#))
    }

    @Test("score with --db rejects a row that overlaps a stored record, as the import would, and scores the stored one again")
    func scoreWithDatabaseChecksOverlaps() throws {
        let harness = try Self.community()
        let stored = try harness.write("stored.csv", "id,volunteer,category,date,start,end,verifier\np1,V1,red,2026-10-12,13:30,16:00,社区\n")
        _ = try harness.ok(["record", "import", stored])
        let file = try harness.write("file.csv", "id,volunteer,category,date,start,end,verifier\n"
            + "p1,V1,red,2026-10-12,13:30,16:00,社区\nx2,V1,green,2026-10-12,14:00,16:00,社区\n")
        let imported = harness.run(["record", "import", file])
        #expect(imported.errors.contains("error[E010]: row 3, column \"start\": 14:00–16:00 overlaps record default:p1"))
        let dry = harness.run(["--db", harness.databasePath, "score", file])
        #expect(dry.exit == 2)
        #expect(dry.errors.contains("error[E010]: row 3, column \"start\": 14:00–16:00 overlaps record default:p1"), "\(dry.errors)")
        // p1 itself (pending in the store, the same record) is no conflict with itself: it is scored.
        #expect(dry.output.contains("2 rows read, 1 record scored") && dry.output.contains("p1 "), "\(dry.output)")
        #expect(!dry.output.contains("x2 "))
    }

    @Test("two teams' files numbered 1, 2, 3 (序号): E016 names what differs and says to import under a source of its own, which works")
    func sameRowNumbersFromTwoTeams() throws {
        let harness = try Self.community()
        let teamA = try harness.write("teamA.csv", "序号,志愿者,服务类别,服务日期,开始,结束,核实人\n1,V1,orange,2026-11-06,18:00,19:00,王组长\n")
        let teamB = try harness.write("teamB.csv", "序号,志愿者,服务类别,服务日期,开始,结束,核实人\n1,V2,red,2026-11-06,18:00,19:00,李组长\n")
        _ = try harness.ok(["record", "import", teamA])
        let second = harness.run(["record", "import", teamB])
        #expect(second.exit == 2)
        #expect(second.errors.contains("error[E016]: row 2, column \"id\": record default:1 is stored already with other content "
            + "(volunteer V1 stored, V2 in this row; category orange stored, red in this row; verifier 王组长 stored, 李组长 in this row)"),
            "\(second.errors)")
        // Another volunteer: most likely another record, so the advice that keeps both comes first, before rejecting r1.
        #expect(second.errors.contains("help: if this row is another record that happens to have the same id (files that number their "
            + "rows 1, 2, 3 give every team the same ids), import its file under a source of its own: `timebank record import \(teamB) --source NAME`; "
            + "if it corrects the stored record, a stored record never changes: record default:1 is pending"), "\(second.errors)")
        #expect(try harness.ok(["record", "import", teamB, "--source", "teamB"]).contains("1 stored as pending"))
        // A correction of the same volunteer's record keeps the correction's advice first.
        let fixed = try harness.write("fixed.csv", "序号,志愿者,服务类别,服务日期,开始,结束,核实人\n1,V1,orange,2026-11-06,18:00,19:30,王组长\n")
        let correction = harness.run(["record", "import", fixed])
        #expect(correction.errors.contains("(end 19:00 stored, 19:30 in this row; minutes 60 stored, 90 in this row)"))
        #expect(correction.errors.contains("help: a stored record never changes: record default:1 is pending"))
    }

    @Test("explain of a volunteer's id (what a volunteer asks with) says how to list their records")
    func explainVolunteerID() throws {
        let harness = try Self.community()
        let result = harness.run(["explain", "V1"])
        #expect(result.exit == 2)
        #expect(result.errors.contains("error[E100]: no record \"V1\"; V1 is volunteer 王秀英: `timebank record list --volunteer V1` "
            + "lists their records, and `timebank explain RECORD_ID` explains one"), "\(result.errors)")
    }

    @Test("the shipped policies pass their test cases", arguments: [
        ("config/policy.toml", "config/tests/policy.cases.toml"),
        ("config/examples/xinyi-village.toml", "config/tests/xinyi-village.cases.toml"),
        ("config/examples/red-account.toml", "config/tests/red-account.cases.toml"),
    ])
    func shippedCases(policy: String, cases: String) throws {
        let harness = try CLIHarness()
        let result = harness.run(["policy", "test", Self.repositoryRoot + "/" + policy, Self.repositoryRoot + "/" + cases])
        #expect(result.exit == 0, "\(result.output)\(result.errors)")
        #expect(result.output.contains(" 0 failed"))
    }

    @Test("policy test prints expected against got with the explanation, and exits 1")
    func failingCase() throws {
        let harness = try CLIHarness()
        let cases = try harness.write("cases.toml", """
            [[case]]
            name = "wrong on purpose"
            records = '''
            id,volunteer,category,date,start,end,verifier
            e1,V1,orange,2026-10-03,09:00,10:30,社区
            '''
            expect.e1 = { points = 27, rules = ["caps.daily", "multipliers.weekends"] }

            [[case]]
            name = "right"
            records = '''
            id,volunteer,category,date,start,end,verifier
            e1,V1,orange,2026-10-03,09:00,10:30,社区
            '''
            expect.e1 = 26.5

            [[case]]
            name = "not_rules that can never act"
            records = '''
            id,volunteer,category,date,start,end,verifier
            e1,V1,orange,2026-10-05,09:00,10:30,社区
            '''
            expect.e1 = { not_rules = ["multipliers.weekend_"] }

            """)
        let result = harness.run(["policy", "test", Self.policy, cases])
        #expect(result.exit == 1)
        #expect(result.output.contains("FAIL  wrong on purpose"))
        #expect(result.output.contains("cases.toml:7:8: record e1: points: expected 27, got 26.5"))
        // A real rule that did not act is named as it is; a misspelt one gets the rule it is closest to.
        #expect(result.output.contains("record e1: rules: expected caps.daily, multipliers.weekends (did you mean multipliers.weekend?) to act"))
        #expect(result.output.contains("explanation of e1:") && result.output.contains("multipliers.weekend"))
        #expect(result.output.contains("ok    right") && result.output.contains("1 passed, 2 failed"))
        // A not_rules entry naming no rule of the version could never fail: it fails, with the nearest name.
        #expect(result.output.contains("record e1: not_rules: multipliers.weekend_ is not a rule of"))
        #expect(result.output.contains("(did you mean multipliers.weekend?), so it can never act"))
    }

    @Test("a case file with mistakes is reported with lines and markers, exit 2")
    func brokenCaseFile() throws {
        let harness = try CLIHarness()
        let cases = try harness.write("broken.toml", """
            [[case]]
            name = "typos"
            recrods = "x"
            records = '''
            id,volunteer,category,date,start,end,verifier
            e1,V1,orang,2026-10-03,09:00,10:30,社区
            '''
            expect.e2 = 5

            """)
        let result = harness.run(["policy", "test", Self.policy, cases])
        #expect(result.exit == 2)
        #expect(result.errors.contains("broken.toml:3:1: error[E201]: unknown key \"recrods\" in a case"))
        #expect(result.errors.contains("= help: did you mean \"records\"?"))
        #expect(result.errors.contains("broken.toml:6:7: error[E004]: case \"typos\": row 2, column \"category\": unknown category \"orang\""))
        #expect(result.errors.contains("error[E204]"))
    }

    @Test("a case whose records are written as tables gets them back as the CSV text a case takes, ready to paste")
    func caseRecordsAsTables() throws {
        let harness = try CLIHarness()
        let cases = try harness.write("tables.toml", """
            [[case]]
            name = "one record as a table"
            record = { volunteer = "V1", category = "orange", date = 2026-10-03, minutes = 90, verifier = "社区, 居委会" }
            expect = 26.5

            [[case]]
            name = "two in a list"
            records = [{ id = "a1", volunteer = "V1", category = "red", date = 2026-10-14, minutes = 60 }, { volunteer = "V2", category = "red", date = 2026-10-14, minutes = 30 }]
            expect.a1 = 10

            """)
        let result = harness.run(["policy", "test", Self.policy, cases])
        #expect(result.exit == 2)
        #expect(result.errors.contains("""
            = help: write the records as CSV text with a header: records = '''
            id,volunteer,category,date,minutes,verifier
            r1,V1,orange,2026-10-03,90,"社区, 居委会"
            '''
            expect.r1 = 26.5
            """))
        #expect(result.errors.contains("""
            = help: write the records as CSV text with a header: records = '''
            id,volunteer,category,date,minutes
            a1,V1,red,2026-10-14,60
            r2,V2,red,2026-10-14,30
            '''
            """))
    }

    @Test("whatif: the points that change per account and category, largest changes first")
    func whatIf() throws {
        let harness = try CLIHarness()
        let text = try String(contentsOfFile: Self.policy, encoding: .utf8)
        let proposal = try harness.write("proposal.toml", text
            .replacingOccurrences(of: "factor = 1.2", with: "factor = 1.5")
            .replacingOccurrences(of: "version = 1 ", with: "version = 2 "))
        let file = try harness.write("history.csv", """
            id,volunteer,category,date,start,end,verifier
            w1,V1,orange,2026-10-03,09:00,10:30,社区
            w2,V2,red,2026-10-10,09:00,13:00,社区
            w3,V3,red,2026-10-14,09:00,10:00,社区

            """)
        let result = harness.run(["whatif", "--policy", proposal, "--against", Self.policy, file])
        #expect(result.exit == 0, "\(result.errors)")
        // w1: 18 × 1.5 + 5 = 32 (was 26.5); w2: 40 × 1.5 + 5 = 65, cut to 60 by the daily cap (was 53); w3 unchanged.
        #expect(result.output.contains("Total: 94.50 → 107.00 积分, change +12.50; 2 of 3 records change"))
        let lines = result.output.split(separator: "\n").map(String.init)
        let accounts = lines.drop { !$0.hasPrefix("By account") }.dropFirst(3).prefix(2)
        #expect(accounts.map { $0.split(separator: " ").first.map(String.init) ?? "" } == ["volunteer:V2", "volunteer:V1"])
        #expect(result.output.contains("1 unchanged not shown"))
        let json = harness.run(["whatif", "--policy", proposal, "--against", Self.policy, file, "--json", "--all"]).output
        #expect(json.contains("\"changed_records\": 2") && json.contains("\"key\": \"volunteer:V3\""))
    }

    @Test("whatif scores a record without a verifier as accepted under a version that auto-accepts it, pending (0) under one that does not")
    func whatIfAutoAccepted() throws {
        let harness = try CLIHarness()
        let text = try String(contentsOfFile: Self.policy, encoding: .utf8)   // require_verifier, auto_accept_after_days = 7
        let proposal = try harness.write("proposal.toml", text.replacingOccurrences(of: "points_per_hour = 12", with: "points_per_hour = 15"))
        let waiting = try harness.write("waiting.toml", text.replacingOccurrences(of: "auto_accept_after_days = 7", with: ""))
        let file = try harness.write("unverified.csv", "id,volunteer,category,date,start,end\nw1,V1,orange,2026-11-05,09:00,10:30\n")
        // w1: 1.5 h × 12 + 5 = 23 before, 1.5 h × 15 + 5 = 27.5 after (it was 0 → 0: pending under both).
        let result = harness.run(["whatif", "--policy", proposal, "--against", Self.policy, file])
        #expect(result.output.contains("Total: 23.00 → 27.50 积分, change +4.50; 1 of 1 record changes"), "\(result.output)")
        #expect(result.output.contains("1 record waiting for acceptance without a verifier is scored as accepted under a version that accepts "
            + "records on its own (auto_accept_after_days)"), "\(result.output)")
        // A proposal that drops auto_accept_after_days leaves it pending: its points go.
        let dropped = harness.run(["whatif", "--policy", waiting, "--against", Self.policy, file])
        #expect(dropped.output.contains("Total: 23.00 → 0.00 积分, change -23.00; 1 of 1 record changes"), "\(dropped.output)")
        let json = harness.run(["whatif", "--policy", proposal, "--against", Self.policy, file, "--json"]).output
        #expect(json.contains("\"notes\": [") && json.contains("scored as accepted"), "\(json)")
    }

    @Test("whatif reads a category given by its label as its id, and rejects one the old policy does not declare")
    func whatIfChecksCategories() throws {
        let harness = try CLIHarness()
        let text = try String(contentsOfFile: Self.policy, encoding: .utf8)
        let proposal = try harness.write("proposal.toml", text.replacingOccurrences(of: "points_per_hour = 12", with: "points_per_hour = 15"))
        let file = try harness.write("labels.csv", """
            编号,志愿者,服务类别,服务日期,开始,结束,核实人
            w1,V1,橙色关怀,2026-11-05,09:00,10:30,社区
            w2,V2,orang,2026-11-05,09:00,10:30,社区

            """)
        let result = harness.run(["whatif", "--policy", proposal, "--against", Self.policy, file])
        #expect(result.exit == 2)
        #expect(result.errors.contains("labels.csv:3:7: error[E004]: row 3, column \"category\": unknown category \"orang\""))
        // w1: 1.5 h × 12 + 5 = 23 before, 1.5 h × 15 + 5 = 27.5 after (it was 0 → 0: the label was not read).
        #expect(result.output.contains("over 1 record of"))
        #expect(result.output.contains("Total: 23.00 → 27.50 积分, change +4.50; 1 of 1 record changes"), "\(result.output)")
    }

    @Test("whatif: nothing changing says so instead of empty tables, and points named otherwise before are named on each side")
    func whatIfNoChangeAndUnits() throws {
        let harness = try Self.community()
        let file = try harness.write("history.csv", "id,volunteer,category,date,start,end,verifier\nw1,V1,orange,2026-10-03,09:00,10:30,社区\n")
        let text = try String(contentsOfFile: Self.policy, encoding: .utf8)
        let renamed = try harness.write("renamed.toml", text.replacingOccurrences(of: "unit = \"积分\"", with: "unit = \"时间币\""))
        let result = harness.run(["whatif", "--policy", renamed, "--against", Self.policy, file])
        #expect(result.exit == 0, "\(result.errors)")
        #expect(result.output.contains("over 1 record of \(file):\nTotal: 26.50 积分 → 26.50 时间币, change 0.00; 0 of 1 record changes\n"),
                "\(result.output)")
        #expect(result.output.contains("\nBy account: no change (1 account unchanged; --all lists it)\n"))
        #expect(result.output.contains("\nBy category: no change (1 category unchanged; --all lists it)\n"))
        let all = harness.run(["whatif", "--policy", renamed, "--against", Self.policy, file, "--all"])
        #expect(all.output.contains("By account (largest changes first):\nAccount"), "\(all.output)")
    }

    @Test("whatif --active compares with the activated versions over the stored records")
    func whatIfActive() throws {
        let harness = try Self.community()
        let file = try harness.write("history.csv", "id,volunteer,category,date,start,end,verifier\nw1,V1,orange,2026-10-03,09:00,10:30,社区\n")
        _ = try harness.ok(["record", "import", file])
        let text = try String(contentsOfFile: Self.policy, encoding: .utf8)
        let proposal = try harness.write("proposal.toml", text.replacingOccurrences(of: "points_per_hour = 12", with: "points_per_hour = 14"))
        let result = harness.run(["whatif", "--policy", proposal, "--active", "--stored"])
        #expect(result.exit == 0, "\(result.errors)")
        // 1.5 h × 14 × 1.2 = 25.2 + 5 = 30.2, rounded to 30 (was 26.5).
        #expect(result.output.contains("Total: 26.50 → 30.00 积分, change +3.50; 1 of 1 record changes"))
        // Over the stored records "before" could be read as the ledger: the output says it is a re-score.
        #expect(result.output.contains("Total: 26.50 → 30.00 积分, change +3.50; 1 of 1 record changes\n"
            + "\"Before\" is these records scored again from an empty history, not the ledger's points: "), "\(result.output)")
        #expect(result.output.contains("With --as-activated, \(proposal) scores only the records from its effective date (2026-10-01), "
            + "as activating it would."))
        // A record file is not the ledger's records: no such note.
        let fromFile = harness.run(["whatif", "--policy", proposal, "--active", file])
        #expect(fromFile.exit == 0 && !fromFile.output.contains("not the ledger"), "\(fromFile.output)")
        // --json says what the text says, in "notes": the same two lines over the stored records, none over a file.
        let json = harness.run(["whatif", "--policy", proposal, "--active", "--stored", "--json"])
        #expect(json.exit == 0, "\(json.errors)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        let notes = try #require(object["notes"] as? [String])
        #expect(notes.count == 2)
        #expect(notes.first?.hasPrefix("\"Before\" is these records scored again from an empty history, not the ledger's points: ") == true)
        #expect(notes.last == "With --as-activated, \(proposal) scores only the records from its effective date (2026-10-01), as activating it would.")
        #expect(object["changed_records"] as? Int == 1)
        let fileJSON = harness.run(["whatif", "--policy", proposal, "--active", file, "--json"])
        let fileObject = try #require(try JSONSerialization.jsonObject(with: Data(fileJSON.output.utf8)) as? [String: Any])
        #expect((fileObject["notes"] as? [String])?.isEmpty == true)
    }

    @Test("whatif --active --as-activated: a version from mid-month changes only the records from its effective date")
    func whatIfAsActivated() throws {
        let harness = try Self.community()
        // w1 (Saturday 3 October) is before the new version; w2 (Monday 16 November) after it.
        let file = try harness.write("history.csv", "id,volunteer,category,date,start,end,verifier\n"
            + "w1,V1,orange,2026-10-03,09:00,10:30,社区\nw2,V2,orange,2026-11-16,09:00,10:00,社区\n")
        _ = try harness.ok(["record", "import", file])
        let text = try String(contentsOfFile: Self.policy, encoding: .utf8)
        let proposal = try harness.write("proposal.toml", text.replacingOccurrences(of: "points_per_hour = 12", with: "points_per_hour = 14")
            .replacingOccurrences(of: "version = 1 ", with: "version = 2 ").replacingOccurrences(of: "effective = 2026-10-01", with: "effective = 2026-11-15"))
        // Without the flag every record is scored by the proposal: w1 26.5 → 30, w2 12 + 5 = 17 → 14 + 5 = 19.
        let everything = harness.run(["whatif", "--policy", proposal, "--active", "--stored"])
        #expect(everything.output.contains("Total: 43.50 → 49.00 积分, change +5.50; 2 of 2 records change"), "\(everything.output)")
        // As activated: w1 keeps version 1; only w2 changes.
        let result = harness.run(["whatif", "--policy", proposal, "--active", "--as-activated", "--stored"])
        #expect(result.exit == 0, "\(result.errors)")
        #expect(result.output.hasPrefix("What if \(proposal) were activated (in force from 2026-11-15, after the activated versions), "
            + "over the 2 stored records that are not rejected or withdrawn:\nTotal: 43.50 → 45.50 积分, change +2.00; 1 of 2 records change"), "\(result.output)")
        #expect(result.output.contains("not the ledger's points") && !result.output.contains("With --as-activated"))
        // The policy to try given where the records go: told to write --policy, not only "missing --policy".
        let positional = harness.run(["whatif", proposal, "--active", "--stored"])
        #expect(positional.exit == 2)
        #expect(positional.errors.contains("\(proposal) is a policy file: give it as --policy \(proposal); the file without an option "
            + "is the records to score (or --stored for the stored records)"), "\(positional.errors)")
        let score = harness.run(["score", proposal, file])
        #expect(score.exit == 2 && score.errors.contains("\(proposal) is a policy file: give it as --policy \(proposal)"), "\(score.errors)")
        let misuse = harness.run(["whatif", "--policy", proposal, "--against", Self.policy, "--as-activated", "--stored"])
        #expect(misuse.exit == 2)
        #expect(misuse.errors.contains("--as-activated goes with --active"), "\(misuse.errors)")
    }
}
