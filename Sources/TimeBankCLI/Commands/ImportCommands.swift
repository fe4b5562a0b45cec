import Foundation
import TimeBankCore
import TimeBankStorage

/// A community CSV file as read: its data rows, the header's columns, and what is needed to show a row's line.
struct CommunityFileContents {
    /// Each column's index, by its English name (a Chinese heading such as 姓名 is read as the column it names).
    var header: [String: Int]
    /// The data rows (blank ones left out) as read, with where each field starts.
    var table: [CSVRow]
    /// The row a spreadsheet shows for each of `table` (`CSVRow.sheetRows`): blank rows count, and a quoted value over
    /// several lines is one row, so a row's number is not always its line.
    var sheetRows: [Int]
    /// The file's text, to show a row's line under its error.
    var text: String
    /// The lines above the header read as the sheet's title and skipped (太白湖社区志愿者名单, a merged cell).
    var titles: [SkippedTitle]

    /// The data rows, as `CommunityCSV` reads them: each numbered by its spreadsheet row, which errors name.
    var rows: [(row: Int, fields: [String])] { zip(sheetRows, table).map { ($0, $1.fields) } }

    /// The data row a spreadsheet shows as `row`, to find its line and fields.
    func record(atRow row: Int) -> CSVRow? {
        sheetRows.firstIndex(of: row).map { table[$0] }
    }
}

