import TimeBankCore
import TimeBankStorage

struct RedeemCommand: Command {
    static let name = "redeem"
    static let abstract = "Redeem points for catalog items at a station and print the receipt"
    static let help = """
    Usage: timebank redeem --station STATION --volunteer VOLUNTEER --item ITEM[:N] [--item ITEM[:N] ...]
                           [--qty N] --key KEY [--date YYYY-MM-DD] [--operator ID]

    One atomic transaction: the operator's role and station, the item, the volunteer's eligibility and
    limits, the balance above the floor, the stock (goods) or the day's capacity (services); then the
    points are taken from the volunteer's lots (earliest expiry first; from the household's account when
    the policy earns to households), moved to the station, the stock is taken and the receipt written.
    The quantity is --qty N or ITEM:N (rice_5kg:2; 1 when neither is given).
    \(CatalogItemOption.help)

    A basket: give --item once per item (2 to 20 items, each named once, each with its own :N). All of
    them are redeemed in one transaction or none is: the points of the items before one are spent
    first, and the first refusal names the item (item 2 of 3) and writes nothing. Each item gets its
    own receipt, under KEY/1, KEY/2, ... (refunded one by one with `timebank refund`), and one slip
    lists them with the total and the balance after.

    Under the balance, the slip tells the volunteer which of it expires within the policy's
    [expiry] warn_days (其中 Expiring  10.00 积分 on 2026-12-01); --json adds "expiring".

    The KEY is yours: sending the same command again prints the original receipt(s) and changes
    nothing; the same KEY with other content is refused (R008), and so is a new KEY that reads as a
    receipt or booking number (R12, B7, 12: R023), which `refund` would take for another receipt, or
    that starts with booking: (R026), the prefix of the receipts of fulfilled bookings. A refusal writes
    nothing, exits 1 (2 for bad input) and says what would make it work. The operator signs in with
    --operator (or $TIMEBANK_OPERATOR) and the PIN from $TIMEBANK_PIN or a prompt.

    Examples:
      timebank redeem --station S01 --volunteer V0001 --item rice_5kg --key S01-20261008-0001
      timebank redeem --station S01 --volunteer V0001 --item rice_5kg --item hair_clip:2 --key S01-20261008-0002
    """
    static let valueOptions = ["--station", "--volunteer", "--item", "--qty", "--key", "--date", OperatorSignIn.option]
    let arguments: Arguments
    /// The items with their quantities, as given.
    let lines: [BasketLine]

    init(_ arguments: Arguments) throws {
        try arguments.expectPositionals(0...0, "only options")
        for name in ["--station", "--volunteer"] { _ = try arguments.required(name) }
        _ = try arguments.requiredKey()
        _ = try arguments.date("--date")
        self.arguments = arguments
        self.lines = try Self.basketLines(arguments)
    }

    /// `--item ITEM[:N]` as often as given, with `--qty` for a single item: R029's rules for a basket are the store's.
    static func basketLines(_ arguments: Arguments) throws -> [BasketLine] {
        let typed = arguments.values("--item")
        guard !typed.isEmpty else { throw UsageError("missing --item (see --help)") }
        let parsed = try typed.map(parseItem)
        if parsed.count == 1 {
            if let given = try arguments.value("--qty"), parsed[0].quantity != nil {
                throw UsageError("the quantity is given twice (--item \(typed[0]) and --qty \(given)); give it once")
            }
            return [BasketLine(item: parsed[0].item, quantity: try parsed[0].quantity ?? quantityOption(arguments))]
        }
        if try arguments.value("--qty") != nil {
            throw UsageError("--qty is for one item; with several --item give each its quantity as ITEM:N (--item hair_clip:2)")
        }
        return parsed.map { BasketLine(item: $0.item, quantity: $0.quantity ?? 1) }
    }

