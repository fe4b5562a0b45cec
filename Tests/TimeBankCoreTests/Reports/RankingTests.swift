import Testing
import TimeBankCore

/// The ranking's tie rule: shared ranks (1, 2, 2, 4), the other measure then the id inside a tie,
/// everyone tied at place N in the top N, nobody with 0.
@Suite("Ranking")
struct RankingTests {
    static func row(_ id: String, _ points: Int64, _ minutes: Int64) -> RankingRow {
        RankingRow(rank: 0, volunteer: id, name: "志愿者\(id)", points: points, minutes: minutes)
    }

    static func summary(_ rows: [RankingRow]) -> [String] { rows.map { "\($0.rank) \($0.volunteer)" } }

    @Test("equal points share a rank and the next rank skips: 1, 2, 2, 4")
    func sharedRanks() {
        let rows = Ranking.rank([Self.row("V1", 3000, 60), Self.row("V2", 2000, 60), Self.row("V3", 2000, 90), Self.row("V4", 1000, 30)],
                                by: .points)
        // V3 before V2: same points, more minutes.
        #expect(Self.summary(rows) == ["1 V1", "2 V3", "2 V2", "4 V4"])
    }

    @Test("within a tie on both measures, volunteer ids in UTF-8 byte order (V10 before V9, 王 after V)")
    func idOrder() {
        let rows = Ranking.rank([Self.row("V9", 500, 30), Self.row("王", 500, 30), Self.row("V10", 500, 30)], by: .points)
        #expect(Self.summary(rows) == ["1 V10", "1 V9", "1 王"])
    }

    @Test("the top 2 includes everyone tied at place 2, so it lists 4 volunteers")
    func tieAtPlaceN() {
        let candidates = [Self.row("V1", 900, 0), Self.row("V2", 800, 10), Self.row("V3", 800, 20), Self.row("V4", 800, 0),
                          Self.row("V5", 700, 0)]
        let rows = Ranking.rank(candidates, by: .points, top: 2)
        #expect(Self.summary(rows) == ["1 V1", "2 V3", "2 V2", "2 V4"])
        // Top 1: no tie at place 1.
        #expect(Self.summary(Ranking.rank(candidates, by: .points, top: 1)) == ["1 V1"])
        // Top 4: place 4 does not exist (ranks 1, 2, 2, 2, 5); V5 at place 5 is out.
        #expect(Self.summary(Ranking.rank(candidates, by: .points, top: 4)) == ["1 V1", "2 V3", "2 V2", "2 V4"])
        #expect(Ranking.rank(candidates, by: .points, top: 5).count == 5)
    }

    @Test("by hours, ties listed by points; volunteers with 0 of the measure are not ranked")
    func byHours() {
        let rows = Ranking.rank([Self.row("V1", 0, 120), Self.row("V2", 1500, 120), Self.row("V3", 9000, 0), Self.row("V4", 100, 60)],
                                by: .hours)
        #expect(Self.summary(rows) == ["1 V2", "1 V1", "3 V4"])
        #expect(Ranking.rank([Self.row("V1", 0, 0)], by: .points).isEmpty)
        #expect(Ranking.rank([], by: .points, top: 3).isEmpty)
    }

    @Test("the input order does not change the result")
    func orderIndependent() {
        let candidates = [Self.row("V1", 900, 0), Self.row("V2", 800, 10), Self.row("V3", 800, 20), Self.row("V4", 800, 0)]
        #expect(Ranking.rank(candidates, by: .points, top: 2) == Ranking.rank(candidates.reversed(), by: .points, top: 2))
    }
}