/// Reads a community CSV file: refuses a file that is not UTF-8 (naming the likely encoding and the
/// `iconv` command that fixes it), checks the header, and returns the data rows with their line numbers.
enum CommunityFile {
    static func rows(path: String, encoding: SourceEncoding = .utf8, columns: [String], required: [String]) throws -> CommunityFileContents {
        let (table, text) = try FileSystem.spreadsheetCSV(path, encoding: encoding)
        func cells(_ row: CSVRow) -> [String] { row.fields.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty } }
        let filled = table.filter { !$0.isBlank && !cells($0).isEmpty }
        guard !filled.isEmpty else { throw UsageError("\(path) is empty; the first line must be the header: \(columns.joined(separator: ","))") }
        // A sheet's title above the header (`CSVRow.sheetTitle`): the header is the first row of two cells or more (every
        // kind needs id and name), when every row above it is a title. A file whose every row is one cell (tab-separated
        // text) has no such header.
        func title(_ row: CSVRow) -> String? {
            row.sheetTitle { columns.contains($0.lowercased()) || resolved($0, among: columns) != nil }
        }
        var titles: [SkippedTitle] = []
        if let first = filled.firstIndex(where: { cells($0).count >= 2 }), first > 0 {
            let above = filled[..<first].compactMap { row in title(row).map { SkippedTitle(line: row.line, text: $0) } }
            if above.count == first { titles = above }
        }
        let headerRow = filled[titles.count]
        let numbered = zip(CSVRow.sheetRows(table), table).filter { $0.1.line > headerRow.line && !$0.1.isBlank }
        let dataTable = numbered.map(\.1)
        func refuse(_ problems: [Diagnostic]) -> RenderedFileError {
            RenderedFileError(error: .badHeader(fileName: path, problems: problems), path: path, text: text)
        }
        if let separator = headerRow.otherSeparator {
            // Saved as "CSV (semicolon)" or "Text (tab delimited)": the whole header reads as one column.
            throw refuse([Diagnostic(severity: .error, id: "I107", message: "the header's columns are separated by \(separator.name), not commas: "
                + "this is not a CSV file", range: span(headerRow, 0), help: [SpreadsheetAdvice.saveAsCSV])])
        }
        var header: [String: Int] = [:]
        var problems: [Diagnostic] = []
        // A header typed in Chinese is told the columns by their Chinese headings too (户号 (id), 户名 (name), 地址 (address)):
        // a clerk who wrote 户主姓名 learns which word to write, not only an English name she has never seen in her sheet.
        let inChinese = headerRow.fields.contains { $0.unicodeScalars.contains { !$0.isASCII } }
        func listed(_ names: [String], separator: String = ",") -> String {
            inChinese ? names.map { "\(chineseHeading(of: $0, among: columns)) (\($0))" }.joined(separator: ", ") : names.joined(separator: separator)
        }
        // Every column named with a meaning: the header as it should be written, when that is all it takes. A heading typed
        // in Chinese is answered in Chinese: a good one is kept as written, a misspelt one (入队日其) is given the nearest
        // Chinese heading (入队日期), so that a clerk's Chinese header is not turned into English names.
        let suggested = headerRow.fields.map { field -> (spelling: String, meaning: String)? in
            let written = field.trimmingCharacters(in: .whitespaces)
            let word = written.lowercased()
            if word.isEmpty || columns.contains(word) { return (word, word) }
            if let column = resolved(word, among: columns) { return (written, column) }
            return suggestion(for: word, among: columns)
        }
        let rewritten = suggested.map { $0?.meaning }
        let named = rewritten.compactMap { $0 }.filter { !$0.isEmpty }
        let whole = !rewritten.contains(nil) && Set(named).count == named.count
            ? "write the header as: " + suggested.compactMap { $0?.spelling }.joined(separator: ",") : nil
        for (index, written) in headerRow.fields.enumerated() {
            let word = written.trimmingCharacters(in: .whitespaces).lowercased()
            if word.isEmpty {
                // A spreadsheet saves columns past the data that were once touched, with no name: ignored while empty.
                if let row = dataTable.first(where: { index < $0.fields.count && !$0.fields[index].trimmingCharacters(in: .whitespaces).isEmpty }) {
                    problems.append(Diagnostic(severity: .error, id: "I105",
                        message: "column \(index + 1) has no name in the header but holds \"\(row.fields[index])\"", range: span(row, index),
                        help: ["name it (columns are \(listed(columns))) or delete the column"]))
                }
                continue
            }
            // An English name, or a Chinese heading that names one column (姓名 is name, 出生日期 birth_date).
            guard let name = columns.contains(word) ? word : resolved(word, among: columns) else {
                let hint = suggested[index].map { Spelling.didYouMean($0) + " " } ?? ""
                problems.append(Diagnostic(severity: .error, id: "I105", message: "unknown column \"\(written.trimmingCharacters(in: .whitespaces))\"",
                                           range: span(headerRow, index),
                                           help: [hint + "columns are \(listed(columns))"] + (whole.map { [$0] } ?? [])))
                continue
            }
            if let first = header[name] {
                problems.append(Diagnostic(severity: .error, id: "I106",
                    message: "column \"\(name)\" appears twice (columns \(first + 1) and \(index + 1))", range: span(headerRow, index),
                    help: ["remove one of them"]))
                continue
            }
            header[name] = index
        }
        // A required column an unknown heading was taken for (did you mean ...?) is said there, not again as missing.
        let hinted = Set(headerRow.fields.indices.filter { header.values.contains($0) == false }.compactMap { rewritten[$0] })
        for name in required where header[name] == nil && !hinted.contains(name) {
            let inWords = inChinese ? " (in Chinese: \(chineseHeading(of: name, among: columns)))" : ""
            problems.append(Diagnostic(severity: .error, id: "I104", message: "the header has no \"\(name)\" column" + inWords, range: span(headerRow, 0),
                                       help: ["the header needs \(listed(required)); its columns are \(listed(columns))"]))
        }
        if !problems.isEmpty { throw refuse(problems) }
        return CommunityFileContents(header: header, table: dataTable, sheetRows: numbered.map(\.0), text: text, titles: titles)
    }

    /// Where field `index` of `row` is, to mark it under its line: its first line's characters (at least one).
    static func span(_ row: CSVRow, _ index: Int) -> SourceRange {
        let start = row.fieldStarts[index]
        let width = max(1, row.fields[index].unicodeScalars.prefix { $0 != "\n" && $0 != "\r" }.count)
        return SourceRange(start: start, end: SourceLocation(line: start.line, column: start.column + width,
                                                             offset: start.offset + row.fields[index].utf8.count))
    }

    /// The Chinese heading of `column` in a file of `columns`, as docs/community.md's examples head them: 户号 and 户名 in
    /// the households' file, 站名 in the stations', 队名 in the teams', 编号 and 姓名 elsewhere. Each is read back as the column.
    static func chineseHeading(of column: String, among columns: [String]) -> String {
        switch column {
        case "id": columns == CommunityCSV.householdColumns ? "户号" : "编号"
        case "name":
            switch columns {
            case CommunityCSV.householdColumns: "户名"
            case CommunityCSV.stationColumns: "站名"
            case CommunityCSV.teamColumns: "队名"
            default: "姓名"
            }
        case "address": "地址"
        case "community": "社区"
        case "household": "户号"
        case "birth_date": "出生日期"
        case "teams": "队伍"
        case "tags": "标签"
        case "joined": "入队日期"
        case "label": "说明"
        case "item": "物品"
        case "counted": "盘点数量"
        default: column
        }
    }

    /// The column a Chinese heading names in a file of `columns` (户号 is a volunteer's household, a household's own id),
    /// as the record import reads 日期 as date; nil for any other word. A misspelling is never read as a column.
    static func resolved(_ word: String, among columns: [String]) -> String? {
        headerWords[word.trimmingCharacters(in: .whitespaces)]?.first(where: columns.contains)
    }

    /// The column `word` most likely means: the column a Chinese heading names, or the one nearest in spelling to a
    /// column's name or one of its Chinese headings (`生日期` is as near to `生日` as to `出生日期`: both birth_date).
    static func meaning(of word: String, among columns: [String]) -> String? {
        headerWords[word]?.first(where: columns.contains) ?? Spelling.nearest(to: word, among: spellings(of: columns))
    }

    /// The column `word` most likely means, with the heading to suggest for it: as `meaning(of:among:)`, a Chinese heading
    /// for a word typed in Chinese (`入队日其` is `入队日期`, joined), the column's name for one typed in Latin letters.
    static func suggestion(for word: String, among columns: [String]) -> (spelling: String, meaning: String)? {
        if let column = headerWords[word]?.first(where: columns.contains) { return (word, column) }
        return Spelling.nearestSpelling(to: word, among: spellings(of: columns))
    }

    /// Every way of heading `columns`: their names, and the Chinese headings that name one of them (`headerWords`).
    static func spellings(of columns: [String]) -> [(spelling: String, meaning: String)] {
        columns.map { (spelling: $0, meaning: $0) } + headerWords.sorted { $0.key < $1.key }.compactMap { word, meanings in
            meanings.first(where: columns.contains).map { (spelling: word, meaning: $0) }
        }
    }

    /// Column names as a spreadsheet made in Chinese heads them, with the columns they may mean, likeliest first
    /// (户号 is a volunteer's household, or a household's own id).
    static let headerWords: [String: [String]] = [
        "编号": ["id"], "編號": ["id"], "代码": ["id"], "代碼": ["id"], "站号": ["id"], "站號": ["id"],
        "户号": ["household", "id"], "戶號": ["household", "id"], "家庭编号": ["household", "id"], "家庭編號": ["household", "id"],
        "家庭": ["household"], "所属家庭": ["household"], "所屬家庭": ["household"], "户": ["household"], "戶": ["household"],
        "姓名": ["name"], "名字": ["name"], "名称": ["name"], "名稱": ["name"], "户名": ["name"], "戶名": ["name"], "站名": ["name"],
        "队名": ["name"], "隊名": ["name"], "地址": ["address"], "住址": ["address"], "门牌": ["address"], "門牌": ["address"],
        "社区": ["community"], "社區": ["community"], "村": ["community"], "出生日期": ["birth_date"], "生日": ["birth_date"],
        "出生年月日": ["birth_date"], "队伍": ["teams"], "隊伍": ["teams"], "服务队": ["teams"], "服務隊": ["teams"], "团队": ["teams"],
        "團隊": ["teams"], "标签": ["tags"], "標籤": ["tags"], "特长": ["tags"], "特長": ["tags"], "加入日期": ["joined"],
        "入队日期": ["joined"], "入隊日期": ["joined"], "注册日期": ["joined"], "註冊日期": ["joined"], "加入时间": ["joined"],
        "加入時間": ["joined"], "英文名": ["label"], "说明": ["label"], "說明": ["label"],
        // A stocktake's sheet (`stock count --file`): 物品,盘点数量.
        "物品": ["item"], "商品": ["item"], "商品名称": ["item"], "盘点数量": ["counted"], "盤點數量": ["counted"],
        "实盘数量": ["counted"], "實盤數量": ["counted"], "数量": ["counted"], "數量": ["counted"],
    ]
}

