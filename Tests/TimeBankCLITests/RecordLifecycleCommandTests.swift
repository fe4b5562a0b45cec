import Foundation
import Testing
import TimeBankCore
import TimeBankStorage
@testable import TimeBankCLI

/// A record's life after the import, as a verifier, an admin and a volunteer meet it: decisions on several records at
/// once, the list after a correction, and the preview of a record that waits for nobody's objection.
@Suite("Record lifecycle commands")
struct RecordLifecycleCommandTests {
    static let header = "id,volunteer,category,date,start,end,verifier\n"

    @Test("approving or rejecting several records with bad ones among them: nothing is decided, and the message says so and names every bad one")
    func severalRecordsAllOrNone() throws {
        let harness = try ScoringHarness()
        try harness.community()
        let file = try harness.write("dec.csv", Self.header + """
            r1,V1,orange,2026-12-01,09:00,10:00,
            r2,V1,orange,2026-12-02,09:00,10:00,
            r3,V2,orange,2026-12-02,09:00,10:00,

            """)
        try harness.ok(["record", "import", file])
        try harness.ok(["record", "reject", "r3", "--reason", "重复登记"])

        // One mistyped id among three: the error names it, and the next line says the other two were not approved.
        let one = harness.run(["record", "approve", "r1", "r2", "r9", "--verifier", "张主任"])
        #expect(one.exit == 2)
        #expect(one.errors.contains("error[E100]: no record \"r9\""))
        #expect(one.errors.contains("None of the 3 records named was approved (a decision is all or none): leave that one out or put it right"))
        #expect(try harness.ok(["record", "list", "--status", "pending"]).contains("2 records\n"))

        // Two bad ones: both are named in one message (E028), not one per attempt; a rejected one makes it a refusal.
        let two = harness.run(["record", "approve", "r1", "r3", "r2", "r8", "--verifier", "张主任"])
        #expect(two.exit == 1)
        #expect(two.errors.hasPrefix("error[E028]: 2 of the 4 records named cannot be approved, so none was (a decision is all or none): "
            + "[E102] record default:r3 is rejected already"))
        #expect(two.errors.contains("; [E100] no record \"r8\""))
        // Approving a rejected record says what works when the rejection was a mistake.
        let rejected = harness.run(["record", "approve", "r3", "--verifier", "张主任"])
        #expect(rejected.exit == 1 && rejected.errors.contains("for \"重复登记\"; the decision stands. If it should count after all, "
            + "import it again under a new id: a stored record keeps its decision"), "\(rejected.errors)")
        #expect(try harness.ok(["record", "list", "--status", "pending"]).contains("2 records\n"))
        // Ids that are near no stored one: where to look them up is said once, at the end, not after each.
        let far = harness.run(["record", "approve", "x-404", "y-505", "--verifier", "张主任"])
        #expect(far.exit == 2)
        #expect(far.errors.hasPrefix("error[E028]: 2 of the 2 records named cannot be approved, so none was (a decision is all or none): "
            + "[E100] no record \"x-404\"; [E100] no record \"y-505\". `timebank record list` shows the stored records. "
            + "Leave them out or put them right, then send the command again"), "\(far.errors)")
        // Ids mistyped alone are bad input, as each of them is.
        #expect(harness.run(["record", "reject", "r7", "r8", "--reason", "x"]).exit == 2)

        // A single record named needs no such line; the good ones named alone go through.
        let alone = harness.run(["record", "approve", "r9"])
        #expect(alone.exit == 2 && !alone.errors.contains("None of"))
        #expect(try harness.ok(["record", "approve", "r1", "r2", "--verifier", "张主任"]).contains("Approved 2 records: r1, r2"))
        // Sent again with another verifier: the one approved with stands, and the line says so.
        let retried = try harness.ok(["record", "approve", "r1", "--verifier", "李主任"])
        #expect(retried.contains("r1 was approved already (") && retried.contains("): left as it was, with the verifier 张主任; "
            + "--verifier 李主任 was not kept"), "\(retried)")
        #expect(!(try harness.ok(["record", "approve", "r2", "--verifier", "张主任"])).contains("not kept"))
    }

    /// A decision sent again with `--json` listed the records decided now and those left as they were in one array, with
    /// nothing to tell them apart; each says which it is now.
    /// A file of thousands of ids (`record approve --file`) printed every id on one line, and its retry a line per record.
    @Test("a decision on many records names the first 20 and counts the rest, in the line and on a retry")
    func manyRecordsNamedByCount() throws {
        let harness = try ScoringHarness()
        try harness.community()
        let rows = (1...25).map { String(format: "m%02d,V1,orange,2026-12-%02d,09:00,10:00,", $0, $0) }
        let file = try harness.write("many.csv", Self.header + rows.joined(separator: "\n") + "\n")
        try harness.ok(["record", "import", file])
        let ids = (1...25).map { String(format: "m%02d", $0) }
        let approved = try harness.ok(["record", "approve", "--verifier", "张主任"] + ids)
        #expect(approved == "Approved 25 records: " + ids.prefix(20).joined(separator: ", ")
                + " and 5 more (timebank record list --status approved lists them)\n")
        let again = try harness.ok(["record", "approve", "--verifier", "张主任"] + ids)
        let lines = again.split(separator: "\n")
        #expect(lines.count == 21)
        #expect(lines.first?.hasPrefix("m01 was approved already (") == true)
        #expect(lines.last == "… and 5 more were approved already: left as they were")
        let few = try harness.write("few.csv", Self.header + "f1,V1,orange,2026-12-01,11:00,12:00,\nf2,V1,orange,2026-12-02,11:00,12:00,\n")
        try harness.ok(["record", "import", few])
        #expect(try harness.ok(["record", "reject", "f1", "f2", "--reason", "重复"]) == "Rejected 2 records: f1, f2\n")
    }

    @Test("record approve and reject with --json: each record says whether it was decided now (decided_now) or left as it was")
    func decisionsInJSONSayWhichWereDecidedNow() throws {
        let harness = try ScoringHarness()
        try harness.community()
        let file = try harness.write("dec.csv", Self.header + """
            r1,V1,orange,2026-12-01,09:00,10:00,张主任
            r2,V1,orange,2026-12-02,09:00,10:00,张主任
            r3,V2,orange,2026-12-02,09:00,10:00,张主任

            """)
        try harness.ok(["record", "import", file])
        try harness.ok(["record", "approve", "r1"])
        func decided(_ arguments: [String]) throws -> [String: Bool] {
            let output = try harness.ok(["--json"] + arguments)
            let records = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[String: Any]])
            return Dictionary(uniqueKeysWithValues: try records.map { (try #require($0["id"] as? String), try #require($0["decided_now"] as? Bool)) })
        }
        #expect(try decided(["record", "approve", "r1", "r2"]) == ["r1": false, "r2": true])
        #expect(try decided(["record", "approve", "r2", "r1"]) == ["r1": false, "r2": false])
        #expect(try decided(["record", "reject", "r3", "--reason", "重复登记"]) == ["r3": true])
        #expect(try decided(["record", "reject", "r3", "--reason", "重复登记"]) == ["r3": false])
        // `record show --json` has no decision to tell of: no such member.
        #expect(!(try harness.ok(["--json", "record", "show", "r1"])).contains("decided_now"))
    }

    /// A retried approval with another `--verifier` said in its text line that the new verifier was not kept; the JSON
    /// said nothing of it.
    @Test("record approve --json sent again with another --verifier: verifier_not_kept names it on that record, null elsewhere")
    func verifierNotKeptInJSON() throws {
        let harness = try ScoringHarness()
        try harness.community()
        let file = try harness.write("dec.csv", Self.header + """
            r1,V1,orange,2026-12-01,09:00,10:00,
            r2,V1,orange,2026-12-02,09:00,10:00,
            r3,V2,orange,2026-12-02,09:00,10:00,王站长
            r4,V2,orange,2026-12-03,09:00,10:00,

            """)
        try harness.ok(["record", "import", file])
        func notKept(_ arguments: [String]) throws -> [String: String] {
            let output = try harness.ok(["--json", "record", "approve"] + arguments)
            let records = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[String: Any]])
            for record in records { #expect(record.keys.contains("verifier_not_kept"), "\(record)") }
            return Dictionary(uniqueKeysWithValues: try records.map { (try #require($0["id"] as? String), $0["verifier_not_kept"] as? String ?? "null") })
        }
        #expect(try notKept(["r1", "--verifier", "张主任"]) == ["r1": "null"])
        // r1 stands with 张主任; r2 is approved now with 李主任, which it keeps.
        #expect(try notKept(["r1", "r2", "--verifier", "李主任"]) == ["r1": "李主任", "r2": "null"])
        #expect(try notKept(["r1", "r2", "--verifier", "张主任"]) == ["r1": "null", "r2": "张主任"])
        #expect(try notKept(["r1", "r2"]) == ["r1": "null", "r2": "null"])
        // r3 names its own verifier, which stands whatever --verifier says.
        #expect(try notKept(["r3", "--verifier", "李主任"]) == ["r3": "李主任"])
        // record reject has no verifier to tell of: no such member.
        #expect(!(try harness.ok(["--json", "record", "reject", "r4", "--reason", "重复登记"])).contains("verifier_not_kept"))
    }

    @Test("record approve and reject take SOURCE:ID, as their own messages name a record; an entry number is not read, nor a SOURCE:ID with --source")
    func decisionsTakeSourceAndID() throws {
        let harness = try ScoringHarness()
        try harness.community()
        let file = try harness.write("dec.csv", Self.header + """
            r1,V1,orange,2026-12-01,09:00,10:00,
            r2,V1,orange,2026-12-02,09:00,10:00,
            r3,V2,orange,2026-12-02,09:00,10:00,

            """)
        try harness.ok(["record", "import", file, "--source", "wechat"])
        // The message names the record as wechat:r1; that is what a clerk copies into the next command.
        let unverified = harness.run(["record", "approve", "r1"])
        #expect(unverified.errors.hasPrefix("error[E103]: record wechat:r1 names no verifier"), "\(unverified.errors)")
        #expect(try harness.ok(["record", "approve", "wechat:r1", "--verifier", "张主任"]).contains("Approved 1 record: wechat:r1"))
        // Named twice, once each way: decided once.
        #expect(try harness.ok(["record", "reject", "wechat:r2", "r2", "--reason", "重复登记"]).contains("Rejected 1 record: wechat:r2\n"))
        #expect(try harness.ok(["record", "reject", "record:wechat:r2:award", "--reason", "重复登记"]).contains("wechat:r2 was rejected already ("))
        // Another source, an entry number, or SOURCE:ID beside --source: still E100, and nothing is decided.
        for arguments in [["wechat:r3", "--source", "wechat"], ["default:r3"], ["1"]] {
            let refused = harness.run(["record", "reject"] + arguments + ["--reason", "x"])
            #expect(refused.exit == 2 && refused.errors.hasPrefix("error[E100]"), "\(arguments): \(refused.errors)")
        }
        let json = harness.run(["record", "reject", "default:r3", "--reason", "x", "--json"])
        #expect(json.exit == 2 && json.output.contains("\"code\": \"E100\""), "\(json.output)")
        #expect(try harness.ok(["record", "list", "--status", "pending"]).contains("1 record\n"))
    }

    @Test("record list after a correction: a withdrawn record's points show as taken back, so the column adds up to the balance")
    func listAfterWithdrawal() throws {
        let harness = try ScoringHarness()
        try harness.community()
        // r1: 150 minutes of care on Tuesday 13 October (30 + the first-service bonus 5); r2 the same afternoon, 60 minutes (12).
        let file = try harness.write("oct.csv", Self.header + """
            r1,V1,orange,2026-10-13,08:30,11:00,张主任
            r2,V1,orange,2026-10-13,14:00,15:00,张主任

            """)
        try harness.ok(["record", "import", file])
        try harness.ok(["settle", "--date", "2026-10-13"])
        let reversal = try harness.ok(["reverse", "1", "--key", "withdraw-r1-award", "--reason", "未服务"])
        #expect(reversal.contains("record default:r1 is withdrawn"))

        let list = try harness.ok(["record", "list", "--volunteer", "V1"])
        let r1 = try #require(list.split(separator: "\n").first { $0.hasPrefix("r1 ") })
        let r2 = try #require(list.split(separator: "\n").first { $0.hasPrefix("r2 ") })
        #expect(r1.hasSuffix("approved, posted, withdrawn  0.00 (posted 35.00)"), "\(list)")
        #expect(r2.hasSuffix(" 12.00"), "\(list)")
        #expect(try harness.ok(["balance", "V1"]).contains("12.00"))
    }

    @Test("list filters that could match nothing by a slip are refused, not answered with an empty list: a range backwards, an unknown volunteer or household")
    func listFiltersRefuseSlips() throws {
        let harness = try ScoringHarness()
        try harness.community()
        try harness.ok(["record", "import", try harness.write("oct.csv", Self.header + "r1,V1,orange,2026-10-13,08:30,11:00,张主任\n")])
        #expect(try harness.ok(["record", "list", "--volunteer", "V1"]).contains("1 record\n"))

        // --from after --to: a slip, as `statement` reads it, not a range of no days.
        let backwards = harness.run(["record", "list", "--from", "2026-10-31", "--to", "2026-10-01"])
        #expect(backwards.exit == 2)
        #expect(backwards.errors.contains("error[U001]: --from 2026-10-31 is after --to 2026-10-01: the range would hold no day; "
            + "give the earlier date first"), "\(backwards.errors)")
        #expect(harness.run(["settlement", "list", "--from", "2026-10-31", "--to", "2026-10-01"]).exit == 2)
        // A volunteer who does not exist: C003 with the near id, as `volunteer show` answers, not "0 records".
        let unknown = harness.run(["record", "list", "--volunteer", "v1"])
        #expect(unknown.exit == 2)
        #expect(unknown.errors.contains("error[C003]: no volunteer \"v1\"; did you mean \"V1\"?"), "\(unknown.errors)")
        // A household that does not exist: C003, as a team that does not exist is C005, not "0 volunteers".
        let household = harness.run(["volunteer", "list", "--household", "H2"])
        #expect(household.exit == 2)
        #expect(household.errors.contains("error[C003]: no household \"H2\"; did you mean \"H1\"?"), "\(household.errors)")
        #expect(try harness.ok(["volunteer", "list", "--household", "H1"]).contains("V1"))
    }

    @Test("explain of a pending record without a verifier: the night that accepts it on its own, and the points it will bring, not 0.00")
    func explainWaitingForAutoAccept() throws {
        let harness = try ScoringHarness()
        try harness.community()
        // Monday 4 January 2027 (the harness's day, imported that day), 90 minutes of purple (15, + 5 first service = 20;
        // no weekend multiplier); config/policy.toml requires a verifier and accepts a record automatically 7 days after its date.
        let file = try harness.write("jan.csv", Self.header + "w1,V1,purple,2027-01-04,09:00,10:30,\n")
        try harness.ok(["record", "import", file])
        let preview = try harness.ok(["explain", "w1"])
        #expect(preview.contains("Not posted yet (record pending, no verifier): the nightly settlement of 2027-01-11 accepts it unless it "
            + "is rejected before (auto_accept_after_days), or `timebank record approve w1 --verifier NAME` approves it sooner. "
            + "Accepted, it would give:"), "\(preview)")
        #expect(preview.contains("= 20.00 积分"), "\(preview)")
        #expect(!preview.contains("stays pending"), "\(preview)")
        let json = try harness.ok(["explain", "w1", "--json"])
        #expect(json.contains("\"auto_accept_on\": \"2027-01-11\"") && json.contains("\"auto_accept_counts_from\": \"2027-01-04\"")
                    && json.contains("\"points\": 20.00"), "\(json)")

        // The night it names accepts it and posts what the preview said; the night before does not.
        harness.clock = FixedClock(Timestamp(millisecondsSinceEpoch: 1_799_020_800_000 + 8 * 86_400_000), stepMilliseconds: 1000)
        #expect(try harness.ok(["settle", "--date", "2027-01-10"]).contains("0 auto-accepted"))
        #expect(try harness.ok(["settle", "--date", "2027-01-11"]).contains("1 auto-accepted"))
        let posted = try harness.ok(["explain", "w1"])
        #expect(posted.contains("= 20.00 积分"), "\(posted)")
        #expect(try harness.ok(["record", "show", "w1"]).contains("auto-accept after 7 days"))
    }

    @Test("a record imported after its date gets its auto_accept_after_days from the import: nobody could object before")
    func autoAcceptCountsFromALateImport() throws {
        let harness = try ScoringHarness()
        try harness.community()
        // Saturday 26 December 2026, imported on 4 January 2027: 7 days from the import, not from the service (2 January).
        let file = try harness.write("late.csv", Self.header + "w1,V1,purple,2026-12-26,09:00,10:30,\n")
        try harness.ok(["record", "import", file])
        let preview = try harness.ok(["explain", "w1"])
        #expect(preview.contains("the nightly settlement of 2027-01-11 accepts it unless it is rejected before "
            + "(auto_accept_after_days, counted from its import on 2027-01-04)"), "\(preview)")
        let json = try harness.ok(["explain", "w1", "--json"])
        #expect(json.contains("\"auto_accept_on\": \"2027-01-11\"") && json.contains("\"auto_accept_counts_from\": \"2027-01-04\""),
                "\(json)")
        let rejects = try harness.ok(["report", "rejects", "--from", "2026-12-26", "--to", "2026-12-26"])
        #expect(rejects.contains("accepted automatically on 2027-01-11 (7 days from its import on 2027-01-04)"), "\(rejects)")

        harness.clock = FixedClock(Timestamp(millisecondsSinceEpoch: 1_799_020_800_000 + 8 * 86_400_000), stepMilliseconds: 1000)
        // The night of 2 January, 7 days after the service, settled late (on the 12th): the record waits.
        let second = try harness.ok(["settle", "--date", "2027-01-02"])
        #expect(second.contains("0 auto-accepted"), "\(second)")
        #expect(try harness.ok(["settle", "--date", "2027-01-10", "--catch-up"]).contains("0 auto-accepted"))
        #expect(try harness.ok(["settle", "--date", "2027-01-11"]).contains("1 auto-accepted"))
        #expect(try harness.ok(["explain", "w1"]).contains("= 23.00 积分"))
    }

    @Test("$TIMEBANK_UTC_OFFSET_MINUTES decides the community's day of an import and the time E102 shows, as it does the CLI's own")
    func offsetSettingReachesTheStore() throws {
        let harness = try ScoringHarness()
        try harness.community()
        // Imported at 2027-01-04 00:00 UTC: 08:00 on the 4th in Shanghai (the policy's zone), 19:00 on the 3rd at UTC-5.
        let file = try harness.write("jan.csv", Self.header + "w1,V1,purple,2027-01-03,09:00,10:30,\n")
        try harness.ok(["record", "import", file])
        let zone = harness.run(["explain", "w1", "--json"])
        #expect(zone.output.contains("\"auto_accept_on\": \"2027-01-11\"") && zone.output.contains("\"auto_accept_counts_from\": \"2027-01-04\""),
                "\(zone.output)")
        let west = ["TIMEBANK_UTC_OFFSET_MINUTES": "-300"]
        let fixed = harness.run(["explain", "w1", "--json"], environment: west)
        #expect(fixed.output.contains("\"auto_accept_on\": \"2027-01-10\"") && fixed.output.contains("\"auto_accept_counts_from\": \"2027-01-03\""),
                "\(fixed.output)")
        #expect(try harness.ok(["record", "reject", "w1", "--reason", "重复"]).contains("w1"))
        let again = harness.run(["record", "approve", "w1", "--verifier", "张主任"], environment: west)
        #expect(again.exit == 1 && again.errors.contains("it was decided at 2027-01-03 19:00:"), "\(again.errors)")
        #expect(again.errors.contains("(UTC-5) by tester"), "\(again.errors)")
    }

    @Test("explain of a pending record whose category a later version dropped: the night will reject it, and a new id is what works")
    func explainOfARecordTheNightWillReject() throws {
        let harness = try ScoringHarness()
        try harness.ok(["init"])
        try harness.ok(["volunteer", "add", "--id", "V1", "--name", "王秀英", "--joined", "2024-05-01"])
        func policy(_ version: Int, _ effective: String, purple: Bool) -> String {
            "[policy]\nid = \"impact\"\nversion = \(version)\neffective = \(effective)\n\n[categories.orange]\npoints_per_hour = 12\n\n"
                + (purple ? "[categories.purple]\npoints_per_hour = 10\n" : "")
        }
        try harness.ok(["policy", "activate", try harness.write("v1.toml", policy(1, "2026-10-01", purple: true))])
        try harness.ok(["record", "import", try harness.write("day.csv", Self.header + "p2,V1,purple,2026-11-09,09:00,10:00,\n")])
        let store = try TimeBankStore(path: harness.databasePath, clock: harness.clock)
        try store.activatePolicy(policy(2, "2026-11-01", purple: false), actor: "admin", overrideReason: "purple merged into orange")
        let explained = try harness.ok(["explain", "p2"])
        #expect(explained.contains("Not posted yet (record pending), and it will not be: the nightly settlement rejects it (category "
            + "\"purple\" is not in policy version 2 in force on 2026-11-09). Import it again under a new id (a stored record keeps its "
            + "own) with a rule of the version in force on 2026-11-09"), "\(explained)")
    }

}
