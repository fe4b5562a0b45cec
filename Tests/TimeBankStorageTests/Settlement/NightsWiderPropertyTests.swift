import Foundation
import Testing
import TimeBankCore
@testable import TimeBankStorage

/// The property of `NightsPropertyTests` (the same records give the same points whether the days are settled in one night
/// or night by night) widened to what that family keeps away from and the documents say must not differ: lots that
/// expire (`[expiry]`, and lots posted by hand before the records), periodic grants (`[grants.ID]`), acceptance under
/// `require_verifier` with and without `auto_accept_after_days`, star levels and the ranking. docs/settlement.md: with
/// `--skip-missed` a night "picks up every record dated on or before it, every lot expired by then and the grants due on
/// every day since the previous settled night (dated those days, so the points are the same as if every night had run)".
///
/// Each seed draws a community (V1, V2 in H1; V3, V4, V5 in H2; V6 without a household), two policy versions, lots
/// posted by hand that expire inside the window, and 40 to 100 records over 60 days between September 2026 and January
/// 2027. Both stores settle the day before the window first (the same night in both), then one settles the last day
/// only and the other random nights before it, in chunks of a random size. Per record the status, account, award,
/// deduction and shortfall must agree, and so must every balance (`system:expired` included), the grants posted (key
/// and date), each volunteer's star level and, where noted, the rankings.
///
/// Still kept away from, as differences the documents call right:
/// - the first night of a store: its grants are those of D only ("only D on the first night", docs/settlement.md,
///   step 2), so a store whose first night is the last day would have fewer grants: both stores settle a common night
///   before the window;
/// - `volunteer.level` in a condition: a night scores its records with the levels the previous night wrote ("star levels
///   are worked out again every night", docs/policy.md, Versions), so a later night sees a level one night did not; the
///   level reached agrees, the night it was reached (`since`) does not;
/// - records with and without a verifier under `auto_accept_after_days` (or a number of days that a version changes): a
///   record accepted days after its date is scored after records of later days posted meanwhile, "against them"
///   (docs/scoring.md, History); here, under `auto_accept_after_days` every record lacks a verifier, so each night
///   accepts all records up to a date, in canonical order;
/// - the ranking under `auto_accept_after_days` above 0: a period is ranked on the night after it ends, by what is
///   posted then (docs/settlement.md, step 5), and the records of its last days are accepted later;
/// - penalties beside lots that expire inside the window, so a draw has lots that expire (by `[expiry]`, or posted by
///   hand) or penalties, never both: when an earlier penalty of a night drew from a lot that has expired by a later
///   penalty's day, the lot is counted whole for the later one, so "a penalty can come out smaller than the ledger would
///   allow but never larger" (docs/scoring.md, step 5; `AwardLotsOfRun`, and `StoreScoringHistory.expiredPoints` for a
///   posted lot). One night over two months under `after_months = 1` then records a shortfall where nights took the
///   penalty (seed 28 of the first draft: V6's no-show of 18 December, 6 points taken night by night, none in one night);
/// - expiring lots under `auto_accept_after_days` above 0: a penalty dated the day before a lot expires, accepted two
///   days later, is posted after the night that swept the lot, and draws on another lot; in one night it draws on the
///   expiring one before the expiry step runs. The points of every record agree, the balances not (seed 4 of the first
///   draft: 6 points more expired night by night, docs/settlement.md, steps 3 and 4 in that order each night);
/// - moves between households and late records, as in `NightsPropertyTests`.
@Suite("One night or many nights, with grants, expiry, acceptance and levels")
struct NightsWiderPropertyTests {
    /// The seeds run every time (about a seventh of a second each; 1 to 600 were run by hand, all agreeing).
    static let seeds: [UInt64] = Array(1...40)

    struct Draw: CustomStringConvertible {
        var versions: [String]
        var csv: String
        var handLots: [(account: AccountID, day: LocalDate, points: Int64, expires: LocalDate)]
        var first: LocalDate
        var nights: [LocalDate]
        var chunkSize: Int
        var compareRankings: Bool

