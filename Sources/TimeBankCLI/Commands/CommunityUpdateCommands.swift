import TimeBankCore
import TimeBankStorage

/// What every `... update` command says of its reason, its history and the ledger.
/// What every update command (volunteer, household, station, team) says of the reason, a retry and the history.
let updateNotes = """
    --reason is required: it is kept with each change for good, with the admin and the time. A field given
    with the value it has already is left as it is and said so; when every field is, nothing is written
    (exit 0), so a retry changes nothing. The ledger is never changed: entries, lots and printed receipts
    stay as they were; `volunteer show`, `household show`, `station show` and `team show` list the latest
    changes (--history: all of them), at the local time.
    """

struct VolunteerUpdateCommand: Command {
    static let name = "volunteer update"
    static let abstract = "Correct a volunteer: name, household, teams, tags, birth date (kept in the history)"
    static let help = """
    Usage: timebank volunteer update ID [--name NAME] [--household H | --no-household] [--teams red,orange]
                                        [--tags 党员,医护] [--birth-date YYYY-MM-DD | --no-birth-date]
                                        [--joined YYYY-MM-DD] [--namesake-of ID] --reason TEXT

    Each value is checked as `volunteer add` checks it. --teams and --tags give the whole list after the
    change ("" for none). --birth is the same as --birth-date; --no-birth-date removes a birth date typed
    by mistake for a volunteer who did not give one (volunteer.age is then absent).

    Changing --joined (the day they joined; not before the birth date, not after today): the policy's
    volunteer.joined and the grants read it from the next night on. Points already posted stay as they
    were: a grant already given for a period is not given again, and none is given afterwards for a
    period whose nights are all settled. Refused (C010) while a night's settlement is unfinished.

    Moving household: records settled from the next night on earn for the new household (under
    earn_to = "household"), household caps count them there, and a dividend counts the volunteer's points
    of its period for the household they are in when it is paid; points already posted stay where they
    are. Refused (C010) while a night's settlement is unfinished: finish it first with the `timebank settle`
    the message names. When the move leaves a household with no members and points in its account, a
    note says so (no one can redeem them, and they expire with their lots) and names the `timebank post`
    that moves them.

    The same person under two ids is refused as `volunteer import` refuses it: a new name or birth date
    that is another volunteer's name and birth date (C016), and a move, a new name or a birth date removed
    that leaves two of one name in one household without birth dates to tell them apart (C017; give the
    birth dates first, the volunteer's own with --birth-date in the same command). Two people who share
    both the name and the birth date are corrected into that state with --namesake-of and the other's id
    (several: V0001,V0005), as `volunteer add` adds them: C016 then compares no one of those named.

    \(updateNotes)

    Examples:
      timebank volunteer update V0001 --name 王晓明 --reason "姓名录入错误: 王小明"
      timebank volunteer update V0002 --household H0007 --reason "搬到女儿家"
    """
    static let valueOptions = ["--name", "--household", "--teams", "--tags", "--birth-date", "--birth", "--joined", "--reason",
                               "--namesake-of"]
    static let flagOptions = ["--no-household", "--no-birth-date"]
    let id: String
    let update: VolunteerUpdate
    let reason: String?
    /// The ids `--namesake-of` names: other people who share the name and birth date the update gives (C016 passes them).
    let namesakes: Set<String>

    init(_ arguments: Arguments) throws {
        try arguments.expectPositionals(1...1, "a volunteer id")
        id = arguments.positionals[0]
        let household = try arguments.value("--household")
        if household != nil, arguments.flag("--no-household") {
            throw UsageError("give --household H or --no-household, not both")
        }
        if try arguments.value("--birth-date") != nil, try arguments.value("--birth") != nil {
            throw UsageError("give --birth-date once (--birth is the same option)")
        }
        let birth = try arguments.date("--birth-date") ?? arguments.date("--birth")
        if birth != nil, arguments.flag("--no-birth-date") {
            throw UsageError("give --birth-date D or --no-birth-date, not both")
        }
        func list(_ name: String) throws -> [String]? { try arguments.value(name).map(CommunityRules.listItems) }
        update = VolunteerUpdate(
            name: try arguments.value("--name"),
            household: household.map { .moveTo($0) } ?? (arguments.flag("--no-household") ? .leave : nil),
            teams: try list("--teams"), tags: try list("--tags"),
            birthDate: birth.map { .setTo($0) } ?? (arguments.flag("--no-birth-date") ? .remove : nil),
            joined: try arguments.date("--joined"))
        reason = try arguments.value("--reason")
        let namesakes = try arguments.value("--namesake-of").map(CommunityRules.listItems)
        if let namesakes {
            if namesakes.isEmpty { throw UsageError("--namesake-of needs the id of the other volunteer who shares the name and birth date") }
            // It says the new name and birth date are another's on purpose: with neither changed it says nothing.
            if update.name == nil, update.birthDate == nil {
                throw UsageError("--namesake-of goes with --name or --birth-date: it lets the name and birth date given be those of another person")
            }
        }
        self.namesakes = Set(namesakes ?? [])
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let store = try context.openStore()
        let outcome = try AccountReference.withNameHelp(in: store) {
            try store.updateVolunteer(id, update, reason: reason, actor: context.actor, namesakes: namesakes)
        }
        reportUpdate(outcome, subject: .volunteer, id: id, context)
        if let move = outcome.changes.first(where: { $0.field == "household" }), !move.oldValue.isEmpty {
            try Self.noteHouseholdLeftEmpty(move.oldValue, newHousehold: move.newValue, store, context)
        }
        return ExitCode.done
    }