/// What an import did: read = added + not added + already present + rejected, where "not added" are the good new rows
/// of a file refused for its bad ones (nothing is imported then, unless --skip-bad).
struct ImportSummary {
    var kind: String
    var read = 0
    var added = 0
    var notAdded = 0
    var present = 0
    /// Every error of the rejected rows, in the order of the file: a row with several bad cells has several.
    var rejected: [CommunityCSV.RowError] = []
    /// How many rows were rejected: the count of `read` = added + not added + present + rejected.
    var rejectedRows: Int { Set(rejected.map(\.row)).count }
    /// The rows above the header read as the sheet's title.
    var skippedTitles: [SkippedTitle] = []

    /// With `--json`, `rejected` counts the rows and `errors` has each bad cell with the members the record import's have
    /// (`row`, `line`, `column`, `code`, `message`, `help`: a row with two bad cells has two), and `skipped_titles` lists
    /// the title rows, as there.
    func print(_ context: CommandContext, file: String, contents: CommunityFileContents) {
        if context.json {
            context.output.line(JSON.object(jsonMembers(file: file, contents: contents)).rendered())
        } else {
            context.output.line("\(file): read \(read) \(kind)\(read == 1 ? "" : "s"): \(added) added, "
                                + (notAdded > 0 ? "\(notAdded) not added (the file was refused for its rejected rows), " : "")
                                + "\(present) already present, \(rejectedRows) rejected")
        }
    }

