/// The stable ids of the TOML decoder's diagnostics (documented in `docs/policy-errors.md`).
/// Ids are never reused for another meaning.
public enum TOMLDiagnosticID: String, Sendable, CaseIterable {
    case invalidUTF8 = "P001"
    case controlCharacter = "P002"
    case fileTooLarge = "P003"
    case nestingTooDeep = "P004"
    case stringTooLong = "P005"
    case tooManyProblems = "P006"
    case expectedKey = "P007"
    case invalidBareKeyCharacter = "P008"
    case expectedEquals = "P009"
    case expectedValue = "P010"
    case expectedLineEnd = "P011"
    case unterminatedString = "P012"
    case invalidEscape = "P013"
    case invalidUnicodeEscape = "P014"
    case multilineKey = "P015"
    case invalidInteger = "P016"
    case integerOutOfRange = "P017"
    case invalidFloat = "P018"
    case invalidDateTime = "P019"
    case unknownValue = "P020"
    case arrayExpectedCommaOrEnd = "P021"
    case unclosedArray = "P022"
    case inlineTableExpectedCommaOrEnd = "P023"
    case unclosedInlineTable = "P024"
    case duplicateKey = "P025"
    case duplicateTable = "P026"
    case valueIsNotTable = "P027"
    case inlineValueIsClosed = "P028"
    case dottedKeyTableConflict = "P029"
    case arrayOfTablesConflict = "P030"
    case malformedTableHeader = "P031"
    case emptyKeyPart = "P032"
}

/// Every message of the TOML decoder, written for a person editing the file.
enum TOMLDiagnostics {
    private static func error(
        _ id: TOMLDiagnosticID, _ message: String, _ range: SourceRange, help: [String] = [], notes: [String] = []
    ) -> Diagnostic {
        Diagnostic(severity: .error, id: id.rawValue, message: message, range: range, help: help, notes: notes)
    }

    /// `encoding` is what the whole file most likely is (`TextEncodingCheck`): the note names it.
    static func invalidUTF8(byte: UInt8, range: SourceRange, encoding: LikelyTextEncoding) -> Diagnostic {
        let looks: String
        switch encoding {
        case .gb18030:
            looks = "the file looks like GB18030/GBK (older Windows editors save Chinese text so): this shows at its first Chinese character"
        case .utf16WithByteOrderMark, .utf16LittleEndian, .utf16BigEndian:
            looks = "the file looks like \(encoding.displayName), what Windows Notepad calls \"Unicode\""
        case .latin1:
            looks = "the file looks like \(encoding.displayName)"
        case .damagedUTF8:
            looks = "the rest of the file looks like UTF-8: it is damaged at this byte (retype the character there)"
        case .spreadsheetWorkbook, .binary:
            looks = "the file is \(encoding.displayName), not text: check that this is the policy file"
        }
        let convert = encoding.iconvName.map { ["or convert it: iconv -f \($0) -t UTF-8 FILE > FILE-utf8.toml"] } ?? []
        return error(.invalidUTF8, "the byte 0x\(hex(UInt32(byte), digits: 2)) is not valid UTF-8 text", range,
                     help: ["save the file as UTF-8 (in most editors: Save As, then Encoding: UTF-8)"] + convert,
                     notes: [looks + "; the rest of the file was not checked"])
    }

    /// A spreadsheet or document where the text of a policy belongs (P001: the file is not UTF-8 text).
    static func officeDocument(_ kind: String, range: SourceRange) -> Diagnostic {
        error(.invalidUTF8, "the file is \(kind)", range,
              help: ["a policy is a text file: write it in a text editor (Notepad, VS Code) and save it as UTF-8 with a .toml name; "
                     + "start from config/policy.toml"],
              notes: ["nothing in the file was checked"])
    }

