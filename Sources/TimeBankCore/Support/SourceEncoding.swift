/// The encoding an imported file is read in, named with `--encoding`: anything but UTF-8 is converted to UTF-8 before
/// a row is read. Chinese spreadsheet software (Excel's "CSV (逗号分隔)", WPS) saves GB18030/GBK by default.
///
///     SourceEncoding(named: "gbk")      // .gb18030 (GBK and GB2312 are subsets of GB18030)
///     SourceEncoding(named: "utf8")     // .utf8
///     SourceEncoding(named: "big5")     // nil: not one the imports read
public enum SourceEncoding: String, Hashable, Sendable, CaseIterable {
    case utf8 = "UTF-8"
    /// GB18030, which contains GBK (code page 936) and GB2312: one conversion reads all three.
    case gb18030 = "GB18030"
    /// UTF-16 with a byte order mark (without one, big-endian).
    case utf16 = "UTF-16"
    case utf16LittleEndian = "UTF-16LE"
    case utf16BigEndian = "UTF-16BE"
    /// ISO-8859-1: every byte is a character, so a wrong choice is never refused, only misread.
    case latin1 = "ISO-8859-1"

    /// The encoding a user's name means, ignoring case, hyphens and underscores: `UTF-8`, `utf8`, `GB18030`, `GBK`,
    /// `GB2312`, `CP936`, `UTF-16`, `UTF-16LE`, `UTF-16BE`, `ISO-8859-1`, `Latin-1`; nil for any other.
    public init?(named name: String) {
        let folded = String(name.lowercased().filter { $0 != "-" && $0 != "_" && $0 != " " })
        switch folded {
        case "utf8": self = .utf8
        case "gb18030", "gbk", "gb2312", "cp936", "936", "euccn": self = .gb18030
        case "utf16": self = .utf16
        case "utf16le": self = .utf16LittleEndian
        case "utf16be": self = .utf16BigEndian
        case "iso88591", "latin1", "l1": self = .latin1
        default: return nil
        }
    }

    /// The name `iconv` takes, which is also how the messages name it.
    public var name: String { rawValue }

    /// What `--encoding` accepts, for help and error messages.
    public static let acceptedNames = "UTF-8 (the default), GB18030 (also GBK, GB2312, CP936), UTF-16, UTF-16LE, UTF-16BE, ISO-8859-1 (Latin-1)"

    /// The encoding `--encoding` would name for a file that looks like `likely`; nil when no conversion makes it text.
    public init?(_ likely: LikelyTextEncoding) {
        switch likely {
        case .gb18030: self = .gb18030
        case .utf16WithByteOrderMark: self = .utf16
        case .utf16LittleEndian: self = .utf16LittleEndian
        case .utf16BigEndian: self = .utf16BigEndian
        case .latin1: self = .latin1
        case .damagedUTF8, .spreadsheetWorkbook, .binary: return nil
        }
    }
}

extension TextEncodingError {
    /// The same error for a command that reads other encodings with `--encoding`: its help names the option first
    /// (`run the command again with --encoding GB18030, or convert it: iconv …`). Unchanged for a file no
    /// conversion makes text (a damaged UTF-8 file, a workbook, binary data).
    public var offeringEncodingOption: TextEncodingError {
        guard let encoding = SourceEncoding(likelyEncoding) else { return self }
        var offered = self
        offered.help = "run the command again with --encoding \(encoding.name) to read it as it is, or " + help
        return offered
    }
}
