#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TimeBankCore
import TimeBankStorage

/// How commands learn who is acting: the operator id from `--operator` or `$TIMEBANK_OPERATOR`, and the PIN
/// from `$TIMEBANK_PIN` or a prompt on the terminal (never from the command line, where `ps` and the shell
/// history would show it).
enum OperatorSignIn {
    /// The option every write command takes.
    static let option = "--operator"

    /// Signs in the operator named by `--operator` (else `$TIMEBANK_OPERATOR`) with the PIN from
    /// `$TIMEBANK_PIN` or a prompt. O007 when the database has no operator yet, O009 when none is named,
    /// O002 when there is no PIN and no terminal, O001 when the id or PIN is wrong.
    static func session(_ store: TimeBankStore, operator given: String?, _ context: CommandContext) throws -> OperatorSession {
        if try store.operatorCount() == 0 { throw AccessError.noOperators }
        let id = try operatorID(given, context)
        let pin = try secret("TIMEBANK_PIN", prompt: "PIN for \(id): ", context)
        return try store.signIn(operatorID: id, pin: pin)
    }

    static func operatorID(_ given: String?, _ context: CommandContext) throws -> String {
        // Spaces around an id (`export TIMEBANK_OPERATOR="op-zhang "`, a copied line) are not part of it: ids have none.
        if let given = given.map(LedgerRules.trimmingSpaces), !given.isEmpty { return given }
        if let named = context.environment["TIMEBANK_OPERATOR"].map(LedgerRules.trimmingSpaces), !named.isEmpty { return named }
        throw AccessError.operatorNotNamed
    }

    /// A secret from an environment variable, else typed at the terminal without echo. O002 when neither is possible.
    static func secret(_ variable: String, prompt: String, _ context: CommandContext) throws -> String {
        if let value = context.environment[variable], !value.isEmpty { return value }
        guard isInteractive(context), let typed = readWithoutEcho(prompt: prompt), !typed.isEmpty else { throw AccessError.pinNotGiven }
        return typed
    }

    /// Whether the command runs in a terminal (not in a test, a pipe or a cron job): only then is a prompt shown.
    static func isInteractive(_ context: CommandContext) -> Bool {
        (context.errors as? StandardStream)?.isTerminal == true && isatty(0) != 0
    }

