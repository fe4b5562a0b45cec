/// Every diagnostic the expression compiler reports, in one place. Ids P200–P244 are documented in
/// `docs/policy-errors.md`; P245–P249 are evaluation errors (`ExpressionEvaluationError`).
enum ExpressionDiagnostics {
    private static func error(_ id: String, _ message: String, _ range: SourceRange, help: [String] = [], notes: [String] = []) -> Diagnostic {
        Diagnostic(severity: .error, id: id, message: message, range: range, help: help, notes: notes)
    }

    private static func warning(_ id: String, _ message: String, _ range: SourceRange, help: [String] = [], notes: [String] = []) -> Diagnostic {
        Diagnostic(severity: .warning, id: id, message: message, range: range, help: help, notes: notes)
    }

    private static func didYouMean(_ suggestion: String?) -> [String] {
        suggestion.map { ["did you mean \($0)?"] } ?? []
    }

    // MARK: Text and syntax (P200–P211)

    static func tooLong(length: Int, limit: Int, range: SourceRange) -> Diagnostic {
        error("P200", "expression is \(length) characters long; the limit is \(limit)", range,
              help: ["split the rule into several rules, or use a list with `in` instead of many `||`"])
    }

    static func empty(_ range: SourceRange) -> Diagnostic {
        error("P201", "expression is empty", range, help: ["write a condition such as `record.category == \"orange\"`"])
    }

    static func unexpectedCharacter(_ text: String, range: SourceRange) -> Diagnostic {
        var help: [String] = []
        if text.unicodeScalars.contains(where: { "“”„‟".unicodeScalars.contains($0) || "‘’".unicodeScalars.contains($0) }) {
            help.append("use straight quotes: \"...\"")
        } else if text.unicodeScalars.contains(where: { !$0.isASCII }) {
            help.append("write text in quotes: \(ExpressionValue.quoted(text))")
        } else if text == "{" || text == "}" {
            help.append("maps are not supported; use a list such as [\"sat\", \"sun\"]")
        }
        return error("P202", "unexpected \(text.unicodeScalars.count == 1 ? "character" : "text") `\(text)`", range, help: help)
    }

    /// `，` or `＝＝` typed with a Chinese input method; `ascii` is what to write instead.
    /// `"II"（二级）` or `"II"("二级")`: a note in parentheses written after a value, as in a document. `without` is the
    /// expression with the note left out.
    static func noteInParentheses(_ note: String, isFullWidth: Bool, without: String, range: SourceRange) -> Diagnostic {
        let help = ["delete the note (or move it into a # comment after the closing quote of the expression): \(without)"]
        let notes = ["parentheses after a value are not part of the language; a note for readers goes in a comment"]
        return isFullWidth
            ? error("P202", "unexpected text `\(note)`: a note in parentheses after a value", range, help: help, notes: notes)
            : error("P207", "expected an operator or the end of the expression, found a note in parentheses `\(note)`", range,
                    help: help, notes: notes)
    }

    static func fullWidthCharacters(_ text: String, ascii: String, range: SourceRange) -> Diagnostic {
        let wide = text.unicodeScalars.filter { !$0.isASCII }
        let name = wide.count == 1 ? fullWidthNames[String(wide)] ?? "a full-width character" : "full-width characters"
        return error("P202", "unexpected \(text.unicodeScalars.count == 1 ? "character" : "text") `\(text)`", range,
                     help: ["write the ASCII \(ExpressionValue.quoted(ascii)) (\(name) cannot be used in expressions)"])
    }

    private static let fullWidthNames: [String: String] = [
        "，": "a full-width comma", "（": "a full-width parenthesis", "）": "a full-width parenthesis",
        "＝": "a full-width equals sign", "！": "a full-width exclamation mark", "＜": "a full-width less-than sign",
        "＞": "a full-width greater-than sign", "＆": "a full-width ampersand", "｜": "a full-width vertical bar",
        "：": "a full-width colon", "？": "a full-width question mark", "［": "a full-width bracket", "］": "a full-width bracket",
        "．": "a full-width full stop", "。": "a Chinese full stop", "＂": "a full-width quote", "＇": "a full-width quote",
        "＋": "a full-width plus sign", "－": "a full-width minus sign", "＊": "a full-width asterisk", "／": "a full-width slash",
    ]

    /// Signs from a maths keyboard or a document, with what to write instead.
    static let mathematicalSigns: [Unicode.Scalar: String] = ["≥": ">=", "≤": "<=", "≠": "!=", "×": "*", "÷": "/"]

    /// `≥`, `×`: a mathematical sign that has an ASCII spelling.
    static func mathematicalSign(_ text: String, ascii: String, range: SourceRange) -> Diagnostic {
        error("P202", "unexpected character `\(text)`", range,
              help: ["write \(ExpressionValue.quoted(ascii)) (the sign \(text) cannot be used in expressions)"])
    }

