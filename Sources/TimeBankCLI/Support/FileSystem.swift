import Foundation
import TimeBankCore
import TimeBankStorage

/// The few file operations the CLI needs, in one place.
enum FileSystem {
    /// The process's working folder, which relative paths are read from.
    static var currentFolder: String { FileManager.default.currentDirectoryPath }

    static func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: path)
    }

    /// Whether two paths name the same existing file (the same device and inode: `./a.csv` and `a.csv`, or a link).
    static func sameFile(_ first: String, _ second: String) -> Bool {
        guard let a = try? FileManager.default.attributesOfItem(atPath: first),
              let b = try? FileManager.default.attributesOfItem(atPath: second) else { return false }
        return (a[.systemNumber] as? NSNumber) == (b[.systemNumber] as? NSNumber)
            && (a[.systemFileNumber] as? NSNumber) == (b[.systemFileNumber] as? NSNumber)
    }

    /// Whether `path` is an existing folder.
    static func isFolder(_ path: String) -> Bool {
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && isFolder.boolValue
    }

    /// Whether `path` is a pipe or another file that reads only once, from its start (`<(command)`, /dev/stdin): not a
    /// regular file. False for a file that does not exist (its error comes where it is read).
    static func isPipe(_ path: String) -> Bool {
        var status = stat()
        guard stat(path, &status) == 0 else { return false }
        let kind = status.st_mode & S_IFMT
        return kind == S_IFIFO || kind == S_IFSOCK || kind == S_IFCHR
    }

    /// The whole file, a pipe's too; a file that cannot be read is U001 with the reason in words.
    static func readBytes(_ path: String) throws -> [UInt8] {
        do {
            return try OSErrorText.readWholeFile(path)
        } catch {
            throw UsageError("cannot read \(path): \(error.reason)")
        }
    }

    /// Why `path` cannot be written, in words, when the reason can be told before trying: a folder, a missing
    /// folder, a folder or file this user may not write. Nil when nothing stands in the way. `example` is the file name a
    /// folder is told to hold (`community.journal` for an export).
    static func writeProblem(_ path: String, example: String = "report.csv") -> String? {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
            if isFolder.boolValue { return "it is a folder; give a file name in it, e.g. \(path)/\(example)" }
            if !FileManager.default.isWritableFile(atPath: path) { return "permission denied (the file is read-only for you)" }
            return nil
        }
        let folder = (path as NSString).deletingLastPathComponent
        let parent = folder.isEmpty ? "." : folder
        guard FileManager.default.fileExists(atPath: parent, isDirectory: &isFolder) else {
            return "the folder \(parent) does not exist; create it first (mkdir -p \(parent))"
        }
        if !isFolder.boolValue { return "\(parent) is a file, not a folder" }
        if !FileManager.default.isWritableFile(atPath: parent) { return "permission denied: you may not write in the folder \(parent)" }
        return nil
    }

    /// The rows of the CSV file at `path`, as a spreadsheet saved it: a workbook given as it is (an .xlsx, for which the
    /// encoding help, iconv, would not fit) and text that is not UTF-8 are refused, naming what to do instead.
    static func spreadsheetCSVRows(_ path: String) throws -> [CSVRow] {
        try spreadsheetCSV(path).rows
    }

    /// The rows of the CSV file at `path`, as `spreadsheetCSVRows(_:)` reads them, and its text (without a byte order
    /// mark, which the rows' columns do not count), to show a row's line under a diagnostic.
    ///
    /// `encoding` is the command's `--encoding` (`EncodingOption`), nil for a command without the option: the file is
    /// converted from it to UTF-8 first, and a file that is not UTF-8 is refused naming the option only when there is one.
    static func spreadsheetCSV(_ path: String, encoding: SourceEncoding? = nil) throws -> (rows: [CSVRow], text: String) {
        var bytes = try FileSystem.readBytes(path)
        if let document = OfficeDocument.kind(of: bytes) {
            throw UsageError("\(path) is \(document); \(SpreadsheetAdvice.saveAsCSV)")
        }
        if let encoding, encoding != .utf8 {
            bytes = try TextConversion.utf8(bytes, from: encoding, fileName: path)
        }
        do {
            try TextEncodingCheck.requireUTF8(bytes, fileName: path)
        } catch {
            throw FileEncodingError(error, offeringEncodingOption: encoding != nil)
        }
        do {
            let rows = try CSVReader.rows(bytes)
            let text = String(decoding: bytes, as: UTF8.self)
            return (rows, text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text)
        } catch {
            throw FileCSVError(error, path: path)
        }
    }

    /// Writes a report or an export, replacing a file of the same name, but never a SQLite database or its
    /// write-ahead log or shared-memory file: `--out` pointed at the store by mistake must not wipe it.
    ///
    /// The open store's own files (`database`, its `-wal`, `-shm` and `-journal`) are told by their device and inode
    /// alone, without opening them: closing a descriptor of a file that a SQLite connection of this process has open
    /// drops that connection's locks. Other files are told by their first bytes.
    static func write(_ text: String, to path: String, database: String, example: String = "report.csv") throws {
        if let own = ["", "-wal", "-shm", "-journal"].first(where: { sameFile(path, database + $0) }) {
            throw UsageError("\(path) is " + (own.isEmpty ? "the database this command reads" : "a file SQLite keeps beside the database")
                + "; a report or export never overwrites one: give another file name")
        }
        if let kind = databaseFileKind(path) {
            throw UsageError("\(path) is \(kind); a report or export never overwrites one: give another file name")
        }
        if let problem = writeProblem(path, example: example) { throw UsageError("cannot write \(path): \(problem)") }
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw UsageError("cannot write \(path): \(error.localizedDescription)")
        }
    }

    /// What `path` is when it is a SQLite database, its write-ahead log, or the shared-memory or rollback-journal
    /// file beside one; nil for anything else (including no file at all).
    static func databaseFileKind(_ path: String) -> String? {
        func starts(_ file: String, with magic: [[UInt8]]) -> Bool {
            guard let handle = FileHandle(forReadingAtPath: file) else { return false }
            defer { try? handle.close() }
            let head = [UInt8]((try? handle.read(upToCount: 16)) ?? Data())
            return magic.contains { head.starts(with: $0) }
        }
        let database = Array("SQLite format 3\u{0}".utf8)
        if starts(path, with: [database]) { return "a SQLite database" }
        if starts(path, with: [[0x37, 0x7F, 0x06, 0x82], [0x37, 0x7F, 0x06, 0x83]]) { return "a SQLite write-ahead log" }
        for suffix in ["-shm", "-journal", "-wal"] where path.hasSuffix(suffix) && exists(path) {
            if starts(String(path.dropLast(suffix.count)), with: [database]) { return "a file SQLite keeps beside a database" }
        }
        return nil
    }

    /// Why `path`, given as the database, is plainly something else, as the rest of a sentence that starts with the path:
    /// a file SQLite keeps beside a database, or a text file (a CSV or a report, `--db nov.csv`), which SQLite calls "not a
    /// database" (S26, exit 3, as for a damaged store: a wrong path is not a broken ledger). Nil for any other bytes.
    ///
    /// It opens the file itself, so call it only when SQLite has found no database in the file: closing a descriptor of a
    /// database file that a connection of this process has open drops that connection's locks.
    static func notADatabaseFile(_ path: String) -> String? {
        let notOne = "not a timebank database; nothing was read or written"
        if let kind = databaseFileKind(path), kind != "a SQLite database" {
            let suffix = ["-wal", "-shm", "-journal"].first(where: path.hasSuffix)
            return "is \(kind), \(notOne)" + (suffix.map { ": --db takes the database, \(path.dropLast($0.count))" } ?? "")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        let head = [UInt8]((try? handle.read(upToCount: 4096)) ?? Data())
        guard !head.isEmpty, !head.contains(0) else { return nil }
        // A character cut at the end of the piece read is still text.
        let text = String(decoding: head, as: UTF8.self)
        guard !text.dropLast().contains("\u{FFFD}") else { return nil }
        let begins = String(text.prefix(while: { $0 != "\n" && $0 != "\r" }).prefix(30))
        return "is a text file (it begins \"\(begins)\"), \(notOne): pass the database with --db"
    }

    static func makeTemporaryDirectory(prefix: String) throws -> String {
        let base = FileManager.default.temporaryDirectory.path
        let path = "\(base)/\(prefix)-\(UInt64.random(in: 0...UInt64.max))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
