import TimeBankCore
import TimeBankStorage

struct BookCommand: Command {
    static let name = "book"
    static let abstract = "Book a service ahead: hold the points and a slot of the day until it is fulfilled"
    static let help = """
    Usage: timebank book --station STATION --volunteer VOLUNTEER --item SERVICE [--qty N] --key KEY
                         [--for YYYY-MM-DD] [--hold-minutes N] [--date YYYY-MM-DD] [--operator ID]

    The first phase of a two-phase hold: checked like a redemption, on the service day (--for, default
    today), at the price of the policy in force on the day it is booked (--date, default today): the
    booking keeps that price, and fulfilling it pays it even when a later version reprices the service.
    Then the points move into system:held (they cannot be spent twice) and one slot of the
    station's daily capacity is taken. `timebank fulfil B7` completes it, `timebank cancel B7` gives
    the points back to their lots; a hold not fulfilled lapses at the end of the service day (or after
    --hold-minutes, counted from now: for today's bookings; one that would lapse before a later service
    day starts is refused, R027, and one that would outlast the service day, R030) and is released the same way. A paper booking typed in later (--date) must be
    payable on its own day; a service day that has ended is refused (R025): a service already given is
    typed in with `timebank redeem --date DAY`. A KEY that reads as a number (B7, R12, 7) is R023.
    SERVICE is a service of the catalog by id (home_cleaning) or exact label (上门保洁).

    Example:
      timebank book --station S01 --volunteer V0001 --item home_cleaning --for 2026-10-10 --key S01-bk-0001
    """
    static let valueOptions = ["--station", "--volunteer", "--item", "--qty", "--key", "--for", "--hold-minutes", "--date", OperatorSignIn.option]
    let arguments: Arguments

    init(_ arguments: Arguments) throws {
        try arguments.expectPositionals(0...0, "only options")
        for name in ["--station", "--volunteer", "--item"] { _ = try arguments.required(name) }
        _ = try arguments.requiredKey()
        _ = try quantityOption(arguments)
        _ = try arguments.date("--for")
        _ = try arguments.date("--date")
        _ = try Self.holdMinutes(arguments)
        self.arguments = arguments
    }

    static func holdMinutes(_ arguments: Arguments) throws -> Int? {
        guard let text = try arguments.value("--hold-minutes") else { return nil }
        guard let minutes = Arguments.wholeNumber(text), (1...525_600).contains(minutes) else {
            throw UsageError("--hold-minutes must be a whole number of minutes from 1 to 525600 (a year)")
        }
        return minutes
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let store = try context.openStore()
        let session = try OperatorSignIn.session(store, operator: try arguments.value(OperatorSignIn.option), context)
        let expiresAt = try Self.holdMinutes(arguments).map { context.clock.now().adding(minutes: $0) }
        let date = try arguments.eventDate("--date", today: context.today), serviceDate = try arguments.date("--for")
        // A booking lapses at the end of its service day at that day's offset (summer time ahead, or behind).
        let outcome = try store.book(BookingRequest(
            key: try arguments.requiredKey(), station: try arguments.required("--station"),
            volunteer: try arguments.required("--volunteer"), item: try arguments.required("--item"), quantity: try quantityOption(arguments),
            date: date, serviceDate: serviceDate, expiresAt: expiresAt),
            by: session, utcOffsetMinutes: context.utcOffsetMinutes(atEndOf: serviceDate ?? date))
        let hold = outcome.hold
        let retry = !outcome.isNew
        // The booking is found by key, station, volunteer, item, quantity and service day: the day it was booked on
        // (--date) and the operator are not compared, and another one now is said not kept.
        let notKept = RetryNotKept(date: try arguments.date("--date"), stored: hold.bookedOn, operator: session.operatorID,
                                   storedOperator: hold.operatorID)
        if context.json {
            context.output.line(notKept.addedTo(holdJSON(hold, outcome: retry ? "exists" : "created"), retry: retry).rendered())
            return ExitCode.done
        }
        if retry { context.output.line(notKept.answer("Already booked under this key")) }
        context.output.line("Booking B\(hold.number): \(hold.itemLabel) × \(hold.quantity) for \(hold.volunteer) at \(hold.station) on \(hold.serviceDate)")
        // A retry after the booking ended finds it ended: it is no longer held, and neither fulfil nor cancel would work.
        if let ended = Self.ending(of: hold) {
            context.output.line("  " + ended)
            return ExitCode.done
        }
        context.output.line("  \(Hundredths.format(hold.points)) \(store.pointsUnit(on: hold.serviceDate)) held from \(hold.paidFrom) until "
                            + Receipt.localTime(hold.expiresAt, utcOffsetMinutes: context.utcOffsetMinutes(at: hold.expiresAt)))
        context.output.line("  Next: timebank fulfil B\(hold.number)   or   timebank cancel B\(hold.number) --reason TEXT")
        return ExitCode.done
    }

