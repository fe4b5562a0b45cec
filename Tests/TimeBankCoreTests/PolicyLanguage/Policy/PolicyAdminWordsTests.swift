import Testing
@testable import TimeBankCore

/// What an admin who writes a community's first policy in Chinese (traditional or simplified) types, and the help it
/// gets: every help here, written in, makes the line check clean.
@Suite struct PolicyAdminWordsTests {
    static let header = PolicyFixtures.header
    static let base = header + PolicyFixtures.orange

    /// `【categories.ideas】`: the brackets a Chinese input method types for `[` and `]`. The header is named with its
    /// right spelling, and the keys below it are checked in their own table (before, each was "unknown key ... in
    /// [earning]", the table above it).
    @Test(arguments: ["【categories.ideas】", "［categories.ideas］", "【categories.ideas]", "【 categories . ideas 】"])
    func fullWidthHeader(_ header: String) throws {
        let text = Self.header + "[earning]\nstep = 0.5\n\n" + header + "\nlabel = \"思想更新\"\npoints_per_hour = 10\n"
        let result = PolicyFixtures.load(text)
        #expect(PolicyFixtures.ids(result) == ["P031"], "\(result.rendered())")
        let diagnostic = try #require(result.diagnostics.first)
        #expect(diagnostic.message == "the table header \"\(header)\" is written with full-width brackets")
        #expect(diagnostic.help == ["write it with ASCII brackets: [categories.ideas]"])
        let fixed = PolicyFixtures.load(text.replacingOccurrences(of: header, with: "[categories.ideas]"))
        #expect(fixed.diagnostics.isEmpty, "\(fixed.rendered())")
    }

    /// The same header twice, once in full-width brackets: the second is the duplicate, as with ASCII brackets.
    @Test func fullWidthHeaderStillCountsForDuplicates() {
        let result = PolicyFixtures.load(Self.base + "【categories.ideas】\npoints_per_hour = 10\n\n[categories.ideas]\npoints_per_hour = 12\n")
        #expect(PolicyFixtures.ids(result) == ["P031", "P026"], "\(result.rendered())")
    }