        var description: String {
            "first \(first), nights \(nights.map(\.description).joined(separator: " ")), chunk \(chunkSize)\n"
                + handLots.map { "hand lot \($0.account) \($0.day) \($0.points) expires \($0.expires)" }.joined(separator: "\n")
                + "\n" + versions.joined(separator: "\n---\n") + "\n---\n" + csv
        }
    }

    static let volunteers = NightsPropertyTests.volunteers

    static func pick<T>(_ choices: [T], _ generator: inout SplitMix64) -> T { NightsPropertyTests.pick(choices, &generator) }
    static func chance(_ percent: Int, _ generator: inout SplitMix64) -> Bool { NightsPropertyTests.chance(percent, &generator) }

    static func policy(version: Int, effective: LocalDate, options: [String: String]) -> String {
        var text = """
            [policy]
            id = "nights-wider"
            name = "一夜或多夜"
            version = \(version)
            effective = \(effective)
            timezone = "Asia/Shanghai"
            unit = "积分"

            [earning]
            rounding = "half_up"
            step = \(options["step"]!)
            require_verifier = \(options["require_verifier"]!)
            combine_multipliers = "max"

            """
        if let days = options["auto"] { text += "auto_accept_after_days = \(days)\n" }
        text += """

            [accounts]
            earn_to = "\(options["earn_to"]!)"
            balance_floor = \(options["floor"]!)

            [categories.care]
            points_per_hour = \(options["care_rate"]!)

            [categories.patrol]
            points_per_hour = 12

            [multipliers.weekend]
            factor = 1.5
            when = 'record.weekday in ["sat", "sun"]'

            [indicators.tidy]
            points = 5
            per = "month"

            [penalties.no_show]
            points = -6
            when = 'record.tags.contains("no_show")'

            [penalties.late]
            points = 'record.minutes * -0.05'
            when = 'record.tags.contains("late")'

            """
        if options["first"] != nil { text += "\n[bonuses.first]\npoints = 5\nonce = true\nwhen = 'record.kind == \"service\"'\n" }
        if let count = options["loyal"] { text += "\n[bonuses.loyal]\npoints = 2\nwhen = 'volunteer.records_total >= \(count)'\n" }
        if let points = options["grant"] {
            text += "\n[grants.base]\nlabel = \"基础分\"\npoints = \(points)\nevery = \"\(options["grant_every"]!)\"\n"
            if let to = options["grant_to"] { text += "to = \"\(to)\"\n" }
        }
        switch options["expiry"] {
        case "months": text += "\n[expiry]\nafter_months = 1\n"
        case "year": text += "\n[expiry]\nend_of_year = true\n"
        default: break
        }
        if let measure = options["levels"] {
            let thresholds = measure == "min_hours" ? ["1", "3", "8"] : ["20", "60", "150"]
            for (index, threshold) in thresholds.enumerated() { text += "\n[levels.star\(index + 1)]\n\(measure) = \(threshold)\n" }
        }
        if let by = options["ranking"] { text += "\n[ranking]\nperiod = \"month\"\ntop = 4\nby = \"\(by)\"\n" }
        let caps = ["daily", "weekly"].compactMap { key in options[key].map { "\(key) = \($0)" } }
        if !caps.isEmpty { text += "\n[caps]\n" + caps.joined(separator: "\n") + "\n" }
        return text
    }

