/// Reads a points policy file (schema v1, `docs/policy.md`): decodes the TOML, checks every
/// section, key, value, reference and expression, and compiles the result.
///
///     let result = PolicyLoader.load(bytes: Array(text.utf8), path: "config/policy.toml")
///     print(result.rendered())      // every problem with its line, a marker and help
///     if let policy = result.policy { ... }
///
/// Never throws and never traps on bad input: every problem is a `Diagnostic` (TOML P001–P049,
/// policy P100–P199, expressions P200–P249), all of them found in one run.
public enum PolicyLoader {
    /// The sections of a policy file, in documentation order.
    public static let sectionNames = [
        "policy", "earning", "categories", "indicators", "multipliers", "bonuses", "penalties", "caps", "grants",
        "accounts", "transfers", "expiry", "levels", "ranking", "catalog", "fund", "calendar",
    ]

    /// Checks and compiles a policy.
    ///
    /// - Parameters:
    ///   - bytes: the file's exact bytes (UTF-8).
    ///   - path: the name shown before `:line:col` when the diagnostics are rendered.
    ///   - stations: the community's station ids, to check `record.station` comparisons; nil leaves them unchecked.
    ///   - teams: the community's teams, to warn of a `volunteer.teams` lookup no volunteer can match (P233); nil leaves
    ///     them unchecked.
    ///   - timeZones: the zone names the system knows, to refuse a `timezone` it cannot resolve; nil checks the name's shape
    ///     only (the core reads no time zone database).
    ///   - storedVersion: the text is a version activated before: values beyond the ledger's largest amount (P103
    ///     "too large", P118), which older checkers let through, are warnings, so that the version still compiles and
    ///     the scorer marks the records concerned `too_large` (new files get them as errors).
    /// - Returns: the policy when there is no error (warnings allowed), and every diagnostic in source order.
    /// - Complexity: O(n) in the size of the file, apart from suggestion searches.
    public static func load(bytes: [UInt8], path: String, stations: [String]? = nil, teams: [Team]? = nil,
                            timeZones: TimeZoneNames? = nil, storedVersion: Bool = false) -> PolicyLoadResult {
        let decoded = TOMLDecoder.decode(bytes)
        var checker = PolicyChecker(bytes: bytes, stations: stations, teams: teams, tomlHadErrors: decoded.hasErrors, storedVersion: storedVersion)
        checker.timeZones = timeZones
        for diagnostic in decoded.diagnostics { checker.report(PolicyChecker.withPolicyHelp(Self.naming(path, in: diagnostic), bytes: bytes)) }
        // An encoding or size problem means the document was not read at all.
        let unreadable = decoded.diagnostics.contains { $0.id == TOMLDiagnosticID.invalidUTF8.rawValue || $0.id == TOMLDiagnosticID.fileTooLarge.rawValue }
        let policy = unreadable ? nil : checker.check(decoded.document)
        let diagnostics = checker.diagnostics.enumerated()
            .sorted { ($0.element.range.start.offset, $0.offset) < ($1.element.range.start.offset, $1.offset) }
            .map(\.element)
        let hasErrors = diagnostics.contains { $0.severity == .error }
        return PolicyLoadResult(policy: hasErrors ? nil : policy, diagnostics: diagnostics, path: path,
                                source: String(decoding: bytes, as: UTF8.self))
    }

    /// The decoder's conversion command (`iconv ... FILE > FILE-utf8.toml`, the decoder knows no file name) with the
    /// file's own name, as the record and community files' encoding help gives it.
    public static func naming(_ path: String, in diagnostic: Diagnostic) -> Diagnostic {
        guard diagnostic.id == TOMLDiagnosticID.invalidUTF8.rawValue, !path.isEmpty else { return diagnostic }
        var named = diagnostic
        named.help = diagnostic.help.map {
            $0.hasSuffix(" FILE > FILE-utf8.toml") ? String($0.dropLast(" FILE > FILE-utf8.toml".count))
                + " \(ShellWord.quoted(path)) > \(ShellWord.quoted(TextEncodingCheck.convertedFileName(for: path)))" : $0
        }
        return named
    }

