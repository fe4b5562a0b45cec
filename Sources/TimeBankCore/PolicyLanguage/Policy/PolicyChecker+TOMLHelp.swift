/// Help for TOML syntax errors that knows what a policy file holds: the TOML decoder's help fits any TOML file, and a
/// few mistakes have a better answer in a policy (a duplicated section is never a list of tables; a version label is
/// not a date; a key says what unit its number is in).
extension PolicyChecker {
    /// The policy's own help for a TOML diagnostic, or the diagnostic as it is.
    static func withPolicyHelp(_ diagnostic: Diagnostic, bytes: [UInt8]) -> Diagnostic {
        var result = diagnostic
        let offset = diagnostic.range.start.offset
        // The value the diagnostic covers, and the key it is the value of (nil in a list, or after a quoted key).
        let valueText = String(decoding: bytes[min(offset, bytes.count)..<min(diagnostic.range.end.offset, bytes.count)], as: UTF8.self)
        let valueKey = key(beforeValueAt: offset, in: bytes)
        switch diagnostic.id {
        case TOMLDiagnosticID.duplicateTable.rawValue:
            // [categories.orange] twice: a policy has no lists of tables ([[...]] is refused), so the help is to merge.
            guard let path = headerPath(atLineOf: offset, in: bytes) else { break }
            let header = "[" + path.joined(separator: ".") + "]"
            if path.count == 2, let kind = idSectionKinds[path[0]] {
                result.help = ["a policy has each \(header) once: move the keys under this one into the first, or, if this is another "
                    + "\(kind), give it its own id, such as [\(path[0]).\(path[1])_2]"]
            } else {
                result.help = ["a policy has one \(header) section: move the keys under this one into the first"]
            }
        case TOMLDiagnosticID.invalidBareKeyCharacter.rawValue:
            // [categories.思想更新]: quoting the key (the TOML help) only leads to P106, as ids are ASCII; say what an id is.
            if let (section, written) = idHeaderPart(atLineOf: offset, in: bytes), let kind = idSectionKinds[section] {
                result.help = ["a \(kind) id is written in ASCII letters, digits, \"_\" or \"-\", starting with a letter: use a short "
                    + "English id here and put the Chinese name in its label, as in [\(section).ID] with label = \(ExpressionValue.quoted(written))"]
            } else if let (word, isHeader, value) = chineseWordOnLine(atLineOf: offset, in: bytes) {
                // 每日上限 = 30 or [排行]: keys and sections are English words, so quoting one only leads to P100.
                if isHeader {
                    guard let section = sectionWords[word] else {
                        result.help = ["sections are written in English, such as [caps] or [ranking]; the sections are listed in docs/policy.md"]
                        break
                    }
                    result.help = ["sections are written in English: for [\(word)] write [\(section)]"]
                } else if let help = chineseKeyHelp(word, section: enclosingHeaderPath(before: offset, in: bytes), value: value) {
                    result.help = [help]
                }
            }
        case TOMLDiagnosticID.invalidDateTime.rawValue where valueKey != "version":
            // effective = 2026-12-1: the date written with its leading zeros.
            let parts = valueText.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 3, let valueKey else { break }
            if case .day(let date)? = TOMLScalarReader.dateWithOtherSeparators(parts.joined(separator: "/")) {
                result.help = ["write \(valueKey) = \(date) (YYYY-MM-DD)"]
            } else if let year = Int(parts[0]), let month = Int(parts[1]), (1...12).contains(month), let day = Int(parts[2]),
                      let last = (28...31).reversed().lazy.compactMap({ LocalDate(year: year, month: month, day: $0) }).first,
                      day > last.day, day <= 31 {
                // effective = 2026-11-31: a day the month does not have. Its last day, or the first of the next month.
                result.help = ["\(parts[0])-\(parts[1]) has \(last.day) days: write \(valueKey) = \(last) (its last day), "
                    + "or \(valueKey) = \(last.adding(days: 1)) (the first of the next month)"]
            }
        case TOMLDiagnosticID.invalidDateTime.rawValue:
            // version = 2026-10 reads as a (broken) date: a version label is a number or text. (The case above takes
            // every other key.)
            let written = String(decoding: bytes[offset..<min(diagnostic.range.end.offset, bytes.count)], as: UTF8.self)
            result.message = "\"version\" must be a whole number or text in quotes, but \(written) without quotes reads as a date, "
                + "which it is not (a date needs a day)"
            result.help = ["write the version in quotes: version = \"\(written)\" (or a whole number: version = 3)"]
        case TOMLDiagnosticID.unknownValue.rawValue where booleanKeys.contains(valueKey ?? "") && booleanWords[valueText] != nil:
            // require_verifier = 是: a yes or no in words, for a key that is true or false (never text to quote).
            let key = valueKey ?? ""
            result.help = ["\"\(key)\" is true or false: write \(key) = \(booleanWords[valueText] == true) (without quotes)"]
        // (One `where` per pattern: a `where` after a list of patterns applies to the last one only.)
        case TOMLDiagnosticID.invalidInteger.rawValue where valueKey == "limit", TOMLDiagnosticID.invalidFloat.rawValue where valueKey == "limit",
             TOMLDiagnosticID.unknownValue.rawValue where valueKey == "limit":
            // limit = 1/month, 1/月 or 每周3次: a catalog limit is an inline table of a count and a period. Only what was
            // written is given back; anything else gets the form, with an example.
            if let (count, period) = Self.limitWords(valueText) {
                result.help = ["a limit is a count and a period: limit = { count = \(count), per = \"\(period.rawValue)\" }"]
            } else {
                result.help = ["a limit is a count and a period: limit = { count = N, per = \"PERIOD\" }, "
                    + "such as limit = { count = 1, per = \"month\" } for once a month"]
            }
            result.notes = ["per is one of \"day\", \"week\", \"month\", \"quarter\", \"year\""]
        case TOMLDiagnosticID.invalidInteger.rawValue, TOMLDiagnosticID.invalidFloat.rawValue, TOMLDiagnosticID.unknownValue.rawValue:
            // min_minutes = 30分钟 (or 30 分钟, or １年 typed full-width): the number in the key's unit.
            let word = Array(bytes[offset..<min(diagnostic.range.end.offset, bytes.count)])
            guard let key = key(beforeValueAt: offset, in: bytes) else { break }
            if let (number, unit, _) = TOMLScalarReader.unitAfterNumber(word) {
                // label = 3号楼: text that starts with a digit, not a number with a unit.
                if textKeys.contains(key) {
                    let text = String(decoding: word, as: UTF8.self)
                    result.message = "\"\(key)\" must be text in quotes, but \(text) without quotes reads as the number \(number) followed by \"\(unit)\""
                    result.help = ["\"\(key)\" is text: write it in quotes, \(key) = \"\(text)\""]
                    result.notes = []
                } else if let (number, unit) = numberInWords(String(decoding: word, as: UTF8.self)),
                          let (help, notes) = unitHelp(key: key, number: number.description, unit: unit, isQuoted: false,
                                                       words: String(decoding: word, as: UTF8.self)) {
                    // 2天半, 1个半小时: digits, and a half in words.
                    result.help = help
                    result.notes = notes
                } else if let (help, notes) = unitHelp(key: key, number: number, unit: unit, isQuoted: false) {
                    result.help = help
                    result.notes = notes
                }
            } else if !textKeys.contains(key), let halfWidth = halfWidthDigits(word),
                      let (number, unit, _) = TOMLScalarReader.unitAfterNumber(Array(halfWidth.utf8)),
                      let (help, notes) = unitHelp(key: key, number: number, unit: unit, isQuoted: false) {
                // after_months = １年: the digits half-width, and the number in the key's unit.
                result.help = help
                result.notes = notes + ["a Chinese input method types full-width digits such as １０; switch it to half-width (半角) or English for numbers"]
            } else if diagnostic.id == TOMLDiagnosticID.unknownValue.rawValue, let keyUnit = keyUnits[key],
                      case let text = String(decoding: word, as: UTF8.self), TOMLScalarReader.halfWidthNumber(text) == nil,
                      !text.unicodeScalars.contains(where: \.properties.isWhitespace) {
                // auto_accept_after_days = 一周: a number in words, for a key that takes a number; never text to quote. (Full-width
                // digits and a full-width space have their own help, with the line written right.)
                if let (number, unit) = numberInWords(text),
                   let (help, notes) = unitHelp(key: key, number: number.description, unit: unit, isQuoted: false, words: text) {
                    result.message = "\(ExpressionValue.quoted(text)) is a number written in words, which TOML does not read as a number"
                    result.help = help
                    result.notes = notes
                } else {
                    result.help = [numberHelp(key: key, isQuoted: false)]
                    result.notes = ["\"\(key)\" is a number, in \(keyUnit.counts)"]
                }
            }
        default:
            break
        }
        return result
    }

