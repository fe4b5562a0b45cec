import TimeBankCore
import TimeBankStorage

struct OperatorAddCommand: Command {
    static let name = "operator add"
    static let abstract = "Add an operator (admin, operator at one station, or auditor) with a PIN"
    static let help = """
    Usage: timebank operator add --id ID --name NAME --role admin|operator|auditor [--station STATION]
                                 [--operator ADMIN]

    Roles: an admin may do everything at every station; an operator redeems, books, refunds, transfers
    and keeps stock at their own --station only; an auditor may only read. Only an operator has a
    --station (O008 for an admin or auditor given one).
    The new operator's PIN comes from $TIMEBANK_NEW_PIN, else it is asked for twice at the terminal;
    it is stored only as PBKDF2-HMAC-SHA256 with a salt of its own, never on the command line.
    An admin signs in to add operators (--operator or $TIMEBANK_OPERATOR, PIN from $TIMEBANK_PIN).
    The first operator of a database must be an admin and needs no sign-in; its PIN may also come
    from $TIMEBANK_PIN (this is what `timebank init` does).

    Examples:
      TIMEBANK_PIN=****** timebank operator add --id admin --name 管理员 --role admin
      timebank operator add --id op-zhang --name 张敏 --role operator --station S01 --operator admin
    """
    static let valueOptions = ["--id", "--name", "--role", "--station", OperatorSignIn.option]
    let newOperator: Operator
    let signer: String?

    /// The roles as an admin names them in Chinese.
    static let roleWords = [
        "管理员": "admin", "管理員": "admin", "管理": "admin", "操作员": "operator", "操作員": "operator", "兑换员": "operator",
        "兌換員": "operator", "站长": "operator", "站長": "operator", "审计": "auditor", "審計": "auditor", "审计员": "auditor",
        "審計員": "auditor",
    ]

    init(_ arguments: Arguments) throws {
        try arguments.expectPositionals(0...0, "only options")
        let roleText = try arguments.required("--role")
        guard let role = OperatorRole(rawValue: roleText) else {
            let meant = Self.roleWords[roleText] ?? Suggestions.nearest(to: roleText, in: ["admin", "operator", "auditor"])
            throw AccessError.invalidOperator(field: "role", reason: "\"\(roleText)\" is not admin, operator or auditor"
                + (meant.map { "; did you mean --role \($0)?" } ?? ""))
        }
        newOperator = Operator(id: try arguments.required("--id"), name: try arguments.required("--name"), role: role,
                               station: try arguments.value("--station"))
        signer = try arguments.value(OperatorSignIn.option)
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let store = try context.openStore()
        try newOperator.validate()
        var session: OperatorSession?
        if try store.operatorCount() > 0 {
            let signedIn = try OperatorSignIn.session(store, operator: signer, context)
            try AccessRules.check(signedIn, .manageOperators)
            session = signedIn
        }
        // The first admin has nobody to sign in as, so its PIN may also come from $TIMEBANK_PIN.
        let variables = session == nil ? ["TIMEBANK_NEW_PIN", "TIMEBANK_PIN"] : ["TIMEBANK_NEW_PIN"]
        let pin = try variables.lazy.compactMap { context.environment[$0] }.first { !$0.isEmpty }
            ?? Self.askTwice(for: newOperator.id, context)
        try store.addOperator(newOperator, pin: pin, by: session)
        if context.json {
            context.output.line(JSON.object([("added", .string(newOperator.id)), ("role", .string(newOperator.role.rawValue)),
                                             ("station", .optional(newOperator.station))]).rendered())
        } else {
            context.output.line("Added \(newOperator.role.rawValue) \(newOperator.id) (\(newOperator.name))"
                                + (newOperator.station.map { " at station \($0)" } ?? "") + ". The PIN is stored only as a salted PBKDF2 hash.")
        }
        return ExitCode.done
    }

    /// A new PIN typed twice at the terminal (O002 without a terminal, O005 when the two differ).
    static func askTwice(for id: String, _ context: CommandContext) throws -> String {
        guard OperatorSignIn.isInteractive(context) else { throw AccessError.pinNotGiven }
        let first = try OperatorSignIn.secret("", prompt: "New PIN for \(id): ", context)
        let second = try OperatorSignIn.secret("", prompt: "The same PIN again: ", context)
        guard first == second else { throw AccessError.invalidPIN(reason: "the two PINs typed differ") }
        return first
    }
}

struct OperatorListCommand: Command {
    static let name = "operator list"
    static let abstract = "List operators with their role and station"
    static let help = """
    Usage: timebank operator list

    Example:
      timebank operator list --json
    """

    init(_ arguments: Arguments) throws { try arguments.expectPositionals(0...0, "no arguments") }

    func run(_ context: CommandContext) throws -> Int32 {
        let operators = try context.openStore().operators()
        if context.json {
            context.output.line(JSON.array(operators.map {
                .object([("id", .string($0.id)), ("name", .string($0.name)), ("role", .string($0.role.rawValue)), ("station", .optional($0.station))])
            }).rendered())
            return ExitCode.done
        }
        var table = TextTable([("ID", .left), ("Name", .left), ("Role", .left), ("Station", .left)])
        for item in operators { table.add([item.id, item.name, item.role.rawValue, item.station ?? ""]) }
        context.output.write(table.rendered())
        context.output.line(operators.isEmpty ? "No operator yet: create the first admin with `timebank operator add --role admin`."
                                              : "\(operators.count) operators")
        return ExitCode.done
    }
}

struct OperatorPINCommand: Command {
    static let name = "operator pin"
    static let abstract = "Set a new PIN: your own, or (as an admin) another operator's"
    static let help = """
    Usage: timebank operator pin [--for ID] [--operator ID]

    Signs in with the current PIN ($TIMEBANK_PIN or a prompt); the new PIN comes from $TIMEBANK_NEW_PIN
    or is asked for twice. Only an admin may set another operator's PIN (--for).

    Example:
      timebank operator pin --operator op-zhang
    """
    static let valueOptions = ["--for", OperatorSignIn.option]
    let target: String?
    let signer: String?

    init(_ arguments: Arguments) throws {
        try arguments.expectPositionals(0...0, "only options")
        target = try arguments.value("--for")
        signer = try arguments.value(OperatorSignIn.option)
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let store = try context.openStore()
        let session = try OperatorSignIn.session(store, operator: signer, context)
        let id = target ?? session.operatorID
        let pin = try context.environment["TIMEBANK_NEW_PIN"].flatMap { $0.isEmpty ? nil : $0 } ?? OperatorAddCommand.askTwice(for: id, context)
        try store.changePIN(of: id, to: pin, by: session)
        context.output.line(context.json ? JSON.object([("pin_changed", .string(id))]).rendered() : "New PIN set for \(id).")
        return ExitCode.done
    }
}