    /// The last member moved out of a household that still holds points: no one can spend them at the counter now (a
    /// redemption is a member's), and the nightly expiry takes them when their lots expire, so the admin is told at once,
    /// with the post that moves them. On stderr under --json, so the JSON stays one object.
    static func noteHouseholdLeftEmpty(_ household: String, newHousehold: String, _ store: TimeBankStore,
                                       _ context: CommandContext) throws {
        let points = try store.balance(.household(household))
        // Points held for its bookings come back to the household's account if a booking is cancelled or lapses.
        let held = try store.holds(paidFrom: .household(household), activeOnly: true)
        guard points > 0 || !held.isEmpty, try store.volunteers(household: household).isEmpty else { return }
        let name = try store.household(household).map { " \($0.name)" } ?? ""
        let amount = Hundredths.format(points), unit = store.pointsUnit(on: context.today)
        let target = newHousehold.isEmpty ? "ACCOUNT" : "household:\(newHousehold)"
        var note = "note: household \(household)\(name) has no members now"
        if points > 0 {
            note += ", and its \(amount) \(unit) stay in household:\(household): no one can redeem them at a counter, and they expire "
                + "with their lots; to move them, an admin posts "
                + "`timebank post --from household:\(household) --to \(target) --points \(amount) --kind adjustment --key KEY --memo TEXT`"
        }
        if !held.isEmpty {
            let bookings = held.map { "B\($0.number) (\(Hundredths.format($0.points)))" }.listedInProse
            note += (points > 0 ? "; " : ": ") + "its booking\(held.count == 1 ? "" : "s") \(bookings) still hold\(held.count == 1 ? "s" : "") "
                + "\(unit) that come back to household:\(household) if \(held.count == 1 ? "it is cancelled or lapses" : "they are cancelled or lapse")"
                + (points > 0 ? "" : ", where no one can redeem them: fulfil \(held.count == 1 ? "it" : "them"), or move the points after")
        }
        if context.json { context.errors.line(note) } else { context.output.line(note) }
    }
}

struct HouseholdUpdateCommand: Command {
    static let name = "household update"
    static let abstract = "Correct a household: name, address (kept in the history)"
    static let help = """
    Usage: timebank household update ID [--name NAME] [--address TEXT] --reason TEXT

    Each value is checked as `household add` checks it. To move a volunteer to another household, use
    `timebank volunteer update ID --household H`.

    \(updateNotes)

    Example:
      timebank household update H0001 --address "泰山路14号2单元301" --reason "搬家"
    """
    static let valueOptions = ["--name", "--address", "--reason"]
    let id: String
    let update: HouseholdUpdate
    let reason: String?

    init(_ arguments: Arguments) throws {
        try arguments.expectPositionals(1...1, "a household id")
        id = arguments.positionals[0]
        update = HouseholdUpdate(name: try arguments.value("--name"), address: try arguments.value("--address"))
        reason = try arguments.value("--reason")
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let store = try context.openStore()
        let outcome = try AccountReference.withNameHelp(in: store) { try store.updateHousehold(id, update, reason: reason, actor: context.actor) }
        reportUpdate(outcome, subject: .household, id: id, context)
        return ExitCode.done
    }
}

struct StationUpdateCommand: Command {
    static let name = "station update"
    static let abstract = "Correct a station: name, community, address (kept in the history)"
    static let help = """
    Usage: timebank station update ID [--name NAME] [--community TEXT] [--address TEXT] --reason TEXT

    Each value is checked as `station add` checks it. Receipts printed before keep the name they were
    printed with.

    \(updateNotes)

    Example:
      timebank station update S01 --address "太白湖路8号" --reason "兑换站搬迁"
    """
    static let valueOptions = ["--name", "--community", "--address", "--reason"]
    let id: String
    let update: StationUpdate
    let reason: String?

