import Foundation
import Testing
import TimeBankCore
import TimeBankStorage
@testable import TimeBankCLI

/// The smaller files an operator or admin hands the engine, fed seeded mutations as `CommunityImportFuzzTests` feeds the
/// community imports (its `Mutator`: bytes deleted, doubled or inserted, `,` `"` LF CR NUL, a byte order mark, invalid UTF-8
/// and GBK bytes, the file in UTF-16 or GB18030 with or without `--encoding`, a 40-digit, empty or 5,000-character cell,
/// header cells swapped or typed twice, a row doubled with a cell changed, an empty file, only the header), and mutations
/// of their own (a count negative, fractional, of 40 digits or full-width; an id with a source, a comma or a space; a
/// reason empty or over two lines; points of 40 digits, negative or with three decimals):
/// - `stock count --station S1 --file COUNTS.csv --key K [--encoding E] [--dry-run]` (a stocktake sheet);
/// - `record approve --file LIST` and `record reject --file LIST` (one id per line, or a CSV with id and reason);
/// - `policy test POLICY CASES.toml` (the cases file).
///
/// Each case runs in its own copy of one base store (stations S1 and S2 with rice and biscuits delivered to S1, pending
/// records r1–r8, operators) and holds that:
/// - the command never traps and exits as the docs say (0, 1 or 2; never 3 or 4);
/// - a refusal, a `--dry-run` and `policy test` write nothing (every table but the sign-in log: stock levels, stock
///   history, stocktakes, record statuses, the ledger);
/// - a stocktake writes as many corrections as it says; an approval or rejection decides as many records as it says;
/// - every error names the file, and an error about a row names its line (`FILE:LINE`);
/// - the same command again (same key) changes nothing, and exits as the first did (`--json`: one JSON document).
@Suite struct SmallFileFuzzTests {
    enum Kind: String, CaseIterable {
        case stockCount = "stock count", approve = "record approve", reject = "record reject", policyTest = "policy test"

        /// The exit codes the docs give the command (docs/cli.md).
        var exits: Set<Int32> { self == .stockCount ? [0, 2] : [0, 1, 2] }
        /// The header words a mutation may type over a header cell.
        var columns: [String] {
            switch self {
            case .stockCount: ["item", "counted", "物品", "商品", "盘点数量", "实盘数量"]
            case .approve, .reject: ["id", "source", "record", "reason", "reject_reason", "status", "volunteer"]
            case .policyTest: ["name", "records", "expect", "points", "rules", "id", "volunteer", "category", "date", "minutes"]
            }
        }
    }

    /// Every table of the store but the sign-in log (a sign-in writes its attempt, whatever the command then does), each
    /// row as SQLite quotes it.
    struct Snapshot: Equatable {
        static let signInTables: Set<String> = ["sign_in_attempts", "sign_in_failures", "operator_events"]
        var tables: [String: [String]] = [:]

        init(_ path: String) throws {
            let database = try TimeBankStore(path: path).database
            let names = try database.statement("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
                .rows { $0.text(0) }
            for name in names where !Self.signInTables.contains(name) {
                let columns = try database.statement("SELECT name FROM pragma_table_info('\(name)')").rows { $0.text(0) }
                let row = columns.map { "quote(\"\($0)\")" }.joined(separator: " || ',' || ")
                tables[name] = try database.statement("SELECT \(row) FROM \"\(name)\" ORDER BY 1").rows { $0.text(0) }
            }
        }

        func count(_ table: String) -> Int { tables[table]?.count ?? -1 }
        func decided(_ status: String) -> Int { tables["records"]?.filter { $0.contains("'\(status)'") }.count ?? -1 }
        /// The tables that differ, for a failure's message.
        func changed(from other: Snapshot) -> [String] { tables.keys.filter { tables[$0] != other.tables[$0] }.sorted() }
    }

    static let repository: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The base store's bytes.
    static func makeBase() throws -> [UInt8] {
        let cli = try CLIHarness()
        try cli.stations()
        try cli.ok(["stock", "receive", "--station", "S1", "--item", "rice_5kg", "--qty", "10", "--key", "in-1", "--date", "2026-10-01"], CLIHarness.asAdmin)
        try cli.ok(["stock", "receive", "--station", "S1", "--item", "biscuits", "--qty", "20", "--key", "in-2", "--date", "2026-10-01"], CLIHarness.asAdmin)
        var records = ["id,volunteer,category,date,minutes,verifier"]
        for number in 1...9 { records.append("r\(number),V\(number % 2 + 1),orange,2026-10-0\(number),60,社区") }
        try cli.ok(["record", "import", try cli.write("october.csv", records.joined(separator: "\n") + "\n")], CLIHarness.asAdmin)
        try cli.ok(["record", "reject", "r9", "--reason", "重复登记"], CLIHarness.asAdmin)
        let copy = cli.folder + "/base.sqlite"
        try TimeBankStore(path: cli.databasePath).database.backup(to: copy)
        return Array(try Data(contentsOf: URL(fileURLWithPath: copy)))
    }