    static func controlCharacter(_ byte: UInt8, context: String, range: SourceRange) -> Diagnostic {
        if byte == 0x0D {
            return error(.controlCharacter, "a carriage return (U+000D) \(context) must be followed by a line feed", range,
                         help: ["save the file with LF or CRLF line endings"])
        }
        var help = ["delete this invisible character (a tab is fine)"]
        if context == "in a string" {
            help.append("to put it into the text, write it as the escape \\u\(hex(UInt32(byte), digits: 4)) in a \"...\" string")
        }
        return error(.controlCharacter, "the control character U+\(hex(UInt32(byte), digits: 4)) is not allowed \(context)", range,
                     help: help)
    }

    static func fileTooLarge(byteCount: Int, limit: Int, range: SourceRange) -> Diagnostic {
        error(.fileTooLarge, "the file is \(byteCount) bytes, more than the limit of \(limit) bytes", range,
              help: ["remove unused parts of the file; nothing in it was checked"])
    }

    static func nestingTooDeep(limit: Int, range: SourceRange) -> Diagnostic {
        error(.nestingTooDeep, "this is nested more than \(limit) levels deep", range,
              help: ["flatten the structure: use [table] headers instead of deeply nested keys, arrays or inline tables"])
    }

    static func stringTooLong(limit: Int, range: SourceRange) -> Diagnostic {
        error(.stringTooLong, "this string is longer than the limit of \(limit) bytes", range,
              help: ["shorten the text"])
    }

    static func tooManyProblems(limit: Int, range: SourceRange) -> Diagnostic {
        Diagnostic(severity: .note, id: TOMLDiagnosticID.tooManyProblems.rawValue,
                   message: "stopped checking after \(limit) problems", range: range,
                   help: ["fix the problems above and check the file again"])
    }

    static func expectedKey(found: String, range: SourceRange) -> Diagnostic {
        error(.expectedKey, "expected a key (a name such as rate) but found \(found)", range,
              help: ["start the line with a key name, e.g. rate = 1.5, or a table header such as [rules]"])
    }

    static func invalidBareKeyCharacter(_ character: String, word: String, range: SourceRange) -> Diagnostic {
        let codePoint = character.unicodeScalars.first.map { $0.value >= 0x80 ? " (U+\(hex($0.value, digits: 4)))" : "" } ?? ""
        // `rate: 1.5`, as in YAML or JSON: the colon was meant as "=".
        let key = word.dropLast()
        if character == ":", word.hasSuffix(":"), !key.isEmpty, key.utf8.allSatisfy(TOMLParser.isBareKeyByte) {
            return error(.invalidBareKeyCharacter, "\":\" cannot be used in a key without quotes", range,
                         help: ["write \"=\" between the key and the value, not \":\": \(key) = ..."])
        }
        return error(.invalidBareKeyCharacter, "\(quoted(character))\(codePoint) cannot be used in a key without quotes", range,
              help: ["a key without quotes may use only A-Z, a-z, 0-9, \"_\" and \"-\"; put this key in quotes: \(quoted(word))"])
    }

    /// `rate　= 1`: a full-width space U+3000 where TOML reads only spaces and tabs.
    static func fullWidthSpace(id: TOMLDiagnosticID, fixedLine: String, range: SourceRange) -> Diagnostic {
        error(id, "\"　\" (U+3000) is a full-width space, which TOML does not read as a space", range,
              help: ["type an ordinary (half-width) space, or none: \(fixedLine)"],
              notes: ["a Chinese input method types it for a space; switch it to half-width (半角) or English while writing keys and numbers"])
    }

    static func expectedEquals(key: String, found: String?, range: SourceRange) -> Diagnostic {
        let tail = found.map { ", found \($0)" } ?? ""
        return error(.expectedEquals, "expected \"=\" after the key \(quoted(key))\(tail)", range,
                     help: ["write the key, then \"=\", then the value: \(displayKey(key)) = ..."])
    }

