import Foundation
import Testing
import TimeBankCore
@testable import TimeBankStorage

/// Teams added and corrected one at a time: the rules of `team import`, the five colours kept, the history.
@Suite("Team add and update")
struct TeamUpdateTests {
    @Test("team add on a community of the five colours stores them with it: adding takes no team away")
    func addKeepsTheFiveColours() throws {
        let test = try TestStore()   // V1 and V2 in the five-colour team red
        #expect(try test.store.storedTeams().isEmpty)
        #expect(try test.store.addTeam(Team(id: "yellow", name: "黄色助老", label: "elder help")) == true)
        #expect(try test.store.communityTeams().map(\.id) == ["red", "orange", "blue", "green", "purple", "yellow"])
        // The second add finds the teams stored and adds only itself.
        #expect(try test.store.addTeam(Team(id: "pink", name: "粉色", label: "")) == false)
        #expect(try test.store.communityTeams().count == 7)
        // A volunteer may now be put in the new team.
        try test.store.updateVolunteer("V1", VolunteerUpdate(teams: ["red", "yellow"]), reason: "加入助老队", actor: "admin")
        #expect(try test.store.volunteer("V1")?.teams == ["red", "yellow"])
    }

    @Test("team add refuses by the rules of team import, with nothing written", arguments: [
        (Team(id: "red", name: "红色", label: ""), "C002"),        // a five-colour id, though not stored yet
        (Team(id: "a;b", name: "x", label: ""), "C004"),
        // `、` separates teams as `;` does (`CommunityRules.listItems`): 党员、先锋 could never be named in --teams or a file.
        (Team(id: "党员、先锋", name: "x", label: ""), "C004"),
        (Team(id: "yellow", name: " ", label: ""), "C004"),
        (Team(id: "yellow", name: "黄色", label: "a\nb"), "C004"),
        (Team(id: "ｙｅｌｌｏｗ", name: "黄色", label: ""), "C006"),
        (Team(id: "yel low", name: "黄色", label: ""), "C001"),
    ])
    func addRefused(team: Team, code: String) throws {
        let test = try TestStore()
        #expect { try test.store.addTeam(team) } throws: { ($0 as? CommunityError)?.code == code }
        #expect(try test.store.storedTeams().isEmpty)
    }

    @Test("team update: name and label kept in the history; no account, no entry; a five-colour team is stored first")
    func updateTeam() throws {
        let test = try TestStore()
        try test.award("V1", 1500)
        let head = try test.store.head()
        let outcome = try test.store.updateTeam("orange", TeamUpdate(name: "橙色关怀队", label: "care"), reason: "队名更正", actor: "admin")
        // The label was "care" already: left alone and said so.
        #expect(outcome.changes.map(\.field) == ["name"])
        #expect(outcome.unchanged == [CommunityFieldValue(field: "label", value: "care")])
        #expect(try test.store.communityTeams().first { $0.id == "orange" } == Team(id: "orange", name: "橙色关怀队", label: "care"))
        #expect(try test.store.storedTeams().count == 5)
        try test.store.updateTeam("orange", TeamUpdate(label: ""), reason: "不要英文", actor: "admin")
        let history = try test.store.communityChanges(of: .team, id: "orange")
        #expect(history.map(\.field) == ["name", "label"])
        #expect(history.map(\.oldValue) == ["橙色关怀", "care"])
        #expect(history.map(\.subject) == [.team, .team])
        #expect(try test.store.head() == head)
        #expect(try test.store.verify().isClean)
    }

    @Test("team update refuses an unknown team (C003, with a near id), a bad value (C004), no field (C008), no reason (C009)")
    func updateRefused() throws {
        let test = try TestStore()
        #expect(throws: CommunityError.unknown(kind: "team", id: "Orange", suggestion: "orange")) {
            try test.store.updateTeam("Orange", TeamUpdate(name: "x"), reason: "r", actor: "admin")
        }
        #expect { try test.store.updateTeam("orange", TeamUpdate(name: ""), reason: "r", actor: "admin") } throws: {
            ($0 as? CommunityError)?.code == "C004"
        }
        #expect { try test.store.updateTeam("orange", TeamUpdate(label: "care\u{202E}"), reason: "r", actor: "admin") } throws: {
            ($0 as? CommunityError)?.code == "C004"
        }
        #expect(throws: CommunityError.nothingToUpdate(kind: "team", id: "orange", fields: ["name", "label"])) {
            try test.store.updateTeam("orange", TeamUpdate(), reason: "r", actor: "admin")
        }
        #expect(throws: CommunityError.updateReasonRequired(kind: "team", id: "orange")) {
            try test.store.updateTeam("orange", TeamUpdate(name: "橙"), reason: nil, actor: "admin")
        }
        // Nothing refused stored the five colours or wrote a change.
        #expect(try test.store.storedTeams().isEmpty)
        #expect(try test.store.communityChanges().isEmpty)
    }

    @Test("a store as migration 20 left it keeps its changes, their numbers and the append-only rule, and takes a team's")
    func migrationFrom20() throws {
        try MigrationTests.withOldDatabase(before: 21) { database in
            try database.execute("""
                INSERT INTO community_changes(number, subject, id, field, old_value, new_value, actor, changed_at, reason)
                VALUES (7, 'station', 'S1', 'address', '', '太白湖路8号', 'admin', '2026-11-01T02:00:00.000Z', '搬迁')
                """)
            // Before 21 the table refuses a team's change.
            #expect(throws: SQLiteError.self) {
                try database.execute("""
                    INSERT INTO community_changes(subject, id, field, old_value, new_value, actor, changed_at, reason)
                    VALUES ('team', 'red', 'name', 'a', 'b', 'admin', 'then', 'r')
                    """)
            }
        } opened: { store in
            #expect(try store.communityChanges().map(\.number) == [7])
            #expect(try store.communityChanges(of: .station, id: "S1").first?.newValue == "太白湖路8号")
            try store.updateTeam("red", TeamUpdate(label: "red education"), reason: "英文名", actor: "admin")
            #expect(try store.communityChanges().map(\.number) == [7, 8])
            #expect(throws: SQLiteError.self) { try store.database.execute("UPDATE community_changes SET reason = 'x'") }
            #expect(throws: SQLiteError.self) { try store.database.execute("DELETE FROM community_changes") }
        }
    }
}
