/// The stable ids of the policy checker's diagnostics (P100–P199, documented with a wrong and a
/// right example in `docs/policy-errors.md`). Ids are never reused for another meaning; ids not
/// listed are reserved.
public enum PolicyDiagnosticID: String, Sendable, CaseIterable {
    case unknownKey = "P100"
    case missingKey = "P101"
    case wrongType = "P102"
    case outOfRange = "P103"
    case unknownReference = "P104"
    case unknownChoice = "P105"
    case invalidID = "P106"
    case duplicateID = "P107"
    case duplicateListItem = "P108"
    case inexactNumber = "P109"
    case nothingToScore = "P110"
    case conflictingKeys = "P111"
    case capBelowBonus = "P112"
    case neverMatches = "P113"
    case unaffordableItem = "P114"
    case capsOutOfOrder = "P115"
    case levelsOutOfOrder = "P116"
    case expressionPositionsApproximate = "P117"
    case ledgerNeverFits = "P118"
    case ledgerMayNotFit = "P119"
    case catalogMayNotFit = "P120"
    case factorsSumBelowZero = "P121"
    case categoryEarnsNothing = "P122"
    case capOfZero = "P123"
    case stepUneven = "P124"

    /// Whether diagnostics of this id stop a policy from being activated.
    public var severity: DiagnosticSeverity {
        switch self {
        case .duplicateListItem, .unaffordableItem, .capsOutOfOrder, .expressionPositionsApproximate, .ledgerMayNotFit, .catalogMayNotFit,
             .factorsSumBelowZero, .categoryEarnsNothing, .capOfZero, .stepUneven: .warning
        default: .error
        }
    }
}

/// Every message of the policy checker, written for an admin who is not a programmer.
enum PolicyDiagnostics {
    private static func make(
        _ id: PolicyDiagnosticID, _ message: String, _ range: SourceRange, help: [String] = [], notes: [String] = []
    ) -> Diagnostic {
        Diagnostic(severity: id.severity, id: id.rawValue, message: message, range: range, help: help, notes: notes)
    }

    static func quoted(_ text: String) -> String { ExpressionValue.quoted(text) }

    static func quotedList(_ items: [String]) -> String { items.map(quoted).joined(separator: ", ") }

    // MARK: Keys and types

    static func unknownKey(_ key: String, in section: String, suggestion: String?, home: String? = nil, allowed: [String],
                           range: SourceRange) -> Diagnostic {
        let place = section.isEmpty ? "at the top of the file" : "in [\(section)]"
        let isChinese = key.unicodeScalars.contains { !$0.isASCII }
        let help = suggestion.map { isChinese ? ["keys are written in English: for \(key) write \($0) = ..."] : ["did you mean \(quoted($0))?"] }
            ?? home.map { ["\(quoted(key)) belongs in [\($0)]: move the line there"] }
            ?? (isChinese ? ["keys are written in English (the keys allowed here are listed below)"] : [])
        return make(.unknownKey, "unknown key \(quoted(key)) \(place)", range, help: help,
                    notes: allowed.isEmpty ? [] : ["the keys allowed here are: " + allowed.joined(separator: ", ")])
    }

    static func unknownSection(_ name: String, suggestion: String?, allowed: [String], range: SourceRange) -> Diagnostic {
        make(.unknownKey, "unknown section [\(name)]", range,
             help: suggestion.map { ["did you mean [\($0)]?"] } ?? [],
             notes: ["the sections are: " + allowed.map { "[\($0)]" }.joined(separator: ", ")])
    }

