import Foundation
import TimeBankCore
import TimeBankStorage

struct HouseholdAddCommand: Command {
    static let name = "household add"
    static let abstract = "Add a household (户) and its points account"
    static let help = """
    Usage: timebank household add --id ID --name NAME [--address TEXT]

    Example:
      timebank household add --id H0001 --name 王家 --address "泰山路12号3单元402"
    """
    static let valueOptions = ["--id", "--name", "--address"]
    let household: Household
    /// The columns whose options were left out, which a repeated add does not compare.
    let leftOut: Set<String>

    init(_ arguments: Arguments) throws {
        try arguments.expectPositionals(0...0, "only options")
        household = Household(id: try arguments.required("--id"), name: try arguments.required("--name"),
                              address: try arguments.value("--address") ?? "")
        leftOut = try arguments.value("--address") == nil ? ["address"] : []
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let store = try context.openStore()
        if try RepeatedAdd.isDoneAlready(kind: "household", id: household.id, name: household.name, stored: try store.household(household.id).map(CommunityCSV.cells),
                                         given: CommunityCSV.cells(household), leftOut: leftOut, context) { return ExitCode.done }
        try store.addHousehold(household)
        context.output.line(context.json ? JSON.object([("added", .string("household:\(household.id)"))]).rendered()
                                         : "Added household \(household.id) \(household.name).")
        return ExitCode.done
    }
}

struct HouseholdListCommand: Command {
    static let name = "household list"
    static let readsOnly = true
    static let abstract = "List households with their members and points"
    static let help = """
    Usage: timebank household list [--name TEXT]

    --name lists the households whose name holds TEXT (王 finds 王家 and 王秀英户; spaces do not matter).

    Examples:
      timebank household list --json
      timebank household list --name 孟杰
    """
    static let valueOptions = ["--name"]
    let name: String?

    init(_ arguments: Arguments) throws {
        try arguments.expectPositionals(0...0, "only options")
        name = try VolunteerListCommand.namePart(arguments)
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let store = try context.openStore()
        let households = try store.households().filter { name == nil || PersonName.holds($0.name, part: name!) }
        if let name, households.isEmpty, !context.json {
            context.output.line("no household's name holds \"\(name)\"")
            return ExitCode.done
        }
        var members: [String: Int] = [:]
        for volunteer in try store.volunteers() { if let household = volunteer.household { members[household, default: 0] += 1 } }
        var rows: [(Household, Int64)] = []
        for household in households { rows.append((household, try store.balance(.household(household.id)))) }
        if context.json {
            context.output.line(JSON.array(rows.map { household, balance in
                .object([("id", .string(household.id)), ("name", .string(household.name)), ("address", .string(household.address)),
                         ("members", .integer(members[household.id] ?? 0)), ("points", .amount(balance))])
            }).rendered())
        } else {
            let unit = store.pointsHeading(on: context.today)
            var table = TextTable([("ID", .left), ("Name", .left), ("Members", .right), (unit, .right), ("Address", .left)])
            for (household, balance) in rows {
                table.add([household.id, household.name, String(members[household.id] ?? 0), Hundredths.format(balance), household.address])
            }
            context.output.write(table.rendered())
            context.output.line("\(households.count) households")
        }
        return ExitCode.done
    }
}

struct HouseholdShowCommand: Command {
    static let name = "household show"
    static let readsOnly = true
    static let abstract = "Show one household: members and points"
    static let help = """
    Usage: timebank household show ID [--history]

    The latest five changes to the household (`household update`) are listed; --history lists them all.

    Example:
      timebank household show H0001
    """
    static let flagOptions = ["--history"]
    let id: String
    let history: Bool