    /// Checks and compiles a policy given as text.
    public static func load(text: String, path: String, stations: [String]? = nil, teams: [Team]? = nil,
                            timeZones: TimeZoneNames? = nil, storedVersion: Bool = false) -> PolicyLoadResult {
        load(bytes: Array(text.utf8), path: path, stations: stations, teams: teams, timeZones: timeZones, storedVersion: storedVersion)
    }
}

/// What `PolicyLoader.load` found: the policy (nil when any diagnostic is an error) and every
/// diagnostic, errors and warnings, in source order.
public struct PolicyLoadResult: Sendable {
    /// The compiled policy, or nil when there is an error.
    public var policy: Policy?
    /// Every problem, in source order.
    public var diagnostics: [Diagnostic]
    /// The path given to `load`, shown by `rendered()`.
    public var path: String
    /// The file's text (for rendering source lines).
    public var source: String

    /// The number of errors.
    public var errorCount: Int { diagnostics.filter { $0.severity == .error }.count }
    /// The number of warnings.
    public var warningCount: Int { diagnostics.filter { $0.severity == .warning }.count }
    /// Whether any diagnostic is an error (then `policy` is nil).
    public var hasErrors: Bool { errorCount > 0 }

    /// Every diagnostic with its source line and marker, then a count line
    /// (`config/policy.toml: 0 errors, 1 warning`).
    public func rendered() -> String {
        DiagnosticRenderer(path: path, source: Self.withLineFeeds(source)).render(diagnostics)
    }

    /// The text with CRLF line ends as LF: Swift reads "\r\n" as one character, so the renderer
    /// would not see the line breaks of a file saved on Windows. Lines and columns are unchanged.
    static func withLineFeeds(_ text: String) -> String {
        guard text.utf8.contains(0x0D) else { return text }
        var scalars = String.UnicodeScalarView()
        var pendingReturn = false
        for scalar in text.unicodeScalars {
            if pendingReturn, scalar != "\n" { scalars.append("\r") }
            pendingReturn = scalar == "\r"
            if !pendingReturn { scalars.append(scalar) }
        }
        if pendingReturn { scalars.append("\r") }
        return String(scalars)
    }
}

/// The state of one check: the file's bytes, what was reported so far, and the expression schema.
struct PolicyChecker {
    let bytes: [UInt8]
    let stations: [String]?
    /// The community's teams, or nil: `volunteer.teams` lookups are then not checked.
    let teams: [Team]?
    /// When the TOML had errors, keys may be missing only because their line was dropped, so
    /// "missing key" checks wait until the syntax is fixed.
    let tomlHadErrors: Bool
    /// A version activated before: ledger-bound errors are reported as warnings (see `PolicyLoader.load`).
    let storedVersion: Bool
    /// The zone names the system knows, or nil: `timezone` is then checked by its shape only.
    var timeZones: TimeZoneNames?
    private(set) var diagnostics: [Diagnostic] = []
    /// How many of `diagnostics` are errors (readers compare it before and after a section).
    private(set) var errorCount = 0
    /// The first line of the file, for problems of the file as a whole.
    let fileStart: SourceRange
    /// `section.key` for every key an unknown key was taken for ("did you mean"), so that the key
    /// is not also reported missing; `.section` for suggested sections.
    var suggestedKeys: Set<String> = []

    init(bytes: [UInt8], stations: [String]?, teams: [Team]? = nil, tomlHadErrors: Bool, storedVersion: Bool = false) {
        self.bytes = bytes
        self.stations = stations
        self.teams = teams
        self.tomlHadErrors = tomlHadErrors
        self.storedVersion = storedVersion
        // A byte-order mark is not a column (as in the TOML decoder's locations).
        let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        let end = max(start, bytes.firstIndex(of: 0x0A) ?? bytes.count)
        let columns = bytes[start..<end].reduce(0) { $0 + ($1 & 0xC0 != 0x80 ? 1 : 0) }
        self.fileStart = SourceRange(start: SourceLocation(line: 1, column: 1, offset: start),
                                     end: SourceLocation(line: 1, column: 1 + columns, offset: end))
    }

