import Foundation
import Testing
@testable import TimeBankCore

/// The help for a number written with a unit (`after_months = 1年`): the number in the key's own unit where the
/// conversion is fixed, and no number where it is not (a month is no fixed number of days).
@Suite("Policy unit help")
struct PolicyUnitHelpTests {
    /// The section each key under test is written in.
    static let sections = [
        "min_minutes": "[earning]", "max_minutes_per_record": "[earning]", "auto_accept_after_days": "[earning]",
        "after_months": "[expiry]", "warn_days": "[expiry]", "min_hours": "[levels.star1]",
        "price": "[catalog.rice]\nkind = \"goods\"", "points_per_hour": "[categories.green]", "top": "[ranking]",
    ]

    /// A policy with `key = value` in its section.
    static func policy(_ key: String, _ value: String, besides other: String = "") -> String {
        PolicyFixtures.header + PolicyFixtures.orange + "\(sections[key]!)\n\(other)\(key) = \(value)\n"
    }

    /// The one diagnostic of `key = value`.
    static func diagnostic(_ key: String, _ value: String) throws -> Diagnostic {
        let result = PolicyFixtures.load(policy(key, value))
        #expect(result.diagnostics.count == 1, "\(result.rendered())")
        return try #require(result.diagnostics.first)
    }

    @Test("a unit of time other than the key's is worked out", arguments: [
        ("after_months", "1年", "1 年 = 12 months", "12"),
        ("after_months", "1.5 years", "1.5 years = 1.5 × 12 = 18 months", "18"),
        ("auto_accept_after_days", "1周", "1 周 = 7 days", "7"),
        ("warn_days", "2周", "2 周 = 2 × 7 = 14 days", "14"),
        ("warn_days", "2 weeks", "2 weeks = 2 × 7 = 14 days", "14"),
        ("warn_days", "48h", "48 h = 48 ÷ 24 = 2 days", "2"),
        ("max_minutes_per_record", "1天", "1 天 = 1440 minutes", "1440"),
        ("max_minutes_per_record", "1 day", "1 day = 1440 minutes", "1440"),
        ("max_minutes_per_record", "8h", "8 h = 8 × 60 = 480 minutes", "480"),
        ("max_minutes_per_record", "2 小时", "2 小时 = 2 × 60 = 120 minutes", "120"),
        ("min_minutes", "0.5 小时", "0.5 小时 = 0.5 × 60 = 30 minutes", "30"),
        ("min_hours", "1200分钟", "1200 分钟 = 1200 ÷ 60 = 20 hours", "20"),
        ("min_hours", "90 min", "90 min = 90 ÷ 60 = 1.5 hours", "1.5"),
        ("min_hours", "60 minutes", "60 minutes = 60 ÷ 60 = 1 hour", "1"),
        ("min_hours", "1d", "1 d = 24 hours", "24"),
        // A full-width space, or full-width digits (typed with a Chinese input method).
        ("after_months", "1　年", "1 年 = 12 months", "12"),
        ("after_months", "１年", "1 年 = 12 months", "12"),
    ])
    func converted(_ key: String, _ value: String, _ arithmetic: String, _ number: String) throws {
        let diagnostic = try Self.diagnostic(key, value)
        let counts = PolicyChecker.keyUnits[key]!.counts
        #expect(diagnostic.help == ["write it in \(counts), without a unit (\(arithmetic)): \(key) = \(number)"])
        #expect(!diagnostic.notes.joined().contains("the key gives the unit"))
        // The help's line, written in, is a policy with nothing to report.
        let fixed = PolicyFixtures.load(Self.policy(key, number))
        #expect(fixed.diagnostics.isEmpty, "\(fixed.rendered())")
    }

