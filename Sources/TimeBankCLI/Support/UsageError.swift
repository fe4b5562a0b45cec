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

    /// `offeringEncodingOption`: the command takes `--encoding`, and the help names it first.
    public init(_ error: TextEncodingError, offeringEncodingOption: Bool = false) {
        let error = offeringEncodingOption ? error.offeringEncodingOption : error
        message = "\(error.fileName):\(error.location): \(error.message)\nhelp: \(error.help)"
    }
}

/// A CSV file named at the command line whose quoting is broken (I101–I103: a quote never closed, a quote inside an
/// unquoted field, text after a closing quote), under its own code, with where it is and what to write. Exit 2;
/// nothing was read.
public struct FileCSVError: TimeBankError {
    public let message: String
    public let code: String
    public var category: ErrorCategory { .badInput }

    public init(_ error: CSVError, path: String) {
        code = error.id
        message = "\(path):\(error.location): \(error.message)" + (error.help.map { "\nhelp: \($0)" } ?? "")
    }
}

/// A file refused whole for what it holds as a whole, not for one of its rows, under the refusal's own code, with the
/// file's name before the message as a file refused whole is named (I100, U001): a community file the store refused as
/// it wrote it (C007: a first team import that leaves out five-colour teams stored volunteers are in), a stocktake
/// sheet of its header alone (K010). Nothing was written.
public struct FileRefusedError: TimeBankError {
    public let message: String
    public let code: String
    public let category: ErrorCategory

    public init(_ error: any TimeBankError, path: String) {
        code = error.code
        category = error.category
        message = "\(path): \(error.message)"
    }
}