    /// A file refused whole as it was written (C007) after some rows were rejected under --skip-bad: the refusal, and what
    /// the import read (every rejected row, the good rows not added), so that neither is lost. With `--json`, one document:
    /// the error object as every refusal prints it, beside the summary's members. Returns the exit code.
    func refuse(_ error: FileRefusedError, _ context: CommandContext, file: String, contents: CommunityFileContents) -> Int32 {
        guard context.json else {
            print(context, file: file, contents: contents)
            return TimeBankCLI.fail(error, context)
        }
        let exit = ExitCode.of(error.category)
        context.errors.line("error[\(error.code)]: \(TimeBankCLI.shortened(error.message))")
        context.output.line(JSON.object([TimeBankCLI.errorMember(code: error.code, message: error.message, exit: exit)]
                                        + jsonMembers(file: file, contents: contents)).rendered())
        return exit
    }

    private func jsonMembers(file: String, contents: CommunityFileContents) -> [(String, JSON)] {
        [
            ("file", .string(file)), ("kind", .string(kind)), ("read", .integer(read)), ("added", .integer(added)),
            ("not_added", .integer(notAdded)), ("already_present", .integer(present)), ("rejected", .integer(rejectedRows)),
            ("errors", .array(rejected.map { error in
                .object([("row", .integer(error.row)), ("line", .integer(contents.record(atRow: error.row)?.line ?? error.row)),
                         ("column", .string(error.column)),
                         ("code", .string(error.code)), ("message", .string(CommunityRowErrors.message(error))), ("help", .optional(error.help))])
            })),
            ("skipped_titles", .array(skippedTitles.map { .object([("line", .integer($0.line)), ("text", .string($0.text))]) })),
        ]
    }
}

extension CommandContext {
    /// The note on standard error for each row above a file's header read as the sheet's title (`CSVRow.sheetTitle`).
    func noteSkipped(_ titles: [SkippedTitle], in path: String) {
        for title in titles {
            errors.line("note: \(path):\(title.line): \"\(title.text)\" is read as the sheet's title and skipped; the header is the row below it")
        }
    }
}

