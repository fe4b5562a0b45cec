/// Prints a layout in the canonical form (docs/policy-format.md).
///
/// Statements start at column 1; arrays and inline tables that are broken over lines indent
/// their items by four spaces per level. Comments are printed as `#` and their text.
struct PolicyLayoutPrinter {
    /// Lines wider than this (in terminal columns, a CJK character counting 2) break arrays
    /// one element per line.
    let lineWidthMax: Int

    private static let indentUnit = 4

    /// The whole file: the statements with canonical blank lines, LF line ends and a final line
    /// feed (none for a file with no statements).
    func print(_ statements: [PolicyLayoutStatement]) -> String {
        var lines: [String] = []
        for statement in Self.canonicalBlankLines(statements) {
            switch statement {
            case .blank:
                lines.append("")
            case .comment(let text):
                lines.append("#" + text)
            case .header(let keyParts, let isArrayOfTables, let trailingComment):
                let key = Self.keyText(keyParts)
                let header = isArrayOfTables ? "[[" + key + "]]" : "[" + key + "]"
                lines.append(header + Self.trailing(trailingComment))
            case .keyValue(let keyParts, let value, let trailingComment):
                let key = Self.keyText(keyParts) + " = "
                let valueText = layout(value, indent: 0, leadingWidth: displayWidth(of: key), trailingWidth: 0)
                lines.append(key + valueText + Self.trailing(trailingComment))
            }
        }
        return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
    }

    /// The statements with blank lines put right: none at the start or the end of the file, at
    /// most one in a row, none right after a table header, and exactly one before a table header
    /// together with the comment lines directly above it.
    static func canonicalBlankLines(_ statements: [PolicyLayoutStatement]) -> [PolicyLayoutStatement] {
        var kept: [PolicyLayoutStatement] = []
        for statement in statements {
            if statement == .blank {
                guard let last = kept.last else { continue }
                if last == .blank { continue }
                if case .header = last { continue }
                kept.append(statement)
                continue
            }
            if case .header = statement {
                // The comment lines directly above a header belong to it: the blank goes above them.
                var blockStart = kept.count
                while blockStart > 0, case .comment = kept[blockStart - 1] { blockStart -= 1 }
                if blockStart > 0 && kept[blockStart - 1] != .blank {
                    kept.insert(.blank, at: blockStart)
                }
            }
            kept.append(statement)
        }
        while kept.last == .blank { kept.removeLast() }
        return kept
    }

    // MARK: - Values

    /// The text of `value` starting at the current column. `leadingWidth` is what stands before it
    /// on its first line and `trailingWidth` what follows it (a comma) when deciding whether it fits.
    private func layout(_ value: PolicyLayoutValue, indent: Int, leadingWidth: Int, trailingWidth: Int) -> String {
        switch value {
        case .scalar(let text):
            return text
        case .array(let array):
            let flat = Self.flatText(value)
            if !array.containsComment && fits(flat, leadingWidth: leadingWidth, trailingWidth: trailingWidth) {
                return flat
            }
            return broken(open: "[", close: "]", openingComment: array.openingComment, items: array.items,
                          closingComments: array.closingComments, indent: indent)
        case .inlineTable(let table):
            let flat = Self.flatText(value)
            // Written on one line it stays on one line (breaking it would need TOML 1.1); written over
            // several lines it is joined when it fits.
            if !table.containsComment
                && (!table.isWrittenOverSeveralLines || fits(flat, leadingWidth: leadingWidth, trailingWidth: trailingWidth)) {
                return flat
            }
            return broken(open: "{", close: "}", openingComment: table.openingComment, items: table.items,
                          closingComments: table.closingComments, indent: indent)
        }
    }

    /// One item per line with a trailing comma, each comment on the line it was attached to.
    private func broken(
        open: String, close: String, openingComment: String?, items: [PolicyLayoutItem], closingComments: [String], indent: Int
    ) -> String {
        let itemIndent = indent + Self.indentUnit
        let padding = String(repeating: " ", count: itemIndent)
        var text = open + Self.trailing(openingComment)
        for item in items {
            for comment in item.leadingComments { text += "\n" + padding + "#" + comment }
            let key = item.keyParts.isEmpty ? "" : Self.keyText(item.keyParts) + " = "
            let valueText = layout(item.value, indent: itemIndent, leadingWidth: itemIndent + displayWidth(of: key), trailingWidth: 1)
            text += "\n" + padding + key + valueText + "," + Self.trailing(item.trailingComment)
        }
        for comment in closingComments { text += "\n" + padding + "#" + comment }
        return text + "\n" + String(repeating: " ", count: indent) + close
    }

    /// True when `flat` is one line and the line it lands on stays within `lineWidthMax`.
    private func fits(_ flat: String, leadingWidth: Int, trailingWidth: Int) -> Bool {
        !flat.contains("\n") && leadingWidth + displayWidth(of: flat) + trailingWidth <= lineWidthMax
    }

    /// The value on one line: `[1, 2]`, `{ a = 1, b = [3] }`, `[]`, `{}`. Only for values without
    /// comments (a comment would swallow the rest of the line).
    static func flatText(_ value: PolicyLayoutValue) -> String {
        switch value {
        case .scalar(let text):
            return text
        case .array(let array):
            return "[" + array.items.map { flatText($0.value) }.joined(separator: ", ") + "]"
        case .inlineTable(let table):
            if table.items.isEmpty { return "{}" }
            return "{ " + table.items.map { keyText($0.keyParts) + " = " + flatText($0.value) }.joined(separator: ", ") + " }"
        }
    }

    // MARK: - Pieces

    /// Key parts joined by dots without spaces: `a."b c".d`.
    static func keyText(_ keyParts: [String]) -> String {
        keyParts.joined(separator: ".")
    }

    /// ` #text` for a comment at the end of a line, or nothing.
    static func trailing(_ comment: String?) -> String {
        comment.map { " #" + $0 } ?? ""
    }
}
