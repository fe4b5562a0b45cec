import Foundation
import Testing
import TimeBankCore
@testable import TimeBankStorage

/// Importing from a path in pieces (`importRecords(atPath:)`): the same records and counts as importing the
/// bytes whole, only the first rejected rows kept, and a file refused whole stores nothing even when the bad
/// byte comes after many good rows.
@Suite("Streaming record import")
struct RecordStreamImportTests {
    static func write(_ bytes: [UInt8], _ test: TestStore, name: String) throws -> String {
        let path = test.folder + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func summary(_ test: TestStore, _ path: String, kept: Int = 1_000, chunk: Int) throws -> RecordImportSummary {
        try test.store.importRecords(atPath: path, fileName: "records.csv", actor: "importer", today: RecordStoreTests.today,
                                     rejectedRowsKept: kept, chunkByteCount: chunk)
    }

    @Test("pieces of 1, 100 and 1 MiB bytes store what the in-memory import stores, and report the same rows")
    func sameAsWhole() throws {
        let (text, bad) = RecordStoreTests.thousandRows()
        let whole = try RecordStoreTests.store()
        let outcome = try RecordStoreTests.importCSV(whole.store, text)
        let expected = try whole.store.records().map { "\($0.record.reference) \($0.importRow) \($0.record)" }
        for chunk in [1, 100, 1 << 20] {
            let test = try RecordStoreTests.store()
            let path = try Self.write(Array(text.utf8), test, name: "records.csv")
            let summary = try Self.summary(test, path, chunk: chunk)
            #expect(summary.rowsRead == 1000 && summary.storedCount == 983 && summary.rejectedCount == 17)
            #expect(summary.rejected.map(\.row) == bad.map { $0 + 2 })
            #expect(summary.rejected.map(\.errors) == outcome.rejected.map(\.errors))
            #expect(try test.store.records().map { "\($0.record.reference) \($0.importRow) \($0.record)" } == expected)
            // Again: nothing added, every good row known.
            let again = try Self.summary(test, path, chunk: chunk)
            #expect(again.storedCount == 0 && again.alreadyStoredCount == 983 && again.rejectedCount == 17)
            #expect(again.storedCount + again.duplicateCount + again.rejectedCount == again.rowsRead)
        }
    }

    @Test("only the first rejected rows are kept, with their lines for the renderer; the count is of all of them")
    func keptRejections() throws {
        let (text, bad) = RecordStoreTests.thousandRows()
        let test = try RecordStoreTests.store()
        let summary = try Self.summary(test, try Self.write(Array(text.utf8), test, name: "records.csv"), kept: 3, chunk: 4096)
        #expect(summary.rejectedCount == 17 && summary.rejected.map(\.row) == bad.prefix(3).map { $0 + 2 })
        // Row 13 (r11, unknown volunteer V9) is on line 15: the notes of r0 and r7 hold a line break.
        let lines = summary.rejectedText.split(separator: "\n", omittingEmptySubsequences: false)
        let first = summary.rejected[0].errors[0]
        #expect(lines[first.range.start.line - 1].hasPrefix("r11,V9,orange,"))
        let rendered = DiagnosticRenderer(path: "records.csv", source: summary.rejectedText).render(first.diagnostic)
        #expect(rendered.contains("r11,V9,orange,") && rendered.contains("^^"))
    }

    @Test("two rejected rows one after the other each keep their own line for the renderer")
    func adjacentRejections() throws {
        let text = """
            id,volunteer,category,date,start,end,verifier,rating,note
            r1,V1,orange,2026-10-01,08:00,09:00,社区,,
            r2,V9,orange,2026-10-01,08:00,09:00,社区,,
            r3,V1,orang,2026-10-01,10:00,11:00,社区,,
            r4,V1,orange,2026-10-01,12:00,13:00,社区,,

            """
        let test = try RecordStoreTests.store()
        let summary = try Self.summary(test, try Self.write(Array(text.utf8), test, name: "records.csv"), chunk: 4096)
        #expect(summary.rejected.map(\.row) == [3, 4])
        let lines = summary.rejectedText.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 4 && lines[2].hasPrefix("r2,V9,") && lines[3].hasPrefix("r3,V1,orang,"))
        for row in summary.rejected {
            let rendered = DiagnosticRenderer(path: "records.csv", source: summary.rejectedText).render(row.errors[0].diagnostic)
            #expect(rendered.contains("\(row.row) | r\(row.row - 1),"), "\(rendered)")
        }
    }