    /// The valid file a case of `kind` starts from (two of each kind, by the case's number), and the options it needs.
    static func start(_ kind: Kind, variant: Int) throws -> (text: String, options: [String]) {
        switch (kind, variant % 2) {
        case (.stockCount, 0): ("\u{FEFF}物品,盘点数量\n大米 5kg,8\nbiscuits,20\nlantern,3\n", [])
        case (.stockCount, _): ("item,counted\nrice_5kg,9\n饼干礼盒,18\n", [])
        case (.approve, 0): ("# 张主任 checked these\nr1\nr2\n\nr3\n", [])
        case (.approve, _): ("id,volunteer,note\nr4,V1,好\nr5,V2,\n", ["--verifier", "张主任"])
        case (.reject, 0): ("id,reason\nr6,重复登记\nr7,\"未核实, 电话无人接\"\n", [])
        case (.reject, _): ("r6\nr8\n", ["--reason", "未核实"])
        case (.policyTest, _):
            (try String(contentsOf: repository.appendingPathComponent("config/tests/policy.cases.toml"), encoding: .utf8), [])
        }
    }

    // MARK: Mutations of their own

    typealias Mutator = CommunityImportFuzzTests.Mutator

    /// A mutation of `kind`'s own cells (or a generic one of `Mutator`).
    static func mutate(_ bytes: [UInt8], kind: Kind, _ mutator: inout Mutator) -> [UInt8] {
        guard mutator.chance(45) else { return mutator.mutate(bytes, columns: kind.columns) }
        func words(_ list: [String]) -> String { list[mutator.int(0..<list.count)] }
        switch kind {
        case .stockCount:
            // Half of them a count that reads (the sheet is then written), half one that does not.
            let count = mutator.chance(50)
                ? words(["0", "1000000", "３", "１２", " 7 ", "+4", "-0", "0063", "3", "60"])
                : words(["-3", "2.5", "3.0", "", " ", "1000001", "0x10", "1e3", "七", String(repeating: "9", count: 40),
                         String(repeating: "8", count: 5_000)])
            mutator.log.append("count \"\(count.prefix(20))\"")
            return mutator.replaceCell(bytes) { _, _ in Array(count.utf8) }
        case .approve, .reject:
            let id = words(["r99", "R1", "default:r1", "wechat:r1", "r1 r2", "#r1", "r1;r2", "\"r1\"", "r９", "", "\u{3000}r2",
                            "r1\u{200B}", "r9", String(repeating: "r", count: 5_000)])
            let reason = words(["", "\"第一行\n第二行\"", "\u{202E}反向", String(repeating: "理", count: 600), "  ", "重复登记"])
            let cell = kind == .reject && mutator.chance(40) ? reason : id
            mutator.log.append("cell \"\(cell.prefix(20))\"")
            return mutator.replaceCell(bytes) { _, _ in Array(cell.utf8) }
        case .policyTest:
            // A value of the cases file: points, a name, a rule list; or a record's minutes.
            let text = String(decoding: bytes, as: UTF8.self)
            let targets = ["points = 26.5", "points = 15", "expect.x1 = 10", "name = \"", "rules = [", ",600,", "[[case]]", "'''"]
            let target = words(targets)
            guard let range = text.range(of: target) else { return bytes }
            let replacement: String
            switch target {
            case "points = 26.5", "points = 15":
                replacement = "points = " + words(["-26.5", "26.555", String(repeating: "9", count: 40), "\"\"", "26.5.0", "1e400", "", "nan", "-0"])
            case "expect.x1 = 10": replacement = words(["expect.x1 = ", "expect.x9 = 10", "expect.x1 = \"10\"", "expect.x1 = 10\nexpect.x1 = 11"])
            case "name = \"": replacement = words(["name = \"\" + \"", "name = \"" + String(repeating: "王", count: 5_000), "nmae = \""])
            case "rules = [": replacement = words(["rules = [1, ", "rules = [\"\", ", "rules = \"", "rules = [["])
            case ",600,": replacement = words([",-600,", ",6000000000000000000000000000000000000000,", ",60.5,", ",,"])
            case "[[case]]": replacement = words(["[case]", "[[case]]\n[[case]]", "[[ case ]]", ""])
            default: replacement = words(["''", "\"\"\"", ""])
            }
            mutator.log.append("\"\(target)\" -> \"\(replacement.prefix(30))\"")
            return Array(text.replacingCharacters(in: range, with: replacement).utf8)
        }
    }

