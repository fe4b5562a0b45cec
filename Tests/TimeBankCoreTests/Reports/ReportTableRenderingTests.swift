import Testing
@testable import TimeBankCore

/// A report rendered three ways: aligned text (also with Chinese names), RFC 4180 CSV, stable JSON.
@Suite("Report rendering")
struct ReportTableRenderingTests {
    /// Two stations, one with a long Chinese name; amounts in hundredths; a totals row and a note.
    static let table = ReportTable(
        name: "stations", title: "兑换站汇总 Stations 2026-11-01 – 2026-11-30",
        from: LocalDate("2026-11-01"), to: LocalDate("2026-11-30"),
        columns: [ReportColumn("station", "Station", .text), ReportColumn("name", "Name", .text),
                  ReportColumn("receipts", "Receipts", .integer), ReportColumn("points", "Points", .amount)],
        rows: [[.text("S01"), .text("第一兑换站"), .integer(3), .amount(12_050)],
               [.text("S02"), .text("Li's shop"), .integer(12), .amount(5)]],
        totals: [.text("Total"), .text(""), .integer(15), .amount(12_055)],
        notes: ["Low stock: none."])

    @Test("text: columns line up by terminal width, Chinese characters counting two")
    func textAlignment() {
        let expected = """
        兑换站汇总 Stations 2026-11-01 – 2026-11-30

        Station  Name        Receipts  Points
        -------  ----------  --------  ------
        S01      第一兑换站         3  120.50
        S02      Li's shop         12    0.05
        -------  ----------  --------  ------
        Total                      15  120.55

        Low stock: none.

        """
        #expect(Self.table.rendered(as: .text) == expected)
        // Header, rules, rows and totals all end at the same terminal column (the last column aligns right).
        let lines = expected.split(separator: "\n").dropFirst(1).prefix(6).map(String.init)
        #expect(lines.count == 6)
        #expect(Set(lines.map { displayWidth(of: $0) }) == [37])
    }

    @Test("text: a cell with a line break stays on one line; an empty report says so")
    func textEdgeCases() {
        var table = ReportTable(name: "rejects", title: "Rejects 2026-11-01", columns: [
            ReportColumn("record", "Record", .text), ReportColumn("reason", "Reason", .text)])
        #expect(table.rendered(as: .text) == "Rejects 2026-11-01\n\nRecord  Reason\n------  ------\n(nothing in this range)\n")
        table.rows = [[.text("default:r1"), .text("第一行\n第二行")]]
        #expect(table.rendered(as: .text).contains("default:r1  第一行 第二行\n"))
    }

