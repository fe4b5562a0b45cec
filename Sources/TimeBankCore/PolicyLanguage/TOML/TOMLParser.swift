/// Reads TOML 1.1.0 from bytes into a document, collecting every problem as a diagnostic.
///
/// A hand-written recursive-descent reader over `[UInt8]`. Recursion happens only for nested
/// arrays and inline tables and stops at the nesting limit, so no input can exhaust the stack.
/// After a problem it skips to a safe place (the next line, or past the closing bracket) and
/// carries on, so one run reports all problems up to `TOMLLimits.diagnosticsMax`.
struct TOMLParser {
    /// What reading one value gave.
    enum ValueOutcome {
        case value(TOMLValue)
        /// Nothing that can start a value was there; nothing was reported or consumed.
        case missing
        /// A problem was reported and the value's text was consumed; the caller can carry on.
        case failed
        /// A problem was reported and reading stopped at the start of a later line (or the end
        /// of the input); enclosing arrays and inline tables must give up too.
        case abandoned
    }

    let bytes: [UInt8]
    let limits: TOMLLimits
    let depthMax: Int
    var position = 0
    var sourceMap: TOMLSourceMap
    var diagnostics: [Diagnostic] = []
    var comments: [TOMLComment] = []
    /// Set once `limits.diagnosticsMax` problems were reported: reading ends.
    var stopped = false
    /// Counts table headers; dotted keys remember the section they were written in.
    var sectionNumber = 0
    /// While the value of `key = value` is read: where the key and the value start, so that help can show the line
    /// as it should be written (`points_per_hour = 10`).
    var keyValueStart: (key: Int, value: Int)?
    /// The last line a full-width space was reported on (one report per line).
    var fullWidthSpaceLine = 0

    init(bytes: [UInt8], limits: TOMLLimits) {
        self.bytes = bytes
        self.limits = limits
        self.depthMax = limits.effectiveNestingDepthMax
        self.sourceMap = TOMLSourceMap(bytes: bytes)
    }

    // MARK: - Document

    mutating func parseDocument() -> TOMLParseResult {
        let root = TOMLTableNode(definition: .root, range: SourceRange(at: SourceLocation(line: 1, column: 1, offset: 0)))
        if bytes.count > limits.fileSizeMaxBytes {
            report(TOMLDiagnostics.fileTooLarge(
                byteCount: bytes.count, limit: limits.fileSizeMaxBytes, range: sourceMap.pointRange(at: limits.fileSizeMaxBytes)))
            return finish(root)
        }
        let invalidOffsets = TOMLSourceMap.invalidUTF8Offsets(bytes, limit: max(limits.diagnosticsMax, 1))
        if !invalidOffsets.isEmpty {
            // Nothing else is checked: in a file with the wrong encoding every later message would mislead.
            if let document = OfficeDocument.kind(of: bytes) {
                report(TOMLDiagnostics.officeDocument(document, range: sourceMap.pointRange(at: 0)))
                return finish(root)
            }
            let encoding = TextEncodingCheck.likelyEncoding(of: bytes)
            // A file saved in another encoding (GBK, UTF-16) is one mistake, whose note says where it shows first: one
            // diagnostic, not one per line of Chinese text. Damaged UTF-8 gets each bad place, to retype.
            for offset in encoding == .damagedUTF8 ? invalidOffsets : Array(invalidOffsets.prefix(1)) {
                report(TOMLDiagnostics.invalidUTF8(byte: bytes[offset], range: sourceMap.range(offset, offset + 1), encoding: encoding))
            }
            return finish(root)
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }

        var currentTable = root
        var currentPath: [String] = []
        while !stopped {
            skipWhitespace()
            guard let byte = current else { break }
            switch byte {
            case Byte.lineFeed:
                position += 1
            case Byte.carriageReturn:
                if self.byte(at: position + 1) == Byte.lineFeed {
                    position += 2
                } else {
                    report(TOMLDiagnostics.controlCharacter(byte, context: "here", range: sourceMap.pointRange(at: position)))
                    position += 1
                }
            case Byte.hash:
                parseComment()
            case Byte.openBracket:
                let start = position
                if let header = parseTableHeader() {
                    (currentTable, currentPath) = openHeader(header, root: root)
                    finishLine(after: "the table header")
                } else {
                    currentTable = TOMLTableNode(definition: .header, range: sourceMap.pointRange(at: start))
                    recoverToNextLine(from: start)
                }
            case _ where fullWidthBracketLength(at: position, closing: false) != nil:
                // 【categories.orange】: reported, then read as the header it was meant to be (see the function).
                let start = position
                if let header = parseFullWidthTableHeader() {
                    (currentTable, currentPath) = openHeader(header, root: root)
                    finishLine(after: "the table header")
                } else if parseKeyValue(into: currentTable, path: currentPath) {
                    finishLine(after: "the value")
                } else {
                    recoverToNextLine(from: start)
                }
            default:
                let start = position
                if parseKeyValue(into: currentTable, path: currentPath) {
                    finishLine(after: "the value")
                } else {
                    recoverToNextLine(from: start)
                }
            }
        }
        return finish(root)
    }

