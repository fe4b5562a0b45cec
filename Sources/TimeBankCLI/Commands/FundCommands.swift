import TimeBankCore
import TimeBankStorage

/// The micro-fund (微基金) commands: money in from merchants and donors, the fund report, dividends.
/// The writes are admin-gated (`AdminGate.adminCommandNames`) and derive a deterministic key from their
/// arguments when none is given, so that a retried command never pays twice.

struct FundContributeCommand: Command {
    static let name = "fund contribute"
    static let abstract = "Record a merchant's contribution to the micro-fund: turnover × the policy's merchant_rate"
    static let help = """
    Usage: timebank fund contribute --merchant NAME --turnover CNY [--date YYYY-MM-DD] [--key KEY] [--memo TEXT]

    Pays turnover × [fund] merchant_rate of the policy in force on the date (e.g. 0.1% = 0.001) into
    fund:main (from system:outside, CNY, entry kind fund), rounded half-up to the fen: 12,345.67 × 0.001
    = 12.34567 → 12.35. Refused when the rate is 0 or the contribution rounds to 0.00.
    NAME is stored trimmed, with each run of spaces (full-width ones too) made one space; a name stored
    already in other letter case or width (Walmart for walmart) is written as stored, with a note.
    Without --key the key is contribution:NAME:DATE, so running the same command again (a retry)
    records nothing new; give --key to record a second contribution of one merchant on one day.
    Without --date the date is today's: a retry just after midnight of the same contribution recorded
    in the hour before is refused (F019), as today's key would record it again; a second one for today
    gives --date.

    Example:
      timebank fund contribute --merchant 泰山路超市 --turnover 12345.67 --date 2026-11-20
    """
    static let valueOptions = ["--merchant", "--turnover", "--date", "--key", "--memo"]
    let arguments: Arguments

    init(_ arguments: Arguments) throws {
        try arguments.expectPositionals(0...0, "only options")
        _ = try arguments.required("--merchant")
        guard try arguments.amount("--turnover") != nil else { throw UsageError("missing --turnover (see --help)") }
        _ = try arguments.date("--date")
        self.arguments = arguments
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let store = try context.openStore()
        let merchant = try nameAsStored(try arguments.required("--merchant"), "merchant", among: try store.fundMerchants(), context)
        let date = try arguments.eventDate("--date", today: context.today)
        let turnover = try arguments.amount("--turnover") ?? 0
        let key = try FundRetry.key("contribution", name: merchant, date: date, arguments, find: store.fundContribution(key:)) { earlier in
            guard earlier.turnover == turnover else { return }
            try FundRetry.refuseIfJustBefore(earlier.recordedAt, what: "contribution of \(earlier.merchant) (turnover \(Hundredths.format(turnover)) CNY)",
                                             key: earlier.key, entry: earlier.entry, context: context)
        }
        // Without --date the date is today's: a retry after midnight under a key of its own finds the write (F009 would say to
        // give another key, and the retry would pay it twice). The default key holds the date, so it cannot differ there.
        let outcome = try store.contribute(merchant: merchant, turnover: turnover, date: date, key: key,
                                           actor: context.actor, memo: try arguments.optionalText("--memo") ?? "",
                                           dateIsExplicit: try arguments.value("--date") != nil)
        let contribution = outcome.value
        let balance = try store.balance(.fund, .cny)
        let reversal = outcome.isNew ? nil : try store.reversal(of: contribution.entry)
        if context.json {
            context.output.line(JSON.object([
                ("outcome", .string(outcome.isNew ? "created" : "exists")), ("key", .string(contribution.key)),
                ("merchant", .string(contribution.merchant)), ("turnover", .amount(contribution.turnover)),
                ("rate", .number(contribution.rate.description)), ("policy_version", .integer(contribution.policyVersion)),
                ("amount", .amount(contribution.amount)), ("entry", .integer(contribution.entry)), ("date", .string(contribution.date.description)),
                ("fund_balance", .amount(balance)),
            ] + reversedByJSON(reversal)).rendered())
            return ExitCode.done
        }
        if !outcome.isNew {
            context.output.line(alreadyRecorded("contribution of \(contribution.merchant) on \(contribution.date)", key: contribution.key,
                                                keyGiven: try arguments.key() != nil))
        }
        context.output.line("Contribution of \(contribution.merchant) on \(contribution.date): \(Hundredths.format(contribution.turnover)) CNY turnover "
                            + "× \(contribution.rate) (policy #\(contribution.policyVersion)) = \(Hundredths.format(contribution.amount)) CNY, "
                            + "rounded half-up to the fen (entry #\(contribution.entry), key \(contribution.key)).")
        context.output.line("Fund balance: \(Hundredths.format(balance)) CNY")
        if let reversal { context.output.line(reversedByHandNote(entry: contribution.entry, reversal: reversal, key: contribution.key)) }
        return ExitCode.done
    }
}