    /// `record.类别`: a field named in Chinese; `root` is the name before the dot when it is one.
    static func fieldNotInEnglish(_ text: String, root: ExpressionRoot?, range: SourceRange) -> Diagnostic {
        let example = root.map { "`\($0.rawValue).\(ExpressionField.names(of: $0)[0])`" } ?? "`record.category`"
        return error("P202", "unexpected text `\(text)`", range,
                     help: ["a field is named in English after the dot, such as \(example)"],
                     notes: root.map { ["the fields of `\($0.rawValue)` are: " + ExpressionField.names(of: $0).joined(separator: ", ")] } ?? [])
    }

    /// Operators an admin writes as Chinese words, with the symbol to write (simplified and traditional script).
    static let operatorWords: [String: String] = [
        "且": "&&", "并且": "&&", "並且": "&&", "而且": "&&", "与": "&&", "與": "&&", "和": "&&", "同时": "&&", "同時": "&&",
        "或": "||", "或者": "||",
        "等于": "==", "等於": "==", "不等于": "!=", "不等於": "!=",
        "大于": ">", "大於": ">", "小于": "<", "小於": "<",
        "大于等于": ">=", "大於等於": ">=", "不小于": ">=", "不小於": ">=", "小于等于": "<=", "小於等於": "<=", "不大于": "<=", "不大於": "<=",
    ]

    /// `且`, `或者`, `大于`: an operator written as a Chinese word.
    static func operatorWord(_ text: String, symbol: String, range: SourceRange) -> Diagnostic {
        error("P202", "unexpected text `\(text)`", range,
              help: ["write `\(symbol)` for \(text): conditions are joined with && (and) and || (or), and compared with == != < <= > >="])
    }

    /// `60岁`: a unit after a number.
    static func unitAfterNumber(_ text: String, number: String, range: SourceRange) -> Diagnostic {
        error("P202", "unexpected \(text.unicodeScalars.count == 1 ? "character" : "text") `\(text)`", range,
              help: ["write the number alone: \(number)"])
    }

    static func unterminatedString(_ range: SourceRange) -> Diagnostic {
        error("P203", "string is not closed", range, help: ["end the string with the same quote it starts with, on the same line"])
    }

    static func invalidEscape(_ text: String, range: SourceRange) -> Diagnostic {
        error("P204", "invalid escape `\(text)` in string", range,
              help: ["the escapes are \\\" \\' \\\\ \\n \\t \\r and \\u{XXXX}"])
    }

    static func malformedNumber(_ text: String, range: SourceRange, help: [String] = []) -> Diagnostic {
        error("P205", "`\(text)` is not a number", range, help: help)
    }

    static func numberOutOfRange(_ text: String, reason: String, range: SourceRange) -> Diagnostic {
        error("P206", "number `\(text)` is out of range: \(reason)", range)
    }

    static func unexpectedToken(found: String, expected: String, range: SourceRange, help: [String] = []) -> Diagnostic {
        error("P207", "expected \(expected), found \(found)", range, help: help)
    }

    static func unclosed(_ opener: String, range: SourceRange) -> Diagnostic {
        let closer = opener == "(" ? ")" : "]"
        return error("P208", "this `\(opener)` is never closed", range, help: ["add `\(closer)`"])
    }

    static func tooManyNodes(limit: Int, range: SourceRange) -> Diagnostic {
        error("P209", "expression is too complex: more than \(limit) parts (values, names, operators, calls)", range,
              help: ["split it into several rules, or use `in [...]` instead of many comparisons"])
    }

    static func nestedTooDeeply(limit: Int, range: SourceRange) -> Diagnostic {
        error("P210", "expression is nested too deeply; the limit is \(limit) levels", range,
              help: ["remove unneeded parentheses or split the rule"])
    }

    static func unsupportedOperator(_ text: String, range: SourceRange, help: [String]) -> Diagnostic {
        error("P211", "`\(text)` is not an operator of the expression language", range, help: help)
    }

    // MARK: Names (P212–P219)

    static func unknownName(_ name: String, range: SourceRange, help: [String]) -> Diagnostic {
        error("P212", "unknown name `\(name)`", range,
              help: help, notes: ["expressions start from `record`, `volunteer` or `household`"])
    }

    static func unknownField(root: String, field: String, suggestion: String?, range: SourceRange) -> Diagnostic {
        error("P213", "`\(root)` has no field `\(field)`", range,
              help: didYouMean(suggestion.map { "`\(root).\($0)`" }),
              notes: ["the fields of `\(root)` are: " + ExpressionField.names(of: ExpressionRoot(rawValue: root) ?? .record).joined(separator: ", ")])
    }

    static func fieldUnavailable(path: String, reason: String, range: SourceRange) -> Diagnostic {
        error("P214", "`\(path)` is not available in this policy", range, notes: reason.isEmpty ? [] : [reason])
    }

    static func unknownFunction(_ name: String, isMethod: Bool, range: SourceRange, help: [String]) -> Diagnostic {
        error("P215", "unknown \(isMethod ? "method" : "function") `\(name)`", range, help: help,
              notes: ["the functions are has(), size(), date(); the methods are .size(), .startsWith(), .endsWith(), .contains()"])
    }