/// A community file's rejected rows as the record import shows its own: each with its code, row and column, the line
/// with a marker under the value, and what to write.
enum CommunityRowErrors {
    /// `row 3, column "household": no household "H004"`, as the record import words a row's error.
    static func message(_ error: CommunityCSV.RowError) -> String {
        "row \(error.row), column \"\(error.column)\": \(error.reason)"
    }

    static func diagnostic(_ error: CommunityCSV.RowError, file: CommunityFileContents) -> Diagnostic {
        let message = message(error)
        let help = error.help.map { [$0] } ?? []
        let record = file.record(atRow: error.row)
        guard let row = record, !row.fieldStarts.isEmpty else {
            // The marker needs the file's line: the row's own where it is found, else the row's number (the two are one
            // unless a quoted value above runs over two lines).
            let line = record?.line ?? error.row
            return Diagnostic(severity: .error, id: error.code, message: message, range: SourceRange(at: SourceLocation(line: line, column: 1, offset: 0)), help: help)
        }
        let range: SourceRange
        if let index = file.header[error.column], index < row.fields.count {
            range = CommunityFile.span(row, index)
        } else {
            // A row too short to reach the column: the marker goes after its last cell.
            let last = row.fieldStarts.count - 1
            let start = row.fieldStarts[last]
            let column = start.column + row.fields[last].unicodeScalars.count
            range = SourceRange(at: SourceLocation(line: start.line, column: column, offset: start.offset + row.fields[last].utf8.count))
        }
        return Diagnostic(severity: .error, id: error.code, message: message, range: range, help: help)
    }

    /// Prints the errors (in the order of the file) of the first rejected rows, every error of each, then how many rows more.
    static func print(_ errors: [CommunityCSV.RowError], file: CommunityFileContents, path: String, _ context: CommandContext) {
        guard !errors.isEmpty else { return }
        let renderer = DiagnosticRenderer(path: path, source: file.text)
        var rows: [Int] = []
        for error in errors {
            if rows.last != error.row { rows.append(error.row) }
            guard rows.count <= ScoringPresentation.rejectedRowsShownMaximum else { continue }
            context.errors.write(renderer.render(diagnostic(error, file: file)))
        }
        if rows.count > ScoringPresentation.rejectedRowsShownMaximum {
            context.errors.line("… and \(rows.count - ScoringPresentation.rejectedRowsShownMaximum) more rejected rows (--json lists them all)")
        }
    }
}

/// The shared shape of the three imports: all rows good, or nothing written (unless --skip-bad).
protocol CommunityImportCommand: Command {
    associatedtype Value: Sendable, Equatable
    static var kind: String { get }
    static var columns: [String] { get }
    static var requiredColumns: [String] { get }
    var path: String { get }
    var skipBad: Bool { get }
    /// `--encoding`: the file is converted from it to UTF-8 first.
    var encoding: SourceEncoding { get }
    init(path: String, skipBad: Bool, encoding: SourceEncoding)
    func parse(_ rows: [(row: Int, fields: [String])], header: [String: Int], store: TimeBankStore, today: LocalDate) throws -> CommunityCSV.Result<Value>
    func existing(_ value: Value, store: TimeBankStore) throws -> Value?
    /// The value's cells under the file's columns, to name what a row changes of a stored value.
    func cells(_ value: Value) -> [(column: String, value: String)]
    func add(_ values: [Value], store: TimeBankStore) throws
}

extension CommunityImportCommand {
    static var flagOptions: [String] { ["--skip-bad"] }
    static var valueOptions: [String] { [EncodingOption.name] }

