/// The command-line reference (`docs/cli.md`), made from the commands' own help so that the two never
/// disagree. A test compares the file with this text.
public enum CLIReference {
    /// The whole reference as Markdown: every command's usage, help and example, in `timebank --help` order.
    public static func markdown() -> String {
        var out = """
        # The `timebank` command line

        This page is generated from the commands' own `--help` (run the tests with `TIMEBANK_RECORD_GOLDEN=1`
        to refresh it after changing a command).

        ```
        \(TimeBankCLI.overview().trimmingCharacters(in: "\n"))
        ```

        Every command prints data as a table (Chinese names line up: wide characters count as two columns)
        or, with `--json`, as JSON. Errors go to standard error as `error[CODE]: message`; the codes are
        listed in [errors.md](errors.md).

        A command that only reads (`balance`, `statement`, `lots`, the `list` and `show` commands, `stock history`,
        `stock counts`, `stock verify`, `explain`, the reports, `fund report`, `export`, `verify`) reads
        everything it prints from one snapshot of the database (one read transaction): a transfer that a station commits
        while `balance V0001 V0002` runs is in both balances or in neither, and a report's totals row adds up its rows.

        With `--json`, standard output is exactly one JSON document (pretty-printed), for a program to read whole;
        notes, warnings and progress go to standard error. A failure prints `error[CODE]: message` on standard error
        and `{"error": {"code": "R001", "message": "...", "exit": 1}}` on standard output, and exits with that code;
        so does a command line that names no command or an unknown one (the list of commands then goes to standard
        error). Commands that check something and report what they found (`policy check`, `policy fmt`, `policy test`,
        `record import`, `verify`, `stock verify`) print their findings as the document when they exit 1, 2 or 3 for
        them (every diagnostic, rejected row or broken entry), and the error object only when they cannot run at all. `--help` is always text; `--version --json` prints `{"version": "..."}`. A command that writes a file
        (`--out`, `--output`) prints an object saying what it wrote; `export`'s journal is not JSON, so `export --json`
        needs `--output`. The same things have the same form everywhere: keys in snake_case; amounts of points and
        CNY as JSON numbers with two decimals (`60.00`), never strings; rates and ratios as plain numbers (`0.001`);
        counts, entry, receipt and booking numbers as integers, with the receipt as `"R12"` and the booking as `"B7"`
        beside them; dates as `"YYYY-MM-DD"`; instants in UTC with milliseconds (`"2026-11-08T02:00:00.000Z"`); a
        member that does not apply is present with `null`; yes/no as `true`/`false`. A write sent again with its
        `--key` prints `"outcome": "exists"` and the original, where the first time said `"created"`; a retry of
        `redeem`, `book`, `fulfil`, `cancel`, `refund`, `transfer`, `donate`, `stock` and `dividend` adds `not_kept`,
        what it gave that the original does not keep (`[{"option": "--date", "given": "2026-11-08", "kept":
        "2026-11-07"}, {"option": "operator", ...}]`, empty when nothing was dropped). Exceptions
        kept for the programs that read them: `balance` names its amounts by asset (`"POINTS"`, `"CNY"`), and
        `explain`'s steps (and `score --explain`'s) give `effect` and `points` as the text the volunteer is shown (`"+24"`, `"×1.5"`);
        `record show` and `record list` give `imported`, `decided` and `posted` as one line of text each (when, by
        whom, from where), and the same as members of their own beside them (`imported_at`, `imported_by`, `import_file`,
        `import_row`, `decided_at`, `decided_by`, `posted_at`, `posted_by`, `policy_version`); `fund report` gives `coverage` as text beside the number `coverage_ratio`.

        The database is `--db PATH`, else `$TIMEBANK_DB`, else `./timebank.sqlite`; every command but `init` and
        `demo` refuses to create one, and refuses a file that is empty or another program's SQLite database (`init`
        makes an empty file a new store, and leaves another program's database alone). A relative path is read from the
        current folder: when nothing is there the message says so and where the path came from, `no database at
        data/community.sqlite (TIMEBANK_DB, a path relative to the current folder /root)` (a `TIMEBANK_DB` set for another
        folder, a cron job's working folder). Writes record the actor from
        `$TIMEBANK_ACTOR` (else `$USER`, else `$LOGNAME`; 1 to 100 characters on one line), or the admin signed in. Dates default to today in the community's time zone: the `timezone`
        of the policy in force (`Asia/Shanghai`, UTC+8, for a store without a policy), unless `$TIMEBANK_UTC_OFFSET_MINUTES`
        overrides it (minutes, a multiple of 15 from -720 to 840: 480 for UTC+8; anything else is refused, hours such as
        `8` with the minutes to write); it then also gives the local times that messages show and the day a record was
        imported (from which `auto_accept_after_days` counts when it is later than the record's date). A `--date`
        that says when something happened (a redemption, refund, transfer, contribution, dividend or correction) may
        not be after today. `--out` and `--output` replace an existing file, but never a SQLite database or the
        files beside one. Every `--key` is taken without white space at its start and end (a stray space, the
        full-width space of a Chinese input method): `--key "S01-0001 "` is the key `S01-0001`, so a retry typed
        without the space finds the same write; a key that is blank is refused (L010).

        """
        for command in TimeBankCLI.commands {
            out += "\n## timebank \(command.name)\n\n\(command.abstract).\n\n```\n\(command.help)\n```\n"
        }
        return out
    }
}

extension String {
    func trimmingCharacters(in set: Character) -> String {
        var text = Substring(self)
        while text.first == set { text.removeFirst() }
        while text.last == set { text.removeLast() }
        return String(text)
    }
}
