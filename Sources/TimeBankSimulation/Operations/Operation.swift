import TimeBankCore
import TimeBankStorage

/// What an operation did: the engine's answer, or the model's prediction of it.
public enum Outcome: Hashable, Sendable, CustomStringConvertible {
    /// It wrote something; the detail names what (entry, receipt, booking numbers).
    case done(String)
    /// It was a retry of something done before and wrote nothing; the detail names the original.
    case exists(String)
    /// It was refused with this error code and wrote nothing.
    case refused(String)

    public var description: String {
        switch self {
        case .done(let detail): "done \(detail)"
        case .exists(let detail): "exists \(detail)"
        case .refused(let code): "refused \(code)"
        }
    }

    /// What a write that reports whether it was new came to: `.done` when it wrote, `.exists` when it found its
    /// earlier self.
    static func written(_ detail: String, isNew: Bool) -> Outcome { isNew ? .done(detail) : .exists(detail) }

    /// The class counted in the report: done, exists, or the refusal's code.
    var countKey: String {
        switch self {
        case .done: "done"
        case .exists: "exists"
        case .refused(let code): code
        }
    }
}

/// What to compare after an operation: the accounts and shelves it may have touched.
struct Focus {
    var accounts: [AccountID] = []
    var shelves: [StockKey] = []
}

/// One simulated operation, applied to the engine and to the model alike.
protocol SimulatedOperation: CustomStringConvertible {
    /// The name counts are kept under, such as `redeem` or `redeem.retry` (set by the generator for a write sent again).
    var name: String { get set }
    /// Whether it is a write (faults are armed only for writes).
    var writes: Bool { get }
    /// Whether it commits in several steps that a retry resumes (a settlement), rather than all or nothing.
    var resumable: Bool { get }
    /// What to compare after it.
    func focus(_ model: SimModel) -> Focus
    /// Runs it on the engine; throws the engine's error.
    func runEngine(_ engine: EngineDriver) throws -> Outcome
    /// Runs it on the model; throws the predicted refusal.
    func runModel(_ model: SimModel) throws(ModelRefusal) -> Outcome
    /// Differences in what the engine wrote beyond the focus, read once the step's outcomes agreed (outside any armed
    /// fault): none by default.
    func writtenProblems(_ engine: EngineDriver, model: SimModel, outcome: Outcome) throws -> [String]
}

extension SimulatedOperation {
    var writes: Bool { true }
    var resumable: Bool { false }
    func writtenProblems(_ engine: EngineDriver, model: SimModel, outcome: Outcome) throws -> [String] { [] }
}

extension StationResult {
    /// The outcome of a station write: `prefix` + number, and the entry when it wrote one.
    func outcome(_ prefix: String) -> Outcome {
        .written(prefix + String(number) + (entry.map { " #\($0)" } ?? ""), isNew: isNew)
    }
}

/// An operator as the simulation refers to them: by id, resolved to the signed-in session on each side.
struct SessionRef: CustomStringConvertible {
    var id: String
    var description: String { id }

    func model(_ model: SimModel) -> ModelOperator { model.operators[id]! }
    func engine(_ engine: EngineDriver) -> OperatorSession { engine.session(id) }
}