    /// `rice_5kg`, `rice_5kg:2` or `rice_5kg：２` (a Chinese input method's colon and digits): the item and the quantity.
    static func parseItem(_ text: String) throws -> (item: String, quantity: Int?) {
        guard let colon = text.lastIndex(where: { $0 == ":" || $0 == "：" }) else { return (text, nil) }
        let item = String(text[..<colon]), number = StationReference.readingForm(String(text[text.index(after: colon)...]))
        guard !item.isEmpty else { throw UsageError("--item \"\(text)\" names no item before the colon; write ITEM:N (rice_5kg:2)") }
        guard let quantity = Int(number), (1...RedemptionRules.quantityMaximum).contains(quantity) else {
            throw UsageError("--item \"\(text)\": the quantity after the colon must be a whole number from 1 to "
                             + "\(RedemptionRules.quantityMaximum), as in \(item):2")
        }
        return (item, quantity)
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let store = try context.openStore()
        let session = try OperatorSignIn.session(store, operator: try arguments.value(OperatorSignIn.option), context)
        let key = try arguments.requiredKey(), station = try arguments.required("--station")
        let volunteer = try arguments.required("--volunteer"), date = try arguments.eventDate("--date", today: context.today)
        if lines.count == 1 {
            let outcome = try store.redeem(RedemptionRequest(key: key, station: station, volunteer: volunteer, item: lines[0].item,
                                                             quantity: lines[0].quantity, date: date), by: session)
            printReceipt(outcome.receipt, outcome: outcome.isNew ? "created" : "exists", store: store, context,
                         notKept: outcome.isNew ? nil : try Self.notKept(outcome.receipt, arguments, signedIn: session.operatorID),
                         atCounter: true)
            return ExitCode.done
        }
        let outcome = try store.redeem(BasketRequest(key: key, station: station, volunteer: volunteer, lines: lines, date: date),
                                       by: session)
        printBasket(outcome.receipts, key: key, outcome: outcome.isNew ? "created" : "exists", store: store, context,
                    notKept: try outcome.receipts.first.flatMap { outcome.isNew ? nil : try Self.notKept($0, arguments, signedIn: session.operatorID) },
                    atCounter: true)
        return ExitCode.done
    }

    /// A retry finds the receipt by its key, station, volunteer, item and quantity: the day (--date) and the operator are
    /// not compared, so one sent again with another --date or by another operator says which stand.
    static func notKept(_ receipt: Receipt, _ arguments: Arguments, signedIn: String) throws -> RetryNotKept {
        RetryNotKept(date: try arguments.date("--date"), stored: receipt.redeemedOn, operator: signedIn,
                     storedOperator: receipt.operatorID)
    }
}

/// Prints a basket's receipts as JSON (each receipt as `receipt show` gives it, the total and the balance after), or
/// as one slip (with a line saying when it is a retry).
/// `notKept`: what a retry gave that the receipts do not keep (`RetryNotKept`).
/// `atCounter`: printed by `redeem` (not `receipt show`): the slip tells of the points expiring soon (`CounterExpiry`).
func printBasket(_ receipts: [Receipt], key: String, outcome: String?, store: TimeBankStore, _ context: CommandContext,
                 notKept: RetryNotKept? = nil, atCounter: Bool = false) {
    let total = receipts.reduce(0) { $0 + $1.points }
    let expiry = atCounter ? receipts.last.flatMap { CounterExpiry($0, store: store, context) } : nil
    if context.json {
        let members: [(String, JSON)] = [
            ("key", .string(key)), ("points", .amount(total)), ("balance_after", receipts.last.map { .amount($0.balanceAfter) } ?? .null),
            ("receipts", .array(receipts.map { receiptJSON($0) })),
        ] + (expiry.map { [("expiring", $0.json)] } ?? [])
        let object = JSON.object((outcome.map { [("outcome", JSON.string($0))] } ?? []) + members)
        context.output.line((notKept?.addedTo(object, retry: outcome == "exists") ?? object).rendered())
        return
    }
    if outcome == "exists" {
        context.output.line(notKept?.clause.map { "Already redeemed under this key: \($0). The original receipts, nothing changed." }
                            ?? "Already redeemed under this key (same items): the original receipts, nothing changed.")
    }
    let unit = store.pointsUnit(on: receipts.first?.redeemedOn ?? context.today)
    let offset = receipts.first.map { context.utcOffsetMinutes(at: $0.recordedAt) } ?? context.utcOffsetMinutes
    context.output.write(Receipt.renderedBasket(receipts, key: key, unit: unit, utcOffsetMinutes: offset,
                                                expiring: expiry?.slipDays(of: receipts.last) ?? []))
}

