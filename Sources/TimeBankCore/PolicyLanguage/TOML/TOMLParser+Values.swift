/// Values: strings, booleans, numbers and date-times, and the dispatch to arrays and inline tables.
extension TOMLParser {
    /// Reads one value at the current position. `depth` is the nesting depth of the table or
    /// array that holds it; an array or inline table it opens is one deeper.
    mutating func parseValue(depth: Int) -> ValueOutcome {
        guard let byte = current else { return .missing }
        switch byte {
        case Byte.quote, Byte.apostrophe:
            let start = position
            guard let string = parseString() else { return .failed }
            return .value(TOMLValue(kind: .string(string), range: sourceMap.range(start, position)))
        case Byte.openBracket:
            return parseArray(depth: depth + 1)
        case Byte.openBrace:
            return parseInlineTable(depth: depth + 1)
        case Byte.lineFeed, Byte.carriageReturn, Byte.hash, Byte.comma, Byte.closeBracket, Byte.closeBrace:
            return .missing
        default:
            if TOMLParser.isControl(byte) {
                report(TOMLDiagnostics.controlCharacter(byte, context: "here", range: sourceMap.pointRange(at: position)))
                position += 1
                return .failed
            }
            if fullWidthSign(at: position) == .comma { return .missing }
            return parseBareValue()
        }
    }

