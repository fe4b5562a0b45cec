import Foundation
import Testing
@testable import TimeBankCore

/// Reading record files: formats, encodings, headers, and every row problem with its row and column.
@Suite("Record files")
struct RecordFileTests {
    static let policy: Policy = {
        let text = """
            [policy]
            id = "test"
            version = 1
            effective = 2026-10-01

            [categories.orange]
            label = "橙色关怀"
            points_per_hour = 12

            [categories.green]
            points_per_hour = 10

            [indicators.garbage_sorting]
            label = "垃圾分类达标"
            points = 3
            per = "month"

            [indicators.model_household]
            points = 20
            per = "year"
            """
        return PolicyLoader.load(text: text, path: "test.toml").policy!
    }()

    static let community = CommunityDirectory(
        volunteers: [
            Volunteer(id: "V1", name: "王秀英", household: "H1", birthDate: nil, teams: [], tags: [], joined: LocalDate("2024-01-01")!),
            Volunteer(id: "V2", name: "李娜", household: nil, birthDate: nil, teams: [], tags: [], joined: LocalDate("2024-01-01")!),
        ],
        households: [Household(id: "H1", name: "王家", address: ""), Household(id: "H2", name: "李家", address: "")],
        stations: ["S1"])

    static func context(stored: (any StoredRecordLookup)? = nil) -> RecordValidator.Context {
        RecordValidator.Context(policies: PolicyTimeline([.init(label: "test", policy: policy)]), community: community,
                                today: LocalDate("2026-12-31")!, stored: stored)
    }

    static func read(_ text: String, name: String = "records.csv", stored: (any StoredRecordLookup)? = nil) throws -> RecordFileContents {
        try RecordFile.read(Array(text.utf8), fileName: name, context: context(stored: stored))
    }

    /// The (code, row, column) of every problem, in row order.
    static func problems(_ contents: RecordFileContents) -> [String] {
        contents.rejected.flatMap { row in row.errors.map { "\($0.id) row \($0.row) \($0.column)" } }
    }

    @Test("a CSV file with a byte order mark, columns in any order, Chinese names and a quoted note over two lines")
    func csvBasics() throws {
        let text = "\u{FEFF}日期,编号,志愿者,类别,开始,结束,核实人,备注\n"
            + "2026-10-03,r1,V1,orange,09:00,10:30,社区,\"探访独居老人,\n第二行\"\n"
            + "2026-10-03,r2,V2,橙色关怀,14:00,15:00,社区,\n"
        let contents = try Self.read(text)
        #expect(contents.rowsRead == 2 && contents.rejected.isEmpty)
        guard case .service(let first) = contents.records[0], case .service(let second) = contents.records[1] else {
            Issue.record("expected two services")
            return
        }
        #expect(first.minutes == 90 && first.note == "探访独居老人,\n第二行" && first.verifier == "社区")
        // A category may be given by its label.
        #expect(second.category == "orange" && second.minutes == 60)
        // The row after a two-line note is row 3 of the sheet, on line 4 of the file.
        #expect(contents.accepted.map(\.row) == [2, 3])
    }

    /// A blank row (an empty line, or a row of empty cells) is a row of the sheet: the rows below keep the numbers a
    /// spreadsheet shows, as in the community imports. They were counted one short per blank row above them before.
    @Test("blank rows count as rows of the sheet: the row numbers below them are those a spreadsheet shows")
    func blankRowsKeepSpreadsheetRows() throws {
        let text = "id,volunteer,category,date,start,end,verifier,note\r\n"   // row 1
            + "r1,V1,orange,2026-10-03,09:00,10:00,社区,\r\n"                 // row 2
            + "\r\n"                                                          // row 3: an empty line
            + "r2,V1,orange,10/4/2026,09:00,10:00,社区,\r\n"                  // row 4
            + ",,,,,,,\r\n"                                                   // row 5: empty cells
            + "r3,V1,orange,2026-10-05,09:00,10:00,社区,\"two\r\nlines\"\r\n"   // row 6, on lines 6 and 7
            + "\n\n"                                                          // rows 7 and 8
            + "r4,V9,orange,2026-10-06,09:00,10:00,社区,\n"                    // row 9, on line 10
        let contents = try Self.read(text)
        #expect(Self.problems(contents) == ["E006 row 4 date", "E003 row 9 volunteer"])
        #expect(contents.accepted.map(\.row) == [2, 6])
        #expect(contents.rejected.map(\.errors[0].range.start.line) == [4, 10])
        // Handed over a byte at a time (a CR LF, an empty line split between two pieces), the rows are the same.
        var stream = RecordFileStream(fileName: "records.csv", format: .csv, context: Self.context())
        var rows: [Int] = []
        func collect(_ row: RecordFileStream.Row, _ text: RecordFileStream.RowText) {
            switch row {
            case .checked(let input, _): rows.append(input.row)
            case .unreadable(let rejected): rows.append(rejected.row)
            }
        }
        for byte in Array(text.utf8) { try stream.feed([byte], each: collect) }
        try stream.finish(each: collect)
        #expect(rows == [2, 4, 6, 9])
        // Above the header as well: a blank row and a title are rows of the sheet.
        let titled = try Self.read("\n十月服务记录,,,,,,\nid,volunteer,category,date,start,end,verifier\nr1,V1,orange,2026-10-03,09:00,10:00,社区\n")
        #expect(titled.accepted.map(\.row) == [4])
    }