    /// `[[category]]` or `[[categories]]` (written as TOML's list of tables, which a policy never uses): P100 for a name
    /// that is no section, P102 for a section's own name. A category (indicator, multiplier, ...) is a section named by its
    /// id, `[categories.patrol]`, and the id given by the first table's `id` line, when it has one, is used in the help;
    /// another section is written once, with one pair of brackets.
    static func listOfTables(_ written: String, section: String?, ids: [String], range: SourceRange) -> Diagnostic {
        let id: PolicyDiagnosticID = section == written ? .wrongType : .unknownKey
        let message = "[[\(written)]] makes a list of tables, which a policy does not use"
        guard let section else {
            return make(id, message, range, help: ["settings go into sections such as [policy] or [earning]"],
                        notes: ["the sections are: " + PolicyLoader.sectionNames.map { "[\($0)]" }.joined(separator: ", ")])
        }
        guard let kind = PolicyChecker.idSectionKinds[section] else {
            return make(id, message, range, help: ["write [\(section)] with one pair of brackets: a policy has one [\(section)] section"])
        }
        let named = ids.filter { !$0.isEmpty }.prefix(2).map { "[\(section).\(PolicyChecker.keyText($0))]" }
        let help = named.isEmpty
            ? "write each \(kind) as a section named by its id, with one pair of brackets: [\(section).ID] in place of [[\(written)]], "
                + "such as [\(section).\(idExample[section] ?? "main")]"
            : "write each \(kind) as a section named by its id, with one pair of brackets: \(named[0]) in place of [[\(written)]] and "
                + "its id = \(quoted(ids.first { !$0.isEmpty }!)) line" + (named.count > 1 ? ", \(named[1]) for the next one, and so on" : "")
        return make(id, message, range, help: [help],
                    notes: ["a \(kind)'s id is the name after the dot in its section's header; the keys under it are its settings"])
    }

    /// An id to show in a help for each section whose keys are ids.
    private static let idExample = [
        "categories": "patrol", "indicators": "clean_stairs", "multipliers": "weekend", "bonuses": "first_visit",
        "penalties": "no_show", "grants": "base", "levels": "star1", "catalog": "rice_5kg",
    ]

    static func missingKey(_ key: String, in section: String, example: String, range: SourceRange) -> Diagnostic {
        make(.missingKey, "[\(section)] needs \(quoted(key))", range, help: ["add a line such as: \(example)"])
    }

    static func unknownTopLevelKey(_ key: String, headerKey: String?, range: SourceRange) -> Diagnostic {
        make(.unknownKey, "unknown key \(quoted(key)) at the top of the file", range,
             help: headerKey.map { ["put it in the [policy] section: \($0) = ..."] } ?? ["settings go into sections such as [policy] or [earning]"])
    }

    static func missingCombination(hasEarningSection: Bool, range: SourceRange) -> Diagnostic {
        make(.missingKey, "[earning] needs \"combine_multipliers\": the policy has multipliers, and several can match one record", range,
             help: [(hasEarningSection ? "add to [earning]: " : "add an [earning] section with: ") + "combine_multipliers = \"max\" (or \"product\" or \"sum\")"],
             notes: ["for factors 1.2 and 1.5, max gives 1.5, product 1.8 and sum 1.7"])
    }

    static func missingSection(_ section: String, example: String, range: SourceRange) -> Diagnostic {
        make(.missingKey, "the policy needs a [\(section)] section", range, help: ["add it, for example: \(example)"])
    }

    static func wrongType(_ key: String, expected: String, found: String, range: SourceRange, help: [String] = [],
                          notes: [String] = []) -> Diagnostic {
        make(.wrongType, "\(quoted(key)) must be \(expected), but this is \(found)", range, help: help, notes: notes)
    }

    static func outOfRange(_ message: String, range: SourceRange, help: [String] = [], notes: [String] = []) -> Diagnostic {
        make(.outOfRange, message, range, help: help, notes: notes)
    }

    /// P103 for an amount of points or money beyond the ledger's largest amount.
    static func amountTooLarge(key: String, value: ExactDecimal, maximum: ExactDecimal, range: SourceRange) -> Diagnostic {
        let message = value.isNegative
            ? "\(quoted(key)) is too large a deduction: \(value) takes more than \(grouped(maximum)), the largest amount the ledger holds"
            : "\(quoted(key)) is too large: \(value) is more than \(grouped(maximum)), the largest amount of points or money the ledger holds"
        let largest = value.isNegative ? maximum.negated() : maximum
        return make(.outOfRange, message, range,
                    help: ["the \(value.isNegative ? "lowest" : "largest") accepted value is \(key) = \(largest) (ten trillion)"])
    }

