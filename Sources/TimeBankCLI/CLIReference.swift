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

        The database is `--db PATH`, else `$TIMEBANK_DB`, else `./timebank.sqlite`; every command but `init` and
        `demo` refuses to create one, and refuses a file that is empty or another program's SQLite database (`init`
        makes an empty file a new store, and leaves another program's database alone). Writes record the actor from
        `$TIMEBANK_ACTOR` (else `$USER`, else `$LOGNAME`; 1 to 100 characters on one line), or the admin signed in. Dates default to today in the community's time zone: the `timezone`
        of the policy in force (`Asia/Shanghai`, UTC+8, for a store without a policy), unless `$TIMEBANK_UTC_OFFSET_MINUTES`
        overrides it (minutes, a multiple of 15 from -720 to 840: 480 for UTC+8; anything else is refused, hours such as
        `8` with the minutes to write). A `--date`
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
