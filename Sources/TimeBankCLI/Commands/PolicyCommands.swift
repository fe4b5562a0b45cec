import TimeBankCore
import TimeBankStorage

struct PolicyCheckCommand: Command {
    static let name = "policy check"
    static let abstract = "Check policy files: every error and warning with its line, a marker and help"
    static let help = """
    Usage: timebank policy check FILE... [--json]
           timebank policy check FILE --against-active [--json]

    Reads each points policy (docs/policy.md) and lists every problem at once: TOML syntax (P001-P049),
    sections, keys, values and references (P100-P199), expressions (P200-P249), each with the source line,
    a marker under the exact place and, where there is one, "help: did you mean ...". The ids are explained
    with examples in docs/policy-errors.md. Exits 0 when no file has errors (warnings are allowed), 2 otherwise.
    --json prints the diagnostics as data. No database is needed, except with --against-active.

    --against-active also reads the database (--db, else $TIMEBANK_DB, else ./timebank.sqlite), writing
    nothing, and says what `timebank policy activate FILE` would do: the stored version in force on FILE's
    effective date, which it would replace, and what changes from it (categories, indicators, multipliers,
    bonuses, penalties, grants and catalog items added or removed, a rule with its when, categories and
    once, a catalog item with its eligible; rates, points, factors and prices changed, and the settings of
    [policy] timezone and unit, [earning], an indicator's per and dimension, a rule's when, categories and
    once, [caps], a category's caps, a grant's every and to, [accounts], [transfers], [expiry], levels'
    thresholds, [ranking], a catalog item's kind, unit_cost, limit, eligible, capacity_per_day and
    low_stock, and [fund], old -> new; [calendar] holidays from the effective date on, added or removed),
    with what it does not compare (labels, [policy] name, catalog groups) and how to read
    that with `policy show`; a new ranking period, with the old period spanning the change that would then
    never be ranked; a refusal it would give (A002, A004, A005, A011, A013; A013 also behind one of the
    others, for the settled days --force would go past); and, as warning[A012], the
    categories and indicators it drops that records not posted yet still use, with the rules it drops that
    act on them. These are warnings: the exit code is still 0 when FILE has no errors.

    Examples:
      timebank policy check config/policy.toml
      timebank policy check config/examples/*.toml --json
      timebank policy check next-version.toml --against-active
    """
    static let flagOptions = ["--against-active"]
    let paths: [String]
    /// Whether to say what activating the one file would do with the versions stored in the database.
    let againstActive: Bool

    init(_ arguments: Arguments) throws {
        againstActive = arguments.flag("--against-active")
        if againstActive {
            try arguments.expectPositionals(1...1, "one policy file with --against-active")
        } else {
            try arguments.expectPositionals(1...Int.max, "at least one policy file")
        }
        paths = arguments.positionals
    }

    func run(_ context: CommandContext) throws -> Int32 {
        if againstActive { return try runAgainstActive(context) }
        var results: [PolicyLoadResult] = []
        for path in paths {
            results.append(PolicyLoader.load(bytes: try FileSystem.readBytes(path), path: path, timeZones: SystemTimeZones.names))
        }
        if context.json {
            context.output.line(JSON.object([
                ("ok", .bool(!results.contains { $0.hasErrors })),
                ("errors", .integer(results.reduce(0) { $0 + $1.errorCount })),
                ("warnings", .integer(results.reduce(0) { $0 + $1.warningCount })),
                ("files", .array(results.map(PolicyJSON.checkResult))),
            ]).rendered())
        } else {
            for result in results { context.output.write(result.rendered()) }
        }
        return results.contains { $0.hasErrors } ? ExitCode.badInput : ExitCode.done
    }

    /// The check with the community's stations and teams, then what activating the file would do (when it has no errors).
    private func runAgainstActive(_ context: CommandContext) throws -> Int32 {
        let path = paths[0]
        let bytes = try FileSystem.readBytes(path)
        let store = try context.openStore()
        let result = try store.checkPolicy(bytes: bytes, path: path)
        let text = String(validating: bytes, as: UTF8.self)
        let preview = try result.policy.flatMap { policy in try text.map { try store.previewActivation($0, policy: policy) } }
        if context.json {
            var file = PolicyJSON.checkResult(result)
            if case .object(var members) = file {
                members.append(("against_active", preview.map { PolicyJSON.preview($0) } ?? .null))
                file = .object(members)
            }
            context.output.line(JSON.object([
                ("ok", .bool(!result.hasErrors)), ("errors", .integer(result.errorCount)), ("warnings", .integer(result.warningCount)),
                ("files", .array([file])),
            ]).rendered())
        } else {
            context.output.write(result.rendered())
            if let policy = result.policy, let preview {
                context.output.write(PolicyPreviewText.text(preview, policy: policy, path: path, today: context.today,
                                                            sha256: text.map { SHA256.hexHash(utf8: $0) } ?? ""))
            } else {
                context.output.line("\nThe comparison with the stored versions waits until the errors are fixed.")
            }
        }
        return result.hasErrors ? ExitCode.badInput : ExitCode.done
    }
}

