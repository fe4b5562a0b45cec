import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

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
            try """
            #!/usr/bin/env bash
            echo "stub: $*"
            echo "stub: a line on stderr" >&2
            exit "${STUB_EXIT:-0}"
            """.write(toFile: stub, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: stub)
        }

        deinit { try? FileManager.default.removeItem(atPath: path) }

        /// Runs the script with the stub as `TIMEBANK_BIN`, the database, reports and log in the folder.
        func run(_ arguments: [String], exit stubExit: Int32 = 0) throws -> (status: Int32, output: String, errors: String) {
            try runProcess("/bin/bash", [NightlyScriptTests.script] + arguments, environment: [
                "TIMEBANK_BIN": stub, "TIMEBANK_DB": database, "TIMEBANK_LOG": log, "TIMEBANK_REPORTS_DIR": path + "/reports",
                "TIMEBANK_LOCK": "", "TIMEBANK_BACKUP_DIR": "", "STUB_EXIT": "\(stubExit)",
            ])
        }

        func logLines() throws -> [String] {
            try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map(String.init)
        }
    }

    /// `2026-11-21T00:30:01+0800 nightly-settlement[1234]: ` before every line.
    static func isStamped(_ line: String) -> Bool {
        let regex = try? Regex(#"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{4} nightly-settlement\[\d+\]: "#)
        return regex.map { line.prefixMatch(of: $0) != nil } ?? false
    }

    @Test("settles the day given, logging timebank's output line by line with timestamps")
    func logsAndSettles() throws {
        let folder = try Folder()
        let result = try folder.run(["--date", "2026-11-20"])
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.errors.isEmpty, "a good night is quiet (cron mails whatever is printed)")
        let lines = try folder.logLines()
        #expect(lines.count == 5)
        for line in lines { #expect(Self.isStamped(line), "\(line)") }
        let messages = lines.map { String($0.drop { $0 != "]" }.dropFirst(3)) }
        let settle = "\(folder.stub) --db \(folder.database) settle --reports \(folder.path)/reports --date 2026-11-20"
        #expect(messages == [
            "start: settle 2026-11-20 of \(folder.database) (reports to \(folder.path)/reports, timebank \(folder.stub))",
            "run: " + settle,
            "  stub: --db \(folder.database) settle --reports \(folder.path)/reports --date 2026-11-20",
            "  stub: a line on stderr",
            "done: exit 0 (settled)",
        ])
        #expect(FileManager.default.fileExists(atPath: folder.path + "/reports"))

        // A second night appends; without --date timebank picks yesterday itself.
        #expect(try folder.run([]).status == 0)
        let second = try folder.logLines()
        #expect(second.count == 10)
        #expect(second[5].hasSuffix("start: settle yesterday of \(folder.database) (reports to \(folder.path)/reports, timebank \(folder.stub))"))
        #expect(second[6].hasSuffix("settle --reports \(folder.path)/reports"))
    }

    @Test("timebank's exit code is the script's, and a failure is also said on stderr", arguments: [Int32(1), 2, 3, 4])
    func exitCodePassedThrough(code: Int32) throws {
        let folder = try Folder()
        let result = try folder.run(["--date", "2026-11-20"], exit: code)
        #expect(result.status == code)
        #expect(try folder.logLines().last?.contains("done: exit \(code) (") == true)
        #expect(result.errors.hasPrefix("nightly-settlement: exit \(code) ("))
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
        let runs = try folder.logLines().filter { $0.contains(": run: ") }
        #expect(runs.count == 2)
        #expect(runs[0].contains("--db \(folder.database) backup --to \(folder.path)/backups/community-"))
        #expect(runs[1].contains(" settle "))

        let failing = try Folder()
        #expect(try failing.run(["--backup-dir", failing.path + "/backups"], exit: 4).status == 4)
        let lines = try failing.logLines()
        #expect(lines.contains { $0.hasSuffix("the backup failed: the settlement was not started") })
        #expect(!lines.contains { $0.contains(": run: ") && $0.contains(" settle ") })
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
    }
}
