import Foundation
import Testing
import TimeBankCore
@testable import TimeBankStorage

/// Policy versions in the store: activation with its refusals, the version in force on a date,
/// exact text with its hash, and append-only history.
@Suite("Policy versions")
struct PolicyVersionTests {
    /// A valid policy with the given version label and effective date.
    static func policy(id: String = "taibaihu", version: String = "1", effective: String, rate: Int = 12) -> String {
        """
        [policy]
        id = "\(id)"
        version = "\(version)"
        effective = \(effective)

        [categories.orange]
        label = "橙色关怀"
        points_per_hour = \(rate)
        """
    }

    func code(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch let error as PolicyStoreError {
            return error.code
        } catch {
            return "\(error)"
        }
    }

    @Test("activation stores the exact text, its SHA-256, version, effective date and actor")
    func activate() throws {
        let test = try TestStore()
        let text = Self.policy(effective: "2026-10-01")
        let outcome = try test.store.activatePolicy(text, actor: "admin")
        guard case .activated(let record) = outcome else {
            Issue.record("expected a new version, got \(outcome)")
            return
        }
        #expect(record.number == 1)
        #expect(record.policyID == "taibaihu")
        #expect(record.version == "1")
        #expect(record.effective == date("2026-10-01"))
        #expect(record.actor == "admin")
        #expect(record.sha256 == SHA256.hexHash(utf8: text))
        #expect(record.overrideReason == nil)
        #expect(try test.store.policyText(version: 1) == text)
        #expect(try test.store.policyVersions() == [record])
    }

    @Test("activating the same text again writes nothing")
    func idempotent() throws {
        let test = try TestStore()
        let text = Self.policy(effective: "2026-10-01")
        try test.store.activatePolicy(text, actor: "admin")
        let again = try test.store.activatePolicy(text, actor: "someone-else")
        guard case .alreadyActive(let record) = again else {
            Issue.record("expected .alreadyActive, got \(again)")
            return
        }
        #expect(record.actor == "admin")
        #expect(try test.store.policyVersions().count == 1)
    }

    @Test("the same text re-saved with CRLF line ends or with or without a UTF-8 byte-order mark is the same version: nothing written")
    func sameTextOtherLineEnds() throws {
        func windows(_ text: String) -> String { text.replacingOccurrences(of: "\n", with: "\r\n") }
        let bom = "\u{FEFF}"
        let text = Self.policy(effective: "2026-10-01")
        for stored in [text, windows(text), bom + text] {
            let test = try TestStore()
            try test.store.activatePolicy(stored, actor: "admin")
            for resaved in [text, windows(text), bom + text, bom + windows(text)] where resaved != stored {
                // It was A002 (suggesting a version 2): the bytes differ, the policy they read as does not.
                let again = try test.store.activatePolicy(resaved, actor: "admin")
                guard case .alreadyActive(let record) = again else {
                    Issue.record("expected .alreadyActive, got \(again)")
                    continue
                }
                #expect(record.number == 1)
                var bytes = Array(bom.utf8)
                bytes += Array(windows(text).utf8)
                #expect(try test.store.activatePolicy(bytes: bytes, actor: "admin") == .alreadyActive(record))
                let policy = try #require(PolicyLoader.load(text: resaved, path: "p").policy)
                #expect(try test.store.previewActivation(resaved, policy: policy).alreadyActive == record)
            }
            // The stored text is the one first activated, byte for byte.
            #expect(try test.store.policyVersions().count == 1)
            #expect(try test.store.policyText(version: 1) == stored)
            // Another line changed as well: a new text, refused as before.
            #expect(code { try test.store.activatePolicy(windows(text) + "\r\n# 注释\r\n", actor: "admin") } == "A002")
        }
        // The CRLF copy of a superseded version is that version: A011, not A002.
        let test = try TestStore()
        let first = Self.policy(version: "1", effective: "2026-10-01", rate: 10)
        try test.store.activatePolicy(first, actor: "admin")
        try test.store.activatePolicy(Self.policy(version: "2", effective: "2026-11-01"), actor: "admin")
        #expect(code { try test.store.activatePolicy(windows(first), actor: "admin") } == "A011")
    }