    // MARK: The properties

    /// Every error line on standard error names `path`, and one about a row or line names it as `PATH:LINE`.
    static func errorsNameTheFile(_ errors: String, path: String) -> [String] {
        var problems: [String] = []
        for line in errors.split(separator: "\n") where line.contains("error[") {
            if !line.contains(path) { problems.append("an error that does not name the file: \(line.prefix(300))") }
            let aboutARow = line.range(of: #"\b(row|line) \d+"#, options: .regularExpression) != nil
            if aboutARow && line.range(of: NSRegularExpression.escapedPattern(for: path) + #":\d+"#, options: .regularExpression) == nil {
                problems.append("an error about a row that does not name its line: \(line.prefix(300))")
            }
        }
        return problems
    }

    /// The `N corrected` of a stocktake, `Approved N`/`Rejected N` of a decision (records decided now).
    static func said(_ output: String, kind: Kind) -> Int? {
        let pattern = kind == .stockCount ? #"(\d+) corrected"# : kind == .approve ? #"Approved (\d+) record"# : #"Rejected (\d+) record"#
        guard let range = output.range(of: pattern, options: .regularExpression) else { return nil }
        return Int(output[range].filter(\.isNumber))
    }

    /// Runs one case; returns what went wrong, empty when every property holds, and whether the command succeeded.
    static func check(_ base: [UInt8], kind: Kind, bytes: [UInt8], options: [String], number: Int, dryRun: Bool) throws -> (problems: [String], done: Bool) {
        var problems: [String] = []
        let cli = try CLIHarness()
        try Data(base).write(to: URL(fileURLWithPath: cli.databasePath))
        let path = cli.folder + "/" + (kind == .policyTest ? "cases.toml" : kind == .stockCount ? "盘点.csv" : "list.csv")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let arguments: [String]
        switch kind {
        case .stockCount: arguments = ["stock", "count", "--station", "S1", "--file", path, "--key", "S1-count-\(number)"] + options
        case .approve: arguments = ["record", "approve", "--file", path] + options
        case .reject: arguments = ["record", "reject", "--file", path] + options
        case .policyTest: arguments = ["policy", "test", repository.appendingPathComponent("config/policy.toml").path, path]
        }
        let environment = kind == .stockCount ? CLIHarness.asOp1 : CLIHarness.asAdmin
        let before = try Snapshot(cli.databasePath)

        func run(_ arguments: [String]) -> CLIHarness.Result {
            let result = cli.run(arguments, environment: environment)
            if !kind.exits.contains(result.exit) { problems.append("exit \(result.exit): \(result.errors.prefix(400))") }
            if result.exit != 0 && result.errors.isEmpty && !(kind == .policyTest && result.exit == 1) { problems.append("refused with nothing on standard error") }
            if result.exit != 0 { problems += errorsNameTheFile(result.errors, path: path) }
            return result
        }

        if dryRun {
            let dry = run(arguments + ["--dry-run"])
            if try Snapshot(cli.databasePath) != before { problems.append("--dry-run wrote (exit \(dry.exit))") }
            let real = cli.run(arguments, environment: environment)
            if real.exit != dry.exit { problems.append("--dry-run exited \(dry.exit), the stocktake \(real.exit): \(real.errors.prefix(300))") }
            // Back to the store as it was, for the case itself.
            try Data(base).write(to: URL(fileURLWithPath: cli.databasePath))
        }
        let first = run(arguments)
        let afterFirst = try Snapshot(cli.databasePath)
        if first.exit != 0 || kind == .policyTest {
            if afterFirst != before {
                problems.append("exit \(first.exit) and \(afterFirst.changed(from: before)) changed: \(first.errors.prefix(300))")
            }
        } else {
            // Exactly what it says it wrote.
            let said = Self.said(first.output, kind: kind)
            switch kind {
            case .stockCount:
                let written = afterFirst.count("stock_movements") - before.count("stock_movements")
                if said != written { problems.append("said \(said.map(String.init) ?? "nothing") corrected, wrote \(written) stock movements") }
                if afterFirst.count("stock_counts") != before.count("stock_counts") + 1 { problems.append("no stocktake kept") }
            case .approve, .reject:
                let status = kind == .approve ? "approved" : "rejected"
                let decided = afterFirst.decided(status) - before.decided(status)
                if (said ?? 0) != decided { problems.append("said \(said.map(String.init) ?? "nothing") \(status), \(decided) are now") }
                let changed = Set(afterFirst.changed(from: before))
                if !changed.isSubset(of: ["records", "community_changes"]) { problems.append("a decision changed \(changed.sorted())") }
            case .policyTest: break
            }
        }

        // The same command again, with --json: nothing changes, the same exit, one JSON document.
        let second = run(["--json"] + arguments)
        if try Snapshot(cli.databasePath) != afterFirst { problems.append("the same command again changed the store") }
        if second.exit != first.exit { problems.append("exit \(first.exit), then \(second.exit) for the same command") }
        if (try? JSONSerialization.jsonObject(with: Data(second.output.utf8))) == nil {
            problems.append("--json printed no JSON document: \(second.output.prefix(300))")
        }
        return (problems, first.exit == 0)
    }

    /// Found by `mutatedFiles` (cases 244, 272 and 280: the sheet cut to its header): K010 did not name the sheet,
    /// where every other refusal of a stocktake's file names it (R005, K008, K009 with their lines; I100–I109).
    @Test("a stocktake sheet of its header alone: K010 names the sheet, nothing is written")
    func headerOnlySheetNamesTheFile() throws {
        let cli = try CLIHarness()
        try cli.stations()
        let sheet = try cli.write("盘点.csv", "物品,盘点数量\n")
        let before = try Snapshot(cli.databasePath)
        let refused = cli.run(["stock", "count", "--station", "S1", "--file", sheet, "--key", "c-1"], environment: CLIHarness.asOp1)
        #expect(refused.exit == 2)
        #expect(refused.errors == "error[K010]: \(sheet): the stocktake has no line: give --item and --counted, or a sheet with a row "
            + "for each item counted (item,counted); nothing was written\n", "\(refused.errors)")
        let json = cli.run(["--json", "stock", "count", "--station", "S1", "--file", sheet, "--key", "c-1"], environment: CLIHarness.asOp1)
        #expect(json.output.contains("\"code\": \"K010\"") && json.output.contains("\"message\": \"\(sheet): the stocktake"), "\(json.output)")
        #expect(try Snapshot(cli.databasePath) == before)
    }

