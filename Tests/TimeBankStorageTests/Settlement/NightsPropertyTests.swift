import Foundation
import Testing
import TimeBankCore
@testable import TimeBankStorage

/// A seeded property: the same approved records give the same points whether the nightly settlement posts them all in
/// one night or over several nights, each night's points posted before the next night scores (the scorer's memory of
/// the records before in a run must say what the store's history says once they are posted).
///
/// Each seed draws a community (V1, V2 in H1; V3, V4, V5 in H2; V6 without a household), two policy versions from a
/// small family (categories with rates and multipliers, category and overall caps per day, week and month, a once-only
/// bonus, bonuses on `volunteer.records_total`, `volunteer.hours_total`, `household.hours_total` and
/// `household.points_total`, a no-show penalty and a computed late penalty with a balance floor, indicators met and
/// broken, monthly, quarterly and yearly, a deduction indicator; `earn_to = "household"` in some draws) and 30 to 80
/// records (services and assessments, of volunteers and of households) over three weeks between September and November
/// 2026. Version 2 takes effect inside those weeks and may change an indicator's `per` (month, quarter, year), `earn_to`,
/// the floor, a cap, the rate, the once-only bonus or a bonus's threshold. Two stores import the same file; one settles
/// the last day only (every record in one night), the other settles at random cut dates before it and scores each
/// night's queue in chunks of a random size (1, 2, 3, 5 or 10,000). Per record the status, account, award, deduction and
/// shortfall must agree, and so must every balance.
///
/// Kept away from, as differences the documents call right:
/// - expiry: no `[expiry]`, so no lot expires between nights (a penalty may not take points expired by its day);
/// - acceptance: `require_verifier = false`, so every record is accepted on the first night on or after its date
///   (under `auto_accept_after_days` a record is accepted on a later night);
/// - grants: none (a grant is posted on its night, before the records, and a floor would see it);
/// - levels and `volunteer.level` (worked out again every night, so a later night sees a new level);
/// - moves between households (the household is the one of the night that scores the record);
/// - late records: every record is imported before the first night, so each night scores the records dated after the
///   last one (a record imported after later days were posted is scored against them, and fits into what they left of
///   a cap: docs/scoring.md, History);
/// - records the import refuses (overlapping times, a period assessed twice, E026): both stores refuse the same rows,
///   so the scorer never meets a second assessment of a period here.
@Suite("One night or many nights, the same points")
struct NightsPropertyTests {
    /// The seeds run every time (about a tenth of a second each; 1 to 700 were run by hand, all agreeing after the fix).
    static let seeds: [UInt64] = Array(1...40)

    struct Draw: CustomStringConvertible {
        var versions: [String]
        var csv: String
        var nights: [LocalDate]
        var chunkSize: Int

        var description: String {
            "nights \(nights.map(\.description).joined(separator: " ")), chunk \(chunkSize)\n"
                + versions.joined(separator: "\n---\n") + "\n---\n" + csv
        }
    }

    static let volunteers: [(id: String, household: String?)] = [
        ("V1", "H1"), ("V2", "H1"), ("V3", "H2"), ("V4", "H2"), ("V5", "H2"), ("V6", nil)]

    static func pick<T>(_ choices: [T], _ generator: inout SplitMix64) -> T { choices[Int.random(in: 0..<choices.count, using: &generator)] }
    static func chance(_ percent: Int, _ generator: inout SplitMix64) -> Bool { Int.random(in: 0..<100, using: &generator) < percent }