    @Test("the text of a superseded version is refused (A011), even with an override: it names the later version and the lines of a new one")
    func supersededText() throws {
        let test = try TestStore()
        let first = Self.policy(version: "1", effective: "2026-10-01", rate: 10).replacingOccurrences(of: "version = \"1\"", with: "version = 1")
        try test.store.activatePolicy(first, actor: "admin")
        try test.store.activatePolicy(Self.policy(version: "2", effective: "2026-11-01", rate: 12)
            .replacingOccurrences(of: "version = \"2\"", with: "version = 2"), actor: "admin")
        for reason in [nil, "back to the old rate"] {
            do {
                try test.store.activatePolicy(first, actor: "admin", overrideReason: reason)
                Issue.record("expected A011")
            } catch let error as PolicyStoreError {
                #expect(error.code == "A011")
                #expect(error.category == .refused)
                #expect(error.message.contains("is superseded by version 2 (#2, in force from 2026-11-01)"), "\(error.message)")
                #expect(error.message.contains("version = 1  ->  version = 3"), "\(error.message)")
                #expect(error.message.contains("effective = 2026-10-01  ->  effective = 2026-11-02"), "\(error.message)")
            }
        }
        #expect(try test.store.policyVersions().count == 2)
        // A version activated later with the same effective date replaces it from that very day: superseded too.
        let twin = try TestStore()
        let october = Self.policy(version: "a", effective: "2026-10-01")
        try twin.store.activatePolicy(october, actor: "admin")
        try twin.store.activatePolicy(Self.policy(version: "b", effective: "2026-10-01", rate: 11), actor: "admin", overrideReason: "fix")
        #expect(code { try twin.store.activatePolicy(october, actor: "admin") } == "A011")
        // The newest in force is only active already.
        guard case .alreadyActive = try twin.store.activatePolicy(Self.policy(version: "b", effective: "2026-10-01", rate: 11), actor: "admin") else {
            Issue.record("expected .alreadyActive")
            return
        }
    }

    @Test("a version stored by an older checker with a value beyond the ledger still compiles: P118 and P103 'too large' are warnings there")
    func storedVersionBeyondTheLedger() throws {
        let test = try TestStore()
        // What an older timebank let through: a factor with which every record it applies to is beyond the ledger.
        let text = Self.policy(effective: "2026-10-01") + """

            [earning]
            min_minutes = 30
            combine_multipliers = "max"

            [multipliers.weekend]
            factor = 1e13
            when = 'record.weekday in ["sat", "sun"]'
            """
        #expect(code { try test.store.activatePolicy(text, actor: "admin") } == "A001")
        try test.store.database.statement("""
            INSERT INTO policy_versions(policy_id, version, effective_date, sha256, text, actor, activated_at, override_reason)
            VALUES ('taibaihu', '1', '2026-10-01', ?, ?, 'admin', '2026-09-30T00:00:00.000Z', NULL)
            """).bind(.text(SHA256.hexHash(utf8: text)), .text(text)).run()
        let stored = try test.store.policy(inForceOn: date("2026-10-05"))
        #expect(stored.policy.multipliers.first?.factor.fixedValue == ExactDecimal(10_000_000_000_000))
        let loaded = PolicyLoader.load(text: text, path: "stored", storedVersion: true)
        #expect(loaded.diagnostics.map { "\($0.id) \($0.severity)" } == ["P118 warning"])
    }

    @Test("the version in force on a date is the latest effective on or before it")
    func versionInForce() throws {
        let test = try TestStore()
        try test.store.activatePolicy(Self.policy(version: "1", effective: "2026-01-01", rate: 10), actor: "admin")
        try test.store.activatePolicy(Self.policy(version: "2", effective: "2026-07-01", rate: 11), actor: "admin")
        try test.store.activatePolicy(Self.policy(version: "3", effective: "2026-10-01", rate: 12), actor: "admin")
        func version(on day: String) throws -> String? {
            let record = try test.store.policyVersion(inForceOn: date(day))
            return record?.version
        }
        #expect(try version(on: "2025-12-31") == nil)
        #expect(try version(on: "2026-01-01") == "1")
        #expect(try version(on: "2026-06-30") == "1")
        #expect(try version(on: "2026-07-01") == "2")
        #expect(try version(on: "2026-09-30") == "2")
        #expect(try version(on: "2026-10-01") == "3")
        #expect(try version(on: "2030-01-01") == "3")
        let stored = try test.store.policy(inForceOn: date("2026-08-15"))
        #expect(stored.record.version == "2")
        #expect(stored.policy.category("orange")?.pointsPerHour == ExactDecimal(11))
        #expect(try test.store.policyText(inForceOn: date("2026-08-15"))?.text == Self.policy(version: "2", effective: "2026-07-01", rate: 11))
    }

