/// Reads the layout of a TOML file that the decoder has already accepted.
///
/// It walks the bytes once more, this time for what the decoder throws away: which line each
/// comment is on, blank lines, and key parts as written. Scalar values are not re-read: the
/// decoder's value ranges say where each one ends, so strings, numbers and date-times keep the
/// decoder's exact reading. Anything unexpected stops the scan with the offset where it happened
/// (for a file the decoder accepted, that would be a bug, and the formatter reports it instead of
/// printing a wrong file).
///
/// - Complexity: O(n) in the size of the input; recursion only for nested arrays and inline
///   tables, which the decoder has already limited in depth.
struct PolicyLayoutScanner {
    /// Why the scan stopped: the byte offset it could not read.
    struct Failure: Error, Equatable {
        var offset: Int
    }

    private let bytes: [UInt8]
    /// Where each scalar value (string, number, boolean, date-time) ends, by where it starts.
    private let scalarEndByStart: [Int: Int]
    private var position = 0

    /// A scanner over `bytes`, which `document` was decoded from without errors.
    init(bytes: [UInt8], document: TOMLDocument) {
        self.bytes = bytes
        var ends: [Int: Int] = [:]
        Self.collectScalarEnds(of: document.root, into: &ends)
        self.scalarEndByStart = ends
    }

    private static func collectScalarEnds(of table: TOMLTable, into ends: inout [Int: Int]) {
        for entry in table.entries { collectScalarEnds(of: entry.value, into: &ends) }
    }

    private static func collectScalarEnds(of value: TOMLValue, into ends: inout [Int: Int]) {
        switch value.kind {
        case .table(let table):
            collectScalarEnds(of: table, into: &ends)
        case .array(let array):
            for element in array.elements { collectScalarEnds(of: element, into: &ends) }
        case .string, .integer, .float, .boolean, .dateTime:
            ends[value.range.start.offset] = value.range.end.offset
        }
    }

    // MARK: - Document

    /// The statements of the file in order, one per source line (a statement whose value spans
    /// lines counts once).
    mutating func scanDocument() throws(Failure) -> [PolicyLayoutStatement] {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
        var statements: [PolicyLayoutStatement] = []
        while true {
            skipSpaces()
            guard let byte = current else { break }
            switch byte {
            case Byte.lineFeed, Byte.carriageReturn:
                // Statements and comments consume their own line end, so this line was empty.
                try skipLineEnd()
                statements.append(.blank)
            case Byte.hash:
                statements.append(.comment(scanComment()))
                try finishLine()
            case Byte.openBracket:
                statements.append(try scanHeader())
            default:
                let keyParts = try scanKey()
                skipSpaces()
                try expect(Byte.equals)
                skipSpaces()
                let value = try scanValue()
                statements.append(.keyValue(keyParts: keyParts, value: value, trailingComment: try finishLine()))
            }
        }
        return statements
    }

    /// `[a.b]` or `[[a.b]]` and the rest of its line.
    private mutating func scanHeader() throws(Failure) -> PolicyLayoutStatement {
        try expect(Byte.openBracket)
        let isArrayOfTables = current == Byte.openBracket
        if isArrayOfTables { position += 1 }
        let keyParts = try scanKey()
        try expect(Byte.closeBracket)
        if isArrayOfTables { try expect(Byte.closeBracket) }
        return .header(keyParts: keyParts, isArrayOfTables: isArrayOfTables, trailingComment: try finishLine())
    }

    /// After a statement: spaces, an optional comment, then the end of the line (or of the file).
    /// Returns the comment's text.
    @discardableResult
    private mutating func finishLine() throws(Failure) -> String? {
        skipSpaces()
        var comment: String?
        if current == Byte.hash { comment = scanComment() }
        if current != nil { try skipLineEnd() }
        return comment
    }

    // MARK: - Keys

    /// A simple or dotted key; each part exactly as written, quotes included, spaces around
    /// the dots left out.
    private mutating func scanKey() throws(Failure) -> [String] {
        var parts: [String] = []
        while true {
            skipSpaces()
            let start = position
            guard let byte = current else { throw Failure(offset: position) }
            switch byte {
            case Byte.quote:
                position += 1
                while let next = current, next != Byte.quote {
                    if next == Byte.lineFeed || next == Byte.carriageReturn { throw Failure(offset: position) }
                    // An escape: the character after the backslash cannot end the key.
                    position += next == Byte.backslash ? 2 : 1
                }
                try expect(Byte.quote)
            case Byte.apostrophe:
                position += 1
                while let next = current, next != Byte.apostrophe {
                    if next == Byte.lineFeed || next == Byte.carriageReturn { throw Failure(offset: position) }
                    position += 1
                }
                try expect(Byte.apostrophe)
            default:
                while let next = current, TOMLParser.isBareKeyByte(next) { position += 1 }
                if position == start { throw Failure(offset: position) }
            }
            parts.append(text(start, position))
            skipSpaces()
            guard current == Byte.dot else { return parts }
            position += 1
        }
    }

    // MARK: - Values

