import TimeBankCore

/// Wrong usage or unreadable input at the command line: exit 2.
public struct UsageError: TimeBankError {
    public let message: String
    public var code: String { "U001" }
    public var category: ErrorCategory { .badInput }

    public init(_ message: String) { self.message = message }
}

/// A file named at the command line that is not UTF-8 (I100): where the first bad byte is, what the file
/// probably is, and the `iconv` command that converts it. Exit 2; nothing was read.
public struct FileEncodingError: TimeBankError {
    public let message: String
    public var code: String { TextEncodingError.id }
    public var category: ErrorCategory { .badInput }

    public init(_ error: TextEncodingError) {
        message = "\(error.fileName):\(error.location): \(error.message)\nhelp: \(error.help)"
    }
}
