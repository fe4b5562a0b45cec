import Foundation
import Testing
import TimeBankCore
@testable import TimeBankStorage

/// Record files as clerks type them, mutated at random (seeded, so every run is the same): bytes deleted, doubled and
/// inserted (`,` `"` line breaks, NUL, a byte order mark, bytes that are not UTF-8), fields replaced by huge, negative or
/// impossible values, header cells swapped or doubled, lines doubled, files cut short. Each mutated file is imported
/// into a fresh store (the library call `record import` makes), and read as `score` reads it. The properties:
/// - nothing traps;
/// - the import either stores rows, every other row rejected with errors that name it, or refuses the file whole
///   (`RecordFileError`) and leaves the store as it was (its records and the ledger head);
/// - the same bytes imported again store nothing new, whole or read in pieces of any size, with the same rows rejected;
/// - `score`'s reading (`RecordFile.read` over the stored records) refuses the file when the import does, and rejects no
///   row the import stores.
@Suite("Record file mutations")
struct RecordFileMutationTests {
    static let today = RecordStoreTests.today

    /// config/policy.toml with two indicators, a positive one and a deduction.
    static func policyText() throws -> String {
        try RecordStoreTests.policyText() + """

            [indicators.garbage_sorting]
            label = "垃圾分类达标"
            points = 3
            per = "month"

            [indicators.illegal_structure]
            label = "违章搭建"
            points = -20
            per = "month"

            """
    }

    /// Stored in every fresh store before the mutated file: r1 as the first seed has it (so it is "stored before"),
    /// b1 for overlaps and conflicts.
    static let baseline = """
        id,volunteer,category,date,start,end,verifier,rating,note
        r1,V1,orange,2026-10-03,09:00,10:30,张主任,5,探访独居老人
        b1,V2,red,2026-10-10,09:00,10:00,张主任,,

        """

    /// Valid files of each kind: service rows, assessments (with Chinese headings), both with a title row and CRLF,
    /// JSON Lines.
    static let seeds: [(name: String, text: String)] = [
        ("service.csv", """
            id,volunteer,category,date,start,end,minutes,verifier,response_level,rating,tags,station,note
            r1,V1,orange,2026-10-03,09:00,10:30,,张主任,,5,,,探访独居老人
            r2,V2,green,2026-10-03,14:00,16:00,,张主任,II,,"垃圾分类;督导",S1,
            r3,V1,red,2026-10-04,,,0,张主任,,,no_show,,"报名后缺席
            未请假"
            r4,V2,purple,2026-10-05,08:00,,60,社区,,3,,S1,"说 ""好"", 谢谢"

            """),
        ("assessments.csv", """
            编号,户号,志愿者,指标,周期,结果,核实人,备注
            a1,H1,,garbage_sorting,2026-10,达标,村委会,
            a2,,V1,垃圾分类达标,2026-11,met,村委会,
            a3,H1,,illegal_structure,2026-10,未达标,村委会,"无"

            """),
        ("mixed.csv", "太白湖社区十月服务记录,,,,,,,,,\r\n"
            + "id,volunteer,household,category,indicator,date,period,minutes,result,verifier\r\n"
            + "m1,V1,,blue,,2026/10/6,,６０,,张主任\r\n"
            + "m2,,H1,,garbage_sorting,,2026-12,,met,村委会\r\n"
            + "m3,V2,,橙色关怀,,2026年10月7日,,90,,张主任\r\n"),
        ("records.jsonl", """
            {"id": "j1", "volunteer": "V1", "category": "orange", "date": "2026-10-07", "start": "09:00", "end": "10:30", "verifier": "张主任"}
            {"id": "j2", "household": "H1", "indicator": "garbage_sorting", "period": "2026-11", "result": "met", "verifier": "村委会"}
            {"ID": 100, "volunteer": "V2", "category": "green", "date": "2026-10-08", "minutes": 6e1, "tags": ["a", "b"], "verifier": "张主任", "rating": null}

            """),
    ]

