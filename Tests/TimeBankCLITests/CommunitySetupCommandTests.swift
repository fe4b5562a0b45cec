import Testing
import TimeBankCore
@testable import TimeBankCLI

/// A new community set up from its own spreadsheets: its own teams, dates as a spreadsheet writes them, a birth date
/// typed in the future.
@Suite struct CommunitySetupCommandTests {
    /// 望江街社區 has six teams of its own (牽手, 菩提, 金穗, 春雨, 守望, 遠聲), not the five colours: before `team import`
    /// its volunteers.csv could not be imported at all.
    @Test func ownTeams() throws {
        let cli = try CLIHarness()
        try cli.ok(["init"])
        try cli.ok(["household", "add", "--id", "H001", "--name", "李家"])
        let teams = try cli.write("teams.csv", "id,name,label\nqianshou,牽手,hand in hand\nputi,菩提,bodhi\n")
        let volunteers = try cli.write("volunteers.csv", "id,name,household,birth_date,teams,tags,joined\nV001,李秀芳,H001,1952-06-14,qianshou;puti,五老,2024-05-01\n")

        // Before the teams are imported, the five colours are the teams, and the refusal says how to add one.
        let before = cli.run(["volunteer", "import", volunteers])
        #expect(before.exit == 2)
        #expect(before.errors.contains("line 2, column teams: unknown team \"qianshou\"; the teams are red (红色教育)"))
        #expect(before.errors.contains("a new team is added with `timebank team import`"))

        #expect(try cli.ok(["team", "import", teams]).contains("read 2 teams: 2 added, 0 already present, 0 rejected"))
        #expect(try cli.ok(["team", "import", teams]).contains("0 added, 2 already present"))   // a retry adds nothing
        try cli.ok(["volunteer", "import", volunteers])
        #expect(try cli.ok(["volunteer", "show", "V001"]).contains("Teams:     qianshou 牽手, puti 菩提"))
        let list = try cli.ok(["team", "list"])
        #expect(list.contains("qianshou  牽手  hand in hand           1"))
        #expect(!list.contains("red"))

        // A team's name where its id belongs, and a typo, are named.
        let name = cli.run(["volunteer", "add", "--id", "V002", "--name", "周", "--teams", "牽手"])
        #expect(name.exit == 2)
        #expect(name.errors == "error[C005]: unknown team \"牽手\"; \"牽手\" is the name of team \"qianshou\": write its id, qianshou\n")
        let typo = cli.run(["volunteer", "add", "--id", "V002", "--name", "周", "--teams", "qianshuo"])
        #expect(typo.errors.hasPrefix("error[C005]: unknown team \"qianshuo\"; did you mean \"qianshou\"? the teams are qianshou (牽手), puti (菩提)"))
        #expect(try cli.ok(["volunteer", "list"]).contains("1 volunteers"))
    }

    @Test func teamImportRefusesBadRows() throws {
        let cli = try CLIHarness()
        try cli.ok(["init"])
        let teams = try cli.write("teams.csv", "id,name,label\nchun yu,春雨,\nshouwang,,\na;b,甲乙,\nshouwang,守望,\n")
        let result = cli.run(["team", "import", teams])
        #expect(result.exit == 2)
        #expect(result.errors.contains("line 2, column id: invalid id \"chun yu\""))
        #expect(result.errors.contains("line 3, column name: missing name"))
        #expect(result.errors.contains("line 4, column id: it has \";\" or \",\", which separate the teams of a volunteer"))
        #expect(result.errors.contains("Nothing was imported."))
        #expect(try cli.ok(["team", "list"]).contains("the five colours: no team imported yet"))
    }

    /// A spreadsheet saves 1949-03-08 as 1949/3/8; a birth date typed with the wrong century is in the future.
    @Test func spreadsheetDatesAndFutureBirthDates() throws {
        let cli = try CLIHarness()   // today is 2027-01-05
        try cli.ok(["init"])
        let volunteers = try cli.write("volunteers.csv", """
            id,name,household,birth_date,teams,tags,joined
            V001,王建國,,1949/3/8,,,2023-09-10
            V002,陳明,,2065-02-01,,,2066-03-01
            """)
        let result = cli.run(["volunteer", "import", volunteers])
        #expect(result.errors.contains("line 2, column birth_date: \"1949/3/8\" is not a date; write the date as 1949-03-08 (YYYY-MM-DD)"))
        #expect(result.errors.contains("line 3, column birth_date: it is in the future"))
    }
}