    init(_ arguments: Arguments) throws {
        try arguments.expectPositionals(1...1, "a household id")
        id = arguments.positionals[0]
        history = arguments.flag("--history")
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let store = try context.openStore()
        guard let household = try store.household(id) else {
            throw try AccountReference.unknownMember(id, kind: .household, in: store)
        }
        let members = try store.volunteers(household: id)
        let balance = try store.balance(.household(id))
        let changes = try store.communityChanges(of: .household, id: id, latest: history ? nil : latestChangesShown)
        if context.json {
            context.output.line(JSON.object([
                ("id", .string(household.id)), ("name", .string(household.name)), ("address", .string(household.address)),
                ("points", .amount(balance)),
                ("members", .array(try members.map { .object([("id", .string($0.id)), ("name", .string($0.name)),
                                                              ("points", .amount(try store.balance(.volunteer($0.id))))]) })),
                ("changes", .array(changes.map(changeJSON))),
            ]).rendered())
        } else {
            context.output.line("Household \(household.id)  \(household.name)")
            if !household.address.isEmpty { context.output.line("Address:  \(household.address)") }
            let unit = store.pointsHeading(on: context.today)
            context.output.line(fieldLabel(unit, width: 10) + "\(Hundredths.format(balance)) (household account)")
            if members.isEmpty {
                context.output.line(fieldLabel("Members", width: 10) + "none (a volunteer joins with: timebank volunteer update ID "
                                    + "--household \(ShellWord.quoted(household.id)) --reason TEXT)")
            } else {
                var table = TextTable([("Member", .left), ("Name", .left), (unit, .right)])
                for member in members { table.add([member.id, member.name, Hundredths.format(try store.balance(.volunteer(member.id)))]) }
                context.output.write(table.rendered())
            }
            writeChanges(changes, all: history, context)
        }
        return ExitCode.done
    }
}

struct VolunteerAddCommand: Command {
    static let name = "volunteer add"
    static let abstract = "Add a volunteer (志愿者) and their points account"
    static let help = """
    Usage: timebank volunteer add --id ID --name NAME [--household H] [--birth YYYY-MM-DD]
                                  [--teams red,orange] [--tags 党员,医护] [--joined YYYY-MM-DD]

    Teams are the ids of `timebank team list`: the five colours (red 红色教育, orange 橙色关怀, blue 蓝色调解,
    green 绿色环保, purple 紫色便民) until the community imports its own with `timebank team import`.
    --joined defaults to today; a day in the future is refused, and so is a birth date or day of joining
    more than 130 years before today (a year typed a century off). --birth-date is the same as --birth
    (the name volunteer update and the import's birth_date column use).

    Example:
      timebank volunteer add --id V0001 --name 王秀英 --household H0001 --birth 1956-03-08 --teams orange,purple --tags 党员
    """
    static let valueOptions = ["--id", "--name", "--household", "--birth", "--birth-date", "--teams", "--tags", "--joined"]
    let arguments: Arguments

    init(_ arguments: Arguments) throws {
        try arguments.expectPositionals(0...0, "only options")
        _ = try arguments.required("--id")
        _ = try arguments.required("--name")
        _ = try Self.birthDate(arguments)
        _ = try arguments.date("--joined")
        self.arguments = arguments
    }

    /// --birth or --birth-date (the same option, as in `volunteer update`), given once.
    static func birthDate(_ arguments: Arguments) throws -> LocalDate? {
        if try arguments.value("--birth-date") != nil, try arguments.value("--birth") != nil {
            throw UsageError("give --birth once (--birth-date is the same option)")
        }
        return try arguments.date("--birth") ?? arguments.date("--birth-date")
    }

    func run(_ context: CommandContext) throws -> Int32 {
        func list(_ name: String) throws -> [String] { CommunityRules.listItems(try arguments.value(name) ?? "") }
        let teams = try list("--teams")
        let store = try context.openStore()
        // The store checks the teams (C005) and the household (C003, with the id it most likely means).
        let volunteer = Volunteer(
            id: try arguments.required("--id"), name: try arguments.required("--name"),
            household: try arguments.value("--household"), birthDate: try Self.birthDate(arguments),
            teams: teams, tags: try list("--tags"), joined: try arguments.date("--joined") ?? context.today)
        var leftOut: Set<String> = []
        for (option, column) in [("--household", "household"), ("--teams", "teams"), ("--tags", "tags"), ("--joined", "joined")]
        where try arguments.value(option) == nil { leftOut.insert(column) }
        if try Self.birthDate(arguments) == nil { leftOut.insert("birth_date") }
        if try RepeatedAdd.isDoneAlready(kind: "volunteer", id: volunteer.id, name: volunteer.name,
                                         stored: try store.volunteer(volunteer.id).map(CommunityCSV.cells),
                                         given: CommunityCSV.cells(volunteer), leftOut: leftOut, context) { return ExitCode.done }
        try store.addVolunteer(volunteer)
        context.output.line(context.json ? JSON.object([("added", .string("volunteer:\(volunteer.id)"))]).rendered()
                                         : "Added volunteer \(volunteer.id) \(volunteer.name).")
        return ExitCode.done
    }
}

