/// The encoding a file that is not UTF-8 most likely has, as far as its bytes tell.
public enum LikelyTextEncoding: String, Hashable, Sendable, CaseIterable {
    /// GB18030 or its subset GBK (GB2312): what Chinese spreadsheet software often saves.
    case gb18030
    /// UTF-16 that starts with a byte order mark (FF FE or FE FF), as "Unicode text" exports do.
    case utf16WithByteOrderMark
    /// UTF-16, low byte first, with no byte order mark (ASCII text shows as letter, NUL, letter, NUL).
    case utf16LittleEndian
    /// UTF-16, high byte first, with no byte order mark.
    case utf16BigEndian
    /// ISO-8859-1: one byte per character, Western European letters such as é and ü.
    case latin1
    /// Mostly valid UTF-8 with a few bad bytes (or NUL bytes): a damaged file, not another encoding.
    case damagedUTF8
    /// A spreadsheet workbook (a zip file such as `.xlsx`, or the older `.xls`/`.et` format): not text at all, and no
    /// conversion of encodings makes it text; the spreadsheet program saves it as CSV.
    case spreadsheetWorkbook
    /// Bytes that are no text in any encoding (NUL bytes everywhere, not in UTF-16's pattern): a program, an image, an archive.
    case binary

    /// The name people know it by.
    public var displayName: String {
        switch self {
        case .gb18030: "GB18030/GBK"
        case .utf16WithByteOrderMark: "UTF-16"
        case .utf16LittleEndian: "UTF-16 (little-endian, no byte order mark)"
        case .utf16BigEndian: "UTF-16 (big-endian, no byte order mark)"
        case .latin1: "Latin-1 (ISO-8859-1)"
        case .damagedUTF8: "damaged UTF-8"
        case .spreadsheetWorkbook: "a spreadsheet workbook"
        case .binary: "binary data"
        }
    }

    /// The name `iconv -f` takes, or nil when converting would not help.
    public var iconvName: String? {
        switch self {
        case .gb18030: "GB18030"
        case .utf16WithByteOrderMark: "UTF-16"
        case .utf16LittleEndian: "UTF-16LE"
        case .utf16BigEndian: "UTF-16BE"
        case .latin1: "ISO-8859-1"
        case .damagedUTF8, .spreadsheetWorkbook, .binary: nil
        }
    }
}

/// A file that is not UTF-8 text: where the first bad byte is, what the file probably is, and
/// the command that converts it.
///
///     volunteers.csv:2:7: error[I100]: volunteers.csv is not UTF-8: byte 0xCD at line 2, column 7 ...
///     help: convert it: iconv -f GB18030 -t UTF-8 volunteers.csv > volunteers-utf8.csv
public struct TextEncodingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The stable id of this error.
    public static let id = "I100"

    /// The file name as the user gave it; it appears in the message and the command.
    public var fileName: String
    /// The first byte that is not part of valid UTF-8 text (line and column count the valid text before it).
    public var location: SourceLocation
    /// The value of that byte.
    public var badByte: UInt8
    /// What the whole file most likely is.
    public var likelyEncoding: LikelyTextEncoding
    /// A shell command that writes a UTF-8 copy, such as
    /// `iconv -f GB18030 -t UTF-8 input.csv > input-utf8.csv`; nil for a damaged UTF-8 file.
    public var fixCommand: String?
    /// What is wrong: the first bad byte, where it is, and what the file looks like.
    public var message: String
    /// What to do about it, with `fixCommand` when there is one.
    public var help: String

    /// Creates an error value; `TextEncodingCheck.requireUTF8` makes these.
    public init(
        fileName: String, location: SourceLocation, badByte: UInt8, likelyEncoding: LikelyTextEncoding,
        fixCommand: String?, message: String, help: String
    ) {
        self.fileName = fileName
        self.location = location
        self.badByte = badByte
        self.likelyEncoding = likelyEncoding
        self.fixCommand = fixCommand
        self.message = message
        self.help = help
    }

    /// The stable id, `I100`.
    public var id: String { Self.id }

    /// `file:line:column: error[I100]: message`, then the help line.
    public var description: String {
        "\(fileName):\(location): error[\(id)]: \(message)\nhelp: \(help)"
    }

    /// The same problem as a diagnostic, for the shared renderer.
    public var diagnostic: Diagnostic {
        let end = SourceLocation(line: location.line, column: location.column + 1, offset: location.offset + 1)
        return Diagnostic(
            severity: .error, id: id, message: message, range: SourceRange(start: location, end: end), help: [help])
    }
}

