import TimeBankCore

/// `--encoding NAME` of the commands that read a data file (the record import, `score`, `whatif` and the community
/// imports): a file saved in another encoding (GB18030 from Excel's "CSV (逗号分隔)" on a Chinese Windows, UTF-16
/// from "Unicode text") is converted to UTF-8 before anything reads it. Nothing is guessed: without the option the
/// file must be UTF-8, and a file that is not is refused (I100) with the option to give.
enum EncodingOption {
    static let name = "--encoding"

    /// The help lines every such command shows.
    static let help = """
    --encoding NAME reads a file saved in another encoding, converting it to UTF-8 first: GB18030
    (also GBK, GB2312, CP936: Excel's "CSV (逗号分隔)" on a Chinese Windows), UTF-16, UTF-16LE,
    UTF-16BE, ISO-8859-1. A byte that is not part of a character in it is refused with its line and
    column (I108), and so is a file that is UTF-8 already (I109). The file itself is not changed.
    """

    /// The encoding named, UTF-8 when the option is not given.
    static func parse(_ arguments: Arguments) throws -> SourceEncoding {
        guard let text = try arguments.value(name) else { return .utf8 }
        guard let encoding = SourceEncoding(named: text) else {
            throw UsageError("--encoding \"\(text)\" is not an encoding the imports read; give one of \(SourceEncoding.acceptedNames)")
        }
        return encoding
    }
}
