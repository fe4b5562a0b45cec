import Foundation
import Testing
import TimeBankCore
@testable import TimeBankStorage

/// The ranking under `earn_to = "household"`: the points land on the household's account, but the board ranks the
/// volunteers who earned them (docs/reports.md, "report ranking").
@Suite("Ranking under earn_to = household")
struct HouseholdRankingTests {
    @Test("each volunteer is ranked by the awards of their own records, credited to the household; the household's own assessment and a penalty are not")
    func volunteersOfAHouseholdAreRanked() throws {
        let test = try TestStore(volunteers: ["V1", "V2", "V3"])
        let store = test.store
        try store.activatePolicy("""
            [policy]
            id = "household-ranking"
            version = 1
            effective = 2026-10-01

            [accounts]
            earn_to = "household"

            [earning]
            require_verifier = false

            [categories.care]
            points_per_hour = 12

            [indicators.tidy]
            points = 5
            per = "quarter"

            [penalties.no_show]
            points = -3
            when = 'record.tags.contains("no_show")'

            """, actor: "admin")
        let day = LocalDate("2026-10-12")!
        _ = try store.importRecords(Array("""
            id,volunteer,household,category,indicator,period,result,date,minutes,tags
            w1,V1,,care,,,,2026-10-12,60,
            w2,V2,,care,,,,2026-10-12,90,
            w3,,H1,,tidy,2026-Q4,met,2026-10-12,,
            w4,V3,,care,,,,2026-10-12,0,no_show

            """.utf8), fileName: "records.csv", actor: "importer", today: day)
        try store.approveRecords(["w1", "w2", "w3", "w4"].map { ($0, nil) }, actor: "admin")
        try store.postApprovedRecords(on: day, actor: "settlement")
        #expect(try store.storedRecord(id: "w1").posted?.account == .household("H1"))

        let byPoints = try store.ranking(from: day, through: day, by: .points)
        #expect(byPoints.map(\.volunteer) == ["V2", "V1"])
        #expect(byPoints.map(\.points) == [1_800, 1_200] && byPoints.map(\.minutes) == [90, 60] && byPoints.map(\.rank) == [1, 2])
        // V2's record withdrawn: its points and minutes leave the board, V1's stay.
        let award = try #require(try store.storedRecord(id: "w2").posted?.awardEntry)
        try store.reverse(sequence: award, key: "withdraw-w2", actor: "admin", memo: "登记错误", on: day)
        #expect(try store.ranking(from: day, through: day, by: .points).map(\.volunteer) == ["V1"])
        #expect(try store.ranking(from: day, through: day, by: .hours).map(\.volunteer) == ["V1"])
    }
}
