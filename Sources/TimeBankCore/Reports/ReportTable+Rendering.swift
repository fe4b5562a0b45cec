/// The three ways a report is written: text for people, CSV for spreadsheets, JSON for programs.
extension ReportTable {
    /// The report written in `format`, ending with a newline. Pure: the caller prints or saves it.
    public func rendered(as format: ReportFormat) -> String {
        switch format {
        case .text: renderedText()
        case .csv: renderedCSV()
        case .json: renderedJSON()
        }
    }

    // MARK: Text

    /// The title, the columns aligned by terminal width (Chinese characters count two columns),
    /// a rule, the rows, the totals under a second rule, then the notes.
    ///
    ///     兑换站汇总 Stations 2026-11-01 – 2026-11-01
    ///
    ///     Station  Name        Points
    ///     -------  ----------  ------
    ///     S01      第一兑换站  120.00
    ///     -------  ----------  ------
    ///     Total                120.00
    func renderedText() -> String {
        let headers = columns.map(\.header)
        let body = rows.map { row in columns.indices.map { index in Self.lineText(index < row.count ? row[index].text : "") } }
        let totalsLine = totals.map { row in columns.indices.map { index in Self.lineText(index < row.count ? row[index].text : "") } }
        var widths = headers.map { displayWidth(of: $0) }
        for line in body + (totalsLine.map { [$0] } ?? []) {
            for (index, cell) in line.enumerated() { widths[index] = max(widths[index], displayWidth(of: cell)) }
        }
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for (index, cell) in cells.enumerated() {
                let isLast = index == cells.count - 1
                parts.append(isLast && columns[index].alignment == .left
                    ? cell : padded(cell, toWidth: widths[index], alignment: columns[index].alignment))
            }
            var text = parts.joined(separator: "  ")
            while text.hasSuffix(" ") { text.removeLast() }
            return text
        }
        let rule = line(widths.map { String(repeating: "-", count: $0) })
        var out = Self.lineText(title) + "\n\n"
        out += line(headers) + "\n" + rule + "\n"
        if body.isEmpty { out += "(nothing in this range)\n" }
        for cells in body { out += line(cells) + "\n" }
        if let totalsLine {
            out += rule + "\n" + line(totalsLine) + "\n"
        }
        if !notes.isEmpty {
            out += "\n" + notes.map { Self.lineText($0) + "\n" }.joined()
        }
        return out
    }

    /// Line breaks and other control characters become spaces, so that one cell stays on one line.
    static func lineText(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: \.isControl) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.map { $0.isControl ? " " : $0 }))
    }

    // MARK: CSV

    /// A header row of column ids, then one line per row (the totals row is left out: a spreadsheet
    /// sums by itself, and a program reading rows should not meet a row that is not one). Fields with a
    /// comma, a double quote or a line break are quoted, with quotes doubled (RFC 4180); lines end in `\n`.
    /// A text cell that a spreadsheet would read as a formula (it starts with `=`, `+`, `-`, `@`, a tab or a
    /// carriage return: a name such as `=HYPERLINK(...)`) gets a leading `'`, so that opening the report runs nothing;
    /// numbers, amounts and dates are written as they are.
    func renderedCSV() -> String {
        if !figures.isEmpty { return renderedFigureCSV() }
        var out = columns.map { Self.csvField($0.id) }.joined(separator: ",") + "\n"
        for row in rows {
            out += columns.indices.map { index in
                guard index < row.count else { return "" }
                if case .text(let text) = row[index] { return Self.csvField(Self.formulaSafe(text)) }
                return Self.csvField(row[index].text)
            }.joined(separator: ",") + "\n"
        }
        return out
    }

    /// A report with figures, one value per line under the header `figure,kind,value`: each row's cells after the
    /// first as `COLUMN_ID,FIRST_CELL,VALUE` (`cny_in,contributions,30.00`), then each figure as `ID,,VALUE`
    /// (`closing_balance,,30.00`, `coverage_ratio,,0.810811`, `below_one,,true`; a missing value is empty). One shape
    /// for every line, so a program reads it like any other CSV, and there is a line for every figure even when the
    /// range has no rows. The totals row is left out, as in the other reports.
    ///
    ///     figure,kind,value
    ///     entries,contributions,1
    ///     cny_in,contributions,30.00
    ///     cny_out,contributions,0.00
    ///     opening_balance,,0.00
    ///     closing_balance,,30.00
    func renderedFigureCSV() -> String {
        var out = "figure,kind,value\n"
        for row in rows {
            let kind = row.first.map { cell -> String in
                if case .text(let text) = cell { return Self.formulaSafe(text) }
                return cell.text
            } ?? ""
            for index in columns.indices.dropFirst() {
                let cell = index < row.count ? row[index] : .empty
                let value = if case .text(let text) = cell { Self.formulaSafe(text) } else { cell.text }
                out += [columns[index].id, kind, value].map(Self.csvField).joined(separator: ",") + "\n"
            }
        }
        for figure in figures {
            let value: String = switch figure.value {
            case .text(let text): Self.formulaSafe(text)
            default: Self.figureText(figure.value)
            }
            out += [figure.id, "", value].map(Self.csvField).joined(separator: ",") + "\n"
        }
        return out
    }

    /// A figure's value as CSV and JSON numbers read it: `30.00`, `7`, `0.810811`, `true`; empty for none.
    static func figureText(_ value: ReportFigure.Value) -> String {
        switch value {
        case .amount(let amount): Hundredths.format(amount)
        case .integer(let integer): String(integer)
        case .decimal(let text): text
        case .flag(let flag): flag ? "true" : "false"
        case .text(let text): text
        case .date(let date): date.description
        case .none: ""
        }
    }

    /// `text` with a leading `'` when a spreadsheet would take it for a formula.
    static func formulaSafe(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) else { return text }
        return "'" + text
    }

    /// A text cell as a report's CSV held it before `formulaSafe`: the leading `'` taken off when what follows starts
    /// like a formula (`'-east:r9` is `-east:r9`), so that timebank reading its own CSV back (`record approve --file` on
    /// `report rejects`'s CSV) finds what was written; any other text unchanged.
    public static func formulaSafeUndone(_ text: String) -> String {
        guard text.hasPrefix("'"), formulaSafe(String(text.dropFirst())) != String(text.dropFirst()) else { return text }
        return String(text.dropFirst())
    }

    /// One CSV field, quoted when it must be.
    public static func csvField(_ text: String) -> String {
        let needsQuotes = text.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
        guard needsQuotes else { return text }
        var quoted = "\""
        for character in text {
            if character == "\"" { quoted += "\"\"" } else { quoted.append(character) }
        }
        return quoted + "\""
    }

    // MARK: JSON

    /// `{"report", "title", "from", "to", "columns", "rows", "totals", "figures", "notes"}` in that order;
    /// each row an object keyed by column id in column order, on one line. Amounts are numbers with two
    /// decimals (`12.50`), integers numbers, dates and text strings, empty cells null. `totals` is
    /// present only when the report has a totals row, and holds only its sums (`{"receipts": 15, "points": 120.55}`: no
    /// `Total` label in a date or id column), `figures` (an object keyed by figure id: numbers,
    /// `true`/`false`, strings, null) only when it has figures.
    func renderedJSON() -> String {
        var out = "{\n"
        out += "  \"report\": \(Self.jsonString(name)),\n"
        out += "  \"title\": \(Self.jsonString(title)),\n"
        out += "  \"from\": \(from.map { Self.jsonString($0.description) } ?? "null"),\n"
        out += "  \"to\": \(to.map { Self.jsonString($0.description) } ?? "null"),\n"
        out += "  \"columns\": [" + columns.map {
            "{\"id\": \(Self.jsonString($0.id)), \"header\": \(Self.jsonString($0.header)), \"kind\": \(Self.jsonString($0.kind.rawValue))}"
        }.joined(separator: ", ") + "],\n"
        out += "  \"rows\": ["
        if rows.isEmpty {
            out += "],\n"
        } else {
            out += "\n" + rows.map { "    " + jsonObject($0) }.joined(separator: ",\n") + "\n  ],\n"
        }
        if let totals { out += "  \"totals\": \(totalsJSONObject(totals)),\n" }
        if !figures.isEmpty {
            out += "  \"figures\": {\n" + figures.map { figure in
                let value: String = switch figure.value {
                case .text(let text): Self.jsonString(text)
                case .date(let date): Self.jsonString(date.description)
                case .none: "null"
                default: Self.figureText(figure.value)
                }
                return "    \(Self.jsonString(figure.id)): \(value)"
            }.joined(separator: ",\n") + "\n  },\n"
        }
        out += "  \"notes\": ["
        if notes.isEmpty {
            out += "]\n"
        } else {
            out += "\n" + notes.map { "    " + Self.jsonString($0) }.joined(separator: ",\n") + "\n  ]\n"
        }
        return out + "}\n"
    }

    /// The totals row for programs: its sums (integer and amount cells), keyed by column id in column order, and its
    /// counts (`ReportCell.tally`: `"accounts": 3`), keyed by what they count. The row's label (`Total` in the date or
    /// station column) is for people: in JSON it would put a word in a date column or beside the rows' ids, where a
    /// program reading the columns by their kind meets what is not one; a count is a number of its own, not the column's.
    private func totalsJSONObject(_ row: [ReportCell]) -> String {
        "{" + columns.indices.compactMap { index -> String? in
            guard index < row.count else { return nil }
            if case .tally(let count, _, let many) = row[index] { return Self.jsonString(many) + ": " + String(count) }
            guard row[index].number != nil else { return nil }
            return Self.jsonString(columns[index].id) + ": " + Self.jsonValue(row[index])
        }.joined(separator: ", ") + "}"
    }

    private func jsonObject(_ row: [ReportCell]) -> String {
        "{" + columns.indices.map { index in
            Self.jsonString(columns[index].id) + ": " + Self.jsonValue(index < row.count ? row[index] : .empty)
        }.joined(separator: ", ") + "}"
    }

    static func jsonValue(_ cell: ReportCell) -> String {
        switch cell {
        case .text(let text): jsonString(text)
        case .integer(let value): String(value)
        case .amount(let value): Hundredths.format(value)
        case .date(let date): jsonString(date.description)
        case .empty: "null"
        case .tally(let count, _, _): String(count)
        }
    }

    static func jsonString(_ text: String) -> String { JSONText.quote(text) }
}
