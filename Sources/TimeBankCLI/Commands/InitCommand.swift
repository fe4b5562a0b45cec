import TimeBankCore
import TimeBankStorage

struct InitCommand: Command {
    static let name = "init"
    static let abstract = "Create a new database (or check an existing one) with its system accounts and first admin"
    static let help = """
    Usage: timebank init [--db PATH] [--admin ID] [--admin-name NAME]

    Creates the SQLite database file, applies the schema and opens the system accounts
    (system:issuance, system:expired, system:adjustments, system:outside, fund:main).
    While the database has no operator, it also creates the first admin (id `admin` unless --admin
    says otherwise) with the PIN from $TIMEBANK_PIN, or asks for it twice at the terminal. Without
    either (a script, a pipe) no admin is made: create one later with `timebank operator add --role admin`.
    Until the first admin exists, the community and ledger commands work without signing in; after,
    they need an admin's PIN and station work needs an operator's.
    Running it on an existing database changes nothing else and says so.

    Example:
      TIMEBANK_PIN=****** timebank init --db community.sqlite
    """
    static let valueOptions = ["--admin", "--admin-name"]
    let adminID: String
    let adminName: String

    init(_ arguments: Arguments) throws {
        try arguments.expectPositionals(0...0, "no arguments")
        adminID = try arguments.value("--admin") ?? "admin"
        adminName = try arguments.value("--admin-name") ?? "管理员"
    }

    func run(_ context: CommandContext) throws -> Int32 {
        var typedPIN: String?
        var existed = context.databasePath != ":memory:" && FileSystem.exists(context.databasePath)
        if existed {
            // An empty file is made into a new store; another program's database is left alone.
            switch try StoreFileContents.of(context.databasePath) {
            case .store: break
            case .empty: existed = false
            case .foreign: throw CommandContext.foreignDatabase(context.databasePath)
            }
        }
        if !existed {
            // A first admin that would be refused (a bad --admin id or name, an unusable $TIMEBANK_PIN) is refused before
            // the file is created, so that a failed init leaves nothing behind to be mistaken for a store.
            try Operator(id: adminID, name: adminName, role: .admin, station: nil).validate()
            // SQLite says only "unable to open database file" (S14) for a folder that is not there.
            if context.databasePath != ":memory:", let slash = context.databasePath.lastIndex(of: "/"),
               case let folder = String(context.databasePath[..<slash]), !folder.isEmpty, !FileSystem.exists(folder) {
                throw UsageError("cannot create \(context.databasePath): the folder \(folder) does not exist; create it first "
                    + "(mkdir -p \(folder)) or give another --db")
            }
            // At a terminal the PIN is asked for before the file is made, so that a mistyped PIN leaves nothing behind.
            typedPIN = try firstAdminPIN(context)
            if let typedPIN, let problem = PINCredential.validatePIN(typedPIN) ?? PINCredential.guessablePINProblem(typedPIN, operatorID: adminID) {
                throw AccessError.invalidPIN(reason: problem)
            }
        }
        let store = try TimeBankStore(path: context.databasePath, clock: context.clock)
        let head = try store.head()
        let admin = try createFirstAdmin(store, context, typedPIN: typedPIN)
        let operators = try store.operatorCount()
        if context.json {
            context.output.line(JSON.object([
                ("database", .string(context.databasePath)), ("created", .bool(!existed)), ("entries", .integer(head.count)),
                ("admin_created", .optional(admin)), ("operators", .integer(operators)),
            ]).rendered())
            return ExitCode.done
        }
        if existed {
            context.output.line("\(context.databasePath) exists already: schema up to date, \(head.count) entries. Nothing changed.")
        } else {
            context.output.line("Created \(context.databasePath) with the system accounts.")
        }
        if let admin {
            context.output.line("Created the first admin \"\(admin)\"; its PIN is stored only as a salted PBKDF2 hash. From now on, changes need an admin's PIN.")
        } else if operators == 0 {
            context.output.line("No operator yet (no $TIMEBANK_PIN and no terminal to ask on). Create the first admin with:")
            context.output.line("  TIMEBANK_PIN=... timebank operator add --id admin --name 管理员 --role admin")
        }
        if !existed { context.output.write(Self.nextSteps(admin: admin)) }
        return ExitCode.done
    }

    /// What a new community does after `init`, in the order it needs it: without a policy nothing can be scored (the nightly
    /// settlement refuses, N004) and no catalog item received or redeemed, so the policy comes before the stations' work.
    static func nextSteps(admin: String?) -> String {
        var lines = ["Next (docs/stations.md, \"Setting up\"; `timebank help COMMAND` for each):"]
        if let admin { lines.append("  export TIMEBANK_OPERATOR=\(admin) TIMEBANK_PIN=******    # sign the commands below as the admin") }
        lines += [
            "  timebank policy check policy.toml        # the points policy: a copy of config/policy.toml, edited for the community",
            "  timebank policy activate policy.toml     # needed before records are scored and goods received or redeemed",
            "  timebank team import teams.csv           # then household, volunteer and station import (or add, one at a time)",
            "  timebank operator add --id ID --name NAME --role operator --station STATION",
            "  timebank settle                          # every night: scripts/nightly-settlement from cron (docs/operations.md)",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// The first admin, when the database has no operator and a PIN is at hand; nil otherwise.
    private func createFirstAdmin(_ store: TimeBankStore, _ context: CommandContext, typedPIN: String?) throws -> String? {
        guard try store.operatorCount() == 0, let pin = try typedPIN ?? firstAdminPIN(context) else { return nil }
        try store.addOperator(Operator(id: adminID, name: adminName, role: .admin, station: nil), pin: pin, by: nil)
        return adminID
    }

    /// The first admin's PIN: `$TIMEBANK_PIN`, else asked for twice at a terminal; nil when neither is at hand.
    private func firstAdminPIN(_ context: CommandContext) throws -> String? {
        if let pin = Self.environmentPIN(context) { return pin }
        return OperatorSignIn.isInteractive(context) ? try OperatorAddCommand.askTwice(for: adminID, context) : nil
    }

    /// `$TIMEBANK_PIN`, when set and not empty.
    private static func environmentPIN(_ context: CommandContext) -> String? {
        context.environment["TIMEBANK_PIN"].flatMap { $0.isEmpty ? nil : $0 }
    }
}
