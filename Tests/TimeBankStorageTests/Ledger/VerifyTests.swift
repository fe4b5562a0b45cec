import Foundation
import Testing
import TimeBankCore
@testable import TimeBankStorage

@Suite("verify")
struct VerifyTests {
    func ledger() throws -> TestStore {
        let test = try TestStore()
        try test.award("V1", 2000, expires: "2027-01-01")
        try test.award("V2", 1000)
        try test.store.post(.move(key: "t", kind: .transfer, date: date("2026-10-02"), actor: "a", memo: "赠送",
                                  from: .volunteer("V1"), to: .volunteer("V2"), amount: 500))
        try test.store.post(.move(key: "r", kind: .redemption, date: date("2026-10-03"), actor: "a", memo: "兑换",
                                  from: .volunteer("V2"), to: .station("S1"), amount: 1200))
        return test
    }

    @Test("heads looked up by their hash's first digits (verify --head): in one pass, any case, at most two entries a prefix")
    func entriesByHashPrefix() throws {
        let test = try ledger()
        for day in 1...20 { try test.award("V1", 100 * Int64(day)) }
        let hashes = try (1...24).map { try #require(try test.store.entry(sequence: Int64($0))).hash.map { String(format: "%02x", $0) }.joined() }
        let oneDigit = String(hashes[0].prefix(1))
        // How many of the 24 hashes begin with that digit, counted by hand from the hashes themselves.
        // The genesis hash (64 zeros, before entry #1) is named as entry 0 when the digit is 0: the hashes hold the store's
        // times, so which digit entry #1's starts with differs from run to run.
        let sharing = (oneDigit == "0" ? [0] : []) + hashes.indices.filter { hashes[$0].hasPrefix(oneDigit) }.map { Int64($0 + 1) }
        let found = try test.store.entries(withHashPrefixes: [hashes[4], hashes[9].prefix(12).uppercased(), oneDigit, "ffffffffffffff"])
        #expect(found[hashes[4]] == [5])
        #expect(found[String(hashes[9].prefix(12))] == [10])
        #expect(found[oneDigit] == Array(sharing.prefix(2)))
        #expect(found["ffffffffffffff"] == nil)
        #expect(try test.store.entries(withHashPrefixes: []).isEmpty)
    }

    @Test("a clean ledger verifies, and the head hash chains every entry")
    func clean() throws {
        let test = try ledger()
        let report = try test.store.verify()
        #expect(report.problems == [])
        #expect(report.entriesChecked == 4)
        #expect(report.headHash == (try test.store.head().hash))
        var previous = EntryEncoding.genesisHash
        try test.store.forEachEntry { entry in
            #expect(entry.previousHash == previous)
            #expect(EntryEncoding.chainHash(of: entry, previousHash: previous) == entry.hash)
            previous = entry.hash
        }
    }

    @Test("a posting amount edited with raw SQL is found, naming the entry")
    func tamperedPosting() throws {
        let test = try ledger()
        try test.store.database.execute("DROP TRIGGER postings_append_only_update")
        try test.store.database.execute("UPDATE postings SET amount = 2500 WHERE entry = 3 AND idx = 0")
        let report = try test.store.verify()
        #expect(!report.isClean)
        #expect(report.firstBrokenEntry == 3)
        #expect(report.problems.contains { $0.code == "V002" && $0.sequence == 3 })
        #expect(report.problems.contains { $0.code == "V003" && $0.sequence == 3 })
        // verify reports every problem it finds, most specific first.
        #expect(report.problems.first?.sequence == 3)
    }

    @Test("a cached balance edited with raw SQL is found")
    func tamperedBalance() throws {
        let test = try ledger()
        try test.store.database.execute("""
            UPDATE balances SET balance = balance + 100 WHERE account = (SELECT number FROM accounts WHERE id = 'volunteer:V1')
            """)
        let report = try test.store.verify()
        #expect(report.problems.map(\.description) == [
            "error[V004]: the cached POINTS balance of volunteer:V1 is 16.00, but its postings add up to 15.00 (the last entry that moved it is #3)",
        ])
        #expect(report.firstBrokenEntry == nil) // the entries are intact: the cached balance is what was changed
    }

    @Test("an edited cached balance does not make an intact entry the first broken one: an edited entry after it is")
    func tamperedBalanceAndEntry() throws {
        let test = try ledger()
        try test.store.database.execute("""
            UPDATE balances SET balance = balance + 100 WHERE account = (SELECT number FROM accounts WHERE id = 'volunteer:V1')
            """)
        try test.store.database.execute("DROP TRIGGER entries_append_only_update")
        try test.store.database.execute("UPDATE entries SET memo = '兑换 两份' WHERE sequence = 4")
        let report = try test.store.verify()
        #expect(report.problems.map(\.code) == ["V002", "V004"])
        #expect(report.firstBrokenEntry == 4) // #3, the last entry that moved V1's points, is intact
    }

    @Test("awards per day follow awards and their reversals (on the award's day); the scorer's windows read them; an edit is found (V009)")
    func awardDays() throws {
        let test = try ledger()   // V1 awarded 20.00 and V2 10.00 on 2026-10-01
        let extra = try test.award("V1", 700, on: "2026-10-05")
        try test.award("V1", 300, on: "2026-10-06")
        _ = try test.store.reverse(sequence: extra.sequence, key: "undo", actor: "a", memo: "录错了", on: date("2026-10-09"))
        let rows = try test.store.database.statement("""
            SELECT a.id, d.day, d.amount FROM award_days d JOIN accounts a ON a.number = d.account ORDER BY a.id, d.day
            """).rows { "\($0.text(0)) \($0.text(1)) \($0.int64(2))" }
        // The reversal (dated 9 October) takes 7.00 off 5 October, the day of the award it reverses.
        #expect(rows == ["volunteer:V1 2026-10-01 2000", "volunteer:V1 2026-10-05 0", "volunteer:V1 2026-10-06 300",
                         "volunteer:V2 2026-10-01 1000"])
        let history = StoreScoringHistory(store: test.store)
        #expect(try history.awardedPoints(to: .volunteer("V1"), in: ScoringWindow(.month, containing: date("2026-10-15"))) == 2300)
        #expect(try history.awardedPoints(to: .volunteer("V1"), in: ScoringWindow(.day, containing: date("2026-10-05"))) == 0)
        #expect(try test.store.verify().problems == [])

        try test.store.database.execute("UPDATE award_days SET amount = amount + 1 WHERE day = '2026-10-06'")
        let problems = try test.store.verify().problems
        #expect(problems.map(\.code) == ["V009"])
        #expect(problems.first?.message.contains("volunteer:V1") == true)
    }

    @Test("a debit that got round the date rule and spent a lot's points before they came in is found (V010)")
    func lotSpentBeforeItsPointsCameIn() throws {
        let test = try ledger()
        let later = try test.award("V1", 700, on: "2026-10-05")
        let lot = try #require(try test.store.lots(of: .volunteer("V1")).first { $0.openedBy == later.sequence })
        // Only a plan's preferred lot escapes the rule; posted here as a buggy write would (the store's own reversal
        // refuses a date before the entry it reverses: L018).
        let request = EntryRequest.move(key: "early", kind: .adjustment, date: date("2026-10-02"), actor: "a", memo: "bug",
                                        from: .volunteer("V1"), to: .adjustments, amount: 200)
        var plan = TimeBankStore.LotPlan()
        plan.preferredLot[try #require(request.postings.firstIndex { $0.account == .volunteer("V1") })] = lot.id
        try test.store.writeTransaction {
            _ = try test.store.appendLocked(request, digest: test.store.hasher.hash(EntryEncoding.contentPreimage(of: request, reverses: nil)),
                                            plan: plan)
        }
        let problems = try test.store.verify().problems
        #expect(problems.map(\.code) == ["V010"])
        #expect(problems.first?.sequence == later.sequence)
        #expect(problems.first?.message == "lot \(lot.id) of volunteer:V1, credited on 2026-10-05, held -2.00 points at the end of 2026-10-02 "
                    + "by the entries' dates: a debit dated then spent points that came into the lot later")
    }

    @Test("V010 and V005 name the points as the policy in force does (信义币 here; 'points' before any policy, as above)")
    func verifyNamesPolicyUnit() throws {
        let test = try ledger()
        try test.store.activatePolicy(stationTestPolicy().replacingOccurrences(of: "id = \"station-test\"\n",
                                                                              with: "id = \"station-test\"\nunit = \"信义币\"\n"), actor: "test")
        let later = try test.award("V1", 700, on: "2026-10-05")
        let lot = try #require(try test.store.lots(of: .volunteer("V1")).first { $0.openedBy == later.sequence })
        let request = EntryRequest.move(key: "early", kind: .adjustment, date: date("2026-10-02"), actor: "a", memo: "bug",
                                        from: .volunteer("V1"), to: .adjustments, amount: 200)
        var plan = TimeBankStore.LotPlan()
        plan.preferredLot[try #require(request.postings.firstIndex { $0.account == .volunteer("V1") })] = lot.id
        try test.store.writeTransaction {
            _ = try test.store.appendLocked(request, digest: test.store.hasher.hash(EntryEncoding.contentPreimage(of: request, reverses: nil)),
                                            plan: plan)
        }
        let problems = try test.store.verify().problems
        #expect(problems.map(\.message) == ["lot \(lot.id) of volunteer:V1, credited on 2026-10-05, held -2.00 信义币 at the end of 2026-10-02 "
                    + "by the entries' dates: a debit dated then spent 信义币 that came into the lot later"])
        // A lot's remainder edited by hand: the account's points no longer add up to its lots (V005).
        try test.store.database.execute("UPDATE lots SET remaining = remaining - 100 WHERE id = \(lot.id)")
        let lots = try test.store.verify().problems.filter { $0.code == "V005" }.map(\.message)
        #expect(lots.contains("volunteer:V1 has 20.00 信义币 but its lots hold 19.00"), "\(lots)")
    }

    @Test("an account without lots below its floor at the end of a day, by the entries' dates, is found (V011): station points and CNY")
    func floorOfAccountWithoutLotsDayByDay() throws {
        let test = try ledger()   // S1 receives 12.00 points on 2026-10-03 (entry 4)
        let taken = try test.store.post(.move(key: "fix", kind: .adjustment, date: date("2026-10-04"), actor: "a", memo: "更正",
                                              from: .station("S1"), to: .adjustments, amount: 1_000)).entry
        try test.store.post(.move(key: "cny-in", kind: .fund, date: date("2026-10-02"), actor: "a", memo: "", from: .outside,
                                  to: .station("S1"), asset: .cny, amount: 5_000))
        let paid = try test.store.post(.move(key: "cny-out", kind: .fund, date: date("2026-10-03"), actor: "a", memo: "", from: .station("S1"),
                                             to: .outside, asset: .cny, amount: 3_000)).entry
        #expect(try test.store.verify().problems == [])
        // The redemption and the money coming in moved to later days with raw SQL: the debits dated before them took what
        // was not there yet. The running balance after each entry (V006) stays above the floor.
        try test.store.database.execute("DROP TRIGGER entries_append_only_update")
        try test.store.database.execute("UPDATE entries SET effective_date = '2026-10-05' WHERE sequence = 4")
        try test.store.database.execute("UPDATE entries SET effective_date = '2026-10-06' WHERE key = 'cny-in'")
        let problems = try test.store.verify().problems.filter { $0.code != "V002" }
        #expect(problems.map(\.code) == ["V011", "V011"])
        #expect(problems.map(\.sequence) == [taken.sequence, paid.sequence])
        #expect(problems.first?.message == "station:S1 held -10.00 POINTS at the end of 2026-10-04 by the entries' dates, below its floor of 0.00: "
                    + "debits dated up to then took what came in only later")
        #expect(problems.last?.message.hasPrefix("station:S1 held -30.00 CNY at the end of 2026-10-03") == true)
    }

    @Test("the reconciliation's check from a checkpoint finds a day below the floor from the earliest day a new entry is dated (V011)")
    func floorDayByDayFromCheckpoint() throws {
        let test = try ledger()   // S1 holds 12.00 points from 2026-10-03
        let whole = try test.store.verify()
        let checkpoint = LedgerCheckpoint(date: "2026-10-03", sequence: whole.headSequence, hash: whole.headHash, lastLot: 3, lastMovement: 0,
                                          balances: whole.recomputedBalances)
        let credit = try test.store.post(.move(key: "more", kind: .adjustment, date: date("2026-10-05"), actor: "a", memo: "",
                                               from: .adjustments, to: .station("S1"), amount: 500)).entry
        let taken = try test.store.post(.move(key: "fix", kind: .adjustment, date: date("2026-10-06"), actor: "a", memo: "",
                                              from: .station("S1"), to: .adjustments, amount: 1_500)).entry
        func problems() throws -> [VerificationProblem] {
            let report: VerificationReport = try test.store.database.readTransaction {
                try test.store.verifyLocked(problemLimit: 100, after: checkpoint)
            }
            return report.problems
        }
        #expect(try problems() == [])
        try test.store.database.execute("DROP TRIGGER entries_append_only_update")
        try test.store.database.execute("UPDATE entries SET effective_date = '2026-10-07' WHERE sequence = \(credit.sequence)")
        let found = try problems()
        #expect(found.map(\.code) == ["V002", "V011"])
        #expect(found.last?.sequence == taken.sequence)
        #expect(found.last?.message.hasPrefix("station:S1 held -3.00 POINTS at the end of 2026-10-06") == true)
    }

    @Test("a lot remainder edited with raw SQL is found")
    func tamperedLot() throws {
        let test = try ledger()
        try test.store.database.execute("UPDATE lots SET remaining = remaining - 100 WHERE id = 1")
        #expect(try test.store.verify().problems.contains { $0.code == "V005" && $0.sequence == 1 })
    }

    @Test("a deleted entry breaks the chain")
    func deletedEntry() throws {
        let test = try ledger()
        try test.store.database.execute("PRAGMA foreign_keys=OFF; DROP TRIGGER entries_append_only_delete; DROP TRIGGER postings_append_only_delete;")
        try test.store.database.execute("DELETE FROM postings WHERE entry = 2; DELETE FROM entries WHERE sequence = 2;")
        let report = try test.store.verify()
        #expect(report.problems.contains { $0.code == "V007" && $0.sequence == 3 })
        #expect(report.problems.contains { $0.code == "V001" && $0.sequence == 3 })
    }

    @Test("a policy version's text edited by hand is found (V025): settle and explain refuse it (A007), so verify must not say OK")
    func alteredPolicyText() throws {
        let test = try TestStore()
        try test.store.activatePolicy(SettlementTests.policy(), actor: "admin")
        try test.store.activatePolicy(SettlementTests.policy(version: 2, effective: "2026-11-01"), actor: "admin")
        #expect(try test.store.verify().isClean)
        try test.store.database.execute("""
            DROP TRIGGER policy_versions_append_only_update;
            UPDATE policy_versions SET text = replace(text, 'points_per_hour = 10', 'points_per_hour = 100') WHERE number = 1;
            """)
        let problems = try test.store.verify().problems
        #expect(problems.map(\.code) == ["V025"])
        let recorded = SHA256.hexHash(utf8: SettlementTests.policy())
        #expect(problems.first?.message == "policy version #1 (effective 2026-10-01) has a text that does not match the SHA-256 "
                + "recorded when it was activated (\(recorded.prefix(12))…, `timebank policy versions`): it was changed since, so "
                + "`settle` and `explain` refuse it (A007); restore the last good backup (docs/operations.md, Restore)")
    }

    @Test("a posted record whose status was set back by hand (pending, rejected) is found (V012): the night would accept it again")
    func postedRecordNotApproved() throws {
        let test = try SettlementTests.store()
        try SettlementTests.importRecords(test.store, ["r1,V1,orange,2026-10-05,09:00,11:00,社区", "r2,V2,orange,2026-10-05,09:00,10:00,社区"])
        let night = try SettlementTests.settle(test.store, "2026-10-05")
        #expect(try test.store.verify().isClean)
        try test.store.database.execute("""
            DROP TRIGGER records_decided_once;
            UPDATE records SET status = 'pending', decided_at = NULL, decided_by = NULL WHERE id = 'r1';
            UPDATE records SET status = 'rejected' WHERE id = 'r2';
            """)
        let award = try #require(try test.store.database.statement(
            "SELECT s.award_entry FROM record_scores s JOIN records r ON r.number = s.record WHERE r.id = 'r1'").first { $0.int64(0) })
        #expect(award <= night.headSequence)
        let problems = try test.store.verify().problems
        #expect(problems.map(\.code) == ["V012", "V012"])
        #expect(problems.first?.message == "record default:r1: it is posted (its award entry is #\(award)) but its status is pending, "
                + "not approved: the status was changed by hand, and the next night would decide it again")
        #expect(problems.last?.message.hasPrefix("record default:r2: it is posted (its award entry is #") == true)
        #expect(problems.last?.message.contains("but its status is rejected, not approved") == true)
    }
}