    private func finish(_ root: TOMLTableNode) -> TOMLParseResult {
        TOMLParseResult(document: TOMLDocument(root: root.makeTable(), comments: comments), diagnostics: diagnostics)
    }

    /// Reads `key = value` and adds it to `table`. Returns false when the line must be skipped.
    private mutating func parseKeyValue(into table: TOMLTableNode, path: [String]) -> Bool {
        let keyStart = position
        guard let keyPath = parseKey() else { return false }
        guard let (valueDepth, equalsRange) = readEqualsSign(after: keyPath, baseDepth: path.count) else { return false }
        skipWhitespace(fullWidthSpaceAs: .unknownValue)
        let valueStart = position
        keyValueStart = (keyStart, valueStart)
        defer { keyValueStart = nil }
        switch parseValue(depth: valueDepth) {
        case .value(let value):
            if reportTextRightAfterString(keyStart: keyStart, stringStart: valueStart) { return false }
            if let conflict = TOMLTableBuilder.insert(
                value, at: keyPath, into: table, prefix: path, section: sectionNumber) {
                report(conflict)
            }
            return true
        case .missing:
            report(TOMLDiagnostics.expectedValue(after: "\"=\"", key: keyPath.last?.name, range: equalsRange))
            return false
        case .failed, .abandoned:
            return false
        }
    }

    /// `when = "record.response_level == "I""`: the `"` before `I` ends the string, and text
    /// follows it at once. Reports that (P011) with help on the quotes and returns true, so the
    /// cut-short value is left out and not checked as if it were whole. False, reporting nothing,
    /// for anything else, such as a string with escapes (where quotes cannot simply be counted).
    private mutating func reportTextRightAfterString(keyStart: Int, stringStart: Int) -> Bool {
        // A one-line "..." string without escapes.
        guard byte(at: stringStart) == Byte.quote, byte(at: stringStart + 1) != Byte.quote || byte(at: stringStart + 2) != Byte.quote,
              !bytes[stringStart..<position].contains(Byte.backslash) else { return false }
        // Text right after it, not a separator such as `"a"; b = 1` or `"a"，`: those are P011 as usual.
        guard let next = current, ![Byte.space, Byte.tab, Byte.lineFeed, Byte.carriageReturn, Byte.hash, Byte.semicolon, Byte.comma].contains(next),
              !TOMLParser.isControl(next), fullWidthSign(at: position) == nil, !isFullWidthSpace(at: position),
              !bytes[position...].starts(with: "；".utf8) else { return false }
        var lineEnd = position
        while lineEnd < bytes.count, bytes[lineEnd] != Byte.lineFeed, bytes[lineEnd] != Byte.carriageReturn { lineEnd += 1 }
        // The text as meant runs to the first later `"` that only spaces or a comment follow; without
        // one, the text after the string is something else.
        var textEnd: Int?
        for index in position..<lineEnd where bytes[index] == Byte.quote {
            var after = index + 1
            while after < lineEnd, bytes[after] == Byte.space || bytes[after] == Byte.tab { after += 1 }
            if after == lineEnd || bytes[after] == Byte.hash {
                textEnd = index
                break
            }
        }
        guard let textEnd else { return false }
        let keyText = String(decoding: bytes[keyStart..<stringStart], as: UTF8.self)
        let text = bytes[(stringStart + 1)..<textEnd]
        var suggestion: String?
        // A literal string '...' cannot hold ' and keeps \ as it is: only suggest one where it means the same.
        if !text.contains(Byte.apostrophe), !text.contains(Byte.backslash), !text.contains(where: TOMLParser.isControl) {
            suggestion = keyText + "'" + String(decoding: text, as: UTF8.self) + "'"
        }
        let rest = String(decoding: bytes[(stringStart + 1)..<lineEnd], as: UTF8.self)
        let looksLikeExpression = ["==", "!=", "<", ">", "&&", "||", "(", " in "].contains { rest.contains($0) }
        report(TOMLDiagnostics.textRightAfterString(
            found: describeToken(at: position), keyText: keyText, suggestion: suggestion,
            isExpression: looksLikeExpression, range: tokenRange(at: position)))
        return true
    }