struct FundDonateCommand: Command {
    static let name = "fund donate"
    static let abstract = "Record a donation of money (CNY) into the micro-fund"
    static let help = """
    Usage: timebank fund donate --donor NAME --amount CNY [--date YYYY-MM-DD] [--key KEY] [--memo TEXT]

    Pays the amount into fund:main (from system:outside, CNY, entry kind donation): 消费捐 and named
    donations. NAME is stored trimmed, with each run of spaces (full-width ones too) made one space; a
    name stored already in other letter case or width (Li Wei for li wei) is written as stored, with a note.
    Without --key the key is donation:NAME:DATE, so a retry records nothing new; give --key for a
    second donation of one donor on one day. Without --date, a retry just after midnight of the same
    donation recorded in the hour before is refused (F019); a second one for today gives --date.
    (`timebank donate` gives points, not money.)

    Example:
      timebank fund donate --donor "爱心企业 鲁味斋" --amount 500 --date 2026-11-20 --memo "重阳节捐赠"
    """
    static let valueOptions = ["--donor", "--amount", "--date", "--key", "--memo"]
    let arguments: Arguments

    init(_ arguments: Arguments) throws {
        try arguments.expectPositionals(0...0, "only options")
        _ = try arguments.required("--donor")
        guard try arguments.amount("--amount") != nil else { throw UsageError("missing --amount (see --help)") }
        _ = try arguments.date("--date")
        self.arguments = arguments
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let store = try context.openStore()
        let donor = try nameAsStored(try arguments.required("--donor"), "donor", among: try store.fundDonors(), context)
        let date = try arguments.eventDate("--date", today: context.today)
        let amount = try arguments.amount("--amount") ?? 0
        let key = try FundRetry.key("donation", name: donor, date: date, arguments, find: store.fundDonation(key:)) { earlier in
            guard earlier.amount == amount else { return }
            try FundRetry.refuseIfJustBefore(earlier.recordedAt, what: "donation of \(Hundredths.format(earlier.amount)) CNY by \(earlier.donor)",
                                             key: earlier.key, entry: earlier.entry, context: context)
        }
        let outcome = try store.donate(donor: donor, amount: amount, date: date, key: key,
                                       actor: context.actor, memo: try arguments.optionalText("--memo") ?? "",
                                       dateIsExplicit: try arguments.value("--date") != nil)
        let donation = outcome.value
        let balance = try store.balance(.fund, .cny)
        let reversal = outcome.isNew ? nil : try store.reversal(of: donation.entry)
        if context.json {
            context.output.line(JSON.object([
                ("outcome", .string(outcome.isNew ? "created" : "exists")), ("key", .string(donation.key)), ("donor", .string(donation.donor)),
                ("amount", .amount(donation.amount)), ("memo", .string(donation.memo)), ("entry", .integer(donation.entry)),
                ("date", .string(donation.date.description)), ("fund_balance", .amount(balance)),
            ] + reversedByJSON(reversal)).rendered())
            return ExitCode.done
        }
        if !outcome.isNew {
            context.output.line(alreadyRecorded("donation of \(donation.donor) on \(donation.date)", key: donation.key,
                                                keyGiven: try arguments.key() != nil))
        }
        context.output.line("Donation of \(Hundredths.format(donation.amount)) CNY by \(donation.donor) on \(donation.date) "
                            + "(entry #\(donation.entry), key \(donation.key)).")
        context.output.line("Fund balance: \(Hundredths.format(balance)) CNY")
        if let reversal { context.output.line(reversedByHandNote(entry: donation.entry, reversal: reversal, key: donation.key)) }
        return ExitCode.done
    }
}

