import Testing
@testable import TimeBankCore

/// Defaults, file order, expression placement and the loader's contract (nil policy exactly when there is an error).
@Suite("Policy loader")
struct PolicyLoaderTests {
    typealias F = PolicyFixtures

    @Test("a minimal policy gets the documented defaults")
    func defaults() throws {
        let result = F.load(F.header + F.orange)
        #expect(result.diagnostics.isEmpty, "\(result.rendered())")
        let policy = try #require(result.policy)
        #expect(policy.name == "example")
        #expect(policy.timezone == "Asia/Shanghai")
        #expect(policy.unit == "积分")
        #expect(policy.earning.rounding == .halfEven)
        #expect(policy.earning.step == ExactDecimal(hundredths: 1))
        #expect(policy.earning.minMinutes == 0)
        #expect(policy.earning.maxMinutesPerRecord == 720)
        #expect(policy.earning.requireVerifier)
        #expect(policy.earning.autoAcceptAfterDays == nil)
        #expect(policy.caps.all.isEmpty)
        #expect(policy.accounts == PolicyAccounts(earnTo: .volunteer, balanceFloor: .zero))
        #expect(policy.transfers == PolicyTransfers(enabled: false, maxPointsPerMonth: nil))
        #expect(policy.expiry == PolicyExpiry(rule: .never, warnDays: 30))
        #expect(policy.ranking == nil)
        #expect(policy.fund == PolicyFund(currency: "CNY", merchantRate: .zero, pointValue: .zero))
        #expect(policy.calendar.holidays.isEmpty)
        #expect(policy.category("orange")?.label == "橙色关怀")
    }

    @Test("ids keep the order of the file, not alphabetical order")
    func fileOrder() throws {
        let text = F.header + """
            [categories.purple]
            points_per_hour = 10
            [categories.blue]
            points_per_hour = 12
            [categories.orange]
            points_per_hour = 12
            [catalog.zebra]
            kind = "goods"
            price = 1
            [catalog.apple]
            kind = "goods"
            price = 2
            """
        let policy = try #require(F.load(text).policy)
        #expect(policy.categories.map(\.id) == ["purple", "blue", "orange"])
        #expect(policy.catalog.map(\.id) == ["zebra", "apple"])
        #expect(policy.expressionSchema.categories == ["purple", "blue", "orange"])
    }

    @Test("inline tables and dotted keys are read like sections")
    func otherTOMLForms() throws {
        let text = F.header + """
            [categories]
            orange = { label = "橙色关怀", points_per_hour = 12 }
            blue.points_per_hour = 10
            """
        let policy = try #require(F.load(text).policy)
        #expect(policy.categories.map { "\($0.id)=\($0.pointsPerHour)" } == ["orange=12", "blue=10"])
    }

    @Test("the expression error inside a ''' string points at its line in the file")
    func multilineExpressionPlacement() throws {
        let text = F.header + F.orange + """
            [bonuses.weekend]
            points = 2
            when = '''
            record.weekday == "sat" ||
              record.category == "orang"
            '''
            """
        let result = F.load(text)
        let diagnostic = try #require(result.diagnostics.first)
        #expect(diagnostic.id == "P230")
        // Header 5 lines, category 4, then [bonuses.weekend], points, when = ''', and the first line of the expression.
        #expect(diagnostic.range.start.line == 14)
        #expect(diagnostic.range.start.column == 22)
        #expect(F.spanText(result, diagnostic) == "\"orang\"")
    }

    @Test("a ''' expression in a file saved with CRLF line ends is placed exactly, with no P117")
    func multilineExpressionWithCRLF() throws {
        let lf = F.header + F.orange + """
            [bonuses.weekend]
            points = 2
            when = '''
            record.weekday == "sat" ||
              record.category == "orang"
            '''

            """
        let text = lf.replacingOccurrences(of: "\n", with: "\r\n")
        let result = F.load(text)
        // A Windows editor saves CRLF; the value reads LF, but nothing in it is escaped.
        #expect(F.ids(result) == ["P230"], "\(result.rendered())")
        let diagnostic = try #require(result.diagnostics.first)
        #expect(diagnostic.range.start.line == 14)
        #expect(diagnostic.range.start.column == 22)
        #expect(F.spanText(result, diagnostic) == "\"orang\"")
    }