    @Test("no number is suggested where the conversion is not fixed, whole or allowed", arguments: [
        ("warn_days", "1个月", "a month is not a fixed number of days"),
        ("warn_days", "1 month", "a month is not a fixed number of days"),
        ("warn_days", "1年", "a year is not a fixed number of days"),
        ("auto_accept_after_days", "1个月", "a month is not a fixed number of days"),
        ("after_months", "30天", "a month is not a fixed number of days"),
        ("after_months", "4周", "a month is not a fixed number of weeks"),
        ("min_minutes", "1 month", "a month is not a fixed number of minutes"),
        ("warn_days", "12小时", "12 小时 = 12 ÷ 24 = 0.5 days, which is not a whole number"),
        ("min_minutes", "0.01h", "0.01 h = 0.01 × 60 = 0.6 minutes, which is not a whole number"),
        ("min_hours", "100分钟", "100 分钟 = 100 ÷ 60 hours, which is not an exact decimal"),
        ("max_minutes_per_record", "2天", "2 天 = 2 × 1440 = 2880 minutes, but it must be from 1 to 1440"),
        ("after_months", "11年", "11 年 = 11 × 12 = 132 months, but it must be from 1 to 120"),
        ("min_hours", "90分", "\"分\" could mean minutes or points"),
        ("warn_days", "2 fortnights", "\"fortnights\" is not a unit this check can work out in days"),
        ("min_minutes", "30积分", "not points"),
        ("price", "60元", "not yuan (CNY)"),
        ("points_per_hour", "2小时", "not hours"),
    ])
    func refused(_ key: String, _ value: String, _ reason: String) throws {
        let diagnostic = try Self.diagnostic(key, value)
        let counts = PolicyChecker.keyUnits[key]!.counts
        #expect(diagnostic.help.count == 1)
        #expect(diagnostic.help.allSatisfy { $0.hasPrefix("write it in ") && $0.contains(counts) && !$0.contains("\(key) =") }, "\(diagnostic.help)")
        #expect(diagnostic.notes.contains { $0.hasPrefix("\"\(key)\" is in ") && $0.contains(reason) }, "\(diagnostic.notes)")
        #expect(!diagnostic.notes.joined().contains("the key gives the unit"))
    }

    @Test("a month for a key in days is answered with the days a month has, and no number to paste")
    func aMonthInDays() throws {
        let diagnostic = try Self.diagnostic("warn_days", "1个月")
        #expect(diagnostic.help == ["write it in days yourself, without a unit: a month has 28 to 31 days (about 30)"])
        #expect(diagnostic.notes == ["\"warn_days\" is in days, and a month is not a fixed number of days"])
    }

    @Test("the key's own unit is dropped, and the key said to give it", arguments: [
        ("min_minutes", "30分钟", "30"), ("min_minutes", "30 min", "30"), ("min_minutes", "30分", "30"), ("warn_days", "30天", "30"),
        ("warn_days", "30 days", "30"), ("after_months", "12个月", "12"), ("after_months", "12m", "12"), ("min_hours", "20小时", "20"),
        ("price", "60 积分", "60"), ("price", "60分", "60"), ("points_per_hour", "12 points", "12"),
    ])
    func sameUnit(_ key: String, _ value: String, _ number: String) throws {
        let diagnostic = try Self.diagnostic(key, value)
        #expect(diagnostic.help == ["write the number alone, without a unit: \(key) = \(number)"])
        #expect(diagnostic.notes.first?.contains("the key gives the unit") == true)
    }

    @Test("a number with a unit in quotes gets the help it gets without them", arguments: [
        ("min_minutes", "30分钟"), ("min_minutes", "0.5 小时"), ("after_months", "1年"), ("warn_days", "1个月"), ("min_hours", "1200 分钟"),
        ("min_hours", "100分钟"), ("price", "60积分"), ("after_months", " 2 years "),
    ])
    func quoted(_ key: String, _ value: String) throws {
        let unquoted = try Self.diagnostic(key, value.trimmingCharacters(in: .whitespaces))
        let diagnostic = try Self.diagnostic(key, "\"\(value)\"")
        #expect(diagnostic.id == "P102")
        #expect(diagnostic.help == unquoted.help.map { $0.replacingOccurrences(of: "without a unit", with: "without quotes or a unit") })
        #expect(diagnostic.notes == unquoted.notes)
    }