/// A contribution or donation typed without `--date` and `--key` takes today's date into its default key, so a retry just
/// after midnight of one recorded just before would be recorded again, under the new day's key: money counted twice. Such a
/// retry (the same merchant and turnover, or donor and amount, under yesterday's default key, recorded less than
/// `windowMinutes` ago) is refused (F019) with the date to give for a second one; given `--date` or `--key`, nothing is guessed.
enum FundRetry {
    static let windowMinutes: Int64 = 60

    /// The key of a contribution or donation: `--key`, else its default key (`defaultFundKey`) of `name` and `date`.
    /// When that key is new and no `--date` was given either, the write `find` finds under yesterday's default key is
    /// handed to `checkYesterday`, which refuses it (`refuseIfJustBefore`) when it is the same write retried.
    static func key<Write>(_ kind: String, name: String, date: LocalDate, _ arguments: Arguments,
                           find: (String) throws -> Write?, checkYesterday: (Write) throws -> Void) throws -> String {
        if let given = try arguments.key() { return given }
        let key = try defaultFundKey(kind, name: name, date: date) { try find($0) != nil }
        if try arguments.date("--date") == nil, try find(key) == nil {
            let yesterday = try defaultFundKey(kind, name: name, date: date.adding(days: -1)) { try find($0) != nil }
            if let earlier = try find(yesterday) { try checkYesterday(earlier) }
        }
        return key
    }

    static func refuseIfJustBefore(_ recordedAt: Timestamp, what: String, key: String, entry: Int64, context: CommandContext) throws {
        let minutes = (context.clock.now().millisecondsSinceEpoch - recordedAt.millisecondsSinceEpoch) / 60_000
        guard minutes >= 0, minutes < windowMinutes else { return }
        throw FundError.retryAfterMidnight(what: what, key: key, entry: entry, minutesAgo: minutes, today: context.today)
    }
}

/// The merchant's or donor's name to write: `typed`, or the stored spelling it reads the same as in other letter case or
/// width (`walmart`, `ＷＡＬＭＡＲＴ` for the stored `Walmart`: `FundName.storedSpelling`), with a note saying so. One merchant
/// keeps one name, and its default key (`contribution:Walmart:DATE`) with it: a retry typed in other case finds the write
/// instead of paying it twice.
func nameAsStored(_ typed: String, _ what: String, among stored: [String], _ context: CommandContext) throws -> String {
    guard let spelling = FundName.storedSpelling(of: typed, among: stored) else { return typed }
    let note = "note: \(what) \"\(FundName.normalized(typed))\" is written as stored, \"\(spelling)\" (the same name in other letter case or width)"
    if context.json { context.errors.line(note) } else { context.output.line(note) }
    return spelling
}

/// The NOTE a retried contribution or donation prints when its entry was reversed by hand since: the key stays taken, so
/// the write is recorded again (corrected) under a key of its own.
func reversedByHandNote(entry: Int64, reversal: Int64, key: String) -> String {
    "NOTE: it was reversed by hand since (#\(entry) by #\(reversal)); the key stays taken: to record it again, give it its own "
        + "--key (for example --key \(key):2)"
}

/// `reversed_by` for the JSON of a retried contribution or donation whose entry was reversed by hand; nothing otherwise.
func reversedByJSON(_ reversal: Int64?) -> [(String, JSON)] {
    reversal.map { [("reversed_by", JSON.integer($0))] } ?? []
}

/// The line a retried contribution or donation prints. Without `--key` its key came from the name and the day, so the
/// line also says how to record a second one of that name and day (`WHAT` is "donation of 王先生 on 2026-11-08").
func alreadyRecorded(_ what: String, key: String, keyGiven: Bool) -> String {
    "Already recorded under this key (same content): nothing changed."
        + (keyGiven ? "" : " A second \(what) needs a key of its own: --key \(key):2")
}