    init(_ arguments: Arguments) throws {
        try arguments.expectPositionals(1...1, "a CSV file")
        self.init(path: arguments.positionals[0], skipBad: arguments.flag("--skip-bad"), encoding: try EncodingOption.parse(arguments))
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let store = try context.openStore()
        let file: CommunityFileContents
        do {
            file = try CommunityFile.rows(path: path, encoding: encoding, columns: Self.columns, required: Self.requiredColumns)
        } catch let error as RenderedFileError {
            return context.report(error)
        }
        context.noteSkipped(file.titles, in: path)
        let parsed = try parse(file.rows, header: file.header, store: store, today: context.today)
        var summary = ImportSummary(kind: Self.kind, read: file.table.count, skippedTitles: file.titles)
        var fresh: [Value] = []
        var conflicts: [CommunityCSV.RowError] = []
        // Ids that differ only in letter case from a stored one or an earlier row's (C020): an operator typing the one
        // would act on the other.
        var byLowercase = try CommunitySubject(rawValue: Self.kind).map { try store.storedIDsByLowercase(of: $0) } ?? [:]
        var rowOf: [String: Int] = [:]
        // The rejected rows whose id is good are compared too, in the order of the file, so that a row with a bad cell and an
        // id stored with other details (or in other letters' case) names both in one round; only their good cells are
        // compared with the stored ones, and they are counted once, as rejected.
        let good = zip(parsed.values, parsed.rows).map { (value: $0, row: $1, badColumns: Set<String>?.none) }
        let bad = parsed.rejectedValues.map { (value: $0.value, row: $0.row, badColumns: Optional($0.badColumns)) }
        for (value, row, badColumns) in (good + bad).sorted(by: { $0.row < $1.row }) {
            if let stored = try existing(value, store: store) {
                let rowCells = cells(value).filter { badColumns?.contains($0.column) != true }
                if let conflict = CommunityCSV.storedConflict(kind: Self.kind, id: describe(value), row: row,
                                                              stored: cells(stored), cells: rowCells) {
                    conflicts.append(conflict)
                } else if badColumns == nil {
                    summary.present += 1
                }
            } else if let other = byLowercase[describe(value).lowercased()], other != describe(value) {
                let whose = rowOf[other].map { "\(Self.kind) \(other) on row \($0)" } ?? "stored \(Self.kind) \(other)"
                conflicts.append(CommunityCSV.RowError(
                    row: row, column: "id", reason: "the id \"\(describe(value))\" " + CommunityError.caseVariantReason(other: whose),
                    code: CommunityError.caseVariantID(kind: Self.kind, id: describe(value), existing: other).code,
                    help: CommunityError.caseVariantHelp(existing: other)))
            } else {
                byLowercase[describe(value).lowercased()] = describe(value)
                rowOf[describe(value)] = row
                if badColumns == nil { fresh.append(value) }
            }
        }
        // Every rejected row in the order of the file, whichever check found it; within a row, the id's C020 first (the id is
        // the first cell), then the row's own cells in their order, then C015 (which names the columns that differ).
        let rejected = (conflicts.filter { $0.column == "id" } + parsed.errors + conflicts.filter { $0.column != "id" }).enumerated()
            .sorted { $0.element.row != $1.element.row ? $0.element.row < $1.element.row : $0.offset < $1.offset }.map(\.element)
        summary.rejected = rejected
        if !context.json { CommunityRowErrors.print(rejected, file: file, path: path, context) }
        if !summary.rejected.isEmpty && !skipBad {
            summary.notAdded = fresh.count
            summary.print(context, file: path, contents: file)
            context.errors.line("Nothing was imported. Fix the rows above, or pass --skip-bad to import the good rows.")
            return ExitCode.badInput
        }
        do {
            try add(fresh, store: store)
        } catch let error as CommunityError {
            // The file refused whole as it was written (C007): said with the file's name, as a file refused whole is. Rows
            // rejected before it (--skip-bad) were printed above; the summary says so again, and with --json carries them.
            guard !summary.rejected.isEmpty else { throw FileRefusedError(error, path: path) }
            summary.notAdded = fresh.count
            return summary.refuse(FileRefusedError(error, path: path), context, file: path, contents: file)
        }
        summary.added = fresh.count
        summary.print(context, file: path, contents: file)
        return summary.rejected.isEmpty ? ExitCode.done : ExitCode.badInput
    }

