/// A value read from the policy file together with where it was written.
struct Located<Value> {
    var value: Value
    /// The value as written.
    var range: SourceRange
}

/// One table of the policy file as the checker sees it: its entries, the name used in messages
/// (`categories.orange`) and the range to point at when a key is missing (its header).
struct PolicySection {
    let table: TOMLTable
    /// The dotted name shown in messages, without brackets.
    let name: String
    let range: SourceRange
}

/// The typed reads of the checker: each reports a wrong type, an inexact number or an unknown
/// word as a diagnostic and returns nil, so the caller carries on with the next key.
extension PolicyChecker {
    // MARK: Keys

    /// Reports every key of `section` that is not in `allowed`, with a suggestion.
    mutating func checkKeys(_ section: PolicySection, allowed: [String], aliases: [String: String] = [:]) {
        for entry in section.table.entries where !allowed.contains(entry.key.name) {
            let suggestion = ExpressionSpelling.suggestion(for: entry.key.name, among: allowed, aliases: aliases)
                ?? Self.keyForWord(entry.key.name, allowed: allowed)   // "每日上限" in quotes: the English key
            if let suggestion { suggestedKeys.insert(section.name + "." + suggestion) }
            // A key of another fixed section (earn_to under [earning]): say where it goes.
            let home = suggestion == nil ? Self.homeSection[entry.key.name].flatMap { $0 == section.name ? nil : $0 } : nil
            report(PolicyDiagnostics.unknownKey(entry.key.name, in: section.name, suggestion: suggestion, home: home,
                                                allowed: allowed, range: entry.key.range))
        }
    }

    /// Keys that belong to exactly one fixed section, for "it goes in [accounts]" when one is written elsewhere.
    static let homeSection: [String: String] = {
        var homes: [String: String] = [:]
        for (section, keys) in [("earning", earningKeys), ("accounts", ["earn_to", "balance_floor"]),
                                ("transfers", ["max_points_per_month"]), ("expiry", ["after_months", "end_of_year", "warn_days"]),
                                ("fund", ["currency", "merchant_rate", "point_value"]), ("calendar", ["holidays"]),
                                ("policy", ["effective", "timezone"])] {
            for key in keys { homes[key] = section }
        }
        return homes
    }()

    /// Reports a missing key (unless the TOML had errors, which may have dropped it).
    mutating func requireKey(_ key: String, in section: PolicySection, example: String) {
        // A misspelled key was reported already with a "did you mean" for this one.
        guard section.table[key] == nil, !tomlHadErrors, !suggestedKeys.contains(section.name + "." + key) else { return }
        report(PolicyDiagnostics.missingKey(key, in: section.name, example: example, range: section.range))
    }

    /// The sub-table under `key`, or nil (a wrong type is reported).
    mutating func subsection(_ parent: PolicySection, _ key: String) -> PolicySection? {
        guard let entry = parent.table.entry(named: key) else { return nil }
        let name = parent.name.isEmpty ? key : parent.name + "." + PolicyChecker.keyText(key)
        guard let table = entry.value.table else {
            if parent.name.isEmpty, let list = entry.value.array, list.isArrayOfTables {
                report(PolicyDiagnostics.listOfTables(key, section: key, ids: PolicyChecker.ids(in: list), range: entry.value.range))
                return nil
            }
            report(PolicyDiagnostics.wrongType(key, expected: "a table (a section such as [\(name)])", found: entry.value.kindDescription,
                                               range: entry.value.range))
            return nil
        }
        return PolicySection(table: table, name: name, range: entry.value.range)
    }

