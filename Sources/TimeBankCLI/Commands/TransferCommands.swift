import TimeBankCore
import TimeBankStorage

struct TransferCommand: Command {
    static let name = "transfer"
    static let abstract = "Give points from one volunteer to another, within the policy's transfer limits"
    static let help = """
    Usage: timebank transfer --from VOLUNTEER --to VOLUNTEER --points N --key KEY
                             [--memo TEXT] [--date YYYY-MM-DD] [--operator ID]

    Allowed when the policy in force has [transfers] enabled = true, up to max_points_per_month given
    away per volunteer per calendar month (transfers and donations together). The points keep the
    expiry they had. When the policy earns to households, points move between household accounts:
    --from and --to name members (a household id is R018, which names its members). The same KEY
    again changes nothing.

    Example:
      timebank transfer --from V0004 --to V0002 --points 5 --key gift-20261008-1 --memo "赠送给邻居"
    """
    static let valueOptions = ["--from", "--to", "--points", "--key", "--memo", "--date", OperatorSignIn.option]
    let arguments: Arguments

    init(_ arguments: Arguments) throws {
        try arguments.expectPositionals(0...0, "only options")
        for name in ["--from", "--to"] { _ = try arguments.required(name) }
        _ = try arguments.requiredKey()
        guard try arguments.amount("--points") != nil else { throw UsageError("missing --points (see --help)") }
        _ = try arguments.date("--date")
        self.arguments = arguments
    }

    func run(_ context: CommandContext) throws -> Int32 {
        try runGift(arguments, to: try arguments.required("--to"), context)
    }
}

struct DonateCommand: Command {
    static let name = "donate"
    static let abstract = "Donate a volunteer's points to the community pool (爱心积分)"
    static let help = """
    Usage: timebank donate --from VOLUNTEER --points N --key KEY [--memo TEXT] [--date YYYY-MM-DD] [--operator ID]

    The points go to system:pool. Donations count toward the policy's monthly transfer limit. When the
    policy earns to households, --from names a member, who gives from the household's account (a
    household id is R018, which names its members).

    Example:
      timebank donate --from V0004 --points 10 --key donate-20261008-1
    """
    static let valueOptions = ["--from", "--points", "--key", "--memo", "--date", OperatorSignIn.option]
    let arguments: Arguments

    init(_ arguments: Arguments) throws {
        try arguments.expectPositionals(0...0, "only options")
        for name in ["--from"] { _ = try arguments.required(name) }
        _ = try arguments.requiredKey()
        guard try arguments.amount("--points") != nil else { throw UsageError("missing --points (see --help)") }
        _ = try arguments.date("--date")
        self.arguments = arguments
    }

    func run(_ context: CommandContext) throws -> Int32 {
        try runGift(arguments, to: nil, context)
    }
}

private func runGift(_ arguments: Arguments, to recipient: String?, _ context: CommandContext) throws -> Int32 {
    let store = try context.openStore()
    let session = try OperatorSignIn.session(store, operator: try arguments.value(OperatorSignIn.option), context)
    let outcome = try store.transfer(TransferRequest(
        key: try arguments.requiredKey(), from: try arguments.required("--from"), to: recipient,
        points: try arguments.amount("--points") ?? 0, memo: try arguments.value("--memo") ?? "",
        date: try arguments.eventDate("--date", today: context.today)), by: session)
    let gift = outcome.gift
    let retry = !outcome.isNew
    // Compared: the key, the giver, the receiver, the points and the memo; the day (--date) and the operator are not,
    // and another one on a retry is said not kept.
    let notKept = RetryNotKept(date: try arguments.date("--date"), stored: gift.date, operator: session.operatorID,
                               storedOperator: gift.operatorID)
    if context.json {
        guard case .object(var members) = entryJSON(outcome.entry) else { return ExitCode.done }
        members.insert(("outcome", .string(retry ? "exists" : "created")), at: 0)
        context.output.line(notKept.addedTo(JSON.object(members), retry: retry).rendered())
        return ExitCode.done
    }
    if retry { context.output.line(notKept.answer("Already recorded under this key")) }
    context.output.line("\(recipient == nil ? "Donated" : "Transferred") \(Hundredths.format(gift.points)) "
                        + "\(store.pointsUnit(on: outcome.entry.effectiveDate)) from \(gift.from) to "
                        + (gift.to ?? "the community pool (system:pool)") + " (entry #\(gift.entry)).")
    for posting in outcome.entry.postings where posting.amount > 0 {
        context.output.line("  \(posting.account) +\(Hundredths.format(posting.amount))" + (posting.lotExpiresOn.map { ", expires \($0)" } ?? ""))
    }
    return ExitCode.done
}