    @Test("a GB18030 byte after 2 MiB of good rows refuses the file whole: nothing stored, the same I100 error")
    func lateBadByte() throws {
        var text = "id,volunteer,category,date,start,end,verifier,note\n"
        var index = 0
        while text.utf8.count < 2 << 20 {
            text += "g\(index),V\(index % 2 + 1),orange,2026-10-\(String(format: "%02d", index / 40 % 28 + 1)),"
                + String(format: "%02d:00,%02d:30", 4 + index % 20 / 2 * 2, 4 + index % 20 / 2 * 2) + ",社区,\(String(repeating: "x", count: 20))\n"
            index += 1
        }
        let bytes = Array(text.utf8) + Array("late,V1,orange,2026-10-30,09:00,10:00,社区,".utf8) + [0xCC, 0xBD, 0xB7, 0xC3, 0x0A]
        let test = try RecordStoreTests.store()
        let path = try Self.write(bytes, test, name: "gbk.csv")
        let expected = RecordFile.encodingError(prefix: bytes, fileName: path)
        #expect(throws: expected) {
            try test.store.importRecords(atPath: path, actor: "importer", today: RecordStoreTests.today, chunkByteCount: 1 << 16)
        }
        #expect(throws: expected) { try test.store.importRecords(bytes, fileName: path, actor: "importer", today: RecordStoreTests.today) }
        #expect(try RecordStoreTests.count(test.store) == 0)
    }

    @Test("a bad header refuses the file; a missing file is U001; JSON Lines are read too")
    func refusalsAndJSONLines() throws {
        let test = try RecordStoreTests.store()
        let header = try Self.write(Array("id,volunter,category,date,minutes\nh1,V1,red,2026-10-03,60\n".utf8), test, name: "h.csv")
        #expect(throws: RecordFileError.self) {
            try test.store.importRecords(atPath: header, actor: "importer", today: RecordStoreTests.today)
        }
        #expect(throws: RecordFileReadError.self) {
            try test.store.importRecords(atPath: test.folder + "/missing.csv", actor: "importer", today: RecordStoreTests.today)
        }
        let lines = try Self.write(Array("""
            {"id": "j1", "volunteer": "V1", "category": "orange", "date": "2026-10-03", "minutes": 60, "verifier": "社区"}
            {"id": "j2", "volunteer": "V9", "category": "orange", "date": "2026-10-03", "minutes": 60}
            """.utf8), test, name: "app.jsonl")
        let summary = try test.store.importRecords(atPath: lines, actor: "importer", today: RecordStoreTests.today, chunkByteCount: 10)
        #expect(summary.format == .jsonLines && summary.storedCount == 1 && summary.rejectedCount == 1)
        #expect(summary.rejectedText.split(separator: "\n", omittingEmptySubsequences: false)[1].contains("\"V9\""))
        #expect(try RecordStoreTests.count(test.store) == 1)
    }
}

extension RecordStreamImportTests {
    /// `RecordStoreTests.store()` on a clock in December, with V3, who joined on 2026-10-05.
    static func storeWithNewcomer() throws -> TestStore {
        let test = try TestStore(clock: FixedClock(Timestamp("2026-12-01T02:00:00.000Z")!, stepMilliseconds: 1000))
        try test.store.activatePolicy(RecordStoreTests.policyText(), actor: "admin")
        try test.store.addVolunteer(Volunteer(id: "V3", name: "新志愿者", household: "H1", birthDate: nil, teams: ["red"], tags: [],
                                              joined: date("2026-10-05")))
        return test
    }