    /// Expects `=` after a key and checks the key's depth; returns the depth for the value and
    /// the range of the "=".
    mutating func readEqualsSign(after keyPath: [TOMLKey], baseDepth: Int) -> (depth: Int, equals: SourceRange)? {
        skipWhitespace(fullWidthSpaceAs: .invalidBareKeyCharacter)
        let keyName = keyPath.last?.name ?? ""
        let equalsStart = position
        if let sign = fullWidthSign(at: position), sign != .comma {
            // Read on as if it were "=", so the value is still checked; the file stays invalid.
            report(TOMLDiagnostics.fullWidthEquals(
                key: keyName, sign: sign, range: sourceMap.range(position, position + FullWidthSign.byteCount)))
            position += FullWidthSign.byteCount
        } else if current == Byte.equals {
            position += 1
        } else {
            if let byte = current, byte != Byte.lineFeed, byte != Byte.carriageReturn, byte != Byte.hash {
                report(TOMLDiagnostics.expectedEquals(key: keyName, found: describeToken(at: position), range: tokenRange(at: position)))
            } else {
                let keyRange = sourceMap.range(keyPath[0].range.start.offset, keyPath[keyPath.count - 1].range.end.offset)
                report(TOMLDiagnostics.expectedEquals(key: keyName, found: nil, range: keyRange))
            }
            return nil
        }
        let depth = baseDepth + keyPath.count
        if depth > depthMax {
            report(TOMLDiagnostics.nestingTooDeep(
                limit: depthMax, range: sourceMap.range(keyPath[0].range.start.offset, keyPath[keyPath.count - 1].range.end.offset)))
            return nil
        }
        return (depth, sourceMap.range(equalsStart, position))
    }

    /// Opens the table a header names; returns the table its keys go to and its path.
    private mutating func openHeader(_ header: (path: [TOMLKey], isArrayOfTables: Bool, range: SourceRange),
                                     root: TOMLTableNode) -> (TOMLTableNode, [String]) {
        sectionNumber += 1
        let opened = TOMLTableBuilder.openTable(
            at: header.path, isArrayOfTables: header.isArrayOfTables, headerRange: header.range, root: root)
        if let diagnostic = opened.diagnostic { report(diagnostic) }
        // After a conflicting header its keys go to a detached table, so they are
        // still checked but do not cause follow-on conflicts elsewhere.
        return (opened.table ?? TOMLTableNode(definition: .header, range: header.range), header.path.map(\.name))
    }

    /// The UTF-8 length of a full-width bracket at `offset` (【 U+3010 or ［ U+FF3B, or with `closing` 】 U+3011 or
    /// ］ U+FF3D), or nil.
    func fullWidthBracketLength(at offset: Int, closing: Bool) -> Int? {
        let brackets: [[UInt8]] = closing ? [[0xE3, 0x80, 0x91], [0xEF, 0xBC, 0xBD]] : [[0xE3, 0x80, 0x90], [0xEF, 0xBC, 0xBB]]
        return brackets.contains { offset + 3 <= bytes.count && bytes[offset..<(offset + 3)].elementsEqual($0) } ? 3 : nil
    }