    static func policy(version: Int, effective: LocalDate, options: [String: String]) -> String {
        var text = """
            [policy]
            id = "nights"
            name = "一夜或多夜"
            version = \(version)
            effective = \(effective)
            timezone = "Asia/Shanghai"
            unit = "积分"

            [earning]
            rounding = "\(options["rounding"]!)"
            step = \(options["step"]!)
            min_minutes = \(options["min_minutes"]!)
            require_verifier = false
            combine_multipliers = "\(options["combine"]!)"

            [accounts]
            earn_to = "\(options["earn_to"]!)"
            balance_floor = \(options["floor"]!)

            [categories.care]
            label = "橙色关怀"
            points_per_hour = \(options["care_rate"]!)

            """
        if let cap = options["care_daily"] { text += "daily_cap = \(cap)\n" }
        if let cap = options["care_monthly"] { text += "monthly_cap = \(cap)\n" }
        text += """

            [categories.patrol]
            points_per_hour = 12

            [categories.repair]
            points_per_hour = 7.5

            [multipliers.weekend]
            factor = 1.5
            when = 'record.weekday in ["sat", "sun"]'

            [multipliers.rated]
            factor = 'has(record.rating) ? record.rating / 4 : 1'
            categories = ["care"]

            [indicators.tidy]
            points = 5
            per = "\(options["tidy_per"]!)"

            [indicators.sorting]
            points = 3
            per = "\(options["sorting_per"]!)"

            [indicators.structure]
            points = -8
            per = "quarter"

            [penalties.no_show]
            points = -6
            when = 'record.tags.contains("no_show")'

            [penalties.late]
            points = 'record.minutes * -0.0175'
            when = 'record.tags.contains("late")'

            """
        if options["first"] != nil { text += "\n[bonuses.first]\npoints = 5\nonce = true\nwhen = 'record.kind == \"service\"'\n" }
        if let count = options["loyal"] { text += "\n[bonuses.loyal]\npoints = 2\nwhen = 'volunteer.records_total >= \(count)'\n" }
        if let hours = options["veteran"] { text += "\n[bonuses.veteran]\npoints = 3\nwhen = 'volunteer.hours_total >= \(hours)'\n" }
        if let hours = options["family"] {
            text += "\n[bonuses.family]\npoints = 1\nwhen = 'has(household.hours_total) && household.hours_total >= \(hours)'\n"
        }
        if let points = options["rich"] {
            text += "\n[bonuses.rich]\npoints = 1.5\nwhen = 'has(household.points_total) && household.points_total >= \(points)'\n"
        }
        let caps = ["daily", "weekly", "monthly"].compactMap { key in options[key].map { "\(key) = \($0)" } }
        if !caps.isEmpty { text += "\n[caps]\n" + caps.joined(separator: "\n") + "\n" }
        return text
    }