struct VolunteerListCommand: Command {
    static let name = "volunteer list"
    static let readsOnly = true
    static let abstract = "List volunteers, optionally of one household, team or star level"
    static let help = """
    Usage: timebank volunteer list [--name TEXT] [--household H] [--team red] [--level star3]

    --name lists those whose name holds TEXT (秀英 finds 王秀英; spaces and the kind of middle dot do not matter,
    nor the case of Latin letters): to find a resident's id from the name they give.

    When the policy in force has star levels ([levels.ID]), a Level column gives each volunteer's level as the
    last settled night left it (--json: level, as volunteer show gives it), and --level lists those who hold
    one (its id, or its label: --level 三星志愿者).

    Examples:
      timebank volunteer list --team orange
      timebank volunteer list --level star5
      timebank volunteer list --name 秀英
    """
    static let valueOptions = ["--name", "--household", "--team", "--level"]
    let name: String?
    let household: String?
    let team: String?
    let level: String?

    init(_ arguments: Arguments) throws {
        try arguments.expectPositionals(0...0, "only options")
        name = try Self.namePart(arguments)
        household = try arguments.value("--household")
        team = try arguments.value("--team")
        level = try arguments.value("--level")
    }

    /// `--name TEXT`, refused (U001) when it holds nothing but spaces: it would list everyone.
    static func namePart(_ arguments: Arguments) throws -> String? {
        guard let name = try arguments.value("--name") else { return nil }
        guard !PersonName.comparisonKey(name).isEmpty else {
            throw UsageError("--name needs part of a name to look for (--name 秀英); to list everyone, leave --name out")
        }
        return name
    }

    /// The level id `typed` names among `policy`'s levels: its id, or its label (`三星志愿者`); U001 naming them otherwise.
    static func levelID(_ typed: String, policy: Policy?) throws -> String {
        let levels = policy?.levels ?? []
        if let level = levels.first(where: { $0.id == typed || $0.label == typed || $0.id.lowercased() == typed.lowercased() }) { return level.id }
        let known = levels.map { $0.label == $0.id ? $0.id : "\($0.id) (\($0.label))" }
        throw UsageError("--level \"\(typed)\" is not a star level of the policy in force"
                         + (known.isEmpty ? ": it has no [levels]" : "; its levels are \(known.joined(separator: ", "))"))
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let store = try context.openStore()
        // A team's name or a typo would list no one, as if the team were empty.
        if let team, let help = CommunityRules.unknownTeamHelp(team, among: try store.communityTeams()) {
            throw CommunityError.unknownTeam(team: team, help: help)
        }
        // So would a household that does not exist.
        if let household { try AccountReference.requireMember(household, kind: .household, in: store) }
        let policy = try? store.counterPolicyInForce(on: context.today)
        let levelWanted = try level.map { try Self.levelID($0, policy: policy) }
        let held = try store.starLevelsHeld()
        let volunteers = try store.volunteers(household: household).filter {
            (team == nil || $0.teams.contains(team!)) && (levelWanted == nil || held[$0.id]?.level == levelWanted)
                && (name == nil || PersonName.holds($0.name, part: name!))
        }
        if let name, volunteers.isEmpty, !context.json {
            context.output.line("no volunteer's name holds \"\(name)\"" + (household != nil || team != nil || level != nil ? " among those asked for" : ""))
            return ExitCode.done
        }
        var balances: [String: Int64] = [:]
        for row in try store.balances() where row.account.kind == .volunteer && row.asset == .points { balances[row.account.owner] = row.balance }
        let showsLevels = policy?.levels.isEmpty == false || !held.isEmpty
        if context.json {
            context.output.line(JSON.array(volunteers.map { volunteer in
                guard showsLevels, case .object(var members) = volunteerJSON(volunteer, points: balances[volunteer.id] ?? 0) else {
                    return volunteerJSON(volunteer, points: balances[volunteer.id] ?? 0)
                }
                members.append(("level", heldLevelJSON(held[volunteer.id], policy: policy)))
                return .object(members)
            }).rendered())
        } else {
            var columns: [(String, TextAlignment)] = [("ID", .left), ("Name", .left), ("Household", .left), ("Teams", .left)]
            if showsLevels { columns.append(("Level", .left)) }
            var table = TextTable(columns + [(store.pointsHeading(on: context.today), .right)])
            for volunteer in volunteers {
                let label = held[volunteer.id].map { StarLevels.label($0.level, in: policy) } ?? "-"
                table.add([volunteer.id, volunteer.name, volunteer.household ?? "-", volunteer.teams.joined(separator: ",")]
                          + (showsLevels ? [label] : []) + [Hundredths.format(balances[volunteer.id] ?? 0)])
            }
            context.output.write(table.rendered())
            context.output.line(plural(volunteers.count, "volunteer"))
        }
        return ExitCode.done
    }
}

