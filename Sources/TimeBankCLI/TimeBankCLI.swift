import TimeBankCore
import TimeBankStorage

/// The `timebank` command line, runnable in-process: `TimeBankCLI.run(["balance", "V0001"], context)`.
public enum TimeBankCLI {
    /// Every command, in the order `timebank --help` lists them.
    public static var commands: [any Command.Type] { AdminGate.guarding([
        InitCommand.self, DemoCommand.self,
        HouseholdAddCommand.self, HouseholdListCommand.self, HouseholdShowCommand.self, HouseholdImportCommand.self,
        HouseholdUpdateCommand.self,
        VolunteerAddCommand.self, VolunteerListCommand.self, VolunteerShowCommand.self, VolunteerImportCommand.self,
        VolunteerUpdateCommand.self,
        StationAddCommand.self, StationListCommand.self, StationShowCommand.self, StationImportCommand.self, StationUpdateCommand.self,
        TeamAddCommand.self, TeamListCommand.self, TeamShowCommand.self, TeamImportCommand.self, TeamUpdateCommand.self,
        BalanceCommand.self, StatementCommand.self, LotsCommand.self,
        PostCommand.self, ReverseCommand.self, EntryListCommand.self, EntryShowCommand.self,
        VerifyCommand.self, ExportCommand.self,
        PolicyCheckCommand.self, PolicyShowCommand.self, PolicyActivateCommand.self, PolicyVersionsCommand.self,
        PolicyFormatCommand.self, PolicyTestCommand.self,
        RecordImportCommand.self, RecordListCommand.self, RecordShowCommand.self, RecordApproveCommand.self, RecordRejectCommand.self,
        ScoreCommand.self, ExplainCommand.self, WhatIfCommand.self,
        OperatorAddCommand.self, OperatorListCommand.self, OperatorPINCommand.self, OperatorDisableCommand.self,
        OperatorEnableCommand.self,
        StockReceiveCommand.self, StockAdjustCommand.self, StockMoveCommand.self, StockCountCommand.self, StockListCommand.self, StockHistoryCommand.self,
        StockCountsCommand.self,
        StockVerifyCommand.self,
        RedeemCommand.self, ReceiptShowCommand.self, ReceiptListCommand.self, RefundCommand.self,
        BookCommand.self, FulfilCommand.self, CancelCommand.self, BookingListCommand.self, BookingExpireCommand.self,
        TransferCommand.self, DonateCommand.self,
        ReportDailyCommand.self, ReportStationsCommand.self, ReportCategoriesCommand.self, ReportRankingCommand.self,
        ReportLevelsCommand.self, ReportExpiringCommand.self, ReportRejectsCommand.self, ReportFundCommand.self,
        SettleCommand.self, SettlementListCommand.self,
        FundContributeCommand.self, FundDonateCommand.self, FundReportCommand.self, DividendCommand.self, BackupCommand.self,
    ]) }

    /// Commands people look for under another name, with the one that does it.
    static let commandsByAnotherName = [
        "policy diff": "to see what a file changes from the version in force: timebank policy check FILE --against-active",
        "policy compare": "to see what a file changes from the version in force: timebank policy check FILE --against-active",
        "policy list": "did you mean \"policy versions\"?",
        "policy validate": "did you mean \"policy check\"?",
        "policy lint": "did you mean \"policy check\"?",
    ]

    static let globalValueOptions = ["--db"]
    static let globalFlagOptions = ["--json", "--help", "-h"]

