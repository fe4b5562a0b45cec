/// Builds the syntax tree from tokens with CEL precedence, from loosest to tightest:
/// `? :`, `||`, `&&`, relations (`== != < <= > >= in`), `+ -`, `* /`, unary `! -`, then member
/// access and calls. Binary operators are left-associative; `? :` is right-associative.
///
/// Nesting (parentheses, lists, call arguments, `? :` branches) is capped, so input such as
/// `((((((...` is reported, never a deep recursion. The first syntax error stops the parse.
struct ExpressionParser {
    private let tokens: [ExpressionToken]
    private let maximumNestingDepth: Int
    private let maximumNodeCount: Int
    /// The whole expression, for the node-limit diagnostic.
    private let wholeRange: SourceRange
    private var position = 0
    private var nestingDepth = 0
    /// How many syntax nodes the parse created.
    private(set) var nodeCount = 0
    private(set) var diagnostics: [Diagnostic] = []

    /// Thrown to stop parsing after a reported error.
    private struct Abort: Error {}

    init(tokens: [ExpressionToken], maximumNestingDepth: Int, maximumNodeCount: Int) {
        self.tokens = tokens
        self.maximumNestingDepth = maximumNestingDepth
        self.maximumNodeCount = maximumNodeCount
        let first = tokens.first?.range.start ?? SourceLocation(line: 1, column: 1, offset: 0)
        let last = tokens.last?.range.end ?? first
        self.wholeRange = SourceRange(start: first, end: last)
    }

    /// Parses the whole token list; nil when a syntax error was reported.
    mutating func parse() -> ExpressionNode? {
        do {
            let node = try parseExpression()
            guard case .end = current.kind else {
                throw fail(unexpected(expected: "an operator or the end of the expression"))
            }
            return node
        } catch {
            return nil
        }
    }

    // MARK: Token access

    private var current: ExpressionToken { tokens[position] }

    private mutating func advance() {
        if position < tokens.count - 1 { position += 1 }
    }

    private func isSymbol(_ symbol: ExpressionSymbol) -> Bool {
        current.kind == .symbol(symbol)
    }

    private mutating func fail(_ diagnostic: Diagnostic) -> Abort {
        diagnostics.append(diagnostic)
        return Abort()
    }

    /// Counts a new node; stops the parse once the count passes the limit, so the tree stays small.
    private mutating func make(_ kind: ExpressionNode.Kind, _ range: SourceRange) throws(Abort) -> ExpressionNode {
        nodeCount += 1
        if nodeCount > maximumNodeCount {
            throw fail(ExpressionDiagnostics.tooManyNodes(limit: maximumNodeCount, range: wholeRange))
        }
        return ExpressionNode(kind: kind, range: range)
    }

    private static func join(_ first: SourceRange, _ last: SourceRange) -> SourceRange {
        SourceRange(start: first.start, end: last.end)
    }

    private mutating func enterNesting(at token: ExpressionToken) throws(Abort) {
        nestingDepth += 1
        if nestingDepth > maximumNestingDepth {
            throw fail(ExpressionDiagnostics.nestedTooDeeply(limit: maximumNestingDepth, range: token.range))
        }
    }

