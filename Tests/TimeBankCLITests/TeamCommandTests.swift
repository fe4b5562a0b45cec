import Foundation
import Testing
import TimeBankCore
import TimeBankStorage
@testable import TimeBankCLI

@Suite("Team commands")
struct TeamCommandTests {
    /// `team add orange --name 橙` while orange (橙色关怀) is one of the five colours, the community's teams.
    static let otherDetails = "error[C002]: a team with id \"orange\" exists already, with other details (name \"橙色关怀\" stored, \"橙\" given); "
        + "nothing was written. If this is another team, give it an id of its own; to correct the stored one: "
        + "timebank team update orange --name 橙 --reason TEXT\n"

    @Test("team add keeps the five colours and says so; team show lists the members; team update keeps the history")
    func addShowUpdate() throws {
        let cli = try CLIHarness()
        try cli.community()   // V1 in orange and purple
        let added = try cli.ok(["team", "add", "yellow", "--name", "黄色助老", "--label", "elder help"])
        #expect(added == "Added team yellow 黄色助老.\nThe community had the five colours (no team imported); they are stored with it and stay its teams.\n")
        #expect(try cli.ok(["team", "add", "pink", "--name", "粉色"]) == "Added team pink 粉色.\n")
        #expect(try cli.ok(["team", "list"]).hasSuffix("7 teams\n"))
        try cli.ok(["volunteer", "update", "V2", "--teams", "yellow", "--reason", "加入助老队"])
        let show = try cli.ok(["team", "show", "yellow"])
        #expect(show.hasPrefix("Team yellow  黄色助老\nLabel:   elder help\nMembers: 1\n"))
        #expect(show.contains("V2      Li    -            0.00"))
        let updated = try cli.ok(["team", "update", "yellow", "--name", "黄色助老队", "--label", "elder help", "--reason", "队名更正"])
        #expect(updated == "Updated team yellow:\n  name: 黄色助老 → 黄色助老队\nLeft as it was: label is elder help already.\n")
        let history = try cli.ok(["team", "show", "yellow", "--history"])
        #expect(history.contains("Changes:"))
        #expect(history.contains("name   黄色助老  黄色助老队  tester  队名更正"))
        let json = try cli.ok(["--json", "team", "show", "yellow"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["name"] as? String == "黄色助老队")
        #expect((object["members"] as? [[String: Any]])?.first?["id"] as? String == "V2")
        #expect((object["changes"] as? [[String: Any]])?.count == 1)
    }

    @Test("team refusals name what and where and write nothing", arguments: [
        (["team", "add", "orange", "--name", "橙"], Int32(1), TeamCommandTests.otherDetails),
        (["team", "add", "yellow"], 2, "error[U001]: missing --name (see --help)\n"),
        (["team", "update", "Orange", "--name", "橙", "--reason", "r"], 2, "error[C003]: no team \"Orange\"; did you mean \"orange\"?\n"),
        (["team", "update", "orange", "--reason", "r"], 2, "error[C008]: nothing to change for team orange: give at least one of name, label; nothing was written\n"),
        (["team", "update", "orange", "--name", "橙"], 2, "error[C009]: a change to team orange needs a reason (--reason \"...\"), kept with the change for good; nothing was written\n"),
        (["team", "update", "orange", "--name", "", "--reason", "r"], 2, "error[C004]: invalid name \"\": it is empty\n"),
        (["team", "show", "yelow"], 2, "error[C003]: no team \"yelow\"; did you mean \"yellow\"?\n"),
    ])
    func refusals(arguments: [String], exit: Int32, expected: String) throws {
        let cli = try CLIHarness()
        try cli.community()
        if arguments[1] == "show" { try cli.ok(["team", "add", "yellow", "--name", "黄色"]) }
        let before = try TimeBankStore(path: cli.databasePath).storedTeams()
        let result = cli.run(arguments)
        #expect(result.exit == exit)
        #expect(result.errors == expected)
        #expect(try TimeBankStore(path: cli.databasePath).storedTeams() == before)
        #expect(try TimeBankStore(path: cli.databasePath).communityChanges().isEmpty)
    }

    @Test("team add needs an admin once the database has operators (O003 for an operator)")
    func addIsAdminOnly() throws {
        let cli = try CLIHarness()
        try cli.stations()
        let refused = cli.run(["team", "add", "yellow", "--name", "黄色"], environment: CLIHarness.asOp1)
        #expect(refused.exit == 1 && refused.errors.hasPrefix("error[O003]: "))
        #expect(try TimeBankStore(path: cli.databasePath).storedTeams().isEmpty)
        let done = cli.run(["team", "add", "yellow", "--name", "黄色"], environment: CLIHarness.asAdmin)
        #expect(done.exit == 0, "\(done.errors)")
    }

    @Test("a team named as another is added with a NOTE naming the other and how to rename one; --json lists them")
    func sameName() throws {
        let cli = try CLIHarness()
        try cli.community()
        try cli.ok(["team", "add", "yellow", "--name", "黄色助老"])
        let twin = try cli.ok(["team", "add", "yellow2", "--name", "黄色助老"])
        #expect(twin == "Added team yellow2 黄色助老.\nNOTE: team yellow is named 黄色助老 too: people picking a team from a list cannot "
                + "tell them apart. If that is not meant, rename one: `timebank team update yellow --name NAME --reason TEXT`.\n")
        #expect(try cli.ok(["--json", "team", "add", "pink", "--name", "黄色助老"]).contains("\"same_name_as\": [\n    \"yellow\",\n    \"yellow2\"\n  ]"))
        let renamed = try cli.ok(["team", "update", "pink", "--name", "粉色", "--reason", "改名"])
        #expect(!renamed.contains("NOTE"))
        #expect(try cli.ok(["team", "update", "pink", "--name", "黄色助老", "--reason", "改回"]).contains("NOTE: teams yellow, yellow2 are named 黄色助老 too"))
        // The name typed where a team's id belongs names every team of that name, and picks none.
        let typed = cli.run(["volunteer", "update", "V2", "--teams", "黄色助老", "--reason", "入队"])
        #expect(typed.exit == 2)
        #expect(typed.errors.contains("\"黄色助老\" is the name of teams yellow, yellow2 and pink: write the id of the one you mean"), "\(typed.errors)")
    }
}