    @Test("every unit word of time is worked out: in hours (60 of it), or in months (1 of it)",
          arguments: PolicyChecker.unitWords.filter { $0.value.count == 1 }.keys.sorted())
    func everyWord(_ word: String) throws {
        let measure = PolicyChecker.unitWords[word]![0]
        for spacing in ["", " ", "　"] {
            if let minutes = measure.minutes {
                // 60 of a unit is as many hours as the unit is minutes.
                let diagnostic = try Self.diagnostic("min_hours", "60\(spacing)\(word)")
                if measure == .hours {
                    #expect(diagnostic.help == ["write the number alone, without a unit: min_hours = 60"], "\(word)")
                } else {
                    #expect(diagnostic.help.first?.hasSuffix("): min_hours = \(minutes)") == true, "\(word): \(diagnostic.help)")
                }
            } else if let months = measure.months {
                let diagnostic = try Self.diagnostic("after_months", "1\(spacing)\(word)")
                if measure == .months {
                    #expect(diagnostic.help == ["write the number alone, without a unit: after_months = 1"], "\(word)")
                } else {
                    #expect(diagnostic.help.first?.hasSuffix("): after_months = \(months)") == true, "\(word): \(diagnostic.help)")
                }
            }
        }
    }

    @Test("the ranges the help checks a worked-out number against are the ones the checker allows",
          arguments: PolicyChecker.keyUnits.filter { $0.value.allowed != nil }.keys.sorted())
    func rangesAgree(_ key: String) throws {
        let allowed = PolicyChecker.keyUnits[key]!.allowed!
        let edges = [allowed.lowerBound] + (allowed.upperBound == Int.max ? [] : [allowed.upperBound])
        // A minimum of 1440 minutes needs a maximum as large (the default is 720).
        let other = key == "min_minutes" ? "max_minutes_per_record = 1440\n" : ""
        for edge in edges {
            let result = PolicyFixtures.load(Self.policy(key, "\(edge)", besides: other))
            #expect(result.diagnostics.isEmpty, "\(key) = \(edge): \(result.rendered())")
        }
        let outside = [allowed.lowerBound - 1] + (allowed.upperBound == Int.max ? [] : [allowed.upperBound + 1])
        for value in outside {
            #expect(PolicyFixtures.ids(PolicyFixtures.load(Self.policy(key, "\(value)"))) == ["P103"], "\(key) = \(value)")
        }
    }

    @Test("a number in Chinese words is read and worked out in the key's unit, the arithmetic shown", arguments: [
        ("auto_accept_after_days", "一周", "一周 = 1 × 7 = 7 days", "7"),
        ("auto_accept_after_days", "三天", "三天 = 3 days", "3"),
        ("warn_days", "两个星期", "两个星期 = 2 × 7 = 14 days", "14"),
        ("min_minutes", "半小时", "半小时 = 0.5 × 60 = 30 minutes", "30"),
        ("max_minutes_per_record", "两小时", "两小时 = 2 × 60 = 120 minutes", "120"),
        ("max_minutes_per_record", "二小时", "二小时 = 2 × 60 = 120 minutes", "120"),
        ("max_minutes_per_record", "两个半小时", "两个半小时 = 2.5 × 60 = 150 minutes", "150"),
        ("max_minutes_per_record", "一天", "一天 = 1 × 1440 = 1440 minutes", "1440"),
        ("min_minutes", "四十五分钟", "四十五分钟 = 45 minutes", "45"),
        ("after_months", "一年", "一年 = 1 × 12 = 12 months", "12"),
        ("after_months", "一年半", "一年半 = 1.5 × 12 = 18 months", "18"),
        ("after_months", "半年", "半年 = 0.5 × 12 = 6 months", "6"),
        ("after_months", "十八个月", "十八个月 = 18 months", "18"),
        ("min_hours", "一百二十分钟", "一百二十分钟 = 120 ÷ 60 = 2 hours", "2"),
        ("min_hours", "2天半", "2天半 = 2.5 × 24 = 60 hours", "60"),
    ])
    func numberInWords(_ key: String, _ value: String, _ arithmetic: String, _ number: String) throws {
        let diagnostic = try Self.diagnostic(key, value)
        let counts = PolicyChecker.keyUnits[key]!.counts
        #expect(diagnostic.help == ["write it in \(counts), in digits, without a unit (\(arithmetic)): \(key) = \(number)"])
        let quoted = try Self.diagnostic(key, "\"\(value)\"")
        #expect(quoted.id == "P102")
        #expect(quoted.help == ["write it in \(counts), in digits, without quotes or a unit (\(arithmetic)): \(key) = \(number)"])
        // The help's line, written in, is a policy with nothing to report.
        let fixed = PolicyFixtures.load(Self.policy(key, number))
        #expect(fixed.diagnostics.isEmpty, "\(fixed.rendered())")
    }