    /// `rate ＝ 1.5` or `rate： 1.5`: reading goes on as if it were "=".
    static func fullWidthEquals(key: String, sign: FullWidthSign, range: SourceRange) -> Diagnostic {
        let help = sign == .equals ? "write the ASCII equals sign \"=\""
            : "write \"=\" between the key and the value: \(displayKey(key)) = ..."
        return error(.expectedEquals, "expected \"=\" after the key \(quoted(key)), found \(sign.spoken) \(quoted(sign.character))", range,
                     help: [help])
    }

    static func expectedValue(after: String, key: String?, range: SourceRange) -> Diagnostic {
        let message: String
        if let key {
            message = "missing value after \(after) for the key \(quoted(key))"
        } else {
            message = "missing value before \(after)"
        }
        return error(.expectedValue, message, range,
                     help: ["write a value, e.g. 1.5, \"text\", true, 2026-10-01, [1, 2] or { a = 1 }"])
    }

    static func expectedLineEnd(after: String, found: String, range: SourceRange) -> Diagnostic {
        error(.expectedLineEnd, "unexpected \(found) after \(after)", range,
              help: ["put each key = value and each [table] header on its own line; start a comment with #"])
    }

    /// `when = "record.response_level == "I""`: the second `"` ended the string. `keyText` is the
    /// line up to the string (`when = `); `suggestion` the whole line in single quotes, when that
    /// means the same text.
    static func textRightAfterString(found: String, keyText: String, suggestion: String?, isExpression: Bool,
                                     range: SourceRange) -> Diagnostic {
        let write = suggestion ?? keyText + "'...'"
        let help = isExpression
            ? "the text ends at the second \"; write expressions in single quotes: \(write)"
            : "the text ends at the second \"; write \\\" for a quote inside the text, or use single quotes: \(write)"
        return error(.expectedLineEnd, "unexpected \(found) after the value", range, help: [help])
    }

    /// `rate = 1.5，` at the end of a line.
    static func fullWidthAfterValue(_ sign: FullWidthSign, after: String, range: SourceRange) -> Diagnostic {
        let help = sign == .comma ? "delete it: each key = value goes on its own line, with no comma after it"
            : "put each key = value and each [table] header on its own line; start a comment with #"
        return error(.expectedLineEnd, "unexpected \(quoted(sign.character)) (\(sign.spoken)) after \(after)", range, help: [help])
    }

    static func unterminatedString(multiline: Bool, delimiter: String, range: SourceRange) -> Diagnostic {
        if multiline {
            return error(.unterminatedString, "this multi-line string is never closed with \(delimiter)", range,
                         help: ["add \(delimiter) where the text ends"])
        }
        return error(.unterminatedString, "this string has no closing \(delimiter) on its line", range,
                     help: ["add \(delimiter) at the end of the text; for text over several lines use \(delimiter)\(delimiter)\(delimiter)...\(delimiter)\(delimiter)\(delimiter)"])
    }

    /// `'... == "I"’`: the string was meant to end at a curly quote, which TOML does not read as one.
    static func curlyClosingQuote(_ curly: String, delimiter: String, fixedLine: String, range: SourceRange) -> Diagnostic {
        error(.unterminatedString,
              "this string has no closing \(delimiter) on its line: it ends with the curly quote \(curly), which TOML does not read as a quote",
              range, help: ["replace \(curly) with a straight \(delimiter): \(fixedLine)"],
              notes: ["a Chinese input method types curly quotes such as ‘ ’ “ ”; switch it to half-width (半角) or English for quotes"])
    }

    static func invalidEscape(_ escape: String, range: SourceRange) -> Diagnostic {
        error(.invalidEscape, "the escape \(escape) is not valid in a \"...\" string", range,
              help: ["to write a backslash use \\\\, or use a literal string '...' where \\ has no special meaning",
                     "the escapes are \\b \\t \\n \\f \\r \\e \\\" \\\\ \\xHH \\uHHHH and \\UHHHHHHHH"])
    }

    static func invalidUnicodeEscape(_ escape: String, range: SourceRange) -> Diagnostic {
        error(.invalidUnicodeEscape, "the escape \(escape) does not name a Unicode character", range,
              help: ["use a code point from U+0000 to U+10FFFF outside the surrogates U+D800 to U+DFFF"])
    }