    /// "write a number in digits, without quotes, e.g. min_minutes = 30": the help for a value of a number key that is
    /// no number at all (`min_minutes = "abc"`).
    static func numberHelp(key: String, isQuoted: Bool) -> String {
        "write a number in digits\(isQuoted ? ", without quotes" : ""), e.g. \(key) = \(keyUnits[key]?.example ?? "10")"
    }

    /// Keys whose value is true or false.
    static let booleanKeys: Set<String> = ["require_verifier", "once", "enabled", "end_of_year"]

    /// Yes and no as an admin may write them, with what they mean.
    static let booleanWords: [String: Bool] = [
        "是": true, "对": true, "對": true, "真": true, "有": true, "要": true, "需要": true, "开": true, "開": true, "开启": true, "開啟": true,
        "允许": true, "允許": true, "yes": true, "Yes": true, "YES": true, "on": true, "True": true, "TRUE": true, "y": true, "Y": true,
        "否": false, "不": false, "错": false, "錯": false, "假": false, "无": false, "無": false, "不要": false, "不需要": false,
        "关": false, "關": false, "关闭": false, "關閉": false, "不允许": false, "不允許": false, "no": false, "No": false, "NO": false,
        "off": false, "False": false, "FALSE": false, "n": false, "N": false,
    ]

