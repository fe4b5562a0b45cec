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
    A PIN is 4 to 64 characters; one a guesser tries first is refused (O005): one character repeated
    (1111), a run of digits up or down (1234, 4321), or the operator's own id.
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
            let meant = Self.roleWords[roleText] ?? Spelling.nearest(to: roleText, among: ["admin", "operator", "auditor"])
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
        // Before the new PIN is typed twice: a taken id or an unknown station would throw it away.
        try store.checkNewOperator(newOperator)
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

    /// A new PIN typed twice at the terminal (O002 without a terminal or when nothing is typed, naming
    /// $TIMEBANK_NEW_PIN; O005 when the two differ).
    static func askTwice(for id: String, _ context: CommandContext) throws -> String {
        guard OperatorSignIn.isInteractive(context) else { throw AccessError.newPINNotGiven(operatorID: id) }
        func typed(_ prompt: String) throws -> String {
            do { return try OperatorSignIn.secret("", prompt: prompt, context) } catch AccessError.pinNotGiven {
                throw AccessError.newPINNotGiven(operatorID: id)
            }
        }
        let first = try typed("New PIN for \(id): ")
        let second = try typed("The same PIN again: ")
        guard first == second else { throw AccessError.invalidPIN(reason: "the two PINs typed differ") }
        return first
    }
}

struct OperatorListCommand: Command {
    static let name = "operator list"
    static let abstract = "List operators with their role, station and access (enabled or disabled)"
    static let help = """
    Usage: timebank operator list

    Access: "enabled", or "disabled" with the day, the admin and the reason (`timebank operator
    disable`); a disabled operator's PIN signs in no more.

    Example:
      timebank operator list --json
    """

    init(_ arguments: Arguments) throws { try arguments.expectPositionals(0...0, "no arguments") }

    func run(_ context: CommandContext) throws -> Int32 {
        let store = try context.openStore()
        let operators = try store.operators()
        var accesses: [String: OperatorAccess] = [:]
        for access in try store.operatorAccesses() { accesses[access.operatorID] = access }
        func access(_ id: String) -> OperatorAccess { accesses[id] ?? OperatorAccess(operatorID: id, lastChange: nil) }
        if context.json {
            context.output.line(JSON.array(operators.map {
                .object([("id", .string($0.id)), ("name", .string($0.name)), ("role", .string($0.role.rawValue)), ("station", .optional($0.station))]
                        + OperatorAccessOutput.json(access($0.id)))
            }).rendered())
            return ExitCode.done
        }
        var table = TextTable([("ID", .left), ("Name", .left), ("Role", .left), ("Station", .left), ("Access", .left)])
        for item in operators {
            table.add([item.id, item.name, item.role.rawValue, item.station ?? "", OperatorAccessOutput.status(access(item.id), context)])
        }
        context.output.write(table.rendered())
        let disabled = operators.filter { !access($0.id).isEnabled }.count
        context.output.line(operators.isEmpty ? "No operator yet: create the first admin with `timebank operator add --role admin`."
                                              : "\(operators.count) operators" + (disabled == 0 ? "" : ", \(disabled) disabled"))
        return ExitCode.done
    }
}

struct OperatorPINCommand: Command {
    static let name = "operator pin"
    static let abstract = "Set a new PIN: your own, or (as an admin) another operator's"
    static let help = """
    Usage: timebank operator pin [--for ID] [--operator ID]

    Signs in with the current PIN ($TIMEBANK_PIN or a prompt); the new PIN comes from $TIMEBANK_NEW_PIN
    or is asked for twice, and is refused as `operator add` refuses one (O005: 1111, 1234, 4321, the
    operator's id). Only an admin may set another operator's PIN (--for), also a disabled operator's
    (their access stays withdrawn until `timebank operator enable`).

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
        // Before the new PIN is asked for (twice, at a terminal): who may set it, and whether the operator exists.
        if id != session.operatorID {
            try AccessRules.check(session, .setPIN)
            guard try store.operator(id) != nil else {
                throw AccessError.unknownOperator(id: id, suggestion: Spelling.nearest(to: id, among: try store.operators().map(\.id)))
            }
        }
        let pin = try context.environment["TIMEBANK_NEW_PIN"].flatMap { $0.isEmpty ? nil : $0 } ?? OperatorAddCommand.askTwice(for: id, context)
        try store.changePIN(of: id, to: pin, by: session)
        // A new PIN does not give back withdrawn access (an admin may set one before `operator enable`): say so.
        let enabled = try store.operatorAccess(id)?.isEnabled ?? true
        context.output.line(context.json ? JSON.object([("pin_changed", .string(id)), ("enabled", .bool(enabled))]).rendered()
                            : "New PIN set for \(id)." + (enabled ? "" : " Its access stays withdrawn: `timebank operator enable \(id)` gives it back."))
        return ExitCode.done
    }
}

struct OperatorDisableCommand: Command {
    static let name = "operator disable"
    static let abstract = "Withdraw an operator's access: their PIN signs in no more (an admin)"
    static let help = """
    Usage: timebank operator disable ID --reason TEXT [--operator ADMIN]