/// What `policy check --against-active` prints after the diagnostics: the version replaced, what changes, and what
/// `policy activate` would say, in words an admin reads.
enum PolicyPreviewText {
    /// `sha256`: the file's, which differs from the stored version it is already when only its line ends or byte-order
    /// mark do.
    static func text(_ preview: PolicyActivationPreview, policy: Policy, path: String, today: LocalDate, sha256: String) -> String {
        var out = "\n"
        func line(_ text: String) { out += text + "\n" }
        // effective = 2027-11-15 for 2026-11-15: a year typed wrong is stored without a word otherwise.
        let daysAhead = policy.effective.daysSinceEpoch - today.daysSinceEpoch
        if daysAhead > 366 {
            line("note: \(policy.effective) is \(daysAhead) days after today (\(today)): check the year of effective")
        }
        let activate = "`timebank policy activate \(path)`"
        if let same = preview.alreadyActive {
            line("This \(same.sha256 == sha256 ? "exact text" : "text") is stored already as #\(same.number) (version \(same.version), "
                + "in force from \(same.effective))\(same.sha256 == sha256 ? "" : Self.otherLineEnds): activating it again changes nothing.")
            return out
        }
        if let replaced = preview.replaced {
            let record = replaced.record
            if let comparison = preview.comparison {
                line("From \(policy.effective), version \(policy.version) would replace version \(record.version) (#\(record.number), in force "
                    + "from \(record.effective)). What changes:")
                if comparison.isEmpty {
                    line("  nothing compared differs: categories, indicators, multipliers, bonuses, penalties (with their conditions), "
                        + "grants, the catalog (but its groups), and the settings of [policy] timezone and unit, [earning], indicators' "
                        + "per and dimension, [caps], [accounts], [transfers], [expiry], levels, [ranking], [fund] and [calendar] holidays")
                }
                // Points named as each version names them (积分, 信义币): a removed item by the version it leaves.
                for item in comparison.added { line("  added    " + describe(item, unit: policy.unit)) }
                for item in comparison.removed { line("  removed  " + describe(item, unit: replaced.policy.unit)) }
                for change in comparison.changed { line("  changed  " + describe(change, unit: policy.unit)) }
                for setting in comparison.settings { line("  changed  " + describe(setting, unit: policy.unit)) }
                // The days record.is_holiday holds on, from the effective date on (an earlier one scores nothing under it).
                if !comparison.holidaysAdded.isEmpty {
                    line("  added    [calendar] holidays: " + comparison.holidaysAdded.map(\.description).joined(separator: ", "))
                }
                if !comparison.holidaysRemoved.isEmpty {
                    line("  removed  [calendar] holidays: " + comparison.holidaysRemoved.map(\.description).joined(separator: ", "))
                }
                // The list is short by design: say what it leaves out, and where to read it.
                line("Not compared: " + PolicyComparison.notCompared.joined(separator: ", ") + ".")
                line("To see those, read `timebank policy show \(path)` beside `timebank policy show --active --on \(record.effective)`.")
                for note in changeNotes(comparison, old: replaced.policy, new: policy) { line("note: " + note) }
                if let lost = comparison.rankingNotWritten, let old = replaced.policy.ranking, let new = policy.ranking {
                    out += "\n"
                    line("warning: " + rankingNotWrittenText(lost, old: old, new: new, effective: policy.effective))
                }
            }
        } else if let first = preview.firstEffective {
            line("No stored version is in force on \(policy.effective) (the first takes effect on \(first)): there is nothing to compare with.")
        } else {
            line("No policy version is stored in the database yet: there is nothing to compare with.")
        }

        var codes: [String] = []
        if let refusal = preview.refusal {
            out += "\n"
            line("warning[\(refusal.code)]: \(refusal.message)")
            codes.append(refusal.code)
        }
        if let settled = preview.settledDaysBehindRefusal {
            out += "\n"
            line("warning[\(settled.code)]: \(settled.message)")
            codes.append(settled.code)
        }
        if let dropped = preview.droppedInUse {
            out += "\n"
            line("warning[\(dropped.code)]: \(dropped.message)")
            codes.append(dropped.code)
        }
        let rules = preview.impact.dropped.filter { !$0.losesRecords }
        if !rules.isEmpty {
            out += "\n"
            line("warning: version \(policy.version) also drops rules that act on records not posted yet:")
            for use in rules { line("  - \(use.description)") }
        }
        out += "\n"
        if codes.isEmpty {
            let until = preview.impact.until.map { " until \($0), when a later stored version takes over" } ?? ""
            line("\(activate) would store it as version \(policy.version), in force from \(policy.effective)\(until). Nothing was written.")
        } else {
            let never = preview.refusal.map { if case .versionSuperseded = $0 { true } else { false } } ?? false
            line("\(activate) would refuse it (\(codes.joined(separator: ", ")))"
                + (never ? ", even with --force" : " unless given --force with --reason") + ". Nothing was written.")
        }
        return out
    }

    /// Said of a file that is a stored version's text saved with other line ends or byte-order mark.
    static let otherLineEnds = ", but for its line ends or byte-order mark, which read the same"

    /// What a change does to points posted already and to the period it starts in, which an admin may read otherwise:
    /// new expiry rules date only the lots credited from the effective date; a new grant, or one paid by another
    /// period or to other accounts, pays the whole period it starts in on the first night.
    static func changeNotes(_ comparison: PolicyComparison, old: Policy, new: Policy) -> [String] {
        var notes: [String] = []
        if comparison.settings.contains(where: { $0.setting.hasPrefix("[expiry] after_months") || $0.setting.hasPrefix("[expiry] end_of_year") }) {
            notes.append("points credited before \(new.effective) keep the expiry date they were given; the new [expiry] dates "
                + "the points credited from \(new.effective)")
        }
        if comparison.settings.contains(where: { $0.setting.hasPrefix("[levels.") }) {
            notes.append("star levels are worked out again every night by the version in force: from \(new.effective) a volunteer "
                + "below a raised threshold loses the level (a level change is recorded), and one above a lowered or new one gains it")
        }
        for grant in new.grants {
            let before = old.grants.first { $0.id == grant.id }
            guard before == nil || before?.every != grant.every || before?.to != grant.to else { continue }
            let period = ScoringWindow(grant.every, containing: new.effective)
            notes.append("grant \"\(grant.id)\" is paid on the first night from \(new.effective) for \(period.label), its whole "
                + "\(grant.points) \(new.unit), however late in the \(grant.every.rawValue) the version starts"
                + (before.map { " (what it paid for \(ScoringWindow($0.every, containing: new.effective).label) is not taken back"
                    + ($0.to != grant.to ? "; it is now paid to each \(grant.to.rawValue), as well as what each \($0.to.rawValue) had" : "")
                    + ")" } ?? ""))
        }
        return notes
    }