    init(_ arguments: Arguments) throws {
        try arguments.expectPositionals(1...1, "a station id")
        id = arguments.positionals[0]
        update = StationUpdate(name: try arguments.value("--name"), community: try arguments.value("--community"),
                               address: try arguments.value("--address"))
        reason = try arguments.value("--reason")
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let store = try context.openStore()
        let outcome = try AccountReference.withNameHelp(in: store) { try store.updateStation(id, update, reason: reason, actor: context.actor) }
        reportUpdate(outcome, subject: .station, id: id, context)
        return ExitCode.done
    }
}

struct StationShowCommand: Command {
    static let name = "station show"
    static let readsOnly = true
    static let abstract = "Show one station: details, points and its latest changes"
    static let help = """
    Usage: timebank station show ID [--history]

    --history lists every change to the station, not only the latest five.

    Example:
      timebank station show S01
    """
    static let flagOptions = ["--history"]
    let id: String
    let history: Bool

    init(_ arguments: Arguments) throws {
        try arguments.expectPositionals(1...1, "a station id")
        id = arguments.positionals[0]
        history = arguments.flag("--history")
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let store = try context.openStore()
        guard let station = try store.station(id) else {
            throw try AccountReference.unknownMember(id, kind: .station, in: store)
        }
        let balance = try store.balance(.station(id))
        let changes = try store.communityChanges(of: .station, id: id, latest: history ? nil : latestChangesShown)
        if context.json {
            context.output.line(JSON.object([
                ("id", .string(station.id)), ("name", .string(station.name)), ("community", .string(station.community)),
                ("address", .string(station.address)), ("points", .amount(balance)), ("changes", .array(changes.map(changeJSON))),
            ]).rendered())
            return ExitCode.done
        }
        context.output.line("Station \(station.id)  \(station.name)")
        if !station.community.isEmpty { context.output.line("Community: \(station.community)") }
        if !station.address.isEmpty { context.output.line("Address:   \(station.address)") }
        context.output.line(fieldLabel(store.pointsHeading(on: context.today), width: 11)
            + "\(Hundredths.format(balance)) (redeemed here, less refunds)")
        writeChanges(changes, all: history, context)
        return ExitCode.done
    }
}

/// `积分:     ` or `Points:   `: a field's name and a colon, padded to `width` terminal columns (a Chinese character counts
/// two), so that the values after it line up with the other fields'.
func fieldLabel(_ name: String, width: Int) -> String {
    padded(name + ":", toWidth: width - 1) + " "
}

/// How many changes `show` lists without `--history`.
let latestChangesShown = 5

func changeJSON(_ change: CommunityChange) -> JSON {
    .object([("number", .integer(change.number)), ("field", .string(change.field)), ("old", .string(change.oldValue)),
             ("new", .string(change.newValue)), ("actor", .string(change.actor)), ("at", .string(change.at.description)),
             ("reason", .string(change.reason))])
}

/// The changes as a table under a blank line, titled by whether they are all of them; nothing when there are none.
func writeChanges(_ changes: [CommunityChange], all: Bool, _ context: CommandContext) {
    guard !changes.isEmpty else { return }
    func shown(_ value: String) -> String { value.isEmpty ? "-" : value }
    context.output.line("")
    context.output.line(all ? "Changes:" : "Latest changes (--history for all):")
    // Local time, as receipts print it (`2026-11-08 10:00:00 (UTC+8)`); --json keeps the stored UTC time.
    var table = TextTable([("At", .left), ("Field", .left), ("Was", .left), ("Now", .left), ("By", .left), ("Reason", .left)])
    for change in changes {
        table.add([Receipt.localTime(change.at, utcOffsetMinutes: context.utcOffsetMinutes(at: change.at)), change.field, shown(change.oldValue), shown(change.newValue), change.actor, change.reason])
    }
    context.output.write(table.rendered())
}

/// What an update did, as text (each change, the fields that were so already) or JSON.
func reportUpdate(_ outcome: CommunityUpdateOutcome, subject: CommunitySubject, id: String, _ context: CommandContext) {
    func shown(_ value: String) -> String { value.isEmpty ? "none" : value }
    if context.json {
        context.output.line(JSON.object([
            ("updated", .string("\(subject.rawValue):\(id)")), ("changes", .array(outcome.changes.map(changeJSON))),
            ("unchanged", .array(outcome.unchanged.map { .object([("field", .string($0.field)), ("value", .string($0.value))]) })),
        ]).rendered())
        return
    }
    let already = outcome.unchanged.map { "\($0.field) is \(shown($0.value))" }.joined(separator: ", ")
    guard !outcome.changes.isEmpty else {
        context.output.line("Nothing changed: \(subject.rawValue) \(id)'s \(already) already; nothing was written.")
        return
    }
    context.output.line("Updated \(subject.rawValue) \(id):")
    for change in outcome.changes { context.output.line("  \(change.field): \(shown(change.oldValue)) → \(shown(change.newValue))") }
    if !already.isEmpty { context.output.line("Left as it was: \(already) already.") }
}