    @Test("CSV: a header of column ids, RFC 4180 quoting, amounts with two decimals, no totals row")
    func csv() {
        var table = Self.table
        table.rows.append([.text("S03"), .text("福江\"慈善\"超市, 二号"), .empty, .amount(-250)])
        table.rows.append([.text("S04"), .text("第一行\n第二行"), .integer(0), .amount(0)])
        #expect(table.rendered(as: .csv) == """
        station,name,receipts,points
        S01,第一兑换站,3,120.50
        S02,Li's shop,12,0.05
        S03,"福江""慈善""超市, 二号",,-2.50
        S04,"第一行
        第二行",0,0.00

        """)
        #expect(ReportTable.csvField("plain") == "plain")
        #expect(ReportTable.csvField("a\rb") == "\"a\rb\"")
        // Text a spreadsheet would run as a formula is written with a leading ' (numbers keep their minus sign).
        #expect(ReportTable.formulaSafe("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")")
        #expect(ReportTable.formulaSafe("@SUM(A1)") == "'@SUM(A1)" && ReportTable.formulaSafe("+86 138") == "'+86 138")
        #expect(ReportTable.formulaSafe("王秀英") == "王秀英" && ReportTable.formulaSafe("") == "")
        var named = Self.table
        named.rows = [[.text("S09"), .text("=1+1"), .integer(-1), .amount(-5)]]
        #expect(named.rendered(as: .csv).hasSuffix("\nS09,'=1+1,-1,-0.05\n"))
    }

    @Test("JSON: stable key order, amounts as numbers with two decimals, escapes, totals and notes")
    func json() {
        var table = Self.table
        table.rows[1][1] = .text("Li \"the shop\"\t\\")
        table.rows.append([.text("S03"), .empty, .integer(0), .amount(0)])
        #expect(table.rendered(as: .json) == #"""
        {
          "report": "stations",
          "title": "兑换站汇总 Stations 2026-11-01 – 2026-11-30",
          "from": "2026-11-01",
          "to": "2026-11-30",
          "columns": [{"id": "station", "header": "Station", "kind": "text"}, {"id": "name", "header": "Name", "kind": "text"}, {"id": "receipts", "header": "Receipts", "kind": "integer"}, {"id": "points", "header": "Points", "kind": "amount"}],
          "rows": [
            {"station": "S01", "name": "第一兑换站", "receipts": 3, "points": 120.50},
            {"station": "S02", "name": "Li \"the shop\"\t\\", "receipts": 12, "points": 0.05},
            {"station": "S03", "name": null, "receipts": 0, "points": 0.00}
          ],
          "totals": {"receipts": 15, "points": 120.55},
          "notes": [
            "Low stock: none."
          ]
        }

        """#)
    }

    @Test("JSON: the totals hold only their sums, never the Total label in a date or text column")
    func jsonTotalsWithoutLabels() {
        let table = ReportTable(name: "daily", title: "t", columns: [
            ReportColumn("date", "Date", .date), ReportColumn("account", "Account", .text), ReportColumn("records", "Records", .integer),
            ReportColumn("awarded", "Awarded", .amount), ReportColumn("expires_on", "Expires on", .date)],
            rows: [[.date(LocalDate("2026-11-01")!), .text("V1"), .integer(2), .amount(4_200), .empty]],
            totals: [.text("Total"), .text("3 accounts"), .integer(2), .amount(4_200), .empty])
        #expect(table.rendered(as: .json).contains("\n  \"totals\": {\"records\": 2, \"awarded\": 42.00},\n"))
        // Text keeps its Total line for people.
        #expect(table.rendered(as: .text).contains("Total       3 accounts"))
    }

    @Test("JSON: a count in the totals row (3 accounts) is a number of its own beside the sums; text says it in words")
    func jsonTotalsWithTally() {
        let columns = [ReportColumn("expires_on", "Expires on", .date), ReportColumn("account", "Account", .text),
                       ReportColumn("points", "Points", .amount)]
        let table = ReportTable(name: "expiring", title: "t", columns: columns,
                                rows: [[.date(LocalDate("2026-11-01")!), .text("volunteer:V1"), .amount(750)]],
                                totals: [.text("Total"), .tally(3, one: "account", many: "accounts"), .amount(2_150)])
        #expect(table.rendered(as: .json).contains("\n  \"totals\": {\"accounts\": 3, \"points\": 21.50},\n"))
        #expect(table.rendered(as: .text).contains("Total       3 accounts"))
        #expect(!table.rendered(as: .csv).contains("accounts"))
        let one = ReportTable(name: "expiring", title: "t", columns: columns, rows: [],
                              totals: [.text("Total"), .tally(1, one: "account", many: "accounts"), .amount(0)])
        #expect(one.rendered(as: .text).contains("1 account ") && one.rendered(as: .json).contains("{\"accounts\": 1, \"points\": 0.00}"))
    }

    @Test("JSON: a report without a range, rows or notes")
    func emptyJSON() {
        let table = ReportTable(name: "expiring", title: "t", columns: [ReportColumn("date", "Date", .date)])
        #expect(table.rendered(as: .json) == """
        {
          "report": "expiring",
          "title": "t",
          "from": null,
          "to": null,
          "columns": [{"id": "date", "header": "Date", "kind": "date"}],
          "rows": [],
          "notes": []
        }

        """)
    }

    @Test("figures: a figures object in JSON, one figure per CSV line (figure,kind,value) even without rows; text unchanged")
    func figures() {
        let figures = [ReportFigure("closing_balance", .amount(3_000)), ReportFigure("coverage_ratio", .decimal("0.810811")),
                       ReportFigure("below_one", .flag(true)), ReportFigure("point_value", .none), ReportFigure("warning", .text("=short, by 7"))]
        let table = ReportTable(name: "fund", title: "t", columns: [ReportColumn("kind", "Kind", .text), ReportColumn("entries", "Entries", .integer),
                                                                    ReportColumn("cny_in", "CNY in", .amount)],
                                rows: [[.text("contributions"), .integer(1), .amount(3_000)]], totals: [.text("Total"), .integer(1), .amount(3_000)],
                                notes: ["n"], figures: figures)
        #expect(table.rendered(as: .csv) == """
            figure,kind,value
            entries,contributions,1
            cny_in,contributions,30.00
            closing_balance,,30.00
            coverage_ratio,,0.810811
            below_one,,true
            point_value,,
            warning,,"'=short, by 7"

            """)
        var empty = table
        empty.rows = []
        #expect(empty.rendered(as: .csv).hasPrefix("figure,kind,value\nclosing_balance,,30.00\n"))
        #expect(table.rendered(as: .json).contains("""
              "totals": {"entries": 1, "cny_in": 30.00},
              "figures": {
                "closing_balance": 30.00,
                "coverage_ratio": 0.810811,
                "below_one": true,
                "point_value": null,
                "warning": "=short, by 7"
              },
              "notes": [
            """))
        var plain = table
        plain.figures = []
        #expect(table.rendered(as: .text) == plain.rendered(as: .text))
        #expect(plain.rendered(as: .csv) == "kind,entries,cny_in\ncontributions,1,30.00\n")
    }

    @Test("the NOTE for days not settled or not yet happened, and none for a settled range")
    func unsettledNote() {
        let day = { (text: String) in LocalDate(text)! }
        let today = day("2026-11-21")
        #expect(UnsettledRangeNote.note(from: day("2026-11-01"), through: day("2026-11-20"), lastSettled: day("2026-11-20"), today: today) == nil)
        #expect(UnsettledRangeNote.note(from: day("2026-11-01"), through: day("2026-11-20"), lastSettled: nil, today: today) == nil)
        #expect(UnsettledRangeNote.note(from: day("2026-11-01"), through: day("2026-11-21"), lastSettled: day("2026-11-19"), today: today)
                == "NOTE: the last settled day is 2026-11-19; 2026-11-20 to 2026-11-21 are not settled yet, so their figures are not final "
                + "(records are posted and points expire at the nightly settlement).")
        // The range starts after the last settled day: the days named are the range's own.
        #expect(UnsettledRangeNote.note(from: day("2027-01-01"), through: day("2027-01-01"), lastSettled: day("2026-11-20"), today: today)
                == "NOTE: the last settled day is 2026-11-20; 2027-01-01 has not happened yet (today is 2026-11-21), so it has no figures.")
        #expect(UnsettledRangeNote.note(from: day("2026-11-22"), through: day("2026-11-22"), lastSettled: nil, today: today)
                == "NOTE: 2026-11-22 is after today (2026-11-21): it has not happened, so it has no figures.")
        #expect(UnsettledRangeNote.note(from: day("2026-11-01"), through: day("2026-11-21"), lastSettled: day("2026-11-20"), today: today,
                                        balancesAtEnd: true)?.hasSuffix(" The balances and points outstanding at the end of 2026-11-21 are "
                                                                        + "what is recorded so far: a projection, not that day's figures.") == true)
    }

    @Test("formats by name; Q002 for an unknown one")
    func formats() throws {
        #expect(try ReportError.format("CSV") == .csv)
        #expect(throws: ReportError.unknownFormat("xlsx")) { try ReportError.format("xlsx") }
        #expect(ReportFormat.text.fileExtension == "txt")
    }

    @Test("ranges: Q001 when reversed, Q003 when a report with a row per day is longer than 3,660 days; one day is fine")
    func ranges() throws {
        let day = LocalDate("2026-11-01")!
        try ReportError.validate(from: day, through: day)
        #expect(throws: ReportError.rangeReversed(from: day, to: day.adding(days: -1))) {
            try ReportError.validate(from: day, through: day.adding(days: -1))
        }
        #expect(ReportError.rangeReversed(from: day, to: day.adding(days: -1)).code == "Q001")
        try ReportError.validate(from: day, through: day.adding(days: 3_659), rowPerDay: true)
        #expect(throws: ReportError.rangeTooLong(days: 3_661, maximum: 3_660)) {
            try ReportError.validate(from: day, through: day.adding(days: 3_660), rowPerDay: true)
        }
        // Reports without a row per day (fund, stations, categories, rejects, ranking, expiring) take any range.
        try ReportError.validate(from: LocalDate("1900-01-01")!, through: day)
        #expect(throws: ReportError.rangeReversed(from: day, to: day.adding(days: -1))) {
            try ReportError.validate(from: day, through: day.adding(days: -1), rowPerDay: true)
        }
    }
}