    /// What a new ranking period means for the old one's period that spans the change (`PolicyComparison.rankingNotWritten`).
    static func rankingNotWrittenText(_ lost: ScoringWindow, old: PolicyRanking, new: PolicyRanking, effective: LocalDate) -> String {
        let first = ScoringWindow(new.period, containing: effective)
        return "the ranking changes from every \(old.period.rawValue) to every \(new.period.rawValue) on \(effective), so the ranking of "
            + "\(lost.label) will not be written: the nightly settlement ranks a period by the [ranking] of the version in force on its "
            + "last day, and \(lost.label) ends (\(lost.lastDay)) under the new version. The first ranking by \(new.period.rawValue) is "
            + "that of \(first.label), written on \(first.end). To keep \(lost.label)'s ranking, write effective = \(lost.end), the day "
            + "after it ends; or `timebank report ranking --from \(lost.start) --to \(lost.lastDay)` prints it once its records are posted"
    }

    /// `category "orange" (橙色关怀): 12 积分 an hour`, `multiplier "weekend": factor 1.2; when 'record.weekday == "sun"'`:
    /// the points named `unit`, and what a rule applies to (`on every record` when it has no condition), a bonus's `once`,
    /// a catalog item's `eligible` and the item's other keys (`details`: `daily_cap = 40`, `per = "month"`), as written, on one line.
    static func describe(_ item: PolicyComparison.Item, unit points: String) -> String {
        var parts = [name(item.kind, item.id, item.label) + ": " + (item.kind == .multiplier ? "factor " : "") + "\(item.value)"
            + unit(item.kind, points)]
        if let when = item.when { parts.append("when '\(when)'") }
        if let categories = item.categories { parts.append("categories " + PolicyComparison.written(categories)) }
        if item.isRule, item.when == nil, item.categories == nil { parts.append("on every record") }
        if item.once == true { parts.append("once per volunteer") }
        if let eligible = item.eligible { parts.append("eligible '\(eligible)'") }
        parts += item.details
        return parts.joined(separator: "; ")
    }

    /// `category "orange" (橙色关怀): 12 → 15 积分 an hour`, `multiplier "weekend": factor 1.2 → 1.5`.
    static func describe(_ change: PolicyComparison.Change, unit points: String) -> String {
        name(change.kind, change.id, change.label) + ": " + (change.kind == .multiplier ? "factor " : "")
            + "\(change.old) → \(change.new)" + unit(change.kind, points)
    }

    /// `[caps] monthly: 600 → 800 积分`, `[categories.green] daily_cap: 30 积分 → none`: points named `unit`.
    static func describe(_ setting: PolicyComparison.SettingChange, unit points: String) -> String {
        let unit = setting.unit.isEmpty ? "" : " " + (setting.unit == "points" ? points : setting.unit)
        guard let old = setting.old, let new = setting.new else {
            return "\(setting.setting): \(setting.old.map { $0 + unit } ?? "none") → \(setting.new.map { $0 + unit } ?? "none")"
        }
        return "\(setting.setting): \(old) → \(new)\(unit)"
    }

    static func name(_ kind: PolicyComparison.Kind, _ id: String, _ label: String) -> String {
        "\(kind == .catalogItem ? "catalog item" : kind.rawValue) \"\(id)\"" + (label.isEmpty || label == id ? "" : " (\(label))")
    }

    /// What the value counts, after it.
    static func unit(_ kind: PolicyComparison.Kind, _ points: String) -> String {
        switch kind {
        case .category: " \(points) an hour"
        case .multiplier: ""
        case .indicator, .bonus, .penalty, .grant, .catalogItem: " \(points)"
        }
    }
}

struct PolicyShowCommand: Command {
    static let name = "policy show"
    static let abstract = "Summarise a policy: categories and rates, multipliers, bonuses, caps, catalog"
    static let help = """
    Usage: timebank policy show FILE
           timebank policy show --active [--on YYYY-MM-DD]

    Prints what a policy does, in tables: its categories and rates, indicators, multipliers, bonuses and
    penalties, caps, grants, levels and catalog. With --active it shows the version stored in the database
    that is in force today (or on the date given with --on). A file with errors is not shown: its
    diagnostics are printed instead (exit 2).

    Examples:
      timebank policy show config/policy.toml
      timebank policy show --active --on 2026-10-01
    """
    static let valueOptions = ["--on"]
    static let flagOptions = ["--active"]
    let path: String?
    let date: LocalDate?

    init(_ arguments: Arguments) throws {
        if arguments.flag("--active") {
            try arguments.expectPositionals(0...0, "no file with --active")
            path = nil
            date = try arguments.date("--on")
        } else {
            try arguments.expectPositionals(1...1, "a policy file (or --active)")
            guard try arguments.value("--on") == nil else { throw UsageError("--on goes with --active") }
            path = arguments.positionals[0]
            date = nil
        }
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let policy: Policy
        var stored: PolicyVersionRecord?
        if let path {
            let result = PolicyLoader.load(bytes: try FileSystem.readBytes(path), path: path, timeZones: SystemTimeZones.names)
            guard let loaded = result.policy else {
                context.errors.write(result.rendered())
                // Thrown, not returned: under --json standard output then holds the error object (it held nothing).
                throw UsageError("\(path) has errors (above); fix them with `timebank policy check \(path)`")
            }
            policy = loaded
        } else {
            let active = try context.openStore().policy(inForceOn: date ?? context.today)
            policy = active.policy
            stored = active.record
        }
        if context.json {
            var members = PolicyJSON.policy(policy)
            if let stored { members.insert(("stored", PolicyJSON.version(stored)), at: 0) }
            context.output.line(JSON.object(members).rendered())
        } else {
            if let stored {
                context.output.line("In force on \(date ?? context.today): version #\(stored.number), activated \(Receipt.localTime(stored.activatedAt, utcOffsetMinutes: context.utcOffsetMinutes(at: stored.activatedAt))) by \(stored.actor), sha256 \(stored.sha256.prefix(16))…")
            }
            context.output.write(PolicySummary.text(policy))
        }
        return ExitCode.done
    }
}

