import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import TimeBankCore
import TimeBankStorage
@testable import TimeBankCLI

/// `scripts/nightly-settlement` run against a stub `timebank` that prints its arguments and exits with `$STUB_EXIT`,
/// so the wrapper's own behaviour is tested: the log, the exit code passed through, the lock.
@Suite("scripts/nightly-settlement")
struct NightlyScriptTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/nightly-settlement").path

    /// A temporary folder with the stub binary and an (empty) database file.
    final class Folder {
        let path: String
        var database: String { path + "/community.sqlite" }
        var log: String { path + "/nightly.log" }
        var stub: String { path + "/timebank-stub" }

        init() throws {
            path = FileManager.default.temporaryDirectory.appendingPathComponent("timebank-nightly-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: database, contents: Data())
            try (NightlyScriptTests.settlements([("2026-11-20", 8, NightlyScriptTests.stubHead)]) + "\n")
                .write(toFile: path + "/settlements.csv", atomically: true, encoding: .utf8)
            // Like timebank, `backup --to FILE` never overwrites (B001) and makes the file when it succeeds.
            // `settlement list --format csv` answers as timebank does (the columns the script reads among others), with
            // $STUB_SETTLEMENTS when set: the script notes the heads from it.
            try """
            #!/usr/bin/env bash
            if [ "${3:-}" = settlement ] && [ "${4:-}" = list ] && [ "${5:-}" = --format ] && [ "${6:-}" = csv ]; then
                if [ -n "${STUB_SETTLEMENTS:-}" ]; then printf '%s\\n' "$STUB_SETTLEMENTS"; else cat "$(dirname "$0")/settlements.csv"; fi
                exit "${STUB_LIST_EXIT:-0}"
            fi
            echo "stub: $*"
            [ -n "${STUB_BLANK:-}" ] && echo ""
            echo "stub: a line on stderr" >&2
            if [ -n "${STUB_SLEEP:-}" ]; then echo $$ > "$STUB_PIDFILE"; exec sleep "$STUB_SLEEP"; fi
            if [ "${3:-}" = backup ]; then
                if [ -e "$5" ]; then echo "error[B001]: $5 exists: a backup never overwrites a file" >&2; exit 1; fi
                [ "${STUB_EXIT:-0}" -eq 0 ] && : > "$5"
            fi
            exit "${STUB_EXIT:-0}"
            """.write(toExecutable: stub)
        }

        deinit { try? FileManager.default.removeItem(atPath: path) }

        /// Runs the script with the stub as `TIMEBANK_BIN`, the database, reports and log in the folder.
        func run(_ arguments: [String], exit stubExit: Int32 = 0) throws -> (status: Int32, output: String, errors: String) {
            try runProcess("/bin/bash", [NightlyScriptTests.script] + arguments, environment: [
                "TIMEBANK_BIN": stub, "TIMEBANK_DB": database, "TIMEBANK_LOG": log, "TIMEBANK_REPORTS_DIR": path + "/reports",
                "TIMEBANK_LOCK": "", "TIMEBANK_BACKUP_DIR": "", "STUB_EXIT": "\(stubExit)", "STUB_BLANK": "1",
            ])
        }

        /// Runs the script for 2026-11-20 with a backup into `backups/`, and with a `date` on PATH that answers the backup
        /// name's format (`+%Y%m%dT%H%M%S`) with the shell commands `dateForName` and tells the real time for the log.
        func runBackup(dateForName: String) throws -> (status: Int32, output: String, errors: String) {
            let bin = path + "/bin"
            if !FileManager.default.fileExists(atPath: bin + "/date") {
                try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
                let realDate = try #require(findExecutable("date"))
                try """
                #!/usr/bin/env bash
                if [ "${1:-}" = '+%Y%m%dT%H%M%S' ]; then \(dateForName); else exec \(realDate) "$@"; fi
                """.write(toExecutable: bin + "/date")
            }
            return try runProcess("/bin/bash", [NightlyScriptTests.script, "--date", "2026-11-20", "--backup-dir", path + "/backups"], environment: [
                "TIMEBANK_BIN": stub, "TIMEBANK_DB": database, "TIMEBANK_LOG": log, "TIMEBANK_REPORTS_DIR": path + "/reports",
                "TIMEBANK_LOCK": "", "STUB_EXIT": "0", "PATH": bin + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
            ])
        }

        /// Runs the script with the built timebank (`binary`) under `environment` (the database, the clock, the admin), the
        /// log, reports and lock in the folder as `run` has them.
        func runReal(_ binary: String, _ arguments: [String], environment: [String: String]) throws -> (status: Int32, output: String, errors: String) {
            try runProcess("/bin/bash", [NightlyScriptTests.script] + arguments, environment: environment.merging([
                "TIMEBANK_BIN": binary, "TIMEBANK_LOG": log, "TIMEBANK_REPORTS_DIR": path + "/reports", "TIMEBANK_LOCK": "",
                "TIMEBANK_BACKUP_DIR": "",
            ]) { $1 })
        }

        func logLines() throws -> [String] {
            try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map(String.init)
        }
    }

    static let stubHead = String(repeating: "a", count: 64)

    /// `timebank settlement list --format csv` of these nights: a header of column ids, the columns the script reads among
    /// others, and in another order than timebank's (the script finds them by their ids).
    static func settlements(_ nights: [(date: String, entries: Int, head: String)]) -> String {
        (["records_read,head_hash,date,posted,head_sequence,settled_at"] + nights.map { night in
            "3,\(night.head),\(night.date),2,\(night.entries),2026-11-21T16:30:00.000Z"
        }).joined(separator: "\n")
    }

    /// `2026-11-21T00:30:01+0800 nightly-settlement[1234]: ` before every line.
    static func isStamped(_ line: String) -> Bool {
        let regex = try? Regex(#"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{4} nightly-settlement\[\d+\]: "#)
        return regex.map { line.prefixMatch(of: $0) != nil } ?? false
    }

    @Test("settles the day given (nights missed first), logging timebank's output line by line with timestamps")
    func logsAndSettles() throws {
        let folder = try Folder()
        let result = try folder.run(["--date", "2026-11-20"])
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.errors.isEmpty, "a good night is quiet (cron mails whatever is printed)")
        let lines = try folder.logLines()
        #expect(lines.count == 7)
        for line in lines { #expect(Self.isStamped(line), "\(line)") }
        let messages = lines.map { String($0.drop { $0 != "]" }.dropFirst(3)) }
        let settle = "\(folder.stub) --db \(folder.database) settle --reports \(folder.path)/reports --catch-up --date 2026-11-20"
        #expect(messages == [
            "start: settle 2026-11-20 of \(folder.database) (reports to \(folder.path)/reports, timebank \(folder.stub), actor nightly-settlement)",
            "head check: no head in \(folder.log) yet (a first run, or the log was rotated away); the settlement checks the chain itself",
            "run: " + settle,
            "  stub: --db \(folder.database) settle --reports \(folder.path)/reports --catch-up --date 2026-11-20",
            "  stub: a line on stderr",
            "night-head: 2026-11-20 8 \(Self.stubHead)",
            "done: exit 0 (settled)",
        ])
        #expect(FileManager.default.fileExists(atPath: folder.path + "/reports"))

        // A second night appends, after checking the head noted; without --date timebank picks yesterday itself. The night
        // noted already is not noted again.
        #expect(try folder.run([]).status == 0)
        let second = try folder.logLines()
        #expect(second.count == 15, "\(second)")
        #expect(second[7].hasSuffix("start: settle yesterday of \(folder.database) (reports to \(folder.path)/reports, timebank \(folder.stub), actor nightly-settlement)"))
        #expect(second[8].hasSuffix("run: \(folder.stub) --db \(folder.database) verify --head \(Self.stubHead)"))
        #expect(second[11].hasSuffix("settle --reports \(folder.path)/reports --catch-up"))

        // Nights missed are settled first unless --no-catch-up (then a missed night stops the run: N010, exit 1).
        #expect(try folder.run(["--no-catch-up"]).status == 0)
        let third = try folder.logLines()
        #expect(third.count == 23 && third[19].hasSuffix("settle --reports \(folder.path)/reports"), "\(third)")
    }

    @Test("with the real timebank, exit 0's done line says what happened: nothing to settle yet, settled, settled before",
          .enabled(if: BuiltExecutable.path != nil, "the timebank executable was not built next to the tests"))
    func doneLineSaysWhatHappened() throws {
        let binary = try #require(BuiltExecutable.path)
        let folder = try Folder()
        try FileManager.default.removeItem(atPath: folder.database)
        var environment = ["TIMEBANK_DB": folder.database, "TIMEBANK_CLOCK": "2026-11-08T02:00:00.000Z", "TIMEBANK_PIN": "night-test-1",
                           "TIMEBANK_OPERATOR": "admin"]
        func timebank(_ arguments: [String]) throws {
            let result = try runProcess(binary, arguments, environment: environment)
            #expect(result.status == 0, "\(arguments): \(result.errors)")
        }
        func night(_ arguments: [String]) throws -> String {
            let result = try folder.runReal(binary, arguments, environment: environment)
            #expect(result.status == 0, "\(result.errors)")
            return try #require(try folder.logLines().last)
        }
        try timebank(["init"])
        // A new community whose first policy version takes effect on 2026-12-01: yesterday, 2026-11-07, is before it.
        let policy = try String(contentsOfFile: PolicyCommandTests.config("config/policy.toml"), encoding: .utf8)
            .replacingOccurrences(of: "effective = 2026-10-01", with: "effective = 2026-12-01")
        try policy.write(toFile: folder.path + "/policy.toml", atomically: true, encoding: .utf8)
        try timebank(["policy", "activate", folder.path + "/policy.toml"])
        let early = try night([])
        #expect(early.hasSuffix("done: exit 0 (nothing settled yet: the first policy version takes effect later; the line above says the first night to settle)"),
                "\(early)")
        #expect(try folder.logLines().contains { $0.contains("  Nothing to settle yet: yesterday, 2026-11-07, comes before") })
        // Another community's first night, then the same night again.
        environment["TIMEBANK_DB"] = folder.path + "/other.sqlite"
        try timebank(["init"])
        try timebank(["policy", "activate", PolicyCommandTests.config("config/policy.toml")])
        #expect(try night(["--date", "2026-11-07"]).hasSuffix("done: exit 0 (settled)"))
        #expect(try night(["--date", "2026-11-07"]).hasSuffix("done: exit 0 (settled before; nothing changed)"))
    }

    /// The log is the head kept outside the database: a ledger cut back behind the last night's head (a restore, or someone
    /// who can write the file removing the newest entries with the settlements that noted them) passes every check the
    /// store makes on itself, so the run checks the head its log noted last before it settles anything on top.
    @Test("with the real timebank: the head the log noted last must still be in the ledger; a restored database stops the run (exit 3, V024) until --after-restore",
          .enabled(if: BuiltExecutable.path != nil, "the timebank executable was not built next to the tests"))
    func lastLoggedHeadChecked() throws {
        let binary = try #require(BuiltExecutable.path)
        let folder = try Folder()
        try FileManager.default.removeItem(atPath: folder.database)
        let environment = ["TIMEBANK_DB": folder.database, "TIMEBANK_CLOCK": "2026-11-10T02:00:00.000Z", "TIMEBANK_PIN": "night-test-1",
                           "TIMEBANK_OPERATOR": "admin"]
        func timebank(_ arguments: [String]) throws {
            let result = try runProcess(binary, arguments, environment: environment)
            #expect(result.status == 0, "\(arguments): \(result.errors)")
        }
        func night(_ arguments: [String]) throws -> (status: Int32, output: String, errors: String) {
            try folder.runReal(binary, arguments, environment: environment)
        }
        try timebank(["init"])
        try timebank(["policy", "activate", PolicyCommandTests.config("config/policy.toml")])
        // The first night posts nothing: its head is the empty ledger's, 64 zeros, which the next night must find too.
        #expect(try night(["--date", "2026-11-07"]).status == 0)
        try timebank(["volunteer", "add", "--id", "V1", "--name", "王芳", "--joined", "2026-01-01"])
        try timebank(["post", "--from", "system:issuance", "--to", "V1", "--points", "20", "--kind", "award", "--key", "a-1",
                      "--memo", "巡逻", "--date", "2026-11-08"])
        let second = try night(["--date", "2026-11-08"])
        #expect(second.status == 0, "\(second.errors)")
        #expect(try folder.logLines().contains { $0.hasSuffix("  Head 0000000000000000000000000000000000000000000000000000000000000000 (--head): "
                                                               + "the empty ledger's head, which every chain begins with; 1 entry written after it.") })
        try timebank(["backup", "--to", folder.path + "/before-night-3.sqlite"])
        try timebank(["post", "--from", "system:issuance", "--to", "V1", "--points", "5", "--kind", "award", "--key", "a-2",
                      "--memo", "巡逻", "--date", "2026-11-09"])
        #expect(try night(["--date", "2026-11-09"]).status == 0)
        let loggedHead = try #require(try folder.logLines().last { $0.contains("ledger: ") }?.split(separator: " ").last.map(String.init))
        // The script's own line, read from the real `settlement list --format csv`, notes the same head as the summary.
        let recorded = try #require(try TimeBankStore(path: folder.database).settlement(on: LocalDate("2026-11-09")!))
        #expect(try folder.logLines().last { $0.contains(": night-head: ") }?.hasSuffix(": night-head: 2026-11-09 \(recorded.headSequence) \(loggedHead)") == true)
        // Restored from the backup taken before the third night: the entry of 2026-11-09 and that night's settlement are gone.
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: folder.database + suffix) }
        try FileManager.default.removeItem(atPath: folder.database)
        try FileManager.default.copyItem(atPath: folder.path + "/before-night-3.sqlite", toPath: folder.database)
        let before = try TimeBankStore(path: folder.database).head()
        let stopped = try night(["--date", "2026-11-09"])
        #expect(stopped.status == 3, "\(stopped.errors)")
        let log = try folder.logLines()
        #expect(log.contains { $0.contains("error[V024]: the head \(loggedHead) given with --head is not in the chain") }, "\(log.suffix(6))")
        #expect(log.contains { $0.contains("the ledger no longer holds the head \(loggedHead) that this log noted at the last night settled") })
        #expect(!log.suffix(6).contains { $0.contains(": run: ") && $0.contains(" settle ") }, "nothing was settled")
        let untouched = try TimeBankStore(path: folder.database)
        #expect(try untouched.head() == before)
        #expect(try untouched.settlement(on: LocalDate("2026-11-09")!) == nil)
        #expect(stopped.errors.hasPrefix("nightly-settlement: exit 3 (INTEGRITY FAILURE"))
        // Restored on purpose: once with --after-restore, which the log says; the nights after check again.
        let restored = try night(["--date", "2026-11-09", "--after-restore"])
        #expect(restored.status == 0, "\(restored.errors)")
        #expect(try folder.logLines().contains { $0.contains("head check skipped (--after-restore): the database was restored from a backup, "
                                                              + "so the heads logged after it are gone (the last one logged: \(loggedHead))") })
        #expect(try night(["--date", "2026-11-09"]).status == 0)
        #expect(try folder.logLines().suffix(14).contains { $0.contains("still in the chain (the newest entry).") })
    }

    @Test("the heads are the script's own night-head lines from settlement list --format csv, whatever timebank's summary says; a log of settled nights without one stops the run (exit 3)")
    func headsNotedInTheScriptsOwnLines() throws {
        let folder = try Folder()
        func run(_ arguments: [String], settlements: String? = nil) throws -> (status: Int32, output: String, errors: String) {
            var environment = ["TIMEBANK_BIN": folder.stub, "TIMEBANK_DB": folder.database, "TIMEBANK_LOG": folder.log,
                               "TIMEBANK_REPORTS_DIR": folder.path + "/reports", "TIMEBANK_LOCK": ""]
            environment["STUB_SETTLEMENTS"] = settlements
            return try runProcess("/bin/bash", [Self.script] + arguments, environment: environment)
        }
        let head1 = String(repeating: "1", count: 64), head2 = String(repeating: "2", count: 64), head3 = String(repeating: "3", count: 64)
        // A first run (no head yet) notes the latest night only; a catch-up after it notes each night after the last noted.
        #expect(try run([], settlements: Self.settlements([("2026-11-18", 3, head1), ("2026-11-19", 5, head2)])).status == 0)
        #expect(try folder.logLines().filter { $0.contains(": night-head: ") }.map { String($0.split(separator: " ", maxSplits: 2)[2]) }
                == ["night-head: 2026-11-19 5 \(head2)"])
        #expect(try run([], settlements: Self.settlements([("2026-11-19", 5, head2), ("2026-11-20", 7, head3), ("2026-11-21", 9, head1)])).status == 0)
        let noted = try folder.logLines().filter { $0.contains(": night-head: ") }
        #expect(noted.count == 3 && noted[1].hasSuffix("night-head: 2026-11-20 7 \(head3)") && noted[2].hasSuffix("night-head: 2026-11-21 9 \(head1)"))
        #expect(try folder.logLines().contains { $0.hasSuffix("run: \(folder.stub) --db \(folder.database) verify --head \(head2)") })
        // The next run checks the last one noted.
        #expect(try run([]).status == 0)
        #expect(try folder.logLines().contains { $0.hasSuffix("verify --head \(head1)") })

        // A log of settled nights whose heads are gone (cut, edited): loud, exit 3, nothing run; --after-restore goes on.
        let cut = try Folder()
        try "2026-11-21T00:30:02+0800 nightly-settlement[11918]: done: exit 0 (settled)\n".write(toFile: cut.log, atomically: true, encoding: .utf8)
        let stopped = try cut.run([])
        #expect(stopped.status == 3, "\(stopped.errors)")
        let lines = try cut.logLines()
        #expect(lines.contains { $0.contains("says nights were settled (done: exit 0 (settled...)) but holds no head of one") }, "\(lines)")
        #expect(!lines.contains { $0.contains(": run: ") })
        #expect(try cut.run(["--after-restore"]).status == 0)
        #expect(try cut.logLines().last { $0.contains("night-head: ") }?.hasSuffix("night-head: 2026-11-20 8 \(Self.stubHead)") == true)

        // A log from before the night-head lines: the summary's ledger line is read, once.
        let old = try Folder()
        try ("2026-11-21T00:30:01+0800 nightly-settlement[11918]:     ledger:   8 entries, head \(head3)\n"
             + "2026-11-21T00:30:02+0800 nightly-settlement[11918]: done: exit 0 (settled)\n").write(toFile: old.log, atomically: true, encoding: .utf8)
        #expect(try old.run([]).status == 0)
        #expect(try old.logLines().contains { $0.hasSuffix("verify --head \(head3)") })

        // Heads that cannot be read after a night settled: said, and exit 4 (the night is settled; the next run checks an older head).
        let unreadable = try Folder()
        let failed = try runProcess("/bin/bash", [Self.script], environment: [
            "TIMEBANK_BIN": unreadable.stub, "TIMEBANK_DB": unreadable.database, "TIMEBANK_LOG": unreadable.log,
            "TIMEBANK_REPORTS_DIR": unreadable.path + "/reports", "TIMEBANK_LOCK": "", "STUB_LIST_EXIT": "4",
        ])
        #expect(failed.status == 4, "\(failed.errors)")
        #expect(try unreadable.logLines().contains { $0.contains("the nights' heads could not be read (timebank settlement list --format csv, exit 4)") })
        #expect(!(try unreadable.logLines()).contains { $0.contains("night-head: ") })

        // A listing without the columns the heads are read from (another timebank): said with its header, exit 4, no head.
        let other = try Folder()
        let missing = try runProcess("/bin/bash", [Self.script], environment: [
            "TIMEBANK_BIN": other.stub, "TIMEBANK_DB": other.database, "TIMEBANK_LOG": other.log,
            "TIMEBANK_REPORTS_DIR": other.path + "/reports", "TIMEBANK_LOCK": "", "STUB_SETTLEMENTS": "date,posted\n2026-11-20,2",
        ])
        #expect(missing.status == 4, "\(missing.errors)")
        #expect(try other.logLines().contains { $0.contains("could not be read from timebank settlement list --format csv (\"no date, head_sequence and head_hash columns in the header: date,posted\")") })
        #expect(!(try other.logLines()).contains { $0.contains("night-head: ") })
    }

    @Test("timebank's exit code is the script's, and a failure is also said on stderr", arguments: [Int32(1), 2, 3, 4])
    func exitCodePassedThrough(code: Int32) throws {
        let folder = try Folder()
        let result = try folder.run(["--date", "2026-11-20"], exit: code)
        #expect(result.status == code)
        #expect(try folder.logLines().last?.contains("done: exit \(code) (") == true)
        #expect(result.errors.hasPrefix("nightly-settlement: exit \(code) ("))
    }

    @Test("exit 1 and 4 name their causes in the done line, N010 (nights missed with --no-catch-up) among them")
    func refusalsNamed() throws {
        let folder = try Folder()
        #expect(try folder.run(["--no-catch-up"], exit: 1).status == 1)
        let refused = try #require(try folder.logLines().last)
        #expect(refused.contains("done: exit 1 (refused by a rule (the error line above says which): nights missed with --no-catch-up (N010)"), "\(refused)")
        // A --date before the first policy version (N008) is named too: the log's reader is told every refusal there is.
        #expect(refused.contains("no policy (N004), a --date before the first policy version (N008))"), "\(refused)")
        #expect(try folder.run([], exit: 4).status == 4)
        let failed = try #require(try folder.logLines().last)
        #expect(failed.contains("done: exit 4 (storage or system failure (the error line above says which: disk full, no permission"), "\(failed)")
    }

    @Test("timebank killed by a signal (the out-of-memory killer's SIGKILL) is named as such, with what to do", arguments: [Int32(137), 134])
    func killedBySignal(code: Int32) throws {
        let folder = try Folder()
        let result = try folder.run(["--date", "2026-11-20"], exit: code)
        #expect(result.status == code)
        let last = try #require(try folder.logLines().last)
        #expect(last.contains("done: exit \(code) (timebank was killed"), "\(last)")
        #expect(last.contains("signal \(code - 128)"))
        #expect(last.contains("run it again and the settlement resumes where it stopped"))
        #expect(!last.contains("unexpected exit code"))
    }

    @Test("stopped with SIGTERM (systemd's timeout or stop, a shutdown): the log still ends with done: exit 143, and stderr says so")
    func stoppedBySignal() throws {
        let folder = try Folder()
        let pidFile = folder.path + "/stub.pid", errorFile = folder.path + "/stderr"
        let environment = ProcessInfo.processInfo.environment.merging([
            "TIMEBANK_BIN": folder.stub, "TIMEBANK_DB": folder.database, "TIMEBANK_LOG": folder.log,
            "TIMEBANK_REPORTS_DIR": folder.path + "/reports", "TIMEBANK_LOCK": "", "TIMEBANK_BACKUP_DIR": "",
            "STUB_SLEEP": "30", "STUB_PIDFILE": pidFile,
        ]) { $1 }
        let script = try Self.spawnWithSignalsUnblocked("/bin/bash", [Self.script, "--date", "2026-11-20"], environment: environment,
                                                        standardError: errorFile)
        // Wait until the stub (timebank) is running, then do what systemd does: SIGTERM to the script and its child.
        var stubPID: Int32?
        for _ in 0..<200 where stubPID == nil {
            stubPID = (try? String(contentsOfFile: pidFile, encoding: .utf8)).flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            if stubPID == nil { usleep(50_000) }
        }
        let stub = try #require(stubPID, "the stub never started")
        #expect(kill(script, SIGTERM) == 0)
        #expect(kill(stub, SIGTERM) == 0)
        var status: Int32 = 0
        #expect(waitpid(script, &status, 0) == script)
        #expect(status & 0x7f == 0 && (status >> 8) & 0xff == 143, "exit status \(status)")
        let last = try #require(try folder.logLines().last)
        #expect(last.contains("done: exit 143 (stopped by signal 15 (TERM)"), "\(last)")
        #expect(last.hasSuffix("run it again and the settlement resumes where it stopped)"))
        let errorText = try String(contentsOfFile: errorFile, encoding: .utf8)
        #expect(errorText.contains("nightly-settlement: exit 143 (stopped by signal 15"), "\(errorText)")
    }

    /// Starts `executable` with no signal blocked or ignored, as cron and systemd start a job: a child of the test
    /// runner inherits the runner's blocked signals (SIGTERM among them), and a shell cannot trap what was ignored
    /// or blocked when it started. Standard output goes to /dev/null, standard error to `standardError`.
    static func spawnWithSignalsUnblocked(_ executable: String, _ arguments: [String], environment: [String: String],
                                          standardError: String) throws -> pid_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, standardError, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let code = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard code == 0 else { throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO) }
        return pid
    }

    @Test("75 when another run holds the lock, and timebank is not started")
    func lockHeld() throws {
        let folder = try Folder()
        // Hold the same lock the script takes (flock on DB.nightly.lock) from this process.
        let descriptor = open(folder.database + ".nightly.lock", O_RDWR | O_CREAT, 0o644)
        #expect(descriptor >= 0)
        defer { close(descriptor) }
        #expect(flock(descriptor, LOCK_EX | LOCK_NB) == 0)

        let result = try folder.run(["--date", "2026-11-20"])
        #expect(result.status == 75)
        let lines = try folder.logLines()
        #expect(lines.count == 2)
        #expect(lines[0].hasSuffix("another run holds the lock \(folder.database).nightly.lock; nothing done"))
        #expect(lines[1].hasSuffix("done: exit 75 (another run holds the lock)"))
        #expect(!lines.contains { $0.contains("stub:") })

        // Once it is released the next run goes ahead.
        _ = flock(descriptor, LOCK_UN)
        #expect(try folder.run(["--date", "2026-11-20"]).status == 0)
    }

    @Test("--backup-dir backs up first; a failed backup stops the run with its exit code")
    func backupFirst() throws {
        let folder = try Folder()
        #expect(try folder.run(["--date", "2026-11-20", "--backup-dir", folder.path + "/backups"]).status == 0)
        let logged = try folder.logLines()
        let runs = logged.filter { $0.contains(": run: ") }
        try #require(runs.count == 2, "\(logged)")
        #expect(runs[0].contains("--db \(folder.database) backup --to \(folder.path)/backups/community-"))
        #expect(runs[1].contains(" settle "))

        let failing = try Folder()
        let failed = try failing.run(["--backup-dir", failing.path + "/backups"], exit: 4)
        #expect(failed.status == 5, "a failed backup has its own exit code")
        let lines = try failing.logLines()
        #expect(lines.contains { $0.contains(": the backup to \(failing.path)/backups/community-")
                                 && $0.hasSuffix(".sqlite failed (timebank exit 4; the error line above says why): the settlement was not started") })
        #expect(lines.last?.hasSuffix("done: exit 5 (the backup failed, so nothing was settled; the log says why (destination, permissions, "
                                      + "disk, a busy database))") == true, "\(lines)")
        #expect(failed.errors.hasPrefix("nightly-settlement: exit 5 (the backup failed"))
        #expect(!lines.contains { $0.contains(": run: ") && $0.contains(" settle ") })

        // A copy that fails its integrity check (B004, exit 3) stays an integrity failure: the database may be damaged.
        let damaged = try Folder()
        let damagedRun = try damaged.run(["--backup-dir", damaged.path + "/backups"], exit: 3)
        let damagedLog = (try? damaged.logLines()) ?? []
        #expect(damagedRun.status == 3, "\(damagedRun.status): \(damagedRun.errors) \(damagedLog)")
        #expect(damagedLog.contains { $0.contains("the backup's copy failed its integrity check (timebank exit 3)") }, "\(damagedLog)")
    }

    @Test("two runs in the same second back up to two files (-2 after the time) and both settle; neither meets B001")
    func backupsInOneSecond() throws {
        let folder = try Folder()
        // A `date` that always says 00:30:01 for the backup name (and the real time for the log), so both runs fall in
        // one second whatever the machine's speed.
        for _ in 0..<3 {
            let result = try folder.runBackup(dateForName: "echo 20261121T003001")
            #expect(result.status == 0, "\(result.errors)")
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path + "/backups").sorted()
        #expect(files == ["community-20261121T003001-2.sqlite", "community-20261121T003001-3.sqlite", "community-20261121T003001.sqlite"])
        #expect(try folder.logLines().filter { $0.hasSuffix("done: exit 0 (settled)") }.count == 3)
    }

    @Test("a date that fails for the backup's name stops the run (exit 5) instead of naming the file community-.sqlite")
    func backupNameWithoutTime() throws {
        let folder = try Folder()
        // A `date` that fails for the backup name (as one does when the machine is out of processes) and tells the real
        // time for the log.
        let result = try folder.runBackup(dateForName: #"echo "date: fork: Resource temporarily unavailable" >&2; exit 1"#)
        #expect(result.status == 5, "\(result.errors)")
        let lines = try folder.logLines()
        #expect(lines.contains { $0.contains("could not read the time for the backup's name (date printed \"\"): the settlement was not started") },
                "\(lines)")
        #expect(!lines.contains { $0.contains(": run: ") }, "neither the backup nor the settlement ran")
        #expect((try? FileManager.default.contentsOfDirectory(atPath: folder.path + "/backups")) ?? [] == [])
    }

    @Test("--help, bad options, and a missing binary")
    func usage() throws {
        let folder = try Folder()
        let help = try folder.run(["--help"])
        #expect(help.status == 0 && help.output.hasPrefix("Usage: nightly-settlement"))
        #expect(help.output.contains("TIMEBANK_BIN"))
        #expect(try folder.run(["--date", "yesterday"]).status == 2)
        #expect(try folder.run(["--bogus", "1"]).status == 2)
        let missing = try runProcess("/bin/bash", [Self.script, "--date", "2026-11-20"], environment: [
            "TIMEBANK_BIN": folder.path + "/no-such-binary", "TIMEBANK_DB": folder.database, "TIMEBANK_LOG": folder.log,
        ])
        #expect(missing.status == 4)
        #expect(try folder.logLines().contains { $0.contains("no timebank executable") })
        // A mistyped database path: exit 2 before anything (log, lock, reports) is made beside it.
        let typo = folder.path + "/typo/communty.sqlite"
        let mistyped = try runProcess("/bin/bash", [Self.script, "--db", typo], environment: ["TIMEBANK_BIN": folder.stub])
        #expect(mistyped.status == 2)
        #expect(mistyped.errors.contains("no database at \(typo): check the path"))
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/typo"))
        let atFolder = try runProcess("/bin/bash", [Self.script, "--db", folder.path], environment: ["TIMEBANK_BIN": folder.stub])
        #expect(atFolder.status == 2 && atFolder.errors.contains("is a folder; give the database file in it"))
        #expect(!FileManager.default.fileExists(atPath: folder.path + ".nightly.lock"))
    }
}

/// Who the ledger says acted, from the environment a shell, cron or systemd leaves.
@Suite("the actor")
struct ActorTests {
    @Test("$TIMEBANK_ACTOR, else $USER, else $LOGNAME (cron's), else cli", arguments: [
        (["TIMEBANK_ACTOR": "nightly", "USER": "root", "LOGNAME": "root"], "nightly"),
        (["USER": "zhang", "LOGNAME": "root"], "zhang"),
        (["LOGNAME": "timebank"], "timebank"),
        (["TIMEBANK_ACTOR": "", "USER": ""], "cli"),
    ])
    func actorFromTheEnvironment(environment: [String: String], actor: String) {
        let context = CommandContext(output: BufferedOutput(), errors: BufferedOutput(), environment: environment, clock: SystemClock())
        #expect(context.actor == actor)
    }
}