    /// Reads a value written without quotes or brackets: a boolean, a number or a date-time.
    private mutating func parseBareValue() -> ValueOutcome {
        let start = position
        if !skipCurlyQuotedText() { skipValueWord(from: start) }
        // A date, a space and a time form one date-time: `1979-05-27 07:32:00`.
        if position - start == 10, TOMLScalarReader.isDatePattern(bytes, at: start), current == Byte.space,
           let first = byte(at: position + 1), Byte.isDigit(first),
           let second = byte(at: position + 2), Byte.isDigit(second), byte(at: position + 3) == Byte.colon {
            position += 1
            skipValueWord(from: start)
        }
        let word = Array(bytes[start..<position])
        let text = String(decoding: word, as: UTF8.self)
        let range = sourceMap.range(start, position)
        if text == "true" || text == "false" {
            return .value(TOMLValue(kind: .boolean(text == "true"), range: range))
        }
        // The line as it should be written, when the value is the whole right side of `key = value`.
        // Full-width signs and spaces before the value (`points_per_hour ＝ １２`) are written right too, so the line pastes clean.
        let keyText = keyValueStart.flatMap { $0.value == start ? halfWidth($0.key..<$0.value) : nil }
        func written(_ value: String) -> String { (keyText ?? "") + value }
        if TOMLScalarReader.looksLikeDateOrTime(word) {
            switch TOMLScalarReader.readDateTime(word) {
            case .success(let dateTime):
                return .value(TOMLValue(kind: .dateTime(dateTime), range: range))
            case .failure(let problem):
                // 2026-10: a month, not a date.
                let help = TOMLScalarReader.isYearMonth(word)
                    ? "a date needs its day too, such as \(text)-01; a month such as \(text) is text: write it in quotes, \(written("\"" + text + "\""))"
                    : nil
                report(TOMLDiagnostics.invalidDateTime(text, reason: problem.reason, help: help, range: range))
                return .failed
            }
        }
        // 0。5: the point typed with a Chinese input method, which gives the ideographic full stop.
        if let number = TOMLScalarReader.numberWithIdeographicPoint(text) {
            report(TOMLDiagnostics.ideographicDecimalPoint(text, fixed: written(number), range: range))
            return .failed
        }
        // １０ typed with a Chinese input method: the same number in ASCII digits.
        if let halfWidth = TOMLScalarReader.halfWidthNumber(text) {
            report(TOMLDiagnostics.fullWidthDigits(text, isNumberStart: Byte.isDigit(word[0]), fixed: written(halfWidth), range: range))
            return .failed
        }
        let first = word[0]
        if Byte.isDigit(first) || first == Byte.plus || first == Byte.minus || first == Byte.dot
            || text == "inf" || text == "nan" {
            let number = TOMLScalarReader.readNumber(word)
            // 30 分钟, 8 h: a unit after the number and a space; reported as the unit written right after it is.
            if case .integer = number, let unit = unitAfterSpace(from: position) {
                return reportUnitAfterSpace(start: start, unit: unit, isFloat: false, written: written)
            }
            if case .float(let value) = number, value.isFinite, let unit = unitAfterSpace(from: position) {
                return reportUnitAfterSpace(start: start, unit: unit, isFloat: true, written: written)
            }
            switch number {
            case .integer(let value):
                return .value(TOMLValue(kind: .integer(TOMLInteger(text: text, value: value)), range: range))
            case .float(let value):
                return .value(TOMLValue(kind: .float(TOMLFloat(text: text, value: value)), range: range))
            case _ where TOMLScalarReader.unitAfterNumber(word) != nil:
                // 8h, 0.5元, 30分钟: a unit written after the number.
                let (value, unit, isFloat) = TOMLScalarReader.unitAfterNumber(word)!
                report(TOMLDiagnostics.unitAfterNumber(text, unit: unit, isFloat: isFloat, fixed: written(value), range: range))
            case .invalidInteger(let reason, let suggestion):
                report(TOMLDiagnostics.invalidInteger(text, reason: reason, suggestion: suggestion, range: range))
            case .invalidFloat(let reason, let suggestion):
                report(TOMLDiagnostics.invalidFloat(text, reason: reason, suggestion: suggestion, range: range))
            case .outOfRange:
                report(TOMLDiagnostics.integerOutOfRange(text, range: range))
            }
            return .failed
        }
        // `when = record.category == "orange"`: a condition or computed amount typed without its quotes. "Put the word in
        // quotes" would give `when = "record.category" == "orange"`: the whole expression goes in single quotes.
        if keyText != nil, let expression = bareExpression(from: start) {
            let text = String(decoding: bytes[start..<expression], as: UTF8.self)
            report(TOMLDiagnostics.expressionWithoutQuotes(text, written: text.contains("'") ? nil : written("'" + text + "'"),
                                                           range: sourceMap.range(start, expression)))
            return .failed
        }
        report(TOMLDiagnostics.unknownValue(text, range: range))
        return .failed
    }

    /// Where an expression written without quotes from `start` ends (before a comment and trailing spaces), when the
    /// rest of the line reads as one: it starts with `record.`, `volunteer.`, `household.` or `has(`, or holds a
    /// comparison or a logical operator. Nil for anything else, such as Chinese text without quotes.
    private func bareExpression(from start: Int) -> Int? {
        var end = start
        var inText = false
        while end < bytes.count, bytes[end] != Byte.lineFeed, bytes[end] != Byte.carriageReturn {
            if bytes[end] == Byte.quote { inText.toggle() }
            if bytes[end] == Byte.hash, !inText { break }
            end += 1
        }
        while end > start, bytes[end - 1] == Byte.space || bytes[end - 1] == Byte.tab { end -= 1 }
        let rest = String(decoding: bytes[start..<end], as: UTF8.self)
        let starts = ["record.", "volunteer.", "household.", "has("].contains { rest.hasPrefix($0) }
        let operators = ["==", "!=", "<", ">", "&&", "||"].contains { rest.contains($0) }
        return starts || operators ? end : nil
    }

    /// `30 分钟`, `8 h`, `2 小时`: after a number that ends at `numberEnd`, spaces (ASCII or full-width) and then a word of
    /// letters (a unit) that ends the value: the line, a comment, `,`, `]` or `}` comes next, not `=` (so `{ count = 1
    /// per = "month" }`, a missing comma, is not read as a unit). The unit and where it ends; nil for anything else.
    private func unitAfterSpace(from numberEnd: Int) -> (text: String, end: Int)? {
        var index = numberEnd
        func skipSpaces() -> Bool {
            var skipped = false
            while index < bytes.count {
                if bytes[index] == Byte.space || bytes[index] == Byte.tab {
                    index += 1
                } else if isFullWidthSpace(at: index) {
                    index += 3
                } else {
                    break
                }
                skipped = true
            }
            return skipped
        }
        guard skipSpaces() else { return nil }
        let unitStart = index
        while index < bytes.count, ![Byte.space, Byte.tab, Byte.lineFeed, Byte.carriageReturn, Byte.hash, Byte.comma, Byte.closeBracket,
                                     Byte.closeBrace, Byte.equals].contains(bytes[index]),
              !TOMLParser.isControl(bytes[index]), !isFullWidthSpace(at: index) {
            index += 1
        }
        guard index > unitStart else { return nil }
        let unit = String(decoding: bytes[unitStart..<index], as: UTF8.self)
        // Letters only: ASCII letters, or letters of any script (分钟, 小时, 元); not true, false, inf or nan.
        guard unit.unicodeScalars.allSatisfy({ $0.isASCII ? (0x41...0x5A).contains($0.value) || (0x61...0x7A).contains($0.value)
                                                            : $0.properties.isAlphabetic }),
              !["true", "false", "inf", "nan"].contains(unit) else { return nil }
        let unitEnd = index
        _ = skipSpaces()
        guard index == bytes.count || [Byte.lineFeed, Byte.carriageReturn, Byte.hash, Byte.comma, Byte.closeBracket,
                                       Byte.closeBrace].contains(bytes[index]) else { return nil }
        return (unit, unitEnd)
    }

    /// Reports `30 分钟` (the number from `start`, a space and `unit`) as a unit written after the number, and moves past it.
    private mutating func reportUnitAfterSpace(start: Int, unit: (text: String, end: Int), isFloat: Bool,
                                               written: (String) -> String) -> ValueOutcome {
        let number = String(decoding: bytes[start..<position], as: UTF8.self)
        let text = String(decoding: bytes[start..<unit.end], as: UTF8.self)
        report(TOMLDiagnostics.unitAfterNumber(text, unit: unit.text, isFloat: isFloat, fixed: written(number),
                                               range: sourceMap.range(start, unit.end)))
        position = unit.end
        return .failed
    }

    /// Moves past a run of characters up to whitespace (a full-width space too), a line end, `,`, `]`, `}`, `#` or a
    /// control character. A full-width comma `，` also ends a number, date or boolean, so
    /// `2026-10-03，` is a date followed by a wrong comma; in text without quotes such as
    /// `张三，李四` it stays part of the word.
    private mutating func skipValueWord(from start: Int) {
        while let byte = current {
            switch byte {
            case Byte.space, Byte.tab, Byte.lineFeed, Byte.carriageReturn, Byte.comma, Byte.closeBracket,
                 Byte.closeBrace, Byte.hash:
                return
            default:
                if TOMLParser.isControl(byte) { return }
                if fullWidthSign(at: position) == .comma, startsNumberDateOrBoolean(bytes[start..<position]) { return }
                // A full-width space ends a value as a space does (it is reported after it).
                if isFullWidthSpace(at: position), position > start { return }
                position += 1
            }
        }
    }

    /// At `“` or `‘` (text pasted from a document): moves past the closing `”` or `’` on the same
    /// line, so the whole text, spaces and commas too, is one word in the message. False, without
    /// moving, when there is no opening curly quote or no closing one on the line (or a control
    /// character comes first, so a suggestion never holds one).
    private mutating func skipCurlyQuotedText() -> Bool {
        // “ and „ are closed by ”, ‘ by ’ (each three bytes: E2 80 xx).
        guard byte(at: position) == 0xE2, byte(at: position + 1) == 0x80, let opener = byte(at: position + 2),
              let closer: UInt8 = opener == 0x9C || opener == 0x9E ? 0x9D : opener == 0x98 ? 0x99 : nil else { return false }
        var index = position + 3
        while index + 2 < bytes.count, bytes[index] != Byte.lineFeed, bytes[index] != Byte.carriageReturn,
              !TOMLParser.isControl(bytes[index]) {
            if bytes[index] == 0xE2, bytes[index + 1] == 0x80, bytes[index + 2] == closer {
                position = index + 3
                return true
            }
            index += 1
        }
        return false
    }

    /// True for the start of a number, date or boolean: a digit (full-width too, `１２，`), sign or point first, or a word
    /// such as `true`.
    private func startsNumberDateOrBoolean(_ word: ArraySlice<UInt8>) -> Bool {
        guard let first = word.first else { return false }
        if Byte.isDigit(first) || first == Byte.plus || first == Byte.minus || first == Byte.dot { return true }
        if word.count >= 3, first == 0xEF, word[word.startIndex + 1] == 0xBC, (0x90...0x99).contains(word[word.startIndex + 2]) { return true }
        return ["true", "false", "inf", "nan"].contains { word.elementsEqual($0.utf8) }
    }
}