    private mutating func scanValue() throws(Failure) -> PolicyLayoutValue {
        switch current {
        case Byte.openBracket:
            return .array(try scanArray())
        case Byte.openBrace:
            return .inlineTable(try scanInlineTable())
        default:
            guard let end = scalarEndByStart[position], end > position, end <= bytes.count else {
                throw Failure(offset: position)
            }
            let start = position
            position = end
            return .scalar(textWithLineFeeds(start, end))
        }
    }

    /// `[ ... ]` with the comments between the elements (`scanItems`).
    private mutating func scanArray() throws(Failure) -> PolicyLayoutArray {
        try expect(Byte.openBracket)
        let scanned = try scanItems(closedBy: Byte.closeBracket, keyed: false)
        return PolicyLayoutArray(
            openingComment: scanned.openingComment, items: scanned.items, closingComments: scanned.closingComments)
    }

    /// `{ ... }` with its comments, which attach as in arrays (`scanItems`).
    private mutating func scanInlineTable() throws(Failure) -> PolicyLayoutInlineTable {
        try expect(Byte.openBrace)
        let scanned = try scanItems(closedBy: Byte.closeBrace, keyed: true)
        return PolicyLayoutInlineTable(
            openingComment: scanned.openingComment, items: scanned.items, closingComments: scanned.closingComments,
            isWrittenOverSeveralLines: scanned.hasLineEnd)
    }

    /// The elements of an array, or with `keyed` the `key = value` entries of an inline table, up to and past `close`.
    ///
    /// A comment on the same line as the end of an element (after its comma or not) is that
    /// element's trailing comment; one on the line of the opening bracket before any element is
    /// the opening comment; any other comment belongs to the next element, or to the closing bracket.
    /// `hasLineEnd` says whether a line break stands between the brackets outside any element.
    private mutating func scanItems(closedBy close: UInt8, keyed: Bool) throws(Failure)
        -> (openingComment: String?, items: [PolicyLayoutItem], closingComments: [String], hasLineEnd: Bool) {
        var openingComment: String?
        var items: [PolicyLayoutItem] = []
        var pendingComments: [String] = []
        var lineEndSinceLastItem = false
        var hasLineEnd = false
        while true {
            skipSpaces()
            guard let byte = current else { throw Failure(offset: position) }
            switch byte {
            case Byte.lineFeed, Byte.carriageReturn:
                try skipLineEnd()
                lineEndSinceLastItem = true
                hasLineEnd = true
            case Byte.hash:
                let comment = scanComment()
                if lineEndSinceLastItem {
                    pendingComments.append(comment)
                } else if items.isEmpty {
                    openingComment = comment
                } else {
                    items[items.count - 1].trailingComment = comment
                }
            case Byte.comma:
                position += 1
            case close:
                position += 1
                return (openingComment, items, pendingComments, hasLineEnd)
            default:
                var keyParts: [String] = []
                if keyed {
                    keyParts = try scanKey()
                    skipSpaces()
                    try expect(Byte.equals)
                    skipSpaces()
                }
                let value = try scanValue()
                items.append(PolicyLayoutItem(
                    leadingComments: pendingComments, keyParts: keyParts, value: value, trailingComment: nil))
                pendingComments = []
                lineEndSinceLastItem = false
            }
        }
    }

    // MARK: - Comments, spaces and line ends

    /// `# ...` up to the end of the line: the text after `#` without trailing spaces or tabs.
    private mutating func scanComment() -> String {
        position += 1
        let start = position
        while let byte = current, byte != Byte.lineFeed {
            if byte == Byte.carriageReturn && self.byte(at: position + 1) == Byte.lineFeed { break }
            position += 1
        }
        var end = position
        while end > start && (bytes[end - 1] == Byte.space || bytes[end - 1] == Byte.tab) { end -= 1 }
        return text(start, end)
    }

    private mutating func skipSpaces() {
        while let byte = current, byte == Byte.space || byte == Byte.tab { position += 1 }
    }

    /// LF or CRLF.
    private mutating func skipLineEnd() throws(Failure) {
        if current == Byte.lineFeed {
            position += 1
        } else if current == Byte.carriageReturn && byte(at: position + 1) == Byte.lineFeed {
            position += 2
        } else {
            throw Failure(offset: position)
        }
    }

    private mutating func expect(_ expected: UInt8) throws(Failure) {
        guard current == expected else { throw Failure(offset: position) }
        position += 1
    }

    // MARK: - Bytes

    private var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    private func byte(at offset: Int) -> UInt8? { offset < bytes.count ? bytes[offset] : nil }

    private func text(_ start: Int, _ end: Int) -> String {
        String(decoding: bytes[start..<end], as: UTF8.self)
    }

    /// The text of `start..<end` with every CRLF turned into LF. Only multi-line strings hold line
    /// breaks, and TOML reads CRLF in them as LF, so the value does not change.
    private func textWithLineFeeds(_ start: Int, _ end: Int) -> String {
        guard bytes[start..<end].contains(Byte.carriageReturn) else { return text(start, end) }
        var kept: [UInt8] = []
        kept.reserveCapacity(end - start)
        for index in start..<end where !(bytes[index] == Byte.carriageReturn && index + 1 < end && bytes[index + 1] == Byte.lineFeed) {
            kept.append(bytes[index])
        }
        return String(decoding: kept, as: UTF8.self)
    }
}
