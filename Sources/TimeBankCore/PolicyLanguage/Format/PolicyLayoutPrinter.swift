/// Prints a layout in the canonical form (docs/policy-format.md).
///
/// Statements start at column 1; arrays and inline tables that are broken over lines indent
/// their items by four spaces per level. Comments are printed as `#` and their text; comments at
/// the ends of consecutive lines are aligned.
struct PolicyLayoutPrinter {
    /// Lines wider than this (in terminal columns, a CJK character counting 2) break arrays
    /// one element per line.
    let lineWidthMax: Int

    private static let indentUnit = 4

    /// One output line before trailing comments are aligned.
    struct Line: Equatable {
        /// Spaces before the code.
        var indent: Int
        /// The line without indentation and trailing comment. Holds line breaks only when a
        /// multi-line string is part of it.
        var code: String
        /// The text of the comment at the end of the line (after `#`).
        var trailingComment: String?
        /// Columns between the code and the `#` of the trailing comment (at least 1).
        var commentGap = 1
    }

    /// The whole file: the statements with canonical blank lines, LF line ends and a final line
    /// feed (none for a file with no statements).
    func print(_ statements: [PolicyLayoutStatement]) -> String {
        var lines: [Line] = []
        for statement in Self.canonicalBlankLines(statements) {
            switch statement {
            case .blank:
                lines.append(Line(indent: 0, code: ""))
            case .comment(let text):
                lines.append(Line(indent: 0, code: "#" + text))
            case .header(let keyParts, let isArrayOfTables, let trailingComment):
                let key = Self.keyText(keyParts)
                let header = isArrayOfTables ? "[[" + key + "]]" : "[" + key + "]"
                lines.append(Line(indent: 0, code: header, trailingComment: trailingComment))
            case .keyValue(let keyParts, let value, let trailingComment):
                appendLines(
                    prefix: Self.keyText(keyParts) + " = ", value: value, suffix: "", trailingComment: trailingComment,
                    indent: 0, to: &lines)
            }
        }
        Self.alignTrailingComments(&lines)
        guard !lines.isEmpty else { return "" }
        var text = ""
        for line in lines {
            if !line.code.isEmpty { text += String(repeating: " ", count: line.indent) + line.code }
            if let comment = line.trailingComment {
                text += String(repeating: " ", count: line.commentGap) + "#" + comment
            }
            text += "\n"
        }
        return text
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

    /// Trailing comments on consecutive lines of the same indentation start in the same column:
    /// one space after the widest code among them. A blank line, a line without a trailing comment,
    /// a change of indentation or a multi-line string ends such a run.
    static func alignTrailingComments(_ lines: inout [Line]) {
        func canAlign(_ line: Line) -> Bool { line.trailingComment != nil && !line.code.contains("\n") }
        var start = 0
        while start < lines.count {
            guard canAlign(lines[start]) else {
                start += 1
                continue
            }
            var end = start + 1
            while end < lines.count && canAlign(lines[end]) && lines[end].indent == lines[start].indent { end += 1 }
            let widths = lines[start..<end].map { displayWidth(of: $0.code) }
            let widest = widths.max() ?? 0
            for (offset, width) in widths.enumerated() {
                lines[start + offset].commentGap = widest - width + 1
            }
            start = end
        }
    }

    // MARK: - Values

    /// `prefix`, the value and `suffix`, on one line or broken over several; `trailingComment`
    /// ends the last line.
    private func appendLines(
        prefix: String, value: PolicyLayoutValue, suffix: String, trailingComment: String?, indent: Int, to lines: inout [Line]
    ) {
        let leadingWidth = indent + displayWidth(of: prefix)
        let open: String, close: String, openingComment: String?, items: [PolicyLayoutItem], closingComments: [String]
        switch value {
        case .scalar(let text):
            lines.append(Line(indent: indent, code: prefix + text + suffix, trailingComment: trailingComment))
            return
        case .array(let array):
            if !array.containsComment && fits(value, leadingWidth: leadingWidth, trailingWidth: suffix.count) {
                lines.append(Line(indent: indent, code: prefix + Self.flatText(value) + suffix, trailingComment: trailingComment))
                return
            }
            (open, close, openingComment, items, closingComments) = ("[", "]", array.openingComment, array.items, array.closingComments)
        case .inlineTable(let table):
            // Written on one line it stays on one line (breaking it would need TOML 1.1); written over
            // several lines it is joined when it fits.
            if !table.containsComment
                && (!table.isWrittenOverSeveralLines || fits(value, leadingWidth: leadingWidth, trailingWidth: suffix.count)) {
                lines.append(Line(indent: indent, code: prefix + Self.flatText(value) + suffix, trailingComment: trailingComment))
                return
            }
            (open, close, openingComment, items, closingComments) = ("{", "}", table.openingComment, table.items, table.closingComments)
        }
        // One item per line with a trailing comma, each comment on the line it was attached to.
        let itemIndent = indent + Self.indentUnit
        lines.append(Line(indent: indent, code: prefix + open, trailingComment: openingComment))
        for item in items {
            for comment in item.leadingComments { lines.append(Line(indent: itemIndent, code: "#" + comment)) }
            let key = item.keyParts.isEmpty ? "" : Self.keyText(item.keyParts) + " = "
            appendLines(prefix: key, value: item.value, suffix: ",", trailingComment: item.trailingComment, indent: itemIndent, to: &lines)
        }
        for comment in closingComments { lines.append(Line(indent: itemIndent, code: "#" + comment)) }
        lines.append(Line(indent: indent, code: close + suffix, trailingComment: trailingComment))
    }

    /// True when the one-line form of `value` has no line break and the line it lands on stays
    /// within `lineWidthMax`.
    private func fits(_ value: PolicyLayoutValue, leadingWidth: Int, trailingWidth: Int) -> Bool {
        Self.flatWidth(of: value, within: lineWidthMax - leadingWidth - trailingWidth) != nil
    }

    /// The width of `flatText(value)` in terminal columns, or nil when it holds a line break or is
    /// wider than `budget`. Stops as soon as the budget is spent, so checking every level of a
    /// deeply nested value costs little more than printing it.
    static func flatWidth(of value: PolicyLayoutValue, within budget: Int) -> Int? {
        guard budget >= 0 else { return nil }
        switch value {
        case .scalar(let text):
            var width = 0
            for character in text {
                if character == "\n" { return nil }
                width += TerminalColumns.width(of: character)
                if width > budget { return nil }
            }
            return width
        case .array(let array):
            // "[" + items joined by ", " + "]"
            var width = 2
            for (index, item) in array.items.enumerated() {
                if index > 0 { width += 2 }
                guard let itemWidth = flatWidth(of: item.value, within: budget - width) else { return nil }
                width += itemWidth
            }
            return width <= budget ? width : nil
        case .inlineTable(let table):
            // "{}", or "{ " + "key = value" joined by ", " + " }": two columns more per entry.
            var width = 2
            for item in table.items {
                width += 2 + displayWidth(of: keyText(item.keyParts)) + 3
                guard let itemWidth = flatWidth(of: item.value, within: budget - width) else { return nil }
                width += itemWidth
            }
            return width <= budget ? width : nil
        }
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
}
