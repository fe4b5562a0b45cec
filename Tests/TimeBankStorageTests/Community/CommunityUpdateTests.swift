import Foundation
import Testing
import TimeBankCore
@testable import TimeBankStorage

/// Correcting volunteers, households and stations after they were added: the rules of `add`, the history, and what a
/// move does to the nights that follow (every number computed by hand in the comments).
@Suite("Community updates")
struct CommunityUpdateTests {
    @Test("a rename is written with its history row, the account's display name follows, the ledger does not change")
    func renameVolunteer() throws {
        let test = try TestStore()
        try test.award("V1", 1500)
        let head = try test.store.head()
        let outcome = try test.store.updateVolunteer("V1", VolunteerUpdate(name: "王晓明"), reason: "姓名录入错误: 王小明", actor: "admin")
        #expect(outcome.changes.map(\.field) == ["name"])
        #expect(outcome.changes.first?.oldValue == "志愿者V1")
        #expect(outcome.changes.first?.newValue == "王晓明")
        #expect(try test.store.volunteer("V1")?.name == "王晓明")
        #expect(try test.store.accounts(kind: .volunteer).first { $0.id == .volunteer("V1") }?.name == "王晓明")
        let history = try test.store.communityChanges(of: .volunteer, id: "V1")
        #expect(history.count == 1)
        #expect(history.first?.actor == "admin")
        #expect(history.first?.reason == "姓名录入错误: 王小明")
        #expect(try test.store.head() == head)
        #expect(try test.store.balance(.volunteer("V1")) == 1500)
        #expect(try test.store.verify().isClean)
    }

    @Test("a field given with the value it has is left alone and said so; when all are, nothing is written and no reason is needed")
    func unchangedFields() throws {
        let test = try TestStore()
        let same = try test.store.updateVolunteer("V1", VolunteerUpdate(name: "志愿者V1", teams: ["red"]), reason: nil, actor: "admin")
        #expect(same.changes.isEmpty)
        #expect(same.unchanged == [CommunityFieldValue(field: "name", value: "志愿者V1"), CommunityFieldValue(field: "teams", value: "red")])
        let mixed = try test.store.updateVolunteer("V1", VolunteerUpdate(name: "志愿者V1", tags: ["党员"]), reason: "补录", actor: "admin")
        #expect(mixed.changes.map(\.field) == ["tags"])
        #expect(mixed.unchanged.map(\.field) == ["name"])
        #expect(try test.store.communityChanges().count == 1)
    }