struct PolicyActivateCommand: Command {
    static let name = "policy activate"
    static let abstract = "Store a checked policy as the newest version, with its SHA-256 and who activated it"
    static let help = """
    Usage: timebank policy activate FILE [--force --reason TEXT]

    Checks FILE and stores its exact text, SHA-256, version and effective date with who activated it:
    the admin signed in (below; $TIMEBANK_ACTOR is not read then), or, while the database has no
    operator yet, $TIMEBANK_ACTOR (else $USER, else $LOGNAME). Refused, with nothing written:
      - a file with errors (A001; never overridable);
      - a version that does not take effect after the latest active one (A002), a version label already
        active (A004), another policy id than the active one (A005), or one that drops a category or
        indicator that records not posted yet still use (A012: the settlement would reject them for good),
        or one that takes effect on a day the nightly settlement has closed (A013: the records of those days
        posted keep their points, only those not posted yet would be scored by it), unless --force and
        --reason are given; the reason is stored with the version.
    A version that drops a category, indicator, multiplier, bonus or penalty that records not posted yet
    use is said in a warning on standard error, with the counts, when it is activated.
    Activating the same file again changes nothing, also when it was re-saved with other line ends (CRLF)
    or byte-order mark. The file of a version that a later one superseded
    is refused, even with --force (A011): going back to its rules is a new version with a later effective
    date, and the message shows the lines to change. `timebank policy versions` lists the versions;
    the one in force on a day is the latest effective on or before it. To see all of this first, with what
    changes from the version in force, without writing: timebank policy check FILE --against-active.

    Examples:
      timebank policy activate config/policy.toml
      timebank policy activate fix.toml --force --reason "更正10月规则: 周末系数应为1.5"
    """
    static let valueOptions = ["--reason"]
    static let flagOptions = ["--force"]
    let path: String
    let overrideReason: String?

    init(_ arguments: Arguments) throws {
        try arguments.expectPositionals(1...1, "a policy file")
        path = arguments.positionals[0]
        let reason = try arguments.value("--reason")
        if arguments.flag("--force") {
            guard let reason else { throw PolicyStoreError.invalidReason("is missing: --force needs --reason") }
            overrideReason = reason
        } else {
            guard reason == nil else { throw UsageError("--reason goes with --force") }
            overrideReason = nil
        }
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let bytes = try FileSystem.readBytes(path)
        let store = try context.openStore()
        let result = try store.checkPolicy(bytes: bytes, path: path)
        if !result.diagnostics.isEmpty { context.errors.write(result.rendered()) }
        // What the new version drops that records not posted yet use: refused by the store (A012) when records would be
        // lost, unless forced; said loudly whenever it is activated.
        let impact = try result.policy.map { try store.impactOfActivating($0) }
        // Days already settled that it takes effect on: refused by the store (A013) unless forced; said when forced.
        let overlap = try result.policy.flatMap { policy in
            try store.settledOverlap(of: policy, replacedVersion: try store.policyVersion(inForceOn: policy.effective)?.version)
        }
        // A ranking period changed: the old kind's period that spans the change is never written (said, not refused).
        let replaced = try result.policy.flatMap { policy in
            try store.policyVersion(inForceOn: policy.effective).map { try store.policy(inForceOn: $0.effective).policy }
        }
        let outcome = try store.activatePolicy(bytes: bytes, actor: context.actor, overrideReason: overrideReason)
        let record = outcome.record
        if outcome.isActivated, let overlap { context.errors.line("warning: " + overlap.description + ".") }
        if outcome.isActivated, let policy = result.policy, let replaced, let old = replaced.ranking, let new = policy.ranking,
           let lost = PolicyComparison(from: replaced, to: policy).rankingNotWritten {
            context.errors.line("warning: " + PolicyPreviewText.rankingNotWrittenText(lost, old: old, new: new, effective: policy.effective) + ".")
        }
        let dropped = outcome.isActivated ? impact?.dropped ?? [] : []
        if !dropped.isEmpty {
            context.errors.line("warning: version \(record.version) drops what records not posted yet still use:")
            for use in dropped { context.errors.line("  - \(use.description)") }
        }
        if context.json {
            let state: String = { if case .activated = outcome { "activated" } else { "already_active" } }()
            context.output.line(JSON.object([("outcome", .string(state)), ("version", PolicyJSON.version(record)),
                                             ("dropped_in_use", .array(dropped.map(PolicyJSON.droppedUse)))]).rendered())
        } else if case .activated = outcome {
            context.output.line("Activated policy \(record.policyID) version \(record.version) as #\(record.number), in force from \(record.effective).")
            context.output.line("SHA-256 \(record.sha256)" + (record.overrideReason.map { "; overridden: \($0)" } ?? ""))
        } else {
            // The same text saved with other line ends or byte-order mark is that version too (its hash is not the stored one).
            let exact = SHA256.hex(SHA256.hash(bytes)) == record.sha256
            context.output.line("This \(exact ? "exact text" : "text") is active already as #\(record.number) (version \(record.version), in force "
                + "from \(record.effective))\(exact ? "" : PolicyPreviewText.otherLineEnds); nothing written.")
        }
        return ExitCode.done
    }
}

struct PolicyVersionsCommand: Command {
    static let name = "policy versions"
    static let abstract = "List the activated policy versions and which one is in force"
    static let help = """
    Usage: timebank policy versions [--on YYYY-MM-DD]

    Lists every activated version in activation order; "*" marks the one in force today (or on --on).
    "In force" gives the days each version holds: from its effective date to the day before the next
    one takes over ("2026-10-01 on" for the newest), or "never" when a version activated later with the
    same effective date replaced it before its first day. --json adds "in_force_through" (null while
    open) and "never_in_force".

    Example:
      timebank policy versions
    """
    static let valueOptions = ["--on"]
    let date: LocalDate?

