/// Arrays `[...]` and inline tables `{...}` (which TOML 1.1 lets span lines, with comments and a
/// trailing comma), and the skipping that recovers from a problem inside them.
extension TOMLParser {
    /// Reads an array; the caller is at `[`.
    mutating func parseArray(depth: Int) -> ValueOutcome {
        let open = position
        position += 1
        if depth > depthMax {
            report(TOMLDiagnostics.nestingTooDeep(limit: depthMax, range: sourceMap.range(open, open + 1)))
            return skipPastClosingBracket(openedAt: open)
        }
        var elements: [TOMLValue] = []
        var failed = false
        while true {
            skipWhitespaceCommentsAndNewlines()
            if stopped { return .abandoned }
            guard let byte = current else {
                report(TOMLDiagnostics.unclosedArray(range: sourceMap.range(open, open + 1)))
                return .abandoned
            }
            if byte == Byte.closeBracket {
                position += 1
                break
            }
            if byte == Byte.comma {
                report(TOMLDiagnostics.expectedValue(after: "\",\"", key: nil, range: sourceMap.range(position, position + 1)))
                position += 1
                failed = true
                continue
            }
            if fullWidthSign(at: position) == .comma {
                report(TOMLDiagnostics.fullWidthCommaInArray(range: sourceMap.range(position, position + FullWidthSign.byteCount)))
                position += FullWidthSign.byteCount
                failed = true
                continue
            }
            if looksLikeNewStatement(at: position, since: open) {
                // A line such as `key = 1` or `[table]` cannot be an item: the "]" is missing.
                report(TOMLDiagnostics.unclosedArray(range: sourceMap.range(open, open + 1)))
                return .abandoned
            }
            switch parseValue(depth: depth) {
            case .value(let value):
                elements.append(value)
            case .missing:
                report(TOMLDiagnostics.arrayExpectedCommaOrEnd(found: describeToken(at: position), range: tokenRange(at: position)))
                return skipPastClosingBracket(openedAt: open)
            case .failed:
                failed = true
            case .abandoned:
                return .abandoned
            }
            let afterElement = position
            skipWhitespaceCommentsAndNewlines()
            guard let next = current else {
                report(TOMLDiagnostics.unclosedArray(range: sourceMap.range(open, open + 1)))
                return .abandoned
            }
            if next == Byte.comma {
                position += 1
                continue
            }
            if next == Byte.closeBracket {
                position += 1
                break
            }
            if fullWidthSign(at: position) == .comma {
                // Read on as if it were ",": the items are still checked, and nothing else is reported.
                report(TOMLDiagnostics.fullWidthCommaInArray(range: sourceMap.range(position, position + FullWidthSign.byteCount)))
                position += FullWidthSign.byteCount
                continue
            }
            if containsLineFeed(from: afterElement, to: position) {
                // The next line does not continue the array: most likely its "]" is missing.
                report(TOMLDiagnostics.unclosedArray(range: sourceMap.range(open, open + 1)))
                return .abandoned
            }
            report(TOMLDiagnostics.arrayExpectedCommaOrEnd(found: describeToken(at: position), range: tokenRange(at: position)))
            return skipPastClosingBracket(openedAt: open)
        }
        if failed { return .failed }
        return .value(TOMLValue(kind: .array(TOMLArray(elements: elements)), range: sourceMap.range(open, position)))
    }

    /// Reads an inline table; the caller is at `{`.
    mutating func parseInlineTable(depth: Int) -> ValueOutcome {
        let open = position
        position += 1
        if depth > depthMax {
            report(TOMLDiagnostics.nestingTooDeep(limit: depthMax, range: sourceMap.range(open, open + 1)))
            return skipPastClosingBracket(openedAt: open)
        }
        let node = TOMLTableNode(definition: .inline, range: sourceMap.range(open, open + 1))
        var failed = false
        while true {
            skipWhitespaceCommentsAndNewlines()
            if stopped { return .abandoned }
            guard let byte = current else {
                report(TOMLDiagnostics.unclosedInlineTable(range: sourceMap.range(open, open + 1)))
                return .abandoned
            }
            if byte == Byte.closeBrace {
                position += 1
                break
            }
            if byte == Byte.comma {
                report(TOMLDiagnostics.expectedKey(found: "\",\"", range: sourceMap.range(position, position + 1)))
                position += 1
                failed = true
                continue
            }
            if fullWidthSign(at: position) == .comma {
                report(TOMLDiagnostics.fullWidthCommaInInlineTable(range: sourceMap.range(position, position + FullWidthSign.byteCount)))
                position += FullWidthSign.byteCount
                failed = true
                continue
            }
            if looksLikeNewStatement(at: position, since: open) && current == Byte.openBracket {
                report(TOMLDiagnostics.unclosedInlineTable(range: sourceMap.range(open, open + 1)))
                return .abandoned
            }
            guard let keyPath = parseKey() else { return skipPastClosingBracket(openedAt: open) }
            guard let (valueDepth, equalsRange) = readEqualsSign(after: keyPath, baseDepth: depth) else {
                return skipPastClosingBracket(openedAt: open)
            }
            skipWhitespace()
            switch parseValue(depth: valueDepth) {
            case .value(let value):
                if let conflict = TOMLTableBuilder.insert(value, at: keyPath, into: node, prefix: [], section: 0) {
                    report(conflict)
                    failed = true
                }
            case .missing:
                report(TOMLDiagnostics.expectedValue(after: "\"=\"", key: keyPath.last?.name, range: equalsRange))
                return skipPastClosingBracket(openedAt: open)
            case .failed:
                failed = true
            case .abandoned:
                return .abandoned
            }
            let afterEntry = position
            skipWhitespaceCommentsAndNewlines()
            guard let next = current else {
                report(TOMLDiagnostics.unclosedInlineTable(range: sourceMap.range(open, open + 1)))
                return .abandoned
            }
            if next == Byte.comma {
                position += 1
                continue
            }
            if next == Byte.closeBrace {
                position += 1
                break
            }
            if fullWidthSign(at: position) == .comma {
                // Read on as if it were ",": the keys are still checked, and nothing else is reported.
                report(TOMLDiagnostics.fullWidthCommaInInlineTable(range: sourceMap.range(position, position + FullWidthSign.byteCount)))
                position += FullWidthSign.byteCount
                continue
            }
            if containsLineFeed(from: afterEntry, to: position) {
                report(TOMLDiagnostics.unclosedInlineTable(range: sourceMap.range(open, open + 1)))
                return .abandoned
            }
            report(TOMLDiagnostics.inlineTableExpectedCommaOrEnd(found: describeToken(at: position), range: tokenRange(at: position)))
            return skipPastClosingBracket(openedAt: open)
        }
        if failed { return .failed }
        node.range = sourceMap.range(open, position)
        return .value(TOMLValue(kind: .table(node.makeTable()), range: node.range))
    }