    /// How a booking that is no longer held ended, in one line (nil while it is held).
    static func ending(of hold: Hold) -> String? {
        let when = hold.ending.map { " on \($0.endedOn) by \($0.actor)" } ?? ""
        let again = "a new booking needs a new key"
        switch hold.state {
        case .held:
            return nil
        case .fulfilled:
            let receipt = hold.receipt.map { ": receipt R\($0) (`timebank receipt show R\($0)`)" } ?? ""
            return "Fulfilled\(when)\(receipt); \(again)."
        case .cancelled:
            let reason = hold.ending.map { " (\($0.reason))" } ?? ""
            return "Cancelled\(when)\(reason): its points went back; \(again)."
        case .expired:
            return "Lapsed\(hold.ending.map { " on \($0.endedOn)" } ?? "") without being fulfilled: its points went back; \(again)."
        }
    }
}

struct FulfilCommand: Command {
    static let name = "fulfil"
    static let abstract = "Complete a booking: the held points go to the station and a receipt is printed"
    static let help = """
    Usage: timebank fulfil BOOKING [--date YYYY-MM-DD] [--operator ID]

    BOOKING is B7, 7, number:7 (always the number) or the booking key; a text that names two bookings
    is refused (R022). Fulfilling it again prints the same receipt; a cancelled or expired booking is
    refused (R014), and so is a --date before the day it was booked (R021) or before its service day
    (R028: the receipt would record a service not given yet). It pays the price the booking holds,
    under the policy version that priced it on the day it was booked: the receipt names that version,
    and the fund pays that version's unit_cost.

    Example:
      timebank fulfil B7
    """
    static let valueOptions = ["--date", OperatorSignIn.option]
    let reference: String
    let arguments: Arguments

    init(_ arguments: Arguments) throws {
        try arguments.expectPositionals(1...1, "the booking to fulfil (B7)")
        reference = arguments.positionals[0]
        _ = try arguments.date("--date")
        self.arguments = arguments
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let store = try context.openStore()
        let session = try OperatorSignIn.session(store, operator: try arguments.value(OperatorSignIn.option), context)
        let hold = try resolveHold(reference, in: store)
        let outcome = try store.fulfil(hold: hold.number, by: session, on: try arguments.eventDate("--date", today: context.today))
        // Fulfilled already: the receipt keeps its day and operator; another --date or operator now is said not kept.
        printReceipt(outcome.receipt, outcome: outcome.isNew ? "created" : "exists", store: store, context,
                     notKept: outcome.isNew ? nil : try RedeemCommand.notKept(outcome.receipt, arguments, signedIn: session.operatorID),
                     atCounter: true, retried: "Booking B\(hold.number) was fulfilled already", sameContent: "")
        return ExitCode.done
    }
}

struct CancelCommand: Command {
    static let name = "cancel"
    static let abstract = "Cancel a booking: the held points go back to their lots and the slot is freed"
    static let help = """
    Usage: timebank cancel BOOKING --reason TEXT [--date YYYY-MM-DD] [--operator ID]

    BOOKING is B7, 7, number:7 (always the number) or the booking key; a text that names two bookings
    is refused (R022) with both listed.

    Example:
      timebank cancel B7 --reason "老人住院, 改期"
    """
    static let valueOptions = ["--reason", "--date", OperatorSignIn.option]
    let reference: String
    let arguments: Arguments

    init(_ arguments: Arguments) throws {
        try arguments.expectPositionals(1...1, "the booking to cancel (B7)")
        reference = arguments.positionals[0]
        _ = try arguments.requiredText("--reason")
        _ = try arguments.date("--date")
        self.arguments = arguments
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let store = try context.openStore()
        let session = try OperatorSignIn.session(store, operator: try arguments.value(OperatorSignIn.option), context)
        let before = try resolveHold(reference, in: store)
        let hold = try store.cancel(hold: before.number, reason: try arguments.requiredText("--reason"),
                                    by: session, on: try arguments.eventDate("--date", today: context.today))
        // Cancelling a cancelled booking again (a retry) changes nothing, and says so.
        let again = before.state == .cancelled
        // The cancellation keeps its first reason, day and operator: another one now is said not kept, not dropped unseen.
        var notKept = RetryNotKept()
        if again, let ending = hold.ending {
            notKept.compare("--reason", given: try arguments.requiredText("--reason"), stored: ending.reason, keptAs: "")
            notKept.compareDate(try arguments.date("--date"), stored: ending.endedOn)
            notKept.compareOperator(session.operatorID, stored: ending.actor)
        }
        if context.json {
            context.output.line(notKept.addedTo(holdJSON(hold, outcome: again ? "exists" : "cancelled"), retry: again).rendered())
        } else if again, let ending = hold.ending {
            context.output.line("Booking B\(hold.number) was cancelled already, on \(ending.endedOn) by \(ending.actor) (\(ending.reason)): nothing changed"
                                + (notKept.notKept.map { "; \($0)" } ?? "") + ".")
        } else {
            context.output.line("Booking B\(hold.number) cancelled: \(Hundredths.format(hold.points)) \(store.pointsUnit(on: hold.serviceDate)) back to "
                                + "\(hold.paidFrom), slot of \(hold.serviceDate) freed.")
        }
        return ExitCode.done
    }
}