    init(_ arguments: Arguments) throws {
        try arguments.expectPositionals(0...0, "no arguments")
        date = try arguments.date("--on")
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let store = try context.openStore()
        let day = date ?? context.today
        let versions = try store.policyVersions()
        let inForce = try store.policyVersion(inForceOn: day)?.number
        let spans = Self.spans(versions)
        if context.json {
            context.output.line(JSON.object([
                ("date", .string(day.description)), ("in_force", inForce.map { .integer($0) } ?? .null),
                ("versions", .array(versions.map { record in
                    PolicyJSON.version(record, adding: [("in_force_through", .optional(spans[record.number]?.through?.description)),
                                                        ("never_in_force", .bool(spans[record.number]?.replacedOnItsDayBy != nil))])
                })),
            ]).rendered())
            return ExitCode.done
        }
        guard !versions.isEmpty else {
            context.output.line("No policy version is active yet. Activate one with: timebank policy activate config/policy.toml")
            return ExitCode.done
        }
        var table = TextTable([("", .left), ("#", .right), ("Policy", .left), ("Version", .left), ("Effective", .left),
                               ("In force", .left), ("SHA-256", .left), ("Activated", .left), ("By", .left), ("Override reason", .left)])
        for record in versions {
            let span = spans[record.number]
            let held = if let replacer = span?.replacedOnItsDayBy { "never (#\(replacer), same day)" }
                else if let through = span?.through { "\(record.effective) to \(through)" } else { "\(record.effective) on" }
            table.add([record.number == inForce ? "*" : "", String(record.number), record.policyID, record.version,
                       record.effective.description, held, String(record.sha256.prefix(12)),
                       // Local time, as receipts and `operator list` print it; --json keeps the stored UTC time.
                       Receipt.localTime(record.activatedAt, utcOffsetMinutes: context.utcOffsetMinutes(at: record.activatedAt)),
                       record.actor, record.overrideReason ?? ""])
        }
        context.output.write(table.rendered())
        context.output.line(inForce.map { "* in force on \(day): #\($0)" } ?? "No version is in force on \(day).")
        return ExitCode.done
    }
}

extension PolicyVersionsCommand {
    /// The days each version is in force, by number: through the day before the next version in (effective, number)
    /// order takes over (nil for the newest: open), or replaced on its own first day by a later activation with the same
    /// effective date (then never in force).
    static func spans(_ versions: [PolicyVersionRecord]) -> [Int64: (through: LocalDate?, replacedOnItsDayBy: Int64?)] {
        let ordered = versions.sorted { ($0.effective, $0.number) < ($1.effective, $1.number) }
        var spans: [Int64: (through: LocalDate?, replacedOnItsDayBy: Int64?)] = [:]
        for (index, record) in ordered.enumerated() {
            guard index + 1 < ordered.count else { spans[record.number] = (nil, nil); continue }
            let next = ordered[index + 1]
            spans[record.number] = next.effective == record.effective ? (nil, next.number) : (next.effective.adding(days: -1), nil)
        }
        return spans
    }
}

/// The human-readable summary `policy show` prints.
enum PolicySummary {
    /// One line: id, version, effective date and what the policy declares.
    static func line(_ policy: Policy) -> String {
        func count(_ number: Int, _ singular: String, _ plural: String) -> String { "\(number) \(number == 1 ? singular : plural)" }
        var parts = [count(policy.categories.count, "category", "categories")]
        if !policy.indicators.isEmpty { parts.append(count(policy.indicators.count, "indicator", "indicators")) }
        parts.append(count(policy.multipliers.count, "multiplier", "multipliers"))
        parts.append(count(policy.bonuses.count, "bonus", "bonuses"))
        parts.append(count(policy.penalties.count, "penalty", "penalties"))
        if !policy.levels.isEmpty { parts.append(count(policy.levels.count, "level", "levels")) }
        parts.append(count(policy.catalog.count, "catalog item", "catalog items"))
        return "policy \(policy.id) version \(policy.version), effective \(policy.effective), unit \(policy.unit): " + parts.joined(separator: ", ")
    }

    /// What `min_minutes` and `max_minutes_per_record` do, in words: a shorter record earns nothing; a longer one is
    /// accepted and counts only that many minutes.
    static func minutesRule(_ earning: PolicyEarning) -> String {
        let most = "at most \(earning.maxMinutesPerRecord) minutes of one record count"
        guard earning.minMinutes > 0 else { return most }
        return "a record shorter than \(earning.minMinutes) minute\(earning.minMinutes == 1 ? "" : "s") earns nothing, and \(most)"
    }

