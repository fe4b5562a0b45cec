/// Help for a number written with a unit (`after_months = 1年`, `min_minutes = "30 分钟"`): the number the key wants.
///
/// A key's name gives its unit, so the number is written alone. When the unit typed is the key's own, the help is the
/// number without it. When it is another unit of time, the number is worked out only where the conversion is fixed
/// (minutes, hours, days and weeks among themselves; years to months) and gives a number the key accepts; a month or a
/// year is not a fixed number of days, so there the help names the key's unit and suggests no number.
extension PolicyChecker {
    /// What a number after which a unit is written can count.
    enum Measure: Hashable, Sendable {
        case minutes, hours, days, weeks, months, years, points, yuan

        /// The plural name used in messages ("months").
        var name: String {
            switch self {
            case .minutes: "minutes"
            case .hours: "hours"
            case .days: "days"
            case .weeks: "weeks"
            case .months: "months"
            case .years: "years"
            case .points: "points"
            case .yuan: "yuan (CNY)"
            }
        }

        /// The name for exactly one ("month"); yuan has no plural.
        var singularName: String {
            switch self {
            case .minutes: "minute"
            case .hours: "hour"
            case .days: "day"
            case .weeks: "week"
            case .months: "month"
            case .years: "year"
            case .points: "point"
            case .yuan: "yuan (CNY)"
            }
        }

        /// How many minutes one of it is, for the units that are a fixed number of minutes.
        var minutes: Int? {
            switch self {
            case .minutes: 1
            case .hours: 60
            case .days: 1440
            case .weeks: 10_080
            default: nil
            }
        }

        /// How many months one of it is, for months and years.
        var months: Int? {
            switch self {
            case .months: 1
            case .years: 12
            default: nil
            }
        }

        /// Why a month or a year is no fixed number of days (or minutes, hours, weeks).
        var calendarSpan: String? {
            switch self {
            case .months: "a month has 28 to 31 days (about 30)"
            case .years: "a year has 365 or 366 days"
            default: nil
            }
        }
    }

    /// What the number of a key counts, for a unit written after the number.
    struct KeyUnit: Sendable {
        /// What the number counts, as a message says it ("minutes", "points for one hour of service").
        let counts: String
        /// The unit the key is in, when it is one a typed unit can be compared with; nil for a count (redemptions,
        /// volunteers) or a ratio, after which a unit word is only dropped.
        let measure: Measure?
        /// The numbers the key allows, when its unit is one of time (checked against the checker's own ranges in
        /// `PolicyUnitHelpTests`); a worked-out number outside them is not suggested.
        var allowed: ClosedRange<Int>? = nil
        /// The key takes whole numbers only.
        var isWholeNumber = false
        /// A value to show in an example line (`min_minutes = 30`), one the key accepts.
        var example = "10"
    }

    /// Each key whose number has a unit, with what it counts.
    static let keyUnits: [String: KeyUnit] = {
        func points(_ example: String) -> KeyUnit { KeyUnit(counts: "points", measure: .points, example: example) }
        return [
            "min_minutes": KeyUnit(counts: "minutes", measure: .minutes, allowed: 0...1440, isWholeNumber: true, example: "30"),
            "max_minutes_per_record": KeyUnit(counts: "minutes", measure: .minutes, allowed: 1...1440, isWholeNumber: true, example: "480"),
            "auto_accept_after_days": KeyUnit(counts: "days", measure: .days, allowed: 0...365, isWholeNumber: true, example: "7"),
            "warn_days": KeyUnit(counts: "days", measure: .days, allowed: 0...365, isWholeNumber: true, example: "30"),
            "after_months": KeyUnit(counts: "months", measure: .months, allowed: 1...120, isWholeNumber: true, example: "12"),
            "min_hours": KeyUnit(counts: "hours", measure: .hours, allowed: 0...Int.max, example: "20"),
            "points_per_hour": KeyUnit(counts: "points for one hour of service", measure: .points, example: "12"),
            "step": points("0.5"), "daily_cap": points("30"), "monthly_cap": points("300"), "daily": points("60"), "weekly": points("200"),
            "monthly": points("600"), "yearly": points("5000"), "points": points("5"), "price": points("60"), "min_points": points("100"),
            "balance_floor": points("0"), "max_points_per_month": points("50"),
            "unit_cost": KeyUnit(counts: "yuan (CNY)", measure: .yuan, example: "30"),
            "point_value": KeyUnit(counts: "yuan (CNY) for one point", measure: .yuan, example: "0.5"),
            "factor": KeyUnit(counts: "a multiple of the hourly points (1.5 is half as much again)", measure: nil, example: "1.5"),
            "merchant_rate": KeyUnit(counts: "a share of turnover (0.1% is 0.001)", measure: nil, example: "0.001"),
            "capacity_per_day": KeyUnit(counts: "redemptions a day at one station", measure: nil, isWholeNumber: true, example: "10"),
            "low_stock": KeyUnit(counts: "units of the goods", measure: nil, isWholeNumber: true, example: "5"),
            "count": KeyUnit(counts: "redemptions", measure: nil, isWholeNumber: true, example: "1"),
            "top": KeyUnit(counts: "volunteers", measure: nil, isWholeNumber: true, example: "10"),
        ]
    }()

