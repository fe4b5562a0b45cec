/// A static type during checking: an `ExpressionType`, or `anything` for the elements of `[]`.
indirect enum ExpressionCheckedType: Hashable, CustomStringConvertible {
    case bool, int, decimal, string, date
    case list(ExpressionCheckedType)
    case anything

    init(_ type: ExpressionType) {
        switch type {
        case .bool: self = .bool
        case .int: self = .int
        case .decimal: self = .decimal
        case .string: self = .string
        case .date: self = .date
        case .list(let element): self = .list(ExpressionCheckedType(element))
        }
    }

    var isNumeric: Bool { self == .int || self == .decimal }

    var isList: Bool {
        if case .list = self { return true }
        return false
    }

    var description: String {
        switch self {
        case .bool: "bool"
        case .int: "int"
        case .decimal: "decimal"
        case .string: "string"
        case .date: "date"
        case .list(.anything): "list"
        case .list(let element): "list<\(element)>"
        case .anything: "any"
        }
    }

    /// The type with an article, for messages: "an int", "a string".
    var spoken: String {
        switch self {
        case .int, .anything: "an \(self)"
        case .list(.anything): "an empty list"
        default: "a \(self)"
        }
    }

    /// The common type of two values that may meet (list elements, `? :` branches), or nil.
    static func unify(_ a: ExpressionCheckedType, _ b: ExpressionCheckedType) -> ExpressionCheckedType? {
        switch (a, b) {
        case (.anything, _): return b
        case (_, .anything): return a
        case (.list(let x), .list(let y)): return unify(x, y).map { .list($0) }
        default:
            if a == b { return a }
            if a.isNumeric, b.isNumeric { return .decimal }
            return nil
        }
    }

    /// Whether `==` between the two types is meaningful.
    static func canTestEquality(_ a: ExpressionCheckedType, _ b: ExpressionCheckedType) -> Bool {
        unify(a, b) != nil
    }

    /// Whether `<` between the two types is meaningful: numbers, strings, dates.
    static func canOrder(_ a: ExpressionCheckedType, _ b: ExpressionCheckedType) -> Bool {
        (a.isNumeric && b.isNumeric) || (a == b && (a == .string || a == .date))
    }

    /// The public type (the unknown element of `[]` reads as string).
    var expressionType: ExpressionType {
        switch self {
        case .bool: .bool
        case .int: .int
        case .decimal: .decimal
        case .string, .anything: .string
        case .date: .date
        case .list(let element): .list(element.expressionType)
        }
    }
}

/// A checked node: its type, its compiled evaluator, and what later checks need to know about it.
struct ExpressionCheckedNode {
    var type: ExpressionCheckedType
    var evaluate: ExpressionEvaluator
    var range: SourceRange
    /// The value, when known before evaluation (literals and lists of literals).
    var constant: ExpressionValue? = nil
    /// The field, when the node reads one directly.
    var field: ExpressionField? = nil
    /// Whether the node reads an optional field that no `has()` (or comparison) has proved present.
    var isUnguardedOptional = false
    /// The checked elements of a list literal, for per-element domain checks.
    var elements: [ExpressionCheckedNode]? = nil
    /// Whether the node is a string literal as written (not computed).
    var isStringLiteral = false
    /// Presence keys proved when the node evaluates to true / to false.
    var presentWhenTrue: Set<String> = []
    var presentWhenFalse: Set<String> = []

    /// A node whose value is known before evaluation.
    static func constant(_ value: ExpressionValue, type: ExpressionCheckedType, range: SourceRange) -> ExpressionCheckedNode {
        ExpressionCheckedNode(type: type, evaluate: { _ in .value(value) }, range: range, constant: value)
    }
}