    static func multilineKey(range: SourceRange) -> Diagnostic {
        error(.multilineKey, "a key cannot be a multi-line string", range,
              help: ["write the key on one line in \"...\" or '...' quotes"])
    }

    static func invalidInteger(_ text: String, reason: String, suggestion: String?, range: SourceRange) -> Diagnostic {
        error(.invalidInteger, "invalid integer \(quoted(text)): \(reason)", range,
              help: [suggestion ?? "write whole numbers as digits, e.g. 42, -7 or 1_000"])
    }

    static func integerOutOfRange(_ text: String, range: SourceRange) -> Diagnostic {
        error(.integerOutOfRange, "the integer \(text) is outside the range -9223372036854775808 to 9223372036854775807", range,
              help: ["use a smaller number"])
    }

    static func invalidFloat(_ text: String, reason: String, suggestion: String?, range: SourceRange) -> Diagnostic {
        error(.invalidFloat, "invalid number \(quoted(text)): \(reason)", range,
              help: [suggestion ?? "write decimal numbers with digits on both sides of the point, e.g. 1.5 or 0.25"])
    }

    static func invalidDateTime(_ text: String, reason: String, help: String? = nil, range: SourceRange) -> Diagnostic {
        error(.invalidDateTime, "invalid date or time \(quoted(text)): \(reason)", range,
              help: [help ?? "write a date as YYYY-MM-DD, a time as HH:MM or HH:MM:SS, and both as 2026-10-01T09:30:00 (add Z or +08:00 for an offset)"])
    }

    /// `１０`: digits typed full-width (by a Chinese input method). `isNumberStart`: the word began with an ASCII digit
    /// (`1０`), so it was read as a number (P016), else as an unknown value (P020).
    static func fullWidthDigits(_ text: String, isNumberStart: Bool, fixed: String, range: SourceRange) -> Diagnostic {
        error(isNumberStart ? .invalidInteger : .unknownValue,
              "\(quoted(text)) is written with full-width digits, which TOML does not read as a number", range,
              help: ["type the digits half-width (ASCII 0-9), without quotes: \(fixed)"],
              notes: ["a Chinese input method types full-width digits such as １０; switch it to half-width (半角) or English for numbers"])
    }

    /// `0。5`: the decimal point typed as the ideographic full stop (by a Chinese input method).
    static func ideographicDecimalPoint(_ text: String, fixed: String, range: SourceRange) -> Diagnostic {
        error(.invalidFloat, "invalid number \(quoted(text)): \"。\" (the Chinese full stop) is written where the decimal point belongs", range,
              help: ["type the decimal point half-width, \".\": \(fixed)"],
              notes: ["a Chinese input method types 。 for the . key; switch it to half-width (半角) or English for numbers"])
    }

    /// `8h`, `0.5元`, `30分钟`: a unit after a number.
    static func unitAfterNumber(_ text: String, unit: String, isFloat: Bool, fixed: String, range: SourceRange) -> Diagnostic {
        error(isFloat ? .invalidFloat : .invalidInteger, "invalid number \(quoted(text)): \(quoted(unit)) is written after the number", range,
              help: ["write the number alone, without a unit: \(fixed)"],
              notes: ["a number in this file has no unit: the key says what it counts"])
    }

    static func unknownValue(_ word: String, range: SourceRange) -> Diagnostic {
        let lowered = word.lowercased()
        let help: String
        if lowered == "true" || lowered == "false" {
            help = "true and false are written in lowercase: \(lowered)"
        } else if ["yes", "no", "on", "off", "y", "n"].contains(lowered) {
            help = "write true or false"
        } else if word.unicodeScalars.contains(where: { curlyQuotes.unicodeScalars.contains($0) }) {
            // Pasted from a document: the text without its curly quotes, in straight ones.
            help = "use straight quotes: \(quoted(String(word.unicodeScalars.filter { !curlyQuotes.unicodeScalars.contains($0) })))"
        } else {
            help = "if this is text, put it in quotes: \(quoted(word))"
        }
        return error(.unknownValue, "\(quoted(word)) is not a value", range, help: [help])
    }