    static func draw(seed: UInt64) -> Draw {
        var generator = SplitMix64(seed: seed)
        // A second stream widens the family (an earlier start, across the third quarter's end; what version 2 changes
        // besides) while the first draws what it drew before, so the seeds that found a bug still draw its records.
        var more = SplitMix64(seed: seed ^ 0x5EED_0F_4E16_7715)
        let first = LocalDate("2026-10-06")!.adding(days: Int.random(in: 0..<25, using: &generator)
                                                    - (chance(50, &more) ? Int.random(in: 1...30, using: &more) : 0))
        let days = 21
        let last = first.adding(days: days - 1)
        let switchDay = first.adding(days: Int.random(in: 3..<(days - 3), using: &generator))

        var options: [String: String] = [
            "rounding": pick(["half_up", "half_even", "floor", "ceil"], &generator),
            "step": pick(["0.01", "0.5", "1"], &generator),
            "min_minutes": pick(["0", "30"], &generator),
            "combine": pick(["max", "product", "sum"], &generator),
            "earn_to": chance(35, &generator) ? "household" : "volunteer",
            "floor": pick(["0", "0", "5"], &generator),
            "care_rate": "10",
            "tidy_per": "month",
        ]
        if chance(50, &generator) { options["care_daily"] = pick(["15", "25"], &generator) }
        if chance(40, &generator) { options["care_monthly"] = pick(["40", "80"], &generator) }
        if chance(60, &generator) { options["first"] = "yes" }
        if chance(60, &generator) { options["loyal"] = pick(["1", "2", "4"], &generator) }
        if chance(50, &generator) { options["veteran"] = pick(["1", "2.5", "5"], &generator) }
        if chance(50, &generator) { options["family"] = pick(["2", "6"], &generator) }
        if chance(50, &generator) { options["rich"] = pick(["10", "30"], &generator) }
        if chance(50, &generator) { options["daily"] = pick(["20", "35"], &generator) }
        if chance(40, &generator) { options["weekly"] = pick(["60", "90"], &generator) }
        if chance(40, &generator) { options["monthly"] = pick(["120", "200"], &generator) }
        options["tidy_per"] = chance(25, &more) ? "quarter" : "month"
        options["sorting_per"] = chance(25, &more) ? "quarter" : "month"
        var second = options
        if chance(30, &more) { second["earn_to"] = options["earn_to"] == "household" ? "volunteer" : "household" }
        if chance(30, &more) { second["floor"] = pick(["0", "5", "12"], &more) }
        if chance(25, &more) { second["first"] = second["first"] == nil ? "yes" : nil }
        if chance(25, &more) { second["loyal"] = pick(["1", "3"], &more) }
        if chance(25, &more) { second["rich"] = pick(["5", "20"], &more) }
        if chance(25, &more) { second["care_daily"] = pick(["10", "30"], &more) }
        if chance(20, &more) { second["weekly"] = pick(["50", "80"], &more) }
        if chance(25, &more) { second["sorting_per"] = options["sorting_per"] == "month" ? "quarter" : "month" }
        second["care_rate"] = pick(["10", "12.5"], &generator)
        if chance(70, &generator) { second["tidy_per"] = options["tidy_per"] == "month" ? "quarter" : "month" }
        if chance(15, &more) { second["tidy_per"] = "year" }
        if chance(40, &generator) { second["daily"] = pick(["20", "35"], &generator) }
        let versions = [policy(version: 1, effective: LocalDate("2026-09-01")!, options: options),
                        policy(version: 2, effective: switchDay, options: second)]

        func label(_ date: LocalDate, per: String) -> String {
            let text = date.description
            let month = Int(text.dropFirst(5).prefix(2))!
            switch per {
            case "month": return String(text.prefix(7))
            case "quarter": return "\(text.prefix(4))-Q\((month - 1) / 3 + 1)"
            default: return String(text.prefix(4))
            }
        }
        var rows = ["id,volunteer,household,category,indicator,period,result,date,start,minutes,verifier,tags,rating"]
        var slotsUsed: Set<String> = []
        let count = Int.random(in: 30...80, using: &generator)
        for index in 0..<count {
            let date = first.adding(days: Int.random(in: 0..<days, using: &generator))
            let volunteer = pick(volunteers, &generator)
            let id = "r\(index)"
            if chance(25, &generator) {
                // An assessment of a volunteer or of a household, its period of the `per` in force on its date.
                let indicator = pick(["tidy", "tidy", "sorting", "structure"], &generator)
                let inForce = date >= switchDay ? second : options
                let per = indicator == "structure" ? "quarter" : inForce["\(indicator)_per"]!
                let result = chance(75, &generator) ? "met" : "broken"
                let household = chance(30, &generator) ? pick(["H1", "H2"], &generator) : nil
                rows.append("\(id),\(household == nil ? volunteer.id : ""),\(household ?? ""),,\(indicator),\(label(date, per: per)),\(result),\(date),,,村委会,,")
            } else {
                let category = pick(["care", "care", "patrol", "repair"], &generator)
                var tags = "", minutes = Int.random(in: 15...110, using: &generator), start = ""
                if chance(10, &generator) {
                    tags = "no_show"
                    minutes = 0
                } else if chance(10, &generator) {
                    tags = "late"
                }
                if minutes > 0, chance(70, &generator) {
                    let slot = pick(["08:00", "10:00", "13:00", "15:00", "19:00"], &generator)
                    if slotsUsed.insert("\(volunteer.id) \(date) \(slot)").inserted { start = slot }
                }
                let rating = chance(50, &generator) ? String(Int.random(in: 1...5, using: &generator)) : ""
                rows.append("\(id),\(volunteer.id),,\(category),,,,\(date),\(start),\(minutes),社区,\(tags),\(rating)")
            }
        }
        var nights: Set<LocalDate> = []
        for _ in 0..<Int.random(in: 1...5, using: &generator) { nights.insert(first.adding(days: Int.random(in: 0..<(days - 1), using: &generator))) }
        return Draw(versions: versions, csv: rows.joined(separator: "\n") + "\n", nights: nights.sorted() + [last],
                    chunkSize: pick([1, 2, 3, 5, 10_000], &generator))
    }