    /// `[categories.思想更新]`: the TOML help (put the key in quotes) led straight to P106; the help is now P106's.
    @Test func chineseIDInHeader() throws {
        let result = PolicyFixtures.load(Self.header + "[categories.思想更新]\npoints_per_hour = 10\n")
        let diagnostic = try #require(result.diagnostics.first)
        #expect(diagnostic.id == "P008")
        #expect(diagnostic.help == ["a category id is written in ASCII letters, digits, \"_\" or \"-\", starting with a letter: use a short "
            + "English id here and put the Chinese name in its label, as in [categories.ID] with label = \"思想更新\""])
        // A Chinese key that is no key of its section gets the section's keys (quoting it would only lead to P100).
        let key = PolicyFixtures.load(Self.base + "[earning]\n標籤 = 1\n")
        #expect(key.diagnostics.first?.help == ["keys are written in English; the keys of [earning] are: "
            + PolicyChecker.earningKeys.joined(separator: ", ")], "\(key.rendered())")
    }

    /// `每日上限 = 30`: a Chinese word for a key, without quotes (P008) or in them (P100). TOML's help (put it in quotes)
    /// only led to P100 with no suggestion; the help now names the English key, and the line written so checks clean.
    @Test(arguments: [
        ("[categories.tidy]\npoints_per_hour = 10\n", "每日上限 = 30", "daily_cap = 30"),
        ("[categories.tidy]\n", "每小時積分 = 10", "points_per_hour = 10"),
        ("[categories.tidy]\nlabel = \"整理\"\n", "积分 = 10", "points_per_hour = 10"),
        ("[caps]\n", "每月 = 300", "monthly = 300"),
        ("[caps]\n", "每日上限 = 60", "daily = 60"),
        ("[expiry]\n", "过期月数 = 6", "after_months = 6"),
        ("[expiry]\nafter_months = 12\n", "提前提醒天数 = 14", "warn_days = 14"),
        ("[policy]\nid = \"example\"\nversion = 1\n", "生效日期 = 2026-10-01", "effective = 2026-10-01"),
        ("[catalog.rice]\nkind = \"goods\"\n", "价格 = 60", "price = 60"),
        ("[catalog.check]\nkind = \"service\"\nprice = 60\n", "名额 = 10", "capacity_per_day = 10"),
    ])
    func chineseKey(_ section: String, _ written: String, _ right: String) throws {
        let policy = (section.hasPrefix("[policy]") ? "" : Self.header) + Self.orange(unless: section)
        for line in [written, "\"" + written.replacingOccurrences(of: " = ", with: "\" = ")] {
            let result = PolicyFixtures.load(policy + section + line + "\n")
            let diagnostic = try #require(result.diagnostics.first, "\(line)")
            #expect(["P008", "P100"].contains(diagnostic.id), "\(result.rendered())")
            let key = String(right.prefix { $0 != " " })
            let word = String(written.prefix { $0 != " " })
            let help = "keys are written in English: for \(word) write \(key) = "
            #expect(diagnostic.help.first?.hasPrefix(help) == true, "\(result.rendered())")
        }
        let fixed = PolicyFixtures.load(policy + section + right + "\n")
        #expect(fixed.diagnostics.isEmpty, "\(fixed.rendered())")
    }

    /// A section named in Chinese: `[排行]` (P008) or `["排行"]` (P100) gets the English name.
    @Test func chineseSection() throws {
        let bare = PolicyFixtures.load(Self.base + "[排行]\nperiod = \"month\"\n")
        #expect(bare.diagnostics.first?.help == ["sections are written in English: for [排行] write [ranking]"], "\(bare.rendered())")
        let quoted = PolicyFixtures.load(Self.base + "[\"排行\"]\nperiod = \"month\"\n")
        #expect(quoted.diagnostics.first?.help == ["did you mean [ranking]?"], "\(quoted.rendered())")
        #expect(PolicyFixtures.load(Self.base + "[ranking]\nperiod = \"month\"\n").diagnostics.isEmpty)
    }

    /// `effective = 2026-11-31`: a day the month does not have gets its last day and the first of the next month.
    @Test func dayTheMonthDoesNotHave() throws {
        let result = PolicyFixtures.load(Self.base.replacingOccurrences(of: "effective = 2026-10-01", with: "effective = 2026-11-31"))
        #expect(result.diagnostics.first?.id == "P019")
        #expect(result.diagnostics.first?.help == ["2026-11 has 30 days: write effective = 2026-11-30 (its last day), "
            + "or effective = 2026-12-01 (the first of the next month)"], "\(result.rendered())")
        let leap = PolicyFixtures.load(Self.base.replacingOccurrences(of: "effective = 2026-10-01", with: "effective = 2028-02-30"))
        #expect(leap.diagnostics.first?.help.first?.hasPrefix("2028-02 has 29 days: write effective = 2028-02-29") == true)
    }

    /// The category the policy needs, unless the section tested declares one.
    static func orange(unless section: String) -> String {
        section.hasPrefix("[categories.") ? "" : PolicyFixtures.orange
    }

    @Test("a Chinese word for one of a key's words gets the word", arguments: [
        ("[ranking]\nperiod = \"年\"\n", "year"), ("[ranking]\nperiod = \"每月\"\n", "month"), ("[ranking]\nby = \"積分\"\n", "points"),
        ("[ranking]\nby = \"服務時長\"\n", "hours"), ("[accounts]\nearn_to = \"戶\"\n", "household"),
        ("[accounts]\nearn_to = \"志願者\"\n", "volunteer"), ("[grants.base]\npoints = 10\nevery = \"季度\"\nto = \"家庭\"\n", "quarter"),
        ("[earning]\nrounding = \"四捨五入\"\n", "half_up"), ("[earning]\nrounding = \"進一\"\n", "ceil"),
        ("[earning]\ncombine_multipliers = \"乘積\"\n", "product"),
        ("[catalog.rice]\nkind = \"商品\"\nprice = 60\n", "goods"), ("[catalog.cut]\nkind = \"服務\"\nprice = 20\n", "service"),
        ("[catalog.rice]\nkind = \"goods\"\nprice = 60\nlimit = { count = 1, per = \"月\" }\n", "month"),
        ("[fund]\ncurrency = \"人民幣\"\n", "CNY"),
    ])
    func chineseChoiceWords(_ section: String, _ word: String) throws {
        let result = PolicyFixtures.load(Self.base + section)
        let diagnostic = try #require(result.diagnostics.first { $0.id == "P105" }, "\(result.rendered())")
        #expect(diagnostic.help == ["did you mean \"\(word)\"?"])
    }

    @Test("yes and no in words for a true-or-false key", arguments: [
        ("require_verifier = 是", "require_verifier = true"), ("require_verifier = 否", "require_verifier = false"),
        ("require_verifier = \"否\"", "require_verifier = false"), ("require_verifier = False", "require_verifier = false"),
        ("require_verifier = 需要", "require_verifier = true"),
    ])
    func booleanWords(_ line: String, _ right: String) throws {
        let result = PolicyFixtures.load(Self.base + "[earning]\n" + line + "\n")
        let diagnostic = try #require(result.diagnostics.first, "\(result.rendered())")
        #expect(diagnostic.help.count == 1)
        #expect(diagnostic.help.first?.contains(right) == true, "\(diagnostic.help)")
        #expect(!(diagnostic.help.first?.contains("put it in quotes") ?? true))
        #expect(PolicyFixtures.load(Self.base + "[earning]\n" + right + "\n").diagnostics.isEmpty)
    }

    /// `record.date >= "2026-12-01"`: a date is written date("..."); the help writes it, also from 2026/12/1.
    @Test(arguments: [("\"2026-12-01\"", "2026-12-01"), ("\"2026/12/1\"", "2026-12-01"), ("'2027.1.5'", "2027-01-05")])
    func dateComparedWithText(_ written: String, _ date: String) throws {
        let rule = "[earning]\ncombine_multipliers = \"max\"\n\n[multipliers.late]\nfactor = 2\nwhen = '''record.date >= \(written)'''\n"
        let result = PolicyFixtures.load(Self.base + rule)
        let diagnostic = try #require(result.diagnostics.first)
        #expect(diagnostic.id == "P220")
        #expect(diagnostic.help == ["write the date as date(\"\(date)\")"])
        let fixed = PolicyFixtures.load(Self.base + rule.replacingOccurrences(of: written, with: "date(\"\(date)\")"))
        #expect(fixed.diagnostics.isEmpty, "\(fixed.rendered())")
    }

    /// A date in another form that is no day (month 13) is not given back as some other day: the help shows the form.
    @Test func noDayComparedWithText() throws {
        let rule = "[earning]\ncombine_multipliers = \"max\"\n\n[multipliers.late]\nfactor = 2\nwhen = '''record.date >= \"2026/13/1\"'''\n"
        let diagnostic = try #require(PolicyFixtures.load(Self.base + rule).diagnostics.first)
        #expect(diagnostic.help == ["write a date as date(\"YYYY-MM-DD\"), e.g. date(\"2026-10-01\")"])
    }
}