    /// Runs one command line (without the program name) and returns the exit code.
    public static func run(_ arguments: [String], context: CommandContext) -> Int32 {
        // Global options may stand anywhere.
        var rest: [String] = []
        var wantsHelp = false
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument == "--" { rest += arguments[(index - 1)...]; break }
            if argument == "--json" { context.json = true; continue }
            if argument == "--help" || argument == "-h" { wantsHelp = true; continue }
            // `--json=1`: a flag given a value would otherwise be "unknown option --json".
            if let flag = ["--json", "--help"].first(where: { argument.hasPrefix($0 + "=") }) {
                return fail(UsageError("\(flag) takes no value"), context)
            }
            if argument == "--db" || argument.hasPrefix("--db=") {
                // Given twice (a `--db` in a script's alias and another typed after it), the last would win without a word.
                if context.databasePathGiven { return fail(UsageError("--db is given 2 times; give it once"), context) }
                context.databasePathGiven = true
                var path = String(argument.dropFirst(5))
                if argument == "--db" {
                    guard index < arguments.count else { return fail(UsageError("--db needs a path"), context) }
                    path = arguments[index]
                    index += 1
                    // `--db --json`: the path left out; the option after it is not taken for the path (`init --db --json`).
                    if path.hasPrefix("--"), path.dropFirst(2).first.map({ $0.isASCII && $0.isLetter }) == true {
                        return fail(UsageError("--db needs a path, and \(path) after it is an option; a path written like one is "
                                               + "given as --db=\(path)"), context)
                    }
                }
                guard !path.isEmpty else { return fail(UsageError("--db needs a path"), context) }
                context.databasePath = path
                continue
            }
            rest.append(argument)
        }
        while rest.first == "help" { rest.removeFirst(); wantsHelp = true }  // `help help` is the overview too
        if rest.isEmpty || rest == ["--version"] {
            if rest == ["--version"] {
                if context.json && !wantsHelp {
                    context.output.line(JSON.object([("version", .string(version))]).rendered())
                } else {
                    context.output.line("timebank \(version)")
                }
                return ExitCode.done
            }
            if wantsHelp { context.output.write(overview()); return ExitCode.done }
            // Under --json standard output holds one JSON document: the list of commands goes to standard error.
            guard context.json else { context.output.write(overview()); return ExitCode.badInput }
            context.errors.write(overview())
            return fail(UsageError("no command given; `timebank --help` lists them"), context)
        }

