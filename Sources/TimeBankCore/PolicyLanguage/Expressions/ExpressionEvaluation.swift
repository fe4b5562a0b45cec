/// Why evaluating a compiled expression against one context gave no value. Never a crash: the
/// scorer decides what a failed condition or factor means (see `docs/expressions.md`).
public struct ExpressionEvaluationError: TimeBankError, Hashable {
    /// What went wrong.
    public enum Reason: Hashable, Sendable {
        /// An optional field was absent where a value was needed (arithmetic, a function, the result).
        case absentField(String)
        /// Whole-number arithmetic left the 64-bit range.
        case integerOverflow
        /// Decimal arithmetic reached 10^20 in magnitude.
        case decimalOutOfRange
        /// A division by zero.
        case divisionByZero
        /// `evaluateCondition` or `evaluateNumber` was called on an expression of another type.
        case resultTypeMismatch(expected: String, found: ExpressionType)
    }

    public let reason: Reason
    /// Where in the policy file the failing part of the expression is.
    public let range: SourceRange

    /// Creates an error for a reason at a range.
    public init(_ reason: Reason, at range: SourceRange) {
        self.reason = reason
        self.range = range
    }

    public var code: String {
        switch reason {
        case .absentField: "P245"
        case .integerOverflow: "P246"
        case .decimalOutOfRange: "P247"
        case .divisionByZero: "P248"
        case .resultTypeMismatch: "P249"
        }
    }

    /// The policy met data it did not expect (or, for P249, the program asked for the wrong type).
    public var category: ErrorCategory { .badInput }

    public var message: String {
        switch reason {
        case .absentField(let path): "`\(path)` is absent for this record (at \(range.start))"
        case .integerOverflow: "whole-number arithmetic overflowed (at \(range.start))"
        case .decimalOutOfRange: "decimal arithmetic went out of range, 10^20 or more (at \(range.start))"
        case .divisionByZero: "division by zero (at \(range.start))"
        case .resultTypeMismatch(let expected, let found): "expected \(expected), but the expression is \(found)"
        }
    }
}

/// An expression checked and compiled once, ready to evaluate against many contexts.
///
///     let (compiled, diagnostics) = ExpressionCompiler.compile("record.rating / 5", at: start, expecting: .decimal, schema: schema)
///     compiled?.evaluate(context) // .success(.decimal(0.8)) when the rating is 4
public struct CompiledExpression: Sendable {
    /// The expression's text.
    public let text: String
    /// Where the expression is in the policy file.
    public let range: SourceRange
    /// The type `evaluate` returns: the expected type (an int result is converted when a decimal is expected).
    public let resultType: ExpressionType
    /// The field paths the expression reads, in order of first use, such as `["record.rating"]`.
    public let referencedFields: [String]
    /// The text on one line: each run of white space between tokens (line breaks too) as one space, none at either end,
    /// the tokens as written (a string keeps its spaces). What a comparison of two versions shows.
    public let spacedText: String
    /// The tokens as written, one space between each: two texts that differ only in the white space between tokens
    /// (`["sat","sun"]` and `[ "sat", "sun" ]`) read the same, and have the same `tokenText`.
    public let tokenText: String
    let evaluator: ExpressionEvaluator

    /// Evaluates against one context. Never traps; failures are values.
    /// - Complexity: O(n) in the size of the expression (and of the lists it reads).
    public func evaluate(_ context: ExpressionContext) -> Result<ExpressionValue, ExpressionEvaluationError> {
        switch evaluator(context) {
        case .value(.int(let value)) where resultType == .decimal:
            return .success(.decimal(ExactDecimal(value)))
        case .value(let value):
            return .success(value)
        case .absent(let path, let range):
            return .failure(ExpressionEvaluationError(.absentField(path), at: range))
        case .failure(let error):
            return .failure(error)
        }
    }

    /// Evaluates a condition (compiled expecting `.bool`).
    public func evaluateCondition(_ context: ExpressionContext) -> Result<Bool, ExpressionEvaluationError> {
        evaluate(context).flatMap { value in
            guard case .bool(let result) = value else {
                return .failure(ExpressionEvaluationError(.resultTypeMismatch(expected: "bool", found: resultType), at: range))
            }
            return .success(result)
        }
    }

    /// Evaluates a number such as a factor (compiled expecting `.decimal` or `.int`).
    public func evaluateNumber(_ context: ExpressionContext) -> Result<ExactDecimal, ExpressionEvaluationError> {
        evaluate(context).flatMap { value in
            guard let number = value.decimalValue else {
                return .failure(ExpressionEvaluationError(.resultTypeMismatch(expected: "a number", found: resultType), at: range))
            }
            return .success(number)
        }
    }
}

/// What one compiled node produces: a value, an absent optional field, or a failure.
enum ExpressionOutcome: Sendable {
    case value(ExpressionValue)
    case absent(path: String, range: SourceRange)
    case failure(ExpressionEvaluationError)

