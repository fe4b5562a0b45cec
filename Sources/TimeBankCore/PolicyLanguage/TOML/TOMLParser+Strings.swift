/// Strings: `"basic"`, `'literal'`, `"""multi-line basic"""` and `'''multi-line literal'''`.
extension TOMLParser {
    /// Reads a string of any form; the caller is at its opening quote. Returns nil after
    /// reporting a problem (the string's text is consumed as far as it goes).
    mutating func parseString() -> TOMLString? {
        let quote = bytes[position]
        if byte(at: position + 1) == quote && byte(at: position + 2) == quote {
            return parseMultilineString(quote: quote)
        }
        return parseSingleLineString(quote: quote)
    }

    /// A one-line string from `start` that the line (now at `position`) ends without closing. When it ends with a curly
    /// quote (`'... == "I"’`, typed by a Chinese input method or pasted from a document), that is named, with the line
    /// written with a straight one.
    private mutating func reportUnterminated(start: Int, contentStart: Int, delimiter: String) {
        guard let curly = curlyQuoteEndingText(from: contentStart, to: position) else {
            report(TOMLDiagnostics.unterminatedString(multiline: false, delimiter: delimiter, range: sourceMap.range(start, position)))
            return
        }
        var lineStart = start
        while lineStart > 0, bytes[lineStart - 1] != Byte.lineFeed { lineStart -= 1 }
        var rest = Array(bytes[(curly + 3)..<position])
        while let last = rest.last, last == Byte.space || last == Byte.tab || last == Byte.carriageReturn { rest.removeLast() }
        let fixedLine = String(decoding: bytes[lineStart..<curly], as: UTF8.self) + delimiter + String(decoding: rest, as: UTF8.self)
        report(TOMLDiagnostics.curlyClosingQuote(
            String(decoding: bytes[curly..<(curly + 3)], as: UTF8.self), delimiter: delimiter,
            fixedLine: fixedLine.drop { $0 == " " || $0 == "\t" }.description, range: sourceMap.range(curly, curly + 3)))
    }

    /// The offset of the curly quote (`’` `‘` `”` `“`) in `start..<end` after which the line has only spaces or a comment:
    /// the quote meant to close the string; nil when there is none.
    private func curlyQuoteEndingText(from start: Int, to end: Int) -> Int? {
        var index = start
        while index + 3 <= end {
            if bytes[index] == 0xE2, bytes[index + 1] == 0x80, [0x98, 0x99, 0x9C, 0x9D].contains(bytes[index + 2]) {
                var rest = index + 3
                while rest < end, bytes[rest] == Byte.space || bytes[rest] == Byte.tab || bytes[rest] == Byte.carriageReturn { rest += 1 }
                if rest == end || bytes[rest] == Byte.hash { return index }
            }
            index += 1
        }
        return nil
    }

    private mutating func parseSingleLineString(quote: UInt8) -> TOMLString? {
        let start = position
        let isLiteral = quote == Byte.apostrophe
        let delimiter = isLiteral ? "'" : "\""
        position += 1
        let contentStart = position
        var content: [UInt8] = []
        var failed = false
        var runStart = position
        while true {
            guard let byte = current else {
                reportUnterminated(start: start, contentStart: contentStart, delimiter: delimiter)
                return nil
            }
            if byte == quote || byte == Byte.lineFeed || byte == Byte.carriageReturn || TOMLParser.isControl(byte)
                || (!isLiteral && byte == Byte.backslash) {
                if byte == quote {
                    let contentEnd = position
                    position += 1
                    // Without escapes the text is the source bytes as they are: no copy needed.
                    let value = runStart == contentStart
                        ? String(decoding: bytes[contentStart..<contentEnd], as: UTF8.self)
                        : String(decoding: content + bytes[runStart..<contentEnd], as: UTF8.self)
                    if !checkLength(value.utf8.count, start: start) || failed { return nil }
                    return TOMLString(
                        value: value,
                        form: isLiteral ? .literal : .basic,
                        contentRange: sourceMap.range(contentStart, contentEnd))
                }
                if byte == Byte.lineFeed || (byte == Byte.carriageReturn && self.byte(at: position + 1) == Byte.lineFeed) {
                    reportUnterminated(start: start, contentStart: contentStart, delimiter: delimiter)
                    return nil
                }
                content.append(contentsOf: bytes[runStart..<position])
                if byte == Byte.backslash {
                    if !parseEscape(into: &content, multiline: false) { failed = true }
                } else {
                    report(TOMLDiagnostics.controlCharacter(byte, context: "in a string", range: sourceMap.pointRange(at: position)))
                    failed = true
                    position += 1
                }
                runStart = position
                continue
            }
            position += 1
        }
    }

