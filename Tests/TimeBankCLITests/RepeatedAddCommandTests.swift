import Foundation
import Testing
import TimeBankCore
import TimeBankStorage
@testable import TimeBankCLI

/// An `add` sent again, as a retry after a timeout or a set-up script run a second time: with the details stored, it is
/// done already (exit 0, nothing written, said so); with other details, C002 names each that differs and the `update` that
/// corrects the stored one, and writes nothing. Options left out are not compared (`--joined` defaults to today).
@Suite("An add sent again")
struct RepeatedAddCommandTests {
    @Test("the same add again is done already; the options given are compared, those left out are not")
    func sameAgain() throws {
        let cli = try CLIHarness()
        try cli.community()
        let before = try TimeBankStore(path: cli.databasePath).head()
        #expect(try cli.ok(["household", "add", "--id", "H1", "--name", "王家", "--address", "泰山路12号"])
            == "Household H1 王家 is stored already with these details: nothing was written.\n")
        #expect(try cli.ok(["volunteer", "add", "--id", "V1", "--name", "王秀英", "--household", "H1", "--birth", "1956-03-08",
                            "--teams", "purple,orange", "--tags", "党员", "--joined", "2024-05-01"])
            == "Volunteer V1 王秀英 is stored already with these details: nothing was written.\n")
        // A retry on another day without --joined: the day of joining stored then is not compared with today.
        #expect(try cli.ok(["volunteer", "add", "--id", "V2", "--name", "Li"]).hasPrefix("Volunteer V2 Li is stored already"))
        #expect(try cli.ok(["station", "add", "--id", "S1", "--name", "太白湖区第一志愿服务积分兑换站"]).hasPrefix("Station S1 "))
        let json = try cli.ok(["--json", "volunteer", "add", "--id", "V2", "--name", "Li"])
        #expect(json.contains("\"added\": \"volunteer:V2\"") && json.contains("\"already_stored\": true"), "\(json)")
        let store = try TimeBankStore(path: cli.databasePath)
        #expect(try store.head() == before)
        #expect(try store.communityChanges().isEmpty)
    }

    @Test("other details are C002 with each difference and the update that corrects the stored one; nothing written")
    func otherDetails() throws {
        let cli = try CLIHarness()
        try cli.community()
        let volunteer = cli.run(["volunteer", "add", "--id", "V1", "--name", "王晓英", "--household", "H1", "--birth", "1956-03-08"])
        #expect(volunteer.exit == 1)
        #expect(volunteer.errors == "error[C002]: a volunteer with id \"V1\" exists already, with other details (name \"王秀英\" stored, "
            + "\"王晓英\" given); nothing was written. If this is another volunteer, give it an id of its own; to correct the stored one: "
            + "timebank volunteer update V1 --name 王晓英 --reason TEXT\n")
        let household = cli.run(["household", "add", "--id", "H1", "--name", "王家", "--address", "泰山路14号"])
        #expect(household.exit == 1)
        #expect(household.errors.contains("(address \"泰山路12号\" stored, \"泰山路14号\" given)"), "\(household.errors)")
        #expect(household.errors.contains("timebank household update H1 --address 泰山路14号 --reason TEXT"), "\(household.errors)")
        let store = try TimeBankStore(path: cli.databasePath)
        #expect(try store.volunteer("V1")?.name == "王秀英")
        #expect(try store.household("H1")?.address == "泰山路12号")
    }

    @Test("team add again: with the details stored (or those of a five-colour team not stored yet) done already; other details C002")
    func teamAgain() throws {
        let cli = try CLIHarness()
        try cli.community()
        try cli.ok(["team", "add", "yellow", "--name", "黄色助老", "--label", "elder help"])
        let teams = try TimeBankStore(path: cli.databasePath).storedTeams()
        #expect(try cli.ok(["team", "add", "yellow", "--name", "黄色助老", "--label", "elder help"])
            == "Team yellow 黄色助老 is stored already with these details: nothing was written.\n")
        // --label left out is not compared.
        #expect(try cli.ok(["team", "add", "yellow", "--name", "黄色助老"]).hasPrefix("Team yellow 黄色助老 is stored already"))
        let other = cli.run(["team", "add", "yellow", "--name", "黄色敬老"])
        #expect(other.exit == 1)
        #expect(other.errors.contains("(name \"黄色助老\" stored, \"黄色敬老\" given)"), "\(other.errors)")
        #expect(other.errors.contains("timebank team update yellow --name 黄色敬老 --reason TEXT"), "\(other.errors)")
        #expect(try TimeBankStore(path: cli.databasePath).storedTeams() == teams)
    }

    @Test("team add of a five-colour team while they are the community's teams: with its details done already, nothing stored")
    func fiveColourTeamAgain() throws {
        let cli = try CLIHarness()
        try cli.community()
        let red = try #require(Team.fiveColours.first { $0.id == "red" })
        #expect(try cli.ok(["team", "add", "red", "--name", red.name]) == "Team red \(red.name) is stored already with these details: nothing was written.\n")
        #expect(try TimeBankStore(path: cli.databasePath).storedTeams().isEmpty)
        let other = cli.run(["team", "add", "red", "--name", "红色巡逻队"])
        #expect(other.exit == 1 && other.errors.hasPrefix("error[C002]: a team with id \"red\" exists already, with other details"), "\(other.errors)")
    }
}
