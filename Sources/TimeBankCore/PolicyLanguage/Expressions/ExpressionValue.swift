/// The static type of a policy expression or of one of its parts.
///
/// `int` promotes to `decimal` wherever a decimal is expected (arithmetic, comparison, a factor).
public indirect enum ExpressionType: Hashable, Sendable, CustomStringConvertible {
    case bool
    case int
    case decimal
    case string
    case date
    case list(ExpressionType)

    public var description: String {
        switch self {
        case .bool: "bool"
        case .int: "int"
        case .decimal: "decimal"
        case .string: "string"
        case .date: "date"
        case .list(let element): "list<\(element)>"
        }
    }
}

/// A value an expression computes or reads from the evaluation context.
public enum ExpressionValue: Hashable, Sendable, CustomStringConvertible {
    case bool(Bool)
    case int(Int)
    case decimal(ExactDecimal)
    case string(String)
    case date(LocalDate)
    case list([ExpressionValue])

    /// The value as it would be written in an expression: `true`, `3`, `0.8`, `"sat"`, `date("2026-10-01")`, `[1, 2]`.
    public var description: String {
        switch self {
        case .bool(let value): value ? "true" : "false"
        case .int(let value): String(value)
        case .decimal(let value): value.description
        case .string(let value): ExpressionValue.quoted(value)
        case .date(let value): "date(\"\(value)\")"
        case .list(let elements): "[" + elements.map(\.description).joined(separator: ", ") + "]"
        }
    }

    /// The number as an exact decimal when the value is an int or a decimal.
    public var decimalValue: ExactDecimal? {
        switch self {
        case .int(let value): ExactDecimal(value)
        case .decimal(let value): value
        default: nil
        }
    }

    /// Text in double quotes with `"`, `\`, newline and tab escaped, as an expression would spell it.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
