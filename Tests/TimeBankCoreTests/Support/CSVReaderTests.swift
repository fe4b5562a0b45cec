import Testing
@testable import TimeBankCore

private func parse(_ text: String) -> CSVParseResult {
    CSVReader.parse(Array(text.utf8))
}

@Suite struct CSVReaderTests {
    @Test func readsSimpleRowsWithLineNumbers() throws {
        let rows = try CSVReader.rows(Array("id,name\nV0001,王小明\nV0002,李娜\n".utf8))
        #expect(rows.map(\.fields) == [["id", "name"], ["V0001", "王小明"], ["V0002", "李娜"]])
        #expect(rows.map(\.line) == [1, 2, 3])
    }

    @Test func crlfAndLoneCarriageReturnEndRecords() throws {
        let rows = try CSVReader.rows(Array("a,b\r\nc,d\re,f".utf8))
        #expect(rows.map(\.fields) == [["a", "b"], ["c", "d"], ["e", "f"]])
        #expect(rows.map(\.line) == [1, 2, 3])
    }

    /// A spreadsheet's rows: a record over several lines (LF, CR LF or a lone CR inside quotes) is one row, and an empty
    /// line the reader skips is a blank row, before the first record as well.
    @Test func sheetRowsCountBlankLinesAndNotLineBreaksInQuotes() throws {
        let text = "\nid,note\r\n1,\"a\r\nb\"\r\n\r\n2,\"c\rd\ne\"\n\n\n3,x\n"
        let rows = try CSVReader.rows(Array(text.utf8))
        #expect(rows.map(\.line) == [2, 3, 6, 11])
        #expect(CSVRow.sheetRows(rows) == [2, 3, 5, 8])
    }

    @Test func quotedFieldsHoldCommasDoubledQuotesAndLineBreaks() throws {
        let text = "id,note\n1,\"王, 小明\"\n2,\"他说\"\"好\"\"\"\n3,\"第一行\n第二行\"\n4,\"CR LF\r\nkept\"\n5,end\n"
        let rows = try CSVReader.rows(Array(text.utf8))
        #expect(rows.map(\.fields) == [
            ["id", "note"],
            ["1", "王, 小明"],
            ["2", "他说\"好\""],
            ["3", "第一行\n第二行"],
            ["4", "CR LF\r\nkept"],
            ["5", "end"],
        ])
        // Rows 3 and 4 each span two lines, so row 5 starts on line 8.
        #expect(rows.map(\.line) == [1, 2, 3, 4, 6, 8])
    }

    @Test func skipsAByteOrderMarkButCountsItsBytesInOffsets() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("id,name\n".utf8)
        let rows = try CSVReader.rows(bytes)
        #expect(rows[0].fields == ["id", "name"])
        #expect(rows[0].fieldStarts[0] == SourceLocation(line: 1, column: 1, offset: 3))
        #expect(rows[0].fieldStarts[1] == SourceLocation(line: 1, column: 4, offset: 6))
    }

    @Test func fieldStartsCountUnicodeScalarsForColumnsAndBytesForOffsets() throws {
        let rows = try CSVReader.rows(Array("张建国户,\"泰山路12号\",x\n".utf8))
        // 张建国户 is 4 scalars (12 bytes); the comma is column 5; the quote column 6, offset 13.
        #expect(rows[0].fieldStarts == [
            SourceLocation(line: 1, column: 1, offset: 0),
            SourceLocation(line: 1, column: 6, offset: 13),
            SourceLocation(line: 1, column: 15, offset: 30),
        ])
    }

    @Test func emptyFieldsAndTrailingCommaAreKept() throws {
        let rows = try CSVReader.rows(Array("a,,b\n,\nc,\n\"\",d\n".utf8))
        #expect(rows.map(\.fields) == [["a", "", "b"], ["", ""], ["c", ""], ["", "d"]])
        #expect(rows[1].isBlank)
        #expect(!rows[0].isBlank)
    }

    @Test func emptyLinesAreSkippedAndTheLastLineNeedsNoBreak() throws {
        let rows = try CSVReader.rows(Array("\n\na\r\n\r\nb".utf8))
        #expect(rows.map(\.fields) == [["a"], ["b"]])
        #expect(rows.map(\.line) == [3, 5])
        #expect(try CSVReader.rows([]) == [])
        #expect(try CSVReader.rows([0xEF, 0xBB, 0xBF]) == [])
    }

    @Test func nothingIsTrimmed() throws {
        let rows = try CSVReader.rows(Array(" a ,\" b \"\n".utf8))
        #expect(rows[0].fields == [" a ", " b "])
    }

    @Test func unterminatedQuoteNamesWhereTheFieldOpened() {
        let result = parse("id,name\nV0001,\"王小明\nV0002,李娜\n")
        #expect(result.errors.count == 1)
        let error = result.errors[0]
        #expect(error.code == .unterminatedQuote)
        #expect(error.id == "I101")
        #expect(error.location == SourceLocation(line: 2, column: 7, offset: 14))
        #expect(error.fieldNumber == 2)
        #expect(error.description == "2:7: error[I101]: quoted field 2 opened here is never closed")
        // The partial record is still returned, holding everything after the quote.
        #expect(result.rows.count == 2)
        #expect(result.rows[1].fields == ["V0001", "王小明\nV0002,李娜\n"])
    }

    @Test func quoteInsideUnquotedFieldIsReportedAndReadingGoesOn() {
        let result = parse("a,b\nab\"c,d\ne,f\n")
        #expect(result.errors.map(\.code) == [.quoteInUnquotedField])
        #expect(result.errors[0].location == SourceLocation(line: 2, column: 3, offset: 6))
        #expect(result.errors[0].fieldNumber == 1)
        #expect(result.rows.map(\.fields) == [["a", "b"], ["ab\"c", "d"], ["e", "f"]])
    }

    @Test func spaceBeforeAnOpeningQuoteIsAStrayQuote() {
        let result = parse("a, \"b\"\n")
        #expect(result.errors.map(\.code) == [.quoteInUnquotedField])
        #expect(result.errors[0].location.column == 4)
        #expect(result.errors[0].fieldNumber == 2)
        #expect(result.errors[0].help?.contains("no space") == true)
    }

    @Test func textAfterClosingQuoteIsReported() {
        let result = parse("\"ab\"c,d\n1,2\n")
        #expect(result.errors.map(\.code) == [.textAfterClosingQuote])
        #expect(result.errors[0].location == SourceLocation(line: 1, column: 5, offset: 4))
        #expect(result.rows.map(\.fields) == [["abc", "d"], ["1", "2"]])
    }

    @Test func collectsEveryQuotingError() {
        let result = parse("a\",b\nc,d\"\n\"e\"x\n")
        #expect(result.errors.map(\.location.line) == [1, 2, 3])
        #expect(result.errors.map(\.code) == [.quoteInUnquotedField, .quoteInUnquotedField, .textAfterClosingQuote])
    }

    @Test func rowsThrowsTheFirstError() {
        #expect(throws: CSVError.self) { try CSVReader.rows(Array("\"open".utf8)) }
        do {
            _ = try CSVReader.rows(Array("x\ny\"\n\"z".utf8))
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .quoteInUnquotedField)
            #expect(error.location.line == 2)
        }
    }

    @Test func errorBecomesADiagnostic() {
        let error = parse("\"open").errors[0]
        let diagnostic = error.diagnostic
        #expect(diagnostic.id == "I101")
        #expect(diagnostic.severity == .error)
        #expect(diagnostic.range.start == SourceLocation(line: 1, column: 1, offset: 0))
        #expect(diagnostic.range.end == SourceLocation(line: 1, column: 2, offset: 1))
        #expect(diagnostic.help.count == 1)
    }
}