    static func draw(seed: UInt64) -> Draw {
        var generator = SplitMix64(seed: seed ^ 0x0E_71DE_2026)
        let first = LocalDate("2026-09-08")!.adding(days: Int.random(in: 0..<100, using: &generator))
        let days = 60
        let last = first.adding(days: days - 1)
        let switchDay = first.adding(days: Int.random(in: 5..<(days - 5), using: &generator))
        let acceptance = pick(["open", "open", "pending", "auto"], &generator)
        var options: [String: String] = [
            "step": pick(["0.01", "0.5", "1"], &generator),
            "require_verifier": acceptance == "open" ? "false" : "true",
            "earn_to": chance(35, &generator) ? "household" : "volunteer",
            "floor": pick(["0", "0", "5"], &generator),
            "care_rate": "10",
        ]
        if acceptance == "auto" { options["auto"] = pick(["0", "2", "7"], &generator) }
        // Lots that expire inside the window (by `[expiry]` or posted by hand) or penalties, not both (the doc comment says
        // why); and no expiring lots when records are accepted days after their date.
        let expiring = (options["auto"] ?? "0") == "0" && chance(50, &generator)
        options["expiry"] = expiring ? pick(["months", "months", "year"], &generator) : "none"
        if chance(50, &generator) { options["first"] = "yes" }
        if chance(50, &generator) { options["loyal"] = pick(["2", "4"], &generator) }
        if chance(75, &generator) {
            options["grant"] = pick(["3", "10", "20"], &generator)
            options["grant_every"] = pick(["month", "month", "quarter"], &generator)
            if chance(50, &generator) { options["grant_to"] = pick(["volunteer", "household"], &generator) }
        }
        if chance(60, &generator) { options["levels"] = pick(["min_hours", "min_points"], &generator) }
        if chance(60, &generator) { options["ranking"] = pick(["points", "hours"], &generator) }
        if chance(40, &generator) { options["daily"] = pick(["20", "35"], &generator) }
        if chance(40, &generator) { options["weekly"] = pick(["60", "90"], &generator) }
        var second = options
        if chance(30, &generator) { second["floor"] = pick(["0", "5", "12"], &generator) }
        if chance(30, &generator) { second["care_rate"] = "12.5" }
        if chance(30, &generator), options["grant"] != nil { second["grant"] = pick(["5", "15"], &generator) }
        if chance(20, &generator), options["grant"] != nil { second["grant_every"] = pick(["month", "quarter"], &generator) }
        if expiring, chance(20, &generator) { second["expiry"] = pick(["none", "months", "year"], &generator) }
        if chance(20, &generator) { second["earn_to"] = options["earn_to"] == "household" ? "volunteer" : "household" }
        let versions = [policy(version: 1, effective: LocalDate("2026-09-01")!, options: options),
                        policy(version: 2, effective: switchDay, options: second)]

        // Lots posted by hand before the window, some expiring inside it, for the penalties' floors and the expiry.
        var handLots: [(account: AccountID, day: LocalDate, points: Int64, expires: LocalDate)] = []
        for _ in 0..<Int.random(in: 0...4, using: &generator) {
            let volunteer = pick(volunteers, &generator)
            let account: AccountID = chance(30, &generator) ? .household(pick(["H1", "H2"], &generator)) : .volunteer(volunteer.id)
            handLots.append((account, first.adding(days: -Int.random(in: 2...20, using: &generator)),
                             Int64(pick([300, 800, 1500], &generator)),
                             first.adding(days: Int.random(in: 1...40, using: &generator) + (expiring ? 0 : days))))
        }

        var rows = ["id,volunteer,household,category,indicator,period,result,date,start,minutes,verifier,tags,rating"]
        var slotsUsed: Set<String> = []
        for index in 0..<Int.random(in: 40...100, using: &generator) {
            let date = first.adding(days: Int.random(in: 0..<days, using: &generator))
            let volunteer = pick(volunteers, &generator)
            let verifier: String
            switch acceptance {
            case "auto": verifier = ""
            case "pending": verifier = chance(30, &generator) ? "" : "社区"
            default: verifier = "社区"
            }
            if chance(15, &generator) {
                let result = chance(75, &generator) ? "met" : "broken"
                rows.append("r\(index),\(volunteer.id),,,tidy,\(String(date.description.prefix(7))),\(result),\(date),,,\(verifier),,")
            } else {
                let category = pick(["care", "care", "patrol"], &generator)
                var tags = "", minutes = Int.random(in: 15...110, using: &generator), start = ""
                if expiring {
                } else if chance(15, &generator) {
                    tags = "no_show"
                    minutes = 0
                } else if chance(15, &generator) {
                    tags = "late"
                }
                if minutes > 0, chance(70, &generator) {
                    let slot = pick(["08:00", "10:00", "13:00", "15:00", "19:00"], &generator)
                    if slotsUsed.insert("\(volunteer.id) \(date) \(slot)").inserted { start = slot }
                }
                rows.append("r\(index),\(volunteer.id),,\(category),,,,\(date),\(start),\(minutes),\(verifier),\(tags),")
            }
        }
        var nights: Set<LocalDate> = []
        for _ in 0..<Int.random(in: 1...8, using: &generator) { nights.insert(first.adding(days: Int.random(in: 0..<(days - 1), using: &generator))) }
        return Draw(versions: versions, csv: rows.joined(separator: "\n") + "\n", handLots: handLots, first: first,
                    nights: nights.sorted() + [last], chunkSize: pick([1, 2, 3, 5, 10_000], &generator),
                    compareRankings: (options["auto"] ?? "0") == "0")
    }

