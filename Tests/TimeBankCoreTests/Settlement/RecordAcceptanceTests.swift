import Testing
@testable import TimeBankCore

/// The accept step's rule for records without a verifier, on config/policy.toml (require_verifier = true,
/// auto_accept_after_days = 7).
@Suite("Record acceptance")
struct RecordAcceptanceTests {
    static func facts(date: String, importedOn: String?, verifier: Bool = false) -> RecordAcceptance.Facts {
        RecordAcceptance.Facts(isService: true, rule: "orange", date: LocalDate(date)!, hasVerifier: verifier,
                               importedOn: importedOn.flatMap { LocalDate($0) })
    }

    @Test("without a verifier, the 7 days count from the service date, or from the import when that is later")
    func daysCountFromTheLaterOfDateAndImport() throws {
        let policy = try ScoringFixtures.configPolicy("config/policy.toml")
        // Imported on its day (or not known): accepted by the night of date + 7.
        for imported in ["2026-11-02", nil] as [String?] {
            let onTime = Self.facts(date: "2026-11-02", importedOn: imported)
            #expect(RecordAcceptance.autoAcceptDate(onTime, days: 7) == LocalDate("2026-11-09")!)
            #expect(RecordAcceptance.decide(onTime, policy: policy, on: LocalDate("2026-11-08")!)
                == .keepPending(reason: "no verifier yet: accepted automatically on 2026-11-09 unless rejected before"))
            #expect(RecordAcceptance.decide(onTime, policy: policy, on: LocalDate("2026-11-09")!) == .autoAccept(days: 7))
        }
        // Imported ten days late: nobody could object before the 12th, so the night of the 19th, not of the 9th.
        let late = Self.facts(date: "2026-11-02", importedOn: "2026-11-12")
        #expect(late.objectionsOpenOn == LocalDate("2026-11-12")!)
        #expect(RecordAcceptance.decide(late, policy: policy, on: LocalDate("2026-11-12")!)
            == .keepPending(reason: "no verifier yet: accepted automatically on 2026-11-19 (7 days from its import on 2026-11-12) unless rejected before"))
        #expect(RecordAcceptance.decide(late, policy: policy, on: LocalDate("2026-11-18")!) != .autoAccept(days: 7))
        #expect(RecordAcceptance.decide(late, policy: policy, on: LocalDate("2026-11-19")!) == .autoAccept(days: 7))
        // Imported before its date (a planned service typed in ahead): its own date still counts.
        #expect(RecordAcceptance.autoAcceptDate(Self.facts(date: "2026-11-02", importedOn: "2026-10-30"), days: 7) == LocalDate("2026-11-09")!)
        // A verifier: approved by its own night, whenever it was imported.
        #expect(RecordAcceptance.decide(Self.facts(date: "2026-11-02", importedOn: "2026-11-12", verifier: true), policy: policy,
                                        on: LocalDate("2026-11-12")!) == .approve)
    }
}
