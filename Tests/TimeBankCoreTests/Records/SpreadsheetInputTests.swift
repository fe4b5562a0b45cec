import Testing
@testable import TimeBankCore

/// What team leaders' spreadsheets really hold: names instead of ids, full-width digits, times and dates written the
/// Chinese way, traditional characters, tab-separated exports. Each is read, or refused with the value to write.
@Suite("Record files from spreadsheets")
struct SpreadsheetInputTests {
    static let community = CommunityDirectory(
        volunteers: [
            Volunteer(id: "V1", name: "王秀英", household: "H1", birthDate: nil, teams: [], tags: [], joined: LocalDate("2024-01-01")!),
            Volunteer(id: "V2", name: "李娜", household: nil, birthDate: nil, teams: [], tags: [], joined: LocalDate("2024-01-01")!),
            Volunteer(id: "V3", name: "李娜", household: "H2", birthDate: nil, teams: [], tags: [], joined: LocalDate("2024-01-01")!),
        ],
        households: [Household(id: "H1", name: "王家", address: ""), Household(id: "H2", name: "李家", address: "")],
        stations: ["S1"])

    static func read(_ text: String, name: String = "records.csv") throws -> RecordFileContents {
        let context = RecordValidator.Context(policies: PolicyTimeline([.init(label: "test", policy: RecordFileTests.policy)]),
                                              community: community, today: LocalDate("2026-12-31")!)
        return try RecordFile.read(Array(text.utf8), fileName: name, context: context)
    }

    /// The help of each rejected row's first problem, in row order.
    static func helps(_ text: String) throws -> [String] {
        try read(text).rejected.map { $0.errors[0].help ?? "" }
    }

