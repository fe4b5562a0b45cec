import TimeBankCore

/// The arguments of one command: `--name value`, `--name=value`, flags and positionals.
/// Commands declare their options so that a typo is an error with a suggestion, never ignored.
public struct Arguments {
    public private(set) var positionals: [String] = []
    private var values: [String: [String]] = [:]
    private var flags: Set<String> = []
    /// The value options the command declares (for the hints of `expectPositionals`).
    private var declaredValueOptions: [String] = []
    /// The command's help, whose usage names the options it needs (`Arguments.requiredUsage`), for the hint of an argument
    /// typed without its option in a command that takes only options; read only then. Nil when unknown.
    public var commandHelp: String?

    /// Parses `arguments` for a command that takes the `valueOptions` (e.g. `--id`) and `flagOptions` (e.g. `--all`).
    public init(_ arguments: [String], valueOptions: [String], flagOptions: [String]) throws {
        declaredValueOptions = valueOptions
        var index = 0
        var onlyPositionals = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if onlyPositionals || !argument.hasPrefix("--") || argument == "-" {
                if !onlyPositionals, argument.hasPrefix("-"), argument.count > 1, Int(argument) == nil, argument != "-" {
                    throw UsageError("unknown option \(argument); options start with -- (see --help)")
                }
                if !onlyPositionals, let option = Self.dashLookalikeOption(argument, valueOptions + flagOptions) {
                    throw UsageError("unknown option \(argument): it starts with a dash that is not two hyphens (an editor or input "
                                     + "method may change -- into — or －－); write \(option)")
                }
                positionals.append(argument)
                continue
            }
            if argument == "--" { onlyPositionals = true; continue }
            var name = argument
            var inlineValue: String?
            if let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                inlineValue = String(argument[argument.index(after: equals)...])
            }
            if valueOptions.contains(name) {
                if let inlineValue {
                    values[name, default: []].append(inlineValue)
                } else {
                    guard index < arguments.count else { throw UsageError("\(name) needs a value (see --help)") }
                    // `--note --dry-run`: the value left out, the next option read as the value would be written (a stocktake
                    // noted "--dry-run" instead of a dry run); so would a mistyped one (`--note --dryrun`). Anything written as
                    // an option (two hyphens and a letter) is not taken as a value unless given NAME=VALUE.
                    let next = arguments[index]
                    if next.hasPrefix("--"), next.dropFirst(2).first.map({ $0.isASCII && $0.isLetter }) == true {
                        let nextName = next.split(separator: "=", maxSplits: 1).first.map(String.init) ?? next
                        if valueOptions.contains(nextName) || flagOptions.contains(nextName) {
                            throw UsageError("\(name) needs a value, and \(next) after it is an option of the command (see --help); "
                                             + "a value that is written like one is given as \(name)=\(next)")
                        }
                        let near = Self.nearestOption(to: nextName, among: valueOptions + flagOptions).map { " (did you mean \($0)?)" } ?? ""
                        throw UsageError("\(name) needs a value, and \(next) after it is written as an option\(near), not a value; "
                                         + "a value that starts with -- is given as \(name)=\(next)")
                    }
                    values[name, default: []].append(next)
                    index += 1
                }
            } else if flagOptions.contains(name) {
                guard inlineValue == nil else { throw UsageError("\(name) takes no value") }
                flags.insert(name)
            } else if let refusal = Self.pinOnCommandLine(name) {
                throw refusal
            } else if let refusal = Self.dayForARange(name, value: inlineValue ?? (index < arguments.count ? arguments[index] : nil), valueOptions + flagOptions) {
                throw refusal
            } else {
                // The options of timebank itself may stand among the command's (`--JSON` for --json).
                let hint = (Self.nearestOption(to: name, among: valueOptions + flagOptions)
                    ?? Spelling.nearest(to: name, among: ["--db", "--json", "--help"])).map { "; did you mean \($0)?" } ?? ""
                throw UsageError("unknown option \(name)\(hint) (see --help)")
            }
        }
    }

    /// The option of `known` that `name` most likely means: the nearest spelling, else a shortened or lengthened one
    /// (`report` writes to --out, `export` to --output).
    static func nearestOption(to name: String, among known: [String]) -> String? {
        Spelling.nearest(to: name, among: known) ?? Suggestions.samePrefix(as: name, in: known)
            ?? synonyms[name.lowercased()]?.first(where: known.contains)
    }

    /// Other words people type for an option (`book --service-date` for `--for`, `--quantity` for `--qty`): the options meant,
    /// in order; the first the command takes is suggested, when no option is spelled near the name typed.
    static let synonyms: [String: [String]] = [
        "--service-date": ["--for"], "--service-day": ["--for"], "--day": ["--for", "--date"], "--on": ["--date", "--for"], "--date": ["--as-of"],
        "--quantity": ["--qty"], "--count": ["--qty", "--counted"], "--number": ["--qty"], "--num": ["--qty"],
        "--amount": ["--points", "--turnover"], "--points": ["--amount"], "--money": ["--amount"], "--cny": ["--amount"],
        "--user": ["--operator"], "--op": ["--operator"], "--clerk": ["--operator"],
        "--member": ["--volunteer"], "--person": ["--volunteer"], "--resident": ["--volunteer"], "--who": ["--volunteer"],
        "--shop": ["--station"], "--store": ["--station"], "--counter": ["--station"], "--site": ["--station"],
        "--product": ["--item"], "--goods": ["--item"], "--service": ["--item"], "--sku": ["--item"],
        "--note": ["--memo", "--reason"], "--memo": ["--note", "--reason"], "--comment": ["--memo", "--note", "--reason"],
        "--remark": ["--memo", "--note", "--reason"], "--why": ["--reason"],
        "--since": ["--from"], "--start": ["--from"], "--begin": ["--from"], "--until": ["--to"], "--end": ["--to"],
        "--idempotency-key": ["--key"], "--request-id": ["--key"], "--id-key": ["--key"],
    ]

    /// The option of the command that `argument` names with its hyphens typed as other dashes (`—reason`, `－－reason`, `–qty=2`,
    /// `−−date`, as an editor or a Chinese input method changes `--`); nil for anything else, which stays an argument.
    static func dashLookalikeOption(_ argument: String, _ options: [String]) -> String? {
        let dashes: Set<Character> = ["\u{2014}", "\u{2013}", "\u{2012}", "\u{2010}", "\u{2011}", "\u{2212}", "\u{FF0D}", "\u{FE63}", "-"]
        let body = argument.drop { dashes.contains($0) }
        // An argument that starts with an ASCII hyphen is refused or taken before this (`-qty`, `-5`).
        guard body.count < argument.count, argument.first != "-" else { return nil }
        let name = "--" + (body.split(separator: "=", maxSplits: 1).first.map(String.init) ?? "")
        return options.first { $0.lowercased() == name.lowercased() }
    }

    /// The refusal of one day asked for as `--date` (or `--day`, `--on`) of a command that takes a range, `--from` and
    /// `--to` (`report daily --date 2026-11-07`): the range of that day, to write instead. Nil for any other option, or for a
    /// command that takes the option meant by another name (`report expiring --as-of`, by `synonyms`).
    static func dayForARange(_ name: String, value: String?, _ known: [String]) -> UsageError? {
        guard ["--date", "--day", "--on"].contains(name.lowercased()), known.contains("--from"), known.contains("--to"),
              synonyms[name.lowercased()]?.contains(where: known.contains) != true else { return nil }
        let range = value.flatMap { LocalDate($0) ?? DateOptionHelp.day($0) }
            .map { "for \($0) alone write --from \($0) --to \($0)" } ?? "for one day write --from DAY --to DAY"
        return UsageError("unknown option \(name); this command takes a range of days: \(range) (see --help)")
    }

    /// The refusal of a PIN typed as an option (`--pin 1357`, `--new-pin`): no command takes one, since `ps` and the shell
    /// history would show it. Said plainly, and without repeating what was typed after it.
    static func pinOnCommandLine(_ option: String) -> UsageError? {
        let name = option.split(separator: "=", maxSplits: 1).first.map { $0.lowercased() } ?? ""
        guard ["--pin", "--new-pin", "--newpin", "--password", "--passwd"].contains(name) else { return nil }
        return UsageError("a PIN is never given on the command line, where `ps` and the shell history would show it: set TIMEBANK_PIN "
                          + "(a new PIN: TIMEBANK_NEW_PIN), or run the command in a terminal to be asked for it; nothing was done")
    }

    /// Whether the flag (an option without a value, such as `--json`) was given.
    public func flag(_ name: String) -> Bool { flags.contains(name) }

    /// Every value of an option that may be given several times (`--item rice_5kg --item hair_clip:2`), in the order given.
    public func values(_ name: String) -> [String] { values[name] ?? [] }

    /// The value of an option given at most once.
    public func value(_ name: String) throws -> String? {
        guard let given = values[name] else { return nil }
        guard given.count == 1 else { throw UsageError("\(name) is given \(given.count) times; give it once") }
        return given[0]
    }

    /// The value of an option that must be given once (U001 "missing --NAME" otherwise).
    public func required(_ name: String) throws -> String {
        guard let value = try value(name) else { throw UsageError("missing \(name) (see --help)") }
        return value
    }

    /// The key of a write (`--key`), without white space at its start and end (a stray space, a tab, the full-width U+3000 of
    /// a Chinese input method): `S01-0001 ` typed once and `S01-0001` typed for the retry must name the same write.
    public func key(_ name: String = "--key") throws -> String? {
        try value(name).map(LedgerRules.trimmingSpaces)
    }

    /// `key`, required.
    public func requiredKey(_ name: String = "--key") throws -> String {
        guard let key = try value(name) else {
            // Said in full: a counter that leaves the key out does not know what it is for.
            throw UsageError("missing \(name): give this write a key of your own (at a counter the station and a running number, "
                             + "such as S01-0001; for an admin's entry words that name it, such as fix-2026-11-V0001), so that sending "
                             + "the command again after a timeout does it once (see --help)")
        }
        return LedgerRules.trimmingSpaces(key)
    }

    /// A required option whose value is words for the record (a reason): empty or only spaces is refused.
    public func requiredText(_ name: String) throws -> String {
        let text = try required(name)
        guard !text.unicodeScalars.allSatisfy(\.properties.isWhitespace) else {
            throw UsageError("\(name) is empty; say in a few words why (it is kept with the entry for good)")
        }
        try Self.refuseBidirectionalControls(text, name)
        return text
    }

    /// A memo or a note typed for the record (`--memo`), nil when not given; refused with a bidirectional control as
    /// `requiredText` is.
    public func optionalText(_ name: String) throws -> String? {
        guard let text = try value(name) else { return nil }
        try Self.refuseBidirectionalControls(text, name)
        return text
    }

    /// A reason or memo typed at the command line is kept for good and shown on statements, receipts and in spreadsheets:
    /// a bidirectional override or isolate (U+202A–U+202E, U+2066–U+2069) would show the rest of it reversed there.
    static func refuseBidirectionalControls(_ text: String, _ name: String) throws {
        if let problem = TerminalText.bidirectionalControlProblem(text) {
            throw UsageError("\(name) \(problem.dropFirst("it ".count)). Nothing was written")
        }
    }

    /// `--limit N` of a listing: a number above 0, `fallback` when not given; U001 otherwise.
    public func limit(default fallback: Int) throws -> Int {
        guard let limit = Int(try value("--limit") ?? String(fallback)), limit > 0 else { throw UsageError("--limit must be a number above 0") }
        return limit
    }

    /// A whole number as a person types it: full-width digits (`３`, from a Chinese input method) and stray spaces are
    /// read as the digits; nil when it is not one. Each option checks its own range and says so.
    public static func wholeNumber(_ text: String) -> Int? {
        Int(StationReference.readingForm(text))
    }

    /// The option's date (YYYY-MM-DD), nil when not given; U001 with what to write for anything else (`2026/11/1`).
    public func date(_ name: String) throws -> LocalDate? {
        guard let text = try value(name) else { return nil }
        guard let date = LocalDate(text) else {
            throw UsageError("\(name) \"\(text)\" is not a date; " + DateOptionHelp.help(for: text, option: name))
        }
        return date
    }

    /// `--from` and `--to` (either may be left out); U001 when --from is after --to, a slip that would list nothing.
    public func dateRange() throws -> (from: LocalDate?, to: LocalDate?) {
        let from = try date("--from"), to = try date("--to")
        if let from, let to, from > to {
            throw UsageError("--from \(from) is after --to \(to): the range would hold no day; give the earlier date first")
        }
        return (from, to)
    }

    /// The day something happened: the option's date, else `today`. A date after today is refused: a redemption,
    /// a refund, a contribution or a correction cannot have happened yet (and a future date would count towards
    /// a later month's limits or let a dividend pay a period that has not ended).
    public func eventDate(_ name: String, today: LocalDate) throws -> LocalDate {
        guard let date = try date(name) else { return today }
        guard date <= today else {
            throw UsageError("\(name) \(date) is after today (\(today)): it says when this happened, so it cannot be in the future")
        }
        return date
    }

    /// The option's amount in hundredths (points or fen), nil when not given; U001 saying why for anything else.
    public func amount(_ name: String) throws -> Int64? {
        guard let text = try value(name) else { return nil }
        guard let amount = Self.typedAmount(text) else {
            throw UsageError("\(name) \"\(text)\" \(Self.amountProblem(text))")
        }
        return amount
    }

    /// An amount in hundredths as typed at the command line: ASCII digits with at most one decimal point, or the same
    /// in full-width digits and point (`１０`, `１２．５`, as a Chinese input method types them, as `--qty` and dates
    /// read them): the same number, with nothing to guess. Anything else written another way (`1,000`, `¥100`) is nil,
    /// and `amountProblem` suggests what to write.
    public static func typedAmount(_ text: String) -> Int64? {
        Hundredths.parse(text) ?? fullWidthNumber(text).flatMap(Hundredths.parse)
    }

    /// `text` written half-width when it is a number in full-width digits, point or sign (`１２．５` → `12.5`); nil otherwise.
    static func fullWidthNumber(_ text: String) -> String? {
        let halfWidth = text.halfWidth
        guard halfWidth != text, halfWidth.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == "-" || $0 == "+") })
        else { return nil }
        return halfWidth
    }

    /// Why `Hundredths.parse` refused `text`: a number with too many decimals or too large says so.
    static func amountProblem(_ text: String) -> String {
        var body = Substring(text)
        if body.first == "-" || body.first == "+" { body = body.dropFirst() }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        let isDigits = { (part: Substring) in !part.isEmpty && part.allSatisfy { $0.isASCII && $0.isNumber } }
        if parts.count <= 2, parts.allSatisfy(isDigits) {
            if parts.count == 2, parts[1].count > 2, parts[1].dropFirst(2).contains(where: { $0 != "0" }) {
                let decimals = parts[1].count - parts[1].reversed().prefix { $0 == "0" }.count
                return "has \(decimals) decimals; amounts have at most 2 (fen, or hundredths of a point), e.g. 12.25"
            }
            return "is beyond the largest amount, \(Hundredths.format(Hundredths.maximumMagnitude)) either way"
        }
        let problem = "is not an amount; write e.g. 12 or 12.5 (at most 2 decimals)"
        // Full-width digits too many or too large say so as ASCII ones do (`１２．５６７`).
        if let halfWidth = fullWidthNumber(text) { return amountProblem(halfWidth) }
        guard let reading = amountReading(text) else { return problem }
        // An exponent read exactly can be beyond the largest amount (1e15): the digits it stands for are refused too.
        if Hundredths.parse(reading) == nil {
            return "is not an amount: \(text) is \(reading), beyond the largest amount, \(Hundredths.format(Hundredths.maximumMagnitude)) either way"
        }
        // Spaces around the text are shown inside quotes (`for " 100" write 100`): bare, they read as a typo in the message.
        let typed = text.first?.isWhitespace == true || text.last?.isWhitespace == true ? "\"\(text)\"" : text
        return problem + ": for \(typed) write \(reading) (digits and one decimal point: no thousands separators, currency "
            + "signs or units)"
    }

    /// The plain amount someone most likely meant by `text`, the way a treasurer copies it from an invoice or a
    /// spreadsheet: full-width digits (`１０００`), the decimal point as a Chinese full stop (`12。5`), thousands separators (`1,000`, `12,345.67`, `1 000`), a currency
    /// sign or unit (`¥100`, `￥100`, `100元`, `100 CNY`), spaces around it, an exponent (`1e5`). Nil when nothing
    /// reads as an amount that way, or when the reading is ambiguous (`12,5` could be twelve and a half); never used
    /// as the amount itself, only suggested, so a misreading costs a retyped option and not money.
    static func amountReading(_ text: String) -> String? {
        // The decimal point typed as a Chinese full stop (。, or the half-width ｡), as an input method in Chinese punctuation
        // mode types it.
        var body = LedgerRules.trimmingSpaces(text.halfWidth).replacingOccurrences(of: "。", with: ".").replacingOccurrences(of: "｡", with: ".")
        for sign in ["¥", "￥", "CNY", "RMB", "rmb", "cny"] where body.hasPrefix(sign) { body = String(body.dropFirst(sign.count)) }
        for unit in ["元", "块", "CNY", "RMB", "rmb", "cny"] where body.hasSuffix(unit) { body = String(body.dropLast(unit.count)) }
        body = LedgerRules.trimmingSpaces(body)
        var sign = ""
        if body.first == "-" || body.first == "+" { sign = body.first == "-" ? "-" : ""; body.removeFirst() }
        // A point with no digit before it (.5, as a calculator shows half): the same number. (One with none after it, `12.`,
        // gets no reading: its decimals may have been cut off.)
        if body.first == ".", body.count > 1 { body = "0" + body }
        // Thousands separated by commas or single spaces: groups of three digits after the first group of 1 to 3.
        for separator in [",", " "] where body.contains(separator) {
            let whole = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
            let groups = whole[0].split(separator: Character(separator), omittingEmptySubsequences: false)
            let isGrouped = (1...3).contains(groups[0].count) && groups.dropFirst().allSatisfy { $0.count == 3 }
                && groups.allSatisfy { $0.allSatisfy { $0.isASCII && $0.isNumber } }
            guard isGrouped else { return nil }
            body = groups.joined() + (whole.count == 2 ? "." + whole[1] : "")
        }
        if let hundredths = Hundredths.parse(body) {
            let plain = hundredths % 100 == 0 ? String(hundredths / 100) : Hundredths.format(hundredths)
            let reading = sign + plain
            return reading == text ? nil : reading
        }
        // An exponent (1e5, 1.5E3): read exactly, never through a Double.
        guard body.contains(where: { $0 == "e" || $0 == "E" }), let value = ExactDecimal(body),
              let hundredths = try? value.hundredths() else { return nil }
        return sign + (hundredths % 100 == 0 ? String(hundredths / 100) : Hundredths.format(hundredths))
    }

    /// `score policy.toml records.csv`, `whatif proposal.toml --active --stored`: a policy file (`.toml`) given where the
    /// records go, without the option that takes it. U001 saying to write `--policy FILE`, before "unexpected argument"
    /// or "missing --policy" could leave the reader guessing. `positionals`: what the command's file arguments are.
    public func refusePolicyAsPositional(_ option: String = "--policy", positionals what: String) throws {
        guard try value(option) == nil, let policy = positionals.first(where: { $0.lowercased().hasSuffix(".toml") }) else { return }
        throw UsageError("\(policy) is a policy file: give it as \(option) \(policy); the file without an option is \(what)")
    }

    /// Fails when more positionals were given than the command takes.
    /// With `datesAreOptions` (a command with --from and --to), dates given as arguments get the options to write.
    public func expectPositionals(_ range: ClosedRange<Int>, _ what: String, datesAreOptions: Bool = false) throws {
        guard range.contains(positionals.count) else {
            if positionals.count > range.upperBound {
                let extra = Array(positionals[range.upperBound...])
                if datesAreOptions, let options = DateOptionHelp.rangeOptions(for: extra) {
                    throw UsageError("unexpected argument \"\(extra[0])\"; dates are given as options: write \(options)")
                }
                // `volunteer add V1 --name 王芳`: the id typed without the option that takes it.
                if declaredValueOptions.contains("--id"), values["--id"] == nil, extra.count == 1 {
                    throw UsageError("unexpected argument \"\(extra[0])\"; expected \(what): write --id \(extra[0])")
                }
                // `settle 2026-11-07`: the day typed without the option that takes it.
                if declaredValueOptions.contains("--date"), values["--date"] == nil, extra.count == 1, let day = DateOptionHelp.day(extra[0]) {
                    throw UsageError("unexpected argument \"\(extra[0])\"; expected \(what): write --date \(day)")
                }
                // `redeem V0004 rice_5kg`: the options the command cannot do without, as its usage writes them.
                if range.upperBound == 0, let requiredUsage = commandHelp.flatMap(Self.requiredUsage) {
                    throw UsageError("unexpected argument \"\(extra[0])\"; expected \(what): write at least \(requiredUsage) (see --help)")
                }
                throw UsageError("unexpected argument \"\(positionals[range.upperBound])\"; expected \(what)")
            }
            throw UsageError("missing \(what) (see --help)")
        }
    }
}

