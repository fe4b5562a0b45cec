import TimeBankCore

/// One `timebank` command: a type with its name, a one-line abstract, help with an example,
/// the options it takes, parsing in `init` and the work in `run`.
public protocol Command {
    /// The words that select it, e.g. `volunteer add`.
    static var name: String { get }
    static var abstract: String { get }
    /// Usage, options and at least one example.
    static var help: String { get }
    static var valueOptions: [String] { get }
    static var flagOptions: [String] { get }
    /// Whether the command only reads: it then reads everything it prints from one snapshot of the store
    /// (`CommandContext.openStore`), so that a write another process commits meanwhile is in all of it or in none.
    static var readsOnly: Bool { get }

    init(_ arguments: Arguments) throws
    /// Does the work; returns the exit code (0 done, 1 refused, 2 bad input, 3 integrity failure).
    func run(_ context: CommandContext) throws -> Int32
}

extension Command {
    /// None by default: a command that takes options lists them.
    public static var valueOptions: [String] { [] }
    /// None by default: a command that takes flags lists them.
    public static var flagOptions: [String] { [] }
    /// False by default: a command that only reads says so.
    public static var readsOnly: Bool { false }
}

/// The documented exit codes.
public enum ExitCode {
    public static let done: Int32 = 0
    public static let refused: Int32 = 1
    public static let badInput: Int32 = 2
    public static let integrity: Int32 = 3
    public static let system: Int32 = 4

    static func of(_ category: ErrorCategory) -> Int32 {
        switch category {
        case .refused: refused
        case .badInput: badInput
        case .integrity: integrity
        case .system: system
        }
    }
}