    @Test("a volunteer's name, a shared name and a full-width id get the id to write, never \"add the volunteer first\"")
    func namesInsteadOfIDs() throws {
        let helps = try Self.helps("""
            id,volunteer,category,date,minutes,verifier
            r1,王秀英,orange,2026-10-03,60,社区
            r2,李 娜,orange,2026-10-03,60,社区
            r3,Ｖ１,orange,2026-10-03,60,社区
            r4,张三丰,orange,2026-10-03,60,社区
            """)
        #expect(helps == [
            "\"王秀英\" is a volunteer's name; the column takes the id: write V1 (王秀英, household H1)",
            "2 volunteers are named \"李 娜\": V2 (no household), V3 (household H2); the column takes the id: write the id of the one who served",
            "did you mean \"V1\"? It was typed in full-width characters",
            "the column takes a volunteer's id, and no volunteer has this id or this name: `timebank volunteer list` shows them; "
                + "a new volunteer is added first (timebank volunteer add)",
        ])
        let household = try Self.helps("id,household,indicator,period,verifier\na1,王家,garbage_sorting,2026-10,村委会\n")
        #expect(household == ["\"王家\" is the name of household H1; the column takes the id: write H1"])
        // A household's name with a space in it is no id either: it gets the same help, not "not a valid household id".
        let spaced = try Self.helps("id,household,indicator,period,verifier\na1,王 家,garbage_sorting,2026-10,村委会\n")
        #expect(spaced == ["\"王 家\" is the name of household H1; the column takes the id: write H1"])
        // The volunteer column is read once: a list there is one problem, not the same one twice.
        let list = try Self.read("{\"id\": \"j1\", \"volunteer\": [\"V1\"], \"category\": \"orange\", \"date\": \"2026-10-03\", \"minutes\": 60}\n",
                                 name: "records.jsonl")
        #expect(list.rejected.count == 1 && list.rejected[0].errors.filter { $0.column == "volunteer" }.count == 1)
    }

    @Test("full-width digits in minutes, ratings, dates and times are read as the digits they stand for")
    func fullWidthDigits() throws {
        let contents = try Self.read("""
            id,volunteer,category,date,start,end,minutes,rating,verifier
            r1,V1,orange,２０２６－１０－０３,,,６０,５,社区
            r2,V2,orange,2026-10-03,０９：００,１０：３０,,,社区
            """)
        #expect(contents.rejected.isEmpty, "\(contents.rejected)")
        guard case .service(let first) = contents.records[0], case .service(let second) = contents.records[1] else {
            Issue.record("expected two services")
            return
        }
        #expect(first.minutes == 60 && first.rating == 5 && first.date == LocalDate("2026-10-03"))
        #expect(second.minutes == 90 && second.start?.description == "09:00")
    }

    @Test("minutes written with a unit, beyond a day or negative: the help says what to write")
    func minutesHelp() throws {
        let helps = try Self.helps("""
            id,volunteer,category,date,minutes,verifier
            r1,V1,orange,2026-10-03,1.5小时,社区
            r2,V1,orange,2026-10-04,90分钟,社区
            r3,V1,orange,2026-10-05,2 h,社区
            r4,V1,orange,2026-10-06,99999,社区
            r5,V1,orange,2026-10-07,-30,社区
            r6,V1,orange,2026-10-08,一小时,社区
            """)
        #expect(helps == [
            "write the minutes as a number alone: 90 (1.5小时 is 90 minutes)",
            "write the minutes as a number alone: 90",
            "write the minutes as a number alone: 120 (2 h is 120 minutes)",
            "one record holds at most 1440 minutes (24 hours): check the number, or write a longer service as one record for each day",
            "minutes cannot be negative: write 0 for a no-show, or the minutes served",
            "write the minutes as a whole number from 0 to 1440, such as 90 for an hour and a half",
        ])
    }

    @Test("minutes written as hours and minutes (1:30, 1：30, 2:05, 1小时30分, 1小时30分钟, 1h30m) get the minutes to write", arguments: [
        ("1:30", 90), ("1：30", 90), ("2:05", 125), ("0:45", 45), ("1小时30分", 90), ("1小时30分钟", 90), ("1个小时15分钟", 75),
        ("1h30m", 90), ("1h 30min", 90), ("24:00", 1440),
    ])
    func minutesAsHoursAndMinutes(typed: String, minutes: Int) throws {
        let helps = try Self.helps("id,volunteer,category,date,minutes,verifier\nr1,V1,orange,2026-10-03,\(typed),社区\n")
        #expect(helps == ["write the minutes as a number alone: \(minutes) (\(typed) is \(minutes) minutes)"])
    }

    @Test("a duration that is no hours-and-minutes (1:75, 25:00) keeps the general help")
    func minutesAsHoursAndMinutesOutOfRange() throws {
        let helps = try Self.helps("id,volunteer,category,date,minutes,verifier\nr1,V1,orange,2026-10-03,1:75,社区\nr2,V1,orange,2026-10-04,25:00,社区\n")
        #expect(helps == ["write the minutes as a whole number from 0 to 1440, such as 90 for an hour and a half",
                          "write the minutes as a whole number from 0 to 1440, such as 90 for an hour and a half"])
    }

    @Test("times written 下午3点, 9点半, 9:00 AM get the same time on a 24-hour clock as help", arguments: [
        ("下午3点", "15:00"), ("9点半", "09:30"), ("9:00 AM", "09:00"), ("晚上7点15分", "19:15"), ("12 pm", "12:00"),
        ("上午12点", "00:00"), ("９点", "09:00"),
    ])
    func timeHelp(typed: String, written: String) throws {
        let helps = try Self.helps("id,volunteer,category,date,start,minutes,verifier\nr1,V1,orange,2026-10-03,\(typed),30,社区\n")
        #expect(helps == ["write it as HH:MM on a 24-hour clock: \(written)"])
    }

    @Test("a time that is none of those keeps the general help", arguments: ["下午", "25点", "下午13点", "9点70"])
    func timeWithoutHelp(typed: String) throws {
        let helps = try Self.helps("id,volunteer,category,date,start,minutes,verifier\nr1,V1,orange,2026-10-03,\(typed),30,社区\n")
        #expect(helps == ["write HH:MM on a 24-hour clock, e.g. 09:30 or 14:00"])
    }

    @Test("a day a spreadsheet writes year first (2026/10/3, 2026年10月3日, with a midnight time) is read as that day")
    func yearFirstDates() throws {
        let contents = try Self.read("""
            id,volunteer,category,date,minutes,verifier
            r1,V1,orange,2026/10/3,60,社区
            r2,V1,orange,2026.10.04,60,社区
            r3,V1,orange,2026年10月5日,60,社区
            r4,V1,orange,2026-10-6,60,社区
            r5,V1,orange,２０２６/１０/７,60,社区
            r6,V1,orange,2026/10/8 0:00,60,社区
            r7,V1,orange,2026-10-09 00:00:00,60,社区
            """)
        #expect(contents.rejected.isEmpty, "\(contents.rejected)")
        let dates = contents.records.compactMap { record -> String? in
            guard case .service(let service) = record else { return nil }
            return service.date.description
        }
        #expect(dates == ["2026-10-03", "2026-10-04", "2026-10-05", "2026-10-06", "2026-10-07", "2026-10-08", "2026-10-09"])
        // The stored record is the one a file written 2026-10-03 makes: its canonical text, and so its hash, is the same.
        let written = try Self.read("id,volunteer,category,date,minutes,verifier\nr1,V1,orange,2026-10-03,60,社区\n")
        #expect(contents.records[0] == written.records[0])
    }

    @Test("a date that could be two days, a time the file would lose, or a date cell's serial number gets the date to write")
    func dateHelp() throws {
        let helps = try Self.helps("""
            id,volunteer,category,date,minutes,verifier
            r1,V1,orange,46331,60,社区
            r2,V1,orange,2026/11/5 9:00,60,社区
            r3,V1,orange,5/11/2026,60,社区
            r4,V1,orange,26/11/5,60,社区
            r5,V1,orange,2026/11-5,60,社区
            r6,V1,orange,2026/2/30,60,社区
            r7,V1,orange,23/10/2026,60,社区
            r8,V1,orange,20261105,60,社区
            r9,V1,orange,2026年10月,60,社区
            r10,V1,orange,2026/2,60,社区
            """)
        #expect(helps == [
            "46331 looks like a spreadsheet's date number (2026-11-05): format the column as text or as a date written YYYY-MM-DD "
                + "before saving, or write 2026-11-05",
            "write the day alone, as YYYY-MM-DD: 2026-11-05 (the column takes no time of day)",
            "write the date as YYYY-MM-DD, year first: 2026-11-05 for the 5th of November, or 2026-05-11 for the 11th of May",
            "write the date as YYYY-MM-DD, e.g. 2026-10-03",
            "write the date as YYYY-MM-DD, e.g. 2026-10-03",
            "write the date as YYYY-MM-DD: February 2026 has 28 days",
            "write the date as YYYY-MM-DD, year first: 2026-10-23",
            "write 2026-11-05 (the date as YYYY-MM-DD)",
            "a month is not a day: write the day it was, from 2026-10-01 to 2026-10-31 (YYYY-MM-DD)",
            "a month is not a day: write the day it was, from 2026-02-01 to 2026-02-28 (YYYY-MM-DD)",
        ])
    }

    @Test("a period written 2026年10月, 2026/10, 2026年第四季度 or 2026Q4 is read as the period", arguments: [
        ("2026年10月", "2026-10"), ("2026/10", "2026-10"), ("2026.10", "2026-10"), ("2026-1", "2026-01"), ("2026.2", "2026-02"),
        ("2026年第四季度", "2026-Q4"), ("2026年4季度", "2026-Q4"), ("2026Q4", "2026-Q4"), ("2026 q4", "2026-Q4"), ("2026年", "2026"),
        ("２０２６年１０月", "2026-10"),
    ])
    func yearFirstPeriods(typed: String, period: String) throws {
        #expect(ScoringWindow.yearFirst(typed)?.label == period)
    }

    @Test("an assessment's month written 2026年10月 is stored as 2026-10")
    func yearFirstPeriodInAFile() throws {
        let contents = try Self.read("id,household,indicator,period,verifier\na1,H1,garbage_sorting,2026年10月,村委会\n")
        #expect(contents.rejected.isEmpty, "\(contents.rejected)")
        guard case .assessment(let assessment) = contents.records.first else {
            Issue.record("expected an assessment")
            return
        }
        #expect(assessment.period.label == "2026-10")
    }

    @Test("a period with no year, or 2026.1 (October saved as a number?), gets what to write", arguments: [
        ("10月", "write a month 2026-10, a quarter 2026-Q4 or a year 2026"),
        ("2026.1", "write the period as 2026-01 for January, or 2026-10 for October (a spreadsheet shows 2026.10 as the number "
            + "2026.1: format the column as text)"),
        ("2026年13月", "write a month 2026-10, a quarter 2026-Q4 or a year 2026"),
        ("2026年第五季度", "write a month 2026-10, a quarter 2026-Q4 or a year 2026"),
    ])
    func periodHelp(typed: String, help: String) throws {
        let helps = try Self.helps("id,household,indicator,period,verifier\na1,H1,garbage_sorting,\(typed),村委会\n")
        #expect(helps == [help])
    }

    @Test("a label in traditional characters names the category or indicator whose label it is")
    func traditionalLabels() throws {
        let contents = try Self.read("""
            id,volunteer,household,category,indicator,date,period,minutes,verifier
            r1,V1,,橙色關懷,,2026-10-03,,60,社区
            a1,,H1,,垃圾分類達標,,2026-10,,村委会
            """)
        #expect(contents.rejected.map { $0.errors[0].id } == ["E004", "E005"])
        #expect(contents.rejected.map { $0.errors[0].help ?? "" } == [
            "did you mean \"orange\"? \"橙色關懷\" is 橙色关怀, the label of \"orange\", written in traditional characters: write orange or 橙色关怀",
            "did you mean \"garbage_sorting\"? \"垃圾分類達標\" is 垃圾分类达标, the label of \"garbage_sorting\", written in traditional "
                + "characters: write garbage_sorting or 垃圾分类达标",
        ])
    }

    @Test("part of one category's label typed from memory names that category; otherwise the ids are listed with their labels")
    func labelParts() throws {
        let contents = try Self.read("""
            id,volunteer,category,date,minutes,verifier
            r1,V1,关怀,2026-10-03,60,社区
            r2,V1,橙色关怀活动,2026-10-04,60,社区
            r3,V1,色,2026-10-05,60,社区
            r4,V1,教育,2026-10-06,60,社区
            """)
        let helps = contents.rejected.map { $0.errors[0].help ?? "" }
        #expect(helps.count == 4)
        #expect(helps[0] == "did you mean \"orange\"? \"关怀\" is part of 橙色关怀, the label of \"orange\": write orange or 橙色关怀")
        #expect(helps[1] == "did you mean \"orange\"? \"橙色关怀活动\" holds 橙色关怀, the label of \"orange\": write orange or 橙色关怀")
        // One character says too little; 教育 is no label's part here.
        #expect(helps[2].hasPrefix("the policy in force on 2026-10-05 has: ") && helps[2].contains("orange (橙色关怀)"), "\(helps[2])")
        #expect(helps[3] == "the policy in force on 2026-10-06 has: orange (橙色关怀), green")
    }

    @Test("a label typed with one character wrong (a homophone from a pinyin input method: 橙色关坏, 垃圾分类达镖) names its category or indicator")
    func labelWithOneCharacterWrong() throws {
        let contents = try Self.read("""
            id,volunteer,household,category,indicator,date,period,minutes,verifier
            r1,V1,,橙色关坏,,2026-10-03,,60,社区
            a1,,H1,,垃圾分类达镖,,2026-10,,村委会
            r2,V1,,黄色关怀,,2026-10-04,,60,社区
            r3,V1,,橙色,,2026-10-05,,60,社区
            """)
        #expect(contents.rejected.map { $0.errors[0].id } == ["E004", "E005", "E004", "E004"])
        let helps = contents.rejected.map { $0.errors[0].help ?? "" }
        #expect(helps[0] == "did you mean \"orange\"? \"橙色关坏\" is one character off 橙色关怀, the label of \"orange\": write orange or 橙色关怀")
        #expect(helps[1] == "did you mean \"garbage_sorting\"? \"垃圾分类达镖\" is one character off 垃圾分类达标, the label of "
            + "\"garbage_sorting\": write garbage_sorting or 垃圾分类达标")
        #expect(helps[2].hasPrefix("did you mean \"orange\"? \"黄色关怀\" is one character off 橙色关怀"), "\(helps[2])")
        // Part of a label keeps its own help.
        #expect(helps[3].hasPrefix("did you mean \"orange\"? \"橙色\" is part of 橙色关怀"), "\(helps[3])")
    }

    @Test("an indicator written by part of its label (垃圾分类 for 垃圾分类达标) names it, as a category's does; otherwise the ids are listed with their labels")
    func indicatorLabelParts() throws {
        let contents = try Self.read("""
            id,household,indicator,period,verifier
            a1,H1,垃圾分类,2026-10,村委会
            a2,H1,文明家庭,2026,村委会
            """)
        let helps = contents.rejected.map { $0.errors[0].help ?? "" }
        #expect(helps == [
            "did you mean \"garbage_sorting\"? \"垃圾分类\" is part of 垃圾分类达标, the label of \"garbage_sorting\": write garbage_sorting or 垃圾分类达标",
            "the policy in force declares: garbage_sorting (垃圾分类达标), model_household",
        ])
    }

    @Test("a label one character off two labels names neither: the ids are listed")
    func labelOffTwoLabels() throws {
        let policy = PolicyLoader.load(text: """
            [policy]
            id = "test"
            version = 1
            effective = 2026-10-01

            [categories.orange]
            label = "橙色关怀"
            points_per_hour = 12

            [categories.blue]
            label = "蓝色关怀"
            points_per_hour = 12
            """, path: "two.toml").policy!
        let context = RecordValidator.Context(policies: PolicyTimeline([.init(label: "test", policy: policy)]),
                                              community: Self.community, today: LocalDate("2026-12-31")!)
        let contents = try RecordFile.read(Array("id,volunteer,category,date,minutes,verifier\nr1,V1,紫色关怀,2026-10-03,60,社区\n".utf8),
                                           fileName: "records.csv", context: context)
        #expect(contents.rejected.first?.errors.first?.help == "the policy in force on 2026-10-03 has: orange (橙色关怀), blue (蓝色关怀)")
    }

    @Test("a tab-separated export is refused with one problem that says so, not three about its header")
    func tabSeparated() throws {
        #expect {
            try Self.read("编号\t志愿者\t服务类别\t服务日期\t时长\t核实人\nr1\tV1\torange\t2026-10-03\t60\t社区\n")
        } throws: { error in
            guard let error = error as? RecordFileError else { return false }
            return error.diagnostics.map(\.id) == ["I107"]
                && error.diagnostics[0].message == "the header's columns are separated by tabs, not commas: this is not a CSV file"
        }
    }

    @Test("an unknown column says to delete it; JSON Lines keys may be the Chinese column names")
    func unknownColumnAndChineseKeys() throws {
        #expect {
            try Self.read("id,volunteer,category,date,minutes,负责人\nr1,V1,orange,2026-10-03,60,李\n")
        } throws: { error in
            (error as? RecordFileError)?.diagnostics.first?.help.last?.hasPrefix("delete the column") == true
        }
        let contents = try Self.read(#"{"编号": "r1", "志愿者": "V1", "类别": "orange", "日期": "2026-10-03", "时长": 60, "核实人": "社区"}"#,
                                     name: "records.jsonl")
        #expect(contents.rejected.isEmpty && contents.records.count == 1, "\(contents.rejected)")
        // A Chinese key a character off: 开始时 is as near to 开始 as to 开始时间, both start.
        let near = try Self.read(#"{"编号": "r2", "志愿者": "V1", "类别": "orange", "日期": "2026-10-03", "开始时": "09:00", "结束": "10:00"}"#,
                                 name: "records.jsonl")
        let errors = near.rejected.flatMap(\.errors)
        #expect(errors.map(\.message) == ["unknown field \"开始时\""], "\(errors)")
        #expect(errors.first?.help == "did you mean \"开始\" (start)?", "\(errors)")
    }

    @Test("JSON Lines keys ignore ASCII case as CSV headers do (\"ID\", \"Minutes\"); two keys for one field are E022")
    func jsonKeysIgnoreCase() throws {
        let upper = try Self.read(#"{"ID": "r1", "Volunteer": "V1", "CATEGORY": "orange", "Date": "2026-10-03", "Minutes": 60, "verifier": "社区"}"#,
                                  name: "records.jsonl")
        #expect(upper.rejected.isEmpty && upper.records.count == 1, "\(upper.rejected)")
        #expect(upper.records.first?.id == "r1")
        let twice = try Self.read(#"{"id": "r1", "ID": "r2", "volunteer": "V1", "category": "orange", "date": "2026-10-03", "minutes": 60}"#,
                                  name: "records.jsonl")
        let errors = twice.rejected.flatMap(\.errors)
        #expect(errors.map(\.id) == ["E022"] && errors.first?.message == "\"id\" and \"ID\" both give the id", "\(errors)")
        let typo = try Self.read(#"{"id": "r1", "volunteer": "V1", "category": "orange", "date": "2026-10-03", "Minuts": 60}"#,
                                 name: "records.jsonl")
        #expect(typo.rejected.flatMap(\.errors).first?.help == "did you mean \"minutes\"?", "\(typo.rejected)")
    }

    @Test("\"category\": [\"green\"] is one E022 that says what to write, not also E020 (neither a category nor an indicator)")
    func categoryAsList() throws {
        let contents = try Self.read(#"{"id": "r1", "volunteer": "V1", "category": ["orange"], "date": "2026-10-03", "minutes": 60}"#,
                                     name: "records.jsonl")
        let errors = contents.rejected.flatMap(\.errors)
        #expect(errors.map(\.id) == ["E022"], "\(errors)")
        #expect(errors.first?.column == "category" && errors.first?.message == "expected one value, not a list")
        #expect(errors.first?.help == #"write one category as text: "category": "orange""#, "\(errors)")
        // With neither a category nor an indicator at all, E020 is still the error.
        let neither = try Self.read(#"{"id": "r2", "volunteer": "V1", "date": "2026-10-03", "minutes": 60}"#, name: "records.jsonl")
        #expect(neither.rejected.flatMap(\.errors).map(\.id) == ["E020"])
    }

    @Test("a sheet's total row at the bottom (合计, 总计, 小计, Total) is named as one and told to be deleted, not to fill in a category")
    func totalRow() throws {
        let contents = try Self.read("""
            序号,志愿者,服务类别,服务日期,时长,核实人
            r1,V1,orange,2026-10-03,60,社区
            r2,V2,orange,2026-10-03,90,社区
            合计,,,,150,
            ,合　计,,,150,
            ,,,总计：,150,
            Total,,,,150,
            """)
        #expect(contents.records.count == 2)
        #expect(contents.rejected.map(\.row) == [4, 5, 6, 7])
        // One problem each, in the column the word is in; no "missing record id" for the row whose first cell is empty.
        #expect(contents.rejected.map { $0.errors.map(\.id) } == [["E020"], ["E020"], ["E020"], ["E020"]], "\(contents.rejected)")
        #expect(contents.rejected.map { $0.errors[0].column } == ["id", "volunteer", "date", "id"])
        let first = contents.rejected[0].errors[0]
        #expect(first.message == "the row is the sheet's total (合计), not a record")
        #expect(first.help == "a total row adds up the rows above it and records no service of its own: delete the row "
            + "(the import counts the rows and minutes itself), then import the file again; the other rows need nothing")
        #expect(contents.rejected[1].errors[0].message == "the row is the sheet's total (合　计), not a record")
        // A row with neither a category nor an indicator and no such word keeps the E020 that says what to fill in.
        let neither = try Self.read("id,volunteer,category,date,minutes,verifier\nr9,V1,,2026-10-03,60,社区\n")
        #expect(neither.rejected.flatMap(\.errors).first?.help == "fill in the category column for service, or the indicator column for an assessment")
        // A record whose note says 合计 is a record: its category decides.
        let noted = try Self.read("id,volunteer,category,date,minutes,verifier,note\nr8,V1,orange,2026-10-03,60,社区,合计\n")
        #expect(noted.records.count == 1 && noted.rejected.isEmpty)
    }

    @Test("an id as a JSON number: 100 is the id \"100\"; 1e2 and 1.5 are E002, told to quote the id as text")
    func idAsNumber() throws {
        func read(_ id: String) throws -> RecordFileContents {
            try Self.read(#"{"id": "# + id + #", "volunteer": "V1", "category": "orange", "date": "2026-10-03", "minutes": 1e2}"#,
                          name: "records.jsonl")
        }
        let digits = try read("100")
        #expect(digits.rejected.isEmpty && digits.records.first?.id == "100", "\(digits.rejected)")
        let exponent = try read("1e2").rejected.flatMap(\.errors)
        #expect(exponent.map(\.id) == ["E002"] && exponent.first?.column == "id", "\(exponent)")
        #expect(exponent.first?.message == "the id 1e2 is a JSON number not written in digits alone: an id is text")
        #expect(exponent.first?.help == #"quote it as text: "id": "1e2" (or "id": "100", if that is the id)"#, "\(exponent)")
        let fraction = try read("1.5").rejected.flatMap(\.errors)
        #expect(fraction.map(\.id) == ["E002"] && fraction.first?.help == #"quote it as text: "id": "1.5""#, "\(fraction)")
    }

    @Test("E015 names the fields in which the two rows of one id differ")
    func conflictInFileNamesTheFields() throws {
        let contents = try Self.read("""
            id,volunteer,category,date,start,end,verifier
            r1,V1,orange,2026-10-03,18:00,19:00,王组长
            r1,V1,orange,2026-10-03,18:00,19:30,李组长
            """)
        #expect(contents.rejected.map { $0.errors[0].message } == [
            "id \"r1\" appears at row 2 with other content (end 19:00 at row 2, 19:30 here; minutes 60 at row 2, 90 here; "
                + "verifier 王组长 at row 2, 李组长 here)",
        ])
    }
}