    /// Found by `mutatedFiles` (case 53: a line break inserted into `r1`; case 94: `R1` typed for `r1`; 28 cases in all): an id of
    /// `--file` that names no record (E100), alone or among several (E028), was refused without the file or its line, so a
    /// list of 200 ids had to be searched by hand for it.
    @Test("record approve and reject --file: an id that names no record is refused with the file's line before it, alone (E100) or among several (E028)")
    func unknownIdsNameTheirLine() throws {
        let cli = try CLIHarness()
        try Data(try Self.makeBase()).write(to: URL(fileURLWithPath: cli.databasePath))
        let list = try cli.write("checked.txt", "# 张主任 checked these\nr1\nr99\n")
        let one = cli.run(["record", "approve", "--file", list], environment: CLIHarness.asAdmin)
        #expect(one.exit == 2)
        #expect(one.errors == "error[E100]: \(list):3: no record \"r99\"; did you mean \"r9\"?\n"
            + "None of the 2 records named was approved (a decision is all or none): leave that one out or put it right, then send "
            + "the command again.\n", "\(one.errors)")
        let sheet = try cli.write("checked.csv", "id,reason\nr6,重复登记\nR1,未核实\nr7,\nwechat:r2,未核实\n")
        let several = cli.run(["record", "reject", "--file", sheet, "r8", "--reason", "未核实"], environment: CLIHarness.asAdmin)
        #expect(several.exit == 2)
        #expect(several.errors.hasPrefix("error[E028]: 2 of the 5 records named cannot be rejected, so none was (a decision is all or none): "
            + "[E100] \(sheet):3: no record \"R1\"; did you mean \"r1\"?; [E100] \(sheet):5: no record \"wechat:r2\""), "\(several.errors)")
        // An id typed is not in the file: its refusal is as it was.
        let typed = cli.run(["record", "approve", "r98", "--file", list], environment: CLIHarness.asAdmin)
        #expect(typed.errors.contains("[E100] no record \"r98\"") && typed.errors.contains("[E100] \(list):3: no record \"r99\""), "\(typed.errors)")
        for id in ["r1", "r6", "r7", "r8"] { #expect(try cli.ok(["record", "show", id]).contains("pending")) }
    }

    /// Found beside `mutatedFiles` (its reasons of 600 characters fell on the id column): a reason of the file too long or
    /// over two lines was refused (E104, `the reason for r6 is longer than 500 characters`) without the file or its line.
    @Test("record reject --file: a reason of the file that cannot be kept (E104) is refused with the file's line before it")
    func unusableReasonNamesItsLine() throws {
        let cli = try CLIHarness()
        try Data(try Self.makeBase()).write(to: URL(fileURLWithPath: cli.databasePath))
        let sheet = try cli.write("checked.csv", "id,reason\nr7,重复登记\nr6," + String(repeating: "理", count: 600) + "\n")
        let refused = cli.run(["record", "reject", "--file", sheet], environment: CLIHarness.asAdmin)
        #expect(refused.exit == 2)
        #expect(refused.errors == "error[E104]: \(sheet):3: the reason for r6 is longer than 500 characters (it has 600)\n", "\(refused.errors)")
        // One row alone: its reason is all there is, and is named with its line too.
        let one = try cli.write("one.csv", "id,reason\nr6,\"第一行\n第二行\"\n")
        let broken = cli.run(["record", "reject", "--file", one], environment: CLIHarness.asAdmin)
        #expect(broken.exit == 2 && broken.errors.hasPrefix("error[E104]: \(one):2: the reason for r6 "), "\(broken.errors)")
        for id in ["r6", "r7"] { #expect(try cli.ok(["record", "show", id]).contains("pending")) }
    }

    /// Found by `mutatedFiles` (case 78: a line of two spaces in a list of ids): it was read as the id "" and refused (E100:
    /// no record ""), where the help says blank lines are skipped.
    @Test("record reject --file: a line of spaces in a list of ids is a blank line, skipped")
    func lineOfSpacesIsBlank() throws {
        let cli = try CLIHarness()
        try Data(try Self.makeBase()).write(to: URL(fileURLWithPath: cli.databasePath))
        let list = try cli.write("ids.txt", "r6\n  \n\u{3000}\nr8\n")
        #expect(try cli.ok(["record", "reject", "--file", list, "--reason", "未核实"], CLIHarness.asAdmin) == "Rejected 2 records: r6, r8\n")
    }

    @Test("stocktake sheets, approve and reject lists, policy test cases, fed seeded mutations: no trap, the documented exits, a refusal or a dry run writes nothing, every error names the file (and the line), a retry changes nothing")
    func mutatedFiles() throws {
        let base = try Self.makeBase()
        var random = SplitMix64(seed: 2026_11_24)
        var outcomes: [Kind: (done: Int, refused: Int)] = [:]
        var failures: [String] = []
        for number in 0..<(4 * 72) {
            let kind = Kind.allCases[number % 4]
            var mutator = Mutator(random: SplitMix64(seed: random.next()))
            let (text, options) = try Self.start(kind, variant: number / 4)
            var bytes = Array(text.utf8)
            // Cases 0–7 run each file as it is; the others apply one to three mutations.
            if number >= 8 {
                for _ in 0..<mutator.int(1..<4) where mutator.encoding == nil { bytes = Self.mutate(bytes, kind: kind, &mutator) }
            }
            // Only stock count takes --encoding: the others are given the re-encoded file as it is.
            let encoding = kind == .stockCount ? mutator.encoding.map { ["--encoding", $0] } ?? [] : []
            let dryRun = kind == .stockCount && mutator.chance(30)
            let (problems, done) = try Self.check(base, kind: kind, bytes: bytes, options: options + encoding, number: number, dryRun: dryRun)
            if number < 8 && !done { failures.append("case \(number) (\(kind.rawValue)): the file as it is did not go through") }
            outcomes[kind, default: (0, 0)].done += done ? 1 : 0
            outcomes[kind, default: (0, 0)].refused += done ? 0 : 1
            failures += problems.map { "case \(number) (\(kind.rawValue), \(mutator.log.joined(separator: "; "))\(dryRun ? ", --dry-run" : "")): \($0)" }
        }
        #expect(failures.isEmpty, "\(failures.count) problems:\n\(failures.prefix(25).joined(separator: "\n"))")
        // Both ways out are taken for every kind, or the mutations test nothing.
        for kind in Kind.allCases {
            #expect(outcomes[kind]!.done >= 8 && outcomes[kind]!.refused >= 5, "\(kind): \(outcomes[kind]!)")
        }
    }
}
