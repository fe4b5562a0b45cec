import Foundation
import Testing
import TimeBankCore
@testable import TimeBankStorage

@Suite("Ledger: keys the engine reserves for its own entries (L021)")
struct EngineKeyTests {
    func book(_ f: StationFixture, key: String) throws -> Hold {
        try f.store.book(BookingRequest(key: key, station: "S01", volunteer: "V1", item: "home_cleaning", date: f.today), by: f.op1).hold
    }

    func handPost(_ f: StationFixture, key: String) throws {
        try f.store.postByHand(.move(key: key, kind: .adjustment, date: f.today, actor: "admin", memo: "by hand",
                                     from: .issuance, to: .volunteer("V2"), amount: 100))
    }

    @Test("a hand post or reversal under a key the engine will need is refused, and the engine's write goes through later")
    func handKeyReserved() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 10_000)
        let hold = try book(f, key: "bk-1")
        // Every prefix the engine writes under is refused for a key a person types, with nothing written.
        for prefix in EngineKey.allCases {
            let refusal = try f.expectRefusal("L021") { try handPost(f, key: prefix.key("B\(hold.number)")) }
            #expect(refusal?.message.contains("\"\(prefix.prefix)\"") == true)
            #expect(refusal?.message.contains("fix-\(prefix.prefix.dropLast())-B\(hold.number)") == true, "\(refusal?.message ?? "")")
        }
        let award = try f.award(.volunteer("V2"), 500)
        try f.expectRefusal("L021") { try f.store.reverse(sequence: award.sequence, key: "refund:R1", actor: "admin", memo: "x", on: f.today) }
        // The engine's own entries under those keys are written as before.
        let cancelled = try f.store.cancel(hold: hold.number, reason: "改期", by: f.op1, on: f.today)
        #expect(cancelled.state == .cancelled)
        #expect(try f.store.entry(key: "release:B\(hold.number)")?.kind == .reversal)
        // A key of a person's own still posts; one the engine wrote, sent again by hand with other content, is L021 (not L005).
        try handPost(f, key: "fix-release-B1")
        try f.expectRefusal("L021") { try handPost(f, key: "release:B\(hold.number)") }
        try f.expectClean()
    }

    @Test("a memo or reason with a bidirectional override, given to postByHand or reverse, is L014 with nothing written")
    func handMemoWithBidiOverride() throws {
        let f = try StationFixture()
        let award = try f.award(.volunteer("V2"), 500)
        let before = try f.snapshot()
        let memo = "奖励 \u{202E}05.0"
        let refusal = try f.expectRefusal("L014") {
            try f.store.postByHand(.move(key: "hand-1", kind: .adjustment, date: f.today, actor: "admin", memo: memo,
                                         from: .issuance, to: .volunteer("V2"), amount: 100))
        }
        #expect(refusal?.message.contains("U+202E") == true, "\(refusal?.message ?? "")")
        try f.expectRefusal("L014") { try f.store.reverse(sequence: award.sequence, key: "undo-1", actor: "admin", memo: memo, on: f.today) }
        #expect(try f.snapshot() == before)
        // The same text without it posts.
        try f.store.postByHand(.move(key: "hand-1", kind: .adjustment, date: f.today, actor: "admin", memo: "奖励 05.0",
                                     from: .issuance, to: .volunteer("V2"), amount: 100))
    }

    @Test("a hand post that repeats an entry stored under a reserved key returns it: retries keep working")
    func retryOfStoredReservedKey() throws {
        let f = try StationFixture()
        let request = EntryRequest.move(key: "grant:base:2026-10:volunteer:V2", kind: .grant, date: f.today, actor: "settle", memo: "基础分",
                                        from: .issuance, to: .volunteer("V2"), amount: 1_000)
        #expect(try f.store.post(request).entry.key == request.key)   // the engine's own write (the library's post)
        let before = try f.snapshot()
        guard case .exists = try f.store.postByHand(request) else { Issue.record("expected the stored entry"); return }
        #expect(try f.snapshot() == before)
    }

    @Test("every key the engine builds starts with a prefix of EngineKey, the one list L021 refuses")
    func engineKeysAreReserved() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 50_000)
        try f.award(.volunteer("V2"), 5_000)
        try f.stock("S01", "rice_5kg", 3)
        let receipt = try f.redeem("V1", "rice_5kg", key: "S01-0001").receipt
        try f.store.refund(receipt: receipt.number, reason: "破损", by: f.op1, on: f.today)
        let cancelled = try book(f, key: "bk-1")
        try f.store.cancel(hold: cancelled.number, reason: "改期", by: f.op1, on: f.today)
        let fulfilled = try book(f, key: "bk-2")
        let service = try f.store.fulfil(hold: fulfilled.number, by: f.op1, on: f.today).receipt
        try f.store.refund(receipt: service.number, reason: "没有上门", by: f.op1, on: f.today)
        try f.store.book(BookingRequest(key: "bk-3", station: "S01", volunteer: "V1", item: "home_cleaning", date: f.today,
                                        expiresAt: Timestamp("2026-10-08T02:30:00.000Z")), by: f.op1)
        f.clock.advance(minutes: 60)
        #expect(try f.store.expireHolds().count == 1)
        try f.store.transfer(TransferRequest(key: "g-1", from: "V2", to: "V4", points: 1_000, date: f.today), by: f.op1)
        try f.store.transfer(TransferRequest(key: "g-2", from: "V2", to: nil, points: 1_000, date: f.today), by: f.op1)
        try f.store.donate(donor: "街道办", amount: 100_00, date: f.today, key: "c-1", actor: "admin")
        let engineKeys = try f.store.database.statement("SELECT key FROM entries WHERE actor <> 'test' ORDER BY sequence").rows { $0.text(0) }
        #expect(engineKeys.count >= 12)
        for key in engineKeys { #expect(EngineKey.reserving(key) != nil, "\(key)") }
        // Built elsewhere: the points of a record, grants (and the nightly expiry, `expiry:DATE:ACCOUNT`, SettlementTests).
        let record = Record.service(ServiceRecord(id: "r1", volunteer: "V1", category: "orange", date: f.today, minutes: 60))
        #expect(EngineKey.reserving(TimeBankStore.awardKey(for: record)) == .record)
        #expect(EngineKey.reserving(TimeBankStore.penaltyKey(for: record)) == .record)
        let policy = try #require(PolicyLoader.load(text: stationTestPolicy() + "\n\n[grants.base]\npoints = 10\nevery = \"month\"\n",
                                                    path: "grants.toml").policy)
        let due = GrantSchedule.due(on: f.today, policy: policy, volunteers: [(id: "V1", joined: f.today, household: nil)])
        #expect(due.count == 1 && due.allSatisfy { EngineKey.reserving($0.key) == .grant })
    }
}
