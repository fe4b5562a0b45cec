#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TimeBankCore

/// Why `TimeBankStore(existingAt:)` did not open a path. Documented in `docs/errors.md` (U006).
public enum StoreOpenError: TimeBankError, Hashable {
    /// U006: nothing at the path.
    case noDatabase(path: String)
    /// U006: the path is a folder.
    case folder(path: String)
    /// U006: an SQLite file with no timebank schema in it: empty (a new or wiped file) or another program's database.
    case notATimeBankDatabase(path: String, isEmpty: Bool)

    public var code: String { "U006" }
    public var category: ErrorCategory { .badInput }
    public var message: String {
        switch self {
        case .noDatabase(let path):
            "no database at \(path); nothing was created: make one with `TimeBankStore(path:)` (`timebank init --db \(path)`), "
                + "or open the right path"
        case .folder(let path):
            "\(path) is a folder, not a timebank database; nothing was read or written: give the database file in it "
                + "(e.g. \(path)/community.sqlite)"
        case .notATimeBankDatabase(let path, let isEmpty):
            isEmpty
                ? "\(path) is empty, not a timebank database; nothing was written to it: restore it from a backup "
                    + "(docs/operations.md), or make a new one with `TimeBankStore(path:)`"
                : "\(path) is a SQLite database, but not a timebank one (it has no schema_migrations table); nothing was "
                    + "written to it: open the right path"
        }
    }
}

/// What an existing database file holds, read before anything is written to it.
public enum StoreFileContents: Sendable {
    case store
    /// No tables: a file of 0 bytes, or a SQLite database with nothing in it.
    case empty
    /// A SQLite database without timebank's schema: another program's.
    case foreign

    /// Reads what the file at `path` holds, through SQLite and read-only (never by reading the file itself, which would
    /// drop this process's locks on it), before any migration could write timebank's schema into it. A file that is not
    /// SQLite at all fails here (S26).
    public static func of(_ path: String) throws -> StoreFileContents {
        let probe = try SQLiteDatabase(path: path, readOnly: true)
        let tables = try probe.statement("""
            SELECT count(*), count(*) FILTER (WHERE name = 'schema_migrations') FROM sqlite_master WHERE type = 'table'
            """).first { (all: $0.int64(0), migrations: $0.int64(1)) } ?? (all: 0, migrations: 0)
        return tables.all == 0 ? .empty : tables.migrations == 0 ? .foreign : .store
    }
}

extension TimeBankStore {
    /// Opens the store at `path` only when it is one already, as every `timebank` command but `init` does: a mistyped
    /// path is refused (U006) instead of becoming a new, empty community that answers every balance with 0.
    /// `TimeBankStore(path:)` creates the file when it is missing; use it once, to make the database.
    ///
    /// Refused with U006, with nothing created or written: no file at `path`, a folder, an empty file, or an SQLite
    /// database without timebank's schema. A file that is not a database at all is SQLite's S26. A store of an older
    /// timebank is migrated as `init(path:clock:)` migrates it; a newer one is U003.
    ///
    /// `readOnly: true` opens it read-only whatever this user may do (an auditor's tool: every write is S8), as
    /// `init(path:clock:readOnly:)` does; a file this user cannot write is opened read-only anyway.
    ///
    ///     let store = try TimeBankStore(existingAt: "/srv/timebank/taibaihu.sqlite")
    ///     let audit = try TimeBankStore(existingAt: "/srv/backups/taibaihu-2026-11-22.sqlite", readOnly: true)
    public convenience init(existingAt path: String, clock: any Clock = SystemClock(), readOnly: Bool = false) throws {
        if path != ":memory:" {
            var status = stat()
            guard stat(path, &status) == 0 else { throw StoreOpenError.noDatabase(path: path) }
            if (status.st_mode & S_IFMT) == S_IFDIR { throw StoreOpenError.folder(path: path) }
            switch try StoreFileContents.of(path) {
            case .store: break
            case .empty: throw StoreOpenError.notATimeBankDatabase(path: path, isEmpty: true)
            case .foreign: throw StoreOpenError.notATimeBankDatabase(path: path, isEmpty: false)
            }
        }
        try self.init(path: path, clock: clock, readOnly: readOnly)
    }
}
