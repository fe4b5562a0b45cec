/// The layout of a TOML file as the formatter sees it: statements, the key and value text as
/// written, and every comment attached to the place it belongs to.
///
/// Whitespace is not kept: it is what the formatter decides. Everything else is, so printing a
/// layout gives back the same data and the same comments.
///
///     # about the rate          -> .comment(" about the rate")
///     [categories.orange] # 橙  -> .header(keyParts: ["categories", "orange"], isArrayOfTables: false, trailingComment: " 橙")
///     rate = 1.5                -> .keyValue(keyParts: ["rate"], value: .scalar(...), trailingComment: nil)
///                               -> .blank
enum PolicyLayoutStatement: Equatable {
    /// A line with nothing but whitespace.
    case blank
    /// A comment on a line of its own: the text after `#`, trailing whitespace removed.
    case comment(String)
    /// `[a.b]` or `[[a.b]]`, with the key parts as written (quotes included).
    case header(keyParts: [String], isArrayOfTables: Bool, trailingComment: String?)
    /// `a.b = value`, with the key parts as written (quotes included).
    case keyValue(keyParts: [String], value: PolicyLayoutValue, trailingComment: String?)
}

/// A value as written: scalars keep their exact text; arrays and inline tables keep their
/// elements and comments.
indirect enum PolicyLayoutValue: Equatable {
    /// A string, number, boolean or date-time exactly as written (line breaks inside multi-line
    /// strings are LF).
    case scalar(String)
    case array(PolicyLayoutArray)
    case inlineTable(PolicyLayoutInlineTable)

    /// True when a comment is written anywhere inside the value.
    var containsComment: Bool {
        switch self {
        case .scalar: return false
        case .array(let array): return array.containsComment
        case .inlineTable(let table): return table.containsComment
        }
    }
}

/// One element of an array, or one `key = value` of an inline table, with its comments.
struct PolicyLayoutItem: Equatable {
    /// Comments on lines of their own just before the item.
    var leadingComments: [String]
    /// The key parts as written (inline tables); empty for array elements.
    var keyParts: [String]
    var value: PolicyLayoutValue
    /// The comment at the end of the line the item ends on.
    var trailingComment: String?
}

/// `[ ... ]`: elements with their comments.
struct PolicyLayoutArray: Equatable {
    /// A comment on the line of `[`, before the first element.
    var openingComment: String?
    var items: [PolicyLayoutItem]
    /// Comments on lines of their own after the last element, before `]`.
    var closingComments: [String]

    var containsComment: Bool {
        openingComment != nil || !closingComments.isEmpty || items.contains {
            !$0.leadingComments.isEmpty || $0.trailingComment != nil || $0.value.containsComment
        }
    }
}

/// `{ ... }`: entries with their comments, and whether the table was written over several lines.
struct PolicyLayoutInlineTable: Equatable {
    /// A comment on the line of `{`, before the first entry.
    var openingComment: String?
    var items: [PolicyLayoutItem]
    /// Comments on lines of their own after the last entry, before `}`.
    var closingComments: [String]
    /// True when a line break stands between the braces outside any value (TOML 1.1 allows this).
    var isWrittenOverSeveralLines: Bool

    var containsComment: Bool {
        openingComment != nil || !closingComments.isEmpty || items.contains {
            !$0.leadingComments.isEmpty || $0.trailingComment != nil || $0.value.containsComment
        }
    }
}