/// Reads numbers and date-times from the bytes of one word, as the TOML grammar defines them.
enum TOMLScalarReader {
    /// What a word read as a number gave.
    enum Number: Equatable {
        case integer(Int64)
        case float(Double)
        case invalidInteger(reason: String, suggestion: String?)
        case invalidFloat(reason: String, suggestion: String?)
        case outOfRange
    }

    /// Why a word is not a valid date or time.
    struct DateTimeProblem: Error, Equatable {
        var reason: String
    }

    // MARK: Numbers

    /// Reads a TOML integer (decimal, `0x`, `0o`, `0b`) or float (`1.5`, `1e6`, `inf`, `nan`).
    static func readNumber(_ word: [UInt8]) -> Number {
        var text: String { String(decoding: word, as: UTF8.self) }
        var index = 0
        var isNegative = false
        var hasSign = false
        if let first = word.first, first == Byte.plus || first == Byte.minus {
            hasSign = true
            isNegative = first == Byte.minus
            index = 1
        }
        let unsigned = word[index...]
        if unsigned.elementsEqual("inf".utf8) { return .float(isNegative ? -Double.infinity : Double.infinity) }
        if unsigned.elementsEqual("nan".utf8) { return .float(isNegative ? -Double.nan : Double.nan) }
        guard index < word.count else {
            return .invalidInteger(reason: "a sign must be followed by digits", suggestion: nil)
        }
        if word[index] == Byte.zero, index + 1 < word.count, let radix = prefixedRadix(word[index + 1]) {
            if hasSign {
                return .invalidInteger(
                    reason: "hexadecimal, octal and binary numbers cannot have a sign", suggestion: nil)
            }
            return readPrefixedInteger(word, digitsFrom: index + 2, radix: radix)
        }

        let integerStart = index
        let integerPart = scanDigits(word, from: index, radix: 10)
        index = integerPart.end
        if integerPart.digitCount == 0 {
            if index < word.count && word[index] == Byte.dot {
                return .invalidFloat(reason: "a decimal point needs a digit before it",
                                     suggestion: "write \((hasSign ? String(text.prefix(1)) : ""))0\(text.dropFirst(hasSign ? 1 : 0))")
            }
            return .invalidInteger(reason: "expected a digit", suggestion: nil)
        }
        var isFloat = false
        var fractionProblem = false
        var exponentProblem = false
        var misplacedUnderscore = integerPart.misplacedUnderscore
        if index < word.count && word[index] == Byte.dot {
            isFloat = true
            let fraction = scanDigits(word, from: index + 1, radix: 10)
            fractionProblem = fraction.digitCount == 0
            misplacedUnderscore = misplacedUnderscore || fraction.misplacedUnderscore
            index = fraction.end
        }
        if !fractionProblem, index < word.count, word[index] == 0x65 || word[index] == 0x45 {  // e, E
            isFloat = true
            index += 1
            if index < word.count && (word[index] == Byte.plus || word[index] == Byte.minus) { index += 1 }
            let exponent = scanDigits(word, from: index, radix: 10)
            exponentProblem = exponent.digitCount == 0
            misplacedUnderscore = misplacedUnderscore || exponent.misplacedUnderscore
            index = exponent.end
        }
        if fractionProblem {
            return .invalidFloat(reason: "a decimal point must be followed by a digit",
                                 suggestion: index == word.count ? "write \(text)0" : nil)
        }
        if exponentProblem {
            return .invalidFloat(reason: "an exponent needs digits after the \"e\"", suggestion: "write e.g. 1e6 or 2.5e-3")
        }
        if index < word.count {
            let rest = String(decoding: word[index...], as: UTF8.self)
            let reason = "unexpected \(TOMLDiagnostics.quoted(String(rest.prefix(1)))) in the number"
            // 10% and 2026/10/01 are common enough to say exactly what to write instead.
            let suggestion = TOMLDiagnostics.percentageHelp(text) ?? dateWithOtherSeparatorsHelp(text)
            return isFloat ? .invalidFloat(reason: reason, suggestion: suggestion) : .invalidInteger(reason: reason, suggestion: suggestion)
        }
        if misplacedUnderscore {
            let reason = "an underscore must stand between two digits"
            let suggestion = "write e.g. 1_000 or 1_000.5"
            return isFloat ? .invalidFloat(reason: reason, suggestion: suggestion)
                : .invalidInteger(reason: reason, suggestion: suggestion)
        }
        let integerDigits = word[integerStart..<integerPart.end].filter { $0 != Byte.underscore }
        if integerDigits.count > 1 && integerDigits[0] == Byte.zero {
            let trimmed = integerDigits.drop { $0 == Byte.zero }
            let integerText = trimmed.isEmpty ? "0" : String(decoding: trimmed, as: UTF8.self)
            let rest = String(decoding: word[integerPart.end...], as: UTF8.self)
            let suggestion = "write \(hasSign ? String(text.prefix(1)) : "")\(integerText)\(rest)"
            return isFloat ? .invalidFloat(reason: "leading zeros are not allowed", suggestion: suggestion)
                : .invalidInteger(reason: "leading zeros are not allowed", suggestion: suggestion)
        }
        if isFloat {
            let cleaned = String(decoding: word.filter { $0 != Byte.underscore }, as: UTF8.self)
            guard let value = Double(cleaned) else {
                return .invalidFloat(reason: "not a number", suggestion: nil)
            }
            return .float(value)
        }
        guard let magnitude = accumulate(integerDigits[...], radix: 10) else { return .outOfRange }
        return makeInt64(magnitude: magnitude, isNegative: isNegative)
    }

