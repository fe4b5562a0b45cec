import Foundation
import Testing
import TimeBankCore
import TimeBankStorage
@testable import TimeBankCLI

/// The arguments an operator types at a counter, fed seeded mutations: every writing and reading command (post, reverse,
/// transfer, donate, redeem, book, cancel, fulfil, refund, stock receive/adjust/move/count, record approve/reject, fund
/// contribute/donate, dividend, operator add/pin, volunteer/household update, the reports, statement, balance, entry show,
/// settle) starts from a valid argument list and gets one to three of:
/// - an option's value typed oddly: `1e3`, `２`, `-0`, `0.005`, `2026-02-29`, `20261108`, `s1`, `Ｖ1`, a NUL or a line break,
///   5,000 characters, empty, only spaces, a bidirectional control;
/// - an option twice (the same or another value), an option without its value (last, or before the next option), a value that
///   looks like an option (`--memo --key`), `--opt=value`, an option left out;
/// - `--json` anywhere; an unknown option near a real one (`--quantity`, `-qty`, `—qty`, `－－qty`); an extra argument.
///
/// Each case runs in its own copy of one base store (the station policy with a fund rate, points, stock at S1, a receipt R1,
/// a booking B1, pending records r1–r4, operators) and holds that:
/// - the command never traps and exits 0, 1 or 2 (never 3 or 4: bad input is not a system failure);
/// - a refusal writes nothing (every table but the sign-in log: the ledger, stock history, receipts, bookings, records,
///   the community's tables);
/// - a refusal prints exactly one `error[CODE]: ...` line, and one of exit 2 names the option or the value at fault;
/// - the same refusal with `--json` prints one JSON document `{"error": {"code", "message", "exit"}}` with that code;
/// - a successful write sent again changes nothing (and a keyed write exits 0 again).
@Suite struct CommandLineFuzzTests {
    typealias Snapshot = SmallFileFuzzTests.Snapshot

    enum Signer { case admin, op1 }

    /// A command as the fuzz starts it: a valid argument list (the command's words first), and who signs in.
    struct Start {
        var words: Int
        var arguments: [String]
        var signer: Signer = .admin
        /// Sending it again must change nothing and exit 0 (a key, or a correction that says it has nothing to do).
        var retryExitsZero = true
        var environment: [String: String] = [:]
    }

    static let policy = stationCLIPolicy + "\n\n[fund]\nmerchant_rate = 0.001\n"

    static let starts: [Start] = [
        Start(words: 1, arguments: ["post", "--from", "system:issuance", "--to", "V2", "--points", "15", "--kind", "award",
                                    "--key", "fz-post", "--memo", "补录", "--date", "2027-01-03"]),
        Start(words: 1, arguments: ["reverse", "3", "--key", "fz-rev", "--reason", "录错", "--date", "2027-01-04"]),
        Start(words: 1, arguments: ["transfer", "--from", "V1", "--to", "V2", "--points", "5", "--key", "fz-tr", "--memo", "赠送",
                                    "--date", "2027-01-04"], signer: .op1),
        Start(words: 1, arguments: ["donate", "--from", "V1", "--points", "3", "--key", "fz-don", "--date", "2027-01-04"], signer: .op1),
        Start(words: 1, arguments: ["redeem", "--station", "S1", "--volunteer", "V1", "--item", "biscuits", "--qty", "1",
                                    "--key", "fz-red", "--date", "2027-01-05"], signer: .op1),
        Start(words: 1, arguments: ["book", "--station", "S1", "--volunteer", "V1", "--item", "health_check", "--for", "2027-01-06",
                                    "--key", "fz-bk"], signer: .op1),
        Start(words: 1, arguments: ["cancel", "B1", "--reason", "老人住院"], signer: .op1),
        Start(words: 1, arguments: ["fulfil", "B1", "--date", "2027-01-05"], signer: .op1),
        Start(words: 1, arguments: ["refund", "R1", "--reason", "米袋破损", "--date", "2027-01-05"], signer: .op1),
        Start(words: 2, arguments: ["stock", "receive", "--station", "S1", "--item", "lantern", "--qty", "5", "--key", "fz-in",
                                    "--unit-cost", "2", "--supplier", "超市", "--date", "2027-01-04"]),
        Start(words: 2, arguments: ["stock", "adjust", "--station", "S1", "--item", "biscuits", "--qty", "-1", "--reason", "damaged",
                                    "--note", "破损", "--key", "fz-adj"], signer: .op1),
        Start(words: 2, arguments: ["stock", "move", "--from", "S1", "--to", "S2", "--item", "biscuits", "--qty", "2",
                                    "--key", "fz-mv", "--note", "调拨"], signer: .op1),
        Start(words: 2, arguments: ["stock", "count", "--station", "S1", "--item", "biscuits", "--counted", "15", "--key", "fz-cnt"],
              signer: .op1),
        Start(words: 2, arguments: ["record", "approve", "r1", "--verifier", "张主任"], retryExitsZero: false),
        Start(words: 2, arguments: ["record", "reject", "r2", "--reason", "重复登记"], retryExitsZero: false),
        Start(words: 2, arguments: ["fund", "contribute", "--merchant", "泰山路超市", "--turnover", "12345.67", "--date", "2027-01-04",
                                    "--key", "fz-fc"]),
        Start(words: 2, arguments: ["fund", "donate", "--donor", "街道办", "--amount", "500", "--date", "2027-01-04", "--key", "fz-fd",
                                    "--memo", "捐款"]),
        Start(words: 1, arguments: ["dividend", "--period", "2026-11", "--amount", "10", "--unsettled", "--reason", "试点"]),
        Start(words: 2, arguments: ["operator", "add", "--id", "op3", "--name", "王五", "--role", "operator", "--station", "S2"],
              retryExitsZero: false, environment: ["TIMEBANK_NEW_PIN": "5825"]),
        Start(words: 2, arguments: ["volunteer", "update", "V2", "--name", "李四", "--tags", "医护", "--reason", "改名"]),
        Start(words: 2, arguments: ["household", "update", "H1", "--address", "泰山路14号", "--reason", "搬家"]),
        Start(words: 2, arguments: ["report", "daily", "--from", "2026-12-01", "--to", "2027-01-04"]),
        Start(words: 2, arguments: ["report", "stations", "--from", "2026-12-01", "--to", "2027-01-04"]),
        Start(words: 2, arguments: ["report", "ranking", "--from", "2026-11-01", "--to", "2026-12-31", "--top", "5", "--by", "points"]),
        Start(words: 2, arguments: ["report", "expiring", "--as-of", "2027-01-05", "--within", "30"]),
        Start(words: 2, arguments: ["report", "fund", "--from", "2026-12-01", "--to", "2027-01-04"]),
        Start(words: 2, arguments: ["report", "rejects", "--from", "2026-12-01", "--to", "2027-01-04"]),
        Start(words: 1, arguments: ["statement", "V1", "--from", "2026-10-01", "--to", "2027-01-05"]),
        Start(words: 1, arguments: ["balance", "V1", "V2"]),
        Start(words: 2, arguments: ["entry", "show", "2"]),
        Start(words: 1, arguments: ["settle", "--date", "2027-01-04"]),
    ]