    /// A store with the community (`volunteers`, in H1 and H2) and the policy `versions`.
    static func community(_ versions: [String]) throws -> TestStore {
        let test = try TestStore(volunteers: [])
        try test.store.addHousehold(Household(id: "H2", name: "李家", address: "泰山路2号"))
        for volunteer in volunteers {
            try test.store.addVolunteer(Volunteer(id: volunteer.id, name: "志愿者\(volunteer.id)", household: volunteer.household,
                                                  birthDate: nil, teams: [], tags: [], joined: date("2024-01-01")))
        }
        for version in versions { try test.store.activatePolicy(version, actor: "admin") }
        return test
    }

    /// Settles the last of `nights` alone in `once`, and every one of them in `nightly` in chunks of `chunkSize`; returns the
    /// records whose outcomes (`outcomes`) differ, each with both.
    static func settleOnceAndNightly(_ once: TimeBankStore, _ nightly: TimeBankStore, nights: [LocalDate], chunkSize: Int) throws -> [String] {
        _ = try once.settle(SettlementRequest(date: nights.last!, actor: "nightly", missedDays: .skip))
        for night in nights {
            _ = try nightly.settle(SettlementRequest(date: night, actor: "nightly", chunkSize: chunkSize, missedDays: .skip))
        }
        let oneNight = try outcomes(once), manyNights = try outcomes(nightly)
        return oneNight.keys.sorted().filter { oneNight[$0] != manyNights[$0] }
            .map { "\($0): one night \(oneNight[$0]!), nights \(manyNights[$0] ?? "none")" }
    }

    /// A store with the community and both versions, and the draw's records imported (the rows it refuses, refused alike).
    static func store(_ draw: Draw) throws -> (test: TestStore, refused: [String]) {
        let test = try community(draw.versions)
        let outcome = try test.store.importRecords(Array(draw.csv.utf8), fileName: "nights.csv", actor: "importer", today: nil)
        return (test, outcome.rejected.map { "\($0)" })
    }

    /// Each record's status and, when posted, its account, award, deduction and shortfall (hundredths), by id.
    static func outcomes(_ store: TimeBankStore) throws -> [String: String] {
        let rows = try store.database.statement("""
            SELECT r.id, r.status, s.account, s.award, s.deduction, s.shortfall FROM records r
            LEFT JOIN record_scores s ON s.record = r.number ORDER BY r.id
            """).rows { row in
                (row.text(0), "\(row.text(1)) \(row.optionalText(2) ?? "-") \(row.optionalInt64(3).map(String.init) ?? "-") "
                    + "\(row.optionalInt64(4).map(String.init) ?? "-") \(row.optionalInt64(5).map(String.init) ?? "-")")
            }
        return Dictionary(uniqueKeysWithValues: rows)
    }

    static func balances(_ store: TimeBankStore) throws -> [String: Int64] {
        var result: [String: Int64] = [:]
        for volunteer in volunteers { result[volunteer.id] = try store.balance(.volunteer(volunteer.id)) }
        for household in ["H1", "H2"] { result[household] = try store.balance(.household(household)) }
        return result
    }

    @Test("the same records give the same points in one night as in several", arguments: seeds)
    func oneNightOrMany(seed: UInt64) throws {
        let draw = Self.draw(seed: seed)
        let (once, refusedOnce) = try Self.store(draw)
        let (nightly, refusedNightly) = try Self.store(draw)
        #expect(refusedOnce == refusedNightly)

        let differing = try Self.settleOnceAndNightly(once.store, nightly.store, nights: draw.nights, chunkSize: draw.chunkSize)
        #expect(differing.isEmpty, "seed \(seed): \(differing.joined(separator: "; "))\n\(draw)")
        #expect(try Self.balances(once.store) == Self.balances(nightly.store), "seed \(seed)")
        #expect(try Self.outcomes(once.store).values.filter { !$0.hasSuffix(" - - - -") }.count >= 20, "seed \(seed): too few records posted to tell")
        #expect(try once.store.verify().problems == [] && nightly.store.verify().problems == [])
    }
}
