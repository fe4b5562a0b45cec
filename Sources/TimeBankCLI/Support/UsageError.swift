import TimeBankCore

/// Wrong usage or unreadable input at the command line: exit 2.
public struct UsageError: TimeBankError {
    public let message: String
    public var code: String { "U001" }
    public var category: ErrorCategory { .badInput }

    public init(_ message: String) { self.message = message }
}