    /// `【categories.orange】` (or `［...］`, or one bracket of each kind): what a Chinese input method types for `[` and
    /// `]`. Reported (P031) with the header written right, and read as that header, so that the keys under it are
    /// checked in their own table rather than reported as unknown keys of the table before it. Nil, reporting
    /// nothing, when the text between the brackets is not a dotted key of bare parts: that line is read as before.
    private mutating func parseFullWidthTableHeader() -> (path: [TOMLKey], isArrayOfTables: Bool, range: SourceRange)? {
        let start = position
        guard let openLength = fullWidthBracketLength(at: start, closing: false) else { return nil }
        var end = start + openLength
        var closeLength: Int?
        while end < bytes.count, bytes[end] != Byte.lineFeed, bytes[end] != Byte.carriageReturn, bytes[end] != Byte.hash {
            if bytes[end] == Byte.closeBracket { closeLength = 1; break }
            if let length = fullWidthBracketLength(at: end, closing: true) { closeLength = length; break }
            end += 1
        }
        guard let closeLength else { return nil }
        var path: [TOMLKey] = []
        var partStart = start + openLength
        for index in (start + openLength)...end where index == end || bytes[index] == Byte.dot {
            var first = partStart, last = index
            while first < last, bytes[first] == Byte.space || bytes[first] == Byte.tab { first += 1 }
            while last > first, bytes[last - 1] == Byte.space || bytes[last - 1] == Byte.tab { last -= 1 }
            guard first < last, bytes[first..<last].allSatisfy(TOMLParser.isBareKeyByte) else { return nil }
            path.append(TOMLKey(name: String(decoding: bytes[first..<last], as: UTF8.self), range: sourceMap.range(first, last)))
            partStart = index + 1
        }
        position = end + closeLength
        let range = sourceMap.range(start, position)
        report(TOMLDiagnostics.fullWidthTableHeader(written: String(decoding: bytes[start..<position], as: UTF8.self),
                                                     header: "[" + path.map(\.name).joined(separator: ".") + "]", range: range))
        return (path, false, range)
    }