    /// Keys whose value is text, for a value such as `3号楼` that reads as a number with a unit.
    static let textKeys: Set<String> = ["label", "name", "group", "dimension", "unit", "id", "timezone", "currency"]

    /// `word` with full-width digits, signs and spaces (`１．５　年`) made ASCII (`1.5 年`), when it has any; else nil.
    static func halfWidthDigits(_ word: [UInt8]) -> String? {
        var text = ""
        var hadFullWidth = false
        for scalar in String(decoding: word, as: UTF8.self).unicodeScalars {
            switch scalar.value {
            case 0xFF10...0xFF19, 0xFF0B, 0xFF0D, 0xFF0E:
                text.unicodeScalars.append(Unicode.Scalar(scalar.value - 0xFEE0)!)
                hadFullWidth = true
            case 0x3000:
                text.append(" ")
            default:
                text.unicodeScalars.append(scalar)
            }
        }
        return hadFullWidth ? text : nil
    }

    /// The singular of each section whose tables are ids (`[categories.ID]`).
    static let idSectionKinds = [
        "categories": "category", "indicators": "indicator", "multipliers": "multiplier", "bonuses": "bonus", "penalties": "penalty",
        "grants": "grant", "levels": "level", "catalog": "catalog item",
    ]

    /// The bare key of the `key = value` line whose value starts at `offset` (the last part of a dotted key); nil when the
    /// value is not written right after `key =` (in a list, or after a quoted key).
    static func key(beforeValueAt offset: Int, in bytes: [UInt8]) -> String? {
        var index = offset
        func skipSpaces() { while index > 0, bytes[index - 1] == 0x20 || bytes[index - 1] == 0x09 { index -= 1 } }
        skipSpaces()
        guard index > 0, bytes[index - 1] == UInt8(ascii: "=") else { return nil }
        index -= 1
        skipSpaces()
        let end = index
        while index > 0, TOMLParser.isBareKeyByte(bytes[index - 1]) { index -= 1 }
        guard index < end else { return nil }
        return String(decoding: bytes[index..<end], as: UTF8.self)
    }