    static func text(_ policy: Policy) -> String {
        // A policy without a name takes its id as its name: said once.
        let title = policy.name == policy.id ? policy.id : "\(policy.name) (\(policy.id))"
        var out = "\(title), version \(policy.version), effective \(policy.effective), time zone \(policy.timezone), unit \(policy.unit)\n"
        let earning = policy.earning
        out += "Earning: \(earning.rounding.word) to a step of \(earning.step); \(minutesRule(earning)); "
            + "verifier \(earning.requireVerifier ? "required" : "not required"); "
            + (earning.autoAcceptAfterDays.map { "accepted automatically after \($0) days" } ?? "never accepted automatically")
            + "; multipliers combine by \(earning.combineMultipliers.rawValue)\n"
        out += "\(policy.unit) go to the \(policy.accounts.earnTo.rawValue)'s account; balance floor \(policy.accounts.balanceFloor).\n"

        func section(_ title: String, _ table: TextTable) {
            guard !table.rows.isEmpty else { return }
            out += "\n\(title)\n" + table.rendered()
        }
        func optional(_ value: ExactDecimal?) -> String { value?.description ?? "-" }
        func condition(_ condition: PolicyCondition) -> String {
            var parts: [String] = []
            if let categories = condition.categories { parts.append("categories " + categories.joined(separator: ", ")) }
            if let when = condition.when { parts.append(when.spacedText) }
            return truncated(parts.isEmpty ? "always" : parts.joined(separator: "; "), toWidth: 60)
        }
        func amount(_ amount: PolicyAmount) -> String {
            switch amount {
            case .fixed(let value): value.description
            // On one line: a factor written over several lines broke the table's row.
            case .computed(let expression): truncated("'" + expression.spacedText + "'", toWidth: 30)
            }
        }

        var categories = TextTable([("Category", .left), ("Label", .left), ("\(policy.unit)/hour", .right), ("Daily cap", .right), ("Monthly cap", .right)])
        for category in policy.categories {
            categories.add([category.id, category.label, category.pointsPerHour.description, optional(category.dailyCap), optional(category.monthlyCap)])
        }
        section("Categories", categories)
        var indicators = TextTable([("Indicator", .left), ("Dimension", .left), ("Label", .left), (policy.unit, .right), ("Per", .left)])
        for indicator in policy.indicators {
            indicators.add([indicator.id, indicator.dimension, indicator.label, indicator.points.description, indicator.per.rawValue])
        }
        section("Indicators", indicators)
        var multipliers = TextTable([("Multiplier", .left), ("Label", .left), ("Factor", .right), ("When", .left)])
        for multiplier in policy.multipliers {
            multipliers.add([multiplier.id, multiplier.label, amount(multiplier.factor), condition(multiplier.condition)])
        }
        section("Multipliers (combined by \(earning.combineMultipliers.rawValue))", multipliers)
        var rules = TextTable([("Rule", .left), ("Label", .left), (policy.unit, .right), ("Once", .left), ("When", .left)])
        for bonus in policy.bonuses { rules.add([bonus.id, bonus.label, amount(bonus.points), bonus.once ? "yes" : "", condition(bonus.condition)]) }
        for penalty in policy.penalties { rules.add([penalty.id, penalty.label, amount(penalty.points), "", condition(penalty.condition)]) }
        section("Bonuses and penalties", rules)
        let caps = policy.caps.all
        out += "\nCaps per volunteer (earning only; penalties are not capped): "
            + (caps.isEmpty ? "none" : caps.map { "\($0.period.rawValue) \($0.points)" }.joined(separator: ", ")) + "\n"
        var grants = TextTable([("Grant", .left), ("Label", .left), (policy.unit, .right), ("Every", .left), ("To", .left)])
        for grant in policy.grants { grants.add([grant.id, grant.label, grant.points.description, grant.every.rawValue, grant.to.rawValue]) }
        section("Grants", grants)
        var levels = TextTable([("Level", .left), ("Label", .left), ("Needs", .right)])
        for level in policy.levels {
            switch level.threshold {
            case .hours(let hours): levels.add([level.id, level.label, "\(hours) hours"])
            case .points(let points): levels.add([level.id, level.label, "\(points) points"])
            }
        }
        section("Levels", levels)
        if let ranking = policy.ranking {
            out += "\nRanking: top \(ranking.top) by \(ranking.by.rawValue) every \(ranking.period.rawValue)\n"
        }
        var catalog = TextTable([("Item", .left), ("Label", .left), ("Kind", .left), ("Group", .left), ("Price", .right),
                                 ("Cost CNY", .right), ("Limit", .left), ("Per day", .right), ("Low stock", .right), ("Eligible", .left)])
        for item in policy.catalog {
            catalog.add([item.id, item.label, item.kind.rawValue, item.group, item.price.description, optional(item.unitCost),
                         item.limit.map { "\($0.count) per \($0.per.rawValue)" } ?? "", item.capacityPerDay.map(String.init) ?? "",
                         item.kind == .goods ? String(item.lowStockLevel) : "",
                         // On one line: a condition written over several lines broke the table's row.
                         item.eligible.map { truncated($0.spacedText, toWidth: 40) } ?? ""])
        }
        section("Catalog", catalog)
        out += "\n"
        switch policy.expiry.rule {
        case .never: out += "Expiry: points never expire.\n"
        case .afterMonths(let months): out += "Expiry: \(months) months after they are earned; volunteers are warned \(policy.expiry.warnDays) days before.\n"
        case .endOfYear: out += "Expiry: at the end of the year they are earned (spendable through 31 December, expired on 1 January); volunteers are warned \(policy.expiry.warnDays) days before.\n"
        }
        out += "Transfers: " + (policy.transfers.enabled
            ? "allowed" + (policy.transfers.maxPointsPerMonth.map { ", at most \($0) a month" } ?? "") : "not allowed") + ".\n"
        // 0.001 is what the file says; 0.1% is how the article and the admin say it.
        let percent = (try? policy.fund.merchantRate.multiplied(by: ExactDecimal(100))).map { " (\($0)%)" } ?? ""
        out += "Fund: \(policy.fund.currency), merchants pay \(policy.fund.merchantRate)\(percent) of turnover, one point is backed by \(policy.fund.pointValue) \(policy.fund.currency).\n"
        // Every day, earliest to latest (the file may list them in any order), consecutive days as one run
        // (`2026-10-01 to 2026-10-07`): what an admin checks against the year's holiday notice.
        let holidays = Set(policy.calendar.holidays).sorted()
        if !holidays.isEmpty {
            var runs: [(first: LocalDate, last: LocalDate)] = []
            for day in holidays {
                if let last = runs.last?.last, last.adding(days: 1) == day { runs[runs.count - 1].last = day } else { runs.append((day, day)) }
            }
            out += "Holidays: \(holidays.count) day\(holidays.count == 1 ? "" : "s"): "
                + runs.map { $0.first == $0.last ? $0.first.description : "\($0.first) to \($0.last)" }.joined(separator: ", ") + ".\n"
        }
        return out
    }
}

extension ExactDecimal.RoundingMode {
    /// The word the policy file uses.
    var word: String {
        switch self {
        case .floor: "floor"
        case .ceil: "ceil"
        case .halfUp: "half_up"
        case .halfEven: "half_even"
        }
    }
}