    private static let curlyQuotes = "“”‘’„‟"

    /// P020 for `when = record.category == "orange"`. `written`: the line with the expression in single quotes, nil when
    /// the expression holds a `'` (which a literal string cannot).
    static func expressionWithoutQuotes(_ expression: String, written: String?, range: SourceRange) -> Diagnostic {
        error(.unknownValue, "`\(expression)` is an expression written without quotes", range,
              help: [written.map { "write an expression in single quotes: \($0)" }
                     ?? "write an expression in single quotes, with double quotes for text inside it"])
    }

    static func arrayExpectedCommaOrEnd(found: String, range: SourceRange) -> Diagnostic {
        error(.arrayExpectedCommaOrEnd, "expected \",\" or \"]\" in the array, found \(found)", range,
              help: ["separate the items of an array with commas: [1, 2, 3]"])
    }

    /// A full-width `，` between array items: reading goes on as if it were ",".
    static func fullWidthCommaInArray(range: SourceRange) -> Diagnostic {
        error(.arrayExpectedCommaOrEnd, "expected \",\" or \"]\" in the array, found a full-width comma \"，\"", range,
              help: ["write the ASCII comma \",\""])
    }

    static func unclosedArray(range: SourceRange) -> Diagnostic {
        error(.unclosedArray, "this array is never closed with \"]\"", range,
              help: ["add \"]\" after the last item"])
    }

    static func inlineTableExpectedCommaOrEnd(found: String, range: SourceRange) -> Diagnostic {
        error(.inlineTableExpectedCommaOrEnd, "expected \",\" or \"}\" in the inline table, found \(found)", range,
              help: ["separate the keys of an inline table with commas: { a = 1, b = 2 }"])
    }

    /// A full-width `，` between the keys of an inline table: reading goes on as if it were ",".
    static func fullWidthCommaInInlineTable(range: SourceRange) -> Diagnostic {
        error(.inlineTableExpectedCommaOrEnd, "expected \",\" or \"}\" in the inline table, found a full-width comma \"，\"", range,
              help: ["write the ASCII comma \",\""])
    }

    static func unclosedInlineTable(range: SourceRange) -> Diagnostic {
        error(.unclosedInlineTable, "this inline table is never closed with \"}\"", range,
              help: ["add \"}\" after the last key"])
    }

    static func duplicateKey(_ key: String, firstLine: Int, range: SourceRange) -> Diagnostic {
        error(.duplicateKey, "duplicate key \(quoted(key)) (first defined at line \(firstLine))", range,
              help: ["remove one of the two, or give one of them another name"])
    }

    static func duplicateTable(_ path: String, firstLine: Int, range: SourceRange) -> Diagnostic {
        error(.duplicateTable, "the table [\(path)] is defined twice (first at line \(firstLine))", range,
              help: ["merge the two tables into one, or write [[\(path)]] to make a list of tables"])
    }

    static func valueIsNotTable(_ path: String, existing: String, firstLine: Int, range: SourceRange) -> Diagnostic {
        error(.valueIsNotTable, "\(quoted(path)) is already \(existing) (line \(firstLine)), so it cannot also be a table", range,
              help: ["give the table another name, or remove the value at line \(firstLine)"])
    }

    static func inlineValueIsClosed(_ path: String, existing: String, firstLine: Int, range: SourceRange) -> Diagnostic {
        error(.inlineValueIsClosed, "\(quoted(path)) was written as \(existing) at line \(firstLine) and cannot be extended here", range,
              help: ["write everything it holds at line \(firstLine), or turn it into [\(path)] / [[\(path)]] headers"])
    }