/// The key of a contribution or donation given without `--key`: `KIND:NAME:DATE` with the name normalised as the
/// store keeps it (`FundName.normalized`), so that `"泰山路超市 "` and `"泰山路超市"` are one key and a retry never pays
/// twice. A row written before names were normalised is under the name as typed then: when one exists under the
/// name exactly as typed now, that key is used, so retrying such a write finds it instead of paying again.
func defaultFundKey(_ kind: String, name typed: String, date: LocalDate, exists: (String) throws -> Bool) rethrows -> String {
    let key = "\(kind):\(FundName.normalized(typed)):\(date)"
    let asTyped = "\(kind):\(typed):\(date)"
    return try asTyped != key && exists(asTyped) ? asTyped : key
}

struct FundReportCommand: Command {
    static let name = "fund report"
    static let readsOnly = true
    static let abstract = "Show the micro-fund: balance, money in and out by kind, points outstanding and the coverage ratio"
    static let help = """
    Usage: timebank fund report [--from YYYY-MM-DD] [--to YYYY-MM-DD]

    Read from the ledger: the balance of fund:main at the start and the end of the range, money in
    (contributions, donations) and out (stock purchases, service costs, dividends) by kind, the points
    outstanding at the end (volunteers + households + held for bookings), their value at the policy's
    point_value, and the coverage ratio = fund ÷ that value. A WARNING line says when it is below 1.
    --to defaults to today, --from to the first day of --to's month. A range past the last settled day
    (or past today) gets a NOTE: the figures at its end are what is recorded so far, a projection. Records
    dated by --to and not posted yet (pending) count on their service dates once posted: a line says how many,
    since the points outstanding and the coverage can still change (--json: "records_not_posted").

    Example:
      timebank fund report --from 2026-11-01 --to 2026-11-30
    """
    static let valueOptions = ["--from", "--to"]
    let arguments: Arguments

    init(_ arguments: Arguments) throws {
        try arguments.expectPositionals(0...0, "only options")
        _ = try arguments.date("--from")
        _ = try arguments.date("--to")
        self.arguments = arguments
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let store = try context.openStore()
        let to = try arguments.date("--to")
        let through = to ?? context.today
        let from = try arguments.date("--from") ?? LocalDate(year: through.year, month: through.month, day: 1)!
        if to == nil, from > through {
            // F012 would say "after it ends (today)" of a day the admin never typed.
            throw UsageError("--from \(from) is after today (\(through)), where the range ends without --to; give --from on or "
                             + "before \(through), or a --to on or after \(from)")
        }
        let report = try store.fundReport(from: from, through: through)
        let lastSettled = try store.latestSettledDate()
        let notes = [report.recordsNotPostedNote,
                     UnsettledRangeNote.note(from: from, through: through, lastSettled: lastSettled, today: context.today,
                                             balancesAtEnd: true)].compactMap { $0 }
        if context.json {
            context.output.line(fundReportJSON(report, lastSettled: lastSettled, notes: notes).rendered())
        } else {
            context.output.write(fundReportText(report, unit: store.policyUnit(on: report.through)) + notes.map { $0 + "\n" }.joined())
        }
        return ExitCode.done
    }
}