    @Test("before the first effective date nothing is in force (A006), and the message names the first date")
    func nothingInForce() throws {
        let test = try TestStore()
        #expect(code { _ = try test.store.policy(inForceOn: date("2026-01-01")) } == "A006")
        try test.store.activatePolicy(Self.policy(effective: "2026-10-01"), actor: "admin")
        do {
            _ = try test.store.policy(inForceOn: date("2026-09-30"))
            Issue.record("expected A006")
        } catch let error as PolicyStoreError {
            #expect(error.code == "A006")
            #expect(error.message.contains("the first takes effect on 2026-10-01"))
        }
    }

    @Test("a file with errors is refused (A001), even with an override reason, and nothing is written")
    func refusesErrors() throws {
        let test = try TestStore()
        let broken = Self.policy(effective: "2026-10-01").replacingOccurrences(of: "points_per_hour", with: "rate")
        #expect(code { try test.store.activatePolicy(broken, actor: "admin") } == "A001")
        #expect(code { try test.store.activatePolicy(broken, actor: "admin", overrideReason: "urgent") } == "A001")
        #expect(try test.store.policyVersions().isEmpty)
    }

    @Test("a file that is not UTF-8 is refused (A001), even with an override reason: it is never stored with replacement characters")
    func refusesBytesThatAreNotUTF8() throws {
        let test = try TestStore()
        // A valid policy whose label is written in GB18030 (橙 is 0xB3 0xC8): not UTF-8.
        var bytes = Array(Self.policy(effective: "2026-10-01").utf8)
        let label = Array("橙色关怀".utf8)
        let start = try #require((0...(bytes.count - label.count)).first { Array(bytes[$0 ..< $0 + label.count]) == label })
        bytes.replaceSubrange(start ..< start + label.count, with: [0xB3, 0xC8, 0xC9, 0xAB, 0xB9, 0xD8, 0xBB, 0xB3])
        #expect(code { try test.store.activatePolicy(bytes: bytes, actor: "admin") } == "A001")
        #expect(code { try test.store.activatePolicy(bytes: bytes, actor: "admin", overrideReason: "urgent") } == "A001")
        #expect(try test.store.policyVersions().isEmpty)
        // The same file in UTF-8 is stored as it is.
        let text = Self.policy(effective: "2026-10-01")
        let outcome = try test.store.activatePolicy(bytes: Array(text.utf8), actor: "admin")
        #expect(try test.store.policyText(version: outcome.record.number) == text)
    }