/// The JSON forms of policy check results, policies and stored versions.
enum PolicyJSON {
    static func checkResult(_ result: PolicyLoadResult) -> JSON {
        var members: [(String, JSON)] = [
            ("path", .string(result.path)), ("ok", .bool(!result.hasErrors)),
            ("errors", .integer(result.errorCount)), ("warnings", .integer(result.warningCount)),
        ]
        if let policy = result.policy {
            members.append(("policy", .object([("id", .string(policy.id)), ("version", .string(policy.version)),
                                               ("effective", .string(policy.effective.description))])))
        }
        members.append(("diagnostics", .array(result.diagnostics.map(diagnostic))))
        return .object(members)
    }

    static func diagnostic(_ diagnostic: Diagnostic) -> JSON {
        .object([
            ("severity", .string(diagnostic.severity.rawValue)), ("id", .string(diagnostic.id)), ("message", .string(diagnostic.message)),
            ("line", .integer(diagnostic.range.start.line)), ("column", .integer(diagnostic.range.start.column)),
            ("end_line", .integer(diagnostic.range.end.line)), ("end_column", .integer(diagnostic.range.end.column)),
            ("offset", .integer(diagnostic.range.start.offset)), ("end_offset", .integer(diagnostic.range.end.offset)),
            ("help", .array(diagnostic.help.map(JSON.string))), ("notes", .array(diagnostic.notes.map(JSON.string))),
        ])
    }

    /// A stored version; `adding` members after its own (`policy versions` adds the days it is in force).
    static func version(_ record: PolicyVersionRecord, adding extra: [(String, JSON)] = []) -> JSON {
        .object([
            ("number", .integer(record.number)), ("policy_id", .string(record.policyID)), ("version", .string(record.version)),
            ("effective", .string(record.effective.description)), ("sha256", .string(record.sha256)), ("actor", .string(record.actor)),
            ("activated_at", .string(record.activatedAt.description)), ("override_reason", .optional(record.overrideReason)),
        ] + extra)
    }

    /// A category, indicator or rule a new version drops while records not posted yet use it.
    static func droppedUse(_ use: PolicyVersionImpact.DroppedUse) -> JSON {
        .object([
            ("kind", .string(use.kind.rawValue)), ("id", .string(use.id)), ("pending", .integer(Int64(use.pending))),
            ("approved", .integer(Int64(use.approved))), ("first_date", .string(use.firstDate.description)),
            ("last_date", .string(use.lastDate.description)), ("records_lost", .bool(use.losesRecords)),
        ])
    }

    /// What `policy check --against-active` found: the version replaced, the changes, and what activation would say.
    static func preview(_ preview: PolicyActivationPreview) -> JSON {
        func value(_ value: PolicyComparison.Value) -> JSON {
            switch value {
            case .number(let number): self.number(number)
            case .expression(let text): .object([("expression", .string(text))])
            }
        }
        // A rule's conditions and a bonus's once, a catalog item's eligible: only on the kinds that have them.
        func item(_ item: PolicyComparison.Item) -> JSON {
            var fields: [(String, JSON)] = [("kind", .string(item.kind.rawValue)), ("id", .string(item.id)), ("label", .string(item.label)),
                                            ("value", value(item.value))]
            if item.isRule {
                fields.append(("when", .optional(item.when)))
                fields.append(("categories", item.categories.map { .array($0.map(JSON.string)) } ?? .null))
            }
            if let once = item.once { fields.append(("once", .bool(once))) }
            if item.kind == .catalogItem { fields.append(("eligible", .optional(item.eligible))) }
            // The item's other keys as the file writes them (`daily_cap = 40`): what the comparison of a kept item compares.
            if !item.isRule { fields.append(("details", .array(item.details.map(JSON.string)))) }
            return .object(fields)
        }
        func refusal(_ error: PolicyStoreError?) -> JSON {
            error.map { .object([("code", .string($0.code)), ("message", .string($0.message))]) } ?? .null
        }
        let comparison = preview.comparison
        return .object([
            ("already_active", preview.alreadyActive.map { version($0) } ?? .null),
            ("replaces", preview.replaced.map { version($0.record) } ?? .null),
            ("added", .array((comparison?.added ?? []).map(item))),
            ("removed", .array((comparison?.removed ?? []).map(item))),
            ("changed", .array((comparison?.changed ?? []).map { change in
                .object([("kind", .string(change.kind.rawValue)), ("id", .string(change.id)), ("label", .string(change.label)),
                         ("old", value(change.old)), ("new", value(change.new))])
            })),
            ("settings", .array((comparison?.settings ?? []).map { setting in
                .object([("setting", .string(setting.setting)), ("old", .optional(setting.old)), ("new", .optional(setting.new)),
                         ("unit", .string(setting.unit))])
            })),
            ("holidays_added", .array((comparison?.holidaysAdded ?? []).map { .string($0.description) })),
            ("holidays_removed", .array((comparison?.holidaysRemoved ?? []).map { .string($0.description) })),
            ("not_compared", comparison == nil ? .null : .array(PolicyComparison.notCompared.map(JSON.string))),
            ("ranking_not_written", .optional(comparison?.rankingNotWritten?.label)),
            ("refusal", refusal(preview.refusal)),
            ("settled_days_refusal", refusal(preview.settledDaysBehindRefusal)),
            ("dropped_in_use_refusal", refusal(preview.droppedInUse)),
            ("dropped_in_use", .array(preview.impact.dropped.map(droppedUse))),
        ])
    }

    static func number(_ value: ExactDecimal) -> JSON { .number(value.description) }
    static func optionalNumber(_ value: ExactDecimal?) -> JSON { value.map(number) ?? .null }

    /// An amount of points or CNY in the form of every other command's (`60.00`, docs/cli.md); a value with more than two
    /// decimals (which the checker refuses for amounts) as it is written.
    static func amount(_ value: ExactDecimal) -> JSON { (try? value.hundredths()).map(JSON.amount) ?? number(value) }
    static func optionalAmount(_ value: ExactDecimal?) -> JSON { value.map(amount) ?? .null }