    @Test("P117's help is the rule's own key and expression in single quotes, not a fixed example")
    func escapedExpressionHelp() throws {
        let text = F.header + F.orange + #"""
            [multipliers.long]
            label = "长时"
            factor = "record.minutes > 120 && record.category == \"orang\" ? 1.5 : 1"
            when = 'true'

            """#
        let result = F.load(text)
        let warning = try #require(result.diagnostics.first { $0.id == "P117" })
        let help = warning.help.joined(separator: "\n")
        #expect(help.contains(#"factor = 'record.minutes > 120 && record.category == "orang" ? 1.5 : 1'"#), "\(help)")
        #expect(!help.contains("when ="), "\(help)")
    }

    @Test("Chinese text before the error does not move the column or the marker")
    func chineseBeforeError() throws {
        let text = F.header + F.orange + "[bonuses.elder]\nlabel = \"长者\"; points = 1\n"
        let result = F.load(text)
        let diagnostic = try #require(result.diagnostics.first)
        #expect(diagnostic.id == "P011")
        #expect(diagnostic.range.start.column == 13)
        // Column 13 counts characters; on screen the two Chinese characters take two cells each, so the
        // marker stands after 14 cells: `label = "` (9), `长者` (4), `"` (1).
        #expect(result.rendered().contains("11 | label = \"长者\"; points = 1\n   | " + String(repeating: " ", count: 14) + "^\n"))
    }

    @Test("a policy comes back exactly when there is no error; warnings are allowed")
    func warningsStillLoad() throws {
        let text = F.header + F.orange + "[caps]\ndaily = 50\nmonthly = 40\n"
        let result = F.load(text)
        #expect(F.ids(result) == ["P115"])
        #expect(!result.hasErrors && result.warningCount == 1)
        #expect(result.policy?.caps.monthly == ExactDecimal(40))
        let broken = F.load(F.header + F.orange + "[caps]\ndaily = -1\n")
        #expect(broken.policy == nil && broken.hasErrors)
    }

    @Test("a weekly cap above the monthly or yearly cap still cuts a week that spans two months or years: P115 says so, not 'never applies'")
    func weeklyCapAcrossMonths() throws {
        // Grid workers (平急转换): at most 80 a week, 70 a month. The week of Monday 30 March 2026 spans two months: 60 on the
        // 30th, 10 of 20 on the 31st (March's 70), then 10 of 20 on 1 April, cut by the weekly cap (70 of its 80 earned).
        let text = F.header.replacingOccurrences(of: "2026-10-01", with: "2026-01-01") + """
            [earning]
            require_verifier = false

            [categories.duty]
            points_per_hour = 10

            [caps]
            weekly = 80
            monthly = 70

            """
        let result = F.load(text)
        #expect(F.ids(result) == ["P115"])
        #expect(result.diagnostics.first?.message
                    == "the monthly cap (70) is below the weekly cap (80), so the weekly cap can cut only a week that spans two months")
        let policy = try #require(result.policy)
        let run = try ScoringFixtures.scorer(policy).score([
            ScoringFixtures.service("mon", "G1", "duty", "2026-03-30", minutes: 360),
            ScoringFixtures.service("tue", "G1", "duty", "2026-03-31", minutes: 120),
            ScoringFixtures.service("wed", "G1", "duty", "2026-04-01", minutes: 120),
        ])
        #expect(try ScoringFixtures.score(run, "tue").award == 1000)
        let wednesday = try ScoringFixtures.score(run, "wed")
        #expect(wednesday.award == 1000)
        #expect(run.explanation(of: wednesday).contains { $0.rule == "caps.weekly" })
        // A week touches two months at most: a weekly cap of twice the monthly one or more never cuts, and is said so.
        let twice = F.load(text.replacingOccurrences(of: "weekly = 80", with: "weekly = 140"))
        #expect(twice.diagnostics.first?.message == "the monthly cap (70) is below the weekly cap (140), so the weekly cap never applies")
        // Likewise a week that spans two years; a day, a month lie inside their week, month or year: never.
        let yearly = F.load(text.replacingOccurrences(of: "monthly = 70", with: "yearly = 70"))
        #expect(yearly.diagnostics.first?.message
                    == "the yearly cap (70) is below the weekly cap (80), so the weekly cap can cut only a week that spans two years")
        let daily = F.load(text.replacingOccurrences(of: "weekly = 80", with: "daily = 80"))
        #expect(daily.diagnostics.first?.message == "the monthly cap (70) is below the daily cap (80), so the daily cap never applies")
    }

    @Test("all problems are reported in one run, in file order")
    func allProblemsInOneRun() {
        let text = F.header + """
            [categories.orange]
            rate = 12
            [categories.blue]
            points_per_hour = -1
            [caps]
            dialy = 10
            [catalog.x]
            kind = "good"
            price = 0
            """
        #expect(F.ids(F.load(text)) == ["P100", "P103", "P100", "P105", "P103"])
    }

    @Test("the community's stations are checked in conditions when they are given")
    func stations() {
        let text = F.header + F.orange + "[bonuses.east]\npoints = 1\nwhen = 'record.station == \"east-1\"'\n"
        #expect(F.load(text).diagnostics.isEmpty)
        let checked = PolicyLoader.load(text: text, path: "p.toml", stations: ["east-01", "west-01"])
        #expect(checked.diagnostics.map(\.id) == ["P230"])
        #expect(checked.diagnostics.first?.help == ["did you mean \"east-01\"?"])
    }

    @Test("a file that is not UTF-8 stops at P001 with no policy")
    func notUTF8() {
        var bytes = Array((F.header + "[categories.orange]\nlabel = \"").utf8)
        bytes += [0xB3, 0xC8, 0x22, 0x0A]
        let result = PolicyLoader.load(bytes: bytes, path: "gbk.toml")
        #expect(F.ids(result) == ["P001"])
        #expect(result.policy == nil)
    }
}

/// `[policy] timezone`: the core checks the shape; with the system's names it refuses a name no database knows.
@Suite("Policy time zone")
struct PolicyTimeZoneTests {
    typealias F = PolicyFixtures
    static let names = TimeZoneNames(isKnown: { ["Asia/Shanghai", "Asia/Urumqi"].contains($0) },
                                     suggestions: ["Asia/Shanghai", "Asia/Urumqi"])

    static func policy(_ zone: String, names: TimeZoneNames?) -> PolicyLoadResult {
        PolicyLoader.load(text: F.header.replacingOccurrences(of: "effective = 2026-10-01\n", with: "effective = 2026-10-01\ntimezone = \"\(zone)\"\n")
                          + F.orange, path: "policy.toml", timeZones: names)
    }

    @Test("offsets and UTC read as minutes east of UTC; anything else is a name", arguments: [
        ("+08:00", 480), ("-05:30", -330), ("+05:45", 345), ("UTC", 0), ("+00:00", 0), ("-12:00", -720), ("+14:00", 840),
    ])
    func fixedOffsets(text: String, minutes: Int) {
        #expect(TimeZoneNames.fixedOffsetMinutes(text) == minutes)
        #expect(TimeZoneNames.isFixedOffset(text))
    }

    @Test("not offsets: names, out-of-range hours or minutes, letters for digits", arguments: [
        "Asia/Shanghai", "+15:00", "+08:60", "+0a:00", "08:00", "+8:00", "utc", "",
    ])
    func notOffsets(text: String) {
        #expect(TimeZoneNames.fixedOffsetMinutes(text) == nil)
    }

    @Test("without the system's names a well-shaped unknown name passes; with them it is P103 with the nearest name")
    func unknownName() throws {
        #expect(Self.policy("Asia/Shangai", names: nil).policy?.timezone == "Asia/Shangai")
        let checked = Self.policy("Asia/Shangai", names: Self.names)
        #expect(checked.policy == nil)
        let diagnostic = try #require(checked.diagnostics.first)
        #expect(diagnostic.id == "P103")
        #expect(diagnostic.message == "\"timezone\" is \"Asia/Shangai\", a name this system's time zone database does not know")
        #expect(diagnostic.help == ["did you mean \"Asia/Shanghai\"?"])
        // Nothing near: the help says what to write.
        #expect(Self.policy("Europe/Nowhere", names: Self.names).diagnostics.first?.help
                == ["write a name such as \"Asia/Shanghai\" (all of China) or an offset such as \"+08:00\""])
        // Known names and offsets need no lookup.
        #expect(Self.policy("Asia/Urumqi", names: Self.names).policy?.timezone == "Asia/Urumqi")
        #expect(Self.policy("+06:00", names: Self.names).policy?.timezone == "+06:00")
    }
}