    @Test("JSON Lines with numbers, lists and nulls, and a line that is not JSON")
    func jsonLines() throws {
        let text = """
            {"id": "r1", "volunteer": "V1", "category": "orange", "date": "2026-10-03", "minutes": 90, "tags": ["探访", "独居"], "rating": 5, "station": null, "verifier": "社区"}

            {"id": "a1", "household": "H1", "indicator": "garbage_sorting", "period": "2026-10", "result": "met"}
            {"id": "r2", "volunteer": "V1", "category": "orange", "date": "2026-10-04", "minutes": 30,}
            {"id": "r3", "volunteer": "V1", "categry": "orange"}

            """
        let contents = try Self.read(text, name: "records.jsonl")
        #expect(contents.format == .jsonLines)
        #expect(contents.rowsRead == 4 && contents.accepted.count == 2)
        #expect(Self.problems(contents) == ["E023 row 4 ", "E022 row 5 categry"])
        #expect(contents.rejected[1].errors[0].help == "did you mean \"category\"?")
        guard case .service(let record) = contents.records[0] else { Issue.record("not a service"); return }
        #expect(record.tags == ["探访", "独居"] && record.rating == 5 && record.station == nil)
        guard case .assessment(let assessment) = contents.records[1] else { Issue.record("not an assessment"); return }
        #expect(assessment.date == LocalDate("2026-10-31") && assessment.period.label == "2026-10")
    }

    @Test("a JSON list item holding a list's separator is split as a cell of a sheet is: the tags stored are the ones an export and re-import keep")
    func jsonListItemsWithSeparators() throws {
        let text = """
            {"id": "r1", "volunteer": "V1", "category": "orange", "date": "2026-10-03", "minutes": 90, "tags": ["探访；独居", "独居、 夜间 "]}
            """
        let contents = try Self.read(text, name: "records.jsonl")
        guard case .service(let record) = try #require(contents.records.first) else { Issue.record("not a service"); return }
        #expect(record.tags == ["探访", "独居", "夜间"])
    }