    /// Values a field is replaced by.
    static let oddValues = [
        "", " ", "-1", "-0", "0", "9999999999999999999", "99999999999999999999999999999999999999999", "1e400", "1e-400",
        "1e9223372036854775807", "1e99999999999999999999", "60.0000000000000000000001", "-9223372036854775808",
        "2026-02-30", "2026-13-01", "0000-00-00", "9999-12-31", "-2026-10-03", "2026-10-03T25:00", "46331", "999999999999",
        "25:00", "24:00", "23:60", "-1:00", "9:5", "99999999:00", "１２：３０", "٠٩:٠٠", "2026-Q9", "2026-Q0", "99999-10",
        "2026年第五季度", "Ⅳ", "0x10", "NaN", "inf", "null", "[]", "{}", "\"\"", "\"", "a\"b", "\u{0}", "\u{FEFF}",
        String(repeating: "9", count: 400), String(repeating: "长", count: 600), "V1,V2", "r1", "V1", "H1", "S1", "核实人",
        "id", "category", "indicator", "😀", "\u{202E}evil", "e\u{301}", "tab\there",
    ]

    static let headerNames = ["id", "volunteer", "household", "category", "indicator", "date", "start", "end", "minutes",
                              "period", "result", "verifier", "rating", "tags", "station", "note", "source", "response_level",
                              "日期", "编号", "ID", " Id ", "volunter", "", "rejected_because", "开始时"]

    // MARK: Mutations

    enum Mutation: CaseIterable {
        case deleteByte, duplicateByte, insertPunctuation, insertByteOrderMark, insertBadByte, replaceField, replaceJSONValue,
             swapHeaderCells, replaceHeaderCell, duplicateLine, deleteLine, truncate, toCRLF, toCR, longRow, duplicateRange
    }