    func describe(_ value: Value) -> String {
        switch value {
        case let household as Household: household.id
        case let volunteer as Volunteer: volunteer.id
        case let station as Station: station.id
        case let team as Team: team.id
        default: "\(value)"
        }
    }
}

private let importHelpTail = """

    The file is CSV (RFC 4180) in UTF-8, with or without a byte order mark (or in the encoding
    --encoding names, below), with a header row; columns
    may come in any order, and empty columns without a name (which spreadsheets add at the right) are
    ignored. The header names the columns in English or by their Chinese headings (编号, 姓名, 户号,
    户名, 地址, 出生日期, 队伍, 标签, 入队日期, 社区 ...; 户号 is a volunteer's household, and a
    household's own id in the households' file). A sheet's title above the header (a row of one
    cell, such as 太白湖社区志愿者名单) and blank rows are skipped. A bad header (a column unknown,
    missing or named twice: I104–I106; tabs or semicolons between columns: I107) refuses the file.
    Dates are YYYY-MM-DD; a date written year first as a spreadsheet saves it (2026/1/5, 2026.1.5,
    2026年1月5日, full-width digits) is read as that day. One with the year last (5/1/2026: which
    day?) or a spreadsheet's date number is refused with the date to write.
    Every row is checked first: if any is bad, nothing is imported and every bad cell of each bad
    row is shown with its code, row and column, the line with a marker under the value, and what
    to write (a row with three bad cells is one rejected row, with three errors), unless
    --skip-bad is given: then the good rows are imported and the exit code is still 2 when a row
    was rejected. Rows whose id is already stored with the same
    details are counted as already present, so importing a file twice adds nothing; a row
    with other details is rejected, naming each column that differs: an import never
    changes a stored row (a household, volunteer or station is corrected with its own
    `update` command, which keeps what it was and why).
    """ + "\n" + EncodingOption.help + "\nThe four files, their order, every column and every error, with examples: docs/community.md."

struct HouseholdImportCommand: CommunityImportCommand {
    typealias Value = Household
    static let name = "household import"
    static let abstract = "Import households from a CSV file (id,name,address)"
    static let help = "Usage: timebank household import FILE.csv [--skip-bad] [--encoding NAME]\n" + importHelpTail + "\n\nExample:\n  timebank household import seeds/households.csv"
    static let kind = "household"
    static let columns = CommunityCSV.householdColumns
    static let requiredColumns = ["id", "name"]
    let path: String
    let skipBad: Bool
    let encoding: SourceEncoding

    func parse(_ rows: [(row: Int, fields: [String])], header: [String: Int], store: TimeBankStore, today: LocalDate) throws -> CommunityCSV.Result<Household> {
        CommunityCSV.households(rows, header: header)
    }
    func cells(_ value: Household) -> [(column: String, value: String)] { CommunityCSV.cells(value) }
    func existing(_ value: Household, store: TimeBankStore) throws -> Household? { try store.household(value.id) }
    func add(_ values: [Household], store: TimeBankStore) throws { try store.addCommunity(households: values, volunteers: [], stations: []) }
}

struct VolunteerImportCommand: CommunityImportCommand {
    typealias Value = Volunteer
    static let name = "volunteer import"
    static let abstract = "Import volunteers from a CSV file (id,name,household,birth_date,teams,tags,joined)"
    static let help = "Usage: timebank volunteer import FILE.csv [--skip-bad] [--encoding NAME]\n" + importHelpTail
        + "\n    teams and tags are lists separated by \";\" (or \",\", and 、，； as a Chinese spreadsheet writes\n"
        + "    them); teams are the ids of `timebank team list` (the five colours red, orange, blue, green,\n"
        + "    purple until the community imports its own with `timebank team import`). A row with the name\n"
        + "    and birth date of another id, on an earlier row or stored, is refused (C016): the same person\n"
        + "    under two ids would have two points accounts; two people who share both are added with\n"
        + "    `timebank volunteer add`. A row with the name of another in the same household, when one of\n"
        + "    the two has no birth date to tell them apart, is refused too (C017): write the birth dates.\n"
        + "    The same name in two households is never compared.\n\n"
        + "Example:\n  timebank volunteer import seeds/volunteers.csv"
    static let kind = "volunteer"
    static let columns = CommunityCSV.volunteerColumns
    static let requiredColumns = ["id", "name", "joined"]
    let path: String
    let skipBad: Bool
    let encoding: SourceEncoding