    mutating func report(_ diagnostic: Diagnostic) {
        diagnostics.append(diagnostic)
        if diagnostic.severity == .error { errorCount += 1 }
    }

    /// Reports a value beyond the ledger's largest amount: an error, or a warning in a stored version. Returns whether
    /// it was an error (the value is then left out).
    @discardableResult
    mutating func reportBeyondLedger(_ diagnostic: Diagnostic) -> Bool {
        var diagnostic = diagnostic
        if storedVersion { diagnostic.severity = .warning }
        report(diagnostic)
        return diagnostic.severity == .error
    }

    // MARK: The whole policy

    /// Checks every section and returns the policy when nothing stopped it from being built
    /// (the caller still drops it when any diagnostic is an error).
    mutating func check(_ document: TOMLDocument) -> Policy? {
        let root = PolicySection(table: document.root, name: "", range: fileStart)
        for entry in root.table.entries where !PolicyLoader.sectionNames.contains(entry.key.name) {
            let suggestion = ExpressionSpelling.suggestion(for: entry.key.name, among: PolicyLoader.sectionNames,
                                                           aliases: PolicyChecker.sectionAliases)
            if let list = entry.value.array, list.isArrayOfTables {
                report(PolicyDiagnostics.listOfTables(entry.key.name, section: suggestion, ids: PolicyChecker.ids(in: list),
                                                      range: entry.key.range))
            } else if entry.value.table != nil {
                if let suggestion { suggestedKeys.insert("." + suggestion) }
                report(PolicyDiagnostics.unknownSection(entry.key.name, suggestion: suggestion, allowed: PolicyLoader.sectionNames,
                                                        range: entry.key.range))
            } else {
                // A key of [policy] written before any section.
                let headerKey = PolicyChecker.headerKeys.contains(entry.key.name) ? entry.key.name
                    : PolicyChecker.headerAliases[entry.key.name] ?? PolicyChecker.keyForWord(entry.key.name, allowed: PolicyChecker.headerKeys)
                report(PolicyDiagnostics.unknownTopLevelKey(entry.key.name, headerKey: headerKey, range: entry.key.range))
            }
        }
        // Each section is looked up once, so a section of the wrong type is reported once.
        var sections: [String: PolicySection] = [:]
        for name in PolicyLoader.sectionNames { sections[name] = subsection(root, name) }
        func section(_ name: String) -> PolicySection? { sections[name] }

        // Declared ids first: every expression is checked against them.
        let categoryEntries = idSections(section("categories"), kind: "category", example: "points_per_hour = 10")
        let indicatorEntries = idSections(section("indicators"), kind: "indicator", example: "points = 5")
        let levelEntries = idSections(section("levels"), kind: "level", example: "min_hours = 50")
        // Each id's label, where it is written, so that a label written where the id belongs finds its id.
        func labels(_ entries: [(id: Located<String>, section: PolicySection)]) -> [String: String] {
            Dictionary(entries.compactMap { entry in entry.section.table["label"]?.string.map { (entry.id.value, $0) } },
                       uniquingKeysWith: { first, _ in first })
        }
        let schema = ExpressionSchema(
            categories: categoryEntries.map(\.id.value), indicators: indicatorEntries.map(\.id.value),
            stations: stations, volunteerLevels: levelEntries.map(\.id.value),
            categoryLabels: labels(categoryEntries), indicatorLabels: labels(indicatorEntries), levelLabels: labels(levelEntries),
            teams: teams)
        var counterSchema = schema
        for field in ExpressionSchema.fields where field.path.hasPrefix("record.") {
            counterSchema.unavailableFields[field.path] =
                "this is checked at the redemption counter, where there is no service record; use volunteer.* and household.* fields"
        }
        let context = PolicyReadContext(schema: schema, counterSchema: counterSchema,
                                        categoryIDs: categoryEntries.map(\.id.value))

        let header = readHeader(section("policy"), isWritten: root.table["policy"] != nil)
        let earningSection = section("earning")
        var earning = readEarning(earningSection)
        let categories = categoryEntries.compactMap { readCategory($0.id, $0.section) }
        let indicators = indicatorEntries.compactMap { readIndicator($0.id, $0.section) }
        let multiplierEntries = idSections(section("multipliers"), kind: "multiplier", example: "factor = 1.5 and when = 'record.weekday in [\"sat\", \"sun\"]'")
        let multipliers = multiplierEntries.compactMap { readMultiplier($0.id, $0.section, context) }
        let bonusEntries = idSections(section("bonuses"), kind: "bonus", example: "points = 5")
        let bonuses = bonusEntries.compactMap { readBonus($0.id, $0.section, context) }
        let penaltyEntries = idSections(section("penalties"), kind: "penalty", example: "points = -5 and when = 'record.tags.contains(\"no_show\")'")
        let penalties = penaltyEntries.compactMap { readPenalty($0.id, $0.section, context) }
        let caps = readCaps(section("caps"))
        let accounts = readAccounts(section("accounts"))
        let grants = idSections(section("grants"), kind: "grant", example: "points = 100 and every = \"year\"")
            .compactMap { readGrant($0.id, $0.section, defaultHolder: accounts?.earnTo) }
        let transfers = readTransfers(section("transfers"))
        let expiry = readExpiry(section("expiry"))
        let levels = readLevels(levelEntries)
        let ranking = readRanking(section("ranking"))
        let catalog = idSections(section("catalog"), kind: "catalog item", example: "kind = \"goods\" and price = 10")
            .compactMap { readCatalogItem($0.id, $0.section, context) }
        let fund = readFund(section("fund"))
        let calendar = readCalendar(section("calendar"))

        // combine_multipliers is never implicit once there is a multiplier to combine.
        if earning?.combineMultipliers == nil, !multiplierEntries.isEmpty, !tomlHadErrors, earningSection?.table["combine_multipliers"] == nil,
           !suggestedKeys.contains("earning.combine_multipliers") {
            report(PolicyDiagnostics.missingCombination(hasEarningSection: earningSection != nil,
                                                        range: earningSection?.range ?? multiplierEntries[0].section.range))
        }
        if earning != nil, earning?.combineMultipliers == nil { earning?.combineMultipliers = .max }

        // Checks across sections.
        // (A categories or indicators key of the wrong type was reported already.)
        if categoryEntries.isEmpty, indicatorEntries.isEmpty, !tomlHadErrors,
           sections["categories"] != nil || root.table["categories"] == nil, sections["indicators"] != nil || root.table["indicators"] == nil,
           !suggestedKeys.contains(".categories"), !suggestedKeys.contains(".indicators") {
            report(PolicyDiagnostics.nothingToScore(range: section("policy")?.range ?? fileStart))
        }
        checkDuplicateIDs(categories: categoryEntries.map(\.id), indicators: indicatorEntries.map(\.id), levels: levelEntries.map(\.id),
                          multipliers: multiplierEntries.map(\.id), catalog: (section("catalog")?.table.entries ?? []).map { Located(value: $0.key.name, range: $0.key.range) })
        checkCaps(caps, categories: categories)
        checkBonuses(bonuses, against: caps)
        checkAffordability(catalog, caps: caps, grants: grants, unit: header?.unit ?? "points")
        checkCatalogBounds(catalog)
        if let earning, let range = earningSection?.table["step"]?.range { checkStep(earning.step, range: range, unit: header?.unit ?? "points") }
        checkSumOfFactors(combination: earning?.combineMultipliers, combinationRange: earningSection?.table["combine_multipliers"]?.range,
                          categories: categories, multipliers: multipliers.map(\.multiplier),
                          factorRanges: Dictionary(multiplierEntries.compactMap { entry in entry.section.table["factor"].map { (entry.id.value, $0.range) } },
                                                   uniquingKeysWith: { first, _ in first }))
        func ranges(_ entries: [(id: Located<String>, section: PolicySection)], _ key: String) -> [String: SourceRange] {
            Dictionary(entries.compactMap { entry in entry.section.table[key].map { (entry.id.value, $0.range) } }, uniquingKeysWith: { first, _ in first })
        }
        checkCategoriesEarningNothing(categories: categories, multipliers: multipliers.map(\.multiplier), bonuses: bonuses.map(\.bonus), unit: header?.unit ?? "points",
                                      rateRanges: ranges(categoryEntries, "points_per_hour"))
        checkCapsOfZero(categories: categories, indicators: indicators, caps: caps, unit: header?.unit ?? "points",
                        dailyCapRanges: ranges(categoryEntries, "daily_cap"), monthlyCapRanges: ranges(categoryEntries, "monthly_cap"))
        if let earning {
            checkLedgerBounds(earning: earning, categories: categories, indicators: indicators, multipliers: multipliers.map(\.multiplier),
                              bonuses: bonuses.map(\.bonus), penalties: penalties,
                              ranges: LedgerBoundRanges(rates: ranges(categoryEntries, "points_per_hour"), factors: ranges(multiplierEntries, "factor"),
                                                        bonuses: ranges(bonusEntries, "points"), penalties: ranges(penaltyEntries, "points")))
        }

        guard let header, let earning, let accounts, let transfers, let expiry, let fund, let calendar, errorCount == 0 else { return nil }
        return Policy(
            id: header.id, name: header.name, version: header.version, effective: header.effective,
            timezone: header.timezone, unit: header.unit,
            earning: PolicyEarning(rounding: earning.rounding, step: earning.step, minMinutes: earning.minMinutes,
                                   maxMinutesPerRecord: earning.maxMinutesPerRecord, requireVerifier: earning.requireVerifier,
                                   autoAcceptAfterDays: earning.autoAcceptAfterDays, combineMultipliers: earning.combineMultipliers ?? .max),
            categories: categories, indicators: indicators, multipliers: multipliers.map(\.multiplier),
            bonuses: bonuses.map(\.bonus), penalties: penalties, caps: caps.caps, grants: grants, accounts: accounts,
            transfers: transfers, expiry: expiry, levels: levels, ranking: ranking, catalog: catalog.map(\.item),
            fund: fund, calendar: calendar, expressionSchema: schema)
    }

    /// The `id` line of each table of a list of tables (`[[categories]]` with `id = "patrol"`), "" for one without.
    static func ids(in list: TOMLArray) -> [String] {
        list.elements.map { $0.table?["id"]?.string ?? "" }
    }

    /// Common misspellings of section names.
    static let sectionAliases: [String: String] = [
        "category": "categories", "indicator": "indicators", "multiplier": "multipliers", "bonus": "bonuses",
        "penalty": "penalties", "cap": "caps", "limits": "caps", "grant": "grants", "account": "accounts",
        "transfer": "transfers", "expiration": "expiry", "expire": "expiry", "level": "levels", "rank": "ranking",
        "items": "catalog", "shop": "catalog", "catalogue": "catalog", "holidays": "calendar", "rules": "earning",
    ].merging(sectionWords) { english, _ in english }
}

/// What the section readers need besides the file: the schemas and the declared category ids.
struct PolicyReadContext {
    /// For conditions and factors of records.
    let schema: ExpressionSchema
    /// For conditions checked at a redemption counter, where `record.*` does not exist.
    let counterSchema: ExpressionSchema
    let categoryIDs: [String]
}