    static func headerOnDottedTable(_ path: String, firstLine: Int, range: SourceRange) -> Diagnostic {
        error(.dottedKeyTableConflict, "the table [\(path)] was already made by dotted keys at line \(firstLine)", range,
              help: ["keep using dotted keys for it, or move those keys under this [\(path)] header"])
    }

    static func dottedKeyReopensTable(_ path: String, firstLine: Int, range: SourceRange) -> Diagnostic {
        error(.dottedKeyTableConflict, "this dotted key adds to the table \(quoted(path)), which was completed at line \(firstLine)", range,
              help: ["write these keys where the table \(quoted(path)) is defined, or under a [\(path)] header"])
    }

    static func tableIsArrayOfTables(_ path: String, firstLine: Int, range: SourceRange) -> Diagnostic {
        error(.arrayOfTablesConflict, "\(quoted(path)) is an array of tables (made by [[\(path)]] at line \(firstLine))", range,
              help: ["write [[\(path)]] to add another table to it"])
    }

    static func arrayOfTablesOnTable(_ path: String, firstLine: Int, range: SourceRange) -> Diagnostic {
        error(.arrayOfTablesConflict, "[[\(path)]] makes a list of tables, but \(quoted(path)) is already a table (line \(firstLine))", range,
              help: ["use either [\(path)] once or [[\(path)]] for every item, not both"])
    }

    /// `【categories.orange】`: full-width brackets, as a Chinese input method types `[` and `]`.
    static func fullWidthTableHeader(written: String, header: String, range: SourceRange) -> Diagnostic {
        error(.malformedTableHeader, "the table header \(quoted(written)) is written with full-width brackets", range,
              help: ["write it with ASCII brackets: \(header)"],
              notes: ["a Chinese input method types 【 or ［ for \"[\"; switch it to half-width (半角) or English while writing headers"])
    }

    static func malformedTableHeader(_ problem: String, range: SourceRange) -> Diagnostic {
        error(.malformedTableHeader, problem, range,
              help: ["write a table header as [name] or [[name]] on its own line"])
    }

    static func emptyKeyPart(range: SourceRange) -> Diagnostic {
        error(.emptyKeyPart, "a dotted key has an empty part", range,
              help: ["remove the extra \".\", or name the part (\"a.b\", not \"a..b\"); write an empty name as \"\""])
    }

    /// For a percentage such as `10%` or `"0.1%"`: `write a decimal instead of a percentage, e.g. 0.1 for 10%`,
    /// with the decimal worked out from the digits; nil when `written` is not a number followed by `%`.
    /// (Also used by the policy checks for a percentage in quotes.)
    static func percentageHelp(_ written: String) -> String? {
        guard let last = written.last, last == "%" || last == "％" else { return nil }
        var number = written.dropLast()
        while number.last == " " { number = number.dropLast() }
        guard let first = number.first, first.isASCII, first.isNumber || first == "-" || first == "+",
              !number.contains(where: { $0 == "e" || $0 == "E" }),
              let percent = ExactDecimal(number), let fraction = try? percent.divided(by: ExactDecimal(100)),
              (try? fraction.multiplied(by: ExactDecimal(100))) == percent else { return nil }
        return "write a decimal instead of a percentage, e.g. \(fraction) for \(written)"
    }

    // MARK: - Text helpers

    /// `"text"` with quotes and backslashes escaped, for quoting user text in messages.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    result += "\\u" + hex(scalar.value, digits: 4)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }

    /// A key as it would be written in TOML: bare when possible, quoted otherwise.
    static func displayKey(_ name: String) -> String {
        let isBare = !name.isEmpty && name.utf8.allSatisfy { TOMLParser.isBareKeyByte($0) }
        return isBare ? name : quoted(name)
    }

    /// A dotted path as it would be written in TOML, e.g. `rules."night shift".rate`.
    static func displayPath(_ names: [String]) -> String {
        names.map(displayKey).joined(separator: ".")
    }

    static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return text.count >= digits ? text : String(repeating: "0", count: digits - text.count) + text
    }
}