    static func wrongArgumentCount(_ name: String, expected: Int, found: Int, range: SourceRange) -> Diagnostic {
        let plural = expected == 1 ? "argument" : "arguments"
        return error("P216", "`\(name)` takes \(expected) \(plural), found \(found)", range)
    }

    static func invalidHasArgument(range: SourceRange) -> Diagnostic {
        error("P217", "`has()` needs a field such as `record.rating`", range,
              help: ["write `has(record.rating)`"])
    }

    static func invalidDate(_ detail: String, range: SourceRange) -> Diagnostic {
        error("P218", detail, range, help: ["write a date as `date(\"2026-10-01\")`"])
    }

    static func rootIsNotAValue(_ root: String, range: SourceRange) -> Diagnostic {
        let example = ExpressionField.names(of: ExpressionRoot(rawValue: root) ?? .record).first ?? "id"
        return error("P219", "`\(root)` is not a value by itself", range,
                     help: ["select one of its fields, such as `\(root).\(example)`"])
    }

    // MARK: Types (P220–P229)

    static func operatorTypeMismatch(_ message: String, range: SourceRange, help: [String] = []) -> Diagnostic {
        error("P220", message, range, help: help)
    }

    static func argumentTypeMismatch(_ message: String, range: SourceRange, help: [String] = []) -> Diagnostic {
        error("P221", message, range, help: help)
    }

    static func conditionNotBool(found: String, range: SourceRange) -> Diagnostic {
        error("P222", "a condition must be true or false, but this expression is \(found)", range,
              help: ["compare it with something, e.g. `record.minutes >= 60`"])
    }

    static func resultTypeMismatch(expected: String, found: String, range: SourceRange) -> Diagnostic {
        let help = expected == "a number" ? ["a factor is a number such as `1.5` or `record.rating / 5`"] : []
        return error("P223", "expected \(expected) here, but this expression is \(found)", range, help: help)
    }

    static func mixedList(expected: String, found: String, range: SourceRange) -> Diagnostic {
        error("P224", "list elements must have one type: this one is \(found), the first is \(expected)", range)
    }

    static func conditionalMismatch(_ message: String, range: SourceRange) -> Diagnostic {
        error("P225", message, range)
    }

    static func inNeedsList(found: String, range: SourceRange) -> Diagnostic {
        error("P226", "`in` needs a list on its right, but this is \(found)", range,
              help: ["write a list such as `record.weekday in [\"sat\", \"sun\"]`"])
    }

    static func divisionByZero(range: SourceRange) -> Diagnostic {
        error("P227", "division by zero", range)
    }

    static func divisionByComputedZero(range: SourceRange) -> Diagnostic {
        error("P227", "division by zero: this divisor reads no field and is 0 for every record", range)
    }

    static func noFields(type: String, name: String, range: SourceRange) -> Diagnostic {
        let help = name == "size" ? ["write `.size()`"] : []
        return error("P228", "a \(type) value has no field `\(name)`", range, help: help)
    }

    // MARK: Value domains (P230–P232)

    /// `label`: the suggestion is the id whose label was written.
    static func unknownDeclaredName(kind: String, value: String, suggestion: String?, label: String? = nil, declared: [String],
                                    range: SourceRange) -> Diagnostic {
        var notes: [String] = []
        if declared.count <= 12 {
            notes.append("the declared \(kind) names are: " + declared.map(ExpressionValue.quoted).joined(separator: ", "))
        }
        return error("P230", "unknown \(kind) \(ExpressionValue.quoted(value))", range,
                     help: didYouMean(suggestion.map { ExpressionValue.quoted($0) + (label.map { " (its label is \($0))" } ?? "") }),
                     notes: notes)
    }

    static func neverHolds(_ message: String, range: SourceRange, help: [String], notes: [String]) -> Diagnostic {
        error("P231", message, range, help: help, notes: notes)
    }

    /// P233: a team that is not one of the community's, looked for in `volunteer.teams` (a warning: teams can change).
    static func unknownTeam(_ team: String, help: String, range: SourceRange) -> Diagnostic {
        warning("P233", "no team \(ExpressionValue.quoted(team)) in the community: `volunteer.teams` never holds it, so this never matches",
                range, help: [help])
    }

    static func alwaysHolds(_ message: String, range: SourceRange) -> Diagnostic {
        warning("P232", message, range, help: ["remove the comparison, or check the number"])
    }

    // MARK: Optional fields (P240–P241)

    static func unguardedOptional(path: String, isFactor: Bool, range: SourceRange) -> Diagnostic {
        let example = isFactor
            ? "has(\(path)) ? \(path) / 5 : 1"
            : "has(\(path)) && ..."
        return warning("P240", "`\(path)` can be absent; then this expression cannot be computed", range,
                       help: ["test it first: `\(example)`"],
                       notes: ["comparisons with an absent field are false; arithmetic and functions on it fail"])
    }

    static func hasOnRequiredField(path: String, range: SourceRange) -> Diagnostic {
        warning("P241", "`\(path)` is always present, so `has()` is always true", range, help: ["remove the `has()` test"])
    }
}