    /// Reads `[a.b]` or `[[a.b]]` (the caller is at `[`).
    private mutating func parseTableHeader() -> (path: [TOMLKey], isArrayOfTables: Bool, range: SourceRange)? {
        let start = position
        position += 1
        let isArrayOfTables = current == Byte.openBracket
        if isArrayOfTables { position += 1 }
        skipWhitespace()
        if current == Byte.closeBracket {
            report(TOMLDiagnostics.malformedTableHeader(
                "a table header needs a name between the brackets", range: sourceMap.range(start, position + 1)))
            return nil
        }
        if current == Byte.openBracket {
            report(TOMLDiagnostics.malformedTableHeader(
                "write \"[[\" with no space between the brackets", range: sourceMap.range(start, position + 1)))
            return nil
        }
        guard let path = parseKey() else { return nil }
        let closing = isArrayOfTables ? "]]" : "]"
        let display = TOMLDiagnostics.displayPath(path.map(\.name))
        guard current == Byte.closeBracket, !isArrayOfTables || byte(at: position + 1) == Byte.closeBracket else {
            let problem = "the table header \(isArrayOfTables ? "[[" : "[")\(display) must end with \"\(closing)\""
            let found = current == Byte.closeBracket ? position + 1 : position
            report(TOMLDiagnostics.malformedTableHeader(problem, range: sourceMap.pointRange(at: found)))
            return nil
        }
        position += closing.utf8.count
        let range = sourceMap.range(start, position)
        if path.count > depthMax {
            report(TOMLDiagnostics.nestingTooDeep(limit: depthMax, range: range))
            return nil
        }
        return (path, isArrayOfTables, range)
    }

    // MARK: - Keys

    /// Reads a key, simple or dotted (`a`, `"a b"`, `a.'b'.c`), skipping whitespace around dots.
    mutating func parseKey() -> [TOMLKey]? {
        var keys: [TOMLKey] = []
        var dotOffset: Int?
        while true {
            skipWhitespace(fullWidthSpaceAs: .invalidBareKeyCharacter)
            guard let key = parseSimpleKey(afterDotAt: dotOffset) else { return nil }
            keys.append(key)
            skipWhitespace(fullWidthSpaceAs: .invalidBareKeyCharacter)
            guard current == Byte.dot else { return keys }
            dotOffset = position
            position += 1
        }
    }

    private mutating func parseSimpleKey(afterDotAt dotOffset: Int?) -> TOMLKey? {
        let start = position
        guard let byte = current else {
            if let dotOffset {
                report(TOMLDiagnostics.emptyKeyPart(range: sourceMap.range(dotOffset, dotOffset + 1)))
            } else {
                report(TOMLDiagnostics.expectedKey(found: "the end of the file", range: sourceMap.pointRange(at: position)))
            }
            return nil
        }
        if byte == Byte.quote || byte == Byte.apostrophe {
            if self.byte(at: position + 1) == byte && self.byte(at: position + 2) == byte {
                _ = parseString()
                report(TOMLDiagnostics.multilineKey(range: sourceMap.range(start, max(position, start + 3))))
                return nil
            }
            guard let string = parseString() else { return nil }
            return TOMLKey(name: string.value, range: sourceMap.range(start, position))
        }
        if TOMLParser.isBareKeyByte(byte) {
            while let next = current, TOMLParser.isBareKeyByte(next) { position += 1 }
            if let next = current, !TOMLParser.canFollowKey(next), fullWidthSign(at: position) == nil, !isFullWidthSpace(at: position) {
                reportInvalidKeyCharacter(wordStart: start)
                return nil
            }
            return TOMLKey(name: String(decoding: bytes[start..<position], as: UTF8.self), range: sourceMap.range(start, position))
        }
        if byte == Byte.dot {
            report(TOMLDiagnostics.emptyKeyPart(range: sourceMap.range(position, position + 1)))
            return nil
        }
        if let dotOffset, [Byte.equals, Byte.closeBracket, Byte.lineFeed, Byte.carriageReturn, Byte.hash].contains(byte) {
            report(TOMLDiagnostics.emptyKeyPart(range: sourceMap.range(dotOffset, dotOffset + 1)))
            return nil
        }
        if TOMLParser.isControl(byte) || byte == Byte.carriageReturn {
            report(TOMLDiagnostics.controlCharacter(byte, context: "here", range: sourceMap.pointRange(at: position)))
            return nil
        }
        if byte >= 0x80 || !TOMLParser.isStructural(byte) {
            reportInvalidKeyCharacter(wordStart: start)
            return nil
        }
        report(TOMLDiagnostics.expectedKey(found: describeToken(at: position), range: sourceMap.pointRange(at: position)))
        return nil
    }

    /// Reports the first character of a key that is not allowed without quotes; the word it
    /// belongs to (up to whitespace, `=`, `.`, or a bracket) goes into the help.
    private mutating func reportInvalidKeyCharacter(wordStart: Int) {
        var wordEnd = wordStart
        while wordEnd < bytes.count {
            let byte = bytes[wordEnd]
            if byte == Byte.space || byte == Byte.tab || byte == Byte.equals || byte == Byte.dot
                || byte == Byte.lineFeed || byte == Byte.carriageReturn || byte == Byte.closeBracket
                || byte == Byte.hash || TOMLParser.isControl(byte) { break }
            wordEnd += 1
        }
        let badOffset = position
        let badLength = TOMLSourceMap.scalarLength(bytes, at: badOffset)
        let character = String(decoding: bytes[badOffset..<(badOffset + badLength)], as: UTF8.self)
        let word = String(decoding: bytes[wordStart..<max(wordEnd, badOffset + badLength)], as: UTF8.self)
        report(TOMLDiagnostics.invalidBareKeyCharacter(
            character, word: word, range: sourceMap.range(badOffset, badOffset + badLength)))
        position = max(wordEnd, badOffset + badLength)
    }

    // MARK: - Lines, whitespace and comments

    /// After a complete statement: allows whitespace and a comment, then needs the line to end.
    private mutating func finishLine(after what: String) {
        skipWhitespace(fullWidthSpaceAs: .expectedLineEnd)
        if current == Byte.hash { parseComment() }
        guard let byte = current else { return }
        if byte == Byte.lineFeed {
            position += 1
            return
        }
        if byte == Byte.carriageReturn && self.byte(at: position + 1) == Byte.lineFeed {
            position += 2
            return
        }
        if byte == Byte.carriageReturn || TOMLParser.isControl(byte) {
            report(TOMLDiagnostics.controlCharacter(byte, context: "here", range: sourceMap.pointRange(at: position)))
        } else if let sign = fullWidthSign(at: position) {
            report(TOMLDiagnostics.fullWidthAfterValue(
                sign, after: what, range: sourceMap.range(position, position + FullWidthSign.byteCount)))
        } else {
            report(TOMLDiagnostics.expectedLineEnd(after: what, found: describeToken(at: position), range: tokenRange(at: position)))
        }
        recoverToNextLine(from: position)
    }

    /// After a problem in the statement that began at `start`: continue at the next line, unless
    /// reading already stopped at the start of a later line (an unclosed array, for instance).
    private mutating func recoverToNextLine(from start: Int) {
        if position > start {
            var index = position - 1
            while index >= start && (bytes[index] == Byte.space || bytes[index] == Byte.tab) { index -= 1 }
            if index >= start && bytes[index] == Byte.lineFeed { return }
        }
        while let byte = current, byte != Byte.lineFeed { position += 1 }
        if current == Byte.lineFeed { position += 1 }
    }

    mutating func skipWhitespace() {
        while let byte = current, byte == Byte.space || byte == Byte.tab { position += 1 }
    }

    /// `skipWhitespace`, also over full-width spaces U+3000 (what a Chinese input method types for a space): each is an
    /// error with the id the place calls for (reported once a line, with the line as it should be written), and reading
    /// goes on as if it were a space, so the rest of the line is still checked.
    mutating func skipWhitespace(fullWidthSpaceAs id: TOMLDiagnosticID) {
        while true {
            skipWhitespace()
            guard isFullWidthSpace(at: position) else { return }
            let line = sourceMap.range(position, position + 3).start.line
            if line != fullWidthSpaceLine {
                fullWidthSpaceLine = line
                report(TOMLDiagnostics.fullWidthSpace(id: id, fixedLine: lineWrittenHalfWidth(around: position),
                                                      range: sourceMap.range(position, position + 3)))
            }
            position += 3
        }
    }

    /// The full-width space U+3000 (E3 80 80) at `offset`.
    func isFullWidthSpace(at offset: Int) -> Bool {
        offset + 2 < bytes.count && bytes[offset] == 0xE3 && bytes[offset + 1] == 0x80 && bytes[offset + 2] == 0x80
    }

    /// The line holding `offset` as it should be written, for a help that shows it: outside quotes each full-width
    /// space, digit and sign a Chinese input method types (`　` `＝` `１` `．` `，` `＋` `－`, and `：` between a key and its
    /// value) made ASCII, a full-width comma at the end of the line dropped, and any comment left out.
    func lineWrittenHalfWidth(around offset: Int) -> String {
        var start = offset
        while start > 0, bytes[start - 1] != Byte.lineFeed { start -= 1 }
        var end = offset
        while end < bytes.count, bytes[end] != Byte.lineFeed, bytes[end] != Byte.carriageReturn { end += 1 }
        let line = halfWidth(start..<end)
        return String(line.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }

    /// The text of `range` with the full-width characters of `lineWrittenHalfWidth(around:)` made ASCII outside quotes,
    /// up to a comment: `points_per_hour　＝ ` → `points_per_hour = `.
    func halfWidth(_ range: Range<Int>) -> String {
        var result: [UInt8] = []
        var quote: UInt8?
        var index = range.lowerBound
        var sawEquals = false
        var depth = 0
        /// Only spaces and perhaps a comment follow `from` up to the end of the range.
        func onlyBlankOrCommentAfter(_ from: Int) -> Bool {
            var rest = from
            while rest < range.upperBound {
                if bytes[rest] == Byte.space || bytes[rest] == Byte.tab { rest += 1 } else if isFullWidthSpace(at: rest) { rest += 3 } else { break }
            }
            return rest == range.upperBound || bytes[rest] == Byte.hash
        }
        while index < range.upperBound {
            let byte = bytes[index]
            if quote == nil, byte == Byte.hash { break }
            if quote == nil, index + 3 <= range.upperBound, isFullWidthSpace(at: index) {
                result.append(Byte.space)
                index += 3
                continue
            }
            if quote == nil, index + 3 <= range.upperBound, byte == 0xEF, bytes[index + 1] == 0xBC {
                let last = bytes[index + 2]
                var ascii: UInt8?
                switch last {
                case 0x90...0x99, 0x8B, 0x8D, 0x8E: ascii = last - 0x60       // １ → 1, ＋ － ．
                case 0x9D: ascii = Byte.equals                                   // ＝
                case 0x9A: ascii = sawEquals || depth > 0 ? Byte.colon : Byte.equals  // ： between a key and its value is "="
                case 0x8C: ascii = onlyBlankOrCommentAfter(index + 3) ? nil : Byte.comma  // ， at the end of the line goes
                default: break
                }
                if last == 0x8C || ascii != nil {
                    index += 3
                    if ascii == Byte.equals {
                        // `key＝１２`, `key：１２`: "=" with a space on each side, as the canonical layout writes it.
                        sawEquals = true
                        if let previous = result.last, previous != Byte.space, previous != Byte.tab { result.append(Byte.space) }
                        result.append(Byte.equals)
                        if index == range.upperBound || (bytes[index] != Byte.space && bytes[index] != Byte.tab && !isFullWidthSpace(at: index)) {
                            result.append(Byte.space)
                        }
                    } else if let ascii {
                        result.append(ascii)
                    }
                    continue
                }
            }
            if quote == nil {
                if byte == Byte.equals { sawEquals = true }
                if byte == Byte.openBracket || byte == Byte.openBrace { depth += 1 }
                if byte == Byte.closeBracket || byte == Byte.closeBrace { depth -= 1 }
            }
            if byte == Byte.quote || byte == Byte.apostrophe { quote = quote == nil ? byte : (quote == byte ? nil : quote) }
            result.append(byte)
            index += 1
        }
        return String(decoding: result, as: UTF8.self)
    }

    /// Skips whitespace, newlines and comments (inside arrays and inline tables).
    mutating func skipWhitespaceCommentsAndNewlines() {
        while let byte = current {
            switch byte {
            case Byte.space, Byte.tab, Byte.lineFeed:
                position += 1
            case Byte.carriageReturn:
                if self.byte(at: position + 1) != Byte.lineFeed {
                    report(TOMLDiagnostics.controlCharacter(byte, context: "here", range: sourceMap.pointRange(at: position)))
                }
                position += 1
            case Byte.hash:
                parseComment()
            default:
                return
            }
        }
    }

    /// Reads `# ...` up to the end of the line and keeps it in `comments`.
    mutating func parseComment() {
        let start = position
        position += 1
        while let byte = current {
            if byte == Byte.lineFeed { break }
            if byte == Byte.carriageReturn && self.byte(at: position + 1) == Byte.lineFeed { break }
            if TOMLParser.isControl(byte) || byte == Byte.carriageReturn {
                report(TOMLDiagnostics.controlCharacter(byte, context: "in a comment", range: sourceMap.pointRange(at: position)))
            }
            position += 1
        }
        comments.append(TOMLComment(
            text: String(decoding: bytes[(start + 1)..<position], as: UTF8.self), range: sourceMap.range(start, position)))
    }

    // MARK: - Reporting

    mutating func report(_ diagnostic: Diagnostic) {
        guard !stopped else { return }
        if diagnostics.count >= max(limits.diagnosticsMax, 1) {
            diagnostics.append(TOMLDiagnostics.tooManyProblems(limit: max(limits.diagnosticsMax, 1), range: diagnostic.range))
            stopped = true
            return
        }
        diagnostics.append(diagnostic)
    }

    /// The bytes of the token at `offset`: a word up to a delimiter, or one character.
    private func tokenEnd(at offset: Int) -> Int {
        guard offset < bytes.count else { return offset }
        let first = bytes[offset]
        if TOMLParser.isStructural(first) || TOMLParser.isControl(first) || first >= 0x80 && !TOMLParser.startsWord(first) {
            return offset + TOMLSourceMap.scalarLength(bytes, at: offset)
        }
        var end = offset
        while end < bytes.count && end - offset < 40 {
            let byte = bytes[end]
            if byte == Byte.space || byte == Byte.tab || TOMLParser.isControl(byte)
                || (TOMLParser.isStructural(byte) && byte != Byte.dot) { break }
            end += 1
        }
        // Do not cut a character in half.
        while end < bytes.count && bytes[end] & 0xC0 == 0x80 { end += 1 }
        return max(end, offset + 1)
    }

    /// A non-empty range over the token at `offset` (the last character at the end of input).
    mutating func tokenRange(at offset: Int) -> SourceRange {
        guard offset < bytes.count else { return sourceMap.pointRange(at: offset) }
        if bytes[offset] == Byte.lineFeed || bytes[offset] == Byte.carriageReturn { return sourceMap.pointRange(at: offset) }
        return sourceMap.range(offset, tokenEnd(at: offset))
    }

    /// The token at `offset` in words, for "found ..." in messages.
    func describeToken(at offset: Int) -> String {
        guard offset < bytes.count else { return "the end of the file" }
        let byte = bytes[offset]
        if byte == Byte.lineFeed || byte == Byte.carriageReturn { return "the end of the line" }
        if TOMLParser.isControl(byte) { return "the control character U+\(TOMLDiagnostics.hex(UInt32(byte), digits: 4))" }
        return TOMLDiagnostics.quoted(String(decoding: bytes[offset..<tokenEnd(at: offset)], as: UTF8.self))
    }

    // MARK: - Bytes

    var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    /// The full-width `，`, `＝` or `：` (three bytes each) at `offset`, which a Chinese input
    /// method types for `,`, `=` and `:`; nil for anything else.
    func fullWidthSign(at offset: Int) -> FullWidthSign? {
        guard offset + 2 < bytes.count, bytes[offset] == 0xEF, bytes[offset + 1] == 0xBC else { return nil }
        return FullWidthSign(rawValue: bytes[offset + 2])
    }

    func byte(at offset: Int) -> UInt8? { offset < bytes.count ? bytes[offset] : nil }

    /// `A-Z a-z 0-9 _ -`: the characters of a bare key.
    static func isBareKeyByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, Byte.underscore, Byte.minus: return true
        default: return false
        }
    }

    /// Control characters TOML forbids outside escapes: U+0000-U+001F except tab, and U+007F.
    /// (Line feed and carriage return are handled by the callers.)
    static func isControl(_ byte: UInt8) -> Bool {
        (byte < 0x20 && byte != Byte.tab && byte != Byte.lineFeed && byte != Byte.carriageReturn) || byte == 0x7F
    }

    /// Characters with a fixed role in TOML syntax.
    static func isStructural(_ byte: UInt8) -> Bool {
        switch byte {
        case Byte.equals, Byte.comma, Byte.openBracket, Byte.closeBracket, Byte.openBrace, Byte.closeBrace,
             Byte.hash, Byte.dot, Byte.quote, Byte.apostrophe, Byte.lineFeed, Byte.carriageReturn:
            return true
        default:
            return false
        }
    }

    /// A UTF-8 lead byte (so a non-ASCII word is shown whole in messages).
    private static func startsWord(_ byte: UInt8) -> Bool { byte >= 0xC2 }

    /// What may come right after a bare key.
    private static func canFollowKey(_ byte: UInt8) -> Bool {
        switch byte {
        case Byte.space, Byte.tab, Byte.dot, Byte.equals, Byte.closeBracket, Byte.lineFeed, Byte.carriageReturn,
             Byte.hash, Byte.comma, Byte.closeBrace:
            return true
        default:
            return false
        }
    }
}

/// A full-width sign where TOML needs an ASCII one; the raw value is its third UTF-8 byte
/// (each is `EF BC xx`).
enum FullWidthSign: UInt8 {
    case comma = 0x8C   // ，U+FF0C
    case equals = 0x9D  // ＝U+FF1D
    case colon = 0x9A   // ：U+FF1A

    /// The UTF-8 length of every full-width sign.
    static let byteCount = 3

    var character: String {
        switch self {
        case .comma: return "，"
        case .equals: return "＝"
        case .colon: return "："
        }
    }

    /// "a full-width comma", for messages.
    var spoken: String {
        switch self {
        case .comma: return "a full-width comma"
        case .equals: return "a full-width equals sign"
        case .colon: return "a full-width colon"
        }
    }
}

/// Byte values of the ASCII characters TOML syntax uses.
enum Byte {
    static let tab: UInt8 = 0x09
    static let lineFeed: UInt8 = 0x0A
    static let carriageReturn: UInt8 = 0x0D
    static let space: UInt8 = 0x20
    static let quote: UInt8 = 0x22
    static let hash: UInt8 = 0x23
    static let apostrophe: UInt8 = 0x27
    static let plus: UInt8 = 0x2B
    static let comma: UInt8 = 0x2C
    static let minus: UInt8 = 0x2D
    static let dot: UInt8 = 0x2E
    static let zero: UInt8 = 0x30
    static let nine: UInt8 = 0x39
    static let colon: UInt8 = 0x3A
    static let semicolon: UInt8 = 0x3B
    static let equals: UInt8 = 0x3D
    static let openBracket: UInt8 = 0x5B
    static let backslash: UInt8 = 0x5C
    static let closeBracket: UInt8 = 0x5D
    static let underscore: UInt8 = 0x5F
    static let openBrace: UInt8 = 0x7B
    static let closeBrace: UInt8 = 0x7D

    static func isDigit(_ byte: UInt8) -> Bool { byte >= zero && byte <= nine }
}
