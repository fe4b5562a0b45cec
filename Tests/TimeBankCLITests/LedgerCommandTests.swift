import Foundation
import Testing
import TimeBankCore
import TimeBankStorage
@testable import TimeBankCLI

@Suite("Ledger commands")
struct LedgerCommandTests {
    @Test("post, retry, balance and a refused overdraft with exit codes 0 and 1")
    func postAndBalance() throws {
        let cli = try CLIHarness()
        try cli.community()
        let award = ["post", "--from", "system:issuance", "--to", "V1", "--points", "20", "--kind", "award",
                     "--key", "award-1", "--memo", "巡逻 2小时", "--date", "2026-10-01", "--expires", "2027-10-01"]
        #expect(try cli.ok(award).contains("Posted entry #1"))
        #expect(try cli.ok(award).contains("Already posted as entry #1"))
        let changed = cli.run(award.map { $0 == "20" ? "25" : $0 })
        #expect(changed.exit == 1)
        #expect(changed.errors.contains("error[L005]"))

        let overdraft = cli.run(["post", "--from", "V1", "--to", "system:adjustments", "--points", "30", "--kind", "redemption", "--key", "r-1"])
        #expect(overdraft.exit == 1)
        #expect(overdraft.errors.contains("error[L004]"))
        #expect(overdraft.errors.contains("below its floor"))

        let json = try cli.ok(["balance", "V1", "--json"])
        #expect(json.contains("\"POINTS\": 20.00"))
        let unknown = cli.run(["balance", "V01"])
        #expect(unknown.exit == 2)
        #expect(unknown.errors.contains("did you mean \"V1\""))
        // V3 is one edit from V1 and from V2: neither is guessed.
        let tied = cli.run(["balance", "V3"])
        #expect(tied.exit == 2 && tied.errors.hasPrefix("error[C003]") && !tied.errors.contains("did you mean"), "\(tied.errors)")
        // A mistyped kind gets the kind it most likely means, by the same rule.
        let kind = cli.run(["balance", "systen:issuance"])
        #expect(kind.exit == 2 && kind.errors.hasPrefix("error[U001]: \"systen:issuance\" is not an account id; did you mean \"system:issuance\"?"),
                "\(kind.errors)")
    }

    /// An expiry took points from lots that had expired; reversed, they would go back to those same lots, still expired, and the
    /// next nightly expiry would take them again: the reversal would give nothing anyone can spend. Refused (L026), naming the
    /// entry that gives them back with a lot that can be spent.
    @Test("reverse of an expiry whose lots have expired is refused (L026) with the post that gives the points back, nothing written")
    func reverseOfAnExpiryRefused() throws {
        let cli = try CLIHarness()   // today is 2027-01-05
        try cli.community()
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "10", "--kind", "award", "--key", "a-1",
                    "--date", "2026-10-01", "--expires", "2026-10-05"])
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "20", "--kind", "award", "--key", "a-2", "--date", "2026-10-02"])
        try cli.ok(["post", "--from", "V1", "--to", "system:expired", "--points", "10", "--kind", "expiry", "--key", "x-1", "--date", "2026-10-05"])
        let head = try cli.ok(["verify"])
        let refused = cli.run(["reverse", "x-1", "--key", "undo-x-1", "--reason", "should not have expired"])
        #expect(refused.exit == 1, "\(refused)")
        #expect(refused.errors == "error[L026]: entry #3 is an expiry: the 10.00 points it took from volunteer:V1 were in a lot that "
            + "expired on 2026-10-05; reversed, they would go back to that lot, which stays expired, and the next nightly expiry would "
            + "take them again. To give them back to be spent, post them with an expiry of their own: `timebank post --from system:expired "
            + "--to volunteer:V1 --points 10.00 --kind adjustment --expires YYYY-MM-DD --key KEY --memo TEXT`; nothing was written\n",
            "\(refused.errors)")
        #expect(try cli.ok(["verify"]) == head)
        #expect(try cli.ok(["balance", "V1", "--json"]).contains("\"POINTS\": 20.00"))
        // An expiry typed by hand that took points still usable on the reversal's date gives them back: reversed as any entry.
        try cli.ok(["post", "--from", "V1", "--to", "system:expired", "--points", "5", "--kind", "expiry", "--key", "x-2", "--date", "2026-10-06"])
        #expect(try cli.ok(["reverse", "x-2", "--key", "undo-x-2", "--reason", "typed in error"]).contains("(reversal) key undo-x-2"))
        #expect(try cli.ok(["balance", "V1", "--json"]).contains("\"POINTS\": 20.00"))
    }

    /// A reversal of a credit whose lot expired takes the points from the holder's other lots (docs/ledger.md): they lose them
    /// twice. The reversal goes ahead and a NOTE says so, with the entry that gives them back; an unexpired credit gets no NOTE.
    @Test("reverse of an award whose points expired notes that the holder loses them twice, and how to give them back")
    func reverseOfAnExpiredAward() throws {
        let cli = try CLIHarness()
        try cli.community()
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "10", "--kind", "award", "--key", "a-1",
                    "--date", "2026-10-01", "--expires", "2026-10-05"])
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "20", "--kind", "award", "--key", "a-2", "--date", "2026-10-02"])
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "3", "--kind", "award", "--key", "a-3", "--date", "2026-10-03"])
        try cli.ok(["post", "--from", "V1", "--to", "system:expired", "--points", "10", "--kind", "expiry", "--key", "x-1", "--date", "2026-10-05"])
        let reversal = try cli.ok(["reverse", "1", "--key", "rev-1", "--reason", "wrong volunteer"])
        #expect(reversal.contains("NOTE: 10.00 POINTS that entry #1 credited to volunteer:V1 had expired on 2026-10-05 (taken by the nightly "
            + "expiry into system:expired), so this reversal took 10.00 of its other points instead: volunteer:V1 lost them twice. "
            + "If that was not meant, give them back: `timebank post --from system:expired --to volunteer:V1 --points 10.00 --kind adjustment "
            + "--key KEY --memo TEXT`"), "\(reversal)")
        #expect(try cli.ok(["balance", "V1", "--json"]).contains("\"POINTS\": 13.00"))
        try cli.ok(["post", "--from", "system:expired", "--to", "V1", "--points", "10", "--kind", "adjustment", "--key", "back-1", "--memo", "r1 reversed"])
        #expect(try cli.ok(["balance", "V1", "--json"]).contains("\"POINTS\": 23.00"))
        // A credit still in its lot is taken from there: no NOTE. Nor on --json, whose document is the entry.
        let plain = try cli.ok(["reverse", "3", "--key", "rev-3", "--reason", "typed twice"])
        #expect(!plain.contains("NOTE"), "\(plain)")
        #expect(try cli.ok(["verify"]).contains("agree"))
    }

    @Test("balance notes the points of lots that expired and wait for the nightly expiry; L012 names them too")
    func balanceNotesExpiredNotYetTaken() throws {
        let cli = try CLIHarness()   // today is 2027-01-05
        try cli.community()
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "20", "--kind", "award", "--key", "a1",
                    "--date", "2026-10-01", "--expires", "2027-01-03"])
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "5", "--kind", "award", "--key", "a2", "--date", "2026-10-02"])
        let text = try cli.ok(["balance", "V1"])
        #expect(text.contains("25.00"))
        #expect(text.contains("note: volunteer:V1: 20.00 POINTS of its balance expired on 2027-01-03: the balance still shows them until "
                              + "the nightly expiry takes them, but they cannot be spent"))
        let json = try cli.ok(["balance", "V1", "V2", "--json"])
        #expect(json.contains("\"expired_not_taken\": {\n      \"points\": 20.00,\n      \"from\": \"2027-01-03\",\n      \"through\": \"2027-01-03\""))
        #expect(!(try cli.ok(["balance", "V2"])).contains("note:"))
        #expect(try cli.ok(["lots", "V1"]).contains("2027-01-03 (expired, not spendable; the nightly expiry takes it)"))
        #expect(try cli.ok(["lots", "V2"]) == "volunteer:V2 holds no open lots (--all lists the spent and expired ones too)\n")
        let spend = cli.run(["post", "--from", "V1", "--to", "system:outside", "--points", "10", "--kind", "adjustment", "--key", "d1"])
        #expect(spend.exit == 1 && spend.errors.contains("error[L012]: volunteer:V1 could spend only 5.00 points on 2027-01-05"))
        #expect(spend.errors.contains("20.00 points of its balance expired on 2027-01-03"))
    }

    @Test("post refuses system:held, which only bookings move: a hand entry would stop the nightly settlement (V203)")
    func postRefusesHeld() throws {
        let cli = try CLIHarness()
        try cli.community()
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "20", "--kind", "award", "--key", "a1", "--date", "2026-10-01"])
        for (from, to) in [("system:issuance", "system:held"), ("V1", "system:held")] {
            let refused = cli.run(["post", "--from", from, "--to", to, "--points", "5", "--key", "h-\(from)", "--date", "2026-10-02"])
            #expect(refused.exit == 2)
            #expect(refused.errors.contains("system:held holds exactly the points of open bookings"))
        }
        #expect(try cli.ok(["verify"]).contains("OK"))
        #expect(try cli.ok(["balance", "V1", "--json"]).contains("\"POINTS\": 20.00"))
    }

    @Test("post refuses a station's points, which only receipts and refunds move: a hand entry would stop the nightly settlement (V205)")
    func postRefusesStationPoints() throws {
        let cli = try CLIHarness()
        try cli.community()
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "20", "--kind", "award", "--key", "a1", "--date", "2026-10-01"])
        for (from, to) in [("system:issuance", "station:S1"), ("station:S1", "system:adjustments"), ("V1", "S1")] {
            let refused = cli.run(["post", "--from", from, "--to", to, "--points", "5", "--key", "s-\(from)", "--date", "2026-10-02"])
            #expect(refused.exit == 2, "\(from) → \(to): \(refused.errors)")
            #expect(refused.errors.contains("station:S1 holds exactly the points its receipts paid, less their refunds"), "\(refused.errors)")
        }
        #expect(try cli.ok(["verify"]).contains("OK"))
        #expect(try cli.ok(["balance", "V1", "--json"]).contains("\"POINTS\": 20.00"))
        // A memo or reason typed with a right-to-left override would show reversed on the statement: refused, nothing written.
        let memo = cli.run(["post", "--from", "system:issuance", "--to", "V1", "--points", "1", "--key", "m1", "--memo", "巡逻\u{202E}2小时"])
        #expect(memo.exit == 2 && memo.errors.contains("--memo has the invisible bidirectional control U+202E"), "\(memo.errors)")
        let reason = cli.run(["reverse", "a1", "--key", "undo-a1", "--reason", "\u{2066}录错了"])
        #expect(reason.exit == 2 && reason.errors.contains("--reason has the invisible bidirectional control U+2066"), "\(reason.errors)")
        #expect(try cli.ok(["balance", "V1", "--json"]).contains("\"POINTS\": 20.00"))
    }

    /// `--to fund:main --points 100` typed for `--cny 100` was posted, and the fund then showed -1.00 points; CNY to a
    /// volunteer or a station too, where nothing ever spends or counts it.
    @Test("post refuses points on the fund and CNY on a volunteer or a station (L024, exit 2); CNY to a household is posted")
    func postRefusesAnAssetTheAccountNeverHolds() throws {
        let cli = try CLIHarness()
        try cli.community()
        try cli.ok(["fund", "donate", "--donor", "街道办", "--amount", "100", "--date", "2026-10-01"])
        let entries = try cli.entryCount()
        for (from, to, option, account) in [("fund:main", "system:outside", "--points", "fund:main"), ("system:issuance", "fund:main", "--points", "fund:main"),
                                             ("fund:main", "V1", "--cny", "volunteer:V1"), ("fund:main", "S1", "--cny", "station:S1")] {
            let refused = cli.run(["post", "--from", from, "--to", to, option, "5", "--key", "x-\(from)-\(to)", "--date", "2026-10-02"])
            #expect(refused.exit == 2, "\(from) → \(to): \(refused.errors)")
            #expect(refused.errors.hasPrefix("error[L024]: posting ") && refused.errors.contains(" on \(account), which never holds "),
                    "\(refused.errors)")
        }
        #expect(cli.run(["post", "--from", "fund:main", "--to", "system:outside", "--points", "1", "--key", "p1"]).errors
            .contains("which never holds points: the fund is kept in CNY (for money write --cny)"))
        #expect(try cli.entryCount() == entries)
        try cli.ok(["post", "--from", "fund:main", "--to", "household:H1", "--cny", "5", "--key", "h1", "--date", "2026-10-02"])
        #expect(try cli.ok(["verify"]).contains("OK"))
    }

    /// `post --from V1 --to system:issuance --kind award` (from and to swapped) took the award away; a penalty the other
    /// way gave points. The kind says which way the points go.
    @Test("post refuses an award or grant that takes points from a volunteer or household, and a penalty that gives some (L025, exit 2)")
    func postRefusesAKindAgainstItsDirection() throws {
        let cli = try CLIHarness()
        try cli.community()
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "30", "--kind", "award", "--key", "a1", "--date", "2026-10-01"])
        let entries = try cli.entryCount()
        for (from, to, kind, account) in [("V1", "system:issuance", "award", "volunteer:V1"), ("V1", "system:issuance", "grant", "volunteer:V1"),
                                          ("system:issuance", "V1", "penalty", "volunteer:V1"), ("system:issuance", "H1", "penalty", "household:H1")] {
            let refused = cli.run(["post", "--from", from, "--to", to, "--points", "20", "--kind", kind, "--key", "x-\(kind)-\(to)", "--date", "2026-10-02"])
            #expect(refused.exit == 2, "\(kind) \(from) → \(to): \(refused.errors)")
            #expect(refused.errors.hasPrefix("error[L025]: ") && refused.errors.contains(" \(account) (--from and --to swapped?)"), "\(refused.errors)")
        }
        #expect(cli.run(["post", "--from", "V1", "--to", "system:issuance", "--points", "20", "--kind", "award", "--key", "x"]).errors
            .contains("for an award write --from system:issuance --to V1; to take points away, post --kind penalty or --kind adjustment"))
        #expect(try cli.entryCount() == entries)
        // The same moves under the kinds that say so are posted.
        try cli.ok(["post", "--from", "V1", "--to", "system:issuance", "--points", "20", "--kind", "penalty", "--key", "p1", "--date", "2026-10-02"])
        try cli.ok(["post", "--from", "V1", "--to", "system:adjustments", "--points", "5", "--key", "fix-1", "--date", "2026-10-02"])
        #expect(try cli.ok(["verify"]).contains("OK"))
    }

    @Test("post and reverse refuse a key that reads as an entry number (L022, exit 2), suggesting one with a word in front")
    func numberLikeKeyRefused() throws {
        let cli = try CLIHarness()
        try cli.community()
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "20", "--kind", "award", "--key", "a1", "--date", "2026-10-01"])
        for key in ["17", "#17", "１７"] {
            let posted = cli.run(["post", "--from", "system:issuance", "--to", "V1", "--points", "1", "--key", key, "--date", "2026-10-01"])
            #expect(posted.exit == 2)
            #expect(posted.errors.hasPrefix("error[L022]: the key \"\(key)\" reads as an entry number"))
            #expect(posted.errors.contains("such as \"fix-17\"; nothing was written"))
        }
        let reversed = cli.run(["reverse", "1", "--key", "2", "--reason", "录错了"])
        #expect(reversed.exit == 2)
        #expect(reversed.errors.hasPrefix("error[L022]: the key \"2\""))
        #expect(try cli.ok(["reverse", "1", "--key", "fix-2", "--reason", "录错了"]).contains("Posted entry #2 (reversal)"))
    }

    @Test("the statement lines up when names and memos are Chinese")
    func statementAlignment() throws {
        let cli = try CLIHarness()
        try cli.community()
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "20", "--kind", "award", "--key", "a1",
                    "--memo", "橙色关怀: 探访独居老人", "--date", "2026-10-01"])
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "7.5", "--kind", "award", "--key", "a2",
                    "--memo", "cleanup", "--date", "2026-10-02"])
        try cli.ok(["post", "--from", "V1", "--to", "system:adjustments", "--points", "12.5", "--kind", "redemption", "--key", "r1",
                    "--memo", "兑换: 大米5kg", "--date", "2026-10-03"])
        let text = try cli.ok(["statement", "V1"])
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "王秀英  (volunteer:V1)  POINTS")
        // Every table line ends at the same display column: the Balance column is right-aligned.
        let table = lines[1..<6]
        let widths = Set(table.map { displayWidth(of: $0) })
        #expect(widths.count == 1, "\(table.joined(separator: "\n"))")
        #expect(lines[3].hasSuffix("橙色关怀: 探访独居老人  20.00           20.00"))
        #expect(lines[5].hasSuffix("兑换: 大米5kg                  12.50    15.00"))
        #expect(lines.last == "Balance: 15.00 POINTS")
    }

    @Test("the statement is in date order: an award written late shows on its day, and the running balance is the day's")
    func statementInDateOrder() throws {
        let cli = try CLIHarness()
        try cli.community()
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "30", "--kind", "award", "--key", "a1", "--date", "2026-10-05"])
        try cli.ok(["post", "--from", "V1", "--to", "system:adjustments", "--points", "10", "--kind", "redemption", "--key", "r1", "--date", "2026-10-06"])
        // Written last, dated first.
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "5", "--kind", "award", "--key", "a2", "--date", "2026-10-01"])
        let lines = try cli.ok(["statement", "V1"]).split(separator: "\n").map(String.init)
        #expect(lines[3].hasPrefix("2026-10-01     #3") && lines[3].hasSuffix("5.00"))
        #expect(lines[4].hasPrefix("2026-10-05     #1") && lines[4].hasSuffix("35.00"))
        #expect(lines[5].hasPrefix("2026-10-06     #2") && lines[5].hasSuffix("25.00"))
    }

    @Test("a statement of a range is a passbook page: the balance brought forward, the range's entries, the balance at its end")
    func statementOfRange() throws {
        let cli = try CLIHarness()
        try cli.community()
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "30", "--kind", "award", "--key", "a1", "--date", "2026-10-01"])
        try cli.ok(["post", "--from", "V1", "--to", "system:adjustments", "--points", "10", "--kind", "redemption", "--key", "r1", "--date", "2026-10-06"])
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "5", "--kind", "award", "--key", "a2", "--date", "2026-10-09"])
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "7", "--kind", "award", "--key", "a3", "--date", "2026-10-20"])
        // 30.00 brought forward from 10-04; -10.00 and +5.00 in the range; 25.00 at the end of 10-10 (the 10-20 award is not in it).
        let lines = try cli.ok(["statement", "V1", "--from", "2026-10-05", "--to", "2026-10-10"]).split(separator: "\n").map(String.init)
        #expect(lines[0].hasSuffix("POINTS, from 2026-10-05 to 2026-10-10"))
        #expect(lines[3].hasPrefix("2026-10-04") && lines[3].contains("brought forward") && lines[3].hasSuffix("30.00"))
        #expect(lines[4].hasPrefix("2026-10-06     #2") && lines[4].hasSuffix("20.00"))
        #expect(lines[5].hasPrefix("2026-10-09     #3") && lines[5].hasSuffix("25.00"))
        #expect(lines.count == 7 && lines[6] == "Balance at the end of 2026-10-10: 25.00 POINTS")
        let json = try cli.ok(["statement", "V1", "--from", "2026-10-05", "--to", "2026-10-10", "--json"])
        #expect(json.contains("\"brought_forward\": 30.00") && json.contains("\"balance\": 25.00") && !json.contains("\"entry\": 4"))
        // A range with no entries still gives both balances.
        #expect(try cli.ok(["statement", "V1", "--from", "2026-10-11", "--to", "2026-10-19"]).contains("Balance at the end of 2026-10-19: 25.00 POINTS"))
        // The other asset gets a note: here a CNY payment to the household; the fund's passbook is CNY and notes nothing.
        #expect(!(try cli.ok(["statement", "V1"])).contains("note:"))
        try cli.ok(["post", "--from", "fund:main", "--to", "H1", "--cny", "12.5", "--key", "pay-h1", "--date", "2026-10-21"])
        let household = try cli.ok(["statement", "H1"])
        #expect(household.hasSuffix("Balance: 0.00 POINTS\nnote: household:H1 also has 1 CNY entry (balance 12.50 CNY): timebank statement H1 --asset CNY\n"))
        #expect(!(try cli.ok(["statement", "H1", "--asset", "CNY"])).contains("note:"))
        let backwards = cli.run(["statement", "V1", "--from", "2026-10-10", "--to", "2026-10-05"])
        #expect(backwards.exit == 2 && backwards.errors.contains("--from 2026-10-10 is after --to 2026-10-05"))
    }

    /// An admin awarding points by hand (a missed award) without --expires opens a lot that never expires, unlike the points
    /// the policy awards: the output says so, with the date the policy in force would give.
    @Test("post of an award or grant without --expires notes that its points never expire and the date the policy would give")
    func handAwardNeverExpiresNoted() throws {
        let cli = try CLIHarness()
        try cli.stations(policy: stationCLIPolicy + "\n\n[expiry]\nafter_months = 12\n")
        let award = try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "20", "--kind", "award", "--key", "a1",
                                "--date", "2026-10-05"], CLIHarness.asAdmin)
        #expect(award.hasSuffix("note: these points never expire (no --expires); points earned on 2026-10-05 under policy #1 expire on "
                                + "2027-10-05: if these should too, reverse this entry and post it again with --expires 2027-10-05\n"), "\(award)")
        let dated = try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "20", "--kind", "award", "--key", "a2",
                                "--date", "2026-10-05", "--expires", "2027-10-05"], CLIHarness.asAdmin)
        #expect(!dated.contains("note:"), "\(dated)")
        // An adjustment is a correction, which may rightly never expire; a retry says nothing new either.
        let adjustment = try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "1", "--key", "fix-1",
                                     "--date", "2026-10-05"], CLIHarness.asAdmin)
        #expect(!adjustment.contains("note:"), "\(adjustment)")
        let again = try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "20", "--kind", "award", "--key", "a1",
                                "--date", "2026-10-05"], CLIHarness.asAdmin)
        #expect(!again.contains("note:"), "\(again)")
    }

    @Test("a statement page after today (a year typed one too many) says so: no balance brought forward to a day to come, no balance at the end of one")
    func statementAfterToday() throws {
        let cli = try CLIHarness()   // today is 2027-01-05
        try cli.community()
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "30", "--kind", "award", "--key", "a1", "--date", "2026-10-01"])
        let future = try cli.ok(["statement", "V1", "--from", "2028-01-01"])
        #expect(!future.contains("2027-12-31") && !future.contains("brought forward"), "\(future)")
        #expect(future.contains("No POINTS entries dated from 2028-01-01 on: that day is after today (2027-01-05)."), "\(future)")
        #expect(future.hasSuffix("Balance today (2027-01-05): 30.00 POINTS\n"), "\(future)")
        // A page that runs past today (the month under way) lists its entries so far; its balance is today's, not the
        // end of a day still to come, when points may have expired.
        let month = try cli.ok(["statement", "V1", "--from", "2026-10-01", "--to", "2027-01-31"])
        #expect(month.contains("brought forward") && month.hasSuffix("Balance today (2027-01-05; --to 2027-01-31 is still to come): 30.00 POINTS\n"), "\(month)")
        let json = try cli.ok(["statement", "V1", "--from", "2028-01-01", "--json"])
        #expect(json.contains("\"brought_forward\": 30.00") && json.contains("\"balance\": 30.00"))
    }

    @Test("reverse by entry number; a second reversal is refused")
    func reverse() throws {
        let cli = try CLIHarness()
        try cli.community()
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "20", "--kind", "award", "--key", "a1"])
        try cli.ok(["post", "--from", "V1", "--to", "system:adjustments", "--points", "5", "--kind", "redemption", "--key", "r1"])
        // Points given away by hand would dodge the gift's monthly limit: that is `transfer`/`donate`, not `post`.
        let gift = cli.run(["post", "--from", "V1", "--to", "V2", "--points", "1", "--kind", "transfer", "--key", "t1"])
        #expect(gift.exit == 2 && gift.errors.contains("points given away by volunteer:V1 are a `timebank transfer`"))
        // A reversal says why: an empty or blank reason is bad usage, and nothing is posted.
        for blank in ["", "   "] {
            let unexplained = cli.run(["reverse", "2", "--key", "undo-2", "--reason", blank])
            #expect(unexplained.exit == 2)
            #expect(unexplained.errors.contains("--reason is empty; say in a few words why"))
        }
        #expect(try cli.ok(["reverse", "2", "--key", "undo-2", "--reason", "wrong item"]).contains("Posted entry #3 (reversal)"))
        let again = cli.run(["reverse", "r1", "--key", "undo-2b", "--reason", "again"])
        #expect(again.exit == 1)
        #expect(again.errors.contains("error[L008]"))
        #expect(try cli.ok(["balance", "V1", "--json"]).contains("\"POINTS\": 20.00"))
    }

    @Test("verify exits 3 and names the entry whose posting was edited with raw SQL")
    func verifyFindsTampering() throws {
        let cli = try CLIHarness()
        try cli.community()
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "20", "--kind", "award", "--key", "a1"])
        try cli.ok(["post", "--from", "system:issuance", "--to", "V2", "--points", "10", "--kind", "award", "--key", "a2"])
        try cli.ok(["post", "--from", "V1", "--to", "system:adjustments", "--points", "5", "--kind", "redemption", "--key", "r1"])
        #expect(try cli.ok(["verify"]).hasPrefix("OK: 3 entries"))

        let store = try TimeBankStore(path: cli.databasePath)
        try store.database.execute("DROP TRIGGER postings_append_only_update")
        try store.database.execute("UPDATE postings SET amount = 900 WHERE entry = 2 AND amount = 1000")
        let result = cli.run(["verify"])
        #expect(result.exit == 3)
        #expect(result.errors.contains("error[V002]: entry #2:"))
        #expect(result.errors.contains("the first broken entry is #2"))
        // And what to do: verify changed nothing; the file was changed outside timebank.
        #expect(result.errors.hasSuffix(")\nhelp: verify changed nothing. Stop the "
            + "writers (the nightly job, the stations) and find out who or what changed the file (a hand edit with sqlite3? a disk "
            + "fault?); if the data is damaged, restore the last good backup (docs/operations.md, Restore) and check it with "
            + "`timebank verify --head HASH` of the last head noted outside the store\n"), "\(result.errors)")
    }

    @Test("verify --head: a head noted outside the store is found in the chain; a ledger cut short after it, which the chain alone cannot show, is V024")
    func verifyChecksAHeadNotedOutside() throws {
        let cli = try CLIHarness()
        try cli.community()
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "20", "--kind", "award", "--key", "a1"])
        try cli.ok(["post", "--from", "system:issuance", "--to", "V2", "--points", "10", "--kind", "award", "--key", "a2"])
        try cli.ok(["post", "--from", "V1", "--to", "system:adjustments", "--points", "5", "--kind", "redemption", "--key", "r1"])
        func head(_ text: String) throws -> String {
            try #require(text.split(separator: "\n").first { $0.hasPrefix("Head hash: ") }.map { String($0.dropFirst(11)) })
        }
        let third = try head(try cli.ok(["verify"]))
        let store = try TimeBankStore(path: cli.databasePath)
        let second = try #require(try store.entry(sequence: 2)).hash.map { String(format: "%02x", $0) }.joined()
        // The whole hash, and the first 16 digits in capitals as `settle list` shows them.
        #expect(try cli.ok(["verify", "--head", third, "--head", second.prefix(16).uppercased()]).hasSuffix("""
            Head \(third) (--head): entry #3, still in the chain (the newest entry).
            Head \(second.prefix(16)) (--head): entry #2, still in the chain; 1 entry written after it.

            """))
        // Too few digits, or not hexadecimal: exit 2 before anything is read.
        for bad in [String(third.prefix(11)), "head-of-monday"] {
            let result = cli.run(["verify", "--head", bad])
            #expect(result.exit == 2 && result.errors.contains("is not a ledger hash: write the 64 hexadecimal digits"), "\(result.errors)")
        }

        // The last entry is cut off with everything it changed put back (the lot it drew on, the cached balances): the
        // chain left is whole and consistent, so verify alone passes; the head noted before finds the cut.
        try store.database.execute("""
            PRAGMA foreign_keys=OFF;
            DROP TRIGGER entries_append_only_delete; DROP TRIGGER postings_append_only_delete; DROP TRIGGER allocations_append_only_delete;
            UPDATE lots SET remaining = remaining + 500 WHERE account = (SELECT number FROM accounts WHERE id = 'volunteer:V1');
            UPDATE balances SET balance = balance + 500 WHERE account = (SELECT number FROM accounts WHERE id = 'volunteer:V1');
            UPDATE balances SET balance = balance - 500 WHERE account = (SELECT number FROM accounts WHERE id = 'system:adjustments');
            DELETE FROM lot_allocations WHERE entry = 3; DELETE FROM postings WHERE entry = 3; DELETE FROM entries WHERE sequence = 3;
            """)
        #expect(try cli.ok(["verify"]).hasPrefix("OK: 2 entries"))
        let cut = cli.run(["verify", "--head", third])
        #expect(cut.exit == 3)
        #expect(cut.errors.contains("error[V024]: the head \(third) given with --head is not in the chain, which ends at #2 (head \(second)): "
                                    + "the ledger was cut short after that head was noted"), "\(cut.errors)")
        let json = cli.run(["verify", "--head", third, "--head", second, "--json"])
        #expect(json.exit == 3 && json.output.contains("""
              "heads": [
                {
                  "given": "\(third)",
                  "entry": null
                },
                {
                  "given": "\(second)",
                  "entry": 2
                }
              ],
            """), "\(json.output)")
    }

    @Test("an empty file or another program's SQLite database is refused as a store, and left as it was; init makes an empty file a store")
    func refusesFilesThatAreNotStores() throws {
        let cli = try CLIHarness()
        // A store wiped to 0 bytes must not pass verify as a new, empty ledger.
        #expect(FileManager.default.createFile(atPath: cli.databasePath, contents: Data()))
        for arguments in [["verify"], ["balance"], ["post", "--from", "system:issuance", "--to", "system:adjustments", "--points", "1", "--key", "k"]] {
            let result = cli.run(arguments)
            #expect(result.exit == 2, "\(arguments)")
            #expect(result.errors.contains("is empty, not a timebank database"), "\(result.errors)")
        }
        #expect(try FileManager.default.attributesOfItem(atPath: cli.databasePath)[.size] as? Int == 0)
        #expect(try cli.ok(["init"]).hasPrefix("Created \(cli.databasePath)"))
        #expect(try cli.ok(["verify"]).hasPrefix("OK: 0 entries"))

        // Another program's database: nothing is written to it, not even by init.
        let other = cli.folder + "/other.sqlite"
        try SQLiteDatabase(path: other).execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
        for arguments in [["--db", other, "verify"], ["--db", other, "init"]] {
            let result = cli.run(arguments)
            #expect(result.exit == 2, "\(arguments)")
            #expect(result.errors.contains("is a SQLite database, but not a timebank one"), "\(result.errors)")
        }
        let tables = try SQLiteDatabase(path: other, readOnly: true).statement("SELECT name FROM sqlite_master WHERE type = 'table'").rows { $0.text(0) }
        #expect(tables == ["notes"])
    }

    @Test("$TIMEBANK_UTC_OFFSET_MINUTES that is not minutes from -720 to 840 is refused before the command runs")
    func refusesBadUTCOffset() throws {
        let cli = try CLIHarness()
        try cli.community()
        for value in ["99999", "abc", "", "8.5", "-721", "841"] {
            let result = cli.run(["settle", "--json"], environment: ["TIMEBANK_UTC_OFFSET_MINUTES": value])
            #expect(result.exit == 2, "\(value)")
            #expect(result.errors.contains("error[U001]: TIMEBANK_UTC_OFFSET_MINUTES is \"\(value)\"; give the community's offset from UTC in minutes"),
                    "\(result.errors)")
        }
        #expect(try cli.ok(["verify"]).hasPrefix("OK: 0 entries"))
        #expect(cli.run(["balance"], environment: ["TIMEBANK_UTC_OFFSET_MINUTES": "-300"]).exit == 0)
        #expect(cli.run(["balance"], environment: ["TIMEBANK_UTC_OFFSET_MINUTES": "840"]).exit == 0)
    }

    @Test("a --date after today is refused for anything that happened (post, fund, dividend, reverse): nothing is written")
    func refusesFutureDates() throws {
        // Today is 2026-09-21 in UTC+8.
        let cli = try CLIHarness(now: Timestamp(millisecondsSinceEpoch: 1_790_000_000_000))
        try cli.community()
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "20", "--kind", "award", "--key", "a1", "--date", "2026-09-21"])
        for arguments in [
            ["post", "--from", "system:issuance", "--to", "V1", "--points", "20", "--kind", "award", "--key", "a2", "--date", "2026-09-22"],
            ["fund", "contribute", "--merchant", "粮油店", "--turnover", "30000", "--date", "2026-12-01", "--key", "c1"],
            ["dividend", "--period", "2026-Q3", "--amount", "100", "--date", "2027-01-01"],
            ["reverse", "a1", "--key", "undo", "--reason", "wrong", "--date", "2026-09-22"],
        ] {
            let result = cli.run(arguments)
            #expect(result.exit == 2, "\(arguments)")
            #expect(result.errors.contains("is after today (2026-09-21): it says when this happened, so it cannot be in the future"),
                    "\(result.errors)")
        }
        #expect(try cli.ok(["verify"]).hasPrefix("OK: 1 entry,"))
    }

    @Test("usage errors exit 2 with a suggestion; every command has help with an example")
    func usage() throws {
        let cli = try CLIHarness()
        try cli.community()
        let typo = cli.run(["post", "--form", "V1"])
        #expect(typo.exit == 2)
        #expect(typo.errors.contains("did you mean --from?"))
        let unknown = cli.run(["balanse"])
        #expect(unknown.exit == 2)
        #expect(unknown.errors.contains("did you mean \"balance\"?"))
        // A command's option typed before its name: said where it goes, with the command line written right.
        let optionFirst = cli.run(["--limit", "3", "record", "list"])
        #expect(optionFirst.exit == 2)
        #expect(optionFirst.errors == "error[U001]: \"--limit\" is not an option of timebank itself; a command's options come after its name: "
                + "timebank record list --limit 3\n", "\(optionFirst.errors)")
        let noCommand = cli.run(["--frob"])
        #expect(noCommand.exit == 2 && noCommand.errors.contains("the options before a command are --db PATH, --json, --help and --version"))
        // The version asked for as a command or a short option: said where it is.
        #expect(cli.run(["version"]).errors.contains("unknown command \"version\"; the version is printed by timebank --version"))
        #expect(cli.run(["-V"]).errors.contains("\"-V\" is not an option of timebank itself; the version is printed by timebank --version"))
        let subcommandTypo = cli.run(["record", "aprove", "r1"])
        #expect(subcommandTypo.exit == 2)
        #expect(subcommandTypo.errors.contains("unknown command \"record aprove\"; did you mean \"record approve\"?"))
        // A 10,000-character id is named by its start, its end and its length, not echoed whole.
        let long = String(repeating: "V", count: 10_000)
        let huge = cli.run(["balance", long])
        #expect(huge.exit == 2)
        #expect(huge.errors.count < 400)
        #expect(huge.errors.contains("…(9922 more characters)…"), "\(huge.errors.prefix(300))")
        let commandInGroup = cli.run(["record", "explain", "r1"])
        #expect(commandInGroup.exit == 2)
        #expect(commandInGroup.errors.contains("unknown command \"record explain\"; did you mean \"explain\"? (timebank explain --help)"))
        for command in TimeBankCLI.commands {
            let help = cli.run(command.name.split(separator: " ").map(String.init) + ["--help"])
            #expect(help.exit == 0)
            #expect(help.output.contains("Example"), "\(command.name) --help has no example")
        }
        #expect(cli.run(["--help"]).output.contains("Exit codes: 0 done, 1 refused by a rule, 2 bad input or usage, 3 integrity failure"))
        // `help help` (help on help) was "unknown command \"help\"": it is the overview, as `help` is.
        for words in [["help"], ["help", "help"]] {
            let help = cli.run(words)
            #expect(help.exit == 0, "\(words)")
            #expect(help.output == cli.run(["--help"]).output, "\(words)")
        }
        let noDatabase = cli.run(["balance"], environment: ["TIMEBANK_DB": cli.folder + "/none.sqlite"])
        #expect(noDatabase.exit == 2)
        #expect(noDatabase.errors.contains("timebank init"))
    }

    /// The global options were read apart from the command's: `--db` given twice used the last path without a word (a
    /// `--db` in a script's alias and another typed after it: two stores), `--db --json` took `--json` as the path and
    /// advised `timebank init --db --json`, `--db=` advised `timebank init --db `, and `--JSON`, `--jsn`, `--hepl` or
    /// `--json=1` got "unknown option" with no did-you-mean.
    @Test("the global options: --db twice, without its path or before another option, and a global option mistyped, are refused (U001) naming it")
    func globalOptionsMistyped() throws {
        let cli = try CLIHarness()
        try cli.community()
        let other = cli.folder + "/other.sqlite"
        try cli.ok(["init", "--db", other])
        let cases: [([String], String)] = [
            (["--db", cli.databasePath, "balance", "V1", "--db", other], "--db is given 2 times; give it once"),
            (["--db", "--json", "balance", "V1"], "--db needs a path, and --json after it is an option; a path written like one is given as --db=--json"),
            (["--db=", "balance", "V1"], "--db needs a path"),
            (["balance", "V1", "--db"], "--db needs a path"),
            (["balance", "V1", "--JSON"], "unknown option --JSON; did you mean --json? (see --help)"),
            (["balance", "V1", "--jsn"], "unknown option --jsn; did you mean --json? (see --help)"),
            (["balance", "V1", "--hepl"], "unknown option --hepl; did you mean --help? (see --help)"),
            (["balance", "V1", "--dbb", other], "unknown option --dbb; did you mean --db? (see --help)"),
            (["balance", "V1", "--json=1"], "--json takes no value"),
            (["balance", "V1", "--help=yes"], "--help takes no value"),
        ]
        for (arguments, expected) in cases {
            let result = cli.run(arguments)
            #expect(result.exit == 2 && result.errors == "error[U001]: \(expected)\n", "\(arguments): \(result.errors)")
        }
        // A value after `--` is the command's, not a global option.
        #expect(cli.run(["balance", "--", "--json"]).errors.hasPrefix("error[C003]: "))
        #expect(try cli.ok(["--db", other, "balance"]).contains("Sum of every account: 0.00"))
    }

    @Test("an account typed as a person says it (a name, full-width, with a full-width colon, `fund`) gets C003 with the id to write; nothing is shown for it")
    func accountTypedAsSaid() throws {
        let cli = try CLIHarness()
        try cli.community()
        try cli.ok(["volunteer", "add", "--id", "V3", "--name", "Li", "--joined", "2024-05-01"])
        let cases: [(typed: String, help: String)] = [
            ("王秀英", "\"王秀英\" is the name of volunteer:V1; write its id: V1"),
            ("王 秀英", "\"王 秀英\" is the name of volunteer:V1; write its id: V1"),
            ("王家", "\"王家\" is the name of household:H1; write its id: H1"),
            ("太白湖区第一志愿服务积分兑换站", "is the name of station:S1; write its id: S1"),
            ("Li", "2 accounts are named \"Li\": volunteer:V2, volunteer:V3; write the id of the one you mean"),
            ("Ｖ１", "did you mean \"V1\"? It was typed in full-width characters or with spaces"),
            ("volunteer：V1", "did you mean \"volunteer:V1\"? It was typed in full-width characters or with spaces"),
            ("volunteer: V1", "did you mean \"volunteer:V1\"?"),
            ("fund", "did you mean \"fund:main\"? Accounts other than volunteers, households and stations are written kind:id"),
            ("issuance", "did you mean \"system:issuance\"?"),
            // A name one slip away, with the id to write; the person at the desk checks before writing it.
            ("王秀音", "did you mean 王秀英 (volunteer:V1)? Check with the person, then write the id"),
        ]
        for (typed, help) in cases {
            for command in [["statement", typed], ["balance", typed], ["lots", typed]] {
                let result = cli.run(command)
                #expect(result.exit == 2, "\(command)")
                #expect(result.errors.hasPrefix("error[C003]: no "), "\(command): \(result.errors)")
                #expect(result.errors.contains(help), "\(command): \(result.errors)")
                #expect(!result.output.contains("POINTS"), "\(command)")
            }
        }
        // A typo still gets the near id, and an id nobody has nothing more.
        #expect(cli.run(["statement", "v1"]).errors.hasPrefix("error[C003]: no volunteer, household or station \"v1\"; did you mean \"V1\"?"))
        #expect(cli.run(["statement", "X77"]).errors == "error[C003]: no volunteer, household or station \"X77\"\n")
        // A name of two characters is too short to guess (王冢 is one slip from 王家), and a name near two is a tie.
        #expect(cli.run(["statement", "王冢"]).errors == "error[C003]: no volunteer, household or station \"王冢\"\n")
        try cli.ok(["volunteer", "add", "--id", "V4", "--name", "王秀兰", "--joined", "2024-05-01"])
        #expect(cli.run(["statement", "王秀音"]).errors == "error[C003]: no volunteer, household or station \"王秀音\"\n")
        // Part of two names: both, with the list that shows every volunteer whose name holds it.
        #expect(cli.run(["balance", "王秀"]).errors == "error[C003]: no volunteer, household or station \"王秀\"; \"王秀\" is part of "
                + "2 names: volunteer:V1 (王秀英), volunteer:V4 (王秀兰); write the id of the one you mean (timebank volunteer list --name 王秀 lists them)\n")
        // A single character is part of too many names to say; a typed id with digits is no name.
        #expect(cli.run(["balance", "秀"]).errors == "error[C003]: no volunteer, household or station \"秀\"\n")
    }

    @Test("lots of a station or the fund says such an account keeps no lots and gives its balance, rather than 'no open lots'")
    func lotsOfAccountWithoutLots() throws {
        let cli = try CLIHarness()
        try cli.community()
        try cli.ok(["fund", "donate", "--donor", "街道办", "--amount", "12.5", "--date", "2026-10-01"])
        let station = try cli.ok(["lots", "S1"])
        #expect(station.hasPrefix("station:S1 keeps no lots: only volunteers' and households' points are kept in lots"), "\(station)")
        #expect(station.contains("Its balance is 0.00 POINTS and 0.00 CNY; `timebank statement station:S1` lists its entries"), "\(station)")
        let fund = try cli.ok(["lots", "fund:main"])
        #expect(fund.hasPrefix("fund:main keeps no lots"), "\(fund)")
        #expect(fund.contains("Its balance is 0.00 POINTS and 12.50 CNY"), "\(fund)")
        // A volunteer with none is as before.
        #expect(try cli.ok(["lots", "V2"]) == "volunteer:V2 holds no open lots (--all lists the spent and expired ones too)\n")
    }

    @Test("entry show says a debit took points from a lot and its reversal gave them back to it")
    func entryShowLotWording() throws {
        let cli = try CLIHarness()
        try cli.community()
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "10", "--kind", "award", "--key", "a1", "--memo", "奖励"])
        try cli.ok(["post", "--from", "V1", "--to", "system:adjustments", "--points", "4", "--key", "d1", "--memo", "更正"])
        try cli.ok(["reverse", "2", "--key", "undo-d1", "--reason", "记错了"])
        let debit = try cli.ok(["entry", "show", "2"])
        #expect(debit.contains(" took 4.00 from lot 1\n"), "\(debit)")
        #expect(try cli.ok(["entry", "show", "3"]).contains("gave back 4.00 to lot 1\n"))
    }

    @Test("a statement of a range before the account's first entry ends at 0.00, not at today's balance")
    func statementBeforeFirstEntry() throws {
        let cli = try CLIHarness()
        try cli.community()
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "10", "--kind", "award", "--key", "a1", "--memo", "奖励",
                    "--date", "2026-10-01"])
        let page = try cli.ok(["statement", "V1", "--from", "2025-01-01", "--to", "2025-12-31"])
        #expect(page.hasSuffix("Balance at the end of 2025-12-31: 0.00 POINTS\n"), "\(page)")
        let json = try cli.ok(["statement", "V1", "--to", "2026-09-30", "--json"])
        #expect(json.contains("\"lines\": []") && json.hasSuffix("\"balance\": 0.00\n}\n"), "\(json)")
        // From the first entry on, and up to a day after it, as before.
        #expect(try cli.ok(["statement", "V1", "--to", "2026-10-01"]).hasSuffix("Balance at the end of 2026-10-01: 10.00 POINTS\n"))
    }

    @Test("a passbook with no entries says so instead of printing an empty table; a range with none says which")
    func statementWithoutEntries() throws {
        let cli = try CLIHarness()
        try cli.community()
        #expect(try cli.ok(["statement", "V1"]) == "王秀英  (volunteer:V1)  POINTS\nNo POINTS entries yet.\nBalance: 0.00 POINTS\n")
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "10", "--kind", "award", "--key", "a1", "--memo", "奖励",
                    "--date", "2026-10-01"])
        let page = try cli.ok(["statement", "V1", "--from", "2026-11-01", "--to", "2026-11-30"])
        #expect(page.contains("brought forward 承前页"), "\(page)")
        #expect(page.hasSuffix("No POINTS entries dated from 2026-11-01 up to 2026-11-30.\nBalance at the end of 2026-11-30: 10.00 POINTS\n"), "\(page)")
    }

    @Test("the statement keeps a memo of up to 40 columns on its line and wraps a longer one onto the lines under it, cutting nothing")
    func statementMemoWidth() throws {
        let cli = try CLIHarness()
        try cli.community()
        let memos = ["蓝色调解（新） 90 min · default:pv-34b", "积分过期 points expired by 2026-12-01", String(repeating: "长", count: 25)]
        for (index, memo) in memos.enumerated() {
            try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "1", "--kind", "award", "--key", "m\(index)",
                        "--memo", memo, "--date", "2026-10-01"])
        }
        let text = try cli.ok(["statement", "V1"])
        #expect(text.contains("蓝色调解（新） 90 min · default:pv-34b  "), "\(text)")
        #expect(text.contains("积分过期 points expired by 2026-12-01  "))
        // 50 columns without a space: 40 on the entry's line, the last 10 under it, in the memo column.
        #expect(text.contains(String(repeating: "长", count: 20) + "  1.00"), "\(text)")
        #expect(text.contains("\n" + String(repeating: " ", count: 26) + String(repeating: "长", count: 5) + "\n"), "\(text)")
        #expect(!text.contains("…"))
    }

    /// A policy that names its points 信义币, as Bo'er village does.
    static let trustCoinPolicy = """
        [policy]
        id = "passbook"
        version = 1
        effective = 2026-01-01
        unit = "信义币"

        [categories.orange]
        points_per_hour = 12
        """

    @Test("the passbook as a resident reads it: the policy's unit, memos wrapped whole (a record id stays on one line), a reversal naming what it undoes")
    func passbookGolden() throws {
        let cli = try CLIHarness()
        try cli.community()
        try cli.ok(["policy", "activate", try cli.write("policy.toml", Self.trustCoinPolicy)])
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "25", "--kind", "award", "--key", "a1",
                    "--memo", "红色教育 120 min · default:d2026-10-20-25", "--date", "2026-10-20"])
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "24", "--kind", "award", "--key", "a2",
                    "--memo", "橙色关怀 120 min · default:d2026-10-23-6", "--date", "2026-10-23"])
        try cli.ok(["post", "--from", "V1", "--to", "system:adjustments", "--points", "20", "--kind", "redemption", "--key", "r1",
                    "--memo", "兑换 饼干礼盒 ×1 @S01 [night-116]", "--date", "2026-10-28"])
        try cli.ok(["reverse", "1", "--key", "withdraw-d2026-10-20-25", "--reason", "时长登记错误", "--date", "2026-11-02"])
        let text = try cli.ok(["statement", "V1"])
        #expect(text == """
            王秀英  (volunteer:V1)  信义币
            Date        Entry  Kind        Memo                                         In    Out  Balance
            ----------  -----  ----------  ----------------------------------------  -----  -----  -------
            2026-10-20     #1  award       红色教育 120 min ·                        25.00           25.00
                                           default:d2026-10-20-25
            2026-10-23     #2  award       橙色关怀 120 min · default:d2026-10-23-6  24.00           49.00
            2026-10-28     #3  redemption  兑换 饼干礼盒 ×1 @S01 [night-116]                20.00    29.00
            2026-11-02     #4  reversal    reverses #1 红色教育 120 min ·                   25.00     4.00
                                           default:d2026-10-20-25 — 时长登记错误
            Balance: 4.00 信义币

            """, "\(text)")
        // Every line of the table ends at the same column, or (a memo's continuation) inside the memo column.
        let table = text.split(separator: "\n").dropFirst().dropLast()
        #expect(Set(table.filter { !$0.hasPrefix(" ") }.map { displayWidth(of: String($0)) }).count == 1)
        #expect(table.filter { $0.hasPrefix(" ") }.allSatisfy { displayWidth(of: String($0)) <= 31 + 40 })
        // A page of it, and an empty passbook, say the unit the same way; --asset and --json keep POINTS.
        #expect(try cli.ok(["statement", "V1", "--from", "2026-11-01"]).hasSuffix("Balance: 4.00 信义币\n"))
        #expect(try cli.ok(["statement", "V2"]) == "Li  (volunteer:V2)  信义币\nNo 信义币 entries yet.\nBalance: 0.00 信义币\n")
        #expect(try cli.ok(["statement", "V1", "--asset", "POINTS"]).hasPrefix("王秀英  (volunteer:V1)  信义币\n"))
        let json = try cli.ok(["statement", "V1", "--json"])
        #expect(json.contains("\"asset\": \"POINTS\""))
        // The stored memo is as it was; the line says which entry it reverses, for a program to follow.
        #expect(json.contains("\"memo\": \"时长登记错误\",\n      \"amount\": -25.00,\n      \"balance\": 4.00,\n      \"reverses\": 1\n"), "\(json)")
        #expect(!json.contains("\"reverses\": 3"))
    }

    @Test("a reversal without a reason (the library's default memo) names what it undoes once")
    func reversalWithDefaultMemo() throws {
        let cli = try CLIHarness()
        try cli.community()
        let store = try TimeBankStore(path: cli.databasePath, clock: cli.clock)
        try store.post(EntryRequest.move(key: "a1", kind: .award, date: LocalDate("2026-10-01")!, actor: "admin", memo: "探访独居老人 2小时",
                                         from: .issuance, to: .volunteer("V1"), amount: 2000))
        try store.reverse(sequence: 1, key: "undo-1", actor: "admin", memo: "", on: LocalDate("2026-10-02")!)
        let lines = try cli.ok(["statement", "V1"]).split(separator: "\n")
        #expect(lines[4].hasSuffix("reversal  reverses #1 探访独居老人 2小时         20.00     0.00"), "\(lines)")
    }

    @Test("a correction re-posted under the key of the reversed entry: L005 says that entry is reversed and suggests a key; nothing is written")
    func correctionUnderReversedKey() throws {
        let cli = try CLIHarness()
        try cli.community()
        let award = ["post", "--from", "system:issuance", "--to", "V1", "--kind", "award", "--key", "award-V1", "--memo", "年终奖励"]
        try cli.ok(award + ["--points", "20"])
        try cli.ok(["reverse", "award-V1", "--key", "fix-award-V1", "--reason", "应为25分"])
        let again = cli.run(award + ["--points", "25"])
        #expect(again.exit == 1)
        #expect(again.errors == "error[L005]: the key \"award-V1\" was already used by entry #1 with different content, and #1 was "
            + "reversed by #2: a corrected entry is a new entry, so give it a key of its own, such as \"award-V1-corrected\"; nothing was written\n")
        #expect(try cli.ok(["balance", "V1"]).contains("0.00"))
        // The suggested key goes through; a key whose entry stands keeps the message it had.
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--kind", "award", "--key", "award-V1-corrected", "--memo", "年终奖励",
                    "--points", "25"])
        let standing = cli.run(["post", "--from", "system:issuance", "--to", "V1", "--kind", "award", "--key", "award-V1-corrected",
                                "--memo", "年终奖励", "--points", "26"])
        #expect(standing.errors.hasPrefix("error[L005]: the key \"award-V1-corrected\" was already used by entry #3 with different content; use a new key"))
        // The reversal sent again with another reason is its key used with other content (L005), not a second reversal (L008).
        let retry = cli.run(["reverse", "award-V1", "--key", "fix-award-V1", "--reason", "其他理由"])
        #expect(retry.exit == 1 && retry.errors.hasPrefix("error[L005]: the key \"fix-award-V1\" was already used by entry #2 with different content"))
        let other = cli.run(["reverse", "award-V1", "--key", "fix-award-V1-again", "--reason", "应为25分"])
        #expect(other.exit == 1 && other.errors.hasPrefix("error[L008]: entry #1 was already reversed by entry #2"))
    }

    @Test("--db naming a folder, a text file (a CSV, a report) or a write-ahead log is bad input (exit 2) in words, not S10 or S26 (exit 3 from verify); the file is left as it was")
    func databasePathThatIsSomethingElse() throws {
        let cli = try CLIHarness()
        try cli.community()
        let folder = cli.folder + "/reports"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let folderResult = cli.run(["--db", folder, "verify"])
        #expect(folderResult.exit == 2)
        #expect(folderResult.errors == "error[U001]: \(folder) is a folder, not a timebank database; nothing was read or written: "
            + "--db takes the database file in it (e.g. \(folder)/community.sqlite)\n")
        let csv = try cli.write("nov.csv", "id,volunteer,category,date\nr1,V1,orange,2026-11-01\n")
        let csvResult = cli.run(["--db", csv, "verify"])
        #expect(csvResult.exit == 2)
        #expect(csvResult.errors == "error[U001]: \(csv) is a text file (it begins \"id,volunteer,category,date\"), not a timebank "
            + "database; nothing was read or written: pass the database with --db\n")
        #expect(try String(contentsOfFile: csv, encoding: .utf8) == "id,volunteer,category,date\nr1,V1,orange,2026-11-01\n")
        #expect(!FileManager.default.fileExists(atPath: csv + "-wal"))
        let wal = cli.folder + "/copy.sqlite-wal"
        try Data([0x37, 0x7F, 0x06, 0x82] + [UInt8](repeating: 0, count: 28)).write(to: URL(fileURLWithPath: wal))
        #expect(cli.run(["--db", wal, "statement", "V1"]).errors.contains("is a SQLite write-ahead log, not a timebank database; nothing was "
            + "read or written: --db takes the database, \(cli.folder)/copy.sqlite"))
        // The store itself still opens.
        #expect(try cli.ok(["verify"]).hasPrefix("OK"))
    }

    @Test("lots --all has an Expired column: what the expiry took from each lot, so a lot emptied by spending is told from one that expired")
    func lotsAllShowsExpired() throws {
        let cli = try CLIHarness()
        try cli.community()
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "10", "--kind", "award", "--key", "a1", "--memo", "奖励",
                    "--date", "2026-10-01", "--expires", "2026-10-05"])
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "3", "--kind", "award", "--key", "a2", "--memo", "奖励",
                    "--date", "2026-10-01"])
        try cli.ok(["post", "--from", "V1", "--to", "system:adjustments", "--points", "4", "--key", "spend", "--memo", "兑换",
                    "--date", "2026-10-02"])
        try cli.ok(["post", "--from", "V1", "--to", "system:expired", "--points", "6", "--kind", "expiry", "--key", "expire-a1",
                    "--memo", "积分过期", "--date", "2026-10-05"])
        let text = try cli.ok(["lots", "V1", "--all"])
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "Lot  Entry  Credited  Remaining  Expired  Expires on", "\(text)")
        #expect(lines[2] == "  1     #1     10.00       0.00     6.00  2026-10-05", "\(text)")
        #expect(lines[3] == "  2     #2      3.00       3.00     0.00  never", "\(text)")
        let json = try cli.ok(["lots", "V1", "--all", "--json"])
        #expect(json.contains("\"expires_on\": \"2026-10-05\",\n    \"expired\": 6.00"), "\(json)")
        // Without --all, as before: no column.
        #expect(try cli.ok(["lots", "V1"]).hasPrefix("Lot  Entry  Credited  Remaining  Expires on"))
    }

    @Test("balance of every account ends with the trial balance: the sum per asset (0) and the points volunteers and households hold; a broken cache says so")
    func balanceTrialBalance() throws {
        let cli = try CLIHarness()
        try cli.community()
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "30", "--kind", "award", "--key", "a1", "--memo", "奖励"])
        try cli.ok(["post", "--from", "system:issuance", "--to", "H1", "--points", "12.5", "--kind", "award", "--key", "a2", "--memo", "奖励"])
        try cli.ok(["post", "--from", "V1", "--to", "system:adjustments", "--points", "10", "--kind", "redemption", "--key", "r1", "--memo", "兑换"])
        let text = try cli.ok(["balance"])
        #expect(text.hasSuffix("Sum of every account: 0.00 POINTS, 0.00 CNY (every entry balances)\n"
            + "Held by volunteers and households: 32.50 POINTS\n"), "\(text)")
        // The JSON stays the list of accounts; a named account has no such lines.
        #expect(try cli.ok(["balance", "--json"]).hasPrefix("["))
        #expect(!(try cli.ok(["balance", "V1"])).contains("Sum of every account"))
        // A cached balance edited behind the ledger's back shows in the sum.
        let store = try TimeBankStore(path: cli.databasePath)
        try store.database.execute("UPDATE balances SET balance = balance + 100 WHERE account = (SELECT number FROM accounts WHERE id = 'volunteer:V1') AND asset = 'POINTS'")
        #expect(try cli.ok(["balance"]).contains("Sum of every account: 1.00 POINTS, 0.00 CNY: not zero, so the cached balances are broken; run `timebank verify`"))
    }

    @Test("statement --asset in Chinese (元, 积分) gets the asset to write; full-width and lower case are read")
    func statementAssetInChinese() throws {
        let cli = try CLIHarness()
        try cli.community()
        #expect(cli.run(["statement", "H1", "--asset", "元"]).errors == "error[U001]: --asset must be POINTS or CNY, not \"元\"; for 元 write --asset CNY\n")
        #expect(cli.run(["statement", "H1", "--asset", "积分"]).errors.hasSuffix("; for 积分 write --asset POINTS\n"))
        #expect(try cli.ok(["statement", "H1", "--asset", "ｃｎｙ"]).hasPrefix("王家  (household:H1)  CNY"))
    }

    @Test("volunteer show lists the open lots in the order lots does: the first to expire first, not by lot number")
    func volunteerShowLotOrder() throws {
        let cli = try CLIHarness()
        try cli.community()
        for (key, expires) in [("a1", "2027-06-01"), ("a2", "2027-02-01")] {
            try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "5", "--kind", "award", "--key", key, "--memo", "奖励",
                        "--expires", expires])
        }
        let show = try cli.ok(["volunteer", "show", "V1"])
        let lots = try cli.ok(["lots", "V1"])
        #expect(show.hasSuffix(lots), "\(show)")
        #expect(try #require(show.range(of: "2027-02-01")).lowerBound < #require(show.range(of: "2027-06-01")).lowerBound)
    }

    @Test("balance of several accounts shows the known ones and names each unknown one in its own error line")
    func balanceOfSeveral() throws {
        let cli = try CLIHarness()
        try cli.community()
        let mixed = cli.run(["balance", "station:S1", "system:pool", "V9"])
        #expect(mixed.exit == 2)
        #expect(mixed.output.contains("station:S1") && mixed.output.contains("0.00"), "\(mixed.output)")
        let lines = mixed.errors.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(mixed.errors)")
        #expect(lines[0].hasPrefix("error[L006]: no account \"system:pool\""))
        #expect(lines[1].hasPrefix("error[C003]: no volunteer, household or station \"V9\""))
        #expect(lines[2] == "2 of 3 accounts not shown: system:pool, V9")
        let json = cli.run(["balance", "station:S1", "system:pool", "--json"])
        #expect(json.exit == 2)
        #expect(json.output.contains("\"account\": \"station:S1\"") && json.output.contains("\"CNY\": 0.00"))
        #expect(json.output.contains("\"account\": \"system:pool\",\n    \"error\": {\n      \"code\": \"L006\""), "\(json.output)")
        // All known: exit 0 and no error line; one account alone is as before.
        let known = cli.run(["balance", "V1", "station:S1"])
        #expect(known.exit == 0 && known.errors.isEmpty && known.output.contains("volunteer:V1"))
        #expect(cli.run(["balance", "system:pool"]).errors.hasPrefix("error[L006]"))
    }

    @Test("an amount with too many decimals or beyond the largest says which and posts nothing; the largest itself is posted")
    func amountProblems() throws {
        let cli = try CLIHarness()
        try cli.community()
        func post(_ points: String) -> CLIHarness.Result {
            cli.run(["post", "--from", "system:issuance", "--to", "V1", "--points", points, "--kind", "award", "--key", "a-\(points)"])
        }
        let decimals = post("12.345")
        #expect(decimals.exit == 2)
        #expect(decimals.errors.contains("--points \"12.345\" has 3 decimals; amounts have at most 2"))
        #expect(post("12.34500").errors.contains("--points \"12.34500\" has 3 decimals; amounts have at most 2"))
        for large in ["99999999999999999999", "10000000000000.01", "-10000000000000000.5"] {
            let result = post(large)
            #expect(result.exit == 2, "\(large)")
            #expect(result.errors.contains("--points \"\(large)\" is beyond the largest amount, 10000000000000.00 either way"), "\(large)")
        }
        #expect(post("10000000000000.00").exit == 0)
        for text in ["12.", "1e5", "12,5", "十"] {
            #expect(post(text).errors.contains("is not an amount; write e.g. 12 or 12.5"), "\(text)")
        }
        #expect(try cli.ok(["balance", "V1", "--json"]).contains("\"POINTS\": 10000000000000.00"))
        // A space around the text is shown inside quotes, so that the message does not read as a typo.
        #expect(Arguments.amountProblem(" 1,000").hasSuffix("for \" 1,000\" write 1000 (digits and one decimal point: no thousands "
            + "separators, currency signs or units)"), "\(Arguments.amountProblem(" 1,000"))")
        #expect(Arguments.amountProblem("1,000").contains("for 1,000 write 1000"))
        // Zeros after the fen change nothing: 1.000 is 1.00, for points and for CNY.
        #expect(cli.run(["post", "--from", "system:issuance", "--to", "V2", "--points", "1.000", "--kind", "award", "--key", "b"]).exit == 0)
        #expect(try cli.ok(["balance", "V2", "--json"]).contains("\"POINTS\": 1.00"))
    }
}
