import Foundation
import Testing
import TimeBank

@Suite("conveniences the library offers besides the CLI")
struct StoreConvenienceTests {
    /// A policy whose multiplier looks up a team the community does not have, and a station it does not have.
    static let policy = """
        [policy]
        id = "teams"
        version = 1
        effective = 2026-10-01

        [earning]
        combine_multipliers = "max"

        [categories.orange]
        points_per_hour = 12

        [multipliers.qianshou]
        factor = 1.5
        when = 'volunteer.teams.contains("qianshou")'
        """

    @Test("checkPolicy checks against the community's teams and stations, as `policy check --against-active` does")
    func checkPolicyUsesTheCommunity() throws {
        let folder = try GuideFolder()
        let store = try TimeBankStore(path: folder.path + "/community.sqlite")
        try guideCommunity(store)

        let checked = try store.checkPolicy(Self.policy, path: "teams.toml")
        #expect(checked.diagnostics.map(\.id) == ["P233"])
        #expect(checked.diagnostics.first?.severity == .warning)
        #expect(checked.policy != nil)
        #expect(checked.rendered().contains("teams.toml:"))
        // The plain loader knows no community: the lookup goes unchecked.
        #expect(PolicyLoader.load(text: Self.policy, path: "teams.toml").diagnostics.isEmpty)

        // A station the community does not have is an error, by the stored stations.
        let station = Self.policy.replacingOccurrences(of: "volunteer.teams.contains(\"qianshou\")", with: "record.station == \"S09\"")
        #expect(try store.checkPolicy(bytes: Array(station.utf8), path: "teams.toml").hasErrors)

        // Once the community's own teams are stored, the lookup is one of them.
        try store.addTeams([Team(id: "orange", name: "橙色关怀", label: ""), Team(id: "green", name: "绿色环保", label: ""),
                            Team(id: "qianshou", name: "牽手", label: "")])
        #expect(try store.checkPolicy(Self.policy, path: "teams.toml").diagnostics.isEmpty)
        #expect(try store.policyVersions().isEmpty)
    }
}

@Suite("TimeBankStore(existingAt:): open a store only when it is one")
struct OpenExistingStoreTests {
    @Test("a missing path, a folder, an empty file and another program's database are U006, with nothing created or written")
    func refusals() throws {
        let folder = try GuideFolder()
        let missing = folder.path + "/taibaihu.sqlite"
        #expect { try TimeBankStore(existingAt: missing) } throws: { ($0 as? StoreOpenError) == .noDatabase(path: missing) }
        #expect(!FileManager.default.fileExists(atPath: missing))

        #expect { try TimeBankStore(existingAt: folder.path) } throws: { ($0 as? StoreOpenError) == .folder(path: folder.path) }

        let empty = folder.path + "/empty.sqlite"
        #expect(FileManager.default.createFile(atPath: empty, contents: Data()))
        #expect { try TimeBankStore(existingAt: empty) } throws: { error in
            guard let error = error as? StoreOpenError else { return false }
            return error == .notATimeBankDatabase(path: empty, isEmpty: true) && error.code == "U006" && error.category == .badInput
        }
        #expect(try FileManager.default.attributesOfItem(atPath: empty)[.size] as? Int == 0)

        let foreign = folder.path + "/other.sqlite"
        try SQLiteDatabase(path: foreign).execute("CREATE TABLE notes(text TEXT)")
        #expect { try TimeBankStore(existingAt: foreign) } throws: {
            ($0 as? StoreOpenError) == .notATimeBankDatabase(path: foreign, isEmpty: false)
        }
        #expect(try SQLiteDatabase(path: foreign).statement("SELECT count(*) FROM sqlite_master").first { $0.int64(0) } == 1)

        // Text is not a database at all: SQLite says so.
        let text = folder.path + "/november.csv"
        try guideRecords.write(toFile: text, atomically: true, encoding: .utf8)
        #expect { try TimeBankStore(existingAt: text) } throws: { ($0 as? SQLiteError)?.code == "S26" }

        // The plain initialiser would have made a new, empty community of the mistyped path.
        #expect(try TimeBankStore(path: missing).volunteers().isEmpty)
    }

    @Test("an existing store opens as it is")
    func opensAStore() throws {
        let folder = try GuideFolder()
        let store = try guideStore(folder)
        _ = try store.post(.move(key: "award-1", kind: .award, date: LocalDate("2026-11-01")!, actor: "admin", memo: "",
                                 from: .issuance, to: .volunteer("V0001"), amount: 2000))
        let again = try TimeBankStore(existingAt: folder.path + "/community.sqlite")
        #expect(try again.balance(.volunteer("V0001")) == 2000)
        #expect(try again.policyVersions().count == 1)
        #expect(try TimeBankStore(existingAt: ":memory:").volunteers().isEmpty)
        // Read-only on request: it reads as the other, and refuses to write (S8) with nothing written.
        let audit = try TimeBankStore(existingAt: folder.path + "/community.sqlite", readOnly: true)
        #expect(audit.isReadOnly && !again.isReadOnly)
        #expect(try audit.balance(.volunteer("V0001")) == 2000)
        #expect { _ = try audit.post(.move(key: "award-2", kind: .award, date: LocalDate("2026-11-01")!, actor: "admin", memo: "",
                                          from: .issuance, to: .volunteer("V0001"), amount: 100)) } throws: { ($0 as? SQLiteError)?.code == "S8" }
        #expect(try again.balance(.volunteer("V0001")) == 2000)
    }
}

/// Compiles only for a `Sendable` type.
func requireSendable<T: Sendable>(_: T.Type) {}

@Test("the values a service passes between tasks are Sendable")
func valuesAreSendable() {
    // A failure here is a compile error: the type stopped being Sendable.
    requireSendable(EmptyScoringHistory.self)
    requireSendable(Scorer.self)
    requireSendable(ScoringRun.self)
    requireSendable(PolicyLoadResult.self)
    requireSendable(RecordImportOutcome.self)
    requireSendable(SettlementSummary.self)
    requireSendable(Receipt.self)
    requireSendable(OperatorSession.self)
    requireSendable(ReportTable.self)
    requireSendable(BackupResult.self)
    requireSendable(VerificationReport.self)
    requireSendable((any TimeBankError).self)
}