    /// The base store's bytes: `stations()` (with the fund's rate), points for V1 and V2 (entry 3 is V2's, to reverse), stock
    /// at S1, receipt R1 (biscuits for V1), booking B1 (the health check for V1 on 2027-01-05), pending records r1–r4.
    static func makeBase() throws -> [UInt8] {
        let cli = try CLIHarness()
        try cli.stations(policy: policy)
        let admin = CLIHarness.asAdmin, op1 = CLIHarness.asOp1
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "400", "--kind", "award", "--key", "a-1", "--date", "2026-11-10"], admin)
        try cli.ok(["post", "--from", "system:issuance", "--to", "V2", "--points", "50", "--kind", "award", "--key", "a-2", "--date", "2026-11-11"], admin)
        guard try cli.entryCount() == 3 else { throw UsageError("V2's award is not entry 3: \(try cli.entryCount())") }
        try cli.ok(["stock", "receive", "--station", "S1", "--item", "biscuits", "--qty", "20", "--key", "in-1", "--date", "2026-12-01"], admin)
        try cli.ok(["stock", "receive", "--station", "S1", "--item", "rice_5kg", "--qty", "10", "--key", "in-2", "--date", "2026-12-01"], admin)
        try cli.ok(["redeem", "--station", "S1", "--volunteer", "V1", "--item", "biscuits", "--key", "S1-0001", "--date", "2027-01-04"], op1)
        try cli.ok(["book", "--station", "S1", "--volunteer", "V1", "--item", "health_check", "--for", "2027-01-05", "--key", "S1-bk-1"], op1)
        var records = ["id,volunteer,category,date,minutes,verifier"]
        for number in 1...4 { records.append("r\(number),V\(number % 2 + 1),orange,2026-12-0\(number),60,") }
        try cli.ok(["record", "import", try cli.write("december.csv", records.joined(separator: "\n") + "\n")], admin)
        let copy = cli.folder + "/base.sqlite"
        try TimeBankStore(path: cli.databasePath).database.backup(to: copy)
        return Array(try Data(contentsOf: URL(fileURLWithPath: copy)))
    }

    // MARK: Mutations

    /// One mutation: what it did (for a failure's message), and the words an error about it should name (an option, a value).
    struct Mutation {
        var log: String
        var names: [String]
    }

    static let numbers = ["1e3", "２", "１２．５", "-0", "0", "0.005", "0x10", "", " ", "+5", "1,000", "1 000", "七", "5 ",
                          String(repeating: "9", count: 40), "-5", "NaN", "∞", "１０００００００００００"]
    static let dates = ["2026-02-29", "20261108", "2026/11/08", "2026-13-01", "2099-01-01", "0000-01-01", "2026-1-8", "２０２６-１２-０１",
                        "", "2026-11-08T00:00", "today", "2026-12-32", " 2026-12-01",
                        "9999-12-31", "9999-12-32", "0001-01-01", "9999-12", "0000-13"]
    static let ids = ["s1", "Ｓ1", "Ｖ1", "V1 ", " V1", "v1", "V1\u{0}", "V1\n", "V\u{200B}1", "S１", "b1", "r１", "R1.0", "",
                      String(repeating: "V", count: 5_000), "system:issuance", "number:1", "B99", "R99", "99999999999999999999"]
    static let texts = ["", "  ", "\u{3000}", "第一行\n第二行", "a\u{0}b", "\r", "\u{202E}反向", String(repeating: "理", count: 5_000),
                        "\u{1B}[31m红\u{1B}[0m", "x"]

    /// The odd values for `option`, by what it takes.
    static func oddValues(for option: String) -> [String] {
        switch option {
        case "--points", "--qty", "--counted", "--amount", "--turnover", "--unit-cost", "--top", "--within", "--hold-minutes": numbers
        case "--date", "--for", "--as-of": dates
        case "--from", "--to": dates + ids
        case "--station", "--volunteer", "--item", "--id", "--kind", "--role", "--by", "--period", "--verifier": ids + ["2026-Q5", "2026-11-", "9999", "9999-Q4", "9999-12", "9999-W52", "0001-01", "2026-W53"]
        default: texts + ids.prefix(4)
        }
    }

    /// The options of `arguments` after the command's words: (index of the option, index of its value or nil for a flag).
    static func options(_ arguments: [String], words: Int) -> [(option: Int, value: Int?)] {
        var found: [(Int, Int?)] = []
        var index = words
        while index < arguments.count {
            if arguments[index].hasPrefix("--") && arguments[index] != "--json" {
                let hasValue = index + 1 < arguments.count && !arguments[index + 1].hasPrefix("--")
                found.append((index, hasValue ? index + 1 : nil))
                index += hasValue ? 2 : 1
            } else { index += 1 }
        }
        return found
    }

    static func printable(_ text: String) -> String {
        let cut = text.prefix { !$0.isNewline && !($0.unicodeScalars.first.map { $0.properties.generalCategory == .control || $0.properties.generalCategory == .format } ?? false) }
        return String(cut.prefix(20))
    }

    static func mutate(_ arguments: inout [String], words: Int, _ random: inout SplitMix64) -> Mutation {
        func int(_ range: Range<Int>) -> Int { range.isEmpty ? range.lowerBound : Int.random(in: range, using: &random) }
        func pick<T>(_ list: [T]) -> T { list[int(0..<list.count)] }
        let options = Self.options(arguments, words: words)
        let withValue = options.filter { $0.value != nil }
        let names = options.map { arguments[$0.option] }
        switch int(0..<12) {
        case 0, 1, 2:
            // A value typed oddly.
            guard let chosen = withValue.isEmpty ? nil : pick(withValue) else { break }
            let option = arguments[chosen.option]
            let value = pick(oddValues(for: option))
            arguments[chosen.value!] = value
            return Mutation(log: "\(option) \"\(value.prefix(20).debugDescription)\"", names: [option, printable(value)])
        case 3:
            // An option twice.
            guard let chosen = withValue.isEmpty ? nil : pick(withValue) else { break }
            let option = arguments[chosen.option]
            let value = random.next() % 2 == 0 ? arguments[chosen.value!] : pick(oddValues(for: option))
            arguments.insert(contentsOf: [option, value], at: int(words..<(arguments.count + 1)))
            return Mutation(log: "\(option) twice", names: [option])
        case 4:
            // An option without its value: at the end, or before the next option.
            guard let chosen = withValue.isEmpty ? nil : pick(withValue) else { break }
            let option = arguments[chosen.option]
            arguments.remove(at: chosen.value!)
            if random.next() % 2 == 0 {
                arguments.remove(at: chosen.option)
                arguments.append(option)
            }
            return Mutation(log: "\(option) without its value", names: [option])
        case 5:
            // A value that looks like an option: another option of the command, or a flag.
            guard let chosen = withValue.isEmpty ? nil : pick(withValue) else { break }
            let option = arguments[chosen.option]
            let value = pick(names + ["--dry-run", "--json", "--help", "--late", "--force", "-5", "-"])
            arguments[chosen.value!] = value
            return Mutation(log: "\(option) \(value)", names: [option, value])
        case 6:
            // --json anywhere.
            arguments.insert("--json", at: int(0..<(arguments.count + 1)))
            return Mutation(log: "--json inserted", names: [])
        case 7:
            // An unknown option near a real one, with a value.
            guard let chosen = options.isEmpty ? nil : pick(options) else { break }
            let option = arguments[chosen.option]
            let bare = String(option.dropFirst(2))
            let near = pick(["--quantity", "--\(bare)s", "-\(bare)", "—\(bare)", "－－\(bare)", "--\(bare.uppercased())", "--\(bare)_x",
                             "--\(String(bare.dropLast()))", "--\(bare.replacingOccurrences(of: "-", with: "_"))"])
            arguments[chosen.option] = near
            return Mutation(log: "\(option) typed \(near)", names: [near, printable(near), option])
        case 8:
            // An option left out.
            guard let chosen = options.isEmpty ? nil : pick(options) else { break }
            let option = arguments[chosen.option]
            arguments.removeSubrange(chosen.option...(chosen.value ?? chosen.option))
            return Mutation(log: "\(option) left out", names: [option])
        case 9:
            // --option=value, the value odd or not.
            guard let chosen = withValue.isEmpty ? nil : pick(withValue) else { break }
            let option = arguments[chosen.option]
            let value = random.next() % 2 == 0 ? arguments[chosen.value!] : pick(oddValues(for: option))
            arguments.replaceSubrange(chosen.option...chosen.value!, with: ["\(option)=\(value)"])
            return Mutation(log: "\(option)=\(value.prefix(20).debugDescription)", names: [option, printable(value)])
        case 10:
            // An extra argument.
            let extra = pick(["V1", "2027-01-04", "5", "yes", "--", "-", "S1", "米"])
            arguments.insert(extra, at: int(words..<(arguments.count + 1)))
            return Mutation(log: "extra \(extra)", names: [extra])
        default:
            // A long value, a NUL or a line break in a value that was fine.
            guard let chosen = withValue.isEmpty ? nil : pick(withValue) else { break }
            let option = arguments[chosen.option]
            let old = arguments[chosen.value!]
            let value = pick([old + "\u{0}", old + "\n", "\n" + old, old + String(repeating: "x", count: 5_000), old + "\t"])
            arguments[chosen.value!] = value
            return Mutation(log: "\(option) \"\(value.prefix(20).debugDescription)\"", names: [option, printable(value)])
        }
        arguments.insert("--json", at: arguments.count)
        return Mutation(log: "--json last", names: [])
    }

    // MARK: The properties

    /// The code of the one `error[CODE]` line of `errors`, or what is wrong with them.
    /// `balance` of several accounts prints a line for each unknown one (docs/cli.md).
    static func errorLine(_ errors: String, several: Bool = false) -> (code: String?, problem: String?) {
        let lines = errors.split(separator: "\n").filter { $0.hasPrefix("error[") }
        guard lines.count == 1 || (several && lines.count > 1) else { return (nil, "\(lines.count) error[...] lines: \(errors.prefix(300).debugDescription)") }
        guard let close = lines[0].firstIndex(of: "]") else { return (nil, "no code: \(lines[0].prefix(200))") }
        return (String(lines[0][lines[0].index(lines[0].startIndex, offsetBy: 6)..<close]), nil)
    }

    static func check(_ base: [UInt8], start: Start, arguments: [String], mutations: [Mutation]) throws -> (problems: [String], exit: Int32) {
        var problems: [String] = []
        let cli = try CLIHarness()
        try Data(base).write(to: URL(fileURLWithPath: cli.databasePath))
        let environment = (start.signer == .admin ? CLIHarness.asAdmin : CLIHarness.asOp1).merging(start.environment) { $1 }
        let before = try Snapshot(cli.databasePath)
        let first = cli.run(arguments, environment: environment)
        if ![0, 1, 2].contains(first.exit) { problems.append("exit \(first.exit): \(first.errors.prefix(300))") }
        let after = try Snapshot(cli.databasePath)
        guard first.exit == 0 else {
            if after != before { problems.append("refused (exit \(first.exit)) and \(after.changed(from: before)) changed: \(first.errors.prefix(300))") }
            let (code, problem) = errorLine(first.errors, several: arguments.first == "balance")
            if let problem { problems.append(problem) }
            // Exit 2 names what is at fault: the option or its value, as the mutations typed them. A message may name an option
            // as words (`--key` as "the key", `--unit-cost` as "unit cost", `--tags` as "tag", `--qty` as "quantity"), quote the
            // argument it could not place (`unexpected argument "500"` after `--amount` was typed twice), or show a value with
            // a control character escaped (`"\u{1B}[31m红"`), or say what is missing (`missing a household id` after `--address` took
            // the id as its value); a value that reads but breaks a rule of another option (`--qty +5`
            // with `--reason damaged`, `--from 0001-01-01` a range too long) is named by that rule (K002, Q003).
            let names = mutations.flatMap(\.names).filter { !$0.isEmpty }
            let words = names.filter { $0.hasPrefix("--") }.map { $0.dropFirst(2).replacingOccurrences(of: "-", with: " ") }
                .flatMap { [$0, $0.hasSuffix("s") ? String($0.dropLast()) : $0, $0 == "qty" ? "quantity" : $0] }
            let quoted = arguments.map { "\"\($0.prefix(20))" + ($0.isEmpty ? "\"" : "") } + ["\"\\u{", "missing "]
            if first.exit == 2, !["K002", "Q003"].contains(code ?? ""), !names.isEmpty, !(names + words + quoted).contains(where: { first.errors.contains($0) }) {
                problems.append("exit 2 naming none of \(names.map { String($0.prefix(20)) }): \(first.errors.prefix(300).debugDescription)")
            }
            // The same with --json: one JSON document holding the error and its code.
            let json = cli.run(["--json"] + arguments, environment: environment)
            if json.exit != first.exit { problems.append("exit \(first.exit), with --json \(json.exit)") }
            let document = (try? JSONSerialization.jsonObject(with: Data(json.output.utf8))) as? [String: Any]
            let error = document?["error"] as? [String: Any]
            // `balance` of several accounts shows the others, each unknown one with an error object of its own (docs/cli.md).
            let listed = arguments.first == "balance" && document == nil && json.output.contains("\"code\": \"\(code ?? "?")\"")
                && (try? JSONSerialization.jsonObject(with: Data(json.output.utf8))) is [Any]
            if !listed, error == nil || (code != nil && error?["code"] as? String != code) || error?["exit"] as? Int != Int(first.exit) {
                problems.append("--json printed no error object with code \(code ?? "?"): \(json.output.prefix(300).debugDescription)")
            }
            if try Snapshot(cli.databasePath) != before { problems.append("refused with --json and the store changed") }
            return (problems, first.exit)
        }
        // A write sent again changes nothing.
        let second = cli.run(arguments, environment: environment)
        if try Snapshot(cli.databasePath) != after {
            problems.append("the same command again changed \(try Snapshot(cli.databasePath).changed(from: after))")
        }
        if start.retryExitsZero && second.exit != 0 { problems.append("the same command again exited \(second.exit): \(second.errors.prefix(300))") }
        return (problems, 0)
    }

    /// Found by `mutatedCommandLines` (a `--date` of `0000-01-01`): the help for a date that is not one traps on a day of a
    /// year outside 1–9999 (the month's last day was force-unwrapped), and so did the range of December 9999 (`--from 9999-12`).
    @Test("a date option of year 0000 or the month 9999-12 is refused (U001) with what to write, never a trap")
    func datesAtTheEndsOfTheCalendar() throws {
        let cli = try CLIHarness()
        try Data(try Self.makeBase()).write(to: URL(fileURLWithPath: cli.databasePath))
        let entries = try cli.entryCount()
        let zero = cli.run(["reverse", "3", "--key", "fz-rev", "--reason", "录错", "--date", "0000-01-01"], environment: CLIHarness.asAdmin)
        #expect(zero.exit == 2)
        #expect(zero.errors == "error[U001]: --date \"0000-01-01\" is not a date; write YYYY-MM-DD, e.g. 2026-10-01\n", "\(zero.errors)")
        let last = cli.run(["report", "daily", "--from", "9999-12"], environment: CLIHarness.asAdmin)
        #expect(last.exit == 2)
        #expect(last.errors == "error[U001]: --from \"9999-12\" is not a date; a month is not a day: for December 9999 write "
            + "--from 9999-12-01 --to 9999-12-31\n", "\(last.errors)")
        let year = cli.run(["statement", "V1", "--to", "9999"], environment: CLIHarness.asAdmin)
        #expect(year.exit == 2 && year.errors.contains("for 9999 write --from 9999-01-01 --to 9999-12-31"), "\(year.errors)")
        // The last month a date can name has no next month to offer (it said "or 10000-01-01 (the first of the next month)").
        let past = cli.run(["report", "daily", "--to", "9999-12-32"], environment: CLIHarness.asAdmin)
        #expect(past.errors == "error[U001]: --to \"9999-12-32\" is not a date; 9999-12 has 31 days: write 9999-12-31 (its last day)\n",
                "\(past.errors)")
        #expect(try cli.entryCount() == entries)
    }

    /// Found by `mutatedCommandLines` (a value left out before the next option, `--note --dry-run`): the option after it was
    /// read as the value, so `stock count --note --dry-run` wrote the stocktake (its note "--dry-run") instead of a dry run, and
    /// `refund R1 --reason --late` refunded with the reason "--late".
    @Test("an option whose value is left out before another of the command's options is refused (U001), nothing written")
    func valueLeftOutBeforeAnOption() throws {
        let cli = try CLIHarness()
        try Data(try Self.makeBase()).write(to: URL(fileURLWithPath: cli.databasePath))
        let before = try Snapshot(cli.databasePath)
        let count = cli.run(["stock", "count", "--station", "S1", "--item", "biscuits", "--counted", "15", "--key", "c-1", "--note", "--dry-run"],
                            environment: CLIHarness.asOp1)
        #expect(count.exit == 2)
        #expect(count.errors == "error[U001]: --note needs a value, and --dry-run after it is an option of the command (see --help); "
            + "a value that is written like one is given as --note=--dry-run\n", "\(count.errors)")
        let refund = cli.run(["--json", "refund", "R1", "--reason", "--late", "--date", "2027-01-05"], environment: CLIHarness.asOp1)
        #expect(refund.exit == 2 && refund.errors.hasPrefix("error[U001]: --reason needs a value, and --late after it"), "\(refund.errors)")
        #expect(refund.output.contains("\"code\": \"U001\""), "\(refund.output)")
        // `--json` between them is the global option, taken out first: the option after it is still no value.
        let post = cli.run(["post", "--from", "system:issuance", "--to", "V2", "--points", "15", "--kind", "award", "--key", "p-1",
                            "--memo", "--json", "--date", "2027-01-03"], environment: CLIHarness.asAdmin)
        #expect(post.exit == 2 && post.errors.hasPrefix("error[U001]: --memo needs a value, and --date after it"), "\(post.errors)")
        #expect(try Snapshot(cli.databasePath) == before)
        // Written NAME=VALUE, such a value is taken as it is; a negative number stays a value.
        try cli.ok(["stock", "count", "--station", "S1", "--item", "biscuits", "--counted", "15", "--key", "c-2", "--note=--dry-run"], CLIHarness.asOp1)
        try cli.ok(["stock", "adjust", "--station", "S1", "--item", "biscuits", "--qty", "-1", "--reason", "damaged", "--key", "a-1"], CLIHarness.asOp1)
    }

    /// The same with the next option mistyped (`--note --dryrun`): a word written as an option is not taken as the value either,
    /// so the mistyped dry run does not write the stocktake with the note "--dryrun".
    @Test("a value left out before a mistyped option (--note --dryrun) is refused (U001) with the option meant, nothing written")
    func valueLeftOutBeforeAMistypedOption() throws {
        let cli = try CLIHarness()
        try Data(try Self.makeBase()).write(to: URL(fileURLWithPath: cli.databasePath))
        let before = try Snapshot(cli.databasePath)
        let count = cli.run(["stock", "count", "--station", "S1", "--item", "biscuits", "--counted", "15", "--key", "c-1", "--note", "--dryrun"],
                            environment: CLIHarness.asOp1)
        #expect(count.exit == 2)
        #expect(count.errors == "error[U001]: --note needs a value, and --dryrun after it is written as an option (did you mean --dry-run?), "
            + "not a value; a value that starts with -- is given as --note=--dryrun\n", "\(count.errors)")
        let reject = cli.run(["--json", "record", "reject", "r2", "--reason", "--whatever"], environment: CLIHarness.asAdmin)
        #expect(reject.exit == 2 && reject.errors.hasPrefix("error[U001]: --reason needs a value, and --whatever after it is written as an option, not a value"),
                "\(reject.errors)")
        #expect(reject.output.contains("\"code\": \"U001\""), "\(reject.output)")
        #expect(try Snapshot(cli.databasePath) == before)
        // Values that only start with dashes stay values: a negative number, "--" alone, a dash before a digit.
        try cli.ok(["stock", "adjust", "--station", "S1", "--item", "biscuits", "--qty", "-1", "--reason", "damaged", "--key", "a-1"], CLIHarness.asOp1)
        try cli.ok(["stock", "count", "--station", "S1", "--item", "biscuits", "--counted", "14", "--key", "c-2", "--note", "--"], CLIHarness.asOp1)
        try cli.ok(["stock", "count", "--station", "S1", "--item", "biscuits", "--counted", "14", "--key", "c-3", "--note", "--3 boxes open"],
                   CLIHarness.asOp1)
    }

    /// `volunteer add V1 --name 王芳`: the id typed as a word, without the option that takes it, is named with the option to write.
    @Test("an id typed without --id is refused (U001) with --id ID to write; two extra words get no guess")
    func idWithoutItsOption() throws {
        let cli = try CLIHarness()
        try Data(try Self.makeBase()).write(to: URL(fileURLWithPath: cli.databasePath))
        let before = try Snapshot(cli.databasePath)
        let add = cli.run(["volunteer", "add", "V9", "--name", "王芳"], environment: CLIHarness.asAdmin)
        #expect(add.exit == 2)
        #expect(add.errors == "error[U001]: unexpected argument \"V9\"; expected only options: write --id V9\n", "\(add.errors)")
        // Two words get no guess of which is the id: the options the command needs, from its usage.
        let two = cli.run(["volunteer", "add", "V9", "V10", "--name", "王芳"], environment: CLIHarness.asAdmin)
        #expect(two.errors == "error[U001]: unexpected argument \"V9\"; expected only options: write at least timebank volunteer add --id ID "
            + "--name NAME (see --help)\n", "\(two.errors)")
        let given = cli.run(["volunteer", "add", "--id", "V9", "V10", "--name", "王芳"], environment: CLIHarness.asAdmin)
        #expect(given.errors.hasPrefix("error[U001]: unexpected argument \"V10\"; expected only options: write at least timebank volunteer add"),
                "\(given.errors)")
        #expect(try Snapshot(cli.databasePath) == before)
    }

    /// `book --service-date`, `redeem --quantity 2`, `transfer --amount 5`: another word for an option, spelled nothing like it.
    @Test("an option typed as another word for it is refused (U001) naming the option the command takes")
    func optionSynonyms() throws {
        let cli = try CLIHarness()
        try Data(try Self.makeBase()).write(to: URL(fileURLWithPath: cli.databasePath))
        let before = try Snapshot(cli.databasePath)
        let cases: [([String], String)] = [
            (["book", "--station", "S1", "--volunteer", "V1", "--item", "home_cleaning", "--service-date", "2026-11-01", "--key", "k"], "--service-date; did you mean --for?"),
            (["redeem", "--station", "S1", "--volunteer", "V1", "--item", "biscuits", "--quantity", "2", "--key", "k"], "--quantity; did you mean --qty?"),
            (["transfer", "--from", "V1", "--to", "V2", "--amount", "5", "--key", "k"], "--amount; did you mean --points?"),
            (["fund", "donate", "--donor", "鲁味斋", "--points", "5"], "--points; did you mean --amount?"),
        ]
        for (arguments, expected) in cases {
            let result = cli.run(arguments, environment: CLIHarness.asOp1)
            #expect(result.exit == 2 && result.errors == "error[U001]: unknown option \(expected) (see --help)\n", "\(arguments): \(result.errors)")
        }
        // A word that means nothing the command takes gets no guess.
        #expect(cli.run(["redeem", "--station", "S1", "--volunteer", "V1", "--item", "biscuits", "--colour", "red", "--key", "k"],
                        environment: CLIHarness.asOp1).errors == "error[U001]: unknown option --colour (see --help)\n")
        #expect(try Snapshot(cli.databasePath) == before)
    }

    /// `report daily --date 2026-11-07`: the day asked for as `--date` of a command that takes a range. It was "unknown
    /// option --date (see --help)", with nothing to say that --from and --to give one day.
    @Test("--date given to a command that takes --from and --to is refused (U001) with the range of that day to write")
    func dateForARangeCommand() throws {
        let cli = try CLIHarness()
        try Data(try Self.makeBase()).write(to: URL(fileURLWithPath: cli.databasePath))
        let cases: [([String], String)] = [
            (["report", "daily", "--date", "2026-11-07"], "--date; this command takes a range of days: for 2026-11-07 alone write "
                + "--from 2026-11-07 --to 2026-11-07"),
            (["record", "list", "--date=2026/11/7"], "--date; this command takes a range of days: for 2026-11-07 alone write "
                + "--from 2026-11-07 --to 2026-11-07"),
            (["statement", "V1", "--on", "2026-11-07"], "--on; this command takes a range of days: for 2026-11-07 alone write "
                + "--from 2026-11-07 --to 2026-11-07"),
            (["fund", "report", "--date"], "--date; this command takes a range of days: for one day write --from DAY --to DAY"),
            // report expiring counts from a day of its own.
            (["report", "expiring", "--date", "2026-11-07"], "--date; did you mean --as-of?"),
        ]
        for (arguments, expected) in cases {
            let result = cli.run(arguments, environment: CLIHarness.asAdmin)
            #expect(result.exit == 2 && result.errors == "error[U001]: unknown option \(expected) (see --help)\n", "\(arguments): \(result.errors)")
        }
    }

    /// `redeem V0004 rice_5kg`, `settle 2026-11-07`: an operator at the counter types the words without their options.
    @Test("words typed for a command that takes only options are refused (U001) with the options it needs; a day with --date DAY")
    func wordsWithoutTheirOptions() throws {
        let cli = try CLIHarness()
        try Data(try Self.makeBase()).write(to: URL(fileURLWithPath: cli.databasePath))
        let before = try Snapshot(cli.databasePath)
        let redeem = cli.run(["redeem", "V1", "biscuits"], environment: CLIHarness.asOp1)
        #expect(redeem.exit == 2)
        #expect(redeem.errors == "error[U001]: unexpected argument \"V1\"; expected only options: write at least timebank redeem --station STATION "
            + "--volunteer VOLUNTEER --item ITEM --key KEY (see --help)\n", "\(redeem.errors)")
        let settle = cli.run(["settle", "2026/10/7"], environment: CLIHarness.asAdmin)
        #expect(settle.exit == 2)
        #expect(settle.errors == "error[U001]: unexpected argument \"2026/10/7\"; expected no arguments: write --date 2026-10-07\n", "\(settle.errors)")
        #expect(try Snapshot(cli.databasePath) == before)
        // The usage's optional parts, nested brackets too, are taken out; a usage of several forms gives no line.
        #expect(Arguments.requiredUsage("Usage: timebank x --a A [--b B [--c C]]\n                  --d D[:N] [--e]\n\nText") == "timebank x --a A --d D")
        #expect(Arguments.requiredUsage("Usage: timebank x --a A\n       timebank x --b B\n") == nil)
        #expect(Arguments.requiredUsage("Usage: timebank x [--a A]\n") == nil)
    }

    /// Found by `mutatedCommandLines` (`record reject r2 —reason 重复登记`): an option typed with an em dash or full-width hyphens
    /// (an editor's or input method's `--`) was read as an argument: a record id "—reason", then `missing --reason`.
    @Test("an option typed with other dashes (—reason, －－qty) is refused naming the option to write")
    func optionWithOtherDashes() throws {
        let cli = try CLIHarness()
        try Data(try Self.makeBase()).write(to: URL(fileURLWithPath: cli.databasePath))
        let reject = cli.run(["record", "reject", "r2", "—reason", "重复登记"], environment: CLIHarness.asAdmin)
        #expect(reject.exit == 2)
        #expect(reject.errors == "error[U001]: unknown option —reason: it starts with a dash that is not two hyphens (an editor or input "
            + "method may change -- into — or －－); write --reason\n", "\(reject.errors)")
        let redeem = cli.run(["redeem", "--station", "S1", "--volunteer", "V1", "--item", "biscuits", "－－qty", "2", "--key", "k-1"],
                             environment: CLIHarness.asOp1)
        #expect(redeem.exit == 2 && redeem.errors.hasSuffix("write --qty\n"), "\(redeem.errors)")
        // A record id that starts with a dash but names no option is still an id.
        let other = cli.run(["record", "reject", "—r2", "--reason", "重复登记"], environment: CLIHarness.asAdmin)
        #expect(other.errors.hasPrefix("error[E100]: no record \"—r2\""), "\(other.errors)")
        #expect(try cli.ok(["record", "show", "r2"]).contains("pending"))
    }

    /// Found by `mutatedCommandLines` (`reverse 3 --reason` of 5,000 characters): the reason too long was refused as
    /// "invalid memo", an option the command does not have.
    @Test("reverse: a reason too long is refused (L014) naming --reason")
    func reverseNamesItsReason() throws {
        let cli = try CLIHarness()
        try Data(try Self.makeBase()).write(to: URL(fileURLWithPath: cli.databasePath))
        let entries = try cli.entryCount()
        let refused = cli.run(["reverse", "3", "--key", "r-1", "--reason", String(repeating: "理", count: 600)], environment: CLIHarness.asAdmin)
        #expect(refused.exit == 2)
        #expect(refused.errors == "error[L014]: invalid --reason: it is longer than 500 characters (it has 600)\n", "\(refused.errors)")
        #expect(try cli.entryCount() == entries)
    }

    @Test("every command with odd arguments, fed seeded mutations: no trap, exit 0, 1 or 2, a refusal writes nothing and names what is at fault in one error line (--json: a JSON error with its code), a retry changes nothing")
    func mutatedCommandLines() throws {
        let base = try Self.makeBase()
        var random = SplitMix64(seed: 2027_01_05)
        var failures: [String] = []
        var outcomes: [String: [Int32: Int]] = [:]
        let count = 600
        for number in 0..<count {
            let start = Self.starts[number % Self.starts.count]
            var arguments = start.arguments
            var mutations: [Mutation] = []
            // The first round runs each command as it is; the others apply one to three mutations.
            if number >= Self.starts.count {
                for _ in 0..<Int.random(in: 1..<4, using: &random) { mutations.append(Self.mutate(&arguments, words: start.words, &random)) }
            }
            let (problems, exit) = try Self.check(base, start: start, arguments: arguments, mutations: mutations)
            let name = start.arguments.prefix(start.words).joined(separator: " ")
            if number < Self.starts.count && exit != 0 { failures.append("case \(number) (\(name)): the valid command did not go through") }
            outcomes[name, default: [:]][exit, default: 0] += 1
            failures += problems.map { "case \(number) (\(name); \(mutations.map(\.log).joined(separator: "; "))): \($0)" }
        }
        #expect(failures.isEmpty, "\(failures.count) problems:\n\(failures.prefix(40).joined(separator: "\n"))")
        // Every command is refused some of the time, or its mutations test nothing.
        for (name, exits) in outcomes.sorted(by: { $0.key < $1.key }) { // `entry show 2` and `balance V1 V2` have no option to mutate.
            #expect(exits.filter { $0.key != 0 }.values.reduce(0, +) >= (["entry show", "balance"].contains(name) ? 1 : 5), "\(name): \(exits)")
        }
    }
}