    /// The outcome where a value is required: absence becomes a failure.
    var requiringValue: ExpressionOutcome {
        if case .absent(let path, let range) = self {
            return .failure(ExpressionEvaluationError(.absentField(path), at: range))
        }
        return self
    }
}

/// One compiled node: reads the context and computes its outcome.
typealias ExpressionEvaluator = @Sendable (ExpressionContext) -> ExpressionOutcome

/// The operations of the language on runtime values. The checker guarantees operand types, so a
/// mismatch here is impossible; it still answers something safe (false, or a failure) rather than trap.
enum ExpressionRuntime {
    /// Equality: numbers by value across int and decimal, strings by Unicode canonical equivalence, lists element-wise.
    static func equals(_ lhs: ExpressionValue, _ rhs: ExpressionValue) -> Bool {
        switch (lhs, rhs) {
        case (.int(let a), .int(let b)): return a == b
        case (.bool(let a), .bool(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.date(let a), .date(let b)): return a == b
        case (.list(let a), .list(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { equals($0, $1) }
        default:
            guard let a = lhs.decimalValue, let b = rhs.decimalValue else { return false }
            return a == b
        }
    }

    /// Ordering of numbers, strings and dates: negative, zero or positive; nil when unordered.
    static func order(_ lhs: ExpressionValue, _ rhs: ExpressionValue) -> Int? {
        func sign<T: Comparable>(_ a: T, _ b: T) -> Int { a < b ? -1 : (a == b ? 0 : 1) }
        switch (lhs, rhs) {
        case (.int(let a), .int(let b)): return sign(a, b)
        case (.string(let a), .string(let b)): return sign(a, b)
        case (.date(let a), .date(let b)): return sign(a, b)
        default:
            guard let a = lhs.decimalValue, let b = rhs.decimalValue else { return nil }
            return sign(a, b)
        }
    }

    /// Whether `lhs op rhs` holds for a comparison operator.
    static func compare(_ comparison: ExpressionBinaryOperator, _ lhs: ExpressionValue, _ rhs: ExpressionValue) -> Bool {
        switch comparison {
        case .equal: return equals(lhs, rhs)
        case .notEqual: return !equals(lhs, rhs)
        default:
            guard let order = order(lhs, rhs) else { return false }
            switch comparison {
            case .less: return order < 0
            case .lessOrEqual: return order <= 0
            case .greater: return order > 0
            case .greaterOrEqual: return order >= 0
            default: return false
            }
        }
    }

    /// `+ - * /` on two values. `int / int` is an exact decimal.
    static func arithmetic(_ arithmeticOperator: ExpressionBinaryOperator, _ lhs: ExpressionValue, _ rhs: ExpressionValue, range: SourceRange) -> ExpressionOutcome {
        if case .int(let a) = lhs, case .int(let b) = rhs, arithmeticOperator != .divide {
            let (result, overflow): (Int, Bool)
            switch arithmeticOperator {
            case .plus: (result, overflow) = a.addingReportingOverflow(b)
            case .minus: (result, overflow) = a.subtractingReportingOverflow(b)
            default: (result, overflow) = a.multipliedReportingOverflow(by: b)
            }
            return overflow ? .failure(ExpressionEvaluationError(.integerOverflow, at: range)) : .value(.int(result))
        }
        if case .string(let a) = lhs, case .string(let b) = rhs, arithmeticOperator == .plus {
            return .value(.string(a + b))
        }
        guard let a = lhs.decimalValue, let b = rhs.decimalValue else {
            return .failure(ExpressionEvaluationError(.decimalOutOfRange, at: range))
        }
        do throws(ExactDecimalError) {
            switch arithmeticOperator {
            case .plus: return .value(.decimal(try a.adding(b)))
            case .minus: return .value(.decimal(try a.subtracting(b)))
            case .times: return .value(.decimal(try a.multiplied(by: b)))
            default: return .value(.decimal(try a.divided(by: b)))
            }
        } catch {
            let reason: ExpressionEvaluationError.Reason = error == .divisionByZero ? .divisionByZero : .decimalOutOfRange
            return .failure(ExpressionEvaluationError(reason, at: range))
        }
    }

    /// Unary minus.
    static func negate(_ value: ExpressionValue, range: SourceRange) -> ExpressionOutcome {
        switch value {
        case .int(let a):
            let (result, overflow) = Int(0).subtractingReportingOverflow(a)
            return overflow ? .failure(ExpressionEvaluationError(.integerOverflow, at: range)) : .value(.int(result))
        case .decimal(let a):
            return .value(.decimal(a.negated()))
        default:
            return .failure(ExpressionEvaluationError(.decimalOutOfRange, at: range))
        }
    }

    /// `size()`: Unicode scalars of a string, elements of a list.
    static func size(_ value: ExpressionValue) -> Int {
        switch value {
        case .string(let text): text.unicodeScalars.count
        case .list(let elements): elements.count
        default: 0
        }
    }

    /// Whether `list` contains an element equal to `element`.
    static func contains(_ list: ExpressionValue, _ element: ExpressionValue) -> Bool {
        guard case .list(let elements) = list else { return false }
        return elements.contains { equals($0, element) }
    }
}
