/// Expressions inside the policy file: conditions (`when`, `eligible`) and computed amounts
/// (`factor`, `points`), compiled once with the policy's schema and mapped onto the file.
extension PolicyChecker {
    /// Compiles the string under `key` as an expression of type `expected`.
    mutating func expression(_ section: PolicySection, _ key: String, expecting expected: ExpressionType, schema: ExpressionSchema) -> CompiledExpression? {
        guard let value = section.table[key] else { return nil }
        guard case .string(let text) = value.kind else {
            let example = expected == .bool ? "\(key) = 'record.minutes >= 60'" : "\(key) = 'record.rating / 5'"
            report(PolicyDiagnostics.wrongType(key, expected: expected == .bool ? "a condition in single quotes" : "an expression in single quotes",
                                               found: value.kindDescription, range: value.range, help: ["write for example: \(example)"]))
            return nil
        }
        return compile(text, key: key, expecting: expected, schema: schema)
    }

    /// Compiles a string value, placing the expression's diagnostics at their exact spans in the file.
    mutating func compile(_ text: TOMLString, key: String, expecting expected: ExpressionType, schema: ExpressionSchema) -> CompiledExpression? {
        let (start, lineBreakBytes) = expressionStart(of: text)
        let (compiled, found) = ExpressionCompiler.compile(
            text.value, at: start, lineBreakBytes: lineBreakBytes ?? 1, expecting: expected, schema: schema)
        if lineBreakBytes != nil {
            for diagnostic in found { report(diagnostic) }
        } else if !found.isEmpty {
            // Escapes make the value differ from the file text, so spans inside it cannot be
            // mapped; show each problem on the whole string instead.
            report(PolicyDiagnostics.expressionPositionsApproximate(range: text.contentRange, help: singleQuotesHelp(key, text.value)))
            for var diagnostic in found {
                diagnostic.range = text.contentRange
                report(diagnostic)
            }
        }
        return compiled
    }

    /// The rule's own line with its expression in single quotes, where the expression can be
    /// written so on one line (no `'`, no line break and no control character but a tab in it).
    func singleQuotesHelp(_ key: String, _ value: String) -> String {
        let oneLine = value.unicodeScalars.allSatisfy { $0 == "\t" || $0.properties.generalCategory != .control }
        if oneLine, !value.contains("'") { return "write the expression in single quotes, where \\\" is just \": \(key) = '\(value)'" }
        return "write the expression in single quotes ('...', or '''...''' over several lines), where \\\" is just \""
    }

    /// Where the expression's first character is in the file, and how many bytes each line break
    /// of the value takes in the file: 1, or 2 where a multi-line string of a file saved with CRLF
    /// line ends read each CRLF as "\n". Nil when the value does not map onto the file one
    /// character for one (escapes in a `"..."` string).
    func expressionStart(of text: TOMLString) -> (SourceLocation, Int?) {
        var start = text.contentRange.start
        let end = text.contentRange.end.offset
        guard start.offset >= 0, start.offset <= end, end <= bytes.count else { return (start, nil) }
        var offset = start.offset
        let isMultiline = text.form == .multilineBasic || text.form == .multilineLiteral
        if isMultiline {
            // A line break right after the opening delimiter is not part of the value.
            if offset < end, bytes[offset] == 0x0A {
                offset += 1
            } else if offset + 1 < end, bytes[offset] == 0x0D, bytes[offset + 1] == 0x0A {
                offset += 2
            }
            if offset != start.offset { start = SourceLocation(line: start.line + 1, column: 1, offset: offset) }
        }
        let file = bytes[offset..<end]
        if file.elementsEqual(text.value.utf8) { return (start, 1) }
        // Every line break CRLF in the file and LF in the value, and nothing else different.
        if isMultiline, file.elementsEqual(text.value.utf8.lazy.flatMap { $0 == 0x0A ? [0x0D, 0x0A] : [$0] }) { return (start, 2) }
        return (start, nil)
    }

    /// A number, or a decimal expression in a string; a number, and an expression that reads no
    /// field, must satisfy `isAllowed`.
    mutating func amount(_ section: PolicySection, _ key: String, schema: ExpressionSchema, rule: String,
                         wholeHundredths: Bool, _ isAllowed: (ExactDecimal) -> Bool) -> Located<PolicyAmount>? {
        guard let value = section.table[key] else { return nil }
        switch value.kind {
        case .integer, .float:
            guard let number = decimal(value, key: key),
                  let allowed = checked(number, key: key, rule: rule, wholeHundredths: wholeHundredths, isAllowed) else { return nil }
            return Located(value: .fixed(allowed.value), range: allowed.range)
        case .string(let text):
            guard let compiled = compile(text, key: key, expecting: .decimal, schema: schema) else { return nil }
            if compiled.referencedFields.isEmpty {
                switch compiled.evaluateNumber(.readingNothing) {
                case .success(let constant) where !isAllowed(constant):
                    report(PolicyDiagnostics.outOfRange("\(ExpressionValue.quoted(key)) \(rule), but this expression is always \(constant)", range: compiled.range))
                    return nil
                case .failure(let error):
                    reportAlwaysFails(error)
                    return nil
                default: break
                }
            }
            return Located(value: .computed(compiled), range: value.range)
        default:
            report(PolicyDiagnostics.wrongType(key, expected: "a number, or an expression in single quotes", found: value.kindDescription,
                                               range: value.range, help: ["write for example: \(key) = 1.5, or \(key) = 'record.rating / 5'"]))
            return nil
        }
    }

    /// Reports a condition that reads no field and is always false: its rule never applies.
    mutating func checkCanMatch(_ condition: CompiledExpression) {
        guard condition.referencedFields.isEmpty else { return }
        switch condition.evaluateCondition(.readingNothing) {
        case .failure(let error):
            reportAlwaysFails(error)
        case .success(false):
            report(PolicyDiagnostics.neverMatches("this condition is always false, so the rule never applies", range: condition.range,
                                                  help: ["compare a field of the record, such as: record.minutes >= 60; or remove the rule"]))
        case .success(true):
            break
        }
    }

    /// Reports an expression that reads no field and fails for every record (scoring would skip
    /// its rule every time, "not applied"), at the failing part.
    mutating func reportAlwaysFails(_ error: ExpressionEvaluationError) {
        let reason = switch error.reason {
        case .integerOverflow: "whole-number arithmetic overflowed"
        case .decimalOutOfRange: "decimal arithmetic went out of range, 10^20 or more"
        case .divisionByZero: "division by zero"
        case .absentField, .resultTypeMismatch: error.message
        }
        report(PolicyDiagnostics.neverMatches(
            "this expression reads no field and always fails with \(error.code), \(reason), so the rule never applies", range: error.range,
            help: ["write the number it should compute, such as 1.5, or compare a field of the record, such as record.minutes >= 60"]))
    }
}