    /// The diagnostic for an unexpected current token, recognising words from other languages (`and`, `or`, `not`).
    private func unexpected(expected: String) -> Diagnostic {
        let token = current
        if case .identifier(let word) = token.kind {
            let replacements = ["and": "&&", "or": "||", "not": "!", "AND": "&&", "OR": "||", "NOT": "!"]
            if let replacement = replacements[word] {
                return ExpressionDiagnostics.unsupportedOperator(word, range: token.range, help: ["use `\(replacement)`"])
            }
            // `volunteer.tags contains "党员"`: a method written as an operator.
            if ["contains", "startsWith", "endsWith"].contains(word), position + 1 < tokens.count {
                var path: [String] = []
                var index = position - 1
                while index >= 0 {
                    let kind = tokens[index].kind
                    switch kind {
                    case .identifier(let name): path.insert(name, at: 0)
                    case .symbol(.dot): path.insert(".", at: 0)
                    default: index = -1
                    }
                    index -= 1
                }
                let argument = tokens[position + 1].spelling.filter { $0 != "`" }
                if !path.isEmpty, path.first != "." {
                    return ExpressionDiagnostics.unexpectedToken(found: token.spelling, expected: expected, range: token.range,
                                                                 help: ["\(word) is called with parentheses: \(path.joined())."
                                                                     + "\(word)(\(argument))"])
                }
            }
        }
        if case .end = token.kind, position > 0 {
            let previous = tokens[position - 1]
            return ExpressionDiagnostics.unexpectedToken(
                found: "the end of the expression", expected: "\(expected) after \(previous.spelling)", range: previous.range)
        }
        return ExpressionDiagnostics.unexpectedToken(found: token.spelling, expected: expected, range: token.range)
    }

    // MARK: Grammar

    /// Expr = Or ["?" Or ":" Expr]
    private mutating func parseExpression() throws(Abort) -> ExpressionNode {
        let condition = try parseBinary(minimumPrecedence: 1)
        guard isSymbol(.question) else { return condition }
        let question = current
        advance()
        try enterNesting(at: question)
        let thenBranch = try parseBinary(minimumPrecedence: 1)
        guard isSymbol(.colon) else { throw fail(unexpected(expected: "`:` of the `? :` conditional")) }
        advance()
        let elseBranch = try parseExpression()
        nestingDepth -= 1
        return try make(.conditional(condition, thenBranch, elseBranch), Self.join(condition.range, elseBranch.range))
    }

    private var currentBinaryOperator: ExpressionBinaryOperator? {
        switch current.kind {
        case .keywordIn: return .in
        case .symbol(let symbol): return ExpressionBinaryOperator(rawValue: symbol.rawValue)
        default: return nil
        }
    }

    /// Precedence climbing: operators at `minimumPrecedence` or tighter, left-associative.
    private mutating func parseBinary(minimumPrecedence: Int) throws(Abort) -> ExpressionNode {
        var left = try parseUnary()
        while let binaryOperator = currentBinaryOperator, binaryOperator.precedence >= minimumPrecedence {
            let operatorRange = current.range
            advance()
            let right = try parseBinary(minimumPrecedence: binaryOperator.precedence + 1)
            left = try make(.binary(binaryOperator, left, right, operatorRange: operatorRange), Self.join(left.range, right.range))
        }
        return left
    }

    /// Unary = {"!" | "-"} Postfix. A minus directly on a number literal folds into the literal.
    private mutating func parseUnary() throws(Abort) -> ExpressionNode {
        var prefixes: [(ExpressionUnaryOperator, SourceRange)] = []
        while isSymbol(.not) || isSymbol(.minus) {
            prefixes.append((isSymbol(.not) ? .not : .negate, current.range))
            advance()
        }
        var operand = try parsePostfix()
        for (unaryOperator, range) in prefixes.reversed() {
            let joined = Self.join(range, operand.range)
            switch (unaryOperator, operand.kind) {
            case (.negate, .integer(let value)):
                operand = ExpressionNode(kind: .integer(-value), range: joined)
            case (.negate, .decimal(let value)):
                operand = ExpressionNode(kind: .decimal(value.negated()), range: joined)
            default:
                operand = try make(.unary(unaryOperator, operand), joined)
            }
        }
        return operand
    }

