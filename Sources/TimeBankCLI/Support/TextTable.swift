import TimeBankCore

/// A plain-text table whose columns line up in a terminal, also when cells hold Chinese text
/// (East Asian wide characters take two columns).
public struct TextTable {
    public var headers: [String]
    public var alignments: [TextAlignment]
    public var rows: [[String]] = []

    public init(_ columns: [(String, TextAlignment)]) {
        headers = columns.map(\.0)
        alignments = columns.map(\.1)
    }

    /// Appends a row: one cell per column, in the columns' order.
    public mutating func add(_ row: [String]) { rows.append(row) }

    /// Cells are escaped here (`TerminalText.escaped`, as every output stream does), so that the widths are those of what
    /// the terminal shows: a name stored with a control character (`张\u{202E}敏`) keeps its column in line.
    public func rendered() -> String {
        let headers = headers.map(TerminalText.escaped)
        let rows = rows.map { $0.map(TerminalText.escaped) }
        var widths = headers.map { displayWidth(of: $0) }
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], displayWidth(of: cell))
            }
        }
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for (index, cell) in cells.enumerated() where index < widths.count {
                let isLast = index == widths.count - 1
                let alignment = alignments[index]
                if isLast && alignment == .left {
                    parts.append(cell)
                } else {
                    parts.append(padded(cell, toWidth: widths[index], alignment: alignment))
                }
            }
            var text = parts.joined(separator: "  ")
            while text.hasSuffix(" ") { text.removeLast() }
            return text
        }
        var out = line(headers) + "\n"
        out += line(widths.map { String(repeating: "-", count: $0) }) + "\n"
        for row in rows { out += line(row) + "\n" }
        return out
    }
}
