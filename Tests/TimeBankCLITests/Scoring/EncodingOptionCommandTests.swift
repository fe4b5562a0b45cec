import Foundation
import Testing
import TimeBankCore
import TimeBankStorage
@testable import TimeBankCLI

/// `--encoding` on the commands that read a data file: a GB18030 file (Excel's "CSV (逗号分隔)" on a Chinese Windows)
/// imported as it is, and the refusals that leave the store as it was.
@Suite("--encoding on the imports")
struct EncodingOptionCommandTests {
    /// r1 and r2 of V1 with the verifier 社区 (C9E7 C7F8 in GB18030).
    static let gbkRecords: [UInt8] = Array("id,volunteer,category,date,start,end,verifier\r\nr1,V1,orange,2026-10-03,09:00,10:30,".utf8)
        + [0xC9, 0xE7, 0xC7, 0xF8] + Array("\r\nr2,V1,red,2026-10-12,09:00,12:00,".utf8) + [0xC9, 0xE7, 0xC7, 0xF8, 0x0D, 0x0A]

    @Test("record import --encoding GB18030 stores the rows as the UTF-8 file would, under the file's own name; no copy is left")
    func recordImport() throws {
        let harness = try ScoringCommandTests.community()
        let path = harness.folder + "/excel.csv"
        #expect(FileManager.default.createFile(atPath: path, contents: Data(Self.gbkRecords)))
        let temporary = harness.folder + "/tmp"
        try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
        // Without the option: refused whole, naming the option to give first.
        let refused = harness.run(["record", "import", path])
        #expect(refused.exit == 2)
        #expect(refused.errors.contains("error[I100]") && refused.errors.contains("help: run the command again with --encoding GB18030 to read it as it is"))
        #expect(try harness.ok(["record", "list"]).contains("0 records"))
        let imported = harness.run(["record", "import", path, "--encoding", "GBK"], environment: ["TMPDIR": temporary])
        #expect(imported.exit == 0, "\(imported.errors)")
        #expect(imported.output.contains("\(path): read 2 rows: 2 stored as pending"))
        let shown = try harness.ok(["record", "show", "r1"])
        #expect(shown.contains("verifier        社区") && shown.contains("from \(path) row 2"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: temporary).isEmpty)
        // The same file again adds nothing: the rows are the same records.
        #expect(harness.run(["record", "import", path, "--encoding", "gb18030"]).output.contains("2 duplicates (2 stored before"))
    }

    @Test("a UTF-8 file given --encoding GB18030 is I109, a bad byte is I108 with its place, an unknown name U001: nothing stored")
    func refusals() throws {
        let harness = try ScoringCommandTests.community()
        let utf8 = try harness.write("october.csv", ScoringCommandTests.records)
        let already = harness.run(["record", "import", utf8, "--encoding", "GB18030"])
        #expect(already.exit == 2 && already.errors.contains("error[I109]: \(utf8): the file is UTF-8 already"))
        let damaged = harness.folder + "/damaged.csv"
        #expect(FileManager.default.createFile(atPath: damaged, contents: Data(Self.gbkRecords.prefix(70) + [0xFF] + Self.gbkRecords.dropFirst(70))))
        let bad = harness.run(["record", "import", damaged, "--encoding", "GB18030"])
        #expect(bad.exit == 2 && bad.errors.contains("error[I108]: \(damaged):2:24: not GB18030 text: the bytes 0xFF 0x2C at line 2, column 24 (byte 71 of the file)"), "\(bad.errors)")
        let unknown = harness.run(["record", "import", utf8, "--encoding", "big5"])
        #expect(unknown.exit == 2 && unknown.errors.contains("--encoding \"big5\" is not an encoding the imports read; give one of UTF-8"))
        #expect(try harness.ok(["record", "list"]).contains("0 records"))
        let stored = harness.run(["whatif", "--policy", ScoringCommandTests.policy, "--active", "--stored", "--encoding", "GBK"])
        #expect(stored.exit == 2 && stored.errors.contains("--stored reads the stored records, which are UTF-8 already"))
        // --format says how a record file is written: over the stored records it would be ignored without a word.
        let format = harness.run(["whatif", "--policy", ScoringCommandTests.policy, "--active", "--stored", "--format", "csv"])
        #expect(format.exit == 2 && format.errors.contains("--format says how a record file is written; --stored reads the stored records"),
                "\(format.errors)")
    }

    @Test("the community imports and score read --encoding too; a file that is not UTF-8 names it")
    func communityAndScore() throws {
        let harness = try ScoringCommandTests.community()
        let households = harness.folder + "/households.csv"
        // 户号,户名 / H9,王家 in GB18030.
        let bytes: [UInt8] = [0xBB, 0xA7, 0xBA, 0xC5, 0x2C, 0xBB, 0xA7, 0xC3, 0xFB, 0x0A] + Array("H9,".utf8) + [0xCD, 0xF5, 0xBC, 0xD2, 0x0A]
        #expect(FileManager.default.createFile(atPath: households, contents: Data(bytes)))
        let refused = harness.run(["household", "import", households])
        #expect(refused.exit == 2 && refused.errors.contains("run the command again with --encoding GB18030"))
        let imported = harness.run(["household", "import", households, "--encoding", "GB18030"])
        #expect(imported.exit == 0, "\(imported.errors)")
        #expect(try harness.ok(["household", "show", "H9"]).contains("王家"))
        let records = harness.folder + "/excel.csv"
        #expect(FileManager.default.createFile(atPath: records, contents: Data(Self.gbkRecords)))
        let scored = harness.run(["score", "--policy", ScoringCommandTests.policy, records, "--encoding", "GBK"])
        #expect(scored.exit == 0 && scored.output.contains("for 2 records"), "\(scored.errors)")
    }
}