/// Prints a receipt as JSON, or as the counter's printout (with a line saying when it is a retry).
/// `notKept`: what a retry gave that the receipt does not keep (`RetryNotKept`).
/// `atCounter`: printed by `redeem` or `fulfil` (not `receipt show`): the slip tells of the points expiring soon.
/// `retried`, `sameContent`: what a retry is said to have found (`fulfil`, which takes no key, names the booking).
func printReceipt(_ receipt: Receipt, outcome: String?, store: TimeBankStore, _ context: CommandContext, notKept: RetryNotKept? = nil,
                  atCounter: Bool = false, retried: String = "Already redeemed under this key", sameContent: String = " (same content)") {
    let expiry = atCounter ? CounterExpiry(receipt, store: store, context) : nil
    if context.json {
        var object = receiptJSON(receipt, outcome: outcome)
        if let expiry, case .object(let members) = object { object = .object(members + [("expiring", expiry.json)]) }
        context.output.line((notKept?.addedTo(object, retry: outcome == "exists") ?? object).rendered())
        return
    }
    if outcome == "exists" {
        context.output.line(notKept?.clause.map { "\(retried): \($0). The original receipt, nothing changed." }
                            ?? "\(retried)\(sameContent): the original receipt, nothing changed.")
    }
    let unit = store.pointsUnit(on: receipt.redeemedOn)
    context.output.write(receipt.rendered(unit: unit, utcOffsetMinutes: context.utcOffsetMinutes(at: receipt.recordedAt),
                                          expiring: expiry?.slipDays(of: receipt) ?? []))
}

/// The points of the paying account that expire within the policy's `[expiry] warn_days` of today (the window of
/// `report expiring`), as the counter's slip tells the volunteer (`其中 Expiring  10.00 积分 on 2026-12-01`) and
/// `--json` gives (`"expiring"`). What is true when the slip is printed: the lots as they stand, from today. A
/// receipt printed again (`receipt show`) leaves it out, since its balance is of the day it was redeemed.
struct CounterExpiry {
    var asOf: LocalDate
    var withinDays: Int
    var days: [ExpiringSoon]

    /// Nil before any policy is in force, or when the lots cannot be read: the receipt was written already, and the
    /// warning is not worth failing its printout for. A read that failed says so on stderr, so that a slip without the
    /// line is not taken for one with nothing expiring.
    init?(_ receipt: Receipt, store: TimeBankStore, _ context: CommandContext) {
        guard let policy = try? store.counterPolicyInForce(on: context.today) else { return nil }
        do {
            days = try store.expiringPoints(of: receipt.paidFrom, after: context.today, withinDays: policy.expiry.warnDays)
        } catch {
            let reason = (error as? any TimeBankError).map { "\($0.code): \($0.message)" } ?? "\(error)"
            context.errors.line("note: the points of \(receipt.paidFrom) expiring within \(policy.expiry.warnDays) days could not be "
                + "read (\(reason)); the slip leaves that line out: `timebank report expiring` lists them")
            return nil
        }
        (asOf, withinDays) = (context.today, policy.expiry.warnDays)
    }

    /// The slip's lines: only under a balance of today (not a receipt of another day, printed again or typed in later).
    func slipDays(of receipt: Receipt?) -> [ExpiringSoon] { receipt?.redeemedOn == asOf ? days : [] }

    var json: JSON {
        .object([
            ("as_of", .string(asOf.description)), ("within_days", .integer(Int64(withinDays))),
            ("points", .amount(days.reduce(0) { $0 + $1.points })),
            ("days", .array(days.map { .object([("expires_on", .string($0.expiresOn.description)), ("points", .amount($0.points))]) })),
        ])
    }
}