    /// The unit words this help knows, lowercased, with what each can mean: `分` is minutes or points and `m` minutes or
    /// months, so those two are worked out only for a key in one of their units.
    static let unitWords: [String: [Measure]] = {
        var words: [String: [Measure]] = [:]
        func add(_ measure: Measure, _ list: [String]) { for word in list { words[word, default: []].append(measure) } }
        add(.minutes, ["分钟", "分鐘", "分", "min", "mins", "minute", "minutes", "m"])
        add(.hours, ["h", "hr", "hrs", "hour", "hours", "小时", "个小时", "钟头", "个钟头", "钟", "时", "小時", "個小時", "鐘頭"])
        add(.days, ["d", "day", "days", "天", "日"])
        add(.weeks, ["w", "wk", "wks", "week", "weeks", "周", "週", "星期", "个星期", "個星期", "礼拜", "个礼拜", "禮拜"])
        add(.months, ["m", "mo", "mos", "month", "months", "月", "个月", "個月"])
        add(.years, ["y", "yr", "yrs", "year", "years", "年"])
        add(.points, ["分", "积分", "積分", "pt", "pts", "point", "points"])
        add(.yuan, ["元", "圆", "块", "块钱", "塊", "yuan", "cny", "rmb"])
        return words
    }()

    /// The help and notes for `number` followed by `unit` as the value of `key`; nil when the key has no unit.
    /// `isQuoted`: the value was written in quotes (`"30分钟"`), so the help says to drop them too. `words`: the value as
    /// written when its number was in words (`一周` is 1 and `周`), so the help shows how it was read and asks for digits.
    static func unitHelp(key: String, number: String, unit: String, isQuoted: Bool,
                         words: String? = nil) -> (help: [String], notes: [String])? {
        guard let keyUnit = keyUnits[key] else { return nil }
        let typed = unitWords[unit.lowercased()] ?? []
        let counts = keyUnit.counts
        let without = (words == nil ? "" : "in digits, ") + (isQuoted ? "without quotes or a unit" : "without a unit")
        if unit.isEmpty, let words {
            // 三十: a number in words and no unit.
            return numberWordsHelp(key: key, keyUnit: keyUnit, number: number, words: words, isQuoted: isQuoted)
        }
        // Help that names the key's unit and suggests no number; `why` follows "\"key\" is in minutes".
        func refused(_ why: String, fact: String? = nil, whole: Bool = false) -> (help: [String], notes: [String]) {
            let help = "write it in \(whole ? "whole " : "")\(counts) yourself, \(without)" + (fact.map { ": \($0)" } ?? "")
            return ([help], ["\"\(key)\" is in \(counts)" + why])
        }

        // The key's own unit (min_minutes = 30分钟), or a word after a count (low_stock = 10袋): the number alone. Written in
        // words (三天), it is worked out below like another unit, so the help shows how the words were read.
        guard let keyMeasure = keyUnit.measure, !typed.contains(keyMeasure) || (words != nil && typed.count == 1) else {
            if keyUnit.measure == nil, !typed.isEmpty {
                return refused(", and \"\(unit)\" is \(typed.map(\.name).joined(separator: " or ")), not \(counts)")
            }
            return (["write the number alone, \(without): \(key) = \(number)"],
                    ["\"\(key)\" is in \(counts): the key gives the unit, so the number is written without \"\(unit)\""])
        }
        guard let typedMeasure = typed.first else {
            return refused(", and \"\(unit)\" is not a unit this check can work out in \(counts)")
        }
        guard typed.count == 1 else {
            return refused(", and \"\(unit)\" could mean \(typed.map(\.name).joined(separator: " or "))")
        }
        // Both of time, in minutes or in months: a fixed conversion.
        let factors: (typed: Int, key: Int)
        if typedMeasure == keyMeasure {
            factors = (1, 1)
        } else if let typedMinutes = typedMeasure.minutes, let keyMinutes = keyMeasure.minutes {
            factors = (typedMinutes, keyMinutes)
        } else if let typedMonths = typedMeasure.months, let keyMonths = keyMeasure.months {
            factors = (typedMonths, keyMonths)
        } else if typedMeasure.months != nil, keyMeasure.minutes != nil, let span = typedMeasure.calendarSpan {
            // warn_days = 1个月: a month is no fixed number of days.
            return refused(", and a \(typedMeasure.singularName) is not a fixed number of \(keyMeasure.name)", fact: span)
        } else if keyMeasure.months != nil, typedMeasure.minutes != nil, let span = keyMeasure.calendarSpan {
            // after_months = 30天: nor is a number of days a fixed number of months.
            return refused(", and a \(keyMeasure.singularName) is not a fixed number of \(typedMeasure.name)", fact: span)
        } else {
            // price = 60元, min_minutes = 30积分: another measure altogether.
            return refused(", not \(typedMeasure.name)")
        }
        guard let value = ExactDecimal(number) else {
            return refused(", and \(number) cannot be worked out exactly")
        }
        let written = words ?? "\(number) \(unit)"
        let arithmetic: String
        let converted: ExactDecimal
        do throws(ExactDecimalError) {
            let product = try value.multiplied(by: ExactDecimal(factors.typed))
            converted = try product.divided(by: ExactDecimal(factors.key))
            let ratio = factors.typed >= factors.key ? factors.typed / factors.key : factors.key / factors.typed
            // 1 周 = 7 days, but 一周 = 1 × 7 = 7 days: the number the words were read as is shown.
            let steps = ratio == 1 ? ""
                : factors.typed >= factors.key ? (value == .one && words == nil ? "" : "\(value) × \(ratio) = ") : "\(value) ÷ \(ratio) = "
            arithmetic = "\(written) = \(steps)\(converted) \(converted == .one ? keyMeasure.singularName : keyMeasure.name)"
            // min_hours = 100分钟: 1.666… hours, which no decimal writes exactly.
            guard try converted.multiplied(by: ExactDecimal(factors.key)) == product else {
                return refused(", and \(written) = \(value) ÷ \(ratio) \(keyMeasure.name), which is not an exact decimal")
            }
        } catch {
            return refused(", and \(written) is too large to work out in \(counts)")
        }
        if keyUnit.isWholeNumber, converted.exactInteger == nil {
            // warn_days = 12小时: half a day.
            return refused(" and takes whole \(keyMeasure.name): \(arithmetic), which is not a whole number", whole: true)
        }
        if let allowed = keyUnit.allowed,
           converted < ExactDecimal(allowed.lowerBound) || ExactDecimal(allowed.upperBound) < converted {
            let range = allowed.upperBound == Int.max ? "\(allowed.lowerBound) or more" : "from \(allowed.lowerBound) to \(allowed.upperBound)"
            return (["write it in \(counts), \(without): a number \(range)"],
                    ["\"\(key)\" is in \(counts): \(arithmetic), but it must be \(range)"])
        }
        return (["write it in \(counts), \(without) (\(arithmetic)): \(key) = \(converted)"],
                ["\"\(key)\" is in \(counts), and a number in this file is written " + (words == nil ? "without a unit" : "in digits (0-9), without a unit")])
    }