extension Arguments {
    /// A command's usage (the `Usage:` lines of its help) with every bracketed, optional part taken out:
    /// `timebank redeem --station STATION --volunteer VOLUNTEER --item ITEM --key KEY`. Nil when the usage has several forms
    /// (a second line starting `timebank`) or requires no option.
    public static func requiredUsage(_ help: String) -> String? {
        var lines: [Substring] = []
        for line in help.split(separator: "\n", omittingEmptySubsequences: false).drop(while: { !$0.hasPrefix("Usage: ") }) {
            if line.allSatisfy(\.isWhitespace) { break }
            lines.append(line)
        }
        guard let first = lines.first, !lines.dropFirst().contains(where: { $0.drop(while: \.isWhitespace).hasPrefix("timebank") }) else { return nil }
        var text = "", depth = 0
        for character in ([first.dropFirst("Usage: ".count)] + lines.dropFirst()).joined(separator: " ") {
            switch character {
            case "[": depth += 1
            case "]": depth = max(0, depth - 1)
            default: if depth == 0 { text.append(character) }
            }
        }
        let words = text.split(whereSeparator: \.isWhitespace)
        guard words.contains(where: { $0.hasPrefix("--") }) else { return nil }
        return words.joined(separator: " ")
    }
}

/// Did-you-mean for option names, besides `Spelling.nearest` (the rule of every did-you-mean): a shortened or lengthened option.
public enum Suggestions {
    /// The one candidate that `word` lengthens or shortens (`--output` and `--out`, `--within-days` for `--within`), when
    /// both name at least 3 letters after `--`; nil when none or several do. A longer candidate is suggested only when it
    /// lengthens the same word (`--out` → `--output`), never one that adds words (`--all` is not `--allow-out-of-order`).
    public static func samePrefix(as word: String, in candidates: [String]) -> String? {
        let lowered = word.lowercased()
        let found = candidates.filter { candidate in
            let other = candidate.lowercased()
            guard min(other.count, lowered.count) >= 5, other != lowered else { return false }
            if lowered.hasPrefix(other) { return true }
            return other.hasPrefix(lowered) && !other.dropFirst(lowered.count).contains("-")
        }
        return found.count == 1 ? found[0] : nil
    }
}