    /// A whole amount with its thousands grouped for reading: 10000000000000 → "10,000,000,000,000" (decimals kept).
    static func grouped(_ value: ExactDecimal) -> String {
        let text = value.magnitude.description
        let whole = text.prefix { $0 != "." }
        var digits = ""
        for (index, digit) in whole.enumerated() {
            if index > 0, (whole.count - index) % 3 == 0 { digits.append(",") }
            digits.append(digit)
        }
        return (value.isNegative ? "-" : "") + digits + text.dropFirst(whole.count)
    }

    static func inexactNumber(_ key: String, text: String, reason: String, range: SourceRange) -> Diagnostic {
        make(.inexactNumber, "\(quoted(key)) = \(text) cannot be used as an exact amount: \(reason)", range,
             help: ["write a plain decimal number with at most 18 digits after the point, below 10^20, such as 1.5"])
    }

    // MARK: Names and references

    /// `label`: the suggestion is the id whose label was written (`"紫色便民"` for `"purple"`).
    static func unknownReference(kind: String, name: String, suggestion: String?, label: String? = nil, declared: [String],
                                 range: SourceRange) -> Diagnostic {
        var notes: [String] = []
        if declared.isEmpty {
            notes.append("the policy declares no \(kind) yet")
        } else if declared.count <= 12 {
            notes.append("the declared \(kind) ids are: " + quotedList(declared))
        }
        let labelled = label.map { " (its label is \($0))" } ?? ""
        return make(.unknownReference, "unknown \(kind) \(quoted(name))", range,
                    help: suggestion.map { ["did you mean \(quoted($0))\(labelled)?"] } ?? [], notes: notes)
    }

    static func unknownChoice(_ key: String, value: String, allowed: [String], suggestion: String?, range: SourceRange) -> Diagnostic {
        make(.unknownChoice, "\(quoted(key)) must be one of \(quotedList(allowed)), not \(quoted(value))", range,
             help: suggestion.map { ["did you mean \(quoted($0))?"] } ?? [])
    }

    static func invalidID(_ id: String, kind: String, range: SourceRange, help: [String]) -> Diagnostic {
        make(.invalidID, "\(quoted(id)) cannot be \(kind) id: use 1 to 64 letters a-z, A-Z, digits, \"_\" or \"-\", starting with a letter",
             range, help: help)
    }

    static func duplicateID(_ message: String, range: SourceRange, notes: [String]) -> Diagnostic {
        make(.duplicateID, message, range, help: ["give each one its own id"], notes: notes)
    }

    static func duplicateListItem(_ item: String, key: String, firstLine: SourceLocation, range: SourceRange) -> Diagnostic {
        make(.duplicateListItem, "\(item) appears twice in \(quoted(key))", range,
             help: ["remove this one"], notes: ["it is listed first at \(firstLine)"])
    }

    // MARK: Whole-policy checks

    static func nothingToScore(range: SourceRange) -> Diagnostic {
        make(.nothingToScore, "the policy declares no category and no indicator, so nothing can earn points", range,
             help: ["add a service category, for example: [categories.orange] with points_per_hour = 10"])
    }

    static func conflictingKeys(_ message: String, range: SourceRange, help: [String], notes: [String] = []) -> Diagnostic {
        make(.conflictingKeys, message, range, help: help, notes: notes)
    }

    static func capBelowBonus(bonus: String, points: ExactDecimal, cap: String, capPoints: ExactDecimal, capLine: Int, range: SourceRange) -> Diagnostic {
        make(.capBelowBonus, "bonus \(quoted(bonus)) gives \(points) points, more than the \(cap) cap of \(capPoints), so it can never be paid in full",
             range, help: ["lower the bonus to at most \(capPoints), or raise the \(cap) cap"],
             notes: ["the \(cap) cap is set on line \(capLine)"])
    }