    private static func prefixedRadix(_ letter: UInt8) -> UInt64? {
        switch letter {
        case 0x78: return 16  // x
        case 0x6F: return 8   // o
        case 0x62: return 2   // b
        default: return nil
        }
    }

    private static func readPrefixedInteger(_ word: [UInt8], digitsFrom start: Int, radix: UInt64) -> Number {
        let name = radix == 16 ? "hexadecimal" : radix == 8 ? "octal" : "binary"
        let scan = scanDigits(word, from: start, radix: radix)
        if scan.end < word.count {
            let bad = String(decoding: word[scan.end...], as: UTF8.self).prefix(1)
            return .invalidInteger(reason: "\(TOMLDiagnostics.quoted(String(bad))) is not a \(name) digit", suggestion: nil)
        }
        if scan.digitCount == 0 {
            return .invalidInteger(reason: "expected \(name) digits after the prefix", suggestion: nil)
        }
        if scan.misplacedUnderscore {
            return .invalidInteger(reason: "an underscore must stand between two digits", suggestion: nil)
        }
        let digits = word[start...].filter { $0 != Byte.underscore }
        guard let magnitude = accumulate(digits[...], radix: radix) else { return .outOfRange }
        return makeInt64(magnitude: magnitude, isNegative: false)
    }