    For an operator who left the station or lost their PIN to someone else. From their next command on,
    their right PIN is refused (O013: access withdrawn, ask an admin); a wrong PIN still gets O001, so
    a guess does not learn which ids exist or are disabled. Nothing they did changes: receipts, entries
    and stock history keep naming them. Kept for good with the admin, the time and the reason.
    An admin may not disable themselves (O014), nor the last admin who can sign in (O015). An operator
    disabled already: nothing is written, exit 0 (safe to send again). `timebank operator enable ID`
    gives the access back.

    Example:
      timebank operator disable op-zhang --reason "调离兑换站 2026-11" --operator admin
    """
    static let valueOptions = ["--reason", OperatorSignIn.option]
    let target: String
    let reason: String
    let signer: String?

    init(_ arguments: Arguments) throws {
        try arguments.expectPositionals(1...1, "the id of the operator whose access is withdrawn")
        target = LedgerRules.trimmingSpaces(arguments.positionals[0])
        reason = try arguments.requiredText("--reason")
        signer = try arguments.value(OperatorSignIn.option)
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let store = try context.openStore()
        let session = try OperatorSignIn.session(store, operator: signer, context)
        let outcome = try store.disableOperator(target, reason: reason, by: session)
        try OperatorAccessOutput.report(outcome, of: target, store: store, context)
        return ExitCode.done
    }
}

struct OperatorEnableCommand: Command {
    static let name = "operator enable"
    static let abstract = "Give a disabled operator their access back (an admin)"
    static let help = """
    Usage: timebank operator enable ID [--reason TEXT] [--operator ADMIN]

    The operator signs in again with the PIN they had; to give them a new one (the old one may be
    known to others), an admin runs `timebank operator pin --for ID` as well. An operator who may
    sign in already: nothing is written, exit 0 (safe to send again).

    Example:
      timebank operator enable op-zhang --reason "回到兑换站" --operator admin
    """
    static let valueOptions = ["--reason", OperatorSignIn.option]
    let target: String
    let reason: String
    let signer: String?

    init(_ arguments: Arguments) throws {
        try arguments.expectPositionals(1...1, "the id of the operator whose access is given back")
        target = LedgerRules.trimmingSpaces(arguments.positionals[0])
        reason = try arguments.value("--reason") == nil ? "" : try arguments.requiredText("--reason")
        signer = try arguments.value(OperatorSignIn.option)
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let store = try context.openStore()
        let session = try OperatorSignIn.session(store, operator: signer, context)
        let outcome = try store.enableOperator(target, reason: reason, by: session)
        try OperatorAccessOutput.report(outcome, of: target, store: store, context)
        return ExitCode.done
    }
}

/// How `operator disable`, `operator enable` and `operator list` show an operator's access.
enum OperatorAccessOutput {
    /// `disabled 2026-11-08 by admin: 调离兑换站` (the day in local time), or `enabled`, `enabled again 2026-11-09 by admin`.
    static func status(_ access: OperatorAccess, _ context: CommandContext) -> String {
        guard let change = access.lastChange else { return "enabled" }
        let day = change.recordedAt.date(offsetMinutes: context.utcOffsetMinutes(at: change.recordedAt))
        let said = change.reason.isEmpty ? "" : ": \(change.reason)"
        return (change.kind == .disabled ? "disabled" : "enabled again") + " \(day) by \(change.actor)\(said)"
    }

    static func json(_ access: OperatorAccess) -> [(String, JSON)] {
        [("enabled", .bool(access.isEnabled)),
         ("access_change", access.lastChange.map { change in
             .object([("change", .string(change.kind.rawValue)), ("reason", .string(change.reason)), ("by", .string(change.actor)),
                      ("at", .string(change.recordedAt.description))])
         } ?? .null)]
    }

    static func report(_ outcome: OperatorAccessOutcome, of id: String, store: TimeBankStore, _ context: CommandContext) throws {
        let access: OperatorAccess
        let changed: Bool
        switch outcome {
        case .changed(let change): (access, changed) = (OperatorAccess(operatorID: id, lastChange: change), true)
        case .unchanged(let current): (access, changed) = (current, false)
        }
        if context.json {
            context.output.line(JSON.object([("operator", .string(id)), ("changed", .bool(changed))] + json(access)).rendered())
            return
        }
        let name = try store.operator(id).map { " (\($0.name))" } ?? ""
        let time = access.lastChange.map { Receipt.localTime($0.recordedAt, utcOffsetMinutes: context.utcOffsetMinutes(at: $0.recordedAt)) } ?? ""
        let by = access.lastChange.map { " by \($0.actor)" + ($0.reason.isEmpty ? "" : " (\($0.reason))") } ?? ""
        switch (changed, access.isEnabled) {
        case (true, false):
            context.output.line("Withdrew the access of \(id)\(name): from the next command on, their PIN signs in no more (O013). "
                                + "Receipts and entries keep naming \(id). `timebank operator enable \(id)` gives the access back.")
        case (true, true):
            context.output.line("Gave back the access of \(id)\(name): \(id) signs in again with the PIN they had (an admin sets a new "
                                + "one with `timebank operator pin --for \(id)`).")
        case (false, false):
            context.output.line("The access of \(id)\(name) was withdrawn already, \(time)\(by); nothing was written.")
        case (false, true):
            context.output.line("\(id)\(name) may sign in already"
                                + (access.lastChange == nil ? " (never disabled)" : " (access given back \(time)\(by))") + "; nothing was written.")
        }
    }
}
