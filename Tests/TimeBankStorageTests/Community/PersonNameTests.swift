import Foundation
import Testing
import TimeBankCore
@testable import TimeBankStorage

/// A minority name's middle dot is typed in many ways (阿卜杜·艾力, 阿卜杜•艾力, 阿卜杜・艾力 ...): the same-person checks and
/// the lookups by name treat them as one dot, and never change a stored name.
@Suite("Person names")
struct PersonNameTests {
    static let stored = "阿卜杜·艾力"
    /// The name typed with each of the other dots: U+2022, U+30FB, U+FF0E, U+002E, U+2027, U+22C5, U+FF65.
    static let typed = ["阿卜杜•艾力", "阿卜杜・艾力", "阿卜杜．艾力", "阿卜杜.艾力", "阿卜杜‧艾力", "阿卜杜⋅艾力", "阿卜杜･艾力"]

    @Test("every middle dot is one dot; a dot is not nothing, and another character is another name", arguments: typed)
    func dotsAreOne(_ name: String) {
        #expect(PersonName.same(name, Self.stored))
        #expect(PersonName.comparisonKey(name) == Self.stored)
        #expect(!PersonName.same("阿卜杜艾力", Self.stored))
        #expect(!PersonName.same("阿卜杜-艾力", Self.stored))
    }

    @Test("a volunteer import: the same name with another dot and the same birth date under a new id is C016; in the household, C017",
          arguments: typed)
    func importChecks(_ name: String) {
        let header = Dictionary(uniqueKeysWithValues: CommunityCSV.volunteerColumns.enumerated().map { ($1, $0) })
        let stored = [
            Volunteer(id: "V1", name: Self.stored, household: "H1", birthDate: date("1970-03-08"), teams: [], tags: [], joined: date("2024-05-01")),
            Volunteer(id: "V2", name: "买买提·吐尔逊", household: "H2", birthDate: nil, teams: [], tags: [], joined: date("2024-05-01")),
        ]
        let rows: [(row: Int, fields: [String])] = [
            (2, ["V3", name, "", "1970-03-08", "", "", "2025-01-01"]),
            (3, ["V4", name.replacingOccurrences(of: "阿卜杜", with: "买买提").replacingOccurrences(of: "艾力", with: "吐尔逊"), "H2", "", "", "", "2025-01-01"]),
        ]
        let result = CommunityCSV.volunteers(rows, header: header, knownHouseholds: ["H1", "H2"], stored: stored)
        #expect(result.values.isEmpty)
        #expect(result.errors.map(\.code) == ["C016", "C017"])
        #expect(result.errors.first?.reason.hasPrefix("\(name), born 1970-03-08, has the name and birth date of V1, stored") == true)
    }

    @Test("a record's volunteer column told the name with another dot is told the id", arguments: typed)
    func recordColumnFindsTheVolunteer(_ name: String) {
        let directory = CommunityDirectory(
            volunteers: [Volunteer(id: "V1", name: Self.stored, household: nil, birthDate: nil, teams: [], tags: [], joined: date("2024-05-01"))],
            households: [Household(id: "H1", name: "阿卜杜·艾力户", address: "")], stations: [])
        #expect(directory.volunteers(named: name).map(\.id) == ["V1"])
        #expect(directory.households(named: name + "户").map(\.id) == ["H1"])
    }

    @Test("an update to the name with another dot is C016, and a counter told the name finds the one volunteer; the stored name stays")
    func storeChecksAndLookups() throws {
        let test = try TestStore(volunteers: [])
        try test.store.addVolunteer(Volunteer(id: "V1", name: Self.stored, household: "H1", birthDate: date("1970-03-08"), teams: [], tags: [],
                                              joined: date("2024-05-01")))
        try test.store.addVolunteer(Volunteer(id: "V2", name: "艾力", household: nil, birthDate: date("1970-03-08"), teams: [], tags: [],
                                              joined: date("2024-05-01")))
        #expect(throws: CommunityError.samePersonAsOther(volunteer: "V2", name: "阿卜杜•艾力", birth: date("1970-03-08"), other: "V1")) {
            try test.store.updateVolunteer("V2", VolunteerUpdate(name: "阿卜杜•艾力"), reason: "姓名录错", actor: "admin")
        }
        do {
            _ = try test.store.requireVolunteer("阿卜杜・艾力")
            Issue.record("a name is not an id")
        } catch let error as RedemptionError {
            #expect(error == .unknownVolunteer("阿卜杜・艾力", suggestion: "V1"))
        }
        #expect(try test.store.volunteer("V1")?.name == Self.stored)
        #expect(try test.store.volunteer("V2")?.name == "艾力")
    }
}
