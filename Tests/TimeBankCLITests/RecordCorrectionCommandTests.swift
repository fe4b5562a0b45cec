import Foundation
import Testing
import TimeBankCore
import TimeBankStorage
@testable import TimeBankCLI

/// Correcting a posted record with wrong times, from the command line, by following each message's advice
/// (docs/records.md, "Correcting a posted record").
@Suite("Record correction commands")
struct RecordCorrectionCommandTests {
    static let header = "id,volunteer,category,date,start,end,verifier\n"

    /// A community with config/policy.toml active, r1 (V1, 08:50–10:20 on Tuesday 13 October 2026) imported and the
    /// night of the 13th settled: 18.00 for 90 minutes of orange care plus the first-service bonus of 5.
    static func posted() throws -> (harness: ScoringHarness, file: (String, String) throws -> String) {
        let harness = try ScoringHarness()
        try harness.community()
        let r1 = try harness.write("r1.csv", header + "r1,V1,orange,2026-10-13,08:50,10:20,张主任\n")
        try harness.ok(["record", "import", r1])
        let settled = try harness.ok(["settle", "--date", "2026-10-13"])
        #expect(settled.contains("1 award (23.00 积分)"))
        return (harness, { name, rows in try harness.write(name, header + rows) })
    }

    /// The command a message gives between backticks after `marker`.
    static func command(in text: String, after marker: String) throws -> [String] {
        let rest = try #require(text.range(of: marker)).upperBound
        let open = try #require(text[rest...].firstIndex(of: "`"))
        let close = try #require(text[text.index(after: open)...].firstIndex(of: "`"))
        let words = text[text.index(after: open)..<close].split(separator: " ").map(String.init)
        #expect(words.first == "timebank")
        return Array(words.dropFirst()).map { $0 == "TEXT" ? "时长登记错误" : $0 }
    }