func volunteerJSON(_ volunteer: Volunteer, points: Int64) -> JSON {
    .object([
        ("id", .string(volunteer.id)), ("name", .string(volunteer.name)), ("household", .optional(volunteer.household)),
        ("birth_date", .optional(volunteer.birthDate?.description)), ("teams", .array(volunteer.teams.map(JSON.string))),
        ("tags", .array(volunteer.tags.map(JSON.string))), ("joined", .string(volunteer.joined.description)),
        ("points", .amount(points)),
    ])
}

struct VolunteerShowCommand: Command {
    static let name = "volunteer show"
    static let readsOnly = true
    static let abstract = "Show one volunteer: profile, balance, star level and open lots"
    static let help = """
    Usage: timebank volunteer show ID [--history]

    When the policy has star levels ([levels.ID]), the level the nightly settlement last gave the volunteer
    (Level: 一星志愿者 (star1) since 2026-10-03) and what is still to go for the next one, counted as the
    levels count: hours served in posted records, or points earned in posted awards (Served: 1 h 30 min in
    posted records; 3 h 30 min more for 二星志愿者 (star2)). --json gives level and next_level.
    The latest five changes to the volunteer (`volunteer update`) are listed; --history lists them all.
    When the policy earns to households, a member's points line also names the household's points, which
    the counter spends when they redeem (信义币:    0.00 (own account); the counter spends household H1
    王家's 81.00: `timebank lots H1`); --json keeps the volunteer's own account.

    Example:
      timebank volunteer show V0001
    """
    static let flagOptions = ["--history"]
    let id: String
    let history: Bool