    private mutating func parseMultilineString(quote: UInt8) -> TOMLString? {
        let start = position
        let isLiteral = quote == Byte.apostrophe
        let delimiter = isLiteral ? "'''" : "\"\"\""
        position += 3
        // A newline right after the opening delimiter is not part of the text.
        if current == Byte.lineFeed {
            position += 1
        } else if current == Byte.carriageReturn && byte(at: position + 1) == Byte.lineFeed {
            position += 2
        }
        let contentStart = position
        var content: [UInt8] = []
        var failed = false
        var runStart = position
        while true {
            guard let byte = current else {
                report(TOMLDiagnostics.unterminatedString(multiline: true, delimiter: delimiter, range: sourceMap.range(start, start + 3)))
                return nil
            }
            let isPlain = byte != quote && byte != Byte.carriageReturn && !TOMLParser.isControl(byte)
                && (isLiteral || byte != Byte.backslash)
            if isPlain {
                position += 1
                continue
            }
            content.append(contentsOf: bytes[runStart..<position])
            if byte == quote {
                var quoteCount = 0
                while self.byte(at: position + quoteCount) == quote { quoteCount += 1 }
                if quoteCount >= 3 {
                    // Up to two quotes may sit right before the closing delimiter; more are
                    // left behind and reported as text after the value.
                    let extra = min(quoteCount - 3, 2)
                    content.append(contentsOf: repeatElement(quote, count: extra))
                    let contentEnd = position + extra
                    position = contentEnd + 3
                    if !checkLength(content.count, start: start) || failed { return nil }
                    return TOMLString(
                        value: String(decoding: content, as: UTF8.self),
                        form: isLiteral ? .multilineLiteral : .multilineBasic,
                        contentRange: sourceMap.range(contentStart, contentEnd))
                }
                content.append(contentsOf: repeatElement(quote, count: quoteCount))
                position += quoteCount
            } else if byte == Byte.carriageReturn {
                if self.byte(at: position + 1) == Byte.lineFeed {
                    content.append(Byte.lineFeed)
                    position += 2
                } else {
                    report(TOMLDiagnostics.controlCharacter(byte, context: "in a string", range: sourceMap.pointRange(at: position)))
                    failed = true
                    position += 1
                }
            } else if byte == Byte.backslash {
                if !parseEscape(into: &content, multiline: true) { failed = true }
            } else {
                report(TOMLDiagnostics.controlCharacter(byte, context: "in a string", range: sourceMap.pointRange(at: position)))
                failed = true
                position += 1
            }
            if content.count > limits.stringLengthMaxBytes && !failed {
                failed = !checkLength(content.count, start: start)
            }
            runStart = position
        }
    }

    /// Reports a string longer than the limit; returns false when it is.
    private mutating func checkLength(_ length: Int, start: Int) -> Bool {
        guard length > limits.stringLengthMaxBytes else { return true }
        report(TOMLDiagnostics.stringTooLong(limit: limits.stringLengthMaxBytes, range: sourceMap.pointRange(at: start)))
        return false
    }

    /// Reads one escape (the caller is at the backslash) and appends its UTF-8 to `content`.
    /// In multi-line strings a backslash at the end of a line removes the newline and the
    /// whitespace after it.
    private mutating func parseEscape(into content: inout [UInt8], multiline: Bool) -> Bool {
        let start = position
        guard let letter = byte(at: position + 1) else {
            report(TOMLDiagnostics.invalidEscape("\\", range: sourceMap.range(start, start + 1)))
            position += 1
            return false
        }
        let simple: UInt8?
        switch letter {
        case 0x62: simple = 0x08  // \b
        case 0x74: simple = 0x09  // \t
        case 0x6E: simple = 0x0A  // \n
        case 0x66: simple = 0x0C  // \f
        case 0x72: simple = 0x0D  // \r
        case 0x65: simple = 0x1B  // \e
        case Byte.quote: simple = Byte.quote
        case Byte.backslash: simple = Byte.backslash
        default: simple = nil
        }
        if let simple {
            content.append(simple)
            position += 2
            return true
        }
        let hexDigitCount: Int
        switch letter {
        case 0x78: hexDigitCount = 2  // \xHH
        case 0x75: hexDigitCount = 4  // \uHHHH
        case 0x55: hexDigitCount = 8  // \UHHHHHHHH
        default: hexDigitCount = 0
        }
        if hexDigitCount > 0 {
            var value: UInt32 = 0
            var index = position + 2
            while index < position + 2 + hexDigitCount, let digit = byte(at: index).flatMap(TOMLParser.hexValue) {
                value = value << 4 | UInt32(digit)
                index += 1
            }
            let escapeText = String(decoding: bytes[start..<index], as: UTF8.self)
            guard index == position + 2 + hexDigitCount else {
                report(TOMLDiagnostics.invalidEscape(escapeText, range: sourceMap.range(start, index)))
                position = index
                return false
            }
            position = index
            guard let scalar = Unicode.Scalar(value) else {
                report(TOMLDiagnostics.invalidUnicodeEscape(escapeText, range: sourceMap.range(start, index)))
                return false
            }
            UTF8.encode(scalar) { content.append($0) }
            return true
        }
        if multiline, letter == Byte.space || letter == Byte.tab || letter == Byte.lineFeed || letter == Byte.carriageReturn {
            var index = position + 1
            while let byte = byte(at: index), byte == Byte.space || byte == Byte.tab { index += 1 }
            let endsLine = byte(at: index) == Byte.lineFeed
                || (byte(at: index) == Byte.carriageReturn && byte(at: index + 1) == Byte.lineFeed)
            if endsLine {
                while let byte = byte(at: index) {
                    if byte == Byte.space || byte == Byte.tab || byte == Byte.lineFeed {
                        index += 1
                    } else if byte == Byte.carriageReturn && self.byte(at: index + 1) == Byte.lineFeed {
                        index += 2
                    } else {
                        break
                    }
                }
                position = index
                return true
            }
        }
        // Leave a line ending in place so the caller sees where the line ends.
        let length = letter == Byte.lineFeed || letter == Byte.carriageReturn || TOMLParser.isControl(letter)
            ? 0 : TOMLSourceMap.scalarLength(bytes, at: position + 1)
        let escapeText = String(decoding: bytes[start..<(position + 1 + length)], as: UTF8.self)
        report(TOMLDiagnostics.invalidEscape(escapeText, range: sourceMap.range(start, position + 1 + length)))
        position += 1 + length
        return false
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: return byte - 0x30
        case 0x41...0x46: return byte - 0x41 + 10
        case 0x61...0x66: return byte - 0x61 + 10
        default: return nil
        }
    }
}