    /// Reads one line from the controlling terminal with echo off.
    static func readWithoutEcho(prompt: String) -> String? {
        let terminal = open("/dev/tty", O_RDWR)
        guard terminal >= 0 else { return nil }
        defer { close(terminal) }
        _ = prompt.withCString { write(terminal, $0, strlen($0)) }
        var saved = termios()
        let canHideEcho = tcgetattr(terminal, &saved) == 0
        if canHideEcho {
            var silent = saved
            silent.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(terminal, TCSAFLUSH, &silent)
        }
        defer {
            if canHideEcho { tcsetattr(terminal, TCSAFLUSH, &saved) }
            _ = "\n".withCString { write(terminal, $0, 1) }
        }
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while read(terminal, &byte, 1) == 1, byte != UInt8(ascii: "\n"), bytes.count < 1024 {
            if byte != UInt8(ascii: "\r") { bytes.append(byte) }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Wraps a command that changes the community, the ledger by hand or the policy so that, once the database
/// has operators, it needs an admin's sign-in; the admin's id is then recorded as the actor. While a
/// database has no operator (before the first admin is created) the command works as before, with the
/// actor from `$TIMEBANK_ACTOR`.
struct AdminOnly<Wrapped: Command>: Command {
    static var name: String { Wrapped.name }
    static var abstract: String { Wrapped.abstract }
    static var help: String {
        Wrapped.help + "\n\nOnce the database has operators this needs an admin: --operator ID (or $TIMEBANK_OPERATOR) and the\n"
            + "PIN from $TIMEBANK_PIN or a prompt. The admin is recorded as the actor."
    }
    static var valueOptions: [String] { Wrapped.valueOptions + [OperatorSignIn.option] }
    static var flagOptions: [String] { Wrapped.flagOptions }

    let wrapped: Wrapped
    let operatorID: String?

    init(_ arguments: Arguments) throws {
        operatorID = try arguments.value(OperatorSignIn.option)
        wrapped = try Wrapped(arguments)
    }

    func run(_ context: CommandContext) throws -> Int32 {
        guard context.databasePath == ":memory:" || FileSystem.exists(context.databasePath) else { return try wrapped.run(context) }
        let store = try context.openStore()
        guard try store.operatorCount() > 0 else { return try wrapped.run(context) }
        let session = try OperatorSignIn.session(store, operator: operatorID, context)
        try AccessRules.check(session, .administer, doing: AdminGate.inWords[Wrapped.name])
        var environment = context.environment
        environment["TIMEBANK_ACTOR"] = session.operatorID
        let signed = CommandContext(output: context.output, errors: context.errors, environment: environment, clock: context.clock)
        signed.databasePath = context.databasePath
        signed.databasePathGiven = context.databasePathGiven
        signed.json = context.json
        signed.adminSession = session
        return try wrapped.run(signed)
    }
}

/// The receipt a person names: `R12`, `12`, `number:12`, or the key it was redeemed with (R022 when the text names two).
func resolveReceipt(_ reference: String, in store: TimeBankStore) throws -> Receipt {
    try store.receipt(named: reference)
}

/// The booking a person names: `B7`, `7`, `number:7`, or the key it was booked with (R022 when the text names two).
func resolveHold(_ reference: String, in store: TimeBankStore) throws -> Hold {
    try store.hold(named: reference)
}

/// A quantity option: a whole number, 1 by default.
func quantityOption(_ arguments: Arguments, _ name: String = "--qty", default fallback: Int? = 1) throws -> Int {
    guard let typed = try arguments.value(name) else {
        guard let fallback else { throw UsageError("missing \(name) (see --help)") }
        return fallback
    }
    // Full-width digits (`３`, as a Chinese input method types them) and stray spaces are read as a person reads them.
    let text = StationReference.readingForm(typed)
    guard let quantity = Int(text) else {
        // Digits that do not fit a 64-bit number are a whole number all the same: say what is wrong with it.
        let digits = text.hasPrefix("-") || text.hasPrefix("+") ? text.dropFirst() : Substring(text)
        if !digits.isEmpty, digits.utf8.allSatisfy({ (48...57).contains($0) }) {
            throw UsageError("\(name) \"\(text)\" is far too large for a quantity (a station moves at most "
                             + "\(StockError.quantityMaximum) at once, a redemption at most \(RedemptionRules.quantityMaximum))")
        }
        throw UsageError("\(name) \"\(text)\" is not a whole number")
    }
    return quantity
}

func receiptJSON(_ receipt: Receipt, outcome: String? = nil) -> JSON {
    var members: [(String, JSON)] = []
    if let outcome { members.append(("outcome", .string(outcome))) }
    members += [
        ("receipt", .string("R\(receipt.number)")), ("number", .integer(receipt.number)), ("key", .string(receipt.key)),
        ("station", .string(receipt.station)), ("station_name", .string(receipt.stationName)),
        ("volunteer", .string(receipt.volunteer)), ("volunteer_name", .string(receipt.volunteerName)),
        ("paid_from", .string(receipt.paidFrom.description)), ("item", .string(receipt.item)), ("item_label", .string(receipt.itemLabel)),
        ("kind", .string(receipt.itemKind.rawValue)), ("quantity", .integer(receipt.quantity)),
        ("unit_price", .amount(receipt.unitPrice)), ("points", .amount(receipt.points)), ("balance_after", .amount(receipt.balanceAfter)),
        ("balance_when_entered", .amount(receipt.balanceWhenEntered)),
        ("operator", .string(receipt.operatorID)), ("operator_name", .string(receipt.operatorName)),
        ("date", .string(receipt.redeemedOn.description)), ("service_date", .optional(receipt.serviceDate?.description)),
        ("recorded_at", .string(receipt.recordedAt.description)), ("entry", .integer(receipt.entry)),
        ("booking", receipt.hold.map { .string("B\($0)") } ?? .null), ("policy_version", .integer(receipt.policyVersion)),
        ("refund", receipt.refund.map { refund in
            .object([("reason", .string(refund.reason)), ("operator", .string(refund.operatorID)), ("date", .string(refund.refundedOn.description)),
                     ("entry", .integer(refund.entry)), ("booking_entry", refund.holdEntry.map { .integer($0) } ?? .null)])
        } ?? .null),
    ]
    return .object(members)
}

/// A booking as JSON; with `lapsedBy`, also whether a hold still held has lapsed by then (`"lapsed"`: released by the
/// next station write or settlement).
func holdJSON(_ hold: Hold, outcome: String? = nil, lapsedBy now: Timestamp? = nil) -> JSON {
    var members: [(String, JSON)] = []
    if let outcome { members.append(("outcome", .string(outcome))) }
    members += [
        ("booking", .string("B\(hold.number)")), ("number", .integer(hold.number)), ("key", .string(hold.key)), ("state", .string(hold.state.rawValue)),
    ]
    if let now { members.append(("lapsed", .bool(hold.hasLapsed(at: now)))) }
    members += [
        ("station", .string(hold.station)), ("volunteer", .string(hold.volunteer)),
        ("volunteer_name", .string(hold.volunteerName)), ("paid_from", .string(hold.paidFrom.description)),
        ("item", .string(hold.item)), ("item_label", .string(hold.itemLabel)), ("quantity", .integer(hold.quantity)),
        ("points", .amount(hold.points)), ("service_date", .string(hold.serviceDate.description)),
        ("expires_at", .string(hold.expiresAt.description)), ("operator", .string(hold.operatorID)),
        ("booked_on", .string(hold.bookedOn.description)), ("entry", .integer(hold.entry)),
        ("receipt", hold.receipt.map { .string("R\($0)") } ?? .null), ("policy_version", .integer(hold.policyVersion)),
        ("ended_on", .optional(hold.ending?.endedOn.description)), ("ended_by", .optional(hold.ending?.actor)),
        ("end_reason", .optional(hold.ending?.reason)),
    ]
    return .object(members)
}

/// Puts the community, ledger and policy write commands behind an admin's sign-in (see `AdminOnly`).
enum AdminGate {
    /// The commands that change stations, the community, the ledger by hand or the policy: those `inWords` names.
    static let adminCommandNames = Set(inWords.keys)

    /// Each admin command, with what it does in the words of O003 (`op-li is an operator and may not activate a policy`).
    static let inWords: [String: String] = [
        "household add": "add a household", "household import": "import households", "household update": "update a household",
        "volunteer add": "add a volunteer", "volunteer import": "import volunteers", "volunteer update": "update a volunteer",
        "station add": "add a station", "station import": "import stations", "station update": "update a station",
        "team add": "add a team", "team import": "import teams", "team update": "update a team",
        "post": "post an entry to the ledger by hand", "reverse": "reverse a ledger entry", "policy activate": "activate a policy",
        "record import": "import service records", "record approve": "approve service records",
        "record reject": "reject service records", "fund contribute": "record a contribution to the fund",
        "fund donate": "record a donation to the fund", "dividend": "pay a dividend",
    ]

    /// `commands` with each admin command wrapped in `AdminOnly`, in the same order.
    static func guarding(_ commands: [any Command.Type]) -> [any Command.Type] {
        commands.map { adminCommandNames.contains($0.name) ? wrap($0) : $0 }
    }

    private static func wrap<Wrapped: Command>(_ command: Wrapped.Type) -> any Command.Type {
        AdminOnly<Wrapped>.self
    }
}
