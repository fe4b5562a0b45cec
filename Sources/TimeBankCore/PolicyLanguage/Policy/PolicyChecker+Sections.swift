/// `[policy]` as read, before the policy is assembled.
struct PolicyHeaderValues {
    var id: String
    var name: String
    var version: String
    var effective: LocalDate
    var timezone: String
    var unit: String
}

/// `[earning]` as read; `combineMultipliers` is nil when not written.
struct PolicyEarningValues {
    var rounding: ExactDecimal.RoundingMode
    var step: ExactDecimal
    var minMinutes: Int
    var maxMinutesPerRecord: Int
    var requireVerifier: Bool
    var autoAcceptAfterDays: Int?
    var combineMultipliers: PolicyMultiplierCombination?
}

/// `[caps]` as read, with where each cap is written.
struct PolicyCapsValues {
    var caps = PolicyCaps(daily: nil, weekly: nil, monthly: nil, yearly: nil)
    var ranges: [PolicyPeriod: SourceRange] = [:]
}

/// A multiplier with where its factor is written.
struct PolicyMultiplierValues {
    var multiplier: PolicyMultiplier
}

/// A bonus with where its points are written.
struct PolicyBonusValues {
    var bonus: PolicyBonus
    var pointsRange: SourceRange
}

/// A catalog item with where its price is written.
struct PolicyCatalogItemValues {
    var item: PolicyCatalogItem
    var priceRange: SourceRange
    var unitCostRange: SourceRange?
}

/// The readers of the sections of `docs/policy.md`, one function per section.
extension PolicyChecker {
    // MARK: [policy]

    static let headerKeys = ["id", "name", "version", "effective", "timezone", "unit"]
    static let headerAliases = [
        "effective_date": "effective", "effective_from": "effective", "start": "effective", "title": "name",
        "tz": "timezone", "time_zone": "timezone", "unit_name": "unit", "points_name": "unit",
    ]
    /// Other ways of naming a period, for "did you mean".
    static let periodAliases = [
        "daily": "day", "weekly": "week", "monthly": "month", "quarterly": "quarter", "yearly": "year",
        "annual": "year", "annually": "year", "every_year": "year", "every_month": "month",
        // The words an admin writes in Chinese (simplified and traditional).
        "日": "day", "天": "day", "每日": "day", "每天": "day", "周": "week", "週": "week", "星期": "week", "每周": "week",
        "每週": "week", "月": "month", "每月": "month", "个月": "month", "個月": "month", "季": "quarter", "季度": "quarter",
        "每季": "quarter", "每季度": "quarter", "年": "year", "每年": "year", "年度": "year",
    ]

    /// Chinese words for who holds an account (`earn_to`, a grant's `to`).
    static let holderAliases = [
        "volunteers": "volunteer", "households": "household", "family": "household",
        "户": "household", "戶": "household", "家庭": "household", "家": "household", "每户": "household", "每戶": "household",
        "志愿者": "volunteer", "志願者": "volunteer", "个人": "volunteer", "個人": "volunteer", "每人": "volunteer",
    ]

    /// - Parameter isWritten: whether the file has a `policy` key at all (one of the wrong type was reported already).
    mutating func readHeader(_ section: PolicySection?, isWritten: Bool) -> PolicyHeaderValues? {
        guard let section else {
            if !tomlHadErrors, !isWritten, !suggestedKeys.contains(".policy") {
                report(PolicyDiagnostics.missingSection("policy", example: "[policy] with id = \"taibaihu\", version = 1 and effective = 2026-10-01",
                                                        range: fileStart))
            }
            return nil
        }
        checkKeys(section, allowed: Self.headerKeys, aliases: Self.headerAliases)
        requireKey("id", in: section, example: "id = \"taibaihu-time-bank\"")
        requireKey("version", in: section, example: "version = 1")
        requireKey("effective", in: section, example: "effective = 2026-10-01")
        var id = string(section, "id")
        if let located = id {
            // id = "望江愛心": the Chinese title belongs in `name`.
            let isASCII = located.value.unicodeScalars.allSatisfy(\.isASCII)
            let help = isASCII ? [] : ["use a short English id such as id = \"community-points\", and put the Chinese title in name = "
                + ExpressionValue.quoted(located.value) + (section.table["name"] == nil ? "" : " (or keep the name you have)")]
            if !validID(located, kind: "a policy", help: help) { id = nil }
        }
        let version = readVersion(section)
        let effective = date(section, "effective")
        let name = shortText(section, "name", limit: 200)
        var timezone = string(section, "timezone")
        if let located = timezone, !PolicyChecker.isTimeZone(located.value) {
            report(PolicyDiagnostics.outOfRange(
                "\"timezone\" must be a time zone name such as \"Asia/Shanghai\" or an offset such as \"+08:00\", not \(ExpressionValue.quoted(located.value))",
                range: located.range, help: ["all of China uses timezone = \"Asia/Shanghai\""]))
            timezone = nil
        } else if let located = timezone, let known = timeZones, !TimeZoneNames.isFixedOffset(located.value), !known.isKnown(located.value) {
            let nearest = Spelling.nearest(to: located.value, among: known.suggestions)
            report(PolicyDiagnostics.outOfRange(
                "\"timezone\" is \(ExpressionValue.quoted(located.value)), a name this system's time zone database does not know",
                range: located.range,
                help: [nearest.map { "did you mean \(ExpressionValue.quoted($0))?" }
                       ?? "write a name such as \"Asia/Shanghai\" (all of China) or an offset such as \"+08:00\""]))
            timezone = nil
        }
        let unit = shortText(section, "unit", limit: 16)
        guard let id, let version, let effective else { return nil }
        return PolicyHeaderValues(id: id.value, name: name?.value ?? id.value, version: version, effective: effective.value,
                                  timezone: timezone?.value ?? "Asia/Shanghai", unit: unit?.value ?? "积分")
    }

