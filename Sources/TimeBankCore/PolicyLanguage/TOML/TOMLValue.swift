/// One value of a TOML document together with the source range it was written at.
///
/// Scalars keep what the policy layer needs to be exact: numbers keep their source text, strings
/// keep the form they were written in and the range of their content.
///
///     let result = TOMLDecoder.decode(Array("rate = 1.5\n".utf8))
///     result.document.root["rate"]?.kind   // .float(TOMLFloat(text: "1.5", ...))
///     result.document.root["rate"]?.range  // 1:8-1:11
public struct TOMLValue: Sendable, Hashable {
    /// What kind of value this is, with its payload.
    public enum Kind: Sendable, Hashable {
        case string(TOMLString)
        case integer(TOMLInteger)
        case float(TOMLFloat)
        case boolean(Bool)
        case dateTime(TOMLDateTime)
        case array(TOMLArray)
        case table(TOMLTable)
    }

    /// The kind with its payload.
    public var kind: Kind
    /// Where the value is written. For a table made by a `[header]` this is the header; for a
    /// table made implicitly (by `[a.b]` or `a.b = 1`) it is the key part that made it.
    public var range: SourceRange

    /// A value of `kind` written at `range`.
    public init(kind: Kind, range: SourceRange) {
        self.kind = kind
        self.range = range
    }

    /// The string's value, when this is a string.
    public var string: String? {
        if case .string(let string) = kind { return string.value }
        return nil
    }

    /// The table, when this is a table (inline or not).
    public var table: TOMLTable? {
        if case .table(let table) = kind { return table }
        return nil
    }

    /// The array, when this is an array (inline or an array of tables).
    public var array: TOMLArray? {
        if case .array(let array) = kind { return array }
        return nil
    }

    /// The kind in words with an article, for messages: "a string", "an integer", "a table", ...
    public var kindDescription: String {
        switch kind {
        case .string: return "a string"
        case .integer: return "an integer"
        case .float: return "a decimal number"
        case .boolean: return "a boolean"
        case .dateTime(let dateTime): return dateTime.kindDescription
        case .array(let array): return array.isArrayOfTables ? "an array of tables" : "an array"
        case .table(let table): return table.origin == .inline ? "an inline table" : "a table"
        }
    }
}

/// A key as written in the source: its name (after unescaping) and where it is.
///
/// For the dotted key `rule.rate = 1`, the table `rule` holds the key `rate` whose range covers
/// just `rate`.
public struct TOMLKey: Sendable, Hashable {
    /// The name after unescaping, without quotes.
    public var name: String
    /// The key part as written, quotes included.
    public var range: SourceRange

    /// A key named `name` written at `range`.
    public init(name: String, range: SourceRange) {
        self.name = name
        self.range = range
    }
}

/// The four ways of writing a TOML string.
public enum TOMLStringForm: String, Sendable, Hashable {
    /// `"..."`, with escapes.
    case basic
    /// `'...'`: the content is the text exactly as written.
    case literal
    /// `"""..."""`, with escapes and newlines.
    case multilineBasic
    /// `'''...'''`: the text exactly as written, newlines included.
    case multilineLiteral
}

/// A string value: its text, the form it was written in and the range of its content.
public struct TOMLString: Sendable, Hashable {
    /// The text after escapes were resolved (and, in multi-line forms, line endings normalised
    /// to "\n" and a newline right after the opening delimiter dropped).
    public var value: String
    /// How the string was written.
    public var form: TOMLStringForm
    /// The content between the delimiters. For a single-line literal string the text of the value
    /// starts exactly at `contentRange.start`, so column `c` of the value is file column
    /// `contentRange.start.column + c`.
    public var contentRange: SourceRange

    /// A string value with its form and content range.
    public init(value: String, form: TOMLStringForm, contentRange: SourceRange) {
        self.value = value
        self.form = form
        self.contentRange = contentRange
    }
}

/// An integer value: its source text and its value as a 64-bit integer.
public struct TOMLInteger: Sendable, Hashable {
    /// The text as written, e.g. `+1_000` or `0xff`.
    public var text: String
    /// The value; text outside the 64-bit range is reported (P017) instead.
    public var value: Int64

    /// An integer written as `text`.
    public init(text: String, value: Int64) {
        self.text = text
        self.value = value
    }
}

/// A float value: its source text (for exact decimal arithmetic) and its binary64 value.
///
/// Amounts must be read from `text`: `value` is only for contexts where a binary float is fine.
public struct TOMLFloat: Sendable, Hashable {
    /// The text as written, e.g. `1.5`, `6.02e23`, `-inf`.
    public var text: String
    /// The nearest binary64 value (inf and nan included).
    public var value: Double

    /// A float written as `text`.
    public init(text: String, value: Double) {
        self.text = text
        self.value = value
    }

    /// Equal when written the same way.
    public static func == (lhs: TOMLFloat, rhs: TOMLFloat) -> Bool {
        // The text decides: it is what was written, and it makes NaN equal to itself.
        lhs.text == rhs.text
    }

    /// Hashes the text, consistent with `==`.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(text)
    }
}

/// An array: either written inline (`[1, 2]`) or built from `[[header]]` tables.
public struct TOMLArray: Sendable, Hashable {
    /// The items in source order.
    public var elements: [TOMLValue]
    /// True when the array was made by `[[name]]` headers.
    public var isArrayOfTables: Bool

    /// An array of `elements`.
    public init(elements: [TOMLValue], isArrayOfTables: Bool = false) {
        self.elements = elements
        self.isArrayOfTables = isArrayOfTables
    }
}

/// A comment (`# ...`) with its text after the `#` and its range (from `#` to the end of the line).
public struct TOMLComment: Sendable, Hashable {
    /// The text after `#`, up to the end of the line.
    public var text: String
    /// From `#` to the end of the line (the line break excluded).
    public var range: SourceRange

    /// A comment with its text and range.
    public init(text: String, range: SourceRange) {
        self.text = text
        self.range = range
    }
}

/// A decoded TOML document: the root table and every comment in source order.
public struct TOMLDocument: Sendable, Hashable {
    /// The top-level table.
    public var root: TOMLTable
    /// Every comment in the file, in source order.
    public var comments: [TOMLComment]

    /// A document from its root table and comments.
    public init(root: TOMLTable, comments: [TOMLComment]) {
        self.root = root
        self.comments = comments
    }
}

/// The outcome of decoding: the document (with everything that decoded cleanly) and the problems.
///
/// When `diagnostics` holds errors, the document is incomplete: keys whose values had errors, and
/// the contents of tables that conflict with earlier ones, are left out.
public struct TOMLParseResult: Sendable {
    /// What decoded cleanly.
    public var document: TOMLDocument
    /// Every problem found, in source order (ids P001-P032).
    public var diagnostics: [Diagnostic]

    /// A result from a document and its diagnostics.
    public init(document: TOMLDocument, diagnostics: [Diagnostic]) {
        self.document = document
        self.diagnostics = diagnostics
    }

    /// True when at least one diagnostic is an error.
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}