        // The longest run of leading words that names a command.
        let words = rest.prefix { !$0.hasPrefix("-") }
        var match: (any Command.Type)?
        var used = 0
        for command in commands {
            let name = command.name.split(separator: " ").map(String.init)
            if name.count > used, words.count >= name.count, Array(words.prefix(name.count)) == name {
                match = command
                used = name.count
            }
        }
        guard let command = match else {
            let group = commands.filter { $0.name.hasPrefix(words.first.map { $0 + " " } ?? "\u{0}") }
            if !group.isEmpty {
                if wantsHelp && words.count == 1 { context.output.write(groupHelp(group)); return ExitCode.done }
                // Under --json the group's commands go to standard error and the error to standard output as JSON.
                (context.json ? context.errors : context.output).write(groupHelp(group))
                if words.count == 1 && context.json {
                    let names = group.map { $0.name }.joined(separator: ", ")
                    return fail(UsageError("\"\(words[0])\" needs a command after it: \(names)"), context)
                }
                if words.count > 1 {
                    // A typo of one of the group's commands, or a command of its own put after the group's word.
                    let subcommands = group.map { $0.name.split(separator: " ").dropFirst().joined(separator: " ") }
                    var hint = ""
                    if let instead = Self.commandsByAnotherName[words.prefix(2).joined(separator: " ")] {
                        hint = "; \(instead)"
                    } else if let near = Spelling.nearest(to: words[1], among: subcommands) {
                        hint = "; did you mean \"\(words[0]) \(near)\"?"
                    } else if commands.contains(where: { $0.name == words[1] }) {
                        hint = "; did you mean \"\(words[1])\"? (timebank \(words[1]) --help)"
                    }
                    return fail(UsageError("unknown command \"\(words.prefix(2).joined(separator: " "))\"\(hint)"), context)
                }
                return ExitCode.badInput
            }
            let names = Set(commands.map { String($0.name.split(separator: " ")[0]) })
            if words.isEmpty, let option = rest.first {
                // A PIN typed before the command (`timebank --pin 1357 redeem ...`): never repeated back, nor moved after the name.
                if let refusal = rest.lazy.compactMap(Arguments.pinOnCommandLine).first { return fail(refusal, context) }
                // An option of a command typed before the command's name (`timebank --seeds DIR demo`): say where it goes.
                let named = rest.firstIndex { names.contains($0) }
                let moved = named.map { index in
                    let name = rest[index...].prefix { !$0.hasPrefix("-") }
                    return "; a command's options come after its name: timebank "
                        + (Array(name) + Array(rest[..<index]) + Array(rest[(index + name.count)...])).joined(separator: " ")
                } ?? (["-v", "-V"].contains(option) ? "; the version is printed by timebank --version"
                      : "; the options before a command are --db PATH, --json, --help and --version (`timebank --help`)")
                return fail(UsageError("\"\(option)\" is not an option of timebank itself\(moved)"), context)
            }
            let hint = words.first == "version" ? "; the version is printed by timebank --version"
                : words.first.flatMap { Spelling.nearest(to: $0, among: Array(names)) }.map { "; did you mean \"\($0)\"?" } ?? ""
            let exit = fail(UsageError("unknown command \"\(words.first ?? rest[0])\"\(hint)"), context)
            context.errors.line("Run `timebank --help` for the list of commands.")
            return exit
        }
        if wantsHelp {
            context.output.write(helpText(command))
            return ExitCode.done
        }
        do {
            try context.validateEnvironment()
            var parsed = try Arguments(Array(rest.dropFirst(used)), valueOptions: command.valueOptions, flagOptions: command.flagOptions)
            parsed.commandHelp = command.help
            context.readsOneSnapshot = command.readsOnly
            defer { context.endReadSnapshot() }
            return try command.init(parsed).run(context)
        } catch {
            return fail(error, context)
        }
    }

    /// Prints an error the documented way and returns its exit code; with `--json`, `beside` are members printed after
    /// the error's (what a command did before it failed).
    static func fail(_ error: any Error, _ context: CommandContext, beside: [(String, JSON)] = []) -> Int32 {
        let code: String, message: String, exit: Int32
        if let error = error as? any TimeBankError {
            (code, message, exit) = (error.code, error.message, ExitCode.of(error.category))
        } else {
            (code, message, exit) = ("X001", "\(error)", ExitCode.system)
        }
        context.errors.line("error[\(code)]: \(shortened(message))")
        if context.json { context.output.line(JSON.object([errorMember(code: code, message: message, exit: exit)] + beside).rendered()) }
        return exit
    }

    /// `"error": {"code", "message", "exit"}`: how `--json` prints a refusal, alone or beside what a command read before it.
    static func errorMember(code: String, message: String, exit: Int32) -> (String, JSON) {
        ("error", .object([("code", .string(code)), ("message", .string(message)), ("exit", .integer(exit))]))
    }

    /// The message with every run of more than 200 characters without a space cut to its first 60 and last 20, with
    /// the count between: an id or value pasted 10,000 characters long is named, not echoed (`--json` keeps it whole).
    static func shortened(_ message: String) -> String {
        guard message.count > 200 else { return message }
        return message.split(separator: " ", omittingEmptySubsequences: false).map { word -> String in
            guard word.count > 200 else { return String(word) }
            return "\(word.prefix(60))…(\(word.count - 80) more characters)…\(word.suffix(20))"
        }.joined(separator: " ")
    }

    public static let version = "0.1.0"

    static func overview() -> String {
        var text = """
        timebank \(version): a volunteer time-bank points engine (积分, 时间银行).

        Usage: timebank [--db PATH] [--json] COMMAND [OPTIONS]

        Commands:

        """
        let width = commands.map { $0.name.count }.max() ?? 0
        for command in commands {
            text += "  " + command.name + String(repeating: " ", count: width - command.name.count + 2) + command.abstract + "\n"
        }
        text += """

        Global options:
          --db PATH   the database file (default $TIMEBANK_DB, else ./timebank.sqlite)
          --json      print data as JSON
          --help      help for any command, with an example: timebank volunteer add --help

        Exit codes: 0 done, 1 refused by a rule, 2 bad input or usage, 3 integrity failure, 4 storage or system failure.
        Start with: timebank demo

        """
        return text
    }

    static func groupHelp(_ group: [any Command.Type]) -> String {
        let width = group.map { $0.name.count }.max() ?? 0
        return "Commands:\n" + group.map {
            "  " + $0.name + String(repeating: " ", count: width - $0.name.count + 2) + $0.abstract
        }.joined(separator: "\n") + "\n\nRun `timebank COMMAND --help` for its options and an example.\n"
    }

    static func helpText(_ command: any Command.Type) -> String {
        "timebank \(command.name): \(command.abstract)\n\n\(command.help)\n"
            + "\nGlobal options: --db PATH, --json, --help. Exit codes: 0 done, 1 refused, 2 bad input, 3 integrity failure, 4 storage failure.\n"
    }
}
