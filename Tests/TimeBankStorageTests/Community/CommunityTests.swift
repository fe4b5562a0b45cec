import Foundation
import Testing
import TimeBankCore
@testable import TimeBankStorage

/// Households, volunteers and stations: what is refused before it is stored, added one by one or from a file.
@Suite("Community")
struct CommunityTests {
    func code(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch let error as CommunityError {
            return error.code
        } catch {
            return "\(error)"
        }
    }

    func volunteer(_ id: String, name: String = "李明", birth: String? = nil, joined: String = "2024-05-01", tags: [String] = []) -> Volunteer {
        Volunteer(id: id, name: name, household: nil, birthDate: birth.map(date), teams: [], tags: tags, joined: date(joined))
    }

    @Test("an empty name, a line break in a name or address, a too long name, a birth date in the future or after joining: C004, nothing stored")
    func refusesUnprintableOrImpossible() throws {
        // The store's clock says 2026-09-21.
        let test = try TestStore(volunteers: [], stations: [])
        let before = try test.store.volunteers().count
        #expect(code { try test.store.addVolunteer(volunteer("V9", name: "")) } == "C004")
        #expect(code { try test.store.addVolunteer(volunteer("V9", name: "   ")) } == "C004")
        #expect(code { try test.store.addVolunteer(volunteer("V9", name: "王\n秀英")) } == "C004")
        // The message shows the line break as \n, so it stays on one line.
        #expect(CommunityError.invalidField(field: "name", value: "王\n秀英", expected: "one line").message == "invalid name \"王\\n秀英\": expected one line")
        #expect(code { try test.store.addVolunteer(volunteer("V9", name: String(repeating: "王", count: 101))) } == "C004")
        #expect(code { try test.store.addVolunteer(volunteer("V9", birth: "2030-01-01", joined: "2024-05-01")) } == "C004")
        #expect(code { try test.store.addVolunteer(volunteer("V9", birth: "2024-06-01", joined: "2024-05-01")) } == "C004")
        #expect(code { try test.store.addVolunteer(volunteer("V9", tags: ["党员\t"])) } == "C004")
        // A tag holding a list's separator would come back from `community export` and a re-import as two tags.
        for tag in ["五老;党员", "五老,党员", "五老、党员", "五老；党员", "五老，党员"] {
            #expect(code { try test.store.addVolunteer(volunteer("V9", tags: [tag])) } == "C004", "\(tag)")
        }
        #expect(CommunityRules.problem(volunteer("V9", tags: ["五老;党员"]), today: nil)?.reason
            == "it has \";\" or \",\", which separate the tags of a volunteer: give them as two tags")
        #expect(code { try test.store.addHousehold(Household(id: "H9", name: "", address: "")) } == "C004")
        #expect(code { try test.store.addHousehold(Household(id: "H9", name: "李家", address: "泰山路\r\n12号")) } == "C004")
        #expect(code { try test.store.addStation(Station(id: "S9", name: "兑换站\n二", community: "", address: "")) } == "C004")
        #expect(try test.store.volunteers().count == before)
        #expect(try test.store.household("H9") == nil && test.store.station("S9") == nil)
        #expect(try test.store.account(.volunteer("V9")) == nil)
        // The message says what is wrong with which field.
        let error = #expect(throws: CommunityError.self) { try test.store.addVolunteer(volunteer("V9", birth: "2030-01-01")) }
        #expect(error?.message == "invalid birth date \"2030-01-01\": it is in the future")
        // What is right is stored: a 100-character name, a birth date on the day of joining.
        try test.store.addVolunteer(volunteer("V9", name: String(repeating: "王", count: 100), birth: "2024-05-01", joined: "2024-05-01"))
        #expect(try test.store.volunteer("V9")?.name.count == 100)
    }

    @Test("a birth date or a day of joining more than 130 years before today (a year typed a century off: 1856, 0202) is C004, nothing stored")
    func refusesDatesNoOneLivingHas() throws {
        // The store's clock says 2026-09-21 at 14:13 UTC: 2026-09-22 is today somewhere (UTC+14), the latest today that `add` takes.
        let test = try TestStore(volunteers: [], stations: [])
        let before = try test.store.volunteers().count
        let error = #expect(throws: CommunityError.self) { try test.store.addVolunteer(volunteer("V9", birth: "1856-03-08")) }
        #expect(error?.code == "C004")
        #expect(error?.message == "invalid birth date \"1856-03-08\": it is 170 years before today: no one living was born then; check the year")
        #expect(code { try test.store.addVolunteer(volunteer("V9", birth: "0001-01-01")) } == "C004")
        let joined = #expect(throws: CommunityError.self) { try test.store.addVolunteer(volunteer("V9", joined: "0202-05-01")) }
        #expect(joined?.message == "invalid joined \"0202-05-01\": it is 1824 years before today: no one living joined then; check the year")
        #expect(try test.store.volunteers().count == before && test.store.account(.volunteer("V9")) == nil)
        // 130 years to the day is the oldest taken; the oldest person on record lived to 122.
        try test.store.addVolunteer(volunteer("V9", birth: "1896-09-22", joined: "1990-01-01"))
        #expect(code { try test.store.addVolunteer(volunteer("V10", birth: "1896-09-21", joined: "1990-01-01")) } == "C004")
        // A file is refused the same, the cell named.
        let header = Dictionary(uniqueKeysWithValues: CommunityCSV.volunteerColumns.enumerated().map { ($1, $0) })
        let result = CommunityCSV.volunteers([(2, ["V11", "王秀英", "", "1856-03-08", "", "", "2024-05-01"])], header: header,
                                             knownHouseholds: [], today: date("2026-11-08"))
        #expect(result.errors.map { "\($0.row) \($0.column) \($0.code) \($0.reason)" }
            == ["2 birth_date C004 \"1856-03-08\" is 170 years before today: no one living was born then; check the year"])
    }

    @Test("the library refuses what the CLI and a file import refuse: a team not the community's (C005), a household not stored (C003, with the id meant)")
    func addVolunteerChecksTeamsAndHousehold() throws {
        let test = try TestStore(volunteers: [], stations: [])
        let store = test.store
        func adding(_ teams: [String], household: String? = nil) -> CommunityError? {
            do {
                try store.addVolunteer(Volunteer(id: "V9", name: "李明", household: household, birthDate: nil, teams: teams, tags: [],
                                                 joined: date("2024-05-01")))
                return nil
            } catch {
                return error as? CommunityError
            }
        }
        #expect(adding(["讲师团"])?.code == "C005")
        let fullWidth = adding(["red"], household: "Ｈ１")
        #expect(fullWidth?.code == "C003" && fullWidth?.message == "no household \"Ｈ１\"; did you mean \"H1\"?")
        #expect(try store.volunteers().isEmpty)
        // Once the community has its own teams, they are the teams: red is refused, 讲师团 is taken.
        try store.addTeams([Team(id: "讲师团", name: "讲师团", label: "讲师团")])
        #expect(adding(["red"])?.code == "C005")
        #expect(adding(["讲师团"], household: "H1") == nil)
        #expect(try store.volunteer("V9")?.teams == ["讲师团"])
    }

    @Test("a volunteers file: a name with a line break and a birth date after joining are rejected with their line and column")
    func fileRowsAreChecked() throws {
        let rows: [(row: Int, fields: [String])] = [
            (2, ["V1", "王秀英", "", "1956-03-08", "orange", "", "2024-05-01"]),
            (3, ["V2", "李\n明", "", "", "", "", "2024-05-01"]),
            (5, ["V3", "张三", "", "2025-01-01", "", "", "2024-05-01"]),
        ]
        let header = Dictionary(uniqueKeysWithValues: CommunityCSV.volunteerColumns.enumerated().map { ($1, $0) })
        let result = CommunityCSV.volunteers(rows, header: header, knownHouseholds: [])
        #expect(result.values.map(\.id) == ["V1"])
        #expect(result.errors.map(\.description) == [
            "row 3, column name: it has a line break or another control character; write it on one line",
            "row 5, column birth_date: \"2025-01-01\" is after the day they joined (2024-05-01)",
        ])
    }

    @Test("a row with several bad cells names each cell once, in the order of the row; a check that reads a bad cell is not made")
    func everyBadCellOfARow() throws {
        let header = Dictionary(uniqueKeysWithValues: CommunityCSV.volunteerColumns.enumerated().map { ($1, $0) })
        let stored = [Volunteer(id: "V1", name: "李娜", household: "H1", birthDate: nil, teams: [], tags: [], joined: date("2024-05-01"))]
        let rows: [(row: Int, fields: [String])] = [
            // A village clerk's row: the birth date, the team and the day of joining are all wrong.
            (2, ["V2", "王大山", "H1", "1958/3/8x", "党员先锋队", "党员", "2026-10-32"]),
            // No id and no name: said once each ("missing name", not also "it is empty"), and the rest still checked.
            (3, ["", "", "H9", "", "", "", "2024-05-01"]),
            // 李娜 of H1 again, but the birth date is not a date: whether it tells her from V1 (C017) cannot be said.
            (4, ["V4", "李娜", "H1", "1990-13-01", "", "", "2024-05-01"]),
            // A birth date in the future and a day of joining missing: the birth date is judged on its own.
            (5, ["V5", "周杰", "", "2030-01-01", "", "", ""]),
        ]
        let result = CommunityCSV.volunteers(rows, header: header, knownHouseholds: ["H1"], knownTeams: Team.fiveColours,
                                             today: date("2026-11-08"), stored: stored)
        #expect(result.values.isEmpty)
        #expect(result.rejectedRows == 4)
        #expect(result.errors.map { "\($0.row) \($0.column) \($0.code)" } == [
            "2 birth_date C004", "2 teams C005", "2 joined C004",
            "3 id C001", "3 name C004", "3 household C003",
            "4 birth_date C004",
            "5 birth_date C004", "5 joined C004",
        ])
        #expect(result.errors[4].reason == "missing name")
        #expect(result.errors[7].reason == "\"2030-01-01\" is in the future")
        #expect(result.errors[8].reason == "missing joined (YYYY-MM-DD)")
    }

    @Test("a household row with a bad id and a name on two lines names both")
    func everyBadCellOfAHouseholdRow() throws {
        let rows: [(row: Int, fields: [String])] = [(2, ["H 1", "王\n家", "泰山路\n12号"]), (3, ["H2", "李家", ""])]
        let result = CommunityCSV.households(rows, header: ["id": 0, "name": 1, "address": 2])
        #expect(result.values.map(\.id) == ["H2"])
        #expect(result.rejectedRows == 1)
        #expect(result.errors.map(\.column) == ["id", "name", "address"])
    }
}