    /// `version`: text or a whole number, kept as text.
    mutating func readVersion(_ section: PolicySection) -> String? {
        guard let value = section.table["version"] else { return nil }
        switch value.kind {
        case .integer(let integer):
            return String(integer.value)
        case .string(let text):
            guard !text.value.isEmpty, text.value.unicodeScalars.count <= 64,
                  !text.value.unicodeScalars.contains(where: \.isControl) else {
                report(PolicyDiagnostics.outOfRange("\"version\" must be 1 to 64 characters on one line", range: value.range))
                return nil
            }
            return text.value
        default:
            report(PolicyDiagnostics.wrongType("version", expected: "a whole number or text", found: value.kindDescription, range: value.range,
                                               help: ["write for example: version = 3, or version = \"2026-10\""]))
            return nil
        }
    }

    /// A non-empty string of at most `limit` characters without line breaks.
    mutating func shortText(_ section: PolicySection, _ key: String, limit: Int) -> Located<String>? {
        guard let located = string(section, key) else { return nil }
        let scalars = located.value.unicodeScalars
        guard !scalars.isEmpty, scalars.count <= limit, !scalars.contains(where: \.isControl) else {
            report(PolicyDiagnostics.outOfRange("\(ExpressionValue.quoted(key)) must be 1 to \(limit) characters on one line", range: located.range))
            return nil
        }
        return located
    }