    /// A multiplier's factor: a number as written, or its expression.
    static func factor(_ amount: PolicyAmount) -> JSON {
        switch amount {
        case .fixed(let value): number(value)
        case .computed(let expression): .object([("expression", .string(expression.text))])
        }
    }

    /// A bonus's or penalty's points: an amount (`5.00`), or its expression.
    static func amount(_ amount: PolicyAmount) -> JSON {
        switch amount {
        case .fixed(let value): self.amount(value)
        case .computed(let expression): .object([("expression", .string(expression.text))])
        }
    }

    static func condition(_ condition: PolicyCondition) -> [(String, JSON)] {
        [("categories", condition.categories.map { .array($0.map(JSON.string)) } ?? .null),
         ("when", .optional(condition.when?.text))]
    }

    /// The policy as data, every section in documentation order.
    static func policy(_ policy: Policy) -> [(String, JSON)] {
        let earning = policy.earning
        return [
            ("id", .string(policy.id)), ("name", .string(policy.name)), ("version", .string(policy.version)),
            ("effective", .string(policy.effective.description)), ("timezone", .string(policy.timezone)), ("unit", .string(policy.unit)),
            ("earning", .object([
                ("rounding", .string(earning.rounding.word)), ("step", number(earning.step)), ("min_minutes", .integer(earning.minMinutes)),
                ("max_minutes_per_record", .integer(earning.maxMinutesPerRecord)), ("require_verifier", .bool(earning.requireVerifier)),
                ("auto_accept_after_days", earning.autoAcceptAfterDays.map { .integer($0) } ?? .null),
                ("combine_multipliers", .string(earning.combineMultipliers.rawValue)),
            ])),
            ("categories", .array(policy.categories.map {
                .object([("id", .string($0.id)), ("label", .string($0.label)), ("points_per_hour", number($0.pointsPerHour)),
                         ("daily_cap", optionalAmount($0.dailyCap)), ("monthly_cap", optionalAmount($0.monthlyCap))])
            })),
            ("indicators", .array(policy.indicators.map {
                .object([("id", .string($0.id)), ("label", .string($0.label)), ("dimension", .string($0.dimension)),
                         ("points", amount($0.points)), ("per", .string($0.per.rawValue))])
            })),
            ("multipliers", .array(policy.multipliers.map {
                .object([("id", .string($0.id)), ("label", .string($0.label)), ("factor", factor($0.factor))] + condition($0.condition))
            })),
            ("bonuses", .array(policy.bonuses.map {
                .object([("id", .string($0.id)), ("label", .string($0.label)), ("points", amount($0.points)), ("once", .bool($0.once))]
                        + condition($0.condition))
            })),
            ("penalties", .array(policy.penalties.map {
                .object([("id", .string($0.id)), ("label", .string($0.label)), ("points", amount($0.points))] + condition($0.condition))
            })),
            ("caps", .object([("daily", optionalAmount(policy.caps.daily)), ("weekly", optionalAmount(policy.caps.weekly)),
                              ("monthly", optionalAmount(policy.caps.monthly)), ("yearly", optionalAmount(policy.caps.yearly))])),
            ("grants", .array(policy.grants.map {
                .object([("id", .string($0.id)), ("label", .string($0.label)), ("points", amount($0.points)),
                         ("every", .string($0.every.rawValue)), ("to", .string($0.to.rawValue))])
            })),
            ("accounts", .object([("earn_to", .string(policy.accounts.earnTo.rawValue)), ("balance_floor", amount(policy.accounts.balanceFloor))])),
            ("transfers", .object([("enabled", .bool(policy.transfers.enabled)),
                                   ("max_points_per_month", optionalAmount(policy.transfers.maxPointsPerMonth))])),
            ("expiry", .object(expiry(policy.expiry))),
            ("levels", .array(policy.levels.map { level in
                var members: [(String, JSON)] = [("id", .string(level.id)), ("label", .string(level.label))]
                switch level.threshold {
                case .hours(let hours): members.append(("min_hours", number(hours)))
                case .points(let points): members.append(("min_points", amount(points)))
                }
                return .object(members)
            })),
            ("ranking", policy.ranking.map {
                .object([("period", .string($0.period.rawValue)), ("top", .integer($0.top)), ("by", .string($0.by.rawValue))])
            } ?? .null),
            ("catalog", .array(policy.catalog.map {
                .object([("id", .string($0.id)), ("label", .string($0.label)), ("kind", .string($0.kind.rawValue)), ("group", .string($0.group)),
                         ("price", amount($0.price)), ("unit_cost", optionalAmount($0.unitCost)),
                         ("limit", $0.limit.map { .object([("count", .integer($0.count)), ("per", .string($0.per.rawValue))]) } ?? .null),
                         ("eligible", .optional($0.eligible?.text)), ("capacity_per_day", $0.capacityPerDay.map { .integer($0) } ?? .null),
                         ("low_stock", $0.kind == .goods ? .integer($0.lowStockLevel) : .null)])
            })),
            ("fund", .object([("currency", .string(policy.fund.currency)), ("merchant_rate", number(policy.fund.merchantRate)),
                              ("point_value", number(policy.fund.pointValue))])),
            ("calendar", .object([("holidays", .array(policy.calendar.holidays.map { .string($0.description) }))])),
        ]
    }

    static func expiry(_ expiry: PolicyExpiry) -> [(String, JSON)] {
        switch expiry.rule {
        case .never: [("rule", .string("never")), ("warn_days", .integer(expiry.warnDays))]
        case .afterMonths(let months): [("rule", .string("after_months")), ("after_months", .integer(months)), ("warn_days", .integer(expiry.warnDays))]
        case .endOfYear: [("rule", .string("end_of_year")), ("warn_days", .integer(expiry.warnDays))]
        }
    }
}
