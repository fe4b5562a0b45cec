/// Splits an expression into tokens, reporting every bad character, string and number it finds.
struct ExpressionLexer {
    private let scalars: [Unicode.Scalar]
    private let sourceMap: ExpressionSourceMap
    private var index = 0
    private(set) var tokens: [ExpressionToken] = []
    private(set) var diagnostics: [Diagnostic] = []
    /// Notes in parentheses after a value (`（二级）`), with the index of the diagnostic that reports each.
    private var notes: [(range: Range<Int>, diagnostic: Int)] = []

    /// Lexes the whole text; read `tokens` (ending with `.end`) and `diagnostics`.
    init(scalars: [Unicode.Scalar], sourceMap: ExpressionSourceMap) {
        self.scalars = scalars
        self.sourceMap = sourceMap
        while scanNextToken() {}
        if !notes.isEmpty {
            // Each note's help shows the expression without any of the notes.
            var kept = String.UnicodeScalarView()
            var from = 0
            for (range, _) in notes {
                var cut = range.lowerBound
                while cut > from, scalars[cut - 1] == " " { cut -= 1 }
                kept.append(contentsOf: scalars[from..<cut])
                from = range.upperBound
            }
            kept.append(contentsOf: scalars[from...])
            let without = String(String.UnicodeScalarView(
                kept.drop(while: \.properties.isWhitespace).reversed().drop(while: \.properties.isWhitespace).reversed()))
            for (range, diagnostic) in notes {
                diagnostics[diagnostic] = ExpressionDiagnostics.noteInParentheses(
                    text(range), isFullWidth: scalars[range.lowerBound] == "（", without: without, range: sourceMap.range(range))
            }
        }
        let end = scalars.count
        tokens.append(ExpressionToken(kind: .end, scalars: end..<end, range: sourceMap.range(end..<end)))
    }

    // MARK: Scanning

    private func peek(_ ahead: Int = 0) -> Unicode.Scalar? {
        index + ahead < scalars.count ? scalars[index + ahead] : nil
    }

    private static func isDigit(_ scalar: Unicode.Scalar?) -> Bool {
        guard let scalar else { return false }
        return scalar >= "0" && scalar <= "9"
    }