    /// Postfix = Primary {"." name ["(" arguments ")"]}
    private mutating func parsePostfix() throws(Abort) -> ExpressionNode {
        var node = try parsePrimary()
        while true {
            if isSymbol(.dot) {
                advance()
                guard case .identifier(let name) = current.kind else {
                    throw fail(unexpected(expected: "a field or method name after `.`"))
                }
                let nameRange = current.range
                advance()
                if isSymbol(.leftParenthesis) {
                    let (arguments, closeRange) = try parseArguments()
                    node = try make(.call(name: name, nameRange: nameRange, receiver: node, arguments: arguments),
                                Self.join(node.range, closeRange))
                } else {
                    node = try make(.member(node, name: name, nameRange: nameRange), Self.join(node.range, nameRange))
                }
            } else if isSymbol(.leftBracket) {
                throw fail(ExpressionDiagnostics.unexpectedToken(
                    found: "`[`", expected: "an operator", range: current.range,
                    help: ["indexing with [...] is not supported; test membership with `in` or `.contains()`"]))
            } else {
                return node
            }
        }
    }

    private mutating func parsePrimary() throws(Abort) -> ExpressionNode {
        let token = current
        switch token.kind {
        case .integer(let value):
            advance()
            return try make(.integer(value), token.range)
        case .decimal(let value):
            advance()
            return try make(.decimal(value), token.range)
        case .string(let value):
            advance()
            return try make(.string(value), token.range)
        case .boolean(let value):
            advance()
            return try make(.boolean(value), token.range)
        case .identifier(let name):
            if name == "not" || name == "NOT", position + 1 < tokens.count, case .identifier = tokens[position + 1].kind {
                throw fail(ExpressionDiagnostics.unsupportedOperator(name, range: token.range, help: ["use `!`"]))
            }
            advance()
            if isSymbol(.leftParenthesis) {
                let (arguments, closeRange) = try parseArguments()
                return try make(.call(name: name, nameRange: token.range, receiver: nil, arguments: arguments),
                            Self.join(token.range, closeRange))
            }
            return try make(.name(name), token.range)
        case .symbol(.leftParenthesis):
            advance()
            try enterNesting(at: token)
            let inner = try parseExpression()
            guard isSymbol(.rightParenthesis) else {
                if case .end = current.kind { throw fail(ExpressionDiagnostics.unclosed("(", range: token.range)) }
                throw fail(unexpected(expected: "`)` or an operator"))
            }
            let closeRange = current.range
            advance()
            nestingDepth -= 1
            // Parentheses make no node of their own; the inner node's range grows to include them.
            return ExpressionNode(kind: inner.kind, range: Self.join(token.range, closeRange))
        case .symbol(.leftBracket):
            advance()
            try enterNesting(at: token)
            var elements: [ExpressionNode] = []
            while !isSymbol(.rightBracket) {
                if case .end = current.kind { throw fail(ExpressionDiagnostics.unclosed("[", range: token.range)) }
                elements.append(try parseExpression())
                if isSymbol(.comma) {
                    advance()
                } else if !isSymbol(.rightBracket) {
                    if case .end = current.kind { throw fail(ExpressionDiagnostics.unclosed("[", range: token.range)) }
                    throw fail(unexpected(expected: "`,` or `]`"))
                }
            }
            let closeRange = current.range
            advance()
            nestingDepth -= 1
            return try make(.list(elements), Self.join(token.range, closeRange))
        default:
            throw fail(unexpected(expected: "an expression"))
        }
    }

    /// "(" [Expr {"," Expr} [","]] ")" — the current token is the "(".
    private mutating func parseArguments() throws(Abort) -> ([ExpressionNode], SourceRange) {
        let open = current
        advance()
        try enterNesting(at: open)
        var arguments: [ExpressionNode] = []
        while !isSymbol(.rightParenthesis) {
            if case .end = current.kind { throw fail(ExpressionDiagnostics.unclosed("(", range: open.range)) }
            arguments.append(try parseExpression())
            if isSymbol(.comma) {
                advance()
            } else if !isSymbol(.rightParenthesis) {
                if case .end = current.kind { throw fail(ExpressionDiagnostics.unclosed("(", range: open.range)) }
                throw fail(unexpected(expected: "`,` or `)`"))
            }
        }
        let closeRange = current.range
        advance()
        nestingDepth -= 1
        return (arguments, closeRange)
    }
}