    /// Whether `text` looks like an IANA time zone name (`Asia/Shanghai`), `UTC`, or an offset (`+08:00`).
    static func isTimeZone(_ text: String) -> Bool {
        if TimeZoneNames.isFixedOffset(text) { return true }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 2, text.count <= 64 else { return false }
        return parts.allSatisfy { part in
            guard let first = part.unicodeScalars.first, ("A"..."Z").contains(first) else { return false }
            return part.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "_+-".unicodeScalars.contains($0) }
        }
    }

    /// Reports an id that is not 1 to 64 ASCII letters, digits, `_` or `-` starting with a letter.
    mutating func validID(_ id: Located<String>, kind: String, help: [String]) -> Bool {
        let scalars = id.value.unicodeScalars
        let isValid = !scalars.isEmpty && scalars.count <= 64
            && scalars.first.map { ("a"..."z").contains($0) || ("A"..."Z").contains($0) } == true
            && scalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" }
        if !isValid { report(PolicyDiagnostics.invalidID(id.value, kind: kind, range: id.range, help: help)) }
        return isValid
    }

    /// `validID` for the id of a `[section.ID]` table, with help that names the label.
    mutating func validSectionID(_ id: Located<String>, section: String, kind: String) -> Bool {
        let isASCII = id.value.unicodeScalars.allSatisfy(\.isASCII)
        let help = isASCII ? [] : ["use a short English id and put the Chinese name in its label: label = \(ExpressionValue.quoted(id.value))"]
        return validID(id, kind: kind, help: help)
    }

    /// The label of an item, defaulting to its id.
    mutating func readLabel(_ section: PolicySection, default id: String) -> String {
        shortText(section, "label", limit: 200)?.value ?? id
    }

    // MARK: [earning]

    static let earningKeys = ["rounding", "step", "min_minutes", "max_minutes_per_record", "require_verifier", "auto_accept_after_days", "combine_multipliers"]
    static let roundingWords: [(String, ExactDecimal.RoundingMode)] = [("floor", .floor), ("ceil", .ceil), ("half_up", .halfUp), ("half_even", .halfEven)]

    mutating func readEarning(_ section: PolicySection?) -> PolicyEarningValues? {
        var values = PolicyEarningValues(rounding: .halfEven, step: ExactDecimal(hundredths: 1), minMinutes: 0, maxMinutesPerRecord: 720,
                                         requireVerifier: true, autoAcceptAfterDays: nil, combineMultipliers: nil)
        guard let section else { return values }
        checkKeys(section, allowed: Self.earningKeys, aliases: [
            "round": "rounding", "rounding_mode": "rounding", "granularity": "step", "minimum_minutes": "min_minutes",
            "max_minutes": "max_minutes_per_record", "verifier": "require_verifier", "combine": "combine_multipliers",
            "multipliers": "combine_multipliers",
        ])
        let before = errorCount
        if let rounding = choice(section, "rounding", among: Self.roundingWords.map { PolicyWord(rawValue: $0.0) },
                                 aliases: ["half-up": "half_up", "round": "half_up", "nearest": "half_even", "bankers": "half_even",
                                           "down": "floor", "truncate": "floor", "up": "ceil", "ceiling": "ceil",
                                           "四舍五入": "half_up", "四舍六入": "half_even", "四舍六入五成双": "half_even", "银行家舍入": "half_even",
                                           "向下取整": "floor", "去尾": "floor", "去尾法": "floor", "舍去": "floor",
                                           "向上取整": "ceil", "进一": "ceil", "进一法": "ceil",
                                           // The same words in traditional script (繁體).
                                           "四捨五入": "half_up", "四捨六入": "half_even", "四捨六入五成雙": "half_even",
                                           "銀行家舍入": "half_even", "銀行家捨入": "half_even", "捨去": "floor", "進一": "ceil",
                                           "進一法": "ceil"]) {
            values.rounding = Self.roundingWords.first { $0.0 == rounding.value.rawValue }?.1 ?? .halfEven
        }
        if let step = checkedDecimal(section, "step", rule: "must be more than 0", wholeHundredths: true, { $0 > .zero }) {
            values.step = step.value
        }
        if let minimum = checkedInteger(section, "min_minutes", in: 0...1440) { values.minMinutes = minimum.value }
        if let maximum = checkedInteger(section, "max_minutes_per_record", in: 1...1440) { values.maxMinutesPerRecord = maximum.value }
        if let verifier = boolean(section, "require_verifier") { values.requireVerifier = verifier.value }
        if let days = checkedInteger(section, "auto_accept_after_days", in: 0...365) { values.autoAcceptAfterDays = days.value }
        if let combination = choice(section, "combine_multipliers", among: PolicyMultiplierCombination.allCases,
                                    aliases: ["maximum": "max", "largest": "max", "multiply": "product", "add": "sum", "plus": "sum",
                                              "最大": "max", "取最大": "max", "最大值": "max", "相乘": "product", "乘积": "product",
                                              "连乘": "product", "相加": "sum", "求和": "sum", "累加": "sum",
                                              "乘積": "product", "連乘": "product"]) {
            values.combineMultipliers = combination.value
        }
        if values.minMinutes > values.maxMinutesPerRecord, let range = section.table["min_minutes"]?.range {
            // Where the other value comes from: its line, or the default.
            let maximumNote = section.table["max_minutes_per_record"].map { "\"max_minutes_per_record\" is set on line \($0.range.start.line)" }
                ?? "\"max_minutes_per_record\" is not written, so it is the default, \(values.maxMinutesPerRecord)"
            report(PolicyDiagnostics.conflictingKeys(
                "\"min_minutes\" (\(values.minMinutes)) is more than \"max_minutes_per_record\" (\(values.maxMinutesPerRecord)), so no service "
                    + "could ever earn points",
                range: range, help: ["a record must last at least min_minutes and counts at most max_minutes_per_record; make the minimum the smaller one"],
                notes: [maximumNote]))
        }
        return errorCount == before ? values : nil
    }

    // MARK: [categories.ID]

    static let categoryKeys = ["label", "points_per_hour", "daily_cap", "monthly_cap"]

    mutating func readCategory(_ id: Located<String>, _ section: PolicySection) -> PolicyCategory? {
        let before = errorCount
        _ = validSectionID(id, section: "categories", kind: "a category")
        checkKeys(section, allowed: Self.categoryKeys, aliases: [
            "rate": "points_per_hour", "points": "points_per_hour", "points_per_hours": "points_per_hour", "hourly_points": "points_per_hour",
            "name": "label", "title": "label", "day_cap": "daily_cap", "month_cap": "monthly_cap",
        ])
        requireKey("points_per_hour", in: section, example: "points_per_hour = 10")
        let label = readLabel(section, default: id.value)
        let rate = checkedDecimal(section, "points_per_hour", rule: "must be 0 or more") { !$0.isNegative }
        let dailyCap = checkedDecimal(section, "daily_cap", rule: "must be 0 or more", wholeHundredths: true) { !$0.isNegative }
        let monthlyCap = checkedDecimal(section, "monthly_cap", rule: "must be 0 or more", wholeHundredths: true) { !$0.isNegative }
        // A monthly cap of 0 is P123, which says more than P115 would.
        if let dailyCap, let monthlyCap, monthlyCap.value < dailyCap.value, !monthlyCap.value.isZero {
            report(PolicyDiagnostics.capsOutOfOrder(longer: .month, longerPoints: monthlyCap.value, shorter: .day,
                                                    shorterPoints: dailyCap.value, acrossBoundaryOnly: false, range: monthlyCap.range))
        }
        guard let rate, errorCount == before else { return nil }
        return PolicyCategory(id: id.value, label: label, pointsPerHour: rate.value, dailyCap: dailyCap?.value,
                              monthlyCap: monthlyCap?.value, range: section.range)
    }

    // MARK: [indicators.ID]

    static let indicatorKeys = ["label", "dimension", "points", "per"]

    mutating func readIndicator(_ id: Located<String>, _ section: PolicySection) -> PolicyIndicator? {
        let before = errorCount
        _ = validSectionID(id, section: "indicators", kind: "an indicator")
        checkKeys(section, allowed: Self.indicatorKeys, aliases: [
            "name": "label", "title": "label", "score": "points", "period": "per", "every": "per", "group": "dimension", "category": "dimension",
        ])
        requireKey("points", in: section, example: "points = 5   # or -5 for a deduction")
        let label = readLabel(section, default: id.value)
        let dimension = shortText(section, "dimension", limit: 200)?.value ?? ""
        let points = checkedDecimal(section, "points", rule: "must not be 0 (write a negative number for a deduction)", wholeHundredths: true) { !$0.isZero }
        let per = choice(section, "per", among: [PolicyPeriod.month, .quarter, .year],
                         aliases: Self.periodAliases)
        guard let points, errorCount == before else { return nil }
        return PolicyIndicator(id: id.value, label: label, dimension: dimension, points: points.value, per: per?.value ?? .month,
                               range: section.range)
    }

    // MARK: [multipliers.ID], [bonuses.ID], [penalties.ID]

    static let multiplierKeys = ["label", "factor", "when", "categories"]
    static let bonusKeys = ["label", "points", "when", "once", "categories"]
    static let penaltyKeys = ["label", "points", "when", "categories"]
    static let ruleAliases = ["if": "when", "condition": "when", "where": "when", "multiplier": "factor", "rate": "factor",
                              "category": "categories", "name": "label", "title": "label", "only_once": "once", "score": "points"]

    mutating func readMultiplier(_ id: Located<String>, _ section: PolicySection, _ context: PolicyReadContext) -> PolicyMultiplierValues? {
        let before = errorCount
        _ = validSectionID(id, section: "multipliers", kind: "a multiplier")
        checkKeys(section, allowed: Self.multiplierKeys, aliases: Self.ruleAliases)
        requireKey("factor", in: section, example: "factor = 1.5")
        if section.table["when"] == nil, section.table["categories"] == nil, !tomlHadErrors,
           !suggestedKeys.contains(section.name + ".when"), !suggestedKeys.contains(section.name + ".categories") {
            // A factor computed per record (a satisfaction factor) is usually meant for every record: say how to write that.
            let example = section.table["factor"]?.string != nil
                ? "when = 'true' (the factor then acts on every record; or categories = [...] for some categories)"
                : "when = 'record.weekday in [\"sat\", \"sun\"]' (or when = 'true' for every record)"
            report(PolicyDiagnostics.missingKey("when", in: section.name, example: example, range: section.range))
        }
        let label = readLabel(section, default: id.value)
        let factor = amount(section, "factor", schema: context.schema, rule: "must be more than 0", wholeHundredths: false) { $0 > .zero }
        let condition = condition(section, context)
        guard let factor, let condition, errorCount == before else { return nil }
        return PolicyMultiplierValues(multiplier: PolicyMultiplier(id: id.value, label: label, factor: factor.value, condition: condition, range: section.range))
    }

    mutating func readBonus(_ id: Located<String>, _ section: PolicySection, _ context: PolicyReadContext) -> PolicyBonusValues? {
        let before = errorCount
        _ = validSectionID(id, section: "bonuses", kind: "a bonus")
        checkKeys(section, allowed: Self.bonusKeys, aliases: Self.ruleAliases)
        requireKey("points", in: section, example: "points = 5")
        let label = readLabel(section, default: id.value)
        let points = amount(section, "points", schema: context.schema, rule: "must be more than 0 (a deduction is a penalty)", wholeHundredths: true) { $0 > .zero }
        let once = boolean(section, "once")
        let condition = condition(section, context)
        guard let points, let condition, errorCount == before else { return nil }
        return PolicyBonusValues(bonus: PolicyBonus(id: id.value, label: label, points: points.value, condition: condition,
                                                    once: once?.value ?? false, range: section.range),
                                 pointsRange: points.range)
    }

    mutating func readPenalty(_ id: Located<String>, _ section: PolicySection, _ context: PolicyReadContext) -> PolicyPenalty? {
        let before = errorCount
        _ = validSectionID(id, section: "penalties", kind: "a penalty")
        checkKeys(section, allowed: Self.penaltyKeys, aliases: Self.ruleAliases)
        requireKey("points", in: section, example: "points = -5")
        requireKey("when", in: section, example: "when = 'record.tags.contains(\"no_show\")'")
        let label = readLabel(section, default: id.value)
        let points = amount(section, "points", schema: context.schema, rule: "must be below 0 (write a deduction as -5)", wholeHundredths: true) { $0.isNegative }
        let condition = condition(section, context)
        guard let points, let condition, errorCount == before else { return nil }
        return PolicyPenalty(id: id.value, label: label, points: points.value, condition: condition, range: section.range)
    }

    /// `categories = [...]` and `when = '...'` of a rule; nil when either has an error.
    mutating func condition(_ section: PolicySection, _ context: PolicyReadContext) -> PolicyCondition? {
        let before = errorCount
        let categories = categoryList(section, context)
        var when: CompiledExpression?
        if section.table["when"] != nil {
            when = expression(section, "when", expecting: .bool, schema: context.schema)
            if let when { checkCanMatch(when) }
        }
        guard errorCount == before else { return nil }
        return PolicyCondition(categories: categories, when: when)
    }

    /// `categories = ["orange", ...]`: declared category ids, each once.
    mutating func categoryList(_ section: PolicySection, _ context: PolicyReadContext) -> [String]? {
        guard let value = section.table["categories"] else { return nil }
        guard let array = value.array, !array.isArrayOfTables else {
            var help = ["write a list such as: categories = [\"orange\", \"green\"]"]
            if let text = value.string { help = ["write it as a list: categories = [\(ExpressionValue.quoted(text))]"] }
            report(PolicyDiagnostics.wrongType("categories", expected: "a list of category ids", found: value.kindDescription, range: value.range, help: help))
            return nil
        }
        if array.elements.isEmpty {
            report(PolicyDiagnostics.neverMatches("\"categories\" is empty, so this rule never applies", range: value.range,
                                                  help: ["list the categories it applies to, or remove the key to apply it to every category"]))
            return nil
        }
        var ids: [String] = []
        var firstLines: [String: SourceLocation] = [:]
        for element in array.elements {
            guard let id = element.string else {
                report(PolicyDiagnostics.wrongType("categories", expected: "a list of category ids in quotes", found: "a list holding \(element.kindDescription)",
                                                   range: element.range))
                continue
            }
            guard context.categoryIDs.contains(id) else {
                // categories = ["紫色便民"]: a label where its id belongs.
                if let labelled = context.schema.categoryID(labelled: id) {
                    report(PolicyDiagnostics.unknownReference(kind: "category", name: id, suggestion: labelled, label: id,
                                                              declared: context.categoryIDs, range: element.range))
                    continue
                }
                let suggestion = ExpressionSpelling.suggestion(for: id, among: context.categoryIDs)
                report(PolicyDiagnostics.unknownReference(kind: "category", name: id, suggestion: suggestion, declared: context.categoryIDs, range: element.range))
                continue
            }
            if let line = firstLines[id] {
                report(PolicyDiagnostics.duplicateListItem(ExpressionValue.quoted(id), key: "categories", firstLine: line, range: element.range))
                continue
            }
            firstLines[id] = element.range.start
            ids.append(id)
        }
        return ids
    }

    // MARK: [caps]

    static let capKeys = ["daily", "weekly", "monthly", "yearly"]

    mutating func readCaps(_ section: PolicySection?) -> PolicyCapsValues {
        var values = PolicyCapsValues()
        guard let section else { return values }
        checkKeys(section, allowed: Self.capKeys, aliases: [
            "day": "daily", "per_day": "daily", "daily_cap": "daily", "week": "weekly", "per_week": "weekly", "weekly_cap": "weekly",
            "month": "monthly", "per_month": "monthly", "monthly_cap": "monthly", "year": "yearly", "per_year": "yearly",
            "annual": "yearly", "yearly_cap": "yearly",
        ])
        for (key, period) in zip(Self.capKeys, [PolicyPeriod.day, .week, .month, .year]) {
            guard let cap = checkedDecimal(section, key, rule: "must be 0 or more", wholeHundredths: true, { !$0.isNegative }) else { continue }
            values.ranges[period] = cap.range
            switch period {
            case .day: values.caps.daily = cap.value
            case .week: values.caps.weekly = cap.value
            case .month: values.caps.monthly = cap.value
            default: values.caps.yearly = cap.value
            }
        }
        return values
    }

    // MARK: [grants.ID]

    static let grantKeys = ["label", "points", "every", "to"]

    mutating func readGrant(_ id: Located<String>, _ section: PolicySection, defaultHolder: PolicyAccountHolder?) -> PolicyGrant? {
        let before = errorCount
        _ = validSectionID(id, section: "grants", kind: "a grant")
        checkKeys(section, allowed: Self.grantKeys, aliases: ["per": "every", "period": "every", "name": "label", "for": "to", "recipient": "to"])
        requireKey("points", in: section, example: "points = 100")
        let label = readLabel(section, default: id.value)
        let points = checkedDecimal(section, "points", rule: "must be more than 0", wholeHundredths: true) { $0 > .zero }
        let every = choice(section, "every", among: [PolicyPeriod.month, .quarter, .year],
                           aliases: Self.periodAliases)
        let holder = choice(section, "to", among: PolicyAccountHolder.allCases, aliases: Self.holderAliases)
        guard let points, errorCount == before else { return nil }
        return PolicyGrant(id: id.value, label: label, points: points.value, every: every?.value ?? .year,
                           to: holder?.value ?? defaultHolder ?? .volunteer, range: section.range)
    }

    // MARK: [accounts], [transfers], [expiry]

    mutating func readAccounts(_ section: PolicySection?) -> PolicyAccounts? {
        var accounts = PolicyAccounts(earnTo: .volunteer, balanceFloor: .zero)
        guard let section else { return accounts }
        let before = errorCount
        checkKeys(section, allowed: ["earn_to", "balance_floor"], aliases: ["floor": "balance_floor", "minimum_balance": "balance_floor", "earn": "earn_to"])
        if let holder = choice(section, "earn_to", among: PolicyAccountHolder.allCases, aliases: Self.holderAliases) {
            accounts.earnTo = holder.value
        }
        if let floor = checkedDecimal(section, "balance_floor", rule: "must be 0 or more (a volunteer's or household's balance never goes below 0)",
                                      wholeHundredths: true, { !$0.isNegative }) {
            accounts.balanceFloor = floor.value
        }
        return errorCount == before ? accounts : nil
    }

    mutating func readTransfers(_ section: PolicySection?) -> PolicyTransfers? {
        var transfers = PolicyTransfers(enabled: false, maxPointsPerMonth: nil)
        guard let section else { return transfers }
        let before = errorCount
        checkKeys(section, allowed: ["enabled", "max_points_per_month"], aliases: [
            "enable": "enabled", "allowed": "enabled", "max_per_month": "max_points_per_month", "monthly_max": "max_points_per_month",
        ])
        if let enabled = boolean(section, "enabled") { transfers.enabled = enabled.value }
        if let maximum = checkedDecimal(section, "max_points_per_month", rule: "must be 0 or more", wholeHundredths: true, { !$0.isNegative }) {
            transfers.maxPointsPerMonth = maximum.value
        }
        return errorCount == before ? transfers : nil
    }

    mutating func readExpiry(_ section: PolicySection?) -> PolicyExpiry? {
        var expiry = PolicyExpiry(rule: .never, warnDays: 30)
        guard let section else { return expiry }
        let before = errorCount
        checkKeys(section, allowed: ["after_months", "end_of_year", "warn_days"], aliases: [
            "months": "after_months", "expire_after_months": "after_months", "year_end": "end_of_year", "warning_days": "warn_days", "warn": "warn_days",
        ])
        let months = checkedInteger(section, "after_months", in: 1...120)
        let endOfYear = boolean(section, "end_of_year")
        if let days = checkedInteger(section, "warn_days", in: 0...365) { expiry.warnDays = days.value }
        if let months, endOfYear?.value == true, let range = section.table["end_of_year"]?.range {
            report(PolicyDiagnostics.conflictingKeys(
                "points cannot expire both \(months.value) months after they are earned and at the end of the year", range: range,
                help: ["keep one of \"after_months\" and \"end_of_year\""]))
        } else if let months {
            expiry.rule = .afterMonths(months.value)
        } else if endOfYear?.value == true {
            expiry.rule = .endOfYear
        }
        return errorCount == before ? expiry : nil
    }

    // MARK: [levels.ID]

    mutating func readLevels(_ entries: [(id: Located<String>, section: PolicySection)]) -> [PolicyLevel] {
        var levels: [PolicyLevel] = []
        var previous: (level: PolicyLevel, range: SourceRange)?
        for (id, section) in entries {
            let before = errorCount
            _ = validSectionID(id, section: "levels", kind: "a level")
            checkKeys(section, allowed: ["label", "min_hours", "min_points"], aliases: [
                "hours": "min_hours", "minimum_hours": "min_hours", "points": "min_points", "minimum_points": "min_points", "name": "label",
            ])
            let label = readLabel(section, default: id.value)
            let hours = checkedDecimal(section, "min_hours", rule: "must be 0 or more") { !$0.isNegative }
            let points = checkedDecimal(section, "min_points", rule: "must be 0 or more", wholeHundredths: true) { !$0.isNegative }
            var threshold: (PolicyLevel.Threshold, SourceRange)?
            if hours != nil, let points {
                report(PolicyDiagnostics.conflictingKeys("a level is reached by hours or by points, not both", range: points.range,
                                                         help: ["keep one of \"min_hours\" and \"min_points\""]))
            } else if let hours {
                threshold = (.hours(hours.value), hours.range)
            } else if let points {
                threshold = (.points(points.value), points.range)
            } else if errorCount == before, !tomlHadErrors, !suggestedKeys.contains(section.name + ".min_hours"),
                      !suggestedKeys.contains(section.name + ".min_points") {
                report(PolicyDiagnostics.missingKey("min_hours", in: section.name, example: "min_hours = 50   # or min_points = 500", range: section.range))
            }
            guard let (value, range) = threshold, errorCount == before else { continue }
            let level = PolicyLevel(id: id.value, label: label, threshold: value, range: section.range)
            if let previous {
                switch (previous.level.threshold, value) {
                case (.hours(let low), .hours(let high)) where high <= low,
                     (.points(let low), .points(let high)) where high <= low:
                    report(PolicyDiagnostics.levelsOutOfOrder(
                        "level \(ExpressionValue.quoted(id.value)) needs \(high) \(value.measure), but the level before it, \(ExpressionValue.quoted(previous.level.id)), needs \(low)",
                        range: range, help: ["list levels from the lowest to the highest, each needing more than the one before"]))
                case (.hours, .points), (.points, .hours):
                    report(PolicyDiagnostics.levelsOutOfOrder(
                        "level \(ExpressionValue.quoted(id.value)) is reached by \(value.measure), but \(ExpressionValue.quoted(previous.level.id)) by \(previous.level.threshold.measure)",
                        range: range, help: ["reach every level the same way: all by min_hours or all by min_points"]))
                default:
                    break
                }
            }
            previous = (level, range)
            levels.append(level)
        }
        return levels
    }

    // MARK: [ranking]

    mutating func readRanking(_ section: PolicySection?) -> PolicyRanking? {
        guard let section else { return nil }
        checkKeys(section, allowed: ["period", "top", "by"], aliases: ["per": "period", "every": "period", "top_n": "top", "count": "top", "measure": "by"])
        let period = choice(section, "period", among: [PolicyPeriod.week, .month, .quarter, .year],
                            aliases: Self.periodAliases)
        let top = checkedInteger(section, "top", in: 1...1000)
        let measure = choice(section, "by", among: PolicyRanking.Measure.allCases, aliases: [
            "point": "points", "hour": "hours", "积分": "points", "積分": "points", "分数": "points", "分數": "points",
            "时长": "hours", "時長": "hours", "小时": "hours", "小時": "hours", "服务时长": "hours", "服務時長": "hours",
        ])
        return PolicyRanking(period: period?.value ?? .month, top: top?.value ?? 10, by: measure?.value ?? .points)
    }

    // MARK: [catalog.ID]

    static let catalogKeys = ["label", "kind", "group", "price", "unit_cost", "limit", "eligible", "capacity_per_day", "low_stock"]

    mutating func readCatalogItem(_ id: Located<String>, _ section: PolicySection, _ context: PolicyReadContext) -> PolicyCatalogItemValues? {
        let before = errorCount
        _ = validSectionID(id, section: "catalog", kind: "a catalog item")
        checkKeys(section, allowed: Self.catalogKeys, aliases: [
            "name": "label", "type": "kind", "category": "group", "points": "price", "cost": "unit_cost", "when": "eligible",
            "capacity": "capacity_per_day", "daily_capacity": "capacity_per_day", "limits": "limit",
            "reorder_level": "low_stock", "reorder_point": "low_stock", "low_stock_level": "low_stock", "minimum_stock": "low_stock",
            "min_stock": "low_stock",
        ])
        requireKey("kind", in: section, example: "kind = \"goods\"   # or \"service\"")
        requireKey("price", in: section, example: "price = 10")
        let label = readLabel(section, default: id.value)
        let kind = choice(section, "kind", among: PolicyCatalogItem.Kind.allCases, aliases: [
            "good": "goods", "item": "goods", "services": "service", "商品": "goods", "物品": "goods", "实物": "goods", "實物": "goods",
            "货物": "goods", "貨物": "goods", "服务": "service", "服務": "service",
        ])
        let group = shortText(section, "group", limit: 100)?.value ?? ""
        let price = checkedDecimal(section, "price", rule: "must be more than 0", wholeHundredths: true) { $0 > .zero }
        let unitCost = checkedDecimal(section, "unit_cost", rule: "must be 0 or more", wholeHundredths: true) { !$0.isNegative }
        let limit = readLimit(section)
        var eligible: CompiledExpression?
        if section.table["eligible"] != nil {
            eligible = expression(section, "eligible", expecting: .bool, schema: context.counterSchema)
            if let eligible { checkCanMatch(eligible) }
        }
        let capacity = checkedInteger(section, "capacity_per_day", in: 1...100_000)
        if let capacity, kind?.value == .goods {
            report(PolicyDiagnostics.conflictingKeys("\"capacity_per_day\" is for services; goods are limited by the stock of each station",
                                                     range: capacity.range, help: ["remove it, or set kind = \"service\""]))
        }
        let lowStock = checkedInteger(section, "low_stock", in: 0...1_000_000)
        if let lowStock, kind?.value == .service {
            report(PolicyDiagnostics.conflictingKeys("\"low_stock\" is for goods; a service has no stock, only \"capacity_per_day\"",
                                                     range: lowStock.range, help: ["remove it, or set kind = \"goods\""]))
        }
        guard let kind, let price, errorCount == before else { return nil }
        return PolicyCatalogItemValues(
            item: PolicyCatalogItem(id: id.value, label: label, kind: kind.value, group: group, price: price.value, unitCost: unitCost?.value,
                                    limit: limit, eligible: eligible, capacityPerDay: capacity?.value, lowStock: lowStock?.value,
                                    range: section.range),
            priceRange: price.range, unitCostRange: unitCost?.range)
    }

    /// `limit = { count = 1, per = "month" }`.
    mutating func readLimit(_ parent: PolicySection) -> PolicyCatalogItem.Limit? {
        if let value = parent.table["limit"], value.table == nil {
            report(PolicyDiagnostics.wrongType("limit", expected: "a count per period", found: value.kindDescription, range: value.range,
                                               help: ["write for example: limit = { count = 1, per = \"month\" }"]))
            return nil
        }
        guard let section = subsection(parent, "limit") else { return nil }
        checkKeys(section, allowed: ["count", "per"], aliases: ["times": "count", "max": "count", "period": "per", "every": "per"])
        requireKey("count", in: section, example: "limit = { count = 1, per = \"month\" }")
        requireKey("per", in: section, example: "limit = { count = 1, per = \"month\" }")
        let count = checkedInteger(section, "count", in: 1...10_000)
        let per = choice(section, "per", among: PolicyPeriod.allCases,
                         aliases: Self.periodAliases)
        guard let count, let per else { return nil }
        return PolicyCatalogItem.Limit(count: count.value, per: per.value)
    }

    // MARK: [fund], [calendar]

    mutating func readFund(_ section: PolicySection?) -> PolicyFund? {
        var fund = PolicyFund(currency: "CNY", merchantRate: .zero, pointValue: .zero)
        guard let section else { return fund }
        let before = errorCount
        checkKeys(section, allowed: ["currency", "merchant_rate", "point_value"], aliases: [
            "rate": "merchant_rate", "merchant_share": "merchant_rate", "value": "point_value", "cny_per_point": "point_value",
        ])
        if let currency = choice(section, "currency", among: [PolicyWord(rawValue: "CNY")], aliases: ["cny": "CNY", "rmb": "CNY", "RMB": "CNY", "元": "CNY", "人民币": "CNY", "人民幣": "CNY"]) {
            fund.currency = currency.value.rawValue
        }
        if let rate = checkedDecimal(section, "merchant_rate", rule: "must be at least 0 and below 1",
                                     help: ["it is a share of turnover: 0.1% is written 0.001"], { !$0.isNegative && $0 < .one }) {
            fund.merchantRate = rate.value
        }
        if let value = checkedDecimal(section, "point_value", rule: "must be 0 or more", { !$0.isNegative }) {
            fund.pointValue = value.value
        }
        return errorCount == before ? fund : nil
    }

    mutating func readCalendar(_ section: PolicySection?) -> PolicyCalendar? {
        var calendar = PolicyCalendar(holidays: [])
        guard let section else { return calendar }
        let before = errorCount
        checkKeys(section, allowed: ["holidays"], aliases: ["holiday": "holidays", "public_holidays": "holidays"])
        guard let value = section.table["holidays"] else { return calendar }
        guard let array = value.array, !array.isArrayOfTables else {
            report(PolicyDiagnostics.wrongType("holidays", expected: "a list of dates", found: value.kindDescription, range: value.range,
                                               help: ["write for example: holidays = [2026-10-01, 2026-10-02]"]))
            return nil
        }
        var firstLines: [LocalDate: SourceLocation] = [:]
        for element in array.elements {
            guard let day = date(element, key: "holidays") else { continue }
            if let line = firstLines[day.value] {
                report(PolicyDiagnostics.duplicateListItem(day.value.description, key: "holidays", firstLine: line, range: day.range))
                continue
            }
            firstLines[day.value] = day.range.start
            calendar.holidays.append(day.value)
        }
        return errorCount == before ? calendar : nil
    }
}

/// A word of a fixed list that has no enum of its own (rounding words, currencies).
struct PolicyWord: RawRepresentable, Hashable {
    var rawValue: String
}

extension PolicyLevel.Threshold {
    /// "hours" or "points", for messages.
    var measure: String {
        switch self {
        case .hours: "hours"
        case .points: "points"
        }
    }
}