    @Test("a number in words with no number to suggest says why", arguments: [
        ("warn_days", "一个月", "a month is not a fixed number of days"),
        ("after_months", "三十天", "a month is not a fixed number of days"),
        ("auto_accept_after_days", "半天", "半天 = 0.5 days, which is not a whole number"),
        ("max_minutes_per_record", "两天", "两天 = 2 × 1440 = 2880 minutes, but it must be from 1 to 1440"),
        ("price", "五十元", "not yuan (CNY)"),
    ])
    func numberInWordsRefused(_ key: String, _ value: String, _ reason: String) throws {
        let diagnostic = try Self.diagnostic(key, value)
        #expect(diagnostic.help.count == 1)
        #expect(diagnostic.help.allSatisfy { $0.contains("in digits") && !$0.contains("\(key) =") }, "\(diagnostic.help)")
        #expect(diagnostic.notes.contains { $0.contains(reason) }, "\(diagnostic.notes)")
    }

    @Test("Chinese numerals are read as one whole number, or not at all", arguments: [
        ("十", 10), ("十五", 15), ("二十", 20), ("一百零五", 105), ("一百二十", 120), ("两千", 2000), ("一千零五十", 1050),
        ("三万", 30_000), ("一万五千", 15_000), ("壹佰", 100), ("零", 0),
    ])
    func chineseNumerals(_ text: String, _ value: Int) {
        #expect(PolicyChecker.chineseInteger(ArraySlice(text.unicodeScalars)) == value)
        #expect(PolicyChecker.numberInWords(text)?.number == ExactDecimal(value))
        #expect(PolicyChecker.numberInWords(text)?.unit == "")
    }

    @Test("text that is not one number in words is not read as one", arguments: ["一二", "十百", "二〇二六", "很多天", "一周三天", "30分钟", "abc", "半半"])
    func notNumberWords(_ text: String) {
        #expect(PolicyChecker.numberInWords(text) == nil)
    }

    @Test("a number in words with no unit is given in digits")
    func numberWordsWithoutUnit() throws {
        let diagnostic = try Self.diagnostic("top", "十")
        #expect(diagnostic.id == "P020")
        #expect(diagnostic.help == ["write the number in digits (十 = 10): top = 10"])
    }

    @Test("a word that is no number, for a key that takes one, is answered with a number to write, never quotes")
    func notANumberAtAll() throws {
        let bare = try Self.diagnostic("max_minutes_per_record", "很久")
        #expect(bare.id == "P020")
        #expect(bare.help == ["write a number in digits, e.g. max_minutes_per_record = 480"])
        let quoted = try Self.diagnostic("max_minutes_per_record", "\"很久\"")
        #expect(quoted.id == "P102")
        #expect(quoted.help == ["write a number in digits, without quotes, e.g. max_minutes_per_record = 480"])
        // Every example is one the key accepts.
        for (key, unit) in PolicyChecker.keyUnits where Self.sections[key] != nil {
            let other = key == "min_minutes" ? "max_minutes_per_record = 480\n" : ""
            let result = PolicyFixtures.load(Self.policy(key, unit.example, besides: other))
            #expect(result.diagnostics.isEmpty, "\(key) = \(unit.example): \(result.rendered())")
        }
    }
}