    private static func isIdentifierStart(_ scalar: Unicode.Scalar?) -> Bool {
        guard let scalar else { return false }
        return (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z") || scalar == "_"
    }

    private static func isIdentifierPart(_ scalar: Unicode.Scalar?) -> Bool {
        isIdentifierStart(scalar) || isDigit(scalar)
    }

    private func text(_ range: Range<Int>) -> String {
        var result = ""
        result.unicodeScalars.append(contentsOf: scalars[range])
        return result
    }

    private mutating func emit(_ kind: ExpressionToken.Kind, from start: Int) {
        tokens.append(ExpressionToken(kind: kind, scalars: start..<index, range: sourceMap.range(start..<index)))
    }

    private mutating func report(_ diagnostic: Diagnostic) {
        diagnostics.append(diagnostic)
    }

    /// Scans one token (or one piece of bad text); returns false at the end of the input.
    private mutating func scanNextToken() -> Bool {
        while let scalar = peek(), scalar.properties.isWhitespace {
            index += 1
        }
        guard let scalar = peek() else { return false }
        let start = index
        if ExpressionLexer.isIdentifierStart(scalar) {
            while ExpressionLexer.isIdentifierPart(peek()) { index += 1 }
            let word = text(start..<index)
            switch word {
            case "true": emit(.boolean(true), from: start)
            case "false": emit(.boolean(false), from: start)
            case "in": emit(.keywordIn, from: start)
            default: emit(.identifier(word), from: start)
            }
            return true
        }
        if ExpressionLexer.isDigit(scalar) {
            scanNumber()
            return true
        }
        if scalar == "\"" || scalar == "'" {
            scanString(quote: scalar)
            return true
        }
        if scalar == "." && ExpressionLexer.isDigit(peek(1)) {
            index += 1
            while ExpressionLexer.isDigit(peek()) { index += 1 }
            let written = text(start..<index)
            report(ExpressionDiagnostics.malformedNumber(written, range: sourceMap.range(start..<index),
                                                         help: ["write `0\(written)`"]))
            return true
        }
        scanSymbol(scalar)
        return true
    }

    private mutating func scanSymbol(_ scalar: Unicode.Scalar) {
        let start = index
        if scalar == "(" || scalar == "（", let end = noteInParenthesesEnd(from: start) {
            // `"II"（二级）`: a note after a value, as a document writes one; a value is never called, so this is no call.
            // The expression without it is filled in when every note is known (`init`).
            index = end
            notes.append((start..<end, diagnostics.count))
            report(ExpressionDiagnostics.noteInParentheses(text(start..<end), isFullWidth: scalar == "（", without: "",
                                                           range: sourceMap.range(start..<end)))
            return
        }
        let next = peek(1)
        func symbol(_ symbol: ExpressionSymbol, length: Int) {
            index += length
            emit(.symbol(symbol), from: start)
        }
        func unsupported(_ help: String) {
            index += 1
            report(ExpressionDiagnostics.unsupportedOperator(text(start..<index), range: sourceMap.range(start..<index), help: [help]))
        }
        switch scalar {
        case "(": symbol(.leftParenthesis, length: 1)
        case ")": symbol(.rightParenthesis, length: 1)
        case "[": symbol(.leftBracket, length: 1)
        case "]": symbol(.rightBracket, length: 1)
        case ",": symbol(.comma, length: 1)
        case ".": symbol(.dot, length: 1)
        case "?": symbol(.question, length: 1)
        case ":": symbol(.colon, length: 1)
        case "+": symbol(.plus, length: 1)
        case "-": symbol(.minus, length: 1)
        case "*": symbol(.times, length: 1)
        case "/": symbol(.divide, length: 1)
        case "=":
            // `>  = 60`: an operator of two characters typed with a space inside (its first half was read already).
            var before = start - 1
            while before >= 0, scalars[before] == " " || scalars[before] == "\t" { before -= 1 }
            var after = start + 1
            while after < scalars.count, scalars[after] == " " || scalars[after] == "\t" { after += 1 }
            if next != "=", before >= 0, before < start - 1, "<>!=".unicodeScalars.contains(scalars[before]) {
                unsupported("write `\(scalars[before])=` without a space inside")
            } else if next != "=", after > start + 1, after < scalars.count, scalars[after] == "=" {
                unsupported("write `==` without a space inside")   // `= =`
            } else if let sign = next, sign == ">" || sign == "<" {
                // `=>`, `=<`: the two signs of `>=` or `<=` typed the other way round.
                index += 1
                unsupported("write `\(sign)=` (the `=` comes second)")
            } else {
                next == "=" ? symbol(.equal, length: 2) : unsupported("use `==` to compare")
            }
        case "!": next == "=" ? symbol(.notEqual, length: 2) : symbol(.not, length: 1)
        case "<" where next == ">":
            index += 1   // `<>`, "not equal" in SQL and spreadsheets
            unsupported("write `!=` for \"not equal\"")
        case "<": next == "=" ? symbol(.lessOrEqual, length: 2) : symbol(.less, length: 1)
        case ">": next == "=" ? symbol(.greaterOrEqual, length: 2) : symbol(.greater, length: 1)
        case "&": next == "&" ? symbol(.and, length: 2) : unsupported("use `&&` for \"and\"")
        case "|": next == "|" ? symbol(.or, length: 2) : unsupported("use `||` for \"or\"")
        case "%":
            // `10%` pasted from a document: say which decimal to write; otherwise it is the (absent) remainder operator.
            var numberStart = start
            while numberStart > 0, ("0"..."9").contains(scalars[numberStart - 1]) || scalars[numberStart - 1] == "." { numberStart -= 1 }
            let written = text(numberStart..<start) + "%"
            unsupported(numberStart < start ? (TOMLDiagnostics.percentageHelp(written) ?? "write the percentage as a decimal (10% is 0.1)")
                        : "the remainder operator `%` is not supported")
        case "“", "„", "‟", "‘", "「", "『":
            // A curly-quoted word pasted from a document (or in corner brackets, the quotes of traditional script):
            // report it once, with the straight-quoted fix.
            let closer: Unicode.Scalar = switch scalar { case "‘": "’"; case "「": "」"; case "『": "』"; default: "”" }
            index += 1
            while let current = peek(), current != closer, current != "\n" { index += 1 }
            if peek() == closer { index += 1 }
            let written = text(start..<index)
            let inner = written.unicodeScalars.dropFirst().filter { $0 != closer }
            var word = ""
            word.unicodeScalars.append(contentsOf: inner)
            report(Diagnostic(
                severity: .error, id: "P202", message: "unexpected text `\(written)`",
                range: sourceMap.range(start..<index), help: ["use straight quotes: \(ExpressionValue.quoted(word))"]))
        default:
            index += 1
            if ExpressionLexer.asciiForm(of: scalar) != nil {
                // Full-width signs typed with a Chinese input method (`，` `（` `＝＝`): one diagnostic per run, with the ASCII to write.
                while let current = peek(), ExpressionLexer.asciiForm(of: current) != nil { index += 1 }
                var ascii = String(String.UnicodeScalarView(scalars[start..<index].compactMap(ExpressionLexer.asciiForm(of:))))
                if let last = ascii.unicodeScalars.last, let next = peek(),
                   ["==", "!=", "<=", ">=", "&&", "||"].contains(String(Character(last)) + String(Character(next))) {
                    // `！=`: the ASCII half belongs to the same operator.
                    index += 1
                    ascii.unicodeScalars.append(next)
                } else if ["=", "&", "|"].contains(ascii), let sign = ascii.unicodeScalars.first,
                          start == 0 || !(sign == "=" ? "=!<>" : String(sign)).unicodeScalars.contains(scalars[start - 1]) {
                    // A lone `＝`, `＆` or `｜` is meant as `==`, `&&` or `||`: a single one is not an operator.
                    ascii += ascii
                }
                report(ExpressionDiagnostics.fullWidthCharacters(text(start..<index), ascii: ascii, range: sourceMap.range(start..<index)))
                return
            }
            if let ascii = ExpressionDiagnostics.mathematicalSigns[scalar] {
                // `≥`, `×`: a sign from a maths keyboard or a document, which has its ASCII spelling.
                report(ExpressionDiagnostics.mathematicalSign(text(start..<index), ascii: ascii, range: sourceMap.range(start..<index)))
                return
            }
            if !scalar.isASCII {
                // Keep a run of non-ASCII text (such as a Chinese word) together in one diagnostic.
                while let current = peek(), !current.isASCII, !current.properties.isWhitespace,
                      !"“”„‟‘’".unicodeScalars.contains(current), ExpressionLexer.asciiForm(of: current) == nil {
                    index += 1
                }
                // `且`, `或者`, `大于`: an operator written as a Chinese word, which quotes (the help for other text) would not mend.
                if let symbol = ExpressionDiagnostics.operatorWords[text(start..<index)] {
                    report(ExpressionDiagnostics.operatorWord(text(start..<index), symbol: symbol, range: sourceMap.range(start..<index)))
                    return
                }
                // `60岁`, `2 小时`: a unit after a number.
                if let number = numberEnding(before: start) {
                    report(ExpressionDiagnostics.unitAfterNumber(text(start..<index), number: number, range: sourceMap.range(start..<index)))
                    return
                }
                // `record.类别`: a field named in Chinese, which quotes would not mend.
                if let last = tokens.last, case .symbol(.dot) = last.kind, last.scalars.upperBound == start {
                    let root = tokens.dropLast().last.flatMap { token -> ExpressionRoot? in
                        if case .identifier(let name) = token.kind { ExpressionRoot(rawValue: name) } else { nil }
                    }
                    report(ExpressionDiagnostics.fieldNotInEnglish(text(start..<index), root: root, range: sourceMap.range(start..<index)))
                    return
                }
            }
            report(ExpressionDiagnostics.unexpectedCharacter(text(start..<index), range: sourceMap.range(start..<index)))
        }
    }

    /// Where a note in parentheses (`（二级）`, `("二级")`) that starts at `start` ends: the parenthesis comes right after a
    /// string, number or boolean (spaces between), and closes (ASCII or full-width) on the line with no other parenthesis
    /// inside. Nil for anything else.
    private func noteInParenthesesEnd(from start: Int) -> Int? {
        guard let last = tokens.last, last.scalars.upperBound <= start,
              scalars[last.scalars.upperBound..<start].allSatisfy(\.properties.isWhitespace) else { return nil }
        switch last.kind {
        case .string, .integer, .decimal, .boolean: break
        default: return nil
        }
        var end = start + 1
        while end < scalars.count, !"()（）\n".unicodeScalars.contains(scalars[end]) { end += 1 }
        guard end < scalars.count, scalars[end] == ")" || scalars[end] == "）", end > start + 1 else { return nil }
        return end + 1
    }

    /// The ASCII character a full-width form stands for: `，` (U+FF0C) is `,`, `（` is `(`, `＝` is `=`,
    /// `６` is `6` (U+FF01–U+FF5E are U+0021–U+007E moved up by 0xFEE0), and `。` is `.`; nil for anything else.
    static func asciiForm(of scalar: Unicode.Scalar) -> Unicode.Scalar? {
        scalar == "。" ? "." : scalar.asciiOfFullWidthForm
    }

    /// Where a date written without `date(...)` that starts at `start` ends (`2026-12-01`, `2026/12/1`, `2026.12.01`: four
    /// digits, then twice the same separator and one or two digits), or nil.
    private func dateEnd(from start: Int) -> Int? {
        var end = start
        func digits(_ most: Int) -> Int { digitRun(at: &end, most: most) }
        guard digits(4) == 4, let year = Int(text(start..<end)), (1900...2199).contains(year), end < scalars.count,
              "-/.".unicodeScalars.contains(scalars[end]) else { return nil }
        let separator = scalars[end]
        end += 1
        guard (1...2).contains(digits(2)), end < scalars.count, scalars[end] == separator else { return nil }
        end += 1
        guard (1...2).contains(digits(2)) else { return nil }
        if end < scalars.count, ExpressionLexer.isDigit(scalars[end]) || ExpressionLexer.isIdentifierPart(scalars[end]) { return nil }
        return end
    }

    /// Moves `end` past at most `most` digits; returns how many.
    private func digitRun(at end: inout Int, most: Int) -> Int {
        var count = 0
        while count < most, end < scalars.count, ExpressionLexer.isDigit(scalars[end]) { end += 1; count += 1 }
        return count
    }

    /// Where a time of day written as a number that starts at `start` ends (`22:00`, `8:30`, `22：00`, `7:30:00`: one or
    /// two digits, a colon and two digits, perhaps twice), with its hour and minute; nil when it is not one.
    private func timeOfDayEnd(from start: Int) -> (end: Int, hour: Int, minute: Int)? {
        var end = start
        func digits(_ most: Int) -> Int { digitRun(at: &end, most: most) }
        func colon() -> Bool {
            guard end < scalars.count, scalars[end] == ":" || Self.asciiForm(of: scalars[end]) == ":" else { return false }
            end += 1
            return true
        }
        guard (1...2).contains(digits(2)), let hour = Int(text(start..<end)), colon() else { return nil }
        let minuteStart = end
        guard digits(2) == 2, let minute = Int(text(minuteStart..<end)), hour <= 24, minute <= 59 else { return nil }
        let beforeSeconds = end
        if !(colon() && digits(2) == 2) { end = beforeSeconds }
        if end < scalars.count, ExpressionLexer.isDigit(scalars[end]) || ExpressionLexer.isIdentifierPart(scalars[end]) { return nil }
        return (end, hour, minute)
    }

    /// The comparison token just before `offset` (with only whitespace between), or nil.
    private func comparisonBefore(_ offset: Int) -> ExpressionSymbol? {
        guard let last = tokenJustBefore(offset), case .symbol(let symbol) = last.kind,
              [.less, .lessOrEqual, .greater, .greaterOrEqual, .equal, .notEqual].contains(symbol) else { return nil }
        return symbol
    }

    /// What to write for `record.start_hour >= 22:30`: the comparison of the hour a service started that reads as meant.
    static func hourHelp(_ comparison: ExpressionSymbol, hour: Int, minute: Int) -> String {
        let next = (hour + 1) % 24
        let lead = "a condition compares the hour a service started, a whole number from 0 to 23"
        switch comparison {
        case .greater, .greaterOrEqual:
            return minute == 0 ? "\(lead): record.start_hour >= \(hour) for a start from \(hour):00"
                : "\(lead): record.start_hour >= \(next) for a start from \(next):00, or record.start_hour >= \(hour) from \(hour):00"
        case .less, .lessOrEqual:
            return minute == 0 ? "\(lead): record.start_hour < \(hour) for a start before \(hour):00"
                : "\(lead): record.start_hour < \(hour) for a start before \(hour):00, or record.start_hour <= \(hour) before \(next):00"
        default:
            return "\(lead): record.start_hour \(comparison.rawValue) \(hour) for a start from \(hour):00 to \(hour):59"
        }
    }

    /// The last token read, when only whitespace stands between it and `offset`.
    private func tokenJustBefore(_ offset: Int) -> ExpressionToken? {
        guard let last = tokens.last, last.scalars.upperBound <= offset,
              scalars[last.scalars.upperBound..<offset].allSatisfy(\.properties.isWhitespace) else { return nil }
        return last
    }

    /// The text of the number token just before `offset` (with only whitespace between), or nil.
    private func numberEnding(before offset: Int) -> String? {
        guard let last = tokenJustBefore(offset) else { return nil }
        switch last.kind {
        case .integer, .decimal: return text(last.scalars)
        default: return nil
        }
    }

    // MARK: Numbers

    private mutating func scanNumber() {
        let start = index
        // `record.date >= 2026-12-01`: a date without date(...) would read as a subtraction with a leading zero.
        if let end = dateEnd(from: start) {
            index = end
            let written = text(start..<end)
            let parts = written.split(whereSeparator: { $0 == "-" || $0 == "/" || $0 == "." }).compactMap { Int($0) }
            let help = parts.count == 3 ? LocalDate(year: parts[0], month: parts[1], day: parts[2]).map {
                "a date is written date(\"\($0)\"), as in record.date >= date(\"\($0)\")"
            } : nil
            report(ExpressionDiagnostics.malformedNumber(written, range: sourceMap.range(start..<end),
                                                         help: [help ?? "a date is written date(\"YYYY-MM-DD\"), such as date(\"2026-10-01\")"]))
            return
        }
        // `record.start_hour >= 22:00`: a condition compares the hour a service started, a whole number. Read as a time
        // only right after a comparison (`cond ? 10:20` is a choice of two numbers).
        if let comparison = comparisonBefore(start), let time = timeOfDayEnd(from: start) {
            index = time.end
            report(ExpressionDiagnostics.malformedNumber(text(start..<time.end), range: sourceMap.range(start..<time.end),
                                                         help: [Self.hourHelp(comparison, hour: time.hour % 24, minute: time.minute)]))
            return
        }
        while ExpressionLexer.isDigit(peek()) { index += 1 }
        let integerDigitCount = index - start
        var isDecimal = false
        if peek() == ".", ExpressionLexer.isDigit(peek(1)) {
            isDecimal = true
            index += 1
            while ExpressionLexer.isDigit(peek()) { index += 1 }
        }
        if peek() == "e" || peek() == "E" {
            let signed = peek(1) == "+" || peek(1) == "-"
            if ExpressionLexer.isDigit(peek(signed ? 2 : 1)) {
                isDecimal = true
                index += signed ? 2 : 1
                while ExpressionLexer.isDigit(peek()) { index += 1 }
            }
        }
        // Letters, underscores or a second fraction glued to the number make it malformed: 0x1F, 10u, 1_000, 1.5.2, 1e.
        if ExpressionLexer.isIdentifierPart(peek()) || (peek() == "." && ExpressionLexer.isDigit(peek(1))) {
            while ExpressionLexer.isIdentifierPart(peek()) || (peek() == "." && ExpressionLexer.isDigit(peek(1))) {
                index += 1
            }
            let written = text(start..<index)
            var help: [String] = []
            if written.hasPrefix("0x") || written.hasPrefix("0X") {
                help.append("hexadecimal numbers are not supported")
            } else if written.contains("_") {
                help.append("write the number without underscores: `\(written.filter { $0 != "_" })`")
            }
            report(ExpressionDiagnostics.malformedNumber(written, range: sourceMap.range(start..<index), help: help))
            return
        }
        let written = text(start..<index)
        let range = sourceMap.range(start..<index)
        if integerDigitCount > 1, scalars[start] == "0" {
            let trimmed = written.drop(while: { $0 == "0" })
            let suggestion = trimmed.isEmpty || trimmed.first == "." ? "0" + trimmed : String(trimmed)
            report(ExpressionDiagnostics.malformedNumber(written, range: range, help: ["write `\(suggestion)` without leading zeros"]))
            return
        }
        if isDecimal {
            do throws(ExactDecimalError) {
                emit(.decimal(try ExactDecimal(parsing: written)), from: start)
            } catch {
                report(ExpressionDiagnostics.numberOutOfRange(written, reason: error.description, range: range))
            }
        } else if let value = Int(written) {
            emit(.integer(value), from: start)
        } else {
            report(ExpressionDiagnostics.numberOutOfRange(written, reason: "the largest whole number is \(Int.max)", range: range))
        }
    }

    // MARK: Strings

    private mutating func scanString(quote: Unicode.Scalar) {
        let start = index
        index += 1
        var value = ""
        var isValid = true
        while true {
            guard let scalar = peek(), scalar != "\n" else {
                report(ExpressionDiagnostics.unterminatedString(sourceMap.range(start..<index)))
                return
            }
            if scalar == quote {
                index += 1
                break
            }
            if scalar == "\\" {
                if let escaped = scanEscape() {
                    value.unicodeScalars.append(escaped)
                } else {
                    isValid = false
                }
                continue
            }
            value.unicodeScalars.append(scalar)
            index += 1
        }
        if isValid { emit(.string(value), from: start) }
    }

    /// Scans one escape starting at a backslash; reports it and returns nil when it is invalid.
    private mutating func scanEscape() -> Unicode.Scalar? {
        let start = index
        index += 1
        guard let letter = peek(), letter != "\n" else {
            report(ExpressionDiagnostics.invalidEscape("\\", range: sourceMap.range(start..<index)))
            return nil
        }
        index += 1
        switch letter {
        case "\"": return "\""
        case "'": return "'"
        case "\\": return "\\"
        case "n": return "\n"
        case "t": return "\t"
        case "r": return "\r"
        case "u":
            var hexDigits = ""
            if peek() == "{" {
                index += 1
                while let digit = peek(), digit.properties.isASCIIHexDigit, hexDigits.count < 6 {
                    hexDigits.unicodeScalars.append(digit)
                    index += 1
                }
                guard peek() == "}", !hexDigits.isEmpty else {
                    report(ExpressionDiagnostics.invalidEscape(text(start..<index), range: sourceMap.range(start..<index)))
                    return nil
                }
                index += 1
            } else {
                while let digit = peek(), digit.properties.isASCIIHexDigit, hexDigits.count < 4 {
                    hexDigits.unicodeScalars.append(digit)
                    index += 1
                }
                guard hexDigits.count == 4 else {
                    report(ExpressionDiagnostics.invalidEscape(text(start..<index), range: sourceMap.range(start..<index)))
                    return nil
                }
            }
            guard let code = UInt32(hexDigits, radix: 16), let scalar = Unicode.Scalar(code) else {
                report(ExpressionDiagnostics.invalidEscape(text(start..<index), range: sourceMap.range(start..<index)))
                return nil
            }
            return scalar
        default:
            report(ExpressionDiagnostics.invalidEscape(text(start..<index), range: sourceMap.range(start..<index)))
            return nil
        }
    }
}