    static func neverMatches(_ message: String, range: SourceRange, help: [String]) -> Diagnostic {
        make(.neverMatches, message, range, help: help)
    }

    static func unaffordableItem(item: String, price: ExactDecimal, reachable: ExactDecimal, unit: String, range: SourceRange, notes: [String]) -> Diagnostic {
        make(.unaffordableItem, "nobody can afford \(quoted(item)) within a year: it costs \(price) \(unit), but the caps allow at most \(reachable) \(unit) a year",
             range, help: ["lower the price, or raise the caps"], notes: notes)
    }

    /// P115. `acrossBoundaryOnly`: the shorter period is a week below twice the longer cap, which still cuts a week that
    /// spans two of the longer periods.
    static func capsOutOfOrder(longer: PolicyPeriod, longerPoints: ExactDecimal, shorter: PolicyPeriod, shorterPoints: ExactDecimal,
                               acrossBoundaryOnly: Bool, range: SourceRange) -> Diagnostic {
        let effect = acrossBoundaryOnly ? "can cut only a \(shorter.rawValue) that spans two \(longer.rawValue)s" : "never applies"
        return make(.capsOutOfOrder,
                    "the \(longer.capKey) cap (\(longerPoints)) is below the \(shorter.capKey) cap (\(shorterPoints)), so the \(shorter.capKey) cap \(effect)",
                    range, help: ["raise the \(longer.capKey) cap, or remove the \(shorter.capKey) cap"])
    }

    static func levelsOutOfOrder(_ message: String, range: SourceRange, help: [String]) -> Diagnostic {
        make(.levelsOutOfOrder, message, range, help: help)
    }

    /// P118: a value with which no record could ever be posted (beyond the ledger's largest amount).
    static func ledgerNeverFits(_ message: String, range: SourceRange, help: [String]) -> Diagnostic {
        make(.ledgerNeverFits, message, range, help: help)
    }

    /// P119: a value with which large records would be beyond the ledger's largest amount.
    static func ledgerMayNotFit(_ message: String, range: SourceRange, help: [String], notes: [String]) -> Diagnostic {
        make(.ledgerMayNotFit, message, range, help: help, notes: notes)
    }

    /// P120: a catalog price with which a redemption of many units would be beyond the ledger's largest amount.
    static func catalogMayNotFit(_ message: String, range: SourceRange, help: [String], notes: [String]) -> Diagnostic {
        make(.catalogMayNotFit, message, range, help: help, notes: notes)
    }

    /// P121: under combine_multipliers = "sum", factors below 1 that can match one record together sum to 0 or below.
    static func factorsSumBelowZero(_ message: String, range: SourceRange, help: [String], notes: [String]) -> Diagnostic {
        make(.factorsSumBelowZero, message, range, help: help, notes: notes)
    }

    /// P122: a category whose `points_per_hour` is 0, so its services earn nothing.
    static func categoryEarnsNothing(_ message: String, range: SourceRange, help: [String], notes: [String]) -> Diagnostic {
        make(.categoryEarnsNothing, message, range, help: help, notes: notes)
    }

    /// P123: a cap of 0 (a category's `daily_cap` or `monthly_cap`, or one of `[caps]`), which cuts everything earned.
    static func capOfZero(_ message: String, range: SourceRange, help: [String], notes: [String]) -> Diagnostic {
        make(.capOfZero, message, range, help: help, notes: notes)
    }

    /// P124: a `step` that neither divides one point nor is a whole number, so whole points are never awarded as they are.
    static func stepUneven(_ message: String, range: SourceRange, help: [String]) -> Diagnostic {
        make(.stepUneven, message, range, help: help, notes: [])
    }

    /// P117: an expression in a `"..."` string with escapes; `help` is its own line in single quotes.
    static func expressionPositionsApproximate(range: SourceRange, help: String) -> Diagnostic {
        make(.expressionPositionsApproximate, "this expression is in a string with escapes, so problems in it can only be shown for the whole string",
             range, help: [help])
    }
}
