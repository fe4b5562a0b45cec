import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import TimeBankCore
@testable import TimeBankStorage

/// The report files a settlement writes under `DIR/DATE/`: each written under `NAME.tmp` and renamed.
@Suite("report files")
struct ReportFilesTests {
    static func folder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("timebank-report-files-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test("a write() interrupted by a signal (EINTR) is tried again, not a failure (N007); a short write goes on where it stopped")
    func interruptedWriteRetried() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var calls = 0
        // The first call is interrupted before writing anything, the second writes 3 bytes only, the rest write in full.
        try ReportFiles.write([(name: "daily.txt", content: "每日 report\n")], into: folder) { descriptor, bytes, count in
            calls += 1
            switch calls {
            case 1: errno = EINTR; return -1
            case 2: return Glibc.write(descriptor, bytes, min(3, count))
            default: return Glibc.write(descriptor, bytes, count)
            }
        }
        #expect(calls == 3)
        #expect(try String(contentsOfFile: folder + "/daily.txt", encoding: .utf8) == "每日 report\n")
        #expect(!FileManager.default.fileExists(atPath: folder + "/daily.txt.tmp"))
    }

    @Test("a write that fails otherwise is N007 naming the cause, and its .tmp is removed")
    func failedWriteIsN007() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(throws: SettlementError.reportsNotWritten(path: folder + "/daily.txt", detail: "write failed (No space left on device)")) {
            try ReportFiles.write([(name: "daily.txt", content: "x")], into: folder) { _, _, _ in errno = ENOSPC; return -1 }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == [])
    }

    @Test("after its renames the day's folder is synced once (and the folder above it when the day's is new), so a power cut cannot lose them; a sync that fails is N007")
    func folderSyncedAfterRenames() throws {
        let base = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: base) }
        let day = base + "/2027-01-03"
        let files = [(name: "daily.txt", content: "d\n"), (name: "daily.csv", content: "c\n"), (name: "daily.json", content: "{}\n")]
        var synced: [String] = []
        try ReportFiles.write(files, into: day, syncFolder: { synced.append($0); return 0 })
        #expect(synced == [day, base])   // the files' names in the day's folder, then the day's folder's name in its parent
        synced = []
        try ReportFiles.write(files, into: day, syncFolder: { synced.append($0); return 0 })
        #expect(synced == [day])
        #expect(throws: SettlementError.reportsNotWritten(path: day, detail: "the folder could not be synced (Input/output error)")) {
            try ReportFiles.write(files, into: day, syncFolder: { _ in EIO })
        }
        // The system's own: a real folder syncs.
        try ReportFiles.write(files, into: day)
        #expect(try FileManager.default.contentsOfDirectory(atPath: day).sorted() == ["daily.csv", "daily.json", "daily.txt"])
    }

    @Test("a stale NAME.tmp left by a kill before its rename is removed when the day's files are written, and only report files' .tmp")
    func staleTemporariesRemovedOnWrite() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for name in ["ranking.csv.tmp", "old.json.tmp", "notes.tmp"] {
            #expect(FileManager.default.createFile(atPath: folder + "/" + name, contents: Data("half".utf8)))
        }
        try ReportFiles.write([(name: "daily.txt", content: "d\n")], into: folder)
        // notes.tmp is not a report file's temporary (NAME.txt|csv|json.tmp): somebody else's, left alone.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["daily.txt", "notes.tmp"])
    }
}