    @Test("a passbook line names its record: explain and record show take SOURCE:ID (the memo), the entry number (the Entry column, #N, full-width, number:N) and the entry's key; another entry is L023")
    func recordNamedAsThePassbookShowsIt() throws {
        let (harness, _) = try Self.posted()
        let statement = try harness.ok(["statement", "V1"])
        #expect(statement.contains("#1  award") && statement.contains("default:r1"))
        for reference in ["default:r1", "1", "#1", "＃１", "number:1", "record:default:r1:award"] {
            let explain = harness.run(["explain", reference])
            #expect(explain.exit == 0 && explain.output.hasPrefix("r1  2026-10-13 08:50–10:20  V1"), "\(reference): \(explain.errors)")
            #expect(harness.run(["record", "show", reference, "--json"]).output.contains("\"id\": \"r1\""), "\(reference)")
        }
        // The reversal's number names the record it withdrew.
        try harness.ok(["reverse", "1", "--key", "withdraw-r1", "--reason", "时长登记错误"])
        #expect(try harness.ok(["explain", "2"]).contains("its award #1 was reversed by #2"))
        // An entry that posted no record's points says what it is, and where to look instead; nothing else changes.
        try harness.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "3", "--kind", "award", "--key", "hand-1",
                        "--memo", "手工奖励"])
        let hand = harness.run(["explain", "#3"])
        #expect(hand.exit == 2)
        #expect(hand.errors.hasPrefix("error[L023]: entry #3 (award: 手工奖励) posted no record's points"))
        #expect(hand.errors.contains("`timebank entry show 3` shows this entry"))
        // A bare number is first a record id: that no record has it is said too.
        #expect(harness.run(["explain", "3"]).errors.hasPrefix("error[L023]: no record has the id 3, and entry #3 (award: 手工奖励)"))
        // With --source, the entry of another source's record is not the record asked for.
        #expect(harness.run(["explain", "1", "--source", "wechat"]).errors.hasPrefix("error[E100]"))
        // A number that is no entry, and a source that has no such id, are still E100.
        #expect(harness.run(["explain", "99"]).errors.hasPrefix("error[E100]: no record \"99\""))
        #expect(harness.run(["explain", "other:r1"]).errors.hasPrefix("error[E100]: no record \"other:r1\""))
        // The right id with the wrong --source names the source that has it, not the same id as a did-you-mean.
        for command in [["explain"], ["record", "show"]] {
            let wrongSource = harness.run(command + ["r1", "--source", "wechat"])
            #expect(wrongSource.exit == 2)
            #expect(wrongSource.errors == "error[E100]: no record \"r1\" from source \"wechat\"; \"r1\" is a record from source \"default\": "
                + "give --source default, or leave --source out\n")
        }
    }

    @Test("verify checks the posted scores against their entries (V012): a score edited behind the ledger's back fails with exit 3, naming the record and both amounts")
    func verifyChecksPostedScores() throws {
        let (harness, file) = try Self.posted()
        try harness.ok(["record", "import", try file("r2.csv", "r2,V2,orange,2026-10-13,08:00,09:00,张主任\n")])
        try harness.ok(["settle", "--date", "2026-10-14"])
        let clean = try harness.ok(["verify"])
        #expect(clean.contains("Records: 2 posted scores agree with their award and penalty entries."), "\(clean)")
        #expect(try harness.ok(["verify", "--json"]).contains("\"posted_scores\": 2"))
        // r1's award raised in the posted scores only: the chain and the balances are untouched, the reports are not.
        let store = try TimeBankStore(path: harness.databasePath)
        try store.database.execute("DROP TRIGGER record_scores_append_only_update")
        try store.database.execute("UPDATE record_scores SET award = award + 10000 WHERE record = (SELECT number FROM records WHERE id = 'r1')")
        let raised = harness.run(["verify"])
        #expect(raised.exit == 3)
        #expect(raised.errors.contains("error[V012]: record default:r1: the posted score has an award of 123.00, but its award entry #1 "
            + "credits 23.00 to volunteer:V1: the reports and `explain` read the posted score"), "\(raised.errors)")
        // Pointing r1 at r2's entry instead.
        try store.database.execute("UPDATE record_scores SET award = award - 10000, award_entry = 2 WHERE record = (SELECT number FROM records WHERE id = 'r1')")
        let moved = harness.run(["verify"])
        #expect(moved.exit == 3)
        #expect(moved.errors.contains("error[V012]: record default:r1: the posted score names award entry #2, but that entry is "
            + "\"record:default:r2:award\", not the record's own \"record:default:r1:award\""), "\(moved.errors)")
        try store.database.execute("UPDATE record_scores SET award_entry = 1 WHERE record = (SELECT number FROM records WHERE id = 'r1')")
        #expect(harness.run(["verify"]).exit == 0)
    }

    @Test("a posted record with wrong times: E016 and E105 give the reversal, which withdraws it; the correction imports and posts with the freed bonus")
    func followTheAdvice() throws {
        let (harness, file) = try Self.posted()
        let fixed = try file("r1-fixed.csv", "r1,V1,orange,2026-10-13,08:50,09:50,张主任\n")
        let conflict = harness.run(["record", "import", fixed])
        #expect(conflict.exit == 2)
        #expect(conflict.errors.contains("error[E016]: row 2, column \"id\": record default:r1 is stored already with other content"))
        #expect(conflict.errors.contains("help: a stored record never changes: record default:r1 is posted: its award #1 (23.00 points) "
            + "stands; reverse it, which withdraws the record: `timebank reverse 1 --key withdraw-r1-award --reason TEXT`; then import "
            + "the corrected record under a new id"))

        // Rejecting it instead says the same reversal.
        let refused = harness.run(["record", "reject", "r1", "--reason", "时长登记错误"])
        #expect(refused.exit == 1)
        #expect(refused.errors.hasPrefix("error[E105]: the points of record default:r1 are posted: its award #1 (23.00 points) stands."))
        #expect(try Self.command(in: refused.errors, after: "reversing what stands of it:") == Self.command(in: conflict.errors, after: "reverse it"))

        // A correction under a new id before the reversal overlaps r1: E010 says how to take r1 out of the way.
        let r1b = try file("r1b.csv", "r1b,V1,orange,2026-10-13,08:50,09:50,张主任\n")
        let overlap = harness.run(["record", "import", r1b])
        #expect(overlap.exit == 2 && overlap.errors.contains("error[E010]"))
        #expect(overlap.errors.contains("; if that one is wrong (record default:r1 is posted: its award #1 (23.00 points) stands), reverse it, "
            + "which withdraws the record: `timebank reverse 1 --key withdraw-r1-award --reason TEXT`; then import this row again"))

        // Following the advice: the reversal withdraws r1, and says so.
        let reversal = try harness.ok(try Self.command(in: conflict.errors, after: "reverse it"))
        #expect(reversal.contains("Posted entry #2 (reversal) key withdraw-r1-award"))
        #expect(reversal.contains("NOTE: record default:r1 is withdrawn: nothing of it stands in the ledger, so it counts no more"))
        // Sent again, the same reversal changes nothing (the key is the record's own).
        #expect(try harness.ok(try Self.command(in: conflict.errors, after: "reverse it")).contains("Already posted as entry #2"))

        // Now the corrected record goes in, and E016 for the old id says r1 is withdrawn.
        #expect(try harness.ok(["record", "import", r1b]).contains("1 stored as pending"))
        let again = harness.run(["record", "import", fixed])
        #expect(again.errors.contains("help: a stored record never changes: record default:r1 is withdrawn (award #1 reversed by #2) and "
            + "counts no more: import the corrected record under a new id"))

        // Rejecting r1 now keeps the reason with it; a second time it is withdrawn already.
        let withdrawn = try harness.ok(["record", "reject", "r1", "--reason", "时长登记错误: 更正为 r1b"])
        #expect(withdrawn.contains("Withdrew 1 posted record: r1 (award #1 reversed by #2); it counts no more"))
        let twice = harness.run(["record", "reject", "r1", "--reason", "x"])
        #expect(twice.exit == 1 && twice.errors.hasPrefix("error[E102]: record default:r1 is withdrawn already"))
        #expect(twice.errors.contains("for \"时长登记错误: 更正为 r1b\"; the decision stands"))
        // The same withdrawal sent again (a retry) changes nothing and is not refused.
        #expect(try harness.ok(["record", "reject", "r1", "--reason", "时长登记错误: 更正为 r1b"]).contains("r1 was withdrawn already ("))
        // Approving a withdrawn record is another decision: refused, naming the withdrawal.
        let approve = harness.run(["record", "approve", "r1"])
        #expect(approve.exit == 1 && approve.errors.hasPrefix("error[E102]: record default:r1 is withdrawn already; a decision is made once: "
            + "it was decided at "))
        #expect(approve.errors.contains("for \"时长登记错误: 更正为 r1b\"; the decision stands. If it should count after all, import it "
            + "again under a new id: a stored record keeps its decision\n"))

        let show = try harness.ok(["record", "show", "r1"])
        #expect(show.contains("status          approved, posted, withdrawn"))
        #expect(show.contains("entries         award #1 reversed by #2"))
        #expect(show.contains("withdrawn       ") && show.contains("时长登记错误: 更正为 r1b"))
        let explain = try harness.ok(["explain", "r1"])
        #expect(explain.contains("Withdrawn ") && explain.contains("its award #1 was reversed by #2. It counts no more"))
        let json = try harness.ok(["record", "show", "r1", "--json"])
        #expect(json.contains("\"status\": \"approved\"") && json.contains("\"withdrawn\": true") && json.contains("\"award_reversed_by\": 2"))
        // The lines imported, decided and posted come as members of their own too, for a program to read.
        let members = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(members["import_row"] as? Int == 2 && (members["import_file"] as? String)?.hasSuffix("r1.csv") == true, "\(json)")
        #expect((members["posted_at"] as? String)?.hasSuffix("Z") == true && members["policy_version"] as? Int == 1, "\(json)")
        #expect((members["imported"] as? String)?.hasPrefix((members["imported_at"] as? String) ?? "?") == true, "\(json)")
        #expect((members["posted"] as? String)?.hasPrefix("\(members["posted_at"] ?? "?") by \(members["posted_by"] ?? "?")") == true, "\(json)")
        #expect(members["decided_at"] is String && members["decided_by"] is String, "\(json)")
        #expect(try harness.ok(["record", "list", "--status", "withdrawn"]).contains("1 record\n"))

        // The next night posts r1b: 12.00 for the hour, and the first-service bonus again, since r1 no longer holds it.
        try harness.ok(["settle", "--date", "2026-10-14"])
        let corrected = try harness.ok(["explain", "r1b"])
        #expect(corrected.contains("bonuses.first_service") && corrected.contains("= 17.00 积分"))
        #expect(!corrected.contains("received before"))
        #expect(try harness.ok(["balance", "V1"]).contains("17.00"))
        #expect(harness.run(["verify"]).exit == 0)
    }

    /// A black-box tester found `record list --status approved` listing r1 after its award was reversed: a reader of
    /// the approved records takes them as counting. The statuses now part the records, each listed under one.
    @Test("record list: a withdrawn record is listed by --status withdrawn, not --status approved, which says it left it out")
    func withdrawnIsNotListedAsApproved() throws {
        let harness = try ScoringHarness()
        try harness.community()
        try harness.ok(["record", "import", try harness.write("r.csv", Self.header
            + "r1,V1,orange,2026-10-13,08:50,10:20,张主任\nr2,V1,orange,2026-10-13,14:00,15:00,张主任\n")])
        try harness.ok(["settle", "--date", "2026-10-13"])
        #expect(try harness.ok(["record", "list", "--status", "approved"]).contains("\n2 records\n"))
        let r1 = try #require(try TimeBankStore(path: harness.databasePath).storedRecord(id: "r1").posted?.awardEntry)
        try harness.ok(["reverse", String(r1), "--key", "withdraw-r1-award", "--reason", "时长登记错误"])

        let approved = try harness.ok(["record", "list", "--status", "approved"])
        #expect(!approved.contains("r1 "), "\(approved)")
        #expect(approved.contains("r2 ") && approved.contains("approved, posted "), "\(approved)")
        #expect(approved.hasSuffix("\n1 record; 1 approved and withdrawn since is not listed: --status withdrawn\n"), "\(approved)")
        let withdrawn = try harness.ok(["record", "list", "--status", "withdrawn"])
        #expect(withdrawn.contains("r1 ") && withdrawn.contains("approved, posted, withdrawn  0.00 (posted ") && !withdrawn.contains("r2 "),
                "\(withdrawn)")
        #expect(withdrawn.hasSuffix("\n1 record\n"), "\(withdrawn)")
        // --json: the same records; "status" stays the decision and "withdrawn" tells them apart.
        let json = try harness.ok(["record", "list", "--status", "approved", "--json"])
        #expect(json.contains("\"id\": \"r2\"") && !json.contains("\"id\": \"r1\"") && json.contains("\"withdrawn\": false"), "\(json)")
        let withdrawnJSON = try harness.ok(["record", "list", "--status", "withdrawn", "--json"])
        #expect(withdrawnJSON.contains("\"status\": \"approved\"") && withdrawnJSON.contains("\"withdrawn\": true"), "\(withdrawnJSON)")
        // Without --status both are listed, as before.
        #expect(try harness.ok(["record", "list"]).hasSuffix("\n2 records\n"))
    }

    @Test("a record with an award and a penalty: both are in the advice, penalty first; one reversed leaves it counting, and each message names the other")
    func partlyReversed() throws {
        let harness = try ScoringHarness()
        try harness.community()
        // An hour tagged no_show by mistake: the hour is awarded (12 + the first-service bonus of 5) and the no-show
        // penalty of 5 is taken.
        let late = try harness.write("late.csv", Self.header.replacingOccurrences(of: "verifier", with: "verifier,tags")
            + "L1,V1,orange,2026-10-13,08:00,09:00,张主任,no_show\n")
        try harness.ok(["record", "import", late])
        try harness.ok(["settle", "--date", "2026-10-13"])
        let stored = try TimeBankStore(path: harness.databasePath).storedRecord(id: "L1")
        let posted = try #require(stored.posted)
        try #require(posted.awardEntry != nil && posted.penaltyEntry != nil, "config/policy.toml takes a penalty for tag no_show")
        let award = posted.awardEntry!, penalty = posted.penaltyEntry!

        // Both stand: the penalty's reversal comes first (it gives points back, which the award's reversal may need).
        let both = harness.run(["record", "reject", "L1", "--reason", "x"])
        #expect(both.errors.contains("reversing what stands of it: `timebank reverse \(penalty) --key withdraw-L1-penalty --reason TEXT` "
            + "and `timebank reverse \(award) --key withdraw-L1-award --reason TEXT`;"))
        let reversal = try harness.ok(["reverse", String(penalty), "--key", "undo-penalty", "--reason", "并未缺席"])
        #expect(reversal.contains("NOTE: record default:L1 still counts: its award #\(award) (17.00 points) stands"))
        #expect(reversal.contains("`timebank reverse \(award) --key withdraw-L1-award --reason TEXT`"))
        let refused = harness.run(["record", "reject", "L1", "--reason", "x"])
        #expect(refused.exit == 1 && refused.errors.hasPrefix("error[E105]: the points of record default:L1 are posted: its award #\(award) "))
        #expect(refused.errors.contains("stands; its penalty #\(penalty) (5.00 points) was reversed by #3."))
        #expect(try harness.ok(["record", "show", "L1"]).contains("withdrawn       no: "))

        try harness.ok(try Self.command(in: refused.errors, after: "reversing what stands of it:"))
        #expect(try TimeBankStore(path: harness.databasePath).storedRecord(id: "L1").isWithdrawn)
        #expect(try harness.ok(["record", "reject", "L1", "--reason", "迟到记录有误"]).contains("Withdrew 1 posted record: L1"))
    }

    @Test("a pending record in the way: E016 and E010 say to reject it first, and that works")
    func pendingRecord() throws {
        let harness = try ScoringHarness()
        try harness.community()
        let r1 = try harness.write("r1.csv", Self.header + "r1,V1,orange,2026-10-13,08:50,10:20,张主任\n")
        try harness.ok(["record", "import", r1])
        let fixed = try harness.write("fixed.csv", Self.header + "r1,V1,orange,2026-10-13,08:50,09:50,张主任\n")
        let conflict = harness.run(["record", "import", fixed])
        #expect(conflict.errors.contains("help: a stored record never changes: record default:r1 is pending; reject it first: "
            + "`timebank record reject r1 --reason TEXT`; then import the corrected record under a new id"))
        try harness.ok(try Self.command(in: conflict.errors, after: "reject it first:"))
        let r1b = try harness.write("r1b.csv", Self.header + "r1b,V1,orange,2026-10-13,08:50,09:50,张主任\n")
        #expect(try harness.ok(["record", "import", r1b]).contains("1 stored as pending"))
    }
    @Test("whatif --stored leaves a withdrawn record out, as the scorer's history does: its correction gets the freed bonus, once")
    func whatIfLeavesWithdrawnRecordsOut() throws {
        let (harness, file) = try Self.posted()
        try harness.ok(["reverse", "1", "--key", "withdraw-r1-award", "--reason", "时长登记错误"])
        // The correction, 70 minutes: 14.00 at 12 an hour, plus the first-service bonus r1 no longer holds.
        try harness.ok(["record", "import", try file("r1b.csv", "r1b,V1,orange,2026-10-13,08:50,10:00,张主任\n")])
        #expect(try harness.ok(["explain", "r1b"]).contains("= 19.00 积分"))
        let text = try String(contentsOfFile: ScoringCommandTests.policy, encoding: .utf8)
        let proposal = try harness.write("proposal.toml", text.replacingOccurrences(of: "points_per_hour = 12", with: "points_per_hour = 14"))
        let result = harness.run(["whatif", "--policy", proposal, "--active", "--stored"])
        #expect(result.exit == 0, "\(result.errors)")
        // Only r1b: before 14 + 5 = 19.00; after 70 min × 14 = 16.33, rounded to 16.50, + 5 = 21.50. Counting the withdrawn
        // r1 too gave 2 records, 37.00 before, and the bonus to r1 instead of its correction.
        #expect(result.output.hasPrefix("What if \(proposal) replaced the activated versions, over the 1 stored record that is "
            + "not rejected or withdrawn:\nTotal: 19.00 → 21.50 积分, change +2.50; 1 of 1 record changes"), "\(result.output)")
        let json = harness.run(["whatif", "--policy", proposal, "--active", "--stored", "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        #expect(object["records"] as? Int == 1)
    }
}