/// Decides whether bytes are UTF-8 text before anything parses them, and when they are not, says
/// what they probably are and how to convert them.
///
///     try TextEncodingCheck.requireUTF8(bytes, fileName: "volunteers.csv")
///
/// NUL bytes count as bad: text never holds them, and UTF-16 files are full of them.
///
/// - Complexity: O(n) to validate; the guess looks at the first `sampleByteCountMax` bytes only.
public enum TextEncodingCheck {
    /// How many bytes the encoding guess reads at most.
    public static let sampleByteCountMax = 1 << 20

    /// Returns normally when `bytes` are UTF-8 (with or without a byte order mark) and hold no NUL
    /// byte; otherwise throws an error naming the first bad byte, the likely encoding and the fix.
    public static func requireUTF8(_ bytes: [UInt8], fileName: String) throws(TextEncodingError) {
        let scan = scanUTF8(bytes, stoppingAtFirstBadByte: true)
        guard let badOffset = scan.firstBadOffset else { return }
        throw error(bytes: bytes, badOffset: badOffset, fileName: fileName)
    }

    /// True when `bytes` start with the UTF-8 byte order mark EF BB BF.
    public static func startsWithByteOrderMark(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
    }

    /// The likely encoding of bytes that are not valid UTF-8.
    public static func likelyEncoding(of bytes: [UInt8]) -> LikelyTextEncoding {
        if bytes.count >= 2, (bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF) {
            return .utf16WithByteOrderMark
        }
        // A zip file (.xlsx, .ods) or the older .xls (and WPS .et) format: the signatures `OfficeDocument` knows.
        if OfficeDocument.kind(of: bytes) != nil { return .spreadsheetWorkbook }
        let sample = bytes.prefix(sampleByteCountMax)
        // UTF-16 of mostly ASCII text: every other byte is NUL, always the same one of each pair. NUL bytes at both
        // places are binary data (a program, an image), which no conversion makes text.
        var nulAtEven = 0
        var nulAtOdd = 0
        for (offset, byte) in sample.enumerated() where byte == 0 {
            if offset % 2 == 0 { nulAtEven += 1 } else { nulAtOdd += 1 }
        }
        if (nulAtEven + nulAtOdd) * 4 >= sample.count, sample.count >= 2 {
            if nulAtOdd >= 4 * nulAtEven { return .utf16LittleEndian }
            if nulAtEven >= 4 * nulAtOdd { return .utf16BigEndian }
            return .binary
        }
        let utf8 = scanUTF8(Array(sample), stoppingAtFirstBadByte: false)
        // Only NUL bytes wrong, or far more good UTF-8 characters than bad bytes: a damaged file.
        if utf8.invalidCount == 0 || utf8.validMultibyteCount > 4 * utf8.invalidCount {
            return .damagedUTF8
        }
        return looksLikeGB18030(sample) ? .gb18030 : .latin1
    }

