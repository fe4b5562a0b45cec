/// What kind of failure an error is; the CLI maps it to its documented exit code.
public enum ErrorCategory: Sendable, Hashable {
    /// A rule refused the request (below floor, already reversed, ...): exit 1.
    case refused
    /// The input or usage was wrong (unknown id, malformed amount, ...): exit 2.
    case badInput
    /// Stored data does not add up (broken chain, balance mismatch): exit 3.
    case integrity
    /// The storage or the system failed (disk, locked database): exit 4.
    case system
}

/// An error with a stable code (documented in `docs/errors.md`) and a message for people.
public protocol TimeBankError: Error, CustomStringConvertible, Sendable {
    /// A stable code such as `L004`. Codes are never reused for another meaning.
    var code: String { get }
    var category: ErrorCategory { get }
    /// What went wrong and, where we can tell, what would make it work.
    var message: String { get }
}

extension TimeBankError {
    public var description: String { "error[\(code)]: \(message)" }
}
