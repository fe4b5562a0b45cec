/// Compiles policy expressions: lexes, parses, checks against the schema and the expected type,
/// and returns an evaluator that needs no further parsing or name lookups.
///
///     let start = SourceLocation(line: 12, column: 9, offset: 301)
///     let (compiled, diagnostics) = ExpressionCompiler.compile(
///         #"record.category == "orange" && record.weekday in ["sat", "sun"]"#,
///         at: start, expecting: .bool, schema: schema)
///
/// Every diagnostic's range is a span of the policy file: `start` is the location of the
/// expression's first character, and the text maps one-to-one onto the file (as it does inside a
/// TOML literal string): one column per Unicode scalar, the offset in UTF-8 bytes, and a newline
/// in the text starts the next line at column 1.
public enum ExpressionCompiler {
    /// The longest expression, in Unicode scalars.
    public static let maximumLengthCharacters = 1_000
    /// The most syntax nodes (literals, names, operators, calls) one expression may have.
    public static let maximumNodeCount = 200
    /// The deepest nesting of parentheses, lists, call arguments and `? :` branches.
    public static let maximumNestingDepth = 32

    /// Compiles `text`; the result is nil when any diagnostic is an error (warnings still compile).
    ///
    /// - Parameters:
    ///   - lineBreakBytes: the bytes each "\n" of `text` takes in the file: 2 where a multi-line
    ///     string of a file saved with CRLF line ends read each CRLF as "\n".
    ///   - expecting: `.bool` for a condition; `.decimal` for a number such as a factor (an int
    ///     result is accepted and evaluates to a decimal); any other type must match.
    /// - Complexity: O(n) in the length of the text, apart from suggestion searches.
    public static func compile(
        _ text: String, at start: SourceLocation, lineBreakBytes: Int = 1, expecting expected: ExpressionType, schema: ExpressionSchema
    ) -> (CompiledExpression?, [Diagnostic]) {
        // Check the length before copying anything, so a huge text costs no more than one pass.
        let length = text.unicodeScalars.count
        guard length <= maximumLengthCharacters else {
            let excessStart = ExpressionSourceMap.location(
                after: text.unicodeScalars.prefix(maximumLengthCharacters), from: start, lineBreakBytes: lineBreakBytes)
            let end = ExpressionSourceMap.location(
                after: text.unicodeScalars.dropFirst(maximumLengthCharacters), from: excessStart, lineBreakBytes: lineBreakBytes)
            let excess = SourceRange(start: excessStart, end: end)
            return (nil, [ExpressionDiagnostics.tooLong(length: length, limit: maximumLengthCharacters, range: excess)])
        }
        let scalars = Array(text.unicodeScalars)
        let sourceMap = ExpressionSourceMap(scalars: scalars, start: start, lineBreakBytes: lineBreakBytes)
        let lexer = ExpressionLexer(scalars: scalars, sourceMap: sourceMap)
        guard lexer.diagnostics.isEmpty else { return (nil, lexer.diagnostics) }
        if lexer.tokens.count == 1 {
            return (nil, [ExpressionDiagnostics.empty(sourceMap.whole)])
        }
        var parser = ExpressionParser(
            tokens: lexer.tokens, maximumNestingDepth: maximumNestingDepth, maximumNodeCount: maximumNodeCount)
        guard let tree = parser.parse() else { return (nil, parser.diagnostics) }

        var checker = ExpressionChecker(schema: schema, isFactor: expected != .bool)
        let checked = checker.check(tree, guards: [])
        if let checked {
            checker.requireValue(checked)
            if let mismatch = resultMismatch(checked, expected: expected) {
                return (nil, checker.diagnostics + [mismatch])
            }
        }
        let diagnostics = checker.diagnostics
        guard let checked, !diagnostics.contains(where: { $0.severity == .error }) else { return (nil, diagnostics) }
        let (spacedText, tokenText) = spacings(lexer.tokens, in: scalars)
        let compiled = CompiledExpression(
            text: text, range: sourceMap.whole, resultType: expected,
            referencedFields: checker.referencedFields, spacedText: spacedText, tokenText: tokenText, evaluator: checked.evaluate)
        return (compiled, diagnostics)
    }

    /// The text of `tokens` with one space where the text has white space between two of them (`CompiledExpression.spacedText`),
    /// and the text it is compared by (`tokenText`): one space between every two tokens, and a list of literals after `in`
    /// sorted without repeats (`in ["sun", "sat"]` asks what `in ["sat", "sun"]` asks).
    private static func spacings(_ tokens: [ExpressionToken], in scalars: [Unicode.Scalar]) -> (spaced: String, tokens: String) {
        var spaced = ""
        var written: [String] = []
        var previousEnd: Int?
        let tokens = tokens.filter { $0.kind != .end }
        for token in tokens {
            if let previousEnd, previousEnd < token.scalars.lowerBound { spaced += " " }
            let text = String(String.UnicodeScalarView(scalars[token.scalars]))
            spaced += text
            written.append(text)
            previousEnd = token.scalars.upperBound
        }
        return (spaced, comparedTokens(tokens, written: written).joined(separator: " "))
    }

    /// `written` (the tokens as written) with each list of literals that follows `in` written in sorted order without
    /// repeats, its strings in one quoting; any other list is left as written.
    private static func comparedTokens(_ tokens: [ExpressionToken], written: [String]) -> [String] {
        var out: [String] = []
        var index = 0
        while index < tokens.count {
            out.append(written[index])
            guard tokens[index].kind == .keywordIn, index + 1 < tokens.count, tokens[index + 1].kind == .symbol(.leftBracket) else {
                index += 1
                continue
            }
            // `[` literal (`,` literal)* [`,`] `]`; anything else (a field, a sign, an empty list) is left as written.
            var items: [String] = []
            var cursor = index + 2
            var closed = false
            scan: while cursor < tokens.count {
                switch tokens[cursor].kind {
                case .string(let value): items.append(ExpressionValue.quoted(value))
                case .integer, .decimal, .boolean: items.append(written[cursor])
                default: break scan
                }
                cursor += 1
                guard cursor < tokens.count else { break }
                if tokens[cursor].kind == .symbol(.rightBracket) { closed = true; break }
                guard tokens[cursor].kind == .symbol(.comma) else { break }
                cursor += 1
                if cursor < tokens.count, tokens[cursor].kind == .symbol(.rightBracket) { closed = true; break }
            }
            guard closed, !items.isEmpty else {
                index += 1
                continue
            }
            out.append("[")
            out.append(Array(Set(items)).sorted().joined(separator: " , "))
            out.append("]")
            index = cursor + 1
        }
        return out
    }

    /// The diagnostic for a result whose type is not the one the caller expects, or nil.
    private static func resultMismatch(_ checked: ExpressionCheckedNode, expected: ExpressionType) -> Diagnostic? {
        switch expected {
        case .bool:
            guard checked.type != .bool else { return nil }
            return ExpressionDiagnostics.conditionNotBool(found: checked.type.spoken, range: checked.range)
        case .decimal:
            guard !checked.type.isNumeric else { return nil }
            return ExpressionDiagnostics.resultTypeMismatch(expected: "a number", found: checked.type.spoken, range: checked.range)
        default:
            let wanted = ExpressionCheckedType(expected)
            // The same type, or an empty list where a list is wanted.
            guard checked.type != wanted, !(checked.type == .list(.anything) && wanted.isList) else { return nil }
            return ExpressionDiagnostics.resultTypeMismatch(expected: wanted.spoken, found: checked.type.spoken, range: checked.range)
        }
    }
}