    /// The entries of a section whose keys are ids (`[categories.ID]`), each as a section, in file order.
    /// Entries that are not tables are reported.
    mutating func idSections(_ parent: PolicySection?, kind: String, example: String) -> [(id: Located<String>, section: PolicySection)] {
        guard let parent else { return [] }
        var result: [(Located<String>, PolicySection)] = []
        for entry in parent.table.entries {
            let name = parent.name + "." + PolicyChecker.keyText(entry.key.name)
            guard let table = entry.value.table else {
                report(PolicyDiagnostics.wrongType(
                    "\(parent.name).\(entry.key.name)", expected: "a table of settings for one \(kind)",
                    found: entry.value.kindDescription, range: entry.value.range,
                    help: ["write it as a section [\(name)] with \(example)"]))
                continue
            }
            result.append((Located(value: entry.key.name, range: entry.key.range), PolicySection(table: table, name: name, range: entry.value.range)))
        }
        return result
    }

    /// A key as written in a header: bare when it can be, else quoted.
    static func keyText(_ key: String) -> String {
        let bare = !key.isEmpty && key.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-"
        }
        return bare ? key : ExpressionValue.quoted(key)
    }

    // MARK: Scalars

    /// A string value.
    mutating func string(_ section: PolicySection, _ key: String) -> Located<String>? {
        guard let value = section.table[key] else { return nil }
        guard let text = value.string else {
            report(PolicyDiagnostics.wrongType(key, expected: "text in quotes", found: value.kindDescription, range: value.range,
                                               help: ["write it in quotes, for example: \(key) = \"…\""]))
            return nil
        }
        return Located(value: text, range: value.range)
    }

    /// A boolean value.
    mutating func boolean(_ section: PolicySection, _ key: String) -> Located<Bool>? {
        guard let value = section.table[key] else { return nil }
        guard case .boolean(let flag) = value.kind else {
            var help = ["write true or false, without quotes"]
            if let text = value.string, ["true", "false"].contains(text.lowercased()) { help = ["remove the quotes: \(key) = \(text.lowercased())"] }
            else if let text = value.string, let flag = PolicyChecker.booleanWords[text] { help = ["write \(key) = \(flag), without quotes"] }
            report(PolicyDiagnostics.wrongType(key, expected: "true or false", found: value.kindDescription, range: value.range, help: help))
            return nil
        }
        return Located(value: flag, range: value.range)
    }

    /// A whole number.
    mutating func integer(_ section: PolicySection, _ key: String) -> Located<Int>? {
        guard let value = section.table[key] else { return nil }
        switch value.kind {
        case .integer(let integer):
            return Located(value: Int(integer.value), range: value.range)
        case .float(let float):
            var help: [String] = []
            if let decimal = ExactDecimal(float.text), let whole = decimal.exactInteger { help = ["write it without a decimal point: \(key) = \(whole)"] }
            report(PolicyDiagnostics.wrongType(key, expected: "a whole number", found: "a decimal number", range: value.range, help: help))
        case .string(let text) where Int(text.value) != nil:
            report(PolicyDiagnostics.wrongType(key, expected: "a whole number", found: "a string", range: value.range,
                                               help: ["write the number without quotes: \(key) = \(text.value)"]))
        case .string(let text) where Self.quotedUnitHelp(key: key, text: text.value) != nil:
            // "30分钟": the help of 30分钟 without quotes.
            let (help, notes) = Self.quotedUnitHelp(key: key, text: text.value)!
            report(PolicyDiagnostics.wrongType(key, expected: "a whole number", found: "a string", range: value.range, help: help, notes: notes))
        case .string:
            report(PolicyDiagnostics.wrongType(key, expected: "a whole number", found: "a string", range: value.range,
                                               help: [Self.numberHelp(key: key, isQuoted: true)]))
        default:
            report(PolicyDiagnostics.wrongType(key, expected: "a whole number", found: value.kindDescription, range: value.range))
        }
        return nil
    }

    /// A number (whole or decimal) as an exact decimal.
    mutating func decimal(_ section: PolicySection, _ key: String) -> Located<ExactDecimal>? {
        guard let value = section.table[key] else { return nil }
        return decimal(value, key: key)
    }

    /// A value that must be a number, as an exact decimal.
    mutating func decimal(_ value: TOMLValue, key: String) -> Located<ExactDecimal>? {
        switch value.kind {
        case .integer(let integer):
            return Located(value: ExactDecimal(Int(integer.value)), range: value.range)
        case .float(let float):
            do throws(ExactDecimalError) {
                return Located(value: try ExactDecimal(parsing: float.text), range: value.range)
            } catch {
                let reason: String
                switch error {
                case .tooManyFractionalDigits: reason = "it has more than 18 digits after the point"
                case .outOfRange: reason = "it is 10^20 or more"
                default: reason = "it is not a finite decimal number"
                }
                report(PolicyDiagnostics.inexactNumber(key, text: float.text, reason: reason, range: value.range))
                return nil
            }
        case .string(let text) where ExactDecimal(text.value) != nil:
            report(PolicyDiagnostics.wrongType(key, expected: "a number", found: "a string", range: value.range,
                                               help: ["write the number without quotes: \(key) = \(text.value)"]))
        case .string(let text) where Self.quotedUnitHelp(key: key, text: text.value) != nil:
            // "20 小时": the help of 20 小时 without quotes.
            let (help, notes) = Self.quotedUnitHelp(key: key, text: text.value)!
            report(PolicyDiagnostics.wrongType(key, expected: "a number", found: "a string", range: value.range, help: help, notes: notes))
        case .string(let text):
            // "0.1%": the same hint as for 0.1% without quotes.
            let help = [TOMLDiagnostics.percentageHelp(text.value) ?? Self.numberHelp(key: key, isQuoted: true)]
            report(PolicyDiagnostics.wrongType(key, expected: "a number", found: "a string", range: value.range, help: help))
        default:
            report(PolicyDiagnostics.wrongType(key, expected: "a number", found: value.kindDescription, range: value.range))
        }
        return nil
    }

    /// A calendar date written as a TOML date (`2026-10-01`, no quotes).
    mutating func date(_ section: PolicySection, _ key: String) -> Located<LocalDate>? {
        guard let value = section.table[key] else { return nil }
        return date(value, key: key)
    }

    /// A value that must be a date.
    mutating func date(_ value: TOMLValue, key: String) -> Located<LocalDate>? {
        switch value.kind {
        case .dateTime(.localDate(let date)):
            guard let local = date.localDate else {
                report(PolicyDiagnostics.outOfRange("\(ExpressionValue.quoted(key)) must be a date from the year 0001 on", range: value.range))
                return nil
            }
            return Located(value: local, range: value.range)
        case .dateTime(let dateTime):
            let help = dateTime.date.map { ["write only the date: \($0)"] } ?? []
            report(PolicyDiagnostics.wrongType(key, expected: "a date such as 2026-10-01", found: dateTime.kindDescription, range: value.range, help: help))
        case .string(let text):
            var help = ["write the date without quotes, such as 2026-10-01"]
            if LocalDate(text.value) != nil {
                help = ["remove the quotes: \(text.value)"]
            } else if let dashed = TOMLScalarReader.dateWithOtherSeparatorsHelp(text.value) {
                help = ["remove the quotes and " + dashed]   // "2026/10/01"
            }
            report(PolicyDiagnostics.wrongType(key, expected: "a date such as 2026-10-01", found: "a string", range: value.range, help: help))
        default:
            report(PolicyDiagnostics.wrongType(key, expected: "a date such as 2026-10-01", found: value.kindDescription, range: value.range))
        }
        return nil
    }

    /// One word out of a fixed list, such as `rounding = "half_even"`.
    mutating func choice<Choice: RawRepresentable>(_ section: PolicySection, _ key: String, among choices: [Choice],
                                                   aliases: [String: String] = [:]) -> Located<Choice>? where Choice.RawValue == String {
        guard let located = string(section, key) else { return nil }
        if let choice = choices.first(where: { $0.rawValue == located.value }) {
            return Located(value: choice, range: located.range)
        }
        let allowed = choices.map(\.rawValue)
        let suggestion = ExpressionSpelling.suggestion(for: located.value, among: allowed, aliases: aliases)
        report(PolicyDiagnostics.unknownChoice(key, value: located.value, allowed: allowed, suggestion: suggestion, range: located.range))
        return nil
    }

    // MARK: Amounts

    /// A number that must satisfy `isAllowed`; otherwise `rule` ("must be 0 or more") is reported.
    mutating func checkedDecimal(_ section: PolicySection, _ key: String, rule: String, wholeHundredths: Bool = false,
                                 help: [String] = [], _ isAllowed: (ExactDecimal) -> Bool) -> Located<ExactDecimal>? {
        guard let located = decimal(section, key) else { return nil }
        return checked(located, key: key, rule: rule, wholeHundredths: wholeHundredths, help: help, isAllowed)
    }

    /// `located` when it satisfies `isAllowed` (and has at most two decimals when asked), else nil with a diagnostic.
    mutating func checked(_ located: Located<ExactDecimal>, key: String, rule: String, wholeHundredths: Bool = false,
                          help: [String] = [], _ isAllowed: (ExactDecimal) -> Bool) -> Located<ExactDecimal>? {
        guard isAllowed(located.value) else {
            report(PolicyDiagnostics.outOfRange("\(ExpressionValue.quoted(key)) \(rule), but it is \(located.value)", range: located.range,
                                                help: help.isEmpty ? Self.rangeHelp(key: key, value: located.value, isAllowed) : help))
            return nil
        }
        // An amount of points or money beyond what one ledger amount holds could never be posted (or compared with one).
        if wholeHundredths, located.value.magnitude > Self.ledgerMaximum,
           reportBeyondLedger(PolicyDiagnostics.amountTooLarge(key: key, value: located.value, maximum: Self.ledgerMaximum, range: located.range)) {
            return nil
        }
        if wholeHundredths, (try? located.value.hundredths()) == nil {
            let cent = ExactDecimal(hundredths: 1)
            // A typed result picks ExactDecimal's own throwing rounding, whatever other overloads the module adds.
            let rounded: ExactDecimal
            do { rounded = try located.value.rounded(toStep: cent, mode: .halfEven) } catch { rounded = .zero }
            report(PolicyDiagnostics.outOfRange(
                "\(ExpressionValue.quoted(key)) is an amount of points or money, so it has at most 2 digits after the point, but it is \(located.value)",
                range: located.range, help: ["write at most 2 digits after the point, such as \(key) = \(rounded.isZero ? cent : rounded)"]))
            return nil
        }
        return located
    }

    /// What to write instead of a number out of range, when a near one fits: the same number without its minus sign,
    /// or 1 for a 0 that must be more (0 for a balance floor). Empty when none is allowed (the rule says enough).
    static func rangeHelp(key: String, value: ExactDecimal, _ isAllowed: (ExactDecimal) -> Bool) -> [String] {
        // A floor below 0 is an overdraft, which lots cannot give: 0 is what fits. Elsewhere the sign is the slip.
        let candidates = key == "balance_floor" ? [ExactDecimal.zero] : [value.magnitude, ExactDecimal(1)]
        for candidate in candidates where isAllowed(candidate) {
            let note = key == "points_per_hour" && value.isNegative ? " (points taken away are a rule in [penalties])" : ""
            return ["write, for example, \(key) = \(candidate)\(note)"]
        }
        return []
    }

    /// A whole number in `bounds`.
    mutating func checkedInteger(_ section: PolicySection, _ key: String, in bounds: ClosedRange<Int>) -> Located<Int>? {
        guard let located = integer(section, key) else { return nil }
        guard bounds.contains(located.value) else {
            let rule = bounds.upperBound == Int.max ? "must be \(bounds.lowerBound) or more" : "must be from \(bounds.lowerBound) to \(bounds.upperBound)"
            report(PolicyDiagnostics.outOfRange("\(ExpressionValue.quoted(key)) \(rule), but it is \(located.value)", range: located.range))
            return nil
        }
        return located
    }
}