    init(_ arguments: Arguments) throws {
        try arguments.expectPositionals(1...1, "a volunteer id")
        id = arguments.positionals[0]
        history = arguments.flag("--history")
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let store = try context.openStore()
        guard let volunteer = try store.volunteer(id) else {
            throw try AccountReference.unknownMember(id, kind: .volunteer, in: store)
        }
        let balance = try store.balance(.volunteer(id))
        // In the order they are spent, as `lots` lists them: the first to expire comes first.
        let lots = try store.lots(of: .volunteer(id), openOnly: true).sorted(by: LedgerRules.spendingOrder)
        let changes = try store.communityChanges(of: .volunteer, id: id, latest: history ? nil : latestChangesShown)
        // The star level of the last settled night, named and measured by the levels of today's version.
        let policy = try? store.counterPolicyInForce(on: context.today)
        let star = try store.starLevel(of: id, policy: policy)
        if context.json {
            guard case .object(var members) = volunteerJSON(volunteer, points: balance) else { return ExitCode.done }
            if let star { members.append(contentsOf: Self.starLevelJSON(star, policy: policy)) }
            members.append(("open_lots", .array(lots.map(lotJSON))))
            members.append(("changes", .array(changes.map(changeJSON))))
            context.output.line(JSON.object(members).rendered())
            return ExitCode.done
        }
        let teams = try store.communityTeams()
        let teamNames = volunteer.teams.map { team in teams.first { $0.id == team }.map { "\($0.id) \($0.name)" } ?? team }
        context.output.line("Volunteer \(volunteer.id)  \(volunteer.name)")
        context.output.line("Household: \(volunteer.household ?? "-")")
        context.output.line("Born:      \(volunteer.birthDate?.description ?? "-")" + (volunteer.age(on: context.today).map { " (age \($0))" } ?? ""))
        context.output.line("Teams:     \(teamNames.isEmpty ? "-" : teamNames.joined(separator: ", "))")
        context.output.line("Tags:      \(volunteer.tags.isEmpty ? "-" : volunteer.tags.joined(separator: ", "))")
        context.output.line("Joined:    \(volunteer.joined)")
        // Under earn_to = "household" a member spends the household's points: their own account alone would read as if
        // they had none at the counter.
        var pays = ""
        if policy?.accounts.earnTo == .household, let household = volunteer.household {
            let name = try store.household(household).map { " \($0.name)" } ?? ""
            pays = " (own account); the counter spends household \(household)\(name)'s "
                + "\(Hundredths.format(try store.balance(.household(household)))): `timebank lots \(household)`"
        }
        context.output.line(fieldLabel(store.pointsHeading(on: context.today), width: 11) + Hundredths.format(balance) + pays)
        if let star { for line in Self.starLevelLines(star, policy: policy, unit: store.pointsHeading(on: context.today)) { context.output.line(line) } }
        if !lots.isEmpty {
            context.output.line("")
            context.output.write(lotTable(lots, today: context.today).rendered())
        }
        writeChanges(changes, all: history, context)
        return ExitCode.done
    }
}

extension VolunteerShowCommand {
    /// `Level:     二星志愿者 (star2) since 2026-10-20` and what is still to go for the next one, by today's levels:
    /// `Served:    63 h 30 min in posted records; 36 h 30 min more for 三星志愿者 (star3)`.
    static func starLevelLines(_ star: VolunteerStarLevel, policy: Policy?, unit: String) -> [String] {
        let named = { (id: String) in StarLevels.name(id, in: policy) }
        let level = star.level.map { named($0) + (star.since.map { " since \($0)" } ?? "") } ?? "none yet"
        let amount = { (value: Int64) in star.measure == .minutes ? StarLevels.hoursText(minutes: value) : "\(Hundredths.format(value)) \(unit)" }
        let total = star.measure == .minutes ? "\(amount(star.value)) in posted records" : "\(amount(star.value)) in posted awards"
        // The level held is last night's; a record withdrawn since can leave the total below it until the next night.
        if let held = star.level, let heldLevel = policy?.levels.first(where: { $0.id == held }),
           let needed = StarLevels.needed(for: heldLevel), star.value < needed {
            return ["Level:     " + level, (star.measure == .minutes ? "Served:    " : "Earned:    ") + total
                    + "; below what \(named(held)) needs (\(amount(needed))) since the last settled night: the next one works the level out again"]
        }
        let next = policy.flatMap { StarLevels.next(after: star.value, in: $0) }
            .map { "; \(amount($0.needed - star.value)) more for \(named($0.level.id))" } ?? (policy?.levels.isEmpty == false ? "; the top level" : "")
        return ["Level:     " + level, (star.measure == .minutes ? "Served:    " : "Earned:    ") + total + next]
    }

    /// `level` (id, label, since; null below the first) and `next_level` (id, label, measure, needed, now; null at the top).
    static func starLevelJSON(_ star: VolunteerStarLevel, policy: Policy?) -> [(String, JSON)] {
        let value = { (amount: Int64) -> JSON in star.measure == .minutes ? .integer(amount) : .amount(amount) }
        let next = policy.flatMap { StarLevels.next(after: star.value, in: $0) }
        return [
            ("level", heldLevelJSON(star.level.map { ($0, star.since) }, policy: policy)),
            ("next_level", next.map {
                .object([("id", .string($0.level.id)), ("label", .string($0.level.label)),
                         ("measure", .string(star.measure == .minutes ? "minutes" : "points")), ("needed", value($0.needed)), ("now", value(star.value))])
            } ?? .null),
        ]
    }
}