    /// For a header line `[categories.思想更新]`: the section (`categories`) and the id part as written (`思想更新`),
    /// when the section is a bare key and the id part is not; else nil.
    static func idHeaderPart(atLineOf offset: Int, in bytes: [UInt8]) -> (section: String, id: String)? {
        var start = min(offset, bytes.count)
        while start > 0, bytes[start - 1] != 0x0A { start -= 1 }
        var end = start
        while end < bytes.count, bytes[end] != 0x0A, bytes[end] != 0x0D, bytes[end] != UInt8(ascii: "#") { end += 1 }
        let line = String(decoding: bytes[start..<end], as: UTF8.self).trimmingASCIISpaces()
        guard line.hasPrefix("["), !line.hasPrefix("[["), line.hasSuffix("]") else { return nil }
        let parts = line.dropFirst().dropLast().split(separator: ".", maxSplits: 1).map { String($0).trimmingASCIISpaces() }
        guard parts.count == 2, parts[0].utf8.allSatisfy(TOMLParser.isBareKeyByte), !parts[1].isEmpty, !parts[1].contains("."),
              !parts[1].contains("\""), !parts[1].contains("'"),
              !parts[1].utf8.allSatisfy(TOMLParser.isBareKeyByte) else { return nil }
        return (parts[0], parts[1])
    }

    /// The parts of the table header on the line holding `offset` (`[categories.orange]` → ["categories", "orange"]),
    /// when they are bare keys.
    static func headerPath(atLineOf offset: Int, in bytes: [UInt8]) -> [String]? {
        var start = min(offset, bytes.count)
        while start > 0, bytes[start - 1] != 0x0A { start -= 1 }
        var end = start
        while end < bytes.count, bytes[end] != 0x0A, bytes[end] != 0x0D, bytes[end] != UInt8(ascii: "#") { end += 1 }
        let line = String(decoding: bytes[start..<end], as: UTF8.self).filter { $0 != " " && $0 != "\t" }
        guard line.hasPrefix("["), line.hasSuffix("]"), !line.hasPrefix("[[") else { return nil }
        let parts = line.dropFirst().dropLast().split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !parts.isEmpty, parts.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy(TOMLParser.isBareKeyByte) }) else { return nil }
        return parts
    }

    /// A limit written the way people say it: `1/month`, `2/月` (a count, then a period) or `每周3次` (a period, then a
    /// count of times); nil for anything else.
    static func limitWords(_ text: String) -> (count: Int, period: PolicyPeriod)? {
        var count: Substring, period: Substring
        let parts = text.split(separator: "/", maxSplits: 1)
        if parts.count == 2 {
            (count, period) = (parts[0], parts[1])
        } else if text.hasSuffix("次"), let digits = text.dropLast().firstIndex(where: \.isASCII), text.hasPrefix("每") {
            (count, period) = (text[digits...].dropLast(), text[..<digits])
        } else {
            return nil
        }
        count = count.trimmingPrefix(" ")
        guard let number = Int(count), number > 0,
              let found = PolicyPeriod(rawValue: periodAliases[String(period)] ?? String(period)) else { return nil }
        return (number, found)
    }
}