@Suite struct CSVColumnsTests {
    private func header(_ text: String) throws -> CSVRow {
        try #require(try CSVReader.rows(Array(text.utf8)).first)
    }

    @Test func mapsColumnsInAnyOrder() throws {
        let rows = try CSVReader.rows(Array("name,household,id\n王小明,H0001,V0001\n".utf8))
        let columns = CSVColumns(header: rows[0], required: ["id", "name"], optional: ["household", "tags"])
        #expect(columns.errors.isEmpty)
        #expect(columns.index(of: "id") == 2)
        #expect(columns.index(of: "name") == 0)
        #expect(columns.index(of: "tags") == nil)
        #expect(columns.value("id", in: rows[1]) == "V0001")
        #expect(columns.value("household", in: rows[1]) == "H0001")
        #expect(columns.value("tags", in: rows[1]) == nil)
        #expect(columns.location(of: "household", in: rows[1]) == SourceLocation(line: 2, column: 5, offset: 28))
    }

    @Test func namesMatchIgnoringCaseAndSurroundingSpaces() throws {
        let columns = CSVColumns(header: try header("ID , Name\n"), required: ["id", "name"])
        #expect(columns.errors.isEmpty)
        #expect(columns.index(of: "name") == 1)
    }

    @Test func reportsMissingAndUnknownColumnsWithASuggestion() throws {
        let columns = CSVColumns(
            header: try header("id,name,birth date,colour\n"), required: ["id", "name", "birth_date"],
            optional: ["teams"])
        #expect(columns.missingRequired == ["birth_date"])
        #expect(columns.unknownNames == ["birth date", "colour"])
        #expect(columns.errors.map(\.code) == [.missingColumn, .unknownColumn, .unknownColumn])
        #expect(columns.errors[0].message == "the header has no \"birth_date\" column")
        let birthDate = columns.errors[1]
        #expect(birthDate.message == "unknown column \"birth date\"")
        #expect(birthDate.help == "did you mean \"birth_date\"?")
        #expect(birthDate.fieldNumber == 3)
        #expect(birthDate.range.start == SourceLocation(line: 1, column: 9, offset: 8))
        #expect(birthDate.range.end == SourceLocation(line: 1, column: 19, offset: 18))
        #expect(columns.errors[2].help == "known columns: id,name,birth_date,teams")
    }

    @Test func reportsRepeatedAndUnnamedColumns() throws {
        let columns = CSVColumns(header: try header("id,name,id,\n"), required: ["id", "name"])
        #expect(columns.errors.map(\.code) == [.duplicateColumn, .unknownColumn])
        #expect(columns.errors[0].message == "column \"id\" appears twice (columns 1 and 3)")
        #expect(columns.errors[1].message == "column 4 has no name")
        #expect(columns.index(of: "id") == 0)
    }

    @Test func shortRowsGiveNilNotACrash() throws {
        let rows = try CSVReader.rows(Array("id,name,tags\nV0001\n".utf8))
        let columns = CSVColumns(header: rows[0], required: ["id", "name", "tags"])
        #expect(columns.value("id", in: rows[1]) == "V0001")
        #expect(columns.value("tags", in: rows[1]) == nil)
        #expect(columns.location(of: "tags", in: rows[1]) == nil)
    }
}