    @Test("an effective date not after the latest is refused (A002) unless overridden with a reason")
    func refusesEarlierEffectiveDate() throws {
        let test = try TestStore()
        try test.store.activatePolicy(Self.policy(version: "1", effective: "2026-10-01"), actor: "admin")
        let sameDay = Self.policy(version: "2", effective: "2026-10-01", rate: 13)
        let earlier = Self.policy(version: "3", effective: "2026-09-01", rate: 14)
        #expect(code { try test.store.activatePolicy(sameDay, actor: "admin") } == "A002")
        #expect(code { try test.store.activatePolicy(earlier, actor: "admin") } == "A002")
        #expect(try test.store.policyVersions().count == 1)
        // The same day is a correction more often than a mistake: the message says how to replace the version.
        do {
            try test.store.activatePolicy(sameDay, actor: "admin")
        } catch let error as PolicyStoreError {
            #expect(error.message.contains("To replace version 1 from that same day (to correct it before it takes effect, say), pass "
                + "--force with --reason: of two versions with the same effective date, the one activated later is in force"), "\(error.message)")
        }
        #expect((try? test.store.activatePolicy(earlier, actor: "admin")) == nil)
        // A changed file that kept version 1's label: A002 says that the label is taken too (A004 would come next, and
        // forced it would be stored as a second "version 1"), with the line to write.
        for effective in ["2026-10-01", "2026-09-01"] {
            do {
                try test.store.activatePolicy(Self.policy(version: "1", effective: effective, rate: 13), actor: "admin")
                Issue.record("activated")
            } catch let error as PolicyStoreError {
                #expect(error.code == "A002")
                #expect(error.message.contains(effective == "2026-10-01" ? "say), give it its own label (version = \"1\"  ->  version = 2) and pass --force"
                                                                         : "; its version label is active already too (A004): give it its own (version = \"1\"  ->  version = 2)"),
                        "\(error.message)")
            }
        }
        // A file with its own label is told nothing of labels.
        do {
            try test.store.activatePolicy(earlier, actor: "admin")
        } catch let error as PolicyStoreError {
            #expect(!error.message.contains("label"), "\(error.message)")
        }

        let forced = try test.store.activatePolicy(sameDay, actor: "admin", overrideReason: "更正: 橙色关怀每小时13分")
        #expect(forced.record.number == 2)
        #expect(forced.record.overrideReason == "更正: 橙色关怀每小时13分")
        // Same effective date: the later activation is in force.
        #expect(try test.store.policyVersion(inForceOn: date("2026-10-01"))?.version == "2")
    }

    @Test("a reused version label (A004) and another policy id (A005) are refused unless overridden")
    func refusesReusedVersionAndOtherPolicy() throws {
        let test = try TestStore()
        try test.store.activatePolicy(Self.policy(version: "1", effective: "2026-01-01"), actor: "admin")
        #expect(code { try test.store.activatePolicy(Self.policy(version: "1", effective: "2026-10-01", rate: 9), actor: "admin") } == "A004")
        // The message gives the line to write: the label after the highest, when every label is a number.
        #expect(throws: PolicyStoreError.versionReused(version: "1", number: 1, nextLabel: "2", versionLine: "version = \"1\"")) {
            try test.store.activatePolicy(Self.policy(version: "1", effective: "2026-10-01", rate: 9), actor: "admin")
        }
        // A file saved with CRLF line ends: its line as written too (a CRLF is one Character, neither "\r" nor "\n").
        let windows = Self.policy(version: "1", effective: "2026-10-01", rate: 9).replacingOccurrences(of: "\n", with: "\r\n")
        #expect(throws: PolicyStoreError.versionReused(version: "1", number: 1, nextLabel: "2", versionLine: "version = \"1\"")) {
            try test.store.activatePolicy(windows, actor: "admin")
        }
        #expect(PolicyStoreError.versionReused(version: "1", number: 1, nextLabel: "2", versionLine: "version = \"1\"").message
            == "version \"1\" is active already (#1); give the new version its own label: in the file's [policy] section change\n"
            + "    version = \"1\"  ->  version = 2\n(or pass --force with --reason)")
        #expect(PolicyStoreError.versionReused(version: "秋", number: 1).message
            == "version \"秋\" is active already (#1); give the new version its own label (or pass --force with --reason)")
        #expect(code { try test.store.activatePolicy(Self.policy(id: "other-village", version: "2", effective: "2026-10-01"), actor: "admin") } == "A005")
        let switched = try test.store.activatePolicy(Self.policy(id: "other-village", version: "2", effective: "2026-10-01"),
                                                     actor: "admin", overrideReason: "合并到新政策")
        #expect(switched.record.policyID == "other-village")
    }

    @Test("an unusable reason (A003) or actor (A009) is refused")
    func refusesBadReasonAndActor() throws {
        let test = try TestStore()
        let text = Self.policy(effective: "2026-10-01")
        #expect(code { try test.store.activatePolicy(text, actor: "admin", overrideReason: "  ") } == "A003")
        #expect(code { try test.store.activatePolicy(text, actor: "admin", overrideReason: "line\nbreak") } == "A003")
        #expect(code { try test.store.activatePolicy(text, actor: "admin", overrideReason: String(repeating: "x", count: 501)) } == "A003")
        #expect(code { try test.store.activatePolicy(text, actor: "") } == "A009")
        #expect(try test.store.policyVersions().isEmpty)
    }

    @Test("stored versions are append-only, and a text changed behind the store's back is detected (A007)")
    func appendOnly() throws {
        let test = try TestStore()
        try test.store.activatePolicy(Self.policy(effective: "2026-10-01"), actor: "admin")
        #expect(throws: SQLiteError.self) { try test.store.database.execute("UPDATE policy_versions SET text = 'x'") }
        #expect(throws: SQLiteError.self) { try test.store.database.execute("DELETE FROM policy_versions") }
        // Drop the guard as an attacker with file access could, and change the text.
        try test.store.database.execute("DROP TRIGGER policy_versions_append_only_update")
        try test.store.database.execute("UPDATE policy_versions SET text = replace(text, '12', '99')")
        #expect(code { _ = try test.store.policyText(version: 1) } == "A007")
        #expect(code { _ = try test.store.policyText(version: 2) } == "A008")
    }

    @Test("record.station comparisons are checked against the community's stations")
    func stationsAreChecked() throws {
        let test = try TestStore(stations: ["S1"])
        let text = Self.policy(effective: "2026-10-01") + "\n[bonuses.s]\npoints = 1\nwhen = 'record.station == \"S2\"'\n"
        #expect(code { try test.store.activatePolicy(text, actor: "admin") } == "A001")
        try test.store.activatePolicy(text.replacingOccurrences(of: "\"S2\"", with: "\"S1\""), actor: "admin")
    }

    @Test("a version taking effect on a settled day is refused (A013) with the records that keep their points, unless overridden")
    func effectiveOnSettledDay() throws {
        let test = try TestStore()
        try test.store.activatePolicy(Self.policy(effective: "2026-10-01") + "\n[earning]\nrequire_verifier = false\n", actor: "admin")
        let rows = ["a1,V1,orange,2026-11-02,09:00,10:00", "a2,V2,orange,2026-11-03,09:00,10:00", "a3,V1,orange,2026-11-05,09:00,10:00"]
        let csv = (["id,volunteer,category,date,start,end"] + rows).joined(separator: "\n") + "\n"
        _ = try test.store.importRecords(Array(csv.utf8), fileName: "nov.csv", actor: "importer", today: nil)
        for day in ["2026-11-02", "2026-11-03"] {
            _ = try test.store.settle(SettlementRequest(date: date(day), actor: "nightly", allowOutOfOrder: false, chunkSize: 100))
        }
        let typo = Self.policy(version: "2", effective: "2026-11-01", rate: 15)   // meant 2026-12-01
        do {
            try test.store.activatePolicy(typo, actor: "admin")
            Issue.record("expected A013")
        } catch let error as PolicyStoreError {
            #expect(error.code == "A013")
            #expect(error.category == .refused)
            #expect(error.message.contains("the nightly settlement has closed the days through 2026-11-03 already"), "\(error.message)")
            #expect(error.message.contains("the 2 records of those days posted keep the points version 1 gave them"), "\(error.message)")
            #expect(error.message.contains("write effective = 2026-11-04"), "\(error.message)")
        }
        #expect(try test.store.policyVersions().count == 1)
        // The first day not settled is allowed: a3 (2026-11-05, not settled) will be scored by version 2.
        let next = try #require(PolicyLoader.load(text: Self.policy(version: "2", effective: "2026-11-04", rate: 15), path: "v2").policy)
        #expect(try test.store.settledOverlap(of: next, replacedVersion: "1") == nil)
        // Overridden, it is stored, and the posted records keep what version 1 gave them.
        try test.store.activatePolicy(typo, actor: "admin", overrideReason: "补录: 11月规则更正")
        #expect(try test.store.policyVersions().count == 2)
        #expect(try test.store.storedRecord(id: "a1").posted?.award == 1_200)
    }

    @Test("A013 counts only the settled days a back-dated version would hold, and names every version that scored them")
    func settledOverlapStopsAtALaterVersion() throws {
        let test = try TestStore()
        let open = "\n[earning]\nrequire_verifier = false\n"
        try test.store.activatePolicy(Self.policy(effective: "2026-10-01") + open, actor: "admin")
        let rows = ["a1,V1,orange,2026-11-02,09:00,10:00", "a2,V2,orange,2026-11-03,09:00,10:00",
                    "a3,V1,orange,2026-11-05,09:00,10:00", "a4,V2,orange,2026-11-06,09:00,10:00"]
        let csv = (["id,volunteer,category,date,start,end"] + rows).joined(separator: "\n") + "\n"
        _ = try test.store.importRecords(Array(csv.utf8), fileName: "nov.csv", actor: "importer", today: nil)
        func settle(_ day: String) throws {
            _ = try test.store.settle(SettlementRequest(date: date(day), actor: "nightly", allowOutOfOrder: false, chunkSize: 100))
        }
        try settle("2026-11-02")
        try settle("2026-11-03")
        // Version 2 from 2026-11-03, forced over the settled 3rd: a2 keeps version 1's 12 points; a3 and a4 get its 15.
        try test.store.activatePolicy(Self.policy(version: "2", effective: "2026-11-03", rate: 15) + open, actor: "admin",
                                      overrideReason: "11月起每小时15分")
        for day in ["2026-11-04", "2026-11-05", "2026-11-06"] { try settle(day) }
        #expect(try ["a1", "a2", "a3", "a4"].map { try test.store.storedRecord(id: $0).posted?.award } == [1_200, 1_200, 1_500, 1_500])

        // Version 3 from 2026-11-01, activated now (past A002, forced): version 2 takes over again on 2026-11-03, so version 3
        // would hold only 1 and 2 November, of which the 2nd is settled, with a1 posted by version 1.
        let backDated = try #require(PolicyLoader.load(text: Self.policy(version: "3", effective: "2026-11-01", rate: 20) + open,
                                                       path: "v3").policy)
        let overlap = try #require(try test.store.settledOverlap(of: backDated, replacedVersion: "1"))
        #expect(overlap.lastSettled == date("2026-11-02"))
        #expect(overlap.postedRecords == 1)
        #expect(overlap.scoringVersions == ["1"])
        #expect(overlap.description == "version 3 would take effect on 2026-11-01 and be in force until version 2 takes over on "
            + "2026-11-03, but the nightly settlement has closed the days through 2026-11-02 already: the 1 record of those days "
            + "posted keeps the points version 1 gave it (a posted record is never scored again), and version 3 would score none of them")

        // Version 3 from 2026-11-03, the day version 2 took effect (the later activation wins the tie): it holds from then on,
        // over a2 (scored by version 1 before version 2 was forced) and a3, a4 (scored by version 2).
        let sameDay = try #require(PolicyLoader.load(text: Self.policy(version: "3", effective: "2026-11-03", rate: 20) + open,
                                                     path: "v3").policy)
        let both = try #require(try test.store.settledOverlap(of: sameDay, replacedVersion: "2"))
        #expect(both.lastSettled == date("2026-11-06"))
        #expect(both.postedRecords == 3)
        #expect(both.laterVersion == nil)
        #expect(both.description.contains("the 3 records of those days posted keep the points versions 1 and 2 gave them"),
                "\(both.description)")

        // `policy check --against-active` of the back-dated version: A002 first, and behind it the A013 that --force would
        // go past, so one check says both.
        let backDatedText = Self.policy(version: "3", effective: "2026-11-01", rate: 20) + open
        let preview = try test.store.previewActivation(backDatedText, policy: backDated)
        #expect(preview.refusal?.code == "A002")
        #expect(preview.settledDaysBehindRefusal?.code == "A013")
        #expect(preview.settledDaysBehindRefusal?.message.hasPrefix(overlap.description) == true)
        // A version on days nobody settled has nothing behind its refusal.
        let later = Self.policy(version: "1", effective: "2026-12-01", rate: 20) + open
        let reused = try test.store.previewActivation(later, policy: try #require(PolicyLoader.load(text: later, path: "v").policy))
        #expect(reused.refusal?.code == "A004" && reused.settledDaysBehindRefusal == nil)
    }
}