    static func mutate(_ bytes: inout [UInt8], _ mutation: Mutation, _ random: inout SplitMix64) {
        func position(_ inclusiveEnd: Bool = true) -> Int { Int.random(in: 0...(inclusiveEnd ? bytes.count : max(0, bytes.count - 1)), using: &random) }
        func lineRanges() -> [Range<Int>] {
            var ranges: [Range<Int>] = [], start = 0
            for (index, byte) in bytes.enumerated() where byte == 0x0A {
                ranges.append(start..<(index + 1))
                start = index + 1
            }
            if start < bytes.count { ranges.append(start..<bytes.count) }
            return ranges
        }
        switch mutation {
        case .deleteByte:
            if !bytes.isEmpty { bytes.remove(at: position(false)) }
        case .duplicateByte:
            if !bytes.isEmpty { let at = position(false); bytes.insert(bytes[at], at: at) }
        case .insertPunctuation:
            let choices: [[UInt8]] = [[0x2C], [0x22], [0x0A], [0x0D], [0x00], [0x0D, 0x0A], [0x22, 0x22], [0x3B], [0x09], [0x7B], [0x7D]]
            bytes.insert(contentsOf: choices.randomElement(using: &random)!, at: position())
        case .insertByteOrderMark:
            bytes.insert(contentsOf: [0xEF, 0xBB, 0xBF], at: Bool.random(using: &random) ? 0 : position())
        case .insertBadByte:
            let choices: [[UInt8]] = [[0xFF], [0xC3], [0x80], [0xE4, 0xB8], [0xED, 0xA0, 0x80], [0xC0, 0xAF], [0xF4, 0x90, 0x80, 0x80], [0xFE, 0xFF]]
            bytes.insert(contentsOf: choices.randomElement(using: &random)!, at: position())
        case .replaceField:
            // A cell between commas (or a line's ends) of a random line.
            let lines = lineRanges()
            guard let line = lines.randomElement(using: &random) else { return }
            var cells: [Range<Int>] = [], start = line.lowerBound
            for index in line where bytes[index] == 0x2C || bytes[index] == 0x0A || bytes[index] == 0x0D {
                cells.append(start..<index)
                start = index + 1
            }
            if start < line.upperBound { cells.append(start..<line.upperBound) }
            guard let cell = cells.randomElement(using: &random) else { return }
            bytes.replaceSubrange(cell, with: Array(oddValues.randomElement(using: &random)!.utf8))
        case .replaceJSONValue:
            // The value after a `": ` up to the next `,` or `}`.
            let starts = bytes.indices.filter { $0 + 2 < bytes.count && bytes[$0] == 0x22 && bytes[$0 + 1] == 0x3A && bytes[$0 + 2] == 0x20 }
            guard let key = starts.randomElement(using: &random) else { return mutate(&bytes, .replaceField, &random) }
            let start = key + 3
            var end = start
            while end < bytes.count, bytes[end] != 0x2C, bytes[end] != 0x7D, bytes[end] != 0x0A { end += 1 }
            let value = oddValues.randomElement(using: &random)!
            let quoted = Bool.random(using: &random) ? JSONText.quote(value) : value
            bytes.replaceSubrange(start..<end, with: Array(quoted.utf8))
        case .swapHeaderCells, .replaceHeaderCell:
            guard let headerLine = lineRanges().first(where: { bytes[$0].contains(0x2C) }) else { return }
            var cells = String(decoding: bytes[headerLine], as: UTF8.self)
                .trimmingCharacters(in: .newlines).split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard cells.count > 1 else { return }
            let a = Int.random(in: 0..<cells.count, using: &random), b = Int.random(in: 0..<cells.count, using: &random)
            if mutation == .swapHeaderCells {
                cells.swapAt(a, b)
            } else if Bool.random(using: &random) {
                cells[a] = cells[b]                                         // a header typed twice
            } else {
                cells[a] = headerNames.randomElement(using: &random)!
            }
            let ending: [UInt8] = bytes[headerLine].last == 0x0A ? (bytes[headerLine].dropLast().last == 0x0D ? [0x0D, 0x0A] : [0x0A]) : []
            bytes.replaceSubrange(headerLine, with: Array(cells.joined(separator: ",").utf8) + ending)
        case .duplicateLine:
            if let line = lineRanges().randomElement(using: &random) { bytes.insert(contentsOf: Array(bytes[line]), at: line.lowerBound) }
        case .deleteLine:
            if let line = lineRanges().randomElement(using: &random) { bytes.removeSubrange(line) }
        case .truncate:
            bytes.removeSubrange(position()...)
        case .toCRLF:
            bytes = Array(String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\n", with: "\r\n").utf8)
        case .toCR:
            bytes = bytes.map { $0 == 0x0A ? 0x0D : $0 }
        case .longRow:
            let fill: [UInt8] = Bool.random(using: &random) ? [0x2C] : [0x22, 0x2C]
            let row = Array(repeating: fill, count: Int.random(in: 100...10_000, using: &random)).flatMap { $0 }
            bytes.insert(contentsOf: row + [0x0A], at: lineRanges().randomElement(using: &random)?.lowerBound ?? 0)
        case .duplicateRange:
            guard !bytes.isEmpty else { return }
            let start = position(false), end = min(bytes.count, start + Int.random(in: 1...40, using: &random))
            bytes.insert(contentsOf: Array(bytes[start..<end]), at: position())
        }
    }

    // MARK: The properties

    /// What a store holds that an import may change: its records (reference, status, import row) and the ledger head.
    static func snapshot(_ store: TimeBankStore) throws -> (records: [String], head: Int64, hash: [UInt8]) {
        let head = try store.head()
        return (try store.records().map { "\($0.record.reference) \($0.status) \($0.importRow)" }, head.count, head.hash)
    }

    /// The number of lines of `bytes` (LF, CRLF and CR each end one), at least 1.
    static func lineCount(_ bytes: [UInt8]) -> Int {
        var count = 1, index = 0
        while index < bytes.count {
            if bytes[index] == 0x0D {
                count += 1
                if index + 1 < bytes.count, bytes[index + 1] == 0x0A { index += 1 }
            } else if bytes[index] == 0x0A {
                count += 1
            }
            index += 1
        }
        return count
    }

    /// Every rejected row has errors, each naming that row, with a place in the file; each renders with its line.
    static func checkRejected(_ rows: [RejectedRow], text: String, lines: Int, label: String) {
        for row in rows {
            #expect(!row.errors.isEmpty, "\(label): row \(row.row) rejected with no error")
            #expect((1...lines).contains(row.row), "\(label): row \(row.row) is not a row of a file of \(lines) lines")
            for error in row.errors {
                #expect(error.row == row.row, "\(label): an error of row \(row.row) names row \(error.row): \(error)")
                #expect((1...lines).contains(error.range.start.line), "\(label): \(error) points at line \(error.range.start.line) of \(lines)")
                #expect(error.reason.hasPrefix("row \(row.row)"), "\(label): \(error.reason)")
                _ = DiagnosticRenderer(path: "f", source: text).render(error.diagnostic)
                _ = RecordRejectsFile.reasons(row)
            }
        }
    }

    /// A store with V1 and V2 (household H1), station S1, the policy and the baseline records, copied for each file
    /// (preparing it anew for each of hundreds of files would take most of the test's time).
    final class Template {
        let test: TestStore
        let path: String

        init() throws {
            test = try TestStore()
            try test.store.activatePolicy(RecordFileMutationTests.policyText(), actor: "admin")
            _ = try test.store.importRecords(Array(baseline.utf8), fileName: "baseline.csv", actor: "importer", today: today)
            path = test.folder + "/template.sqlite"
            try test.store.database.backup(to: path)
        }

        /// A fresh copy of the template, in a folder of its own, removed when it goes away.
        func fresh() throws -> Fresh { try Fresh(template: path) }
    }

    final class Fresh {
        let folder: String
        let store: TimeBankStore

        init(template: String) throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("timebank-test-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: template, toPath: folder + "/test.sqlite")
            store = try TimeBankStore(path: folder + "/test.sqlite",
                                      clock: FixedClock(Timestamp(millisecondsSinceEpoch: 1_790_000_000_000), stepMilliseconds: 1000))
        }

        deinit { try? FileManager.default.removeItem(atPath: folder) }
    }

    /// Runs every property over one file; returns what happened, for the tally.
    @discardableResult
    static func check(_ bytes: [UInt8], name: String, label: String, chunk: Int, template: Template,
                      rowCodes: inout Set<String>) throws -> String {
        let test = try template.fresh()
        let before = try snapshot(test.store)
        #expect(before.records.count == 2)
        let lines = lineCount(bytes)

        // `score`'s reading, over the stored records as `score --db` reads them.
        var context = RecordValidator.Context(policies: try test.store.storedPolicyTimeline(),
                                              community: try test.store.communityDirectory(), today: today)
        let scored: Result<RecordFileContents, RecordFileError> = try test.store.withStoredRecordLookup { lookup in
            context.stored = lookup
            do throws(RecordFileError) {
                return .success(try RecordFile.read(bytes, fileName: name, context: context))
            } catch {
                return .failure(error)
            }
        }

        let first: RecordImportOutcome
        do {
            first = try test.store.importRecords(bytes, fileName: name, actor: "importer", today: today)
        } catch let error as RecordFileError {
            // Refused whole: the store as it was, the error says which part of the file, and `score` refuses it too.
            let after = try snapshot(test.store)
            #expect(after.records == before.records && after.head == before.head && after.hash == before.hash,
                    "\(label): a refused import changed the store")
            #expect(error.code.hasPrefix("I1") || error.code == "E040", "\(label): refused with \(error.code)")
            let text = String(decoding: bytes, as: UTF8.self)
            for diagnostic in error.diagnostics {
                #expect((1...lines).contains(diagnostic.range.start.line), "\(label): \(error.code) points at line \(diagnostic.range.start.line)")
                _ = DiagnosticRenderer(path: name, source: text).render(diagnostic)
            }
            if case .success = scored { Issue.record("\(label): the import refused the file (\(error.code)), score read it") }
            if case .failure(let scoreError) = scored { #expect(scoreError.code == error.code, "\(label): score refused with \(scoreError.code)") }
            // Read in pieces, as `record import` reads it: the same refusal, nothing stored.
            let path = test.folder + "/" + name
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            do {
                let summary = try test.store.importRecords(atPath: path, fileName: name, actor: "importer", today: today, chunkByteCount: chunk)
                Issue.record("\(label): read in pieces of \(chunk), the file refused whole (\(error.code)) stored \(summary.storedCount)")
            } catch let streamed as RecordFileError {
                #expect(streamed.code == error.code, "\(label): pieces of \(chunk) refused with \(streamed.code), whole with \(error.code)")
            }
            let streamedAfter = try snapshot(test.store)
            #expect(streamedAfter.records == before.records && streamedAfter.head == before.head, "\(label): a refused import changed the store")
            return "refused \(error.code)"
        }

        // Every row is accounted for once; every stored record is in the store; every other row is named.
        #expect(first.rowsRead == first.stored.count + first.alreadyStored.count + first.duplicatesInFile.count + first.rejected.count,
                "\(label): rows do not add up")
        let after = try snapshot(test.store)
        #expect(after.records.count == before.records.count + first.stored.count, "\(label): \(first.stored.count) stored, the store grew by \(after.records.count - before.records.count)")
        #expect(after.head == before.head && after.hash == before.hash, "\(label): an import wrote to the ledger")
        checkRejected(first.rejected, text: first.text, lines: lines, label: label)
        rowCodes.formUnion(first.rejected.flatMap { $0.errors.map(\.id) })
        for accepted in first.stored + first.alreadyStored { #expect((1...lines).contains(accepted.row), "\(label): stored row \(accepted.row)") }

        // `score` reads the same file: it refuses nothing the import took, and rejects no row the import stored.
        switch scored {
        case .failure(let error): Issue.record("\(label): score refused the file (\(error.code)), the import read it")
        case .success(let contents):
            #expect(contents.rowsRead == first.rowsRead, "\(label): score read \(contents.rowsRead) rows, the import \(first.rowsRead)")
            let storedRows = Set((first.stored + first.alreadyStored).map(\.row))
            let scoreRejected = Set(contents.rejected.map(\.row))
            #expect(storedRows.isDisjoint(with: scoreRejected), "\(label): score rejects rows \(storedRows.intersection(scoreRejected).sorted()) the import stored")
            checkRejected(contents.rejected, text: contents.source, lines: lines, label: label + " (score)")
        }

        // Again, whole: nothing new stored.
        let again = try test.store.importRecords(bytes, fileName: name, actor: "importer", today: today)
        #expect(again.stored.isEmpty, "\(label): imported again, \(again.stored.count) more stored (rows \(again.stored.map(\.row)))")
        #expect(again.rowsRead == first.rowsRead)
        #expect(try snapshot(test.store).records == after.records, "\(label): imported again, the store changed")

        // Again, in pieces of `chunk` bytes as `record import` reads a file: the same as whole.
        let path = test.folder + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        var rejectsLines = 0
        let streamed = try test.store.importRecords(atPath: path, fileName: name, actor: "importer", today: today, chunkByteCount: chunk,
                                                    onRejected: { row, text in
                                                        _ = RecordRejectsFile.line(text, row: row, format: first.format)
                                                        rejectsLines += 1
                                                    })
        #expect(streamed.storedCount == 0, "\(label): imported again in pieces of \(chunk), \(streamed.storedCount) more stored")
        #expect(streamed.rowsRead == again.rowsRead && streamed.alreadyStoredCount == again.alreadyStored.count
                && streamed.duplicatesInFileCount == again.duplicatesInFile.count && streamed.rejectedCount == again.rejected.count,
                "\(label): in pieces of \(chunk) read \(streamed.rowsRead) rows, \(streamed.alreadyStoredCount) stored before, \(streamed.duplicatesInFileCount) repeated, \(streamed.rejectedCount) rejected; whole \(again.rowsRead), \(again.alreadyStored.count), \(again.duplicatesInFile.count), \(again.rejected.count)")
        #expect(streamed.rejected.map(\.errors) == again.rejected.map(\.errors), "\(label): in pieces of \(chunk), other errors")
        #expect(rejectsLines == streamed.rejectedCount)
        for row in streamed.rejected {
            for error in row.errors { _ = DiagnosticRenderer(path: name, source: streamed.rejectedText).render(error.diagnostic) }
        }
        #expect(try snapshot(test.store).records == after.records, "\(label): imported again in pieces, the store changed")
        return first.stored.isEmpty ? "stored none" : "stored some"
    }