    private static func makeInt64(magnitude: UInt64, isNegative: Bool) -> Number {
        if isNegative {
            if magnitude == UInt64(Int64.max) + 1 { return .integer(Int64.min) }
            guard magnitude <= UInt64(Int64.max) else { return .outOfRange }
            return .integer(-Int64(magnitude))
        }
        guard magnitude <= UInt64(Int64.max) else { return .outOfRange }
        return .integer(Int64(magnitude))
    }

    private static func accumulate(_ digits: ArraySlice<UInt8>, radix: UInt64) -> UInt64? {
        var value: UInt64 = 0
        for byte in digits {
            guard let digit = TOMLParser.hexValue(byte) else { return nil }
            let (shifted, overflowA) = value.multipliedReportingOverflow(by: radix)
            let (sum, overflowB) = shifted.addingReportingOverflow(UInt64(digit))
            if overflowA || overflowB { return nil }
            value = sum
        }
        return value
    }

    /// Scans digits of `radix` with single underscores between them.
    private static func scanDigits(_ word: [UInt8], from start: Int, radix: UInt64)
        -> (end: Int, digitCount: Int, misplacedUnderscore: Bool) {
        var index = start
        var digitCount = 0
        var lastWasUnderscore = false
        var misplaced = false
        while index < word.count {
            let byte = word[index]
            if let digit = TOMLParser.hexValue(byte), UInt64(digit) < radix {
                digitCount += 1
                lastWasUnderscore = false
            } else if byte == Byte.underscore {
                if digitCount == 0 || lastWasUnderscore { misplaced = true }
                lastWasUnderscore = true
            } else {
                break
            }
            index += 1
        }
        if lastWasUnderscore { misplaced = true }
        return (index, digitCount, misplaced)
    }