    /// The help for a number in words without a unit (`top = 十`, `min_minutes = 三十`): the same number in digits.
    private static func numberWordsHelp(key: String, keyUnit: KeyUnit, number: String, words: String,
                                        isQuoted: Bool) -> (help: [String], notes: [String]) {
        let how = isQuoted ? "in digits, without quotes" : "in digits"
        let read = "\(words) = \(number)"
        if keyUnit.isWholeNumber, ExactDecimal(number)?.exactInteger == nil {
            return (["write it in whole \(keyUnit.counts) yourself, \(how)"], ["\"\(key)\" takes whole \(keyUnit.counts), and \(read)"])
        }
        if let allowed = keyUnit.allowed, let value = ExactDecimal(number),
           value < ExactDecimal(allowed.lowerBound) || ExactDecimal(allowed.upperBound) < value {
            let range = allowed.upperBound == Int.max ? "\(allowed.lowerBound) or more" : "from \(allowed.lowerBound) to \(allowed.upperBound)"
            return (["write it in \(keyUnit.counts), \(how): a number \(range)"], ["\"\(key)\" is in \(keyUnit.counts): \(read), but it must be \(range)"])
        }
        return (["write the number \(how) (\(read)): \(key) = \(number)"], ["\"\(key)\" is in \(keyUnit.counts), and a number in this file is written in digits (0-9)"])
    }

    /// The help and notes for a number with a unit written in quotes (`min_minutes = "30分钟"`, full-width digits too):
    /// the same as without the quotes; nil when the text is not a number and a unit, or the key has no unit.
    static func quotedUnitHelp(key: String, text: String) -> (help: [String], notes: [String])? {
        let trimmed = String(String.UnicodeScalarView(
            text.unicodeScalars.drop(while: \.properties.isWhitespace).reversed().drop(while: \.properties.isWhitespace).reversed()))
        // "一周", "半小时", "2天半": a number in words.
        if let (number, unit) = numberInWords(trimmed) {
            return unitHelp(key: key, number: number.description, unit: unit, isQuoted: true, words: trimmed)
        }
        let word = Array((halfWidthDigits(Array(trimmed.utf8)) ?? trimmed).utf8)
        guard let (number, unit, _) = TOMLScalarReader.unitAfterNumber(word) else { return nil }
        return unitHelp(key: key, number: number, unit: unit, isQuoted: true)
    }
}