/// A star level held in JSON: `{"id": "star1", "label": "一星志愿者", "since": "2026-10-03"}`, null for none.
func heldLevelJSON(_ held: (level: String, since: LocalDate?)?, policy: Policy?) -> JSON {
    guard let held else { return .null }
    return .object([("id", .string(held.level)), ("label", .string(StarLevels.label(held.level, in: policy))),
                    ("since", .optional(held.since?.description))])
}

func lotJSON(_ lot: Lot) -> JSON {
    .object([("lot", .integer(lot.id)), ("opened_by", .integer(lot.openedBy)), ("amount", .amount(lot.amount)),
             ("remaining", .amount(lot.remaining)), ("expires_on", .optional(lot.expiresOn?.description))])
}

/// A lot in JSON with the points the nightly expiry took from it (`lots --all`).
func lotJSON(_ lot: Lot, expired: Int64) -> JSON {
    guard case .object(var fields) = lotJSON(lot) else { return lotJSON(lot) }
    fields.append(("expired", .amount(expired)))
    return .object(fields)
}

/// The lots as a table. On `today`, a lot that has expired but still holds points (the nightly expiry takes them with the
/// next settlement) says so: the balance counts them, nothing can spend them.
///
/// With `expired` (`lots --all`), an Expired column gives what the nightly expiry took from each lot, so that a lot
/// emptied by spending is told from one whose points expired (credited − remaining − expired was spent).
func lotTable(_ lots: [Lot], today: LocalDate, expired: [Int64: Int64]? = nil) -> TextTable {
    var columns: [(String, TextAlignment)] = [("Lot", .right), ("Entry", .right), ("Credited", .right), ("Remaining", .right)]
    if expired != nil { columns.append(("Expired", .right)) }
    var table = TextTable(columns + [("Expires on", .left)])
    for lot in lots {
        let waiting = lot.remaining > 0 && lot.isExpired(on: today)
        var cells = [String(lot.id), "#\(lot.openedBy)", Hundredths.format(lot.amount), Hundredths.format(lot.remaining)]
        if let expired { cells.append(Hundredths.format(expired[lot.id] ?? 0)) }
        table.add(cells + [(lot.expiresOn?.description ?? "never") + (waiting ? " (expired, not spendable; the nightly expiry takes it)" : "")])
    }
    return table
}

struct StationAddCommand: Command {
    static let name = "station add"
    static let abstract = "Add a redemption station (兑换站) and its account"
    static let help = """
    Usage: timebank station add --id ID --name NAME [--community TEXT] [--address TEXT]

    Example:
      timebank station add --id S01 --name 太白湖区第一志愿服务积分兑换站 --community 太白湖社区
    """
    static let valueOptions = ["--id", "--name", "--community", "--address"]
    let station: Station
    /// The columns whose options were left out, which a repeated add does not compare.
    let leftOut: Set<String>

    init(_ arguments: Arguments) throws {
        try arguments.expectPositionals(0...0, "only options")
        station = Station(id: try arguments.required("--id"), name: try arguments.required("--name"),
                          community: try arguments.value("--community") ?? "", address: try arguments.value("--address") ?? "")
        var leftOut: Set<String> = []
        for (option, column) in [("--community", "community"), ("--address", "address")] where try arguments.value(option) == nil {
            leftOut.insert(column)
        }
        self.leftOut = leftOut
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let store = try context.openStore()
        if try RepeatedAdd.isDoneAlready(kind: "station", id: station.id, name: station.name, stored: try store.station(station.id).map(CommunityCSV.cells),
                                         given: CommunityCSV.cells(station), leftOut: leftOut, context) { return ExitCode.done }
        try store.addStation(station)
        context.output.line(context.json ? JSON.object([("added", .string("station:\(station.id)"))]).rendered()
                                         : "Added station \(station.id) \(station.name).")
        return ExitCode.done
    }
}

