import Testing
import TimeBankCore
@testable import TimeBankStorage

@Suite("Posting entries")
struct PostingTests {
    @Test("an entry whose postings do not sum to zero is refused and nothing is written")
    func zeroSumRefusal() throws {
        let test = try TestStore()
        let request = EntryRequest(key: "bad", kind: .award, effectiveDate: date("2026-10-01"), actor: "test", memo: "", postings: [
            Posting(account: .volunteer("V1"), amount: 1000),
            Posting(account: .issuance, amount: -900),
        ])
        #expect(throws: LedgerError.unbalanced(asset: .points, sum: 100)) { try test.store.post(request) }
        #expect(try test.entryCount() == 0)
        #expect(try test.store.balance(.volunteer("V1")) == 0)
    }

    @Test("each asset must balance on its own")
    func zeroSumPerAsset() throws {
        let test = try TestStore()
        let request = EntryRequest(key: "mixed", kind: .fund, effectiveDate: date("2026-10-01"), actor: "test", memo: "", postings: [
            Posting(account: .fund, asset: .cny, amount: 500),
            Posting(account: .issuance, asset: .points, amount: -500),
        ])
        #expect(throws: LedgerError.unbalanced(asset: .points, sum: -500)) { try test.store.post(request) }
    }

    @Test("a debit below the floor is refused and nothing is written")
    func floorRefusal() throws {
        let test = try TestStore()
        try test.award("V1", 1000)
        let countBefore = try test.entryCount()
        let lotsBefore = try test.store.lots(of: .volunteer("V1"))
        let overdraft = EntryRequest.move(key: "redeem-1", kind: .redemption, date: date("2026-10-02"), actor: "op", memo: "大米",
                                          from: .volunteer("V1"), to: .station("S1"), amount: 1500)
        #expect(throws: LedgerError.belowFloor(account: .volunteer("V1"), asset: .points, balance: 1000, change: -1500, floor: 0)) {
            try test.store.post(overdraft)
        }
        #expect(try test.entryCount() == countBefore)
        #expect(try test.store.balance(.volunteer("V1")) == 1000)
        #expect(try test.store.balance(.station("S1")) == 0)
        #expect(try test.store.lots(of: .volunteer("V1")) == lotsBefore)
        // Exactly the balance is fine: the floor is 0.
        try test.store.post(.move(key: "redeem-2", kind: .redemption, date: date("2026-10-02"), actor: "op", memo: "大米",
                                  from: .volunteer("V1"), to: .station("S1"), amount: 1000))
        #expect(try test.store.balance(.volunteer("V1")) == 0)
    }

    @Test("the same key with the same content returns the stored entry; with other content it is refused")
    func idempotency() throws {
        let test = try TestStore()
        let request = EntryRequest.move(key: "award-7", kind: .award, date: date("2026-10-01"), actor: "admin", memo: "巡逻",
                                        from: .issuance, to: .volunteer("V1"), amount: 2000)
        let first = try test.store.post(request)
        guard case .created(let created) = first else { Issue.record("expected created"); return }
        let second = try test.store.post(request)
        #expect(second == .exists(created))
        #expect(try test.entryCount() == 1)
        #expect(try test.store.balance(.volunteer("V1")) == 2000)

        var changed = request
        changed.postings = EntryRequest.move(key: "award-7", kind: .award, date: date("2026-10-01"), actor: "admin", memo: "巡逻",
                                             from: .issuance, to: .volunteer("V1"), amount: 2500).postings
        #expect(throws: LedgerError.existsWithDifferentContent(key: "award-7", sequence: 1)) { try test.store.post(changed) }
        var otherMemo = request
        otherMemo.memo = "巡逻 (again)"
        #expect(throws: LedgerError.existsWithDifferentContent(key: "award-7", sequence: 1)) { try test.store.post(otherMemo) }
        #expect(try test.entryCount() == 1)
        #expect(try test.store.balance(.volunteer("V1")) == 2000)
    }

    /// The key is looked up only when a write cannot go ahead; a retry must still find the stored entry however the
    /// balances moved since, and a key reused with other content must still say so rather than name the floor.
    @Test("a retry finds its entry even when the same write would now be refused; other content under the key is L005 first")
    func retryAfterBalanceChanged() throws {
        let test = try TestStore()
        try test.award("V1", 1000)
        let redemption = EntryRequest.move(key: "redeem-1", kind: .redemption, date: date("2026-10-02"), actor: "op", memo: "大米",
                                           from: .volunteer("V1"), to: .station("S1"), amount: 800)
        guard case .created(let created) = try test.store.post(redemption) else { Issue.record("expected created"); return }
        // 200 left: the same redemption posted now would be below the floor, but as a retry it is found.
        #expect(try test.store.post(redemption) == .exists(created))
        #expect(try test.store.post([redemption]) == [.exists(created)])
        var larger = redemption
        larger.postings = EntryRequest.move(key: "redeem-1", kind: .redemption, date: date("2026-10-02"), actor: "op", memo: "大米",
                                            from: .volunteer("V1"), to: .station("S1"), amount: 900).postings
        #expect(throws: LedgerError.existsWithDifferentContent(key: "redeem-1", sequence: created.sequence)) { try test.store.post(larger) }
        // A new key over the balance is refused by the floor, and the ledger is unchanged by all of it.
        var overdraft = larger
        overdraft.key = "redeem-2"
        #expect(throws: LedgerError.belowFloor(account: .volunteer("V1"), asset: .points, balance: 200, change: -900, floor: 0)) {
            try test.store.post(overdraft)
        }
        #expect(try test.entryCount() == 2)
        #expect(try test.store.balance(.volunteer("V1")) == 200)
        #expect(try test.store.verify().problems.isEmpty)
    }

    @Test("unknown accounts, bad keys and absurd amounts are refused")
    func badInput() throws {
        let test = try TestStore()
        #expect(throws: LedgerError.unknownAccount(.volunteer("V9"))) {
            try test.store.post(.move(key: "k", kind: .award, date: date("2026-10-01"), actor: "a", memo: "", from: .issuance, to: .volunteer("V9"), amount: 100))
        }
        #expect(throws: LedgerError.self) {
            try test.store.post(.move(key: "", kind: .award, date: date("2026-10-01"), actor: "a", memo: "", from: .issuance, to: .volunteer("V1"), amount: 100))
        }
        #expect(throws: LedgerError.amountOutOfRange(postingIndex: 0, amount: Int64.max)) {
            try test.store.post(.move(key: "huge", kind: .award, date: date("2026-10-01"), actor: "a", memo: "", from: .issuance, to: .volunteer("V1"), amount: Int64.max))
        }
        // From an account to itself: balanced, but it changes no balance (it would only renew the lots' expiry).
        #expect(throws: LedgerError.movesNothing(.volunteer("V1"))) {
            try test.store.post(.move(key: "self", kind: .adjustment, date: date("2026-10-01"), actor: "a", memo: "", from: .volunteer("V1"),
                                      to: .volunteer("V1"), amount: 100, lotExpiresOn: date("2030-01-01")))
        }
        #expect(throws: LedgerError.lotExpiryNotAllowed(postingIndex: 0)) {
            try test.store.post(.move(key: "s", kind: .award, date: date("2026-10-01"), actor: "a", memo: "", from: .issuance, to: .station("S1"),
                                      amount: 100, lotExpiresOn: date("2027-01-01")))
        }
        #expect(try test.entryCount() == 0)
    }

    @Test("a new key that reads as an entry number is L022, for a post and a reversal; nothing is written")
    func keyReadsAsEntryNumber() throws {
        let test = try TestStore()
        let award = try test.award("V1", 1_000)
        for key in ["2", "#2", "２", "number:2"] {
            #expect(throws: LedgerError.keyReadsAsEntryNumber(key: key)) {
                try test.store.post(.move(key: key, kind: .award, date: date("2026-10-01"), actor: "a", memo: "", from: .issuance,
                                          to: .volunteer("V1"), amount: 100))
            }
            #expect(throws: LedgerError.keyReadsAsEntryNumber(key: key)) {
                try test.store.reverse(sequence: award.sequence, key: key, actor: "a", memo: "", on: date("2026-10-02"))
            }
        }
        #expect(try test.entryCount() == 1)
        #expect(LedgerError.keyReadsAsEntryNumber(key: "＃１７").message == "the key \"＃１７\" reads as an entry number (reverse and entry "
                    + "show take 17, #17 and number:17 as entry numbers, and full-width １７ reads the same to a person), so a later reverse or "
                    + "entry show by it would name two entries; give a key with a word in front, such as \"fix-17\"; nothing was written")
    }

    @Test("an entry stored under a number-like key before L022 still loads, is found by it, and a retry returns it")
    func numberLikeKeyStoredBefore() throws {
        let test = try TestStore()
        let request = EntryRequest.move(key: "3", kind: .award, date: date("2026-10-01"), actor: "a", memo: "巡逻", from: .issuance,
                                        to: .volunteer("V1"), amount: 500)
        // Written under another key, then given the key "3" (and its content digest) with raw SQL, as a database written
        // before the rule holds it.
        var earlier = request
        earlier.key = "earlier"
        let stored = try test.store.post(earlier).entry
        try test.store.database.execute("DROP TRIGGER entries_append_only_update")
        try test.store.database.statement("UPDATE entries SET key = ?, content_digest = ? WHERE sequence = ?")
            .bind(.text("3"), .blob(test.store.hasher.hash(EntryEncoding.contentPreimage(of: request))), .integer(stored.sequence)).run()
        #expect(try test.store.entry(key: "3")?.sequence == stored.sequence)
        #expect(try test.store.entrySequence(named: "3") == stored.sequence)   // no entry #3 yet
        #expect(try test.store.post(request) == .exists(try #require(try test.store.entry(sequence: stored.sequence))))
        var other = request
        other.memo = "另一条"
        #expect(throws: LedgerError.existsWithDifferentContent(key: "3", sequence: stored.sequence)) { try test.store.post(other) }
        // Once there is an entry #3, the text names two entries (L020) and number:N picks one.
        try test.award("V1", 100)
        try test.award("V1", 100)
        #expect(throws: LedgerError.self) { try test.store.entrySequence(named: "3") }
        #expect(try test.store.entrySequence(named: "number:3") == 3)
        #expect(try test.entryCount() == 3)
    }

    @Test("a hand entry opening a lot that expires on its own date is L019 (never usable); a retry of one stored before is answered")
    func handLotExpiringOnItsDate() throws {
        let test = try TestStore()
        let day = date("2026-10-01")
        let request = EntryRequest(key: "award-1", kind: .award, effectiveDate: day, actor: "admin", memo: "巡逻", postings: [
            Posting(account: .volunteer("V1"), amount: 2_000, lotExpiresOn: day), Posting(account: .issuance, amount: -2_000),
        ])
        #expect(throws: LedgerError.lotExpiresBeforeCredit(postingIndex: 0, expiresOn: day, date: day)) { try test.store.postByHand(request) }
        #expect(LedgerError.lotExpiresBeforeCredit(postingIndex: 0, expiresOn: day, date: day).message
                == "posting 1 opens a lot that expires on 2026-10-01, the entry's own date (a lot expiring on a day is usable until the day "
                + "before): its points could never be spent; give an expiry after 2026-10-01 (or none), or check the date; nothing was written")
        #expect(try test.entryCount() == 0)
        // The day after is the first expiry a hand entry may give.
        var nextDay = request
        nextDay.key = "award-2"
        nextDay.postings[0].lotExpiresOn = day.adding(days: 1)
        guard case .created = try test.store.postByHand(nextDay) else { Issue.record("not written"); return }
        #expect(try test.store.balance(.volunteer("V1")) == 2_000)
        // The engine's own writes may (`post`); such an entry stored before the rule is answered when sent again by hand.
        let stored = try test.store.post(request).entry
        #expect(try test.store.postByHand(request) == .exists(stored))
        #expect(try test.entryCount() == 2)
    }

    @Test("a balance cannot pass Int64.max / 2 hundredths: L003 names the account and its balance, and nothing is written")
    func balanceCap() throws {
        let test = try TestStore()
        let most = Hundredths.maximumMagnitude      // 10^15 hundredths, the largest posting
        // 4,611 of the largest postings reach 4.611 × 10^18 hundredths, just under the cap of 4,611,686,018,427,387,903.
        try test.store.post((1...4_611).map {
            .move(key: "big-\($0)", kind: .award, date: date("2026-10-01"), actor: "a", memo: "", from: .issuance, to: .volunteer("V1"), amount: most)
        })
        let before = try test.entryCount()
        let refused = #expect(throws: LedgerError.self) {
            try test.store.post(.move(key: "one-more", kind: .award, date: date("2026-10-01"), actor: "a", memo: "", from: .issuance,
                                      to: .volunteer("V1"), amount: most))
        }
        // Both accounts would pass it (the issuance account on the negative side); the volunteer's is named.
        #expect(refused == .balanceOutOfRange(account: .volunteer("V1"), asset: .points, balance: 4_611 * most, change: most))
        #expect(refused?.code == "L003")
        #expect(refused?.message == "volunteer:V1 has 46110000000000000.00 POINTS; adding 10000000000000.00 would take its balance "
                    + "beyond the largest a balance may hold (46116860184273879.03 either way); nothing was written")
        #expect(try test.entryCount() == before)
        #expect(try test.store.balance(.volunteer("V1")) == 4_611 * most)
    }

    @Test("a batch is all or nothing")
    func batchAtomicity() throws {
        let test = try TestStore()
        let good = EntryRequest.move(key: "a", kind: .award, date: date("2026-10-01"), actor: "t", memo: "", from: .issuance, to: .volunteer("V1"), amount: 100)
        let bad = EntryRequest.move(key: "b", kind: .redemption, date: date("2026-10-01"), actor: "t", memo: "", from: .volunteer("V2"), to: .station("S1"), amount: 100)
        #expect(throws: LedgerError.self) { try test.store.post([good, bad]) }
        #expect(try test.entryCount() == 0)
        #expect(try test.store.post([good]).count == 1)
        #expect(try test.store.verify().isClean)
    }

    @Test("the ledger tables refuse updates and deletes")
    func appendOnly() throws {
        let test = try TestStore()
        try test.award("V1", 1000)
        try test.store.post(.move(key: "spend", kind: .redemption, date: date("2026-10-02"), actor: "op", memo: "",
                                  from: .volunteer("V1"), to: .station("S1"), amount: 300))
        #expect(throws: SQLiteError.self) { try test.store.database.execute("UPDATE entries SET memo = 'x'") }
        #expect(throws: SQLiteError.self) { try test.store.database.execute("DELETE FROM postings") }
        #expect(throws: SQLiteError.self) { try test.store.database.execute("UPDATE lot_allocations SET amount = 1") }
        #expect(try test.store.verify().isClean)
    }
}