    /// True at the start of a line that holds `key = ...` or a `[table]` header, with a line
    /// break between `since` and `offset`: what follows a container whose closing bracket is missing.
    private func looksLikeNewStatement(at offset: Int, since: Int) -> Bool {
        var lineStart = offset
        while lineStart > since && (bytes[lineStart - 1] == Byte.space || bytes[lineStart - 1] == Byte.tab) { lineStart -= 1 }
        guard lineStart > since, bytes[lineStart - 1] == Byte.lineFeed else { return false }
        if lineStart == offset && looksLikeTableHeader(at: offset) { return true }
        var index = offset
        while index < bytes.count {
            let byte = bytes[index]
            if TOMLParser.isBareKeyByte(byte) || byte == Byte.dot || byte == Byte.space || byte == Byte.tab {
                index += 1
            } else {
                break
            }
        }
        return index > offset && index < bytes.count && bytes[index] == Byte.equals
    }

    private func containsLineFeed(from start: Int, to end: Int) -> Bool {
        guard start < end else { return false }
        return bytes[start..<end].contains(Byte.lineFeed)
    }

    /// After a reported problem inside the bracket opened at `open`: moves past its matching
    /// closing bracket without reporting anything more. Stops early, at the start of a line
    /// that looks like a table header, or at the end of the input; then the enclosing
    /// containers give up too.
    /// - Complexity: O(bytes skipped); no recursion.
    private mutating func skipPastClosingBracket(openedAt open: Int) -> ValueOutcome {
        position = max(position, open + 1)
        var depth = 1
        while let byte = current {
            switch byte {
            case Byte.openBracket, Byte.openBrace:
                depth += 1
                position += 1
            case Byte.closeBracket, Byte.closeBrace:
                depth -= 1
                position += 1
                if depth == 0 { return .failed }
            case Byte.quote, Byte.apostrophe:
                skipStringQuietly(quote: byte)
            case Byte.hash:
                while let next = current, next != Byte.lineFeed { position += 1 }
            case Byte.lineFeed:
                position += 1
                if looksLikeTableHeader(at: position) { return .abandoned }
            default:
                position += 1
            }
        }
        return .abandoned
    }

    /// Moves past a string without checking it (used only while recovering).
    private mutating func skipStringQuietly(quote: UInt8) {
        let isTriple = byte(at: position + 1) == quote && byte(at: position + 2) == quote
        position += isTriple ? 3 : 1
        while let byte = current {
            if byte == Byte.backslash && quote == Byte.quote {
                position += 2
                continue
            }
            if byte == quote {
                if !isTriple {
                    position += 1
                    return
                }
                if self.byte(at: position + 1) == quote && self.byte(at: position + 2) == quote {
                    position += 3
                    while current == quote { position += 1 }
                    return
                }
            }
            if byte == Byte.lineFeed && !isTriple { return }
            position += 1
        }
        position = min(position, bytes.count)
    }

    /// `[name]` or `[[name.part]]` (a bare name that is not a value such as `true`) at `offset`:
    /// a table header rather than an array item.
    private func looksLikeTableHeader(at offset: Int) -> Bool {
        guard byte(at: offset) == Byte.openBracket else { return false }
        var index = offset + 1
        if byte(at: index) == Byte.openBracket { index += 1 }
        let nameStart = index
        guard let first = byte(at: index), (0x41...0x5A).contains(first) || (0x61...0x7A).contains(first) || first == Byte.underscore else {
            return false
        }
        while let next = byte(at: index), TOMLParser.isBareKeyByte(next) || next == Byte.dot { index += 1 }
        guard byte(at: index) == Byte.closeBracket else { return false }
        let name = String(decoding: bytes[nameStart..<index], as: UTF8.self)
        return !["true", "false", "inf", "nan"].contains(name)
    }
}