extension TimeBankStore {
    /// What the policy in force calls one point (积分, 信义币, ...).
    func counterUnit(on date: LocalDate) throws -> String { try counterPolicyInForce(on: date).unit }

    /// The word a person reads after an amount of points (a receipt, the passbook, a balance, a refund's line): the
    /// unit of the policy in force on `date` (积分, 信义币, 时间币), or POINTS, the asset's code, before any policy is.
    /// Asset codes a program reads (`--asset POINTS`, `--json` keys and values, CSV, the ledger export) stay POINTS.
    func pointsUnit(on date: LocalDate) -> String { policyUnit(on: date) ?? Asset.points.rawValue }
}

struct ReceiptShowCommand: Command {
    static let name = "receipt show"
    static let readsOnly = true
    static let abstract = "Print a receipt again (R12, 12, or the key it was redeemed with)"
    static let help = """
    Usage: timebank receipt show RECEIPT

    RECEIPT is R12, 12, number:12 (always the number) or the key it was redeemed with; a text that
    names two receipts is refused (R022) with both listed. The key of a basket prints its slip: every
    receipt of it (KEY/1, KEY/2, ...), the total and the balance after the last. Printed again, a
    receipt is the one of its day: it leaves out the points expiring soon that the counter's slip
    told of (`timebank lots` or `report expiring` tell what expires now).

    Example:
      timebank receipt show R12
    """
    let reference: String

    init(_ arguments: Arguments) throws {
        try arguments.expectPositionals(1...1, "a receipt (R12)")
        reference = arguments.positionals[0]
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let store = try context.openStore()
        do {
            printReceipt(try resolveReceipt(reference, in: store), outcome: nil, store: store, context)
        } catch RedemptionError.receiptReferenceNamesBasket {
            // The key of a basket: its slip, every receipt of it.
            printBasket(try store.basketReceipts(key: reference), key: reference, outcome: nil, store: store, context)
        }
        return ExitCode.done
    }
}

struct ReceiptListCommand: Command {
    static let name = "receipt list"
    static let readsOnly = true
    static let abstract = "List receipts of a station, a day or a volunteer, with totals (the day's closing list)"
    static let help = """
    Usage: timebank receipt list [--station STATION] [--date YYYY-MM-DD] [--volunteer VOLUNTEER] [--limit N]

    With --date, the day's closing list: the receipts of that day, then the receipts of earlier days
    refunded that day, and the points received that day (receipts − refunds made that day), as
    `report stations` counts them; a receipt refunded on a later day counts on that day. Without
    --date, the points redeemed net of every refund. --json prints the same as one object: the
    receipts, the totals and "cut_at_limit" (true when --limit left older receipts out).

    Example:
      timebank receipt list --station S01 --date 2026-10-08
    """
    static let valueOptions = ["--station", "--date", "--volunteer", "--limit"]
    let station: String?
    let date: LocalDate?
    let volunteer: String?
    let limit: Int