    // MARK: Dates and times

    /// A date written with other separators: `2026/10/1`, `2026.10.01` or `2026年10月1日`. `.day`: the day it names;
    /// `.noDay`: the shape of a date but no day of the calendar (`2026/13/1`); nil for anything else.
    enum OtherSeparators: Equatable { case day(LocalDate), noDay }

    static func dateWithOtherSeparators(_ text: String) -> OtherSeparators? {
        let parts: [Substring]
        if text.contains("/") {
            parts = text.split(separator: "/", omittingEmptySubsequences: false)
        } else if text.contains(".") {
            parts = text.split(separator: ".", omittingEmptySubsequences: false)
        } else if text.hasSuffix("日"), let yearEnd = text.firstIndex(of: "年"), let monthEnd = text.firstIndex(of: "月"), yearEnd < monthEnd {
            parts = [text[..<yearEnd], text[text.index(after: yearEnd)..<monthEnd], text[text.index(after: monthEnd)...].dropLast()]
        } else {
            return nil
        }
        guard parts.count == 3, parts[0].count == 4, (1...2).contains(parts[1].count), (1...2).contains(parts[2].count),
              parts.allSatisfy({ $0.utf8.allSatisfy(Byte.isDigit) }),
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]) else { return nil }
        return LocalDate(year: year, month: month, day: day).map(OtherSeparators.day) ?? .noDay
    }

    /// How TOML writes a date given with other separators (`write the date as 2026-10-01 (YYYY-MM-DD)`); nil for anything
    /// that is not such a date.
    static func dateWithOtherSeparatorsHelp(_ text: String) -> String? {
        switch dateWithOtherSeparators(text) {
        case .day(let date): "write the date as \(date) (YYYY-MM-DD)"
        case .noDay: "write the date as YYYY-MM-DD, e.g. 2026-10-01"
        case nil: nil
        }
    }

    /// `DDDD-DD`: a year and a month (TOML has no such value).
    static func isYearMonth(_ word: [UInt8]) -> Bool {
        word.count == 7 && word[4] == Byte.minus && word.enumerated().allSatisfy { $0.offset == 4 || Byte.isDigit($0.element) }
    }

    /// The number written with full-width digits (０-９, and ．－＋ with them) as ASCII, when it has one and then reads
    /// as a TOML number: `１０` → `10`, `０．５` → `0.5`. Nil for anything else.
    static func halfWidthNumber(_ text: String) -> String? {
        var ascii = ""
        var hadFullWidth = false
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0xFF10...0xFF19:
                ascii.unicodeScalars.append(Unicode.Scalar(scalar.value - 0xFF10 + 0x30)!)
                hadFullWidth = true
            case 0xFF0E: ascii.append("."); hadFullWidth = true
            case 0xFF0D: ascii.append("-"); hadFullWidth = true
            case 0xFF0B: ascii.append("+"); hadFullWidth = true
            case 0x30...0x39, 0x2E, 0x2D, 0x2B, 0x5F, 0x65, 0x45: ascii.unicodeScalars.append(scalar)
            default: return nil
            }
        }
        guard hadFullWidth else { return nil }
        switch readNumber(Array(ascii.utf8)) {
        case .integer, .float: return ascii
        default: return nil
        }
    }

    /// The number written with the ideographic full stop `。` (what the "." key types in a Chinese input method) for its
    /// decimal point, in ASCII, when it then reads as a TOML number: `0。5` → `0.5`, `１。５` → `1.5`. Nil for anything else.
    static func numberWithIdeographicPoint(_ text: String) -> String? {
        guard text.contains("。") else { return nil }
        let pointed = String(text.map { $0 == "。" ? "." : $0 })
        if let halfWidth = halfWidthNumber(pointed) { return halfWidth }
        switch readNumber(Array(pointed.utf8)) {
        case .float(let value) where value.isFinite: return pointed
        default: return nil
        }
    }

    /// `8h`, `0.5元`, `30分钟`: a number followed by a unit (letters or non-ASCII characters, no digits or signs), perhaps
    /// after spaces (`30 分钟`, as the parser reports it), as the number's text, the unit, and whether the number is a decimal.
    /// Nil for anything else (`10%` and `2026/10/01` have their own help).
    static func unitAfterNumber(_ word: [UInt8]) -> (number: String, unit: String, isFloat: Bool)? {
        guard word.count >= 2 else { return nil }
        for split in stride(from: word.count - 1, through: 1, by: -1) where word[split] & 0xC0 != 0x80 {
            let unit = word[split...]
            guard unit.allSatisfy({ $0 >= 0x80 || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }) else { continue }
            // Full-width signs and digits are not units.
            let unitText = String(decoding: unit, as: UTF8.self)
            guard !unitText.unicodeScalars.contains(where: { (0xFF01...0xFF20).contains($0.value) || $0.properties.isWhitespace }) else { return nil }
            // `30 分钟`: the spaces between the number and the unit (ASCII or full-width) are not part of either.
            var numberEnd = split
            while numberEnd > 0, word[numberEnd - 1] == Byte.space || word[numberEnd - 1] == Byte.tab
                    || (numberEnd >= 3 && word[(numberEnd - 3)..<numberEnd].elementsEqual([0xE3, 0x80, 0x80])) {
                numberEnd -= word[numberEnd - 1] == 0x80 ? 3 : 1
            }
            guard numberEnd > 0 else { return nil }
            switch readNumber(Array(word[..<numberEnd])) {
            case .integer: return (String(decoding: word[..<numberEnd], as: UTF8.self), unitText, false)
            case .float(let value) where value.isFinite: return (String(decoding: word[..<numberEnd], as: UTF8.self), unitText, true)
            default: continue
            }
        }
        return nil
    }

    /// True when `bytes` at `offset` hold `DDDD-DD-DD`.
    static func isDatePattern(_ bytes: [UInt8], at offset: Int) -> Bool {
        guard offset + 10 <= bytes.count else { return false }
        for index in 0..<10 {
            let byte = bytes[offset + index]
            if index == 4 || index == 7 {
                if byte != Byte.minus { return false }
            } else if !Byte.isDigit(byte) {
                return false
            }
        }
        return true
    }

    /// True for words whose leading digits are followed by `-` or `:`, like a date (`2026-10-01`)
    /// or a time (`09:30`), even a malformed one (`8:30`), so the message is about dates and times.
    static func looksLikeDateOrTime(_ word: [UInt8]) -> Bool {
        let leadingDigits = word.prefix(while: Byte.isDigit).count
        guard leadingDigits > 0, leadingDigits < word.count else { return false }
        return word[leadingDigits] == Byte.minus || word[leadingDigits] == Byte.colon
    }

    /// Reads an offset date-time, local date-time, local date or local time (RFC 3339 with
    /// TOML's relaxations: a space or `t` may separate date and time; seconds are optional).
    static func readDateTime(_ word: [UInt8]) -> Result<TOMLDateTime, DateTimeProblem> {
        let leadingDigits = word.prefix(while: Byte.isDigit).count
        if leadingDigits < word.count && word[leadingDigits] == Byte.colon {
            switch readTime(word, from: 0) {
            case .failure(let problem): return .failure(problem)
            case .success(let (time, end)):
                guard end == word.count else {
                    return .failure(DateTimeProblem(reason: "unexpected text after the time"))
                }
                return .success(.localTime(time))
            }
        }
        guard isDatePattern(word, at: 0) else {
            return .failure(DateTimeProblem(reason: "write the date as YYYY-MM-DD with leading zeros, e.g. 2026-07-05"))
        }
        let year = number(word, 0, 4)
        let month = number(word, 5, 2)
        let day = number(word, 8, 2)
        guard (1...12).contains(month) else {
            return .failure(DateTimeProblem(reason: "the month must be 01 to 12"))
        }
        let daysInMonth = LocalDate.daysIn(month: month, year: year)
        guard (1...daysInMonth).contains(day) else {
            if day == 0 { return .failure(DateTimeProblem(reason: "the day must be 01 or more")) }
            return .failure(DateTimeProblem(
                reason: "month \(TOMLDate.padded(month, width: 2)) of \(TOMLDate.padded(year, width: 4)) has \(daysInMonth) days"))
        }
        let date = TOMLDate(year: year, month: month, day: day)
        if word.count == 10 { return .success(.localDate(date)) }
        let separator = word[10]
        guard separator == 0x54 || separator == 0x74 || separator == Byte.space else {  // T, t
            return .failure(DateTimeProblem(reason: "put T between the date and the time, e.g. 2026-07-05T09:30:00"))
        }
        let time: TOMLTime
        var index: Int
        switch readTime(word, from: 11) {
        case .failure(let problem): return .failure(problem)
        case .success(let (readTime, end)):
            time = readTime
            index = end
        }
        if index == word.count { return .success(.localDateTime(date, time)) }
        let marker = word[index]
        if (marker == 0x5A || marker == 0x7A) && index + 1 == word.count {  // Z, z
            return .success(.offsetDateTime(date, time, TOMLTimeOffset(minutesEastOfUTC: 0, isZulu: true)))
        }
        if marker == Byte.plus || marker == Byte.minus {
            index += 1
            guard index + 5 == word.count, Byte.isDigit(word[index]), Byte.isDigit(word[index + 1]),
                  word[index + 2] == Byte.colon, Byte.isDigit(word[index + 3]), Byte.isDigit(word[index + 4]) else {
                return .failure(DateTimeProblem(reason: "write the offset as +HH:MM or -HH:MM, e.g. +08:00"))
            }
            let hours = number(word, index, 2)
            let minutes = number(word, index + 3, 2)
            guard hours <= 23, minutes <= 59 else {
                return .failure(DateTimeProblem(reason: "the offset must be between -23:59 and +23:59"))
            }
            let total = hours * 60 + minutes
            return .success(.offsetDateTime(date, time, TOMLTimeOffset(minutesEastOfUTC: marker == Byte.minus ? -total : total)))
        }
        return .failure(DateTimeProblem(reason: "unexpected text after the time; write an offset as Z or +08:00"))
    }

    private static func readTime(_ word: [UInt8], from start: Int) -> Result<(TOMLTime, Int), DateTimeProblem> {
        let shape = DateTimeProblem(reason: "write the time as HH:MM or HH:MM:SS with two digits each, e.g. 09:30")
        guard start + 5 <= word.count, Byte.isDigit(word[start]), Byte.isDigit(word[start + 1]),
              word[start + 2] == Byte.colon, Byte.isDigit(word[start + 3]), Byte.isDigit(word[start + 4]) else {
            return .failure(shape)
        }
        let hour = number(word, start, 2)
        let minute = number(word, start + 3, 2)
        guard hour <= 23 else { return .failure(DateTimeProblem(reason: "the hour must be 00 to 23")) }
        guard minute <= 59 else { return .failure(DateTimeProblem(reason: "the minutes must be 00 to 59")) }
        var index = start + 5
        guard index < word.count, word[index] == Byte.colon else {
            return .success((TOMLTime(hour: hour, minute: minute, second: 0, hasSeconds: false), index))
        }
        guard index + 3 <= word.count, Byte.isDigit(word[index + 1]), Byte.isDigit(word[index + 2]) else {
            return .failure(shape)
        }
        let second = number(word, index + 1, 2)
        // 60 is a leap second, which RFC 3339 allows.
        guard second <= 60 else { return .failure(DateTimeProblem(reason: "the seconds must be 00 to 59")) }
        index += 3
        var fraction = ""
        if index < word.count && word[index] == Byte.dot {
            let fractionStart = index + 1
            index = fractionStart
            while index < word.count && Byte.isDigit(word[index]) { index += 1 }
            guard index > fractionStart else {
                return .failure(DateTimeProblem(reason: "a decimal point in the seconds must be followed by digits"))
            }
            fraction = String(decoding: word[fractionStart..<index], as: UTF8.self)
        }
        return .success((TOMLTime(hour: hour, minute: minute, second: second, hasSeconds: true, fractionDigits: fraction), index))
    }

    private static func number(_ word: [UInt8], _ start: Int, _ count: Int) -> Int {
        var value = 0
        for index in start..<(start + count) { value = value * 10 + Int(word[index] - Byte.zero) }
        return value
    }
}