/// The fund report as people read it; `unit`: what the policy in force on its last day calls the points (积分 outstanding),
/// nil before any policy (Points outstanding).
func fundReportText(_ report: FundReport, unit: String?) -> String {
    var out = "Micro-fund (微基金) from \(report.from) to \(report.through), CNY\n\n"
    out += "Opening balance on \(report.from): \(Hundredths.format(report.openingBalance))\n\n"
    var table = TextTable([("Kind", .left), ("Entries", .right), ("In", .right), ("Out", .right)])
    for flow in report.flows {
        table.add([flow.kind.rawValue, "\(flow.entries)", flow.inflow == 0 ? "" : Hundredths.format(flow.inflow),
                   flow.outflow == 0 ? "" : Hundredths.format(flow.outflow)])
    }
    table.add(["total", "\(report.flows.reduce(0) { $0 + $1.entries })", Hundredths.format(report.totalInflow), Hundredths.format(report.totalOutflow)])
    out += table.rendered()
    out += "\nClosing balance on \(report.through): \(Hundredths.format(report.closingBalance))\n\n"
    out += "\(unit ?? PointsUnit.heading) outstanding at the end of \(report.through): \(Hundredths.format(report.pointsOutstanding))\n"
    out += "  volunteers \(Hundredths.format(report.volunteerPoints)), households \(Hundredths.format(report.householdPoints)), "
        + "held for bookings \(Hundredths.format(report.heldPoints))\n"
    if let pointValue = report.pointValue, let version = report.policyVersion {
        out += "Point value (policy #\(version)): \(pointValue) CNY; the \(unit ?? "points") are worth "
            + "\(Hundredths.format((try? FundMath.fen(report.liability)) ?? 0)) CNY\n"
    } else {
        out += "No policy is in force on \(report.through): the points have no value in CNY\n"
    }
    out += report.coverageLine + "\n"
    if let warning = report.warning { out += warning + "\n" }
    return out
}

/// The fund report for machines: amounts as decimal numbers with two places, the ratio with six; `notes` holds the
/// NOTE a range past the last settled day or today gets (`UnsettledRangeNote`), `last_settled_day` that day.
func fundReportJSON(_ report: FundReport, lastSettled: LocalDate? = nil, notes: [String] = []) -> JSON {
    let ratio = report.coverage.ratioText(decimals: 6).map(JSON.number) ?? .null
    return .object([
        ("from", .string(report.from.description)), ("through", .string(report.through.description)),
        ("opening_balance", .amount(report.openingBalance)), ("closing_balance", .amount(report.closingBalance)),
        ("flows", .array(report.flows.map {
            .object([("kind", .string($0.kind.rawValue)), ("entries", .integer($0.entries)), ("in", .amount($0.inflow)), ("out", .amount($0.outflow))])
        })),
        ("total_in", .amount(report.totalInflow)), ("total_out", .amount(report.totalOutflow)),
        ("points_outstanding", .object([
            ("volunteers", .amount(report.volunteerPoints)), ("households", .amount(report.householdPoints)),
            ("held", .amount(report.heldPoints)), ("total", .amount(report.pointsOutstanding)),
        ])),
        ("policy_version", report.policyVersion.map { .integer($0) } ?? .null),
        ("point_value", report.pointValue.map { .number($0.description) } ?? .null),
        ("points_value", .amount((try? FundMath.fen(report.liability)) ?? 0)),
        ("coverage_ratio", ratio), ("coverage", .string(report.coverage.text(decimals: 4))),
        ("below_one", .bool(report.coverage.isBelowOne)), ("warning", .optional(report.warning)),
        ("records_not_posted", .integer(report.recordsNotPosted)),
        ("last_settled_day", .optional(lastSettled?.description)), ("notes", .array(notes.map { .string($0) })),
    ])
}

struct DividendCommand: Command {
    static let name = "dividend"
    static let abstract = "Share CNY from the fund among households in proportion to the points they earned in a period"
    static let help = """
    Usage: timebank dividend --period PERIOD --amount CNY [--basis earned] [--key KEY] [--date YYYY-MM-DD]
                             [--unsettled --reason TEXT]

    PERIOD is a year (2026), a quarter (2026-Q4) or a month (2026-11), and must have ended by --date
    (default today). Each household's weight is the points earned in the period (awards to its
    volunteers or to the household, minus their reversals); the amount is shared to the fen by the
    largest-remainder method: everyone gets the floor of the exact share, then the fen left over go one
    each to the largest remainders (ties: more points first, then household id). Posted as one ledger
    entry (kind dividend, fund:main → household:H…; one entry per 999 households when there are more,
    all or none) with the allocation table printed and stored.
    Refused when the fund holds less than the amount (on --date and every day since, by the entries'
    dates) or nobody earned points. It is paid on finished figures: refused while the nights are not
    settled through the period's last day (F014) or records dated in the period wait for a verifier,
    auto-acceptance or the night that posts them (F015); --unsettled --reason TEXT pays on the points
    posted so far (the reason is kept in the entry's memo).
    Without --key the key is dividend:PERIOD, so a retry never pays twice; give --key to pay a second
    dividend for the same period. A retry with another --date is another payment (F009).

    Example:
      timebank dividend --period 2026-Q4 --amount 1000 --date 2027-01-05
    """
    static let valueOptions = ["--period", "--amount", "--basis", "--key", "--date", "--reason"]
    static let flagOptions = ["--unsettled"]
    let arguments: Arguments
    let period: DividendPeriod
    let unsettledReason: String?

