import Foundation
import Testing
import TimeBankCore
@testable import TimeBankStorage

@Suite("Database file mode")
struct DatabaseFileModeTests {
    static func mode(_ path: String) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) & 0o777
    }

    @Test("a new database and its -wal file are the owner's only (0600), as backups are; an existing file keeps its mode")
    func ownerOnly() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("timebank-mode-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/community.sqlite"
        let store = try TimeBankStore(path: path)
        try store.post(.move(key: "a1", kind: .award, date: LocalDate("2026-10-01")!, actor: "admin", memo: "", from: .issuance,
                             to: .adjustments, asset: .points, amount: 100))
        #expect(try Self.mode(path) == 0o600)
        #expect(try Self.mode(path + "-wal") == 0o600)

        // A database the admin made group-readable on purpose stays so.
        let shared = folder + "/shared.sqlite"
        _ = try TimeBankStore(path: shared)
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: shared)
        _ = try TimeBankStore(path: shared)
        #expect(try Self.mode(shared) == 0o640)
    }
}