    @Test("a JSON number of minutes whose value is whole counts, however it is written; text and fractions say to write a whole number")
    func jsonWholeNumbers() throws {
        func line(_ id: String, _ day: Int, _ minutes: String) -> String {
            "{\"id\": \"\(id)\", \"volunteer\": \"V1\", \"category\": \"orange\", \"date\": \"2026-10-\(day)\", \"minutes\": \(minutes), \"rating\": 5.0}"
        }
        let text = [line("r1", 10, "60.0"), line("r2", 11, "1e2"), line("r3", 12, "6.00E+1"), line("r4", 13, "1.20e2"), line("r5", 14, "0.0"),
                    line("r6", 15, "60.5"), line("r7", 16, "\"60.0\""), line("r8", 17, "1e999"), line("r9", 18, "2000.0")].joined(separator: "\n")
        let contents = try Self.read(text, name: "records.jsonl")
        let minutes = contents.records.compactMap { record -> Int? in
            guard case .service(let service) = record else { return nil }
            #expect(service.rating == 5)
            return service.minutes
        }
        #expect(minutes == [60, 100, 60, 120, 0])
        #expect(Self.problems(contents) == ["E009 row 6 minutes", "E009 row 7 minutes", "E009 row 8 minutes", "E009 row 9 minutes"])
        let errors = contents.rejected.map { $0.errors[0] }
        #expect(errors.map(\.message) == ["\"60.5\" is not a whole number of minutes", "\"60.0\" is not a whole number of minutes",
                                          "\"1e999\" is not a number of minutes from 0 to 1440", "\"2000\" is not a number of minutes from 0 to 1440"])
        #expect(errors[0].help == "write a whole number of minutes from 0 to 1440")
        #expect(errors[1].help == "write the minutes as a whole number: 60")
    }

    @Test("the whole number a JSON number stands for, from its decimal text", arguments: [
        ("60", "60"), ("60.0", "60"), ("1e2", "100"), ("1E+2", "100"), ("6.00e1", "60"), ("1.20e2", "120"), ("-0", "0"), ("0.000", "0"),
        ("-15.0", "-15"), ("1500e-1", "150"), ("0e99999", "0"), ("123456789012345678", "123456789012345678"),
    ])
    func wholeNumberText(_ number: String, _ whole: String) {
        #expect(JSONLineParser.wholeNumberText(number) == whole)
    }

    @Test("a JSON number that is not whole, or too large, has no whole number", arguments: [
        "60.5", "1e-1", "1.25e1", "1234567890123456789", "1e18", "1e99999", "1e-99999",
    ])
    func notWholeNumberText(_ number: String) {
        #expect(JSONLineParser.wholeNumberText(number) == nil)
    }

    @Test("a GB18030 file is refused whole, naming the encoding and the iconv command")
    func gb18030() throws {
        // "编号,日期" and a row, as Chinese spreadsheet software saves them (GBK bytes).
        let bytes: [UInt8] = [0xB1, 0xE0, 0xBA, 0xC5, 0x2C, 0xC8, 0xD5, 0xC6, 0xDA, 0x0A] + Array("r1,2026-10-03\n".utf8)
        #expect(throws: RecordFileError.self) { try RecordFile.read(bytes, fileName: "october.csv", context: Self.context()) }
        do {
            _ = try RecordFile.read(bytes, fileName: "october.csv", context: Self.context())
        } catch {
            #expect(error.code == "I100")
            #expect(error.message.contains("GB18030"))
            #expect(error.message.contains("iconv -f GB18030 -t UTF-8 october.csv"))
        }
    }

    @Test("a bad header refuses the file: unknown column with a suggestion, missing id")
    func badHeader() {
        do {
            _ = try Self.read("编号,volunter,category,date,minutes\nr1,V1,orange,2026-10-03,60\n")
            Issue.record("expected a refusal")
        } catch let error as RecordFileError {
            #expect(error.code == "I105")
            #expect(error.diagnostics.first?.help == ["did you mean \"volunteer\"?"])
        } catch {
            Issue.record("unexpected \(error)")
        }
        // A Chinese heading one character off: 开始时 is as near to 开始 as to 开始时间, both start, so it means start.
        do {
            _ = try Self.read("编号,志愿者,服务类别,日期,开始时,结束\nr1,V1,orange,2026-10-03,09:00,10:00\n")
            Issue.record("expected a refusal")
        } catch let error as RecordFileError {
            #expect(error.diagnostics.map(\.message) == ["unknown column \"开始时\""])
            #expect(error.diagnostics.first?.help == ["did you mean \"开始\" (start)?"])
        } catch {
            Issue.record("unexpected \(error)")
        }
        // A header in Chinese is answered in Chinese: the heading nearest to the one typed, and the headings a missing column may have.
        do {
            _ = try Self.read("志愿者,服务类别,服务日期,服务时常,核实人\nV1,orange,2026-10-03,60,社区\n")
            Issue.record("expected a refusal")
        } catch let error as RecordFileError {
            #expect(error.diagnostics.map(\.message) == ["the header has no \"id\" column (in Chinese: 序号, 编号, 记录编号)",
                                                         "unknown column \"服务时常\""])
            #expect(error.diagnostics.map(\.help) == [["the header row must name these columns: id (or 序号, 编号, 记录编号)"],
                                                      ["did you mean \"服务时长\" (minutes)?"]])
        } catch {
            Issue.record("unexpected \(error)")
        }
        #expect(throws: RecordFileError.self) { try Self.read("volunteer,category,date\nV1,orange,2026-10-03\n") }
        #expect(throws: RecordFileError.self) { try Self.read("") }
    }

    @Test("every row problem is named with its row, column and code; good rows go on")
    func rowProblems() throws {
        let text = """
            id,volunteer,household,category,indicator,date,start,end,minutes,verifier,rating,response_level,station,period,result
            ok1,V1,,orange,,2026-10-03,09:00,10:00,,社区,,,,,
            ,V1,,orange,,2026-10-03,11:00,12:00,,社区,,,,,
            bad id,V1,,orange,,2026-10-03,11:00,12:00,,社区,,,,,
            r3,V9,,orange,,2026-10-03,11:00,12:00,,社区,,,,,
            r4,V1,,orang,,2026-10-03,13:00,14:00,,社区,,,,,
            r5,V1,,orange,,2026-02-30,09:00,10:00,,社区,,,,,
            r6,V1,,orange,,2026-10-04,9.30,10:00,,社区,,,,,
            r7,V1,,orange,,2026-10-04,10:00,09:00,,社区,,,,,
            r8,V1,,orange,,2026-10-04,09:00,10:00,75,社区,,,,,
            r9,V1,,orange,,2026-10-03,09:30,10:30,,社区,,,,,
            r10,V1,,orange,,2026-10-05,09:00,10:00,,社区,7,,,,
            r11,V1,,orange,,2026-10-05,11:00,12:00,,社区,,IV,,,
            r12,,H1,,garbage_sorting,,,,,村委会,,,,2026-Q4,
            r13,,H1,,garbage_sorting,,,,,村委会,,,,2026-10,maybe
            r14,V1,,orange,,2026-10-06,09:00,10:00,,社区,,,S9,,
            r15,V1,,orange,garbage_sorting,2026-10-06,11:00,12:00,,社区,,,,,
            r16,V1,,orange,,2027-01-05,09:00,10:00,,社区,,,,,
            r17,V1,,orange,,2026-10-06,,,2000,社区,,,,,
            r18,,H1,,model_household,,,,30,村委会,,,,2026,
            r19,V1,H2,,garbage_sorting,,,,,村委会,,,,2026-11,
            r20,,H1,,garbage_sorting,,,,,村委会,,,,2026-12,
            r21,,H1,,garbage_sorting,,,,,村委会,,,,2026-12,
            ok1,V1,,orange,,2026-10-03,09:00,10:00,,社区,,,,,
            ok1,V1,,orange,,2026-10-03,09:00,10:30,,社区,,,,,
            r22,V2,,orange,,2026-09-20,09:00,10:00,,社区,,,,,

            """
        let contents = try Self.read(text)
        #expect(Self.problems(contents) == [
            "E001 row 3 id", "E002 row 4 id", "E003 row 5 volunteer", "E004 row 6 category", "E006 row 7 date",
            "E007 row 8 start", "E008 row 9 end", "E009 row 10 minutes", "E010 row 11 start", "E011 row 12 rating",
            "E012 row 13 response_level", "E013 row 14 period", "E014 row 15 result", "E017 row 16 station",
            "E020 row 17 indicator", "E019 row 18 date", "E009 row 19 minutes", "E022 row 20 minutes",
            "E025 row 21 household", "E026 row 23 period", "E015 row 25 id", "E021 row 26 date",
        ])
        // The duplicate row 24 repeats row 2 exactly: a duplicate, not a rejection.
        #expect(contents.duplicates.map(\.row) == [24] && contents.duplicates[0].firstRow == 2)
        #expect(contents.accepted.map(\.record.id) == ["ok1", "r20"])
        #expect(contents.rowsRead == contents.accepted.count + contents.duplicates.count + contents.rejected.count)
        let overlap = try #require(contents.rejected.first { $0.row == 11 }).errors[0]
        #expect(overlap.message.contains("overlaps record default:ok1 (09:00–10:00)"))
        let unknown = try #require(contents.rejected.first { $0.row == 6 }).errors[0]
        #expect(unknown.help == "did you mean \"orange\"?")
        let impossible = try #require(contents.rejected.first { $0.row == 7 }).errors[0]
        #expect(impossible.message == "\"2026-02-30\" is not a day: February 2026 has 28 days")
        // A record dated before the first version: the help names the effective date a version needs and the --force it
        // takes (activating one that starts earlier is A002 without it), not "activate a policy" alone.
        let beforeFirst = try #require(contents.rejected.first { $0.row == 26 }).errors[0]
        #expect(beforeFirst.help == "check the date; for service before 2026-10-01, activate a version with effective = 2026-09-20 or "
                + "earlier (timebank policy activate FILE --force --reason TEXT: it takes effect before the first version, A002)", "\(beforeFirst)")
        #expect(impossible.range.start.line == 7 && impossible.range.start.column == 16)
    }

    /// Version 1 with `purple` (紫色便民), and version 2 from 2026-11-01 where `version2Categories` replace it.
    static func renamedContext(_ version2Categories: String) -> RecordValidator.Context {
        func policy(_ version: Int, _ effective: String, _ categories: String) -> Policy {
            let text = "[policy]\nid = \"test\"\nversion = \(version)\neffective = \(effective)\n\n"
                + "[categories.orange]\nlabel = \"橙色关怀\"\npoints_per_hour = 12\n\n" + categories
            return PolicyLoader.load(text: text, path: "v\(version).toml").policy!
        }
        return RecordValidator.Context(
            policies: PolicyTimeline([
                .init(label: "#1", policy: policy(1, "2026-10-01", "[categories.purple]\nlabel = \"紫色便民\"\npoints_per_hour = 10\n")),
                .init(label: "#2", policy: policy(2, "2026-11-01", version2Categories)),
            ]),
            community: community, today: LocalDate("2026-12-31")!)
    }

    @Test("a category renamed in the version in force is named by its label, where a label makes it clear")
    func renamedCategory() throws {
        let text = "id,volunteer,category,date,minutes\n"
            + "r1,V1,purple,2026-11-07,60\n"    // renamed violet by version 2
            + "r2,V1,purple,2026-10-07,60\n"    // version 1 is in force: fine
            + "r3,V1,紫色便民,2026-11-08,60\n"  // the label: fine
        let renamed = try RecordFile.read(Array(text.utf8), fileName: "records.csv",
                                          context: Self.renamedContext("[categories.violet]\nlabel = \"紫色便民\"\npoints_per_hour = 10\n"))
        #expect(Self.problems(renamed) == ["E004 row 2 category"])
        let error = try #require(renamed.rejected.first?.errors.first)
        #expect(error.message == "unknown category \"purple\"")
        #expect(error.help == "did you mean \"violet\"? The policy in force on 2026-11-07 (#2) has no \"purple\"; "
            + "its label 紫色便民 (of \"purple\" in #1) now belongs to \"violet\"")
        // No guessing: a new label, or two categories with the old one, name no id.
        for categories in ["[categories.violet]\nlabel = \"紫色服务\"\npoints_per_hour = 10\n",
                           "[categories.violet]\nlabel = \"紫色便民\"\npoints_per_hour = 10\n\n[categories.lilac]\nlabel = \"紫色便民\"\npoints_per_hour = 8\n"] {
            let contents = try RecordFile.read(Array("id,volunteer,category,date,minutes\nr1,V1,purple,2026-11-07,60\n".utf8),
                                               fileName: "records.csv", context: Self.renamedContext(categories))
            let help = try #require(contents.rejected.first?.errors.first?.help)
            #expect(help.hasPrefix("\"purple\" (紫色便民) is a category of #1 (version 1, in force until 2026-10-31); the policy in "
                + "force on 2026-11-07 (#2) does not have it: check the record's date; that policy has orange (橙色关怀), violet ("), "\(help)")
        }
    }

    @Test("a category or indicator of another version only: which version has it, and until or from when")
    func categoryOfAnotherVersion() throws {
        let context = Self.renamedContext("[categories.patrol]\nlabel = \"平安巡逻\"\npoints_per_hour = 8\n\n"
            + "[indicators.tidy]\nlabel = \"环境整洁\"\npoints = 3\nper = \"month\"\n")
        let text = "id,volunteer,household,category,indicator,date,minutes,period\n"
            + "r1,V1,,平安巡逻,,2026-10-30,60,\n"     // a category from version 2 on, dated before it
            + "r2,V1,,purple,,2026-11-02,60,\n"      // version 1's category, dated after it
            + "r3,,H1,,tidy,,,2026-10\n"             // an indicator from version 2 on, for a month before it
            + "r4,V1,,patrol,,2026-11-02,60,\n"      // fine
        let contents = try RecordFile.read(Array(text.utf8), fileName: "records.csv", context: context)
        #expect(Self.problems(contents) == ["E004 row 2 category", "E004 row 3 category", "E005 row 4 indicator"])
        #expect(contents.rejected.map { $0.errors[0].help ?? "" } == [
            "\"patrol\" (平安巡逻) is a category of #2 (version 2, in force from 2026-11-01); the policy in force on 2026-10-30 (#1) "
                + "does not have it: check the record's date; that policy has orange (橙色关怀), purple (紫色便民)",
            "\"purple\" (紫色便民) is a category of #1 (version 1, in force until 2026-10-31); the policy in force on 2026-11-02 (#2) "
                + "does not have it: check the record's date; that policy has orange (橙色关怀), patrol (平安巡逻)",
            "\"tidy\" (环境整洁) is an indicator of #2 (version 2, in force from 2026-11-01); the policy in force on 2026-10-31 (#1) "
                + "does not have it: check the record's date",
        ])
    }

    @Test("a row with several problems lists them all, once")
    func severalProblems() throws {
        let contents = try Self.read("id,volunteer,category,date,start,end,rating\nr1,V1,orange,2026-10-03,25:00,10:00,9\n")
        #expect(contents.rejected.count == 1)
        #expect(contents.rejected[0].errors.map(\.id) == ["E007", "E011"])
    }

    @Test("quoting problems reject their row only; a row with too many fields is named")
    func quotingProblems() throws {
        let text = "id,volunteer,category,date,minutes\nr1,V1,orange,2026-10-03,60\nr2,V1,\"orange\"x,2026-10-04,60\nr3,V1,orange,2026-10-05,60,extra\nr4,V1,orange,2026-10-06,60\n"
        let contents = try Self.read(text)
        #expect(contents.accepted.map(\.record.id) == ["r1", "r4"])
        #expect(Self.problems(contents) == ["E023 row 3 category", "E023 row 4 "])
    }

    @Test("columns with no heading at the end of the header are read past while their cells are empty; a value in one is named")
    func unnamedTrailingColumns() throws {
        // A sheet with columns formatted past the last one saves ",," after every line.
        let text = "\u{FEFF}id,volunteer,category,date,minutes,,\r\nr1,V1,orange,2026-10-03,60,,\r\nr2,V1,orange,2026-10-04,60,,备注\r\n"
            + "r3,V1,orange,2026-10-05,60,,,,x\r\nr4,V1,orange,2026-10-06,60\r\nr5,V1,orange,2026-10-07,60,,,  ,\r\n"
        let contents = try Self.read(text)
        #expect(contents.accepted.map(\.record.id) == ["r1", "r4", "r5"])
        #expect(Self.problems(contents) == ["E023 row 3 ", "E023 row 4 "])
        #expect(contents.rejected[0].errors[0].message == "\"备注\" is in column 7, which has no heading")
        #expect(contents.rejected[1].errors[0].message == "the row has 9 fields but the header has 7")
        // Without unnamed columns, empty cells past the header are read past too; a value is E023 as before.
        let plain = try Self.read("id,volunteer,category,date,minutes\nr1,V1,orange,2026-10-03,60,,\nr2,V1,orange,2026-10-04,60,,x\n")
        #expect(plain.accepted.map(\.record.id) == ["r1"])
        #expect(plain.rejected.first?.errors.first?.message == "the row has 7 fields but the header has 5")
    }

    @Test("a row that ends early is read with empty cells when that is enough, and otherwise named as short (E023) first")
    func rowsEndingEarly() throws {
        let text = "id,volunteer,category,date,minutes,verifier,note\nr1,V1,orange,2026-10-03,60\nr2,V1\n"
        let contents = try Self.read(text)
        // r1 leaves out its verifier and note, which may be empty: it is taken.
        #expect(contents.accepted.map(\.record.id) == ["r1"])
        #expect(contents.rejected.count == 1)
        let errors = contents.rejected[0].errors
        #expect(errors.first?.id == "E023")
        #expect(errors.first?.message == "the row has 2 fields but the header has 7: it has no cell for category, date, minutes, verifier, note")
        #expect(errors.dropFirst().map(\.id).contains("E020"))
        // A short row rejected for a cell it has (an unknown category): that alone is said.
        let other = try Self.read("id,volunteer,category,date,minutes,verifier,note\nr3,V1,nosuch,2026-10-03,60\n")
        #expect(other.rejected.first?.errors.map(\.id).contains("E023") == false)
    }

    @Test("overlaps and repeated assessments count stored records, but not the same record stored before")
    func storedRecords() throws {
        struct Stored: StoredRecordLookup {
            func services(on date: LocalDate) -> [String: [RecordValidator.StoredService]] {
                guard date == LocalDate("2026-10-03") else { return [:] }
                return ["V1": [RecordValidator.StoredService(reference: "default:old", start: TimeOfDay(parsing: "09:00"),
                                                             end: TimeOfDay(parsing: "10:00"), minutes: 60),
                               RecordValidator.StoredService(reference: "default:same", start: TimeOfDay(parsing: "14:00"),
                                                             end: TimeOfDay(parsing: "15:00"), minutes: 60)]]
            }
            func assessments(in period: ScoringWindow) -> [RecordValidator.AssessmentSlot: String] {
                [RecordValidator.AssessmentSlot(target: "household:H1", indicator: "garbage_sorting", period: period): "default:a0"]
            }
            func isStored(source: String, id: String) -> Bool { source == "default" && ["old", "same", "a0"].contains(id) }
        }
        let text = """
            id,volunteer,household,category,indicator,date,start,end,period,verifier
            new,V1,,orange,,2026-10-03,09:30,10:30,,社区
            same,V1,,orange,,2026-10-03,14:00,15:00,,社区
            a1,,H1,,garbage_sorting,,,,2026-10,社区

            """
        let contents = try Self.read(text, stored: Stored())
        #expect(Self.problems(contents) == ["E010 row 2 start", "E026 row 4 period"])
        #expect(contents.accepted.map(\.record.id) == ["same"])
    }

    /// Under `earn_to = "household"` the scorer counts an indicator once per household account and period: a second
    /// assessment of the household (or of another member) scored 0 without a word. It is E026 now, against an earlier row
    /// of the file (named with its row) and against a stored assessment (named by its id). V3 has no household and keeps
    /// an account of their own; under `earn_to = "volunteer"` two members and their household are three accounts.
    /// Households H1 (王家) and H2 (李家), and volunteers of the given households (nil: none), each named 张 and their id.
    static func householdsH1H2(_ members: [String: String?]) -> CommunityDirectory {
        CommunityDirectory(
            volunteers: members.sorted { $0.key < $1.key }.map { id, household in
                Volunteer(id: id, name: "张" + id, household: household, birthDate: nil, teams: [], tags: [], joined: LocalDate("2024-01-01")!)
            },
            households: [Household(id: "H1", name: "王家", address: ""), Household(id: "H2", name: "李家", address: "")], stations: [])
    }

    /// A policy of one indicator, garbage_sorting (3 points a month), whose points go to `earnTo`'s account.
    static func garbageSortingPolicy(_ earnTo: String) -> Policy {
        PolicyLoader.load(text: """
            [policy]
            id = "test"
            version = 1
            effective = 2026-01-01

            [accounts]
            earn_to = "\(earnTo)"

            [indicators.garbage_sorting]
            points = 3
            per = "month"
            """, path: "test.toml").policy!
    }

    @Test("E026: under earn_to = household, a household is assessed once per period whoever the row names")
    func householdAssessedOncePerPeriod() throws {
        let community = Self.householdsH1H2(["V1": "H1", "V2": "H1", "V3": nil, "V4": "H2"])
        struct Stored: StoredRecordLookup {
            func services(on date: LocalDate) -> [String: [RecordValidator.StoredService]] { [:] }
            func assessments(in period: ScoringWindow) -> [RecordValidator.AssessmentSlot: String] { [:] }
            func storedAssessments(in period: ScoringWindow) -> [RecordValidator.StoredAssessment] {
                [RecordValidator.StoredAssessment(reference: "default:s1", target: "volunteer:V4", indicator: "garbage_sorting",
                                                  date: period.lastDay)]
            }
            func isStored(source: String, id: String) -> Bool { id == "s1" }
        }
        let text = """
            id,volunteer,household,indicator,period,verifier
            a1,V1,,garbage_sorting,2026-10,村委会
            a2,,H1,garbage_sorting,2026-10,村委会
            a3,V2,,garbage_sorting,2026-10,村委会
            a4,V3,,garbage_sorting,2026-10,村委会
            a5,V3,,garbage_sorting,2026-11,村委会
            a6,,H2,garbage_sorting,2026-10,村委会

            """
        func read(_ earnTo: String) throws -> RecordFileContents {
            try RecordFile.read(Array(text.utf8), fileName: "a.csv", context: RecordValidator.Context(
                policies: PolicyTimeline([.init(label: "#1", policy: Self.garbageSortingPolicy(earnTo))]), community: community,
                today: LocalDate("2026-12-31")!, stored: Stored()))
        }
        let household = try read("household")
        #expect(Self.problems(household) == ["E026 row 3 period", "E026 row 4 period", "E026 row 7 period"])
        #expect(household.accepted.map(\.record.id) == ["a1", "a4", "a5"])
        let errors = household.rejected.flatMap(\.errors)
        #expect(errors[0].message == "indicator garbage_sorting is assessed for household H1 in 2026-10 already, by record default:a1 "
                + "(row 2) of its member V1; this row names the household, and its points go to the household's account too")
        #expect(errors[1].message.contains("by record default:a1 (row 2) of its member V1; this row names its member V2"))
        #expect(errors[2].message.contains("household H2 in 2026-10 already, by record default:s1 of its member V4"))
        #expect(errors[0].help?.contains("which is assessed once per period whoever the row names") == true)
        // Each its own account: nothing to refuse.
        #expect(Self.problems(try read("volunteer")).isEmpty)
    }

    /// A stored assessment counts for the account its points were posted to, not for the household its volunteer is in
    /// now. V5's October garbage_sorting (s1) was posted to household H1's account; V5 has since moved to H2. So H1 has
    /// had its October: a row for V2, a member of H1, is E026 against s1; and H2 has not: a row for V4, of H2, is accepted.
    /// (Read by the household V5 is in now, as an assessment not yet posted is, it would be the other way round.)
    @Test("E026: a stored assessment posted to a household's account counts for that household, after its volunteer moved")
    func householdAssessedOnceByPostedAccount() throws {
        let community = Self.householdsH1H2(["V2": "H1", "V4": "H2", "V5": "H2"])
        let policy = Self.garbageSortingPolicy("household")
        struct Stored: StoredRecordLookup {
            func services(on date: LocalDate) -> [String: [RecordValidator.StoredService]] { [:] }
            func assessments(in period: ScoringWindow) -> [RecordValidator.AssessmentSlot: String] { [:] }
            func storedAssessments(in period: ScoringWindow) -> [RecordValidator.StoredAssessment] {
                [RecordValidator.StoredAssessment(reference: "default:s1", target: "volunteer:V5", indicator: "garbage_sorting",
                                                  household: "H1", date: period.lastDay, postedAccount: "household:H1")]
            }
            func isStored(source: String, id: String) -> Bool { id == "s1" }
        }
        let contents = try RecordFile.read(Array("""
            id,volunteer,indicator,period,verifier
            a1,V2,garbage_sorting,2026-10,村委会
            a2,V4,garbage_sorting,2026-10,村委会

            """.utf8), fileName: "a.csv", context: RecordValidator.Context(
                policies: PolicyTimeline([.init(label: "#1", policy: policy)]), community: community,
                today: LocalDate("2026-12-31")!, stored: Stored()))
        #expect(Self.problems(contents) == ["E026 row 2 period"])
        #expect(contents.accepted.map(\.record.id) == ["a2"])
        #expect(contents.rejected.flatMap(\.errors).first?.message == "indicator garbage_sorting is assessed for household H1 in 2026-10 "
                + "already, by record default:s1 of V5, its member then, whose points went to its account; this row names its member V2, "
                + "and its points go to the household's account too")
    }

    @Test("periods: labels for every length, and ISO weeks")
    func periods() {
        #expect(ScoringWindow(label: "2026")?.period == .year)
        #expect(ScoringWindow(label: "2026-Q4")?.start == LocalDate("2026-10-01"))
        #expect(ScoringWindow(label: "2026-10")?.lastDay == LocalDate("2026-10-31"))
        #expect(ScoringWindow(label: "2026-W41")?.start == LocalDate("2026-10-05"))
        #expect(ScoringWindow(.week, containing: LocalDate("2027-01-01")!).label == "2026-W53")
        #expect(ScoringWindow(label: "2026-13") == nil && ScoringWindow(label: "2026-Q5") == nil && ScoringWindow(label: "26-10") == nil)
        for label in ["2026", "2026-Q1", "2026-02", "2026-W01", "2026-02-28"] {
            #expect(ScoringWindow(label: label)?.label == label)
        }
    }

    @Test("the content digest tells the same record from the same id with other content")
    func contentDigest() {
        let record = Record.service(ServiceRecord(id: "r1", volunteer: "V1", category: "orange", date: LocalDate("2026-10-03")!, minutes: 60, tags: ["a;b"]))
        var other = record
        if case .service(var service) = other { service.tags = ["a", "b"]; other = .service(service) }
        #expect(RecordEncoding.contentDigest(of: record) == RecordEncoding.contentDigest(of: record))
        #expect(RecordEncoding.contentDigest(of: record) != RecordEncoding.contentDigest(of: other))
    }

    @Test("the canonical text, byte for byte: stored digests of every database depend on it")
    func canonicalText() {
        let service = Record.service(ServiceRecord(
            id: "r1", volunteer: "V0001", category: "orange", date: LocalDate("2026-10-05")!, start: TimeOfDay(parsing: "9:00"),
            minutes: 90, verifier: "社区", responseLevel: ResponseLevel(rawValue: "II"), rating: 5, tags: ["探访", "助餐"]))
        #expect(RecordEncoding.canonicalText(of: service) == """
            record-v1
            kind:7:service
            source:7:default
            id:2:r1
            volunteer:5:V0001
            category:6:orange
            date:10:2026-10-05
            start:5:09:00
            end:-
            minutes:2:90
            verifier:6:社区
            response_level:2:II
            rating:1:5
            tags:1:2
            tag:6:探访
            tag:6:助餐
            station:-
            note:0:

            """)
        let assessment = Record.assessment(Assessment(id: "a1", household: "H1", indicator: "clean", period: ScoringWindow(label: "2026-10")!,
                                                      note: "ok"))
        #expect(RecordEncoding.canonicalText(of: assessment) == """
            record-v1
            kind:10:assessment
            source:7:default
            id:2:a1
            volunteer:-
            household:2:H1
            indicator:5:clean
            period:7:2026-10
            result:3:met
            date:10:2026-10-31
            verifier:-
            note:2:ok

            """)
        // Numbers as String(Int) writes them, negative ones too (a row the checks would refuse still has a text).
        var negative = ServiceRecord(id: "r2", volunteer: "V1", category: "red", date: LocalDate("2026-01-01")!, minutes: -15)
        negative.rating = 1234567
        #expect(RecordEncoding.canonicalText(of: .service(negative)).contains("minutes:3:-15\n"))
        #expect(RecordEncoding.canonicalText(of: .service(negative)).contains("rating:7:1234567\n"))
    }
}

/// The examples of docs/records.md must read without a rejected row.
@Suite("docs/records.md examples")
struct RecordDocExamplesTests {
    static func block(_ language: String) throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOfFile: root.appendingPathComponent("docs/records.md").path, encoding: .utf8)
        let start = try #require(text.range(of: "```" + language + "\n"))
        let end = try #require(text.range(of: "\n```", range: start.upperBound..<text.endIndex))
        return String(text[start.upperBound..<end.lowerBound]) + "\n"
    }

    @Test("the CSV and JSON Lines examples read cleanly", arguments: [("csv", "example.csv", 3), ("json", "example.jsonl", 2)])
    func examples(language: String, name: String, count: Int) throws {
        // The CSV example is checked against config/policy.toml; the JSON one mixes a service and a village
        // assessment, which no one policy declares, so only its form is checked.
        let policy = try ScoringFixtures.configPolicy("config/policy.toml")
        let context = language == "csv" ? RecordValidator.Context(policies: PolicyTimeline([.init(label: "p", policy: policy)]))
                                        : RecordValidator.Context()
        let contents = try RecordFile.read(Array(try Self.block(language).utf8), fileName: name, context: context)
        #expect(contents.rejected.isEmpty, "\(contents.rejected)")
        #expect(contents.rowsRead == count)
    }
}

@Suite("Record values")
struct RecordValueTests {
    @Test("times of day: H:MM, HH:MM and HH:MM:00 on a 24-hour clock, 24:00 only on the hour; nothing else")
    func timeOfDayGrammar() {
        let accepted: [(String, Int)] = [("9:30", 570), ("09:30", 570), ("00:00", 0), ("23:59", 1439), ("24:00", 1440),
                                         ("23:59:00", 1439), ("7:05:00", 425)]
        for (text, minutes) in accepted { #expect(TimeOfDay(parsing: text)?.minutesSinceMidnight == minutes, "\(text)") }
        for text in ["", "9", "930", "9:3", "9:300", "123:00", "24:01", "25:00", "09:60", "09:30:01", "09:30:0", "09:30:00:00",
                     ":30", "09:", " 9:30", "9:30 ", "09：30", "０9:30", "-1:00", "9.30"] {
            #expect(TimeOfDay(parsing: text) == nil, "\(text)")
        }
        #expect(TimeOfDay(parsing: "x09:30x".dropFirst().dropLast())?.minutesSinceMidnight == 570)
    }

    @Test("each record field has its own slot among the values, numbered as the fields are listed")
    func fieldSlots() {
        #expect(RecordField.allCases.map(\.slot) == Array(0..<RecordField.count))
    }

    @Test("ASCII spaces and tabs are trimmed from both ends, nothing else; a value with none is returned as it is")
    func trimming() {
        #expect(" \t9:30\t ".trimmingASCIISpaces() == "9:30")
        #expect("9:30".trimmingASCIISpaces() == "9:30")
        #expect("  ".trimmingASCIISpaces() == "")
        #expect("\u{3000}社区\u{3000}".trimmingASCIISpaces() == "\u{3000}社区\u{3000}")
        #expect(" \u{301}a".trimmingASCIISpaces() == " \u{301}a")
    }
}