    init(_ arguments: Arguments) throws {
        try arguments.expectPositionals(0...0, "only options")
        // The period and basis are checked here, before the operator is asked for a PIN: a mistyped period is
        // reported as such, not as a missing PIN.
        period = try DividendPeriod(parsing: try arguments.required("--period"))
        guard try arguments.amount("--amount") != nil else { throw UsageError("missing --amount (see --help)") }
        if let basis = try arguments.value("--basis") { _ = try DividendBasis(parsing: basis) }
        _ = try arguments.date("--date")
        let reason = try arguments.value("--reason")
        if arguments.flag("--unsettled") {
            guard let reason else { throw UsageError("--unsettled needs --reason TEXT: why the dividend is paid before the period is fully posted") }
            unsettledReason = reason
        } else {
            guard reason == nil else { throw UsageError("--reason goes with --unsettled") }
            unsettledReason = nil
        }
        self.arguments = arguments
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let store = try context.openStore()
        let outcome = try store.payDividend(period: try arguments.required("--period"), amount: try arguments.amount("--amount") ?? 0,
                                            basis: try arguments.value("--basis") ?? DividendBasis.earned.rawValue,
                                            key: try arguments.key() ?? "dividend:\(period)", actor: context.actor,
                                            date: try arguments.eventDate("--date", today: context.today),
                                            dateIsExplicit: try arguments.value("--date") != nil, unsettledReason: unsettledReason)
        let dividend = outcome.value
        // Paid before the period was fully posted: what was missing is in the entry's memo. A retry says so too (with or
        // without --unsettled): the first run's output may never have been seen, after a timeout.
        var notes: [String] = []
        let unsettledPayment = TimeBankStore.unsettledPayment(inMemo: try store.entry(sequence: dividend.entry)?.memo ?? "")
        // A retry with another --reason (or one the first payment did not need) finds the payment as it was: the reason
        // kept is the first one, and the retry says so, as `record approve` sent again with another --verifier does.
        var notKept = RetryNotKept()
        if !outcome.isNew {
            notKept.compare("--reason", given: unsettledReason, stored: unsettledPayment?.reason ?? "",
                            keptAs: unsettledPayment.map { "with the reason \($0.reason)" } ?? "paid on finished figures with no reason")
        }
        if let paid = unsettledPayment {
            notes.append((outcome.isNew ? "paid" : "it was paid") + " on the points posted so far, before the period was fully posted "
                         + "(\(paid.missing)); reason: \(paid.reason)")
        } else if unsettledReason != nil, outcome.isNew {
            notes.append("--unsettled was not needed: the period's nights are settled and all its records posted (the reason was not recorded)")
        }
        // A retry that finds a payment reversed by hand since: it says so, and how to pay the period again.
        let reversals = outcome.isNew ? [] : try store.dividendReversals(dividend)
        if !reversals.isEmpty {
            let which = reversals.map { "#\($0.entry) by #\($0.reversal)" }.joined(separator: ", ")
            let all = reversals.count == dividend.entryCount ? "it was reversed by hand since" : "\(reversals.count) of its \(dividend.entryCount) entries were reversed by hand since"
            notes.append("\(all) (\(which)); the key stays taken: to pay \(dividend.period) again, give the payment its own --key (for example --key \(dividend.key)-2)")
        }
        if context.json {
            let jsonNotes = (notKept.clause.map { ["already paid under this key: \($0)"] } ?? []) + notes
            context.output.line(notKept.addedTo(dividendJSON(dividend, outcome: outcome.isNew ? "created" : "exists",
                                                             note: jsonNotes.isEmpty ? nil : jsonNotes.joined(separator: ". "),
                                                             reversedBy: reversals.map(\.reversal)), retry: !outcome.isNew).rendered())
            return ExitCode.done
        }
        if !outcome.isNew { context.output.line(notKept.answer("Already paid under this key")) }
        context.output.write(dividendText(dividend))
        for note in notes { context.output.line("NOTE: " + note) }
        return ExitCode.done
    }
}