    @Test("records dated before their volunteer joined are stored, counted and named, in memory and in pieces; a retry names none")
    func datedBeforeJoining() throws {
        let test = try Self.storeWithNewcomer()
        let text = """
            id,volunteer,category,date,start,end,verifier
            j1,V3,orange,2026-10-04,08:00,09:00,社区
            j2,V3,orange,2026-10-05,08:00,09:00,社区
            j3,V1,orange,2026-10-04,08:00,09:00,社区
            j4,V3,orange,2026-10-01,10:00,11:00,社区

            """
        let path = try Self.write(Array(text.utf8), test, name: "early.csv")
        let summary = try test.store.importRecords(atPath: path, actor: "importer", today: RecordStoreTests.today, chunkByteCount: 7)
        #expect(summary.storedCount == 4 && summary.datedBeforeJoiningCount == 2)
        #expect(summary.datedBeforeJoining == [
            RecordBeforeJoining(row: 2, id: "j1", volunteer: "V3", date: date("2026-10-04"), joined: date("2026-10-05")),
            RecordBeforeJoining(row: 5, id: "j4", volunteer: "V3", date: date("2026-10-01"), joined: date("2026-10-05")),
        ])
        let again = try test.store.importRecords(atPath: path, actor: "importer", today: RecordStoreTests.today)
        #expect(again.alreadyStoredCount == 4 && again.datedBeforeJoiningCount == 0 && again.datedBeforeJoining.isEmpty)

        let whole = try Self.storeWithNewcomer()
        #expect(try RecordStoreTests.importCSV(whole.store, text).datedBeforeJoining.map(\.id) == ["j1", "j4"])
    }

    /// `text` imported into a new store from a file, checked by validators of `batch` rows each.
    static func importInBatches(_ text: String, batch: Int) throws -> (test: TestStore, summary: RecordImportSummary) {
        let test = try RecordStoreTests.store()
        let summary = try test.store.importRecords(atPath: try write(Array(text.utf8), test, name: "records.csv"),
                                                   fileName: "records.csv", actor: "importer", today: RecordStoreTests.today,
                                                   validationBatchRows: batch)
        return (test, summary)
    }

    @Test("rows checked by different validators (a batch of 2 rows) are still checked against each other through the store")
    func acrossValidatorBatches() throws {
        let text = """
            id,volunteer,category,date,start,end,verifier
            a1,V1,orange,2026-10-03,09:00,10:00,社区
            a2,V1,orange,2026-10-03,11:00,12:00,社区
            a3,V1,red,2026-10-03,09:30,10:30,社区
            a1,V1,orange,2026-10-03,09:00,10:00,社区
            a2,V1,orange,2026-10-03,11:00,12:30,社区
            a4,V2,orange,2026-10-03,09:00,10:00,社区

            """
        let whole = try RecordStoreTests.store()
        let outcome = try RecordStoreTests.importCSV(whole.store, text)
        for batch in [1, 2, 3] {
            let (test, summary) = try Self.importInBatches(text, batch: batch)
            // a3 overlaps a1 (E010); a1 again is a duplicate of row 2; a2 again has other content (E015); a4 is stored.
            #expect(summary.storedCount == 3 && summary.duplicatesInFileCount == 1 && summary.rejectedCount == 2, "batch \(batch)")
            #expect(summary.rejected.map(\.row) == [4, 6])
            #expect(summary.rejected.map { $0.errors.map(\.code) } == [[.overlap], [.conflictingDuplicate]], "batch \(batch)")
            #expect(summary.rejected.map { $0.errors.map(\.message) } == outcome.rejected.map { $0.errors.map(\.message) })
            #expect(try RecordStoreTests.count(test.store) == 3)
        }
    }

    @Test("an id met again with other content is E015 in any batch, and E016 against an earlier import, even when it also overlaps a third record")
    func conflictingIDBeforeOverlap() throws {
        // Row 4 repeats a1 with an end that also overlaps a2 (row 3): the id is what is wrong with it.
        let text = """
            id,volunteer,category,date,start,end,verifier
            a1,V1,orange,2026-10-03,09:00,10:00,社区
            a2,V1,orange,2026-10-03,10:30,11:30,社区
            a1,V1,orange,2026-10-03,09:00,11:00,社区
            a3,V1,red,2026-10-03,09:30,10:15,社区

            """
        let whole = try RecordStoreTests.store()
        let outcome = try RecordStoreTests.importCSV(whole.store, text)
        #expect(outcome.rejected.map { $0.errors.map(\.code) } == [[.conflictingDuplicate], [.overlap]])
        for batch in [1, 2, 3] {
            let summary = try Self.importInBatches(text, batch: batch).summary
            #expect(summary.storedCount == 2 && summary.rejectedCount == 2, "batch \(batch)")
            #expect(summary.rejected.map { $0.errors.map(\.code) } == [[.conflictingDuplicate], [.overlap]], "batch \(batch)")
            #expect(summary.rejected.map { $0.errors.map(\.message) } == outcome.rejected.map { $0.errors.map(\.message) })
        }
        // A later file with a1 changed the same way: stored with other content (E016), not an overlap with a2; the same
        // a1 again is known, not an overlap either.
        let later = try RecordStoreTests.importCSV(whole.store, """
            id,volunteer,category,date,start,end,verifier
            a1,V1,orange,2026-10-03,09:00,11:00,社区
            a1,V1,orange,2026-10-03,09:00,10:00,社区

            """, name: "later.csv")
        #expect(later.rejected.map { $0.errors.map(\.code) } == [[.conflictsWithStored]])
        #expect(later.alreadyStored.map(\.row) == [3] && later.stored.isEmpty)
        #expect(try RecordStoreTests.count(whole.store) == 2)
    }
}