/// The help of a rule or limit written the way people say it.
@Suite struct PolicyAdminShapesTests {
    @Test(arguments: [("1/month", "limit = { count = 1, per = \"month\" }"), ("2/月", "limit = { count = 2, per = \"month\" }"),
                      ("1/year", "limit = { count = 1, per = \"year\" }"), ("每月1次", "limit = { count = 1, per = \"month\" }"),
                      ("每周3次", "limit = { count = 3, per = \"week\" }")])
    func limitAsAFraction(_ written: String, _ right: String) throws {
        let item = "[catalog.rice]\nkind = \"goods\"\nprice = 60\nlimit = "
        let result = PolicyFixtures.load(PolicyAdminWordsTests.base + item + written + "\n")
        let diagnostic = try #require(result.diagnostics.first)
        #expect(diagnostic.help == ["a limit is a count and a period: \(right)"])
        #expect(PolicyFixtures.load(PolicyAdminWordsTests.base + item + String(right.dropFirst("limit = ".count)) + "\n").diagnostics.isEmpty)
    }

    /// A limit in words that give no count or period gets the form, not a count it never said.
    @Test func limitInOtherWords() throws {
        let result = PolicyFixtures.load(PolicyAdminWordsTests.base + "[catalog.rice]\nkind = \"goods\"\nprice = 60\nlimit = 不限次\n")
        let diagnostic = try #require(result.diagnostics.first)
        #expect(diagnostic.help == ["a limit is a count and a period: limit = { count = N, per = \"PERIOD\" }, "
            + "such as limit = { count = 1, per = \"month\" } for once a month"])
    }

    /// A satisfaction factor for every record has no condition to suggest from a weekend: `when = 'true'` is what it needs.
    @Test func multiplierWithoutWhen() throws {
        let rules = "[earning]\ncombine_multipliers = \"max\"\n\n[multipliers.satisfaction]\nfactor = 'has(record.rating) ? record.rating / 5 : 1'\n"
        let result = PolicyFixtures.load(PolicyAdminWordsTests.base + rules)
        let diagnostic = try #require(result.diagnostics.first)
        #expect(diagnostic.id == "P101")
        #expect(diagnostic.help == ["add a line such as: when = 'true' (the factor then acts on every record; or categories = [...] for some categories)"])
        #expect(PolicyFixtures.load(PolicyAdminWordsTests.base + rules + "when = 'true'\n").diagnostics.isEmpty)
    }
}