    init(_ arguments: Arguments) throws {
        try arguments.expectPositionals(0...0, "only options")
        station = try arguments.value("--station")
        date = try arguments.date("--date")
        volunteer = try arguments.value("--volunteer")
        limit = try arguments.limit(default: 1000)
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let store = try context.openStore()
        // An id that names nothing is a typo, not an empty list (R019, R006 with a did-you-mean).
        if let station { _ = try store.requireStationForCLI(station) }
        if let volunteer { _ = try store.requireVolunteer(volunteer) }
        // One more than the limit is read, to tell a list cut at --limit from one that holds exactly that many.
        var receipts = try store.receipts(station: station, on: date, volunteer: volunteer, limit: limit + 1)
        let cut = receipts.count > limit
        if cut { receipts.removeFirst(receipts.count - limit) }   // listed oldest first: the extra one is the oldest
        guard let date else {
            let kept = receipts.filter { $0.refund == nil }
            let net = kept.reduce(0) { $0 + $1.points }
            if context.json {
                context.output.line(JSON.object([
                    ("receipts", .array(receipts.map { receiptJSON($0) })), ("count", .integer(receipts.count)),
                    ("refunded", .integer(receipts.count - kept.count)), ("points_net_of_refunds", .amount(net)),
                    ("cut_at_limit", .bool(cut)),
                ]).rendered())
                return ExitCode.done
            }
            let unit = store.pointsUnit(on: context.today)
            context.output.write(Self.table(receipts, unit: unit).rendered())
            if cut { context.output.line(Self.cutNote(limit)) }
            context.output.line("\(Self.counted(receipts.count, "receipt")), \(receipts.count - kept.count) refunded; redeemed (net of refunds): "
                                + "\(Hundredths.format(net)) \(unit)")
            return ExitCode.done
        }
        // A day's closing list counts a refund on the day it was made, as `report stations` does: a refund today of an
        // earlier day's receipt comes off today's total, and this day's receipts refunded on a later day count on that day
        // (so a day's total, once closed, does not change).
        let earlier = try store.receipts(refundedOn: date, station: station, volunteer: volunteer)
        let refundedThatDay = receipts.filter { $0.refund?.refundedOn == date } + earlier
        let refundedLater = receipts.filter { ($0.refund?.refundedOn).map { $0 > date } ?? false }
        let redeemed = receipts.reduce(0) { $0 + $1.points }
        let refunded = refundedThatDay.reduce(0) { $0 + $1.points }
        if context.json {
            context.output.line(JSON.object([
                ("date", .string(date.description)), ("receipts", .array(receipts.map { receiptJSON($0) })),
                ("refunded_that_day_redeemed_earlier", .array(earlier.map { receiptJSON($0) })),
                ("count", .integer(receipts.count)), ("points_redeemed", .amount(redeemed)),
                ("refunds_that_day", .integer(refundedThatDay.count)), ("points_refunded_that_day", .amount(refunded)),
                ("points_received", .amount(redeemed - refunded)),
                ("refunded_later", .array(refundedLater.map { .string("R\($0.number)") })), ("cut_at_limit", .bool(cut)),
            ]).rendered())
            return ExitCode.done
        }
        let unit = store.pointsUnit(on: date)
        context.output.write(Self.table(receipts, unit: unit).rendered())
        if cut { context.output.line(Self.cutNote(limit)) }
        if !earlier.isEmpty {
            context.output.line("")
            context.output.line("Refunded on \(date), redeemed on an earlier day:")
            context.output.write(Self.table(earlier, unit: unit).rendered())
        }
        context.output.line("\(Self.counted(receipts.count, "receipt")) on \(date): \(Hundredths.format(redeemed)) \(unit); "
                            + "\(Self.counted(refundedThatDay.count, "refund")) made that day: \(Hundredths.format(refunded)) \(unit)")
        context.output.line("received on \(date) (receipts − refunds made that day, as `report stations` counts): "
                            + "\(Hundredths.format(redeemed - refunded)) \(unit)")
        if !refundedLater.isEmpty {
            context.output.line("refunded on a later day, and counted on that day: "
                                + refundedLater.compactMap { receipt in receipt.refund.map { "R\(receipt.number) (\($0.refundedOn))" } }.joined(separator: ", "))
        }
        return ExitCode.done
    }

    /// `1 receipt`, `4 receipts`: the closing lines are read aloud at the counter.
    private static func counted(_ count: Int, _ noun: String) -> String {
        "\(count) \(noun)\(count == 1 ? "" : "s")"
    }

    /// A list cut at --limit counts only what it shows: said, or its totals read as the day's (or the station's).
    private static func cutNote(_ limit: Int) -> String {
        "Only the newest \(limit) receipts are listed, and the totals below count only them: give a larger --limit for all."
    }