struct StationListCommand: Command {
    static let name = "station list"
    static let readsOnly = true
    static let abstract = "List redemption stations with the points redeemed there"
    static let help = """
    Usage: timebank station list

    Example:
      timebank station list
    """

    init(_ arguments: Arguments) throws { try arguments.expectPositionals(0...0, "no arguments") }

    func run(_ context: CommandContext) throws -> Int32 {
        let store = try context.openStore()
        let stations = try store.stations()
        if context.json {
            context.output.line(JSON.array(try stations.map {
                .object([("id", .string($0.id)), ("name", .string($0.name)), ("community", .string($0.community)),
                         ("address", .string($0.address)), ("points", .amount(try store.balance(.station($0.id))))])
            }).rendered())
        } else {
            var table = TextTable([("ID", .left), ("Name", .left), ("Community", .left), (store.pointsHeading(on: context.today), .right)])
            for station in stations {
                table.add([station.id, station.name, station.community, Hundredths.format(try store.balance(.station(station.id)))])
            }
            context.output.write(table.rendered())
        }
        return ExitCode.done
    }
}

struct TeamListCommand: Command {
    static let name = "team list"
    static let readsOnly = true
    static let abstract = "List the volunteer teams (志愿服务队) with how many volunteers each has"
    static let help = """
    Usage: timebank team list

    The community's teams: those imported with `timebank team import`, or the five colours while none is.

    Example:
      timebank team list
    """

    init(_ arguments: Arguments) throws { try arguments.expectPositionals(0...0, "no arguments") }

    func run(_ context: CommandContext) throws -> Int32 {
        let store = try context.openStore()
        let stored = try store.storedTeams()
        let isDefault = stored.isEmpty
        let teams = isDefault ? Team.fiveColours : stored   // `communityTeams()`, from the one read
        var members: [String: Int] = [:]
        for volunteer in try store.volunteers() { for team in volunteer.teams { members[team, default: 0] += 1 } }
        if context.json {
            context.output.line(JSON.object([
                ("default_five_colours", .bool(isDefault)),
                ("teams", .array(teams.map {
                    .object([("id", .string($0.id)), ("name", .string($0.name)), ("label", .string($0.label)),
                             ("volunteers", .integer(members[$0.id] ?? 0))])
                })),
            ]).rendered())
        } else {
            var table = TextTable([("ID", .left), ("Name", .left), ("Label", .left), ("Volunteers", .right)])
            for team in teams { table.add([team.id, team.name, team.label, String(members[team.id] ?? 0)]) }
            context.output.write(table.rendered())
            context.output.line(isDefault ? "\(teams.count) teams (the five colours: no team imported yet; `timebank team import` replaces them with the community's own, `timebank team add` adds one beside them)"
                                           : "\(teams.count) teams")
        }
        return ExitCode.done
    }
}

/// An `add` sent again (a retry after a timeout, a set-up script run a second time): with the details stored, it is done
/// already, which the command says (exit 0, nothing written); with other details it is C002 naming each that differs and
/// the `update` that corrects the stored one. Only the options given are compared: one left out (a `--joined` that
/// defaults to today, an `--address` not typed) says nothing about the stored value.
enum RepeatedAdd {
    /// Whether `kind` `id` is stored with the `given` details, said when it is (nil `stored`: it is not stored, and the add
    /// goes ahead); C002 when it is stored with others.
    static func isDoneAlready(kind: String, id: String, name: String, stored: [(column: String, value: String)]?,
                              given: [(column: String, value: String)], leftOut: Set<String>, _ context: CommandContext) throws -> Bool {
        guard let stored else { return false }
        let compared = given.filter { !leftOut.contains($0.column) }
        if let found = CommunityCSV.differences(kind: kind, id: id, stored: stored, given: compared, givenIn: "given") {
            throw CommunityError.duplicateWithOtherDetails(kind: kind, id: id, differences: found.what, update: found.update)
        }
        context.output.line(context.json
            ? JSON.object([("added", .string("\(kind):\(id)")), ("already_stored", .bool(true))]).rendered()
            : "\(kind.prefix(1).uppercased() + kind.dropFirst()) \(id) \(name) is stored already with these details: nothing was written.")
        return true
    }
}
