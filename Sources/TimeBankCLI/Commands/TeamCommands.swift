import TimeBankCore
import TimeBankStorage

/// What a team's name and label are to the rest of timebank, said by `team add`, `team update` and `team show`.
private let teamNotes = """
    Volunteers (--teams, volunteers.csv) and the policy (volunteer.teams.contains("orange")) name a team by
    its id, which never changes. Scoring reads no team's name or label: changing them changes no points,
    posted or to come. The name is what `volunteer show` and `team list` print; a name or label typed
    where an id belongs is answered with the id to write (C005, and P233 in a policy).
    """

struct TeamAddCommand: Command {
    static let name = "team add"
    static let abstract = "Add one volunteer team (志愿服务队)"
    static let help = """
    Usage: timebank team add ID --name NAME [--label TEXT]

    Checked as a row of `team import` is. Adding never takes a team away: while the community has the
    five colours (no team imported yet), they are stored with the new team and stay its teams. To replace
    the five colours with the community's own teams, import them first with `timebank team import`.

    \(teamNotes)

    Example:
      timebank team add yellow --name 黄色助老 --label "elder help"
    """
    static let valueOptions = ["--name", "--label"]
    let team: Team
    /// The columns whose options were left out, which a repeated add does not compare.
    let leftOut: Set<String>

    init(_ arguments: Arguments) throws {
        try arguments.expectPositionals(1...1, "a team id")
        team = Team(id: arguments.positionals[0], name: try arguments.required("--name"), label: try arguments.value("--label") ?? "")
        leftOut = try arguments.value("--label") == nil ? ["label"] : []
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let store = try context.openStore()
        // Sent again (a set-up script run twice): a team of the community's, stored or one of the five colours while they
        // are its teams, with these details is done already.
        let existing = try store.communityTeams().first { $0.id == team.id }
        if try RepeatedAdd.isDoneAlready(kind: "team", id: team.id, name: team.name, stored: existing.map(CommunityCSV.cells),
                                         given: CommunityCSV.cells(team), leftOut: leftOut, context) { return ExitCode.done }
        let keptFiveColours = try store.addTeam(team)
        let namesakes = try teamsNamed(team.name, besides: team.id, in: store)
        if context.json {
            context.output.line(JSON.object([("added", .string("team:\(team.id)")), ("stored_five_colours", .bool(keptFiveColours)),
                                             ("same_name_as", .array(namesakes.map { .string($0) }))]).rendered())
            return ExitCode.done
        }
        context.output.line("Added team \(team.id) \(team.name).")
        if keptFiveColours {
            context.output.line("The community had the five colours (no team imported); they are stored with it and stay its teams.")
        }
        noteNamesakes(namesakes, name: team.name, context)
        return ExitCode.done
    }
}

struct TeamUpdateCommand: Command {
    static let name = "team update"
    static let abstract = "Correct a team: name, label (kept in the history)"
    static let help = """
    Usage: timebank team update ID [--name NAME] [--label TEXT] --reason TEXT

    Each value is checked as `team import` checks it (--label "" removes the label). The id does not
    change. A five-colour team can be corrected too: the five colours are then stored, as `team add` does.

    \(teamNotes)

    \(updateNotes)

    Example:
      timebank team update qianshou --name 牽手志願服務隊 --reason "隊名更正"
    """
    static let valueOptions = ["--name", "--label", "--reason"]
    let id: String
    let update: TeamUpdate
    let reason: String?

    init(_ arguments: Arguments) throws {
        try arguments.expectPositionals(1...1, "a team id")
        id = arguments.positionals[0]
        update = TeamUpdate(name: try arguments.value("--name"), label: try arguments.value("--label"))
        reason = try arguments.value("--reason")
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let store = try context.openStore()
        let outcome = try store.updateTeam(id, update, reason: reason, actor: context.actor)
        reportUpdate(outcome, subject: .team, id: id, context)
        if let name = update.name, !context.json { noteNamesakes(try teamsNamed(name, besides: id, in: store), name: name, context) }
        return ExitCode.done
    }
}

struct TeamShowCommand: Command {
    static let name = "team show"
    static let readsOnly = true
    static let abstract = "Show one team: name, label, members and its latest changes"
    static let help = """
    Usage: timebank team show ID [--history]

    The members are the volunteers in the team, with their points. The latest five changes to the team
    (`team update`) are listed; --history lists them all.

    Example:
      timebank team show orange
    """
    static let flagOptions = ["--history"]
    let id: String
    let history: Bool

    init(_ arguments: Arguments) throws {
        try arguments.expectPositionals(1...1, "a team id")
        id = arguments.positionals[0]
        history = arguments.flag("--history")
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let store = try context.openStore()
        let teams = try store.communityTeams()
        guard let team = teams.first(where: { $0.id == id }) else {
            // A team's name typed for its id (党员先锋队 for dangyuan) is told the id, as a volunteer's teams are.
            if let help = CommunityRules.teamNameHelp(id, among: teams) {
                throw CommunityError.unknownWithHelp(kind: "team", id: id, help: help)
            }
            throw CommunityError.unknown(kind: "team", id: id, suggestion: Spelling.nearest(to: id, among: teams.map(\.id)))
        }
        let members = try store.volunteers().filter { $0.teams.contains(id) }
        var balances: [String: Int64] = [:]
        for row in try store.balances() where row.account.kind == .volunteer && row.asset == .points { balances[row.account.owner] = row.balance }
        let changes = try store.communityChanges(of: .team, id: id, latest: history ? nil : latestChangesShown)
        if context.json {
            context.output.line(JSON.object([
                ("id", .string(team.id)), ("name", .string(team.name)), ("label", .string(team.label)),
                ("members", .array(members.map { .object([("id", .string($0.id)), ("name", .string($0.name)),
                                                          ("points", .amount(balances[$0.id] ?? 0))]) })),
                ("changes", .array(changes.map(changeJSON))),
            ]).rendered())
            return ExitCode.done
        }
        context.output.line("Team \(team.id)  \(team.name)")
        if !team.label.isEmpty { context.output.line("Label:   \(team.label)") }
        context.output.line("Members: \(members.count)")
        if !members.isEmpty {
            var table = TextTable([("Member", .left), ("Name", .left), ("Household", .left), (store.pointsHeading(on: context.today), .right)])
            for member in members {
                table.add([member.id, member.name, member.household ?? "-", Hundredths.format(balances[member.id] ?? 0)])
            }
            context.output.write(table.rendered())
        }
        writeChanges(changes, all: history, context)
        return ExitCode.done
    }
}

/// The ids of the other teams with this name: two teams of one name are told apart by id in the policy and the files,
/// but not by the people who pick a team from a list.
func teamsNamed(_ name: String, besides id: String, in store: TimeBankStore) throws -> [String] {
    try store.communityTeams().filter { $0.id != id && $0.name == name }.map(\.id)
}

/// A NOTE line when other teams have the name just given (allowed: a name is for people, the id decides).
func noteNamesakes(_ namesakes: [String], name: String, _ context: CommandContext) {
    guard let first = namesakes.first else { return }
    context.output.line("NOTE: team\(namesakes.count == 1 ? "" : "s") \(namesakes.joined(separator: ", ")) \(namesakes.count == 1 ? "is" : "are") "
                        + "named \(name) too: people picking a team from a list cannot tell them apart. If that is not meant, rename one: "
                        + "`timebank team update \(first) --name NAME --reason TEXT`.")
}