    /// The receipts, their points in a column named as the policy names them (`unit`).
    private static func table(_ receipts: [Receipt], unit: String) -> TextTable {
        var table = TextTable([("Receipt", .left), ("Date", .left), ("Station", .left), ("Volunteer", .left), ("Item", .left),
                               ("Qty", .right), (unit, .right), ("Operator", .left), ("Refund", .left)])
        for receipt in receipts {
            table.add(["R\(receipt.number)", receipt.redeemedOn.description, receipt.station, "\(receipt.volunteerName) (\(receipt.volunteer))",
                       receipt.itemLabel, String(receipt.quantity), Hundredths.format(receipt.points), receipt.operatorID,
                       receipt.refund.map { "refunded \($0.refundedOn)" } ?? ""])
        }
        return table
    }
}

struct RefundCommand: Command {
    static let name = "refund"
    static let abstract = "Refund a receipt within the return window: points back to their lots, goods back to stock"
    static let help = """
    Usage: timebank refund RECEIPT --reason TEXT [--late] [--date YYYY-MM-DD] [--operator ID]

    RECEIPT is R12, 12 or the redemption key; number:12 is always receipt 12. A text that names two
    receipts (receipt 1, and another redeemed under the key "R1") is refused (R022) with both listed.
    The points go back to the exact lots they came from (so they keep their expiry), goods go back on
    the station's shelf, a service's slot is freed. A receipt is refunded at most once (R012), on the
    day of the redemption or within 7 days after it (R021 before, R013 after), at its own station.
    The same refund sent again (same reason) changes nothing and says so. A booking's number or key
    (B7) is R011, which names the booking's receipt.

    --late: an admin's refund after the return window, as a correction (O003 for operators). It is
    the same refund otherwise: goods that did not come back are then taken off the shelf with
    `timebank stock adjust --reason lost`.

    Examples:
      timebank refund R12 --reason "米袋破损, 退回"
      timebank refund R12 --late --reason "录入错误, 管理员更正" --operator admin
    """
    static let valueOptions = ["--reason", "--date", OperatorSignIn.option]
    static let flagOptions = ["--late"]
    let reference: String
    let arguments: Arguments

    init(_ arguments: Arguments) throws {
        try arguments.expectPositionals(1...1, "the receipt to refund (R12)")
        reference = arguments.positionals[0]
        _ = try arguments.requiredText("--reason")
        _ = try arguments.date("--date")
        self.arguments = arguments
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let store = try context.openStore()
        let session = try OperatorSignIn.session(store, operator: try arguments.value(OperatorSignIn.option), context)
        let receipt = try resolveReceipt(reference, in: store)
        let outcome = try store.refund(receipt: receipt.number, reason: try arguments.requiredText("--reason"), by: session,
                                       on: try arguments.eventDate("--date", today: context.today), late: arguments.flag("--late"))
        let refunded = outcome.receipt
        // Refunded before, with the same reason (by an earlier run, or by another counter at the same moment): a retry,
        // which says so, as a retried redeem or cancel does.
        let retry = !outcome.isNew
        // The reason is compared (another one is refused); the day and the operator are not: another one is said not kept.
        let notKept = try refunded.refund.map {
            RetryNotKept(date: try arguments.date("--date"), stored: $0.refundedOn, operator: session.operatorID, storedOperator: $0.operatorID)
        } ?? RetryNotKept()
        if context.json {
            context.output.line(notKept.addedTo(receiptJSON(refunded, outcome: retry ? "exists" : "created"), retry: retry).rendered())
        } else if let refund = refunded.refund {
            if retry {
                context.output.line("Already refunded (same reason): nothing changed. R\(refunded.number) was refunded on \(refund.refundedOn) "
                                    + "by \(refund.operatorID)\(notKept.notKept.map { " (\($0))" } ?? ""):")
            }
            context.output.line("Refunded R\(refunded.number): \(Hundredths.format(refunded.points)) \(store.pointsUnit(on: refund.refundedOn)) "
                                + "back to \(refunded.paidFrom)"
                                + (refunded.itemKind == .goods ? ", \(refunded.quantity) \(refunded.item) back in stock at \(refunded.station)" : "")
                                + " (entry #\(refund.entry)).")
        }
        return ExitCode.done
    }
}
