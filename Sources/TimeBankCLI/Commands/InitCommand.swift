import TimeBankCore
import TimeBankStorage

struct InitCommand: Command {
    static let name = "init"
    static let abstract = "Create a new database (or check an existing one) with its system accounts"
    static let help = """
    Usage: timebank init [--db PATH]

    Creates the SQLite database file, applies the schema and opens the system accounts
    (system:issuance, system:expired, system:adjustments, system:outside, fund:main).
    Running it on an existing database changes nothing and says so.

    Example:
      timebank init --db community.sqlite
    """

    init(_ arguments: Arguments) throws {
        try arguments.expectPositionals(0...0, "no arguments")
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let existed = context.databasePath != ":memory:" && FileSystem.exists(context.databasePath)
        let store = try TimeBankStore(path: context.databasePath, clock: context.clock)
        let head = try store.head()
        if context.json {
            context.output.line(JSON.object([
                ("database", .string(context.databasePath)), ("created", .bool(!existed)), ("entries", .integer(head.count)),
            ]).rendered())
        } else if existed {
            context.output.line("\(context.databasePath) exists already: schema up to date, \(head.count) entries. Nothing changed.")
        } else {
            context.output.line("Created \(context.databasePath) with the system accounts. Next: add households and volunteers (timebank household add --help).")
        }
        return ExitCode.done
    }
}
