import Testing
@testable import TimeBankCore

@Suite("Ledger rules")
struct LedgerRulesTests {
    let day = LocalDate(year: 2026, month: 10, day: 1)!

    @Test("amounts are hundredths: parsing and formatting", arguments: [
        ("12", Int64(1200), "12.00"), ("12.5", 1250, "12.50"), ("0.05", 5, "0.05"), ("-3.1", -310, "-3.10"), ("+7", 700, "7.00"),
        // Zeros after the second decimal say nothing and are accepted.
        ("1.000", 100, "1.00"), ("12.500", 1250, "12.50"), ("0.0500000", 5, "0.05"), ("-3.10000", -310, "-3.10"),
    ])
    func hundredths(text: String, value: Int64, formatted: String) {
        #expect(Hundredths.parse(text) == value)
        #expect(Hundredths.format(value) == formatted)
    }

    @Test("malformed or huge amounts are refused", arguments: ["", "1.234", "1.2340", "1.0001", "1.00x", "1.0 ", "abc", "1e3", "1,5", "12.", ".5", "99999999999999999", "--1"])
    func badAmounts(text: String) {
        #expect(Hundredths.parse(text) == nil)
    }

    @Test("requests are validated before anything is stored")
    func validation() throws {
        func request(_ postings: [Posting], key: String = "k") -> EntryRequest {
            EntryRequest(key: key, kind: .award, effectiveDate: day, actor: "a", memo: "", postings: postings)
        }
        #expect(throws: LedgerError.postingCountOutOfRange(count: 1)) {
            try LedgerRules.validate(request([Posting(account: .volunteer("V1"), amount: 100)]))
        }
        #expect(throws: LedgerError.amountOutOfRange(postingIndex: 1, amount: 0)) {
            try LedgerRules.validate(request([Posting(account: .volunteer("V1"), amount: 100), Posting(account: .issuance, amount: 0),
                                              Posting(account: .issuance, amount: -100)]))
        }
        #expect(throws: LedgerError.unbalanced(asset: .points, sum: 1)) {
            try LedgerRules.validate(request([Posting(account: .volunteer("V1"), amount: 101), Posting(account: .issuance, amount: -100)]))
        }
        #expect(throws: LedgerError.invalidKey("the key contains a control character")) {
            try LedgerRules.validate(request([Posting(account: .volunteer("V1"), amount: 100), Posting(account: .issuance, amount: -100)], key: "a\nb"))
        }
        #expect(throws: LedgerError.lotExpiryNotAllowed(postingIndex: 1)) {
            try LedgerRules.validate(request([Posting(account: .volunteer("V1"), amount: 100),
                                              Posting(account: .volunteer("V2"), amount: -100, lotExpiresOn: day)]))
        }
        // A lot expiring before the entry's date could never be spent (L019); on the date itself the engine's own writes may
        // open one (a hand entry may not: `postByHand`, PostingTests).
        #expect(throws: LedgerError.lotExpiresBeforeCredit(postingIndex: 0, expiresOn: day.adding(days: -1), date: day)) {
            try LedgerRules.validate(request([Posting(account: .volunteer("V1"), amount: 100, lotExpiresOn: day.adding(days: -1)),
                                              Posting(account: .issuance, amount: -100)]))
        }
        try LedgerRules.validate(request([Posting(account: .volunteer("V1"), amount: 100, lotExpiresOn: day),
                                          Posting(account: .issuance, amount: -100)]))
    }

    @Test("an entry must change some balance: postings that cancel out on every account are L016 (not for a reversal)")
    func movesNothing() throws {
        func request(_ kind: EntryKind, _ postings: [(AccountID, Int64)]) -> EntryRequest {
            EntryRequest(key: "k", kind: kind, effectiveDate: day, actor: "a", memo: "",
                         postings: postings.map { Posting(account: $0.0, amount: $0.1) })
        }
        let v1 = AccountID.volunteer("V1"), v2 = AccountID.volunteer("V2")
        #expect(throws: LedgerError.movesNothing(v1)) { try LedgerRules.validate(request(.adjustment, [(v1, -100), (v1, 100)])) }
        // Four postings over two accounts that net to zero on each.
        #expect(throws: LedgerError.movesNothing(v1)) {
            try LedgerRules.validate(request(.adjustment, [(v1, -100), (v2, 100), (v2, -100), (v1, 100)]))
        }
        // Three postings that do move points, and a reversal of an entry that moved nothing, pass.
        try LedgerRules.validate(request(.adjustment, [(v1, -200), (v2, 100), (v1, 100)]))
        try LedgerRules.validate(request(.reversal, [(v1, 100), (v1, -100)]))
    }

    @Test("lots are drawn earliest expiry first, then oldest; expired and empty lots are skipped")
    func drawOrder() {
        func lot(_ id: Int64, _ remaining: Int64, _ expires: String?) -> Lot {
            Lot(id: id, account: .volunteer("V1"), openedBy: id, postingIndex: 0, amount: remaining, expiresOn: expires.flatMap { LocalDate($0) },
                remaining: remaining, openedOn: LocalDate("2026-01-01")!)
        }
        let lots = [lot(1, 500, nil), lot(2, 300, "2027-01-01"), lot(3, 0, "2026-11-01"), lot(4, 200, "2026-12-01"),
                    lot(5, 100, "2026-10-01"), lot(6, 400, "2027-01-01")]
        let draw = LedgerRules.drawFromLots(lots, amount: 1000, on: day)
        // Lot 5 expires on the day itself: no longer usable. Then 4 (Dec), 2 and 6 (Jan, older first), then 1 (never).
        #expect(draw.allocations.map(\.lotID) == [4, 2, 6, 1])
        #expect(draw.allocations.map(\.amount) == [200, 300, 400, 100])
        #expect(draw.uncovered == 0)
        let short = LedgerRules.drawFromLots(lots, amount: 2000, on: day)
        #expect(short.uncovered == 600)
        let expiry = LedgerRules.drawFromLots(lots, amount: 100, on: day, includeExpired: true)
        #expect(expiry.allocations.map(\.lotID) == [5])
        let preferred = LedgerRules.drawFromLots(lots, amount: 300, on: day, preferring: 1)
        #expect(preferred.allocations.map(\.lotID) == [1])
    }

    @Test("a write dated back to an account without lots: the day it would break the floor, and the first day it would not")
    func floorBreach() {
        func d(_ text: String) -> LocalDate { LocalDate(text)! }
        // Now 20.00; +20.00 came on 10-05. Taking 20.00 dated 10-03 leaves -20.00 at the end of 10-03 and 10-04.
        let breach = LedgerRules.floorBreach(from: d("2026-10-03"), movesAfter: [(d("2026-10-05"), 2_000)], balance: 2_000, change: -2_000, floor: 0)
        #expect(breach?.day == d("2026-10-03") && breach?.held == 0 && breach?.keptFrom == d("2026-10-05"))
        #expect(LedgerRules.floorBreach(from: d("2026-10-05"), movesAfter: [], balance: 2_000, change: -2_000, floor: 0) == nil)
        // +30.00 on 10-04 and -10.00 on 10-06 (20.00 now): it held 0 to 10-03, 30.00 on 10-04 and 10-05, 20.00 since. Taking
        // 10.00 dated 10-05 keeps the floor; 15.00 dated 10-01 breaks it there, and would keep it from 10-04 on.
        let moves = [(day: d("2026-10-04"), amount: Int64(3_000)), (day: d("2026-10-06"), amount: Int64(-1_000))]
        #expect(LedgerRules.floorBreach(from: d("2026-10-05"), movesAfter: [moves[1]], balance: 2_000, change: -1_000, floor: 0) == nil)
        let early = LedgerRules.floorBreach(from: d("2026-10-01"), movesAfter: moves, balance: 2_000, change: -1_500, floor: 0)
        #expect(early?.day == d("2026-10-01") && early?.held == 0 && early?.keptFrom == d("2026-10-04"))
    }

    @Test("keys that read as entry numbers, in ASCII or full-width digits, with # or number: in front, are L022 for a new entry",
          arguments: ["17", "0017", "#17", "１７", "＃１７", "#１7", "number:17", "Number:17", "99999999999999999999999",
                      "number: 17", "ｎｕｍｂｅｒ：１７", "1 7", "# 17"])
    func keyReadsAsEntryNumber(key: String) {
        #expect(LedgerRules.keyReadsAsEntryNumber(key))
        #expect(throws: LedgerError.keyReadsAsEntryNumber(key: key)) { try LedgerRules.validateNewKey(key) }
        #expect(LedgerError.keyReadsAsEntryNumber(key: key).code == "L022")
    }

    @Test("keys with a word, a sign or a space besides the digits do not read as entry numbers",
          arguments: ["fix-17", "17a", "a17", "R17", "#", "＃", "number:", "numbers:17", "n17", "-17", "1.5", "##17", "#number:17"])
    func keyDoesNotReadAsEntryNumber(key: String) throws {
        #expect(!LedgerRules.keyReadsAsEntryNumber(key))
        try LedgerRules.validateNewKey(key)
    }

    @Test("an account without lots, day by day: the first day it was debited on and ended below its floor")
    func firstDayBelowFloor() {
        func d(_ text: String) -> LocalDate { LocalDate(text)! }
        // +20.00 on 10-01, -30.00 on 10-02 (dated back), +20.00 on 10-03: -10.00 at the end of 10-02, though 10.00 now.
        let days = [(day: d("2026-10-01"), change: Int64(2_000), debited: false), (day: d("2026-10-02"), change: Int64(-3_000), debited: true),
                    (day: d("2026-10-03"), change: Int64(2_000), debited: false)]
        let breach = LedgerRules.firstDayBelowFloor(opening: 0, days: days, floor: 0)
        #expect(breach?.index == 1 && breach?.held == -1_000)
        #expect(LedgerRules.firstDayBelowFloor(opening: 1_000, days: days, floor: 0) == nil)
        // A floor of 5.00: the days before the first debit are not held to it (credits alone never broke it).
        #expect(LedgerRules.firstDayBelowFloor(opening: 0, days: [(d("2026-10-01"), 300, false), (d("2026-10-02"), 300, false)], floor: 500) == nil)
        // A day with a debit that ends up (credits the same day) is still checked at its end.
        #expect(LedgerRules.firstDayBelowFloor(opening: 0, days: [(d("2026-10-01"), 400, true)], floor: 500)?.held == 400)
    }

    @Test("points a lot did not hold throughout: the least suffix of its later moves (draws +, give-backs −), counted once")
    func pointsNotHeldThroughout() {
        #expect(LedgerRules.pointsNotHeldThroughout(movesAfter: []) == 0)
        #expect(LedgerRules.pointsNotHeldThroughout(movesAfter: [500]) == 0)           // only spent later: all held
        #expect(LedgerRules.pointsNotHeldThroughout(movesAfter: [2_000, -2_000]) == 2_000)   // spent, then given back
        #expect(LedgerRules.pointsNotHeldThroughout(movesAfter: [-2_000, 2_000]) == 0)       // given back, spent again
        #expect(LedgerRules.pointsNotHeldThroughout(movesAfter: [-2_000, 1_500]) == 500)
        #expect(LedgerRules.pointsNotHeldThroughout(movesAfter: [-300, -200, 100]) == 400)
    }

    @Test("what a lot gives a debit dated on any day from its later moves; what the nightly expiry took of it since")
    func lotHistories() {
        func date(_ text: String) -> LocalDate { LocalDate(text)! }
        func lot(_ id: Int64, remaining: Int64, opened: String, expires: String? = nil) -> Lot {
            Lot(id: id, account: .volunteer("V1"), openedBy: id, postingIndex: 0, amount: 10_000, expiresOn: expires.map(date),
                remaining: remaining, openedOn: date(opened))
        }
        // 50.00 credited 10-01, expiring 10-05; 20.00 spent on 10-02 and given back on 10-04; the expiry took 50.00 on 10-05.
        let expired = LotHistory(lot: lot(1, remaining: 0, opened: "2026-10-01", expires: "2026-10-05"), movesAfter: [
            LotMove(day: date("2026-10-02"), amount: 2_000), LotMove(day: date("2026-10-04"), amount: -2_000),
            LotMove(day: date("2026-10-05"), amount: 5_000, byExpiry: true),
        ])
        #expect(LedgerRules.drawable(expired, on: date("2026-10-01")) == 0)
        // But for the expiry it would give 30.00 on 10-01 (20.00 were spent on 10-02 and 10-03) and 50.00 on 10-04.
        #expect(LedgerRules.drawable(expired, on: date("2026-10-01"), ignoringExpiry: true) == 3_000)
        #expect(LedgerRules.drawable(expired, on: date("2026-10-04"), ignoringExpiry: true) == 5_000)
        #expect(LedgerRules.drawable(expired, on: date("2026-10-05"), ignoringExpiry: true) == 0)   // expired that day
        // 20.00 more on 10-06 (never expiring).
        let later = LotHistory(lot: lot(2, remaining: 2_000, opened: "2026-10-06"), movesAfter: [])
        let after = LedgerRules.pointsAfter(date("2026-10-01"), needed: 2_000, today: date("2026-10-08"), histories: [expired, later])
        #expect(after.expired == 3_000 && after.expiredFrom == date("2026-10-05") && after.expiredThrough == date("2026-10-05"))
        #expect(after.coveredOn == [DayRange(first: date("2026-10-06"), last: nil)])
        #expect(after.advice(verb: "date it", after: date("2026-10-01"), spend: 2_000) == "date it 2026-10-06 or later")
        // 30.00 never: the most was 20.00, from 10-06.
        let never = LedgerRules.pointsAfter(date("2026-10-01"), needed: 3_000, today: date("2026-10-08"), histories: [expired, later])
        #expect(never.coveredOn.isEmpty && never.most == 2_000 && never.mostOn == date("2026-10-06"))
        #expect(never.advice(verb: "date it", after: date("2026-10-01"), spend: 3_000)
                    == "no later date would do: on no day since 2026-10-01 could it spend 30.00 (the most was 20.00, on 2026-10-06)")
        // A lot credited on 10-03 that expires on 10-05 (not swept yet) covers 10-03 and 10-04 only; with a credit of 10-07, again.
        let short = LotHistory(lot: lot(3, remaining: 2_000, opened: "2026-10-03", expires: "2026-10-05"), movesAfter: [])
        let runs = LedgerRules.pointsAfter(date("2026-10-01"), needed: 2_000, today: date("2026-10-08"),
                                           histories: [short, LotHistory(lot: lot(4, remaining: 2_000, opened: "2026-10-07"), movesAfter: [])])
        #expect(runs.coveredOn == [DayRange(first: date("2026-10-03"), last: date("2026-10-04")), DayRange(first: date("2026-10-07"), last: nil)])
        #expect(runs.advice(verb: "book it", preposition: "on", after: date("2026-10-01"), spend: 2_000)
                    == "book it between 2026-10-03 and 2026-10-04, or on 2026-10-07 or later")
        // Days after today are not advised.
        #expect(LedgerRules.pointsAfter(date("2026-10-01"), needed: 2_000, today: date("2026-10-06"), histories: [later]).coveredOn
                    == [DayRange(first: date("2026-10-06"), last: nil)])
        #expect(LedgerRules.pointsAfter(date("2026-10-01"), needed: 2_000, today: date("2026-10-05"), histories: [later]).coveredOn.isEmpty)
    }

    @Test("a debit dated before a lot was credited cannot draw on it; a reversal's preferred lot and the expiry can")
    func lotsOpenedLater() {
        func lot(_ id: Int64, _ remaining: Int64, opened: String, expires: String? = nil) -> Lot {
            Lot(id: id, account: .volunteer("V1"), openedBy: id, postingIndex: 0, amount: remaining, expiresOn: expires.flatMap { LocalDate($0) },
                remaining: remaining, openedOn: LocalDate(opened)!)
        }
        // Lot 2 expires first, so it would be drawn first, but it was credited on 10-02: a debit dated 10-01 skips it.
        let lots = [lot(1, 300, opened: "2026-09-15"), lot(2, 500, opened: "2026-10-02", expires: "2026-12-01"),
                    lot(3, 100, opened: "2026-10-01", expires: "2026-09-30")]
        #expect(lots[1].isUsable(on: day) == false)
        #expect(lots[1].isUsable(on: day.adding(days: 1)))
        let backDated = LedgerRules.drawFromLots(lots, amount: 400, on: day)
        #expect(backDated.allocations.map(\.lotID) == [1])
        #expect(backDated.uncovered == 100)
        let nextDay = LedgerRules.drawFromLots(lots, amount: 400, on: day.adding(days: 1))
        #expect(nextDay.allocations.map(\.lotID) == [2])
        #expect(LedgerRules.drawFromLots(lots, amount: 500, on: day, preferring: 2).allocations.map(\.lotID) == [2])
        // The nightly expiry takes expired points whatever day they were credited.
        #expect(LedgerRules.drawFromLots([lots[2]], amount: 100, on: day, includeExpired: true).uncovered == 0)
    }

    @Test("the canonical encoding changes with every field, so the hash covers them all")
    func encodingCoversFields() {
        let base = Entry(sequence: 1, key: "k", kind: .award, effectiveDate: day, recordedAt: Timestamp(millisecondsSinceEpoch: 0),
                         actor: "a", memo: "m", reverses: nil,
                         postings: [Posting(account: .volunteer("V1"), amount: 100), Posting(account: .issuance, amount: -100)],
                         allocations: [], contentDigest: [1, 2], previousHash: EntryEncoding.genesisHash, hash: [])
        var variants: [Entry] = []
        var e = base; e.sequence = 2; variants.append(e)
        e = base; e.key = "k2"; variants.append(e)
        e = base; e.kind = .grant; variants.append(e)
        e = base; e.effectiveDate = day.adding(days: 1); variants.append(e)
        e = base; e.recordedAt = Timestamp(millisecondsSinceEpoch: 1); variants.append(e)
        e = base; e.actor = "b"; variants.append(e)
        e = base; e.memo = "n"; variants.append(e)
        e = base; e.reverses = 7; variants.append(e)
        e = base; e.postings[0].amount = 101; variants.append(e)
        e = base; e.postings[0].lotExpiresOn = day; variants.append(e)
        e = base; e.allocations = [LotAllocation(postingIndex: 0, lotID: 1, amount: 1)]; variants.append(e)
        e = base; e.contentDigest = [1, 3]; variants.append(e)
        // The chain hash commits to the content through the digest, recomputed here as the ledger does.
        func fingerprint(_ entry: Entry) -> [UInt8] {
            var entry = entry
            if entry.contentDigest == base.contentDigest { entry.contentDigest = EntryEncoding.contentDigest(of: entry) }
            return EntryEncoding.chainHash(of: entry, previousHash: EntryEncoding.genesisHash)
        }
        let hashes = Set(([base] + variants).map(fingerprint))
        #expect(hashes.count == variants.count + 1)
        // The digest covers every field the client sent, and nothing the ledger adds.
        var sameRequest = base
        sameRequest.sequence = 9
        sameRequest.recordedAt = Timestamp(millisecondsSinceEpoch: 5)
        #expect(EntryEncoding.contentDigest(of: sameRequest) == EntryEncoding.contentDigest(of: base))
        // The previous hash is chained in too.
        #expect(EntryEncoding.chainHash(of: base, previousHash: [UInt8](repeating: 1, count: 32))
                != EntryEncoding.chainHash(of: base, previousHash: EntryEncoding.genesisHash))
    }

    @Test("the two hashes are computed as docs/ledger.md lays them out, byte by byte (a verifier of its own can follow it)")
    func hashLayoutAsDocumented() {
        // docs/ledger.md, "Hash chain": integers 8 bytes big-endian, a date as the integer YYYYMMDD, text a 4-byte
        // big-endian length then its UTF-8; the digest of `TBR1` and the request, the hash of the previous hash, `TBE2`,
        // the sequence, the time recorded in milliseconds, the digest (its length first) and the allocations.
        func integer(_ value: Int64) -> [UInt8] { (0..<8).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
        func text(_ value: String) -> [UInt8] {
            let utf8 = Array(value.utf8)
            return (0..<4).reversed().map { UInt8(truncatingIfNeeded: utf8.count >> (8 * $0)) } + utf8
        }
        let entry = Entry(sequence: 3, key: "award-1", kind: .reversal, effectiveDate: day, recordedAt: Timestamp(millisecondsSinceEpoch: 1_790_000_000_123),
                          actor: "admin", memo: "录错", reverses: 2,
                          postings: [Posting(account: .volunteer("V1"), amount: -1500),
                                     Posting(account: .issuance, amount: 1500, lotExpiresOn: LocalDate(year: 2027, month: 10, day: 1)!)],
                          allocations: [LotAllocation(postingIndex: 0, lotID: 4, amount: 1500)], contentDigest: [], previousHash: [], hash: [])
        var content = Array("TBR1".utf8) + text("award-1") + text("reversal") + integer(20261001) + text("admin") + text("录错")
        content += integer(2) + integer(2)
        content += text("volunteer:V1") + text("POINTS") + integer(-1500) + integer(0)
        content += text("system:issuance") + text("POINTS") + integer(1500) + integer(20271001)
        let digest = SHA256.hash(content)
        #expect(EntryEncoding.contentDigest(of: entry) == digest)
        let previous = [UInt8](repeating: 7, count: 32)
        let chain = previous + Array("TBE2".utf8) + integer(3) + integer(1_790_000_000_123) + integer(32) + digest
            + integer(1) + integer(0) + integer(4) + integer(1500)
        var stored = entry
        stored.contentDigest = digest
        #expect(EntryEncoding.chainHash(of: stored, previousHash: previous) == SHA256.hash(chain))
    }

    @Test("dates: parsing, arithmetic, weekdays")
    func dates() {
        #expect(LocalDate("2026-02-29") == nil)
        #expect(LocalDate("2028-02-29") != nil)
        #expect(LocalDate("2026-13-01") == nil)
        #expect(LocalDate("2026-1-01") == nil)
        #expect(LocalDate("2026-01-31")!.adding(months: 1).description == "2026-02-28")
        #expect(LocalDate("2026-12-31")!.adding(days: 1).description == "2027-01-01")
        #expect(LocalDate("2026-11-21")!.isoWeekday == 6) // a Saturday
        #expect(LocalDate(daysSinceEpoch: 0).description == "1970-01-01")
        #expect(Timestamp(millisecondsSinceEpoch: 1_790_000_000_123).description == "2026-09-21T14:13:20.123Z")
        #expect(Timestamp("2026-09-21T14:13:20.123Z")?.millisecondsSinceEpoch == 1_790_000_000_123)
    }
}