    @Test("300 mutated record files (4 seeds, 1–4 mutations each): no trap, nothing half-stored, every error names its row, a second import adds nothing")
    func mutatedFiles() throws {
        let template = try Template()
        var random = SplitMix64(seed: 2026_11_24)
        var tally: [String: Int] = [:]
        var rowCodes: Set<String> = []
        for seed in Self.seeds {
            // The seed itself imports whole, every row stored or known.
            let outcome = try Self.check(Array(seed.text.utf8), name: seed.name, label: "seed \(seed.name)", chunk: 7, template: template, rowCodes: &rowCodes)
            #expect(outcome == "stored some", "seed \(seed.name): \(outcome)")
        }
        for index in 0..<300 {
            let seed = Self.seeds[index % Self.seeds.count]
            var bytes = Array(seed.text.utf8)
            var applied: [Mutation] = []
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let mutation = Mutation.allCases.randomElement(using: &random)!
                applied.append(mutation)
                Self.mutate(&bytes, mutation, &random)
            }
            let chunk = [1, 2, 3, 5, 16, 64, 1 << 20].randomElement(using: &random)!
            let label = "case \(index) (\(seed.name): \(applied.map { "\($0)" }.joined(separator: ", "))): \(String(decoding: bytes.prefix(300), as: UTF8.self).debugDescription)"
            tally[try Self.check(bytes, name: seed.name, label: label, chunk: chunk, template: template, rowCodes: &rowCodes), default: 0] += 1
        }
        // The mutations reach both outcomes: files refused whole and files with rows stored.
        #expect(tally.keys.contains { $0.hasPrefix("refused") } && tally["stored some", default: 0] > 50, "\(tally)")
        // ... and rows rejected in many ways.
        #expect(rowCodes.count >= 10, "\(rowCodes.sorted())")
        print("record file mutations: \(tally.sorted { $0.key < $1.key }); rows rejected with \(rowCodes.sorted())")
    }

    @Test("odd whole files: empty, a byte order mark, only a header, a header twice, 10,000 commas, NUL bytes, 40 digits of minutes")
    func oddFiles() throws {
        let template = try Template()
        var rowCodes: Set<String> = []
        let header = "id,volunteer,category,date,start,end,minutes,verifier\n"
        let files: [(String, String)] = [
            ("empty.csv", ""), ("bom.csv", "\u{FEFF}"), ("newlines.csv", "\n\n\r\n"), ("header.csv", header),
            ("header-bom.csv", "\u{FEFF}" + header), ("header-twice.csv", header + header),
            ("commas.csv", header + String(repeating: ",", count: 10_000) + "\n"),
            ("commas-header.csv", String(repeating: ",", count: 10_000) + "\n" + header),
            ("nul.csv", header + "n1,V1,orange,2026-10-03,09:00,10:00,,张\u{0}主任\n\u{0}\u{0}\n"),
            ("digits.csv", header + "d1,V1,orange,2026-10-03,,," + String(repeating: "9", count: 40) + ",张主任\n"),
            ("negative.csv", header + "d2,V1,orange,2026-10-03,,,-1,张主任\nd3,V1,orange,2026-10-04,,,-9223372036854775809,张主任\n"),
            ("times.csv", header + "t1,V1,orange,2026-02-30,25:00,26:00,,张主任\nt2,V1,orange,2026-10-03,24:00,24:00,,张主任\n"),
            ("quote.csv", header + "q1,V1,orange,2026-10-03,09:00,10:00,,\"张主任\n"),
            ("empty.jsonl", "\n"), ("exponent.jsonl", "{\"id\": \"e1\", \"volunteer\": \"V1\", \"category\": \"orange\", \"date\": \"2026-10-03\", \"minutes\": 1e99999999999999999999, \"verifier\": \"张\"}\n"),
            ("tiny.jsonl", "{\"id\": \"e2\", \"volunteer\": \"V1\", \"category\": \"orange\", \"date\": \"2026-10-03\", \"minutes\": 6000000000000e-11, \"verifier\": \"张\"}\n"),
        ]
        for (name, text) in files {
            for chunk in [1, 1 << 20] { try Self.check(Array(text.utf8), name: name, label: name, chunk: chunk, template: template, rowCodes: &rowCodes) }
        }
    }
}