    func parse(_ rows: [(row: Int, fields: [String])], header: [String: Int], store: TimeBankStore, today: LocalDate) throws -> CommunityCSV.Result<Volunteer> {
        CommunityCSV.volunteers(rows, header: header, knownHouseholds: Set(try store.ids(of: .household)),
                                knownTeams: try store.communityTeams(), today: today, stored: try store.volunteers())
    }
    func cells(_ value: Volunteer) -> [(column: String, value: String)] { CommunityCSV.cells(value) }
    func existing(_ value: Volunteer, store: TimeBankStore) throws -> Volunteer? { try store.volunteer(value.id) }
    func add(_ values: [Volunteer], store: TimeBankStore) throws { try store.addCommunity(households: [], volunteers: values, stations: []) }
}

struct StationImportCommand: CommunityImportCommand {
    typealias Value = Station
    static let name = "station import"
    static let abstract = "Import stations from a CSV file (id,name,community,address)"
    static let help = "Usage: timebank station import FILE.csv [--skip-bad] [--encoding NAME]\n" + importHelpTail + "\n\nExample:\n  timebank station import seeds/stations.csv"
    static let kind = "station"
    static let columns = CommunityCSV.stationColumns
    static let requiredColumns = ["id", "name"]
    let path: String
    let skipBad: Bool
    let encoding: SourceEncoding

    func parse(_ rows: [(row: Int, fields: [String])], header: [String: Int], store: TimeBankStore, today: LocalDate) throws -> CommunityCSV.Result<Station> {
        CommunityCSV.stations(rows, header: header)
    }
    func cells(_ value: Station) -> [(column: String, value: String)] { CommunityCSV.cells(value) }
    func existing(_ value: Station, store: TimeBankStore) throws -> Station? { try store.station(value.id) }
    func add(_ values: [Station], store: TimeBankStore) throws { try store.addCommunity(households: [], volunteers: [], stations: values) }
}

struct TeamImportCommand: CommunityImportCommand {
    typealias Value = Team
    static let name = "team import"
    static let abstract = "Import the community's volunteer teams (志愿服务队) from a CSV file (id,name,label)"
    static let help = "Usage: timebank team import FILE.csv [--skip-bad] [--encoding NAME]\n" + importHelpTail + """

        Until a community imports teams, volunteers' teams are the five colours (red 红色教育, orange 橙色关怀,
        blue 蓝色调解, green 绿色环保, purple 紫色便民); once it has imported any, they are the teams it imported.
        Import the teams before the volunteers; volunteers.csv and --teams then name them by id. A first
        import that leaves out a five-colour team stored volunteers are in is refused (C007). `team add` and
        `team update` on a community of the five colours store them; an import after that adds to them.

    Example:
      timebank team import teams.csv      # id,name,label: qianshou,牽手,hand in hand
    """
    static let kind = "team"
    static let columns = CommunityCSV.teamColumns
    static let requiredColumns = ["id", "name"]
    let path: String
    let skipBad: Bool
    let encoding: SourceEncoding

    func parse(_ rows: [(row: Int, fields: [String])], header: [String: Int], store: TimeBankStore, today: LocalDate) throws -> CommunityCSV.Result<Team> {
        CommunityCSV.teams(rows, header: header)
    }
    func cells(_ value: Team) -> [(column: String, value: String)] { CommunityCSV.cells(value) }
    func existing(_ value: Team, store: TimeBankStore) throws -> Team? { try store.storedTeams().first { $0.id == value.id } }
    func add(_ values: [Team], store: TimeBankStore) throws { try store.addTeams(values) }
}
