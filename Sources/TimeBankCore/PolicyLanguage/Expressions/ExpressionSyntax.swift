/// Maps positions in an expression's text (Unicode scalar indexes) to locations in the policy file.
///
/// The expression starts at a known `SourceLocation`; each scalar advances the column by one and
/// the byte offset by its UTF-8 length, and a newline starts the next line at column 1.
struct ExpressionSourceMap: Sendable {
    /// The location of every scalar, plus one past the end.
    let locations: [SourceLocation]

    /// `lineBreakBytes` is how many bytes each "\n" of the text takes in the file: 1, or 2 where
    /// the file was saved with CRLF line ends (which a TOML multi-line string reads as "\n").
    init(scalars: [Unicode.Scalar], start: SourceLocation, lineBreakBytes: Int = 1) {
        var locations: [SourceLocation] = []
        locations.reserveCapacity(scalars.count + 1)
        var location = start
        for scalar in scalars {
            locations.append(location)
            ExpressionSourceMap.advance(&location, over: scalar, lineBreakBytes: lineBreakBytes)
        }
        locations.append(location)
        self.locations = locations
    }

    /// The location just after `scalars`, which begin at `start`.
    static func location(after scalars: some Sequence<Unicode.Scalar>, from start: SourceLocation, lineBreakBytes: Int = 1) -> SourceLocation {
        var location = start
        for scalar in scalars { advance(&location, over: scalar, lineBreakBytes: lineBreakBytes) }
        return location
    }

    /// Moves a location past one scalar: one column (or the next line after a newline), its UTF-8
    /// bytes (a newline's bytes in the file: `lineBreakBytes`).
    private static func advance(_ location: inout SourceLocation, over scalar: Unicode.Scalar, lineBreakBytes: Int) {
        location.offset += scalar == "\n" ? lineBreakBytes : UTF8.width(scalar)
        if scalar == "\n" {
            location.line += 1
            location.column = 1
        } else {
            location.column += 1
        }
    }

    /// The file range covering scalars `range` of the expression.
    func range(_ range: Range<Int>) -> SourceRange {
        SourceRange(start: locations[range.lowerBound], end: locations[range.upperBound])
    }

    /// The whole expression.
    var whole: SourceRange { SourceRange(start: locations[0], end: locations[locations.count - 1]) }
}

/// The punctuation and operators of the expression language.
enum ExpressionSymbol: String, Sendable, CaseIterable {
    case leftParenthesis = "("
    case rightParenthesis = ")"
    case leftBracket = "["
    case rightBracket = "]"
    case comma = ","
    case dot = "."
    case question = "?"
    case colon = ":"
    case equal = "=="
    case notEqual = "!="
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="
    case and = "&&"
    case or = "||"
    case not = "!"
    case plus = "+"
    case minus = "-"
    case times = "*"
    case divide = "/"
}

/// One token of an expression.
struct ExpressionToken: Sendable {
    enum Kind: Sendable, Equatable {
        case identifier(String)
        case integer(Int)
        case decimal(ExactDecimal)
        case string(String)
        case boolean(Bool)
        /// The `in` keyword.
        case keywordIn
        case symbol(ExpressionSymbol)
        case end
    }

    var kind: Kind
    /// Scalar indexes into the expression text.
    var scalars: Range<Int>
    var range: SourceRange

    /// How a message names this token: `` `)` ``, `` `foo` ``, `"text"`, `the end of the expression`.
    var spelling: String {
        switch kind {
        case .identifier(let name): "`\(name)`"
        case .integer(let value): "`\(value)`"
        case .decimal(let value): "`\(value)`"
        case .string(let value): ExpressionValue.quoted(value)
        case .boolean(let value): value ? "`true`" : "`false`"
        case .keywordIn: "`in`"
        case .symbol(let symbol): "`\(symbol.rawValue)`"
        case .end: "the end of the expression"
        }
    }
}

/// Binary operators, by CEL precedence (higher binds tighter).
enum ExpressionBinaryOperator: String, Sendable {
    case or = "||"
    case and = "&&"
    case equal = "=="
    case notEqual = "!="
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="
    case `in` = "in"
    case plus = "+"
    case minus = "-"
    case times = "*"
    case divide = "/"

    /// 1 `||`, 2 `&&`, 3 relations and `in`, 4 `+ -`, 5 `* /`.
    var precedence: Int {
        switch self {
        case .or: 1
        case .and: 2
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual, .in: 3
        case .plus, .minus: 4
        case .times, .divide: 5
        }
    }

    var isComparison: Bool {
        switch self {
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual: true
        default: false
        }
    }

    var isOrdering: Bool {
        switch self {
        case .less, .lessOrEqual, .greater, .greaterOrEqual: true
        default: false
        }
    }

    /// The operator with its operands swapped: `3 < x` is `x > 3`.
    var mirrored: ExpressionBinaryOperator {
        switch self {
        case .less: .greater
        case .lessOrEqual: .greaterOrEqual
        case .greater: .less
        case .greaterOrEqual: .lessOrEqual
        default: self
        }
    }
}

/// Prefix operators.
enum ExpressionUnaryOperator: String, Sendable {
    case not = "!"
    case negate = "-"
}

/// A node of the syntax tree, with the exact file range it was written at.
struct ExpressionNode: Sendable {
    indirect enum Kind: Sendable {
        case integer(Int)
        case decimal(ExactDecimal)
        case string(String)
        case boolean(Bool)
        case list([ExpressionNode])
        /// A bare identifier: a root such as `record`, or a mistake.
        case name(String)
        /// `base.name`.
        case member(ExpressionNode, name: String, nameRange: SourceRange)
        /// `name(arguments)` or `receiver.name(arguments)`.
        case call(name: String, nameRange: SourceRange, receiver: ExpressionNode?, arguments: [ExpressionNode])
        case unary(ExpressionUnaryOperator, ExpressionNode)
        case binary(ExpressionBinaryOperator, ExpressionNode, ExpressionNode, operatorRange: SourceRange)
        /// `condition ? then : else`.
        case conditional(ExpressionNode, ExpressionNode, ExpressionNode)
    }

    var kind: Kind
    var range: SourceRange
}