func dividendText(_ dividend: Dividend) -> String {
    let paid = dividend.shares.filter { $0.share > 0 }.count
    var out = "Dividend \(dividend.period) (\(dividend.periodStart) to \(dividend.periodEnd)), basis \(dividend.basis.rawValue): "
        + "\(Hundredths.format(dividend.amount)) CNY to \(paid) household\(paid == 1 ? "" : "s")"
        // Households that earned but whose share is under a fen are in the table with 0.00.
        + (dividend.shares.count > paid ? " (\(dividend.shares.count - paid) more earned points, but \(dividend.shares.count - paid == 1 ? "its share" : "their shares") "
            + "came to less than a fen)" : "") + ", paid \(dividend.date) in "
        + (dividend.entryCount > 1 ? "entries #\(dividend.entries.lowerBound)–#\(dividend.entries.upperBound) "
            + "(at most \(TimeBankStore.dividendHouseholdsPerEntry) households each)"
            : "entry #\(dividend.entry)") + " (key \(dividend.key)).\n"
    out += "Points earned in the period: \(Hundredths.format(dividend.totalWeight)) by households"
    if dividend.unassignedWeight > 0 {
        out += "; \(Hundredths.format(dividend.unassignedWeight)) by volunteers without a household (no share)"
    }
    out += ".\n\n"
    var table = TextTable([("Household", .left), ("Name", .left), ("Points earned", .right), ("Share CNY", .right), ("Leftover CNY", .right)])
    for share in dividend.shares {
        table.add([share.household, share.name, Hundredths.format(share.weight), Hundredths.format(share.share), share.receivedLeftover ? "+0.01" : ""])
    }
    let leftovers = dividend.shares.filter(\.receivedLeftover).count
    table.add(["total", "", Hundredths.format(dividend.totalWeight), Hundredths.format(dividend.amount), leftovers == 0 ? "" : "+\(Hundredths.format(Int64(leftovers)))"])
    out += table.rendered()
    if leftovers == 0 {
        out += "\nEach share is the floor of amount × points ÷ total points; the floors add up to the amount, so no fen was left over.\n"
    } else {
        out += "\nEach share is the floor of amount × points ÷ total points; the \(leftovers) fen left over went to the largest remainders "
            + "(ties: more points first, then household id).\n"
    }
    return out
}

/// `reversedBy`: the entries that reversed the payment's entries by hand, written as `reversed_by` when there are any.
func dividendJSON(_ dividend: Dividend, outcome: String? = nil, note: String? = nil, reversedBy: [Int64] = []) -> JSON {
    var members: [(String, JSON)] = []
    if let outcome { members.append(("outcome", .string(outcome))) }
    members += [
        ("key", .string(dividend.key)), ("period", .string(dividend.period)), ("period_start", .string(dividend.periodStart.description)),
        ("period_end", .string(dividend.periodEnd.description)), ("basis", .string(dividend.basis.rawValue)),
        ("amount", .amount(dividend.amount)), ("points_earned", .amount(dividend.totalWeight)),
        ("points_unassigned", .amount(dividend.unassignedWeight)), ("entry", .integer(dividend.entry)),
        ("entries", .array(dividend.entries.map { .integer($0) })), ("date", .string(dividend.date.description)),
        ("actor", .string(dividend.actor)),
        ("shares", .array(dividend.shares.map {
            .object([("household", .string($0.household)), ("name", .string($0.name)), ("points_earned", .amount($0.weight)),
                     ("share", .amount($0.share)), ("remainder_fen", .integer($0.receivedLeftover ? 1 : 0))])
        })),
    ]
    if outcome != nil { members.append(("note", .optional(note))) }
    if !reversedBy.isEmpty { members.append(("reversed_by", .array(reversedBy.map { .integer($0) }))) }
    return .object(members)
}