/// `volunteer.teams` lookups checked against the community's teams when they are known.
@Suite struct PolicyTeamLookupTests {
    static let teams = [Team(id: "qianshou", name: "牽手", label: "hand in hand"), Team(id: "puti", name: "菩提", label: "")]
    static func policy(_ when: String) -> String {
        PolicyAdminWordsTests.base + "[bonuses.team]\npoints = 2\nwhen = '''\(when)'''\n"
    }

    @Test(arguments: [
        (#"volunteer.teams.contains("牽手")"#, #""牽手" is the name of team "qianshou": write its id, qianshou"#),
        (#""qianshuo" in volunteer.teams"#, #"did you mean "qianshou"? the teams are qianshou (牽手), puti (菩提); a new team is added with `timebank team add` (or several with `timebank team import`)"#),
    ])
    func unknownTeam(_ when: String, _ help: String) throws {
        let result = PolicyLoader.load(text: Self.policy(when), path: "p.toml", teams: Self.teams)
        #expect(result.policy != nil)   // a warning: the version still compiles
        let diagnostic = try #require(result.diagnostics.first)
        #expect(diagnostic.id == "P233")
        #expect(diagnostic.severity == .warning)
        #expect(diagnostic.help == [help])
        // Without the teams (no database at hand) nothing is said; with a team that is one, nothing either.
        #expect(PolicyLoader.load(text: Self.policy(when), path: "p.toml").diagnostics.isEmpty)
        #expect(PolicyLoader.load(text: Self.policy(#"volunteer.teams.contains("qianshou")"#), path: "p.toml", teams: Self.teams).diagnostics.isEmpty)
    }
}

/// A policy saved by an older Windows editor in GBK: one diagnostic, with the file's own conversion command.
@Suite struct PolicyEncodingHelpTests {
    /// An .xlsx read as "UTF-16, convert it with iconv".
    @Test func spreadsheetGivenAsAPolicy() throws {
        let bytes: [UInt8] = [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00, 0x00, 0x00, 0x21, 0x00, 0xB5, 0x55, 0x83, 0x1E]
        let result = PolicyLoader.load(bytes: bytes, path: "規則.xlsx")
        #expect(result.diagnostics.count == 1)
        let diagnostic = try #require(result.diagnostics.first)
        #expect(diagnostic.id == "P001")
        #expect(diagnostic.message == "the file is an Excel or Word file (.xlsx, .docx: a zip archive, not text)")
        #expect(!diagnostic.help.joined().contains("iconv"))
    }

    @Test func gbkFileIsOneMistake() throws {
        let text = PolicyAdminWordsTests.base + "[categories.culture]\nlabel = \"文化睦鄰\"\npoints_per_hour = 8\n\n[categories.care]\nlabel = \"與愛同行\"\npoints_per_hour = 12\n"
        // GB18030 bytes of two Chinese labels, put where the UTF-8 ones were (橙色关怀 of the base too).
        var bytes = Array(text.utf8)
        for (utf8, gbk) in [("橙色关怀", [0xB3, 0xC8, 0xC9, 0xAB, 0xB9, 0xD8, 0xBB, 0xB3]), ("文化睦鄰", [0xCE, 0xC4, 0xBB, 0xAF, 0xC4, 0xC0, 0xE0, 0x6B]),
                            ("與愛同行", [0xC5, 0x63, 0x90, 0xDB, 0xCD, 0xAC, 0xD0, 0xD0])] {
            let source = Array(utf8.utf8)
            if let start = (0...(bytes.count - source.count)).first(where: { Array(bytes[$0..<($0 + source.count)]) == source }) {
                bytes.replaceSubrange(start..<(start + source.count), with: gbk.map(UInt8.init))
            }
        }
        let result = PolicyLoader.load(bytes: bytes, path: "我的 規則.toml")
        #expect(result.diagnostics.map(\.id) == ["P001"], "\(result.rendered())")
        #expect(result.diagnostics.first?.help.last == "or convert it: iconv -f GB18030 -t UTF-8 '我的 規則.toml' > '我的 規則-utf8.toml'")
    }
}

/// The [policy] header as a first-time admin writes it.
@Suite struct PolicyHeaderHelpTests {
    static let category = "\n[categories.a]\npoints_per_hour = 10\n"

    @Test func chineseID() throws {
        let result = PolicyFixtures.load("[policy]\nid = \"望江愛心\"\nversion = 1\neffective = 2026-12-01\n" + Self.category)
        let diagnostic = try #require(result.diagnostics.first)
        #expect(diagnostic.id == "P106")
        #expect(diagnostic.help == ["use a short English id such as id = \"community-points\", and put the Chinese title in name = \"望江愛心\""])
    }

    @Test(arguments: [("2026-12-1", "2026-12-01"), ("2027-1-5", "2027-01-05")])
    func dateWithoutLeadingZeros(_ written: String, _ right: String) throws {
        let result = PolicyFixtures.load("[policy]\nid = \"x\"\nversion = 1\neffective = \(written)\n" + Self.category)
        let diagnostic = try #require(result.diagnostics.first)
        #expect(diagnostic.id == "P019")
        #expect(diagnostic.help == ["write effective = \(right) (YYYY-MM-DD)"])
        #expect(PolicyFixtures.load("[policy]\nid = \"x\"\nversion = 1\neffective = \(right)\n" + Self.category).diagnostics.isEmpty)
    }
}

@Suite struct ExpressionSpacedOperatorTests {
    /// `volunteer.age > = 60` was told to "use `==` to compare".
    @Test(arguments: [("volunteer.age > = 60", ">="), ("volunteer.age <  = 60", "<="), ("volunteer.age ! = 60", "!="), ("volunteer.age = = 60", "==")])
    func operatorWithASpaceInside(_ text: String, _ meant: String) throws {
        let (compiled, diagnostics) = ExpressionFixtures.compile(text, expecting: .bool)
        #expect(compiled == nil)
        let diagnostic = try #require(diagnostics.first)
        #expect(diagnostic.id == "P211")
        #expect(diagnostic.help == ["write `\(meant)` without a space inside"])
    }

    @Test func lonelyEqualsStillMeansEquals() throws {
        let (_, diagnostics) = ExpressionFixtures.compile(#"record.category = "orange""#, expecting: .bool)
        #expect(diagnostics.first?.help == ["use `==` to compare"])
    }
}