struct BookingListCommand: Command {
    static let name = "booking list"
    static let readsOnly = true
    static let abstract = "List bookings (of a station; only those still held with --active)"
    static let help = """
    Usage: timebank booking list [--station STATION] [--active] [--limit N]

    A booking still held whose hold has lapsed (its service day is over, or its --hold-minutes) shows as
    "lapsed": its points and slot are released by the next station write or nightly settlement, or at once
    by `timebank booking expire` (--json: "lapsed": true). Listing changes nothing. --json gives each booking's
    policy_version, the version that priced it (as receipt list --json gives each receipt's).

    Example:
      timebank booking list --station S01 --active
    """
    static let valueOptions = ["--station", "--limit"]
    static let flagOptions = ["--active"]
    let station: String?
    let active: Bool
    let limit: Int

    init(_ arguments: Arguments) throws {
        try arguments.expectPositionals(0...0, "only options")
        station = try arguments.value("--station")
        active = arguments.flag("--active")
        limit = try arguments.limit(default: 1000)
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let store = try context.openStore()
        if let station { _ = try store.requireStationForCLI(station) }   // a typo is R019, not an empty list
        let holds = try store.holds(station: station, activeOnly: active, limit: limit)
        // A hold that lapsed is released only by the next write; until then it is shown as lapsed (by the store's clock).
        let now = store.clock.now()
        if context.json {
            context.output.line(JSON.array(holds.map { holdJSON($0, lapsedBy: now) }).rendered())
            return ExitCode.done
        }
        // An empty list says so in words (an empty table reads as a failure to the operator at the counter).
        if holds.isEmpty {
            context.output.line((active ? "No booking is held" : "No bookings") + (station.map { " at \($0)" } ?? "") + ".")
            return ExitCode.done
        }
        var table = TextTable([("Booking", .left), ("State", .left), ("Day", .left), ("Station", .left), ("Volunteer", .left), ("Item", .left),
                               (store.pointsUnit(on: context.today), .right), ("Held until", .left), ("Receipt", .left), ("Why it ended", .left)])
        var lapsed = 0
        for hold in holds {
            let hasLapsed = hold.hasLapsed(at: now)
            if hasLapsed { lapsed += 1 }
            table.add(["B\(hold.number)", hasLapsed ? "lapsed" : hold.state.rawValue, hold.serviceDate.description, hold.station,
                       "\(hold.volunteerName) (\(hold.volunteer))", hold.itemLabel, Hundredths.format(hold.points),
                       hold.state == .held ? Receipt.localTime(hold.expiresAt, utcOffsetMinutes: context.utcOffsetMinutes(at: hold.expiresAt)) : "", hold.receipt.map { "R\($0)" } ?? "",
                       hasLapsed ? "not fulfilled in time; not released yet"
                           : hold.state == .expired ? "not fulfilled in time; released"
                           : hold.state == .cancelled ? truncated(hold.ending?.reason ?? "", toWidth: 30) : ""])
        }
        context.output.write(table.rendered())
        if lapsed > 0 {
            context.output.line("\(lapsed == 1 ? "1 booking has" : "\(lapsed) bookings have") lapsed: the points go back to their lots and the "
                                + "slot is freed at the next station write or nightly settlement (`timebank booking expire` releases them now).")
        }
        return ExitCode.done
    }
}

struct BookingExpireCommand: Command {
    static let name = "booking expire"
    static let abstract = "Release every booking whose hold has lapsed (points back to their lots, slots freed)"
    static let help = """
    Usage: timebank booking expire [--operator ID]

    Every station write does this first; run it to release lapsed holds at once (e.g. at closing time).

    Example:
      timebank booking expire
    """
    static let valueOptions = [OperatorSignIn.option]
    let signer: String?

    init(_ arguments: Arguments) throws {
        try arguments.expectPositionals(0...0, "only options")
        signer = try arguments.value(OperatorSignIn.option)
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let store = try context.openStore()
        let session = try OperatorSignIn.session(store, operator: signer, context)
        try AccessRules.check(session, .expireBookings)
        let expired = try store.expireHolds()
        if context.json {
            context.output.line(JSON.array(expired.map { holdJSON($0) }).rendered())
        } else {
            context.output.line(expired.isEmpty ? "No lapsed bookings." : "Released \(expired.count) lapsed bookings: "
                                + expired.map { "B\($0.number)" }.joined(separator: ", "))
        }
        return ExitCode.done
    }
}