    /// GB18030 text is pairs of a lead byte 81–FE and a trail byte 40–7E or 80–FE (four-byte
    /// sequences put 30–39 in the second and fourth bytes). Chinese text mostly uses pairs whose
    /// two bytes are both high; Latin-1 text has high bytes on their own, between ASCII letters.
    static func looksLikeGB18030(_ bytes: ArraySlice<UInt8>) -> Bool {
        var pairs = 0
        var pairsWithHighTrail = 0
        var fourByteSequences = 0
        var invalid = 0
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let lead = bytes[index]
            guard lead >= 0x80 else {
                index += 1
                continue
            }
            guard (0x81...0xFE).contains(lead), index + 1 < bytes.endIndex else {
                invalid += 1
                index += 1
                continue
            }
            let second = bytes[index + 1]
            if (0x30...0x39).contains(second), index + 3 < bytes.endIndex,
               (0x81...0xFE).contains(bytes[index + 2]), (0x30...0x39).contains(bytes[index + 3]) {
                fourByteSequences += 1
                index += 4
            } else if (0x40...0xFE).contains(second), second != 0x7F {
                pairs += 1
                if second >= 0x80 { pairsWithHighTrail += 1 }
                index += 2
            } else {
                invalid += 1
                index += 1
            }
        }
        let sequences = pairs + fourByteSequences
        guard sequences > 0, invalid * 20 <= sequences + invalid else { return false }
        return (pairsWithHighTrail + fourByteSequences) * 2 >= sequences
    }

    /// The result of one pass of strict UTF-8 validation (no overlong forms, no surrogates,
    /// nothing above U+10FFFF; NUL counted as bad).
    struct UTF8Scan {
        var firstBadOffset: Int?
        var validMultibyteCount = 0
        /// Bad bytes other than NUL.
        var invalidCount = 0
        var nulCount = 0
    }

    static func scanUTF8(_ bytes: [UInt8], stoppingAtFirstBadByte: Bool) -> UTF8Scan {
        var scan = UTF8Scan()
        bytes.withUnsafeBufferPointer { buffer in
            var index = 0
            let count = buffer.count
            while index < count {
                let lead = buffer[index]
                if lead < 0x80 {
                    if lead == 0 {
                        if scan.firstBadOffset == nil { scan.firstBadOffset = index }
                        if stoppingAtFirstBadByte { return }
                        scan.nulCount += 1
                    }
                    index += 1
                    continue
                }
                let length: Int
                var secondRange: ClosedRange<UInt8> = 0x80...0xBF
                switch lead {
                case 0xC2...0xDF: length = 2
                case 0xE0: length = 3; secondRange = 0xA0...0xBF
                case 0xE1...0xEC, 0xEE...0xEF: length = 3
                case 0xED: length = 3; secondRange = 0x80...0x9F
                case 0xF0: length = 4; secondRange = 0x90...0xBF
                case 0xF1...0xF3: length = 4
                case 0xF4: length = 4; secondRange = 0x80...0x8F
                default: length = 0 // a stray continuation byte, C0, C1 or F5–FF
                }
                var valid = length > 0 && index + length <= count && secondRange.contains(buffer[index + 1])
                if valid {
                    for offset in 2..<max(2, length) where buffer[index + offset] & 0xC0 != 0x80 {
                        valid = false
                    }
                }
                if valid {
                    scan.validMultibyteCount += 1
                    index += length
                } else {
                    if scan.firstBadOffset == nil { scan.firstBadOffset = index }
                    if stoppingAtFirstBadByte { return }
                    scan.invalidCount += 1
                    index += 1
                }
            }
        }
        return scan
    }

    /// Line and column of `offset`, counting the (valid) text before it; a leading byte order
    /// mark takes no column.
    static func location(ofOffset offset: Int, in bytes: [UInt8]) -> SourceLocation {
        var line = 1
        var scalarsOnLine = 0
        var index = startsWithByteOrderMark(bytes) && offset >= 3 ? 3 : 0
        while index < offset {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                if byte == UInt8(ascii: "\r"), index + 1 < offset, bytes[index + 1] == UInt8(ascii: "\n") {
                    index += 1
                }
                line += 1
                scalarsOnLine = 0
            } else if byte & 0xC0 != 0x80 {
                scalarsOnLine += 1
            }
            index += 1
        }
        return SourceLocation(line: line, column: scalarsOnLine + 1, offset: offset)
    }

    static func error(bytes: [UInt8], badOffset: Int, fileName: String) -> TextEncodingError {
        let location = location(ofOffset: badOffset, in: bytes)
        let badByte = bytes[badOffset]
        let encoding = likelyEncoding(of: bytes)
        let hexDigits = String(badByte, radix: 16, uppercase: true)
        let byteText = "0x" + (hexDigits.count == 1 ? "0" : "") + hexDigits
        let position = "line \(location.line), column \(location.column)"
        let fixCommand = encoding.iconvName.map { name in
            "iconv -f \(name) -t UTF-8 \(ShellWord.quoted(fileName)) > \(ShellWord.quoted(convertedFileName(for: fileName)))"
        }
        let message: String
        let help: String
        // Spreadsheets offer "CSV UTF-8" by that name; other files (TOML, JSON lines) are saved from an editor.
        let isSpreadsheet = fileName.lowercased().hasSuffix(".csv")
        let saveAgain = isSpreadsheet ? "save it again as \"CSV UTF-8\"" : "save it again as UTF-8 (Save As, then Encoding: UTF-8)"
        switch encoding {
        case .damagedUTF8 where badByte == 0:
            message = "\(fileName) is not a text file: it holds a NUL byte (0x00) at \(position)"
            help = "delete the NUL byte; text files never hold one"
        case .damagedUTF8:
            message = "\(fileName) is not valid UTF-8: byte \(byteText) at \(position) does not belong to "
                + "a UTF-8 character, though the rest of the file looks like UTF-8"
            help = "the file is damaged there: retype that character, or export the file again as UTF-8"
        case .gb18030:
            message = "\(fileName) is not UTF-8: byte \(byteText) at \(position) does not start a UTF-8 "
                + "character; the file looks like \(encoding.displayName), which Chinese "
                + (isSpreadsheet ? "spreadsheet software (Excel, WPS) often saves" : "Windows editors often save")
            help = "convert it: \(fixCommand ?? ""), or \(saveAgain)"
        case .spreadsheetWorkbook:
            message = "\(fileName) is a spreadsheet workbook (such as an Excel .xlsx or .xls file), not a text file"
            help = "open it in Excel or WPS and save it with Save As, type \"CSV UTF-8 (逗号分隔)(*.csv)\"; then give the .csv file"
        case .binary:
            message = "\(fileName) is not a text file: it holds binary data (NUL bytes throughout, from \(position) on), "
                + "such as a program, an image or an archive"
            help = "check the file name: give the CSV or JSON Lines file (a spreadsheet saves one with Save As, type \"CSV UTF-8\")"
        case .utf16WithByteOrderMark, .utf16LittleEndian, .utf16BigEndian, .latin1:
            message = "\(fileName) is not UTF-8: byte \(byteText) at \(position) does not start a UTF-8 "
                + "character; the file looks like \(encoding.displayName)"
            help = "convert it: \(fixCommand ?? ""), or \(saveAgain)"
        }
        return TextEncodingError(
            fileName: fileName, location: location, badByte: badByte, likelyEncoding: encoding,
            fixCommand: fixCommand, message: message, help: help)
    }

    /// `input.csv` becomes `input-utf8.csv`; `data/input` becomes `data/input-utf8`.
    static func convertedFileName(for fileName: String) -> String {
        let lastSlash = fileName.lastIndex(of: "/")
        let nameStart = lastSlash.map { fileName.index(after: $0) } ?? fileName.startIndex
        if let dot = fileName[nameStart...].lastIndex(of: "."), dot != nameStart {
            return String(fileName[..<dot]) + "-utf8" + String(fileName[dot...])
        }
        return fileName + "-utf8"
    }

}