    /// A store with the community, both versions, the lots posted by hand and the records imported, the day before the
    /// window settled.
    static func store(_ draw: Draw) throws -> (test: TestStore, refused: [String]) {
        let test = try NightsPropertyTests.community(draw.versions)
        for (index, lot) in draw.handLots.enumerated() {
            try test.store.post(.move(key: "hand-\(index)", kind: .award, date: lot.day, actor: "admin", memo: "by hand",
                                      from: .issuance, to: lot.account, amount: lot.points, lotExpiresOn: lot.expires))
        }
        let outcome = try test.store.importRecords(Array(draw.csv.utf8), fileName: "nights.csv", actor: "importer", today: nil)
        _ = try test.store.settle(SettlementRequest(date: draw.first.adding(days: -1), actor: "nightly"))
        return (test, outcome.rejected.map { "\($0)" })
    }

    static func balances(_ store: TimeBankStore) throws -> [String: Int64] {
        var result = try NightsPropertyTests.balances(store)
        result["system:expired"] = try store.balance(.expired)
        return result
    }

    static func grants(_ store: TimeBankStore) throws -> [String] {
        try store.database.statement("SELECT key, effective_date FROM entries WHERE kind = 'grant' ORDER BY key")
            .rows { "\($0.text(0)) \($0.text(1))" }
    }

    static func levels(_ store: TimeBankStore) throws -> [String: String] {
        try store.starLevelsHeld().mapValues(\.level)
    }

    static func rankings(_ store: TimeBankStore) throws -> [String] {
        try store.database.statement("SELECT period, rank, volunteer, points, minutes FROM rankings ORDER BY period, rank, volunteer")
            .rows { "\($0.text(0)) \($0.int64(1)) \($0.text(2)) \($0.int64(3)) \($0.int64(4))" }
    }

    @Test("grants, expiry, acceptance and levels: the same in one night as in several", arguments: seeds)
    func oneNightOrMany(seed: UInt64) throws {
        let draw = Self.draw(seed: seed)
        let (once, refusedOnce) = try Self.store(draw)
        let (nightly, refusedNightly) = try Self.store(draw)
        #expect(refusedOnce == refusedNightly)

        let differing = try NightsPropertyTests.settleOnceAndNightly(once.store, nightly.store, nights: draw.nights, chunkSize: draw.chunkSize)
        #expect(differing.isEmpty, "seed \(seed): \(differing.joined(separator: "; "))\n\(draw)")
        let balancesOnce = try Self.balances(once.store), balancesNightly = try Self.balances(nightly.store)
        #expect(balancesOnce == balancesNightly, "seed \(seed): one night \(balancesOnce.sorted { $0.key < $1.key }), nights \(balancesNightly.sorted { $0.key < $1.key })")
        #expect(try Self.grants(once.store) == Self.grants(nightly.store), "seed \(seed)")
        #expect(try Self.levels(once.store) == Self.levels(nightly.store), "seed \(seed)")
        if draw.compareRankings {
            #expect(try Self.rankings(once.store) == Self.rankings(nightly.store), "seed \(seed)")
        }
        #expect(try NightsPropertyTests.outcomes(once.store).values.filter { !$0.hasSuffix(" - - - -") }.count >= 10, "seed \(seed): too few records posted to tell")
        #expect(try once.store.verify().problems == [] && nightly.store.verify().problems == [])
    }
}