    @Test("each value is refused by the rules of add, with nothing written", arguments: [
        (VolunteerUpdate(name: " "), "C004"),
        (VolunteerUpdate(name: "王\n晓明"), "C004"),
        (VolunteerUpdate(birthDate: .setTo(LocalDate("2025-01-01")!)), "C004"),   // after the day V1 joined (2024-01-01)
        (VolunteerUpdate(tags: ["党\u{202E}员"]), "C004"),
        (VolunteerUpdate(teams: ["red", "orang"]), "C005"),
        (VolunteerUpdate(household: .moveTo("H9")), "C003"),
        (VolunteerUpdate(), "C008"),
    ])
    func refusedValues(update: VolunteerUpdate, code: String) throws {
        let test = try TestStore()
        let before = try test.store.volunteer("V1")
        #expect { try test.store.updateVolunteer("V1", update, reason: "fix", actor: "admin") } throws: {
            ($0 as? CommunityError)?.code == code
        }
        #expect(try test.store.volunteer("V1") == before)
        #expect(try test.store.communityChanges().isEmpty)
    }

    @Test("an unknown id is C003 with the id it most likely means; a missing or unusable reason is C009 or C004")
    func unknownIDsAndReasons() throws {
        let test = try TestStore()
        #expect(throws: CommunityError.unknown(kind: "volunteer", id: "v1", suggestion: "V1")) {
            try test.store.updateVolunteer("v1", VolunteerUpdate(name: "x"), reason: "r", actor: "admin")
        }
        #expect(throws: CommunityError.unknown(kind: "household", id: "h1", suggestion: "H1")) {
            try test.store.updateHousehold("h1", HouseholdUpdate(name: "x"), reason: "r", actor: "admin")
        }
        #expect(throws: CommunityError.unknown(kind: "station", id: "s1", suggestion: "S1")) {
            try test.store.updateStation("s1", StationUpdate(name: "x"), reason: "r", actor: "admin")
        }
        #expect(throws: CommunityError.updateReasonRequired(kind: "volunteer", id: "V1")) {
            try test.store.updateVolunteer("V1", VolunteerUpdate(name: "王晓明"), reason: nil, actor: "admin")
        }
        #expect(throws: CommunityError.updateReasonRequired(kind: "household", id: "H1")) {
            try test.store.updateHousehold("H1", HouseholdUpdate(address: "新地址"), reason: "  ", actor: "admin")
        }
        #expect { try test.store.updateStation("S1", StationUpdate(address: "新地址"), reason: "搬\n迁", actor: "admin") } throws: {
            ($0 as? CommunityError)?.code == "C004" && ($0 as? CommunityError)?.message.contains("invalid reason") == true
        }
        #expect(try test.store.volunteer("V1")?.name == "志愿者V1")
        #expect(try test.store.communityChanges().isEmpty)
    }

    @Test("household and station updates: name and address, checked as on add, kept in the history")
    func householdAndStation() throws {
        let test = try TestStore()
        try test.store.updateHousehold("H1", HouseholdUpdate(name: "王家(新)", address: "泰山路14号"), reason: "户主变更", actor: "admin")
        #expect(try test.store.household("H1") == Household(id: "H1", name: "王家(新)", address: "泰山路14号"))
        #expect(try test.store.accounts(kind: .household).first?.name == "王家(新)")
        try test.store.updateStation("S1", StationUpdate(address: "太白湖路8号"), reason: "兑换站搬迁", actor: "admin")
        #expect(try test.store.station("S1")?.address == "太白湖路8号")
        #expect(try test.store.communityChanges(of: .household, id: "H1").map(\.field) == ["name", "address"])
        #expect(try test.store.communityChanges(of: .station, id: "S1").map(\.newValue) == ["太白湖路8号"])
        #expect(try test.store.communityChanges(of: .household, id: "H1", latest: 1).map(\.field) == ["address"])
        #expect { try test.store.updateStation("S1", StationUpdate(name: ""), reason: "r", actor: "admin") } throws: {
            ($0 as? CommunityError)?.code == "C004"
        }
        #expect { try test.store.updateHousehold("H1", HouseholdUpdate(address: String(repeating: "路", count: 201)), reason: "r", actor: "admin") } throws: {
            ($0 as? CommunityError)?.code == "C004"
        }
        #expect(try test.store.communityChanges().count == 3)
    }

    @Test("the history is append-only: an edit or a delete is refused by the database")
    func historyIsAppendOnly() throws {
        let test = try TestStore()
        try test.store.updateVolunteer("V1", VolunteerUpdate(name: "王晓明"), reason: "typo", actor: "admin")
        #expect(throws: SQLiteError.self) { try test.store.database.execute("UPDATE community_changes SET new_value = 'x'") }
        #expect(throws: SQLiteError.self) { try test.store.database.execute("DELETE FROM community_changes") }
        #expect(try test.store.communityChanges().first?.newValue == "王晓明")
    }

    @Test("a store as migration 18 left it gains the history table on open, its community kept and updatable")
    func migrationFrom18() throws {
        try MigrationTests.withOldDatabase(before: 19) { database in
            try database.execute("INSERT INTO households(id, name, address) VALUES ('H1', '王家', '')")
            try database.execute("""
                INSERT INTO volunteers(id, name, household, birth_date, teams, tags, joined) VALUES ('V1', '王小明', 'H1', NULL, 'red', '', '2024-01-01')
                """)
        } opened: { store in
            #expect(try store.database.statement("SELECT 1 FROM schema_migrations WHERE version = 20").first { _ in true } == true)
            #expect(try store.communityChanges().isEmpty)
            try store.updateVolunteer("V1", VolunteerUpdate(name: "王晓明"), reason: "typo", actor: "admin")
            #expect(try store.volunteer("V1")?.name == "王晓明")
            #expect(try store.communityChanges().map(\.oldValue) == ["王小明"])
        }
    }

    /// Points to the household (`earn_to`), 10 an hour, a household cap of 30 a day.
    static let householdPolicy = """
        [policy]
        id = "move-test"
        version = 1
        effective = 2026-10-01
        timezone = "Asia/Shanghai"

        [earning]
        require_verifier = true

        [categories.orange]
        points_per_hour = 10

        [accounts]
        earn_to = "household"

        [caps]
        daily = 30
        """

    @Test("a move, then the next night: the late record goes to the new household under its cap; verify passes")
    func moveThenSettleThenVerify() throws {
        let test = try TestStore()   // V1 and V2 in H1
        try test.store.addHousehold(Household(id: "H2", name: "李家", address: ""))
        try test.store.addVolunteer(Volunteer(id: "V3", name: "李华", household: "H2", birthDate: nil, teams: [], tags: [], joined: date("2024-01-01")))
        try test.store.activatePolicy(Self.householdPolicy, actor: "admin")
        // The night of 10-05: V1 2 h (20) to H1, V3 2.5 h (25) to H2.
        try SettlementTests.importRecords(test.store, ["r1,V1,orange,2026-10-05,09:00,11:00,社区", "r2,V3,orange,2026-10-05,09:00,11:30,社区"])
        _ = try SettlementTests.settle(test.store, "2026-10-05")
        #expect(try test.store.balance(.household("H1")) == 2000)
        #expect(try test.store.balance(.household("H2")) == 2500)
        try test.store.updateVolunteer("V1", VolunteerUpdate(household: .moveTo("H2")), reason: "搬到李家", actor: "admin")
        // Late records of 10-05, settled the next night: V1's 2 h (20) now earns for H2, which had 25 of its 30 that day:
        // 5 awarded, 15 capped. V2's 1 h (10) still earns for H1, which had 20: all 10 fit.
        try SettlementTests.importRecords(test.store, ["r3,V1,orange,2026-10-05,14:00,16:00,社区", "r4,V2,orange,2026-10-05,14:00,15:00,社区"])
        _ = try SettlementTests.settle(test.store, "2026-10-06")
        let r3 = try #require(try test.store.storedRecord(id: "r3").posted)
        #expect(r3.account == .household("H2"))
        #expect(r3.earned == 2000)
        #expect(r3.award == 500)
        #expect(try test.store.storedRecord(id: "r4").posted?.award == 1000)
        // The first night's award stays where it was posted: H1 20 + 10, H2 25 + 5.
        #expect(try test.store.balance(.household("H1")) == 3000)
        #expect(try test.store.balance(.household("H2")) == 3000)
        #expect(try test.store.storedRecord(id: "r1").posted?.account == .household("H1"))
        #expect(try test.store.verify().isClean)
        #expect(try test.store.verifyStations().problems.isEmpty)
    }

    @Test("after a move, household.*_total are those of the members now (scoring.md), under earn_to = household too")
    func householdTotalsFollowTheMembersAfterAMove() throws {
        let test = try TestStore()   // V1 and V2 in H1
        try test.store.addHousehold(Household(id: "H2", name: "李家", address: ""))
        try test.store.activatePolicy(Self.householdPolicy, actor: "admin")
        // The night of 10-05: V1 2 h (20 points) to household:H1; V2 nothing.
        try SettlementTests.importRecords(test.store, ["r1,V1,orange,2026-10-05,09:00,11:00,社区"])
        _ = try SettlementTests.settle(test.store, "2026-10-05")
        let history = StoreScoringHistory(store: test.store)
        #expect(try history.totals(ofHousehold: "H1") == ScoringTotals(minutes: 120, records: 1, points: 2000))
        #expect(try history.totals(ofHousehold: "H2") == .zero)
        try test.store.updateVolunteer("V1", VolunteerUpdate(household: .moveTo("H2")), reason: "搬到李家", actor: "admin")
        // V1's 2 h go with V1: H1's members now (V2) served nothing; H2's (V1) 2 h and 20 points. The 20 stay in
        // household:H1's account (nothing posted moves), but H1's totals no longer count them.
        #expect(try history.totals(ofHousehold: "H2") == ScoringTotals(minutes: 120, records: 1, points: 2000))
        #expect(try history.totals(ofHousehold: "H1") == .zero)
        #expect(try test.store.balance(.household("H1")) == 2000)
    }

    @Test("a dividend's weights count a moved volunteer's awards of the period for the household they belong to now")
    func dividendWeightsAfterMove() throws {
        let test = try TestStore()   // V1 and V2 in H1
        try test.store.addHousehold(Household(id: "H2", name: "李家", address: ""))
        try test.award("V1", 3000, on: "2026-10-10")
        try test.award("V2", 1000, on: "2026-10-11")
        #expect(try test.store.pointsEarned(from: date("2026-10-01"), through: date("2026-12-31")).households == ["H1": 4000])
        try test.store.updateVolunteer("V1", VolunteerUpdate(household: .moveTo("H2")), reason: "搬到李家", actor: "admin")
        #expect(try test.store.pointsEarned(from: date("2026-10-01"), through: date("2026-12-31")).households == ["H1": 1000, "H2": 3000])
        try test.store.updateVolunteer("V1", VolunteerUpdate(household: .leave), reason: "独居", actor: "admin")
        let earned = try test.store.pointsEarned(from: date("2026-10-01"), through: date("2026-12-31"))
        #expect(earned.households == ["H1": 1000])
        #expect(earned.unassigned == 3000)
        #expect(try test.store.communityChanges(of: .volunteer, id: "V1").map(\.newValue) == ["H2", ""])
    }

    @Test("a household that gains its first member by a move receives the period's household grant the next night, once")
    func moveIntoEmptyHouseholdGetsTheGrant() throws {
        let test = try SettlementTests.store()   // V1 and V2 in H1; a monthly household grant of 100
        try test.store.addHousehold(Household(id: "H2", name: "李家", address: ""))
        _ = try SettlementTests.settle(test.store, "2026-10-05")
        #expect(try test.store.balance(.household("H1")) == 10_000)
        #expect(try test.store.balance(.household("H2")) == 0)
        try test.store.updateVolunteer("V2", VolunteerUpdate(household: .moveTo("H2")), reason: "分户", actor: "admin")
        _ = try SettlementTests.settle(test.store, "2026-10-06")
        // H2 has a member now: October's grant, dated the night it became due; H1 keeps its one grant of October.
        #expect(try test.store.balance(.household("H2")) == 10_000)
        #expect(try test.store.balance(.household("H1")) == 10_000)
        let grant = try #require(try test.store.entry(key: "grant:base:2026-10:household:H2"))
        #expect(grant.effectiveDate == date("2026-10-06"))
        #expect(try test.store.verify().isClean)
    }

    @Test("a move while a night's settlement is unfinished is refused (C010); a rename is not")
    func moveDuringUnfinishedSettlement() throws {
        let test = try TestStore()
        try test.store.addHousehold(Household(id: "H2", name: "李家", address: ""))
        // A night killed after its first step: its progress is recorded, its settlements row is not.
        try test.store.database.execute("""
            INSERT INTO settlement_progress(date, step, part, counts, detail, finished_at) VALUES ('2026-10-05', 1, 0, '{}', NULL, 'then')
            """)
        #expect(throws: CommunityError.moveDuringSettlement(volunteer: "V1", night: UnfinishedNight(date: date("2026-10-05"), finishing: .inOrder))) {
            try test.store.updateVolunteer("V1", VolunteerUpdate(household: .moveTo("H2")), reason: "搬家", actor: "admin")
        }
        #expect(try test.store.volunteer("V1")?.household == "H1")
        try test.store.updateVolunteer("V1", VolunteerUpdate(name: "王晓明"), reason: "typo", actor: "admin")
        #expect(try test.store.volunteer("V1")?.name == "王晓明")
    }
    @Test("a birth date typed by mistake is removed: kept in the history as it was, age absent; removing none writes nothing")
    func removeBirthDate() throws {
        let test = try TestStore()
        try test.store.updateVolunteer("V1", VolunteerUpdate(birthDate: .setTo(date("1956-03-08"))), reason: "补录", actor: "admin")
        let outcome = try test.store.updateVolunteer("V1", VolunteerUpdate(birthDate: .remove), reason: "本人未提供", actor: "admin")
        #expect(outcome.changes.map { [$0.field, $0.oldValue, $0.newValue] } == [["birth_date", "1956-03-08", ""]])
        #expect(try test.store.volunteer("V1")?.birthDate == nil)
        #expect(try test.store.volunteer("V1")?.age(on: date("2026-10-01")) == nil)
        let again = try test.store.updateVolunteer("V1", VolunteerUpdate(birthDate: .remove), reason: nil, actor: "admin")
        #expect(again.changes.isEmpty && again.unchanged == [CommunityFieldValue(field: "birth_date", value: "")])
        #expect(try test.store.communityChanges(of: .volunteer, id: "V1").count == 2)
    }

    @Test("an update refuses the same person under two ids as the import does (C016, C017), with nothing written")
    func samePersonTwice() throws {
        let test = try TestStore(volunteers: [])
        try test.store.addHousehold(Household(id: "H2", name: "李家", address: ""))
        try test.store.addVolunteer(Volunteer(id: "V1", name: "李娜", household: "H1", birthDate: nil, teams: [], tags: [], joined: date("2024-01-01")))
        try test.store.addVolunteer(Volunteer(id: "V2", name: "李娜", household: "H2", birthDate: nil, teams: [], tags: [], joined: date("2024-01-01")))
        try test.store.addVolunteer(Volunteer(id: "V3", name: "张伟", household: "H1", birthDate: date("1970-01-01"), teams: [], tags: [],
                                              joined: date("2024-01-01")))
        try test.store.addVolunteer(Volunteer(id: "V4", name: "张伟", household: "H2", birthDate: date("1970-01-02"), teams: [], tags: [],
                                              joined: date("2024-01-01")))
        let before = try test.store.volunteers()
        // A move into a household where a 李娜 without a birth date lives; with V2's birth date, V1's is still missing.
        #expect(throws: CommunityError.sameNameInHousehold(volunteer: "V2", name: "李娜", household: "H1", other: "V1",
                                                           volunteerHasBirth: false, otherHasBirth: false)) {
            try test.store.updateVolunteer("V2", VolunteerUpdate(household: .moveTo("H1")), reason: "搬家", actor: "admin")
        }
        #expect(throws: CommunityError.sameNameInHousehold(volunteer: "V2", name: "李娜", household: "H1", other: "V1",
                                                           volunteerHasBirth: true, otherHasBirth: false)) {
            try test.store.updateVolunteer("V2", VolunteerUpdate(household: .moveTo("H1"), birthDate: .setTo(date("1980-01-01"))),
                                           reason: "搬家", actor: "admin")
        }
        // A rename to the name of a member of the same household, one of the two without a birth date.
        #expect(throws: CommunityError.sameNameInHousehold(volunteer: "V3", name: "李娜", household: "H1", other: "V1",
                                                           volunteerHasBirth: true, otherHasBirth: false)) {
            try test.store.updateVolunteer("V3", VolunteerUpdate(name: "李娜"), reason: "改名", actor: "admin")
        }
        // A new birth date that is another's name and birth date, in any household.
        #expect(throws: CommunityError.samePersonAsOther(volunteer: "V4", name: "张伟", birth: date("1970-01-01"), other: "V3")) {
            try test.store.updateVolunteer("V4", VolunteerUpdate(birthDate: .setTo(date("1970-01-01"))), reason: "生日录错", actor: "admin")
        }
        #expect(try test.store.volunteers() == before)
        #expect(try test.store.communityChanges().isEmpty)
        // Told apart by their birth dates, the two 李娜 are two people: V1's given first, then the move with V2's.
        try test.store.updateVolunteer("V1", VolunteerUpdate(birthDate: .setTo(date("1950-01-01"))), reason: "补录", actor: "admin")
        try test.store.updateVolunteer("V2", VolunteerUpdate(household: .moveTo("H1"), birthDate: .setTo(date("1980-01-01"))),
                                       reason: "搬家", actor: "admin")
        #expect(try test.store.volunteer("V2")?.household == "H1")
        // Only what an update changes is judged: a birth date given, or a move of a pair of the same name told apart.
        try test.store.updateVolunteer("V4", VolunteerUpdate(household: .moveTo("H1")), reason: "搬家", actor: "admin")
        #expect(try test.store.volunteer("V4")?.household == "H1")
        // Removing a birth date that told two apart is refused.
        #expect(throws: CommunityError.sameNameInHousehold(volunteer: "V2", name: "李娜", household: "H1", other: "V1",
                                                           volunteerHasBirth: false, otherHasBirth: true)) {
            try test.store.updateVolunteer("V2", VolunteerUpdate(birthDate: .remove), reason: "未提供", actor: "admin")
        }
    }

    @Test("two people who share the name and birth date: an update naming the other as a namesake is made, as add makes it (C016)")
    func namesakeByUpdate() throws {
        let test = try TestStore(volunteers: [])
        for (id, name, birth) in [("V1", "张伟", "1970-01-01"), ("V2", "张伟", "1970-01-01"), ("V3", "张为", "1970-01-01")] {
            try test.store.addVolunteer(Volunteer(id: id, name: name, household: nil, birthDate: date(birth), teams: [], tags: [],
                                                  joined: date("2024-01-01")))
        }
        // V3's name was typed wrong: he is a third 张伟 born that day. Naming only V1 leaves V2, who is refused.
        #expect(throws: CommunityError.samePersonAsOther(volunteer: "V3", name: "张伟", birth: date("1970-01-01"), other: "V2")) {
            try test.store.updateVolunteer("V3", VolunteerUpdate(name: "张伟"), reason: "姓名录错", actor: "admin", namesakes: ["V1"])
        }
        #expect(try test.store.volunteer("V3")?.name == "张为" && test.store.communityChanges().isEmpty)
        let outcome = try test.store.updateVolunteer("V3", VolunteerUpdate(name: "张伟"), reason: "姓名录错", actor: "admin",
                                                     namesakes: ["V1", "V2"])
        #expect(outcome.changes.map(\.field) == ["name"])
        #expect(try test.store.volunteer("V3")?.name == "张伟")
    }

    @Test("joined: a day before the birth date is C004 on joined; while a night is unfinished, C010; nothing written")
    func joinedRefused() throws {
        let test = try TestStore()
        try test.store.updateVolunteer("V1", VolunteerUpdate(birthDate: .setTo(date("1990-05-01"))), reason: "补录", actor: "admin")
        #expect(throws: CommunityError.unusableField(field: "joined", value: "1990-04-30", reason: "it is before their birth date (1990-05-01)")) {
            try test.store.updateVolunteer("V1", VolunteerUpdate(joined: date("1990-04-30")), reason: "r", actor: "admin")
        }
        try test.store.database.execute("""
            INSERT INTO settlement_progress(date, step, part, counts, detail, finished_at) VALUES ('2026-10-05', 1, 0, '{}', NULL, 'then')
            """)
        #expect(throws: CommunityError.joinedChangeDuringSettlement(volunteer: "V1", night: UnfinishedNight(date: date("2026-10-05"), finishing: .inOrder))) {
            try test.store.updateVolunteer("V1", VolunteerUpdate(joined: date("2023-06-01")), reason: "入队日期更正", actor: "admin")
        }
        #expect(try test.store.volunteer("V1")?.joined == date("2024-01-01"))
        #expect(try test.store.communityChanges(of: .volunteer, id: "V1").count == 1)
    }

    @Test("joined moved earlier counts from the next night (no grant for settled nights), moved later takes no grant back")
    func joinedThenSettle() throws {
        // V1 and V2 in H1; a monthly household grant of 100. Today is 2026-12-10: October's nights are settled late.
        let test = try SettlementTests.store(clock: FixedClock(Timestamp(millisecondsSinceEpoch: 1_796_860_800_000), stepMilliseconds: 1000))
        try test.store.addHousehold(Household(id: "H2", name: "李家", address: ""))
        // Added with the day of joining typed wrong: in December.
        try test.store.addVolunteer(Volunteer(id: "V3", name: "李华", household: "H2", birthDate: nil, teams: [], tags: [],
                                              joined: date("2026-12-01")))
        _ = try SettlementTests.settle(test.store, "2026-10-05")
        #expect(try test.store.balance(.household("H2")) == 0)
        var settled: [Entry] = []
        try test.store.forEachEntry { settled.append($0) }
        let outcome = try test.store.updateVolunteer("V3", VolunteerUpdate(joined: date("2026-10-01")), reason: "入队日期录错", actor: "admin")
        #expect(outcome.changes.map { [$0.field, $0.oldValue, $0.newValue] } == [["joined", "2026-12-01", "2026-10-01"]])
        #expect(try test.store.volunteer("V3")?.joined == date("2026-10-01"))
        _ = try SettlementTests.settle(test.store, "2026-10-06")
        // October's grant for H2, dated the next night (10-06), not 10-01: the nights through 10-05 are settled as they were.
        let grant = try #require(try test.store.entry(key: "grant:base:2026-10:household:H2"))
        #expect(grant.effectiveDate == date("2026-10-06"))
        #expect(try test.store.balance(.household("H2")) == 10_000)
        // Moved later again: the grant posted stays, and is not posted twice.
        try test.store.updateVolunteer("V3", VolunteerUpdate(joined: date("2026-10-20")), reason: "再次更正", actor: "admin")
        _ = try SettlementTests.settle(test.store, "2026-10-07")
        #expect(try test.store.balance(.household("H2")) == 10_000)
        // What was posted before the changes is there as it was.
        var now: [Entry] = []
        try test.store.forEachEntry { now.append($0) }
        #expect(!settled.isEmpty && Array(now.prefix(settled.count)) == settled)
        #expect(try test.store.verify().isClean)
    }

    @Test("the actor kept with a change follows the rules of every other actor (C013): one line, 1 to 100 characters", arguments: [
        String(repeating: "a", count: 101), "ad\nmin", " ", "admin\u{85}",
    ])
    func unusableActor(actor: String) throws {
        let test = try TestStore()
        #expect { try test.store.updateVolunteer("V1", VolunteerUpdate(name: "王晓明"), reason: "typo", actor: actor) } throws: {
            ($0 as? CommunityError)?.code == "C013"
        }
        #expect { try test.store.updateTeam("red", TeamUpdate(label: "edu"), reason: "r", actor: actor) } throws: {
            ($0 as? CommunityError)?.code == "C013"
        }
        #expect(try test.store.volunteer("V1")?.name == "志愿者V1")
        #expect(try test.store.storedTeams().isEmpty)
        #expect(try test.store.communityChanges().isEmpty)
        // 100 characters is the limit, not over it.
        try test.store.updateVolunteer("V1", VolunteerUpdate(name: "王晓明"), reason: "typo", actor: String(repeating: "a", count: 100))
        #expect(try test.store.communityChanges().count == 1)
    }
}
