import TimeBankCore

/// A JSON value written by hand so that key order and number text are exactly what we choose.
public indirect enum JSON: Sendable, Hashable {
    case object([(String, JSON)])
    case array([JSON])
    case string(String)
    /// A number's exact text (amounts are written as decimal text such as `12.50`).
    case number(String)
    case bool(Bool)
    case null

    public static func == (lhs: JSON, rhs: JSON) -> Bool { lhs.rendered() == rhs.rendered() }
    public func hash(into hasher: inout Hasher) { hasher.combine(rendered()) }

    /// An integer, written exactly (not through a floating-point number).
    public static func integer(_ value: some BinaryInteger) -> JSON { .number(String(value)) }
    /// Hundredths as a decimal number with two places.
    public static func amount(_ hundredths: Int64) -> JSON { .number(Hundredths.format(hundredths)) }
    /// The string, or `null` when there is none.
    public static func optional(_ value: String?) -> JSON { value.map(JSON.string) ?? .null }

    /// Compact when `indent` is nil, else pretty-printed.
    public func rendered(indent: Int? = 2) -> String {
        var out = ""
        write(to: &out, indent: indent, level: 0)
        return out
    }

    private func write(to out: inout String, indent: Int?, level: Int) {
        let newline = indent == nil ? "" : "\n"
        func pad(_ level: Int) -> String { String(repeating: " ", count: (indent ?? 0) * level) }
        switch self {
        case .object(let members):
            if members.isEmpty { out += "{}"; return }
            out += "{" + newline
            for (index, (key, value)) in members.enumerated() {
                out += pad(level + 1) + JSON.quote(key) + (indent == nil ? ":" : ": ")
                value.write(to: &out, indent: indent, level: level + 1)
                out += (index < members.count - 1 ? "," : "") + newline
            }
            out += pad(level) + "}"
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "[" + newline
            for (index, item) in items.enumerated() {
                out += pad(level + 1)
                item.write(to: &out, indent: indent, level: level + 1)
                out += (index < items.count - 1 ? "," : "") + newline
            }
            out += pad(level) + "]"
        case .string(let text): out += JSON.quote(text)
        case .number(let text): out += text
        case .bool(let value): out += value ? "true" : "false"
        case .null: out += "null"
        }
    }

    /// A JSON string literal with the required escapes.
    public static func quote(_ text: String) -> String { JSONText.quote(text) }
}