/// Files that read only once, from their start: `record import <(command)`, `… | timebank record import /dev/stdin`.
@Suite("Reading a pipe")
struct PipeInputTests {
    /// A FIFO at `path` that a background writer fills with `bytes` once a reader opens it.
    static func fifo(_ path: String, _ bytes: [UInt8]) {
        #expect(mkfifo(path, 0o600) == 0)
        DispatchQueue.global().async {
            guard let handle = FileHandle(forWritingAtPath: path) else { return }
            try? handle.write(contentsOf: Data(bytes))
            try? handle.close()
        }
    }

    @Test("record import reads a pipe (through a copy; rows named as in the pipe), in another encoding too; policy check reads one")
    func recordImportFromPipe() throws {
        let harness = try ScoringCommandTests.community()
        let pipe = harness.folder + "/records.pipe"
        Self.fifo(pipe, Array(ScoringCommandTests.records.utf8))
        #expect(FileSystem.isPipe(pipe) && !FileSystem.isPipe(ScoringCommandTests.policy) && !FileSystem.isPipe(harness.folder + "/none"))
        let imported = harness.run(["record", "import", pipe])
        #expect(imported.output.contains("\(pipe): read 6 rows: 4 stored as pending"), "\(imported.errors)")
        #expect(try harness.ok(["record", "show", "r1"]).contains("from \(pipe) row 2"))
        let other = try ScoringCommandTests.community()
        let gbk = other.folder + "/gbk.pipe"
        Self.fifo(gbk, EncodingOptionCommandTests.gbkRecords)
        #expect(other.run(["record", "import", gbk, "--encoding", "GBK"]).output.contains("\(gbk): read 2 rows: 2 stored as pending"))
        let policy = harness.folder + "/policy.pipe"
        Self.fifo(policy, Array(try String(contentsOfFile: ScoringCommandTests.policy, encoding: .utf8).utf8))
        let checked = harness.run(["policy", "check", policy])
        #expect(checked.exit == 0 && checked.output.contains("\(policy): 0 errors"), "\(checked.errors)")
    }

    @Test("a copy in UTF-8 keeps the bytes as they are, bad ones included: the import finds them as in the file")
    func plainCopy() throws {
        let harness = try ScoringHarness()
        let path = harness.folder + "/f.csv"
        let bytes: [UInt8] = Array("id\n".utf8) + [0xD5, 0xC5, 0x0A]
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        let copy = try TextConversion.utf8Copy(ofFileAt: path, from: .utf8, fileName: path, temporaryFolder: harness.folder, chunkByteCount: 2)
        #expect([UInt8](try Data(contentsOf: URL(fileURLWithPath: copy))) == bytes)
    }
}
