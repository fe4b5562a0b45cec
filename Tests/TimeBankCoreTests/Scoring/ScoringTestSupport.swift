import Foundation
import Testing
@testable import TimeBankCore

/// Short ways to build policies, records and runs for the scoring tests.
enum ScoringFixtures {
    /// The repository root, four folders up from this file (Tests/TimeBankCoreTests/Scoring/).
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Loads a policy text; the test fails when it has errors.
    static func policy(_ text: String, path: String = "test.toml") throws -> Policy {
        let result = PolicyLoader.load(text: text, path: path)
        guard let policy = result.policy else {
            Issue.record("the test policy has errors:\n\(result.rendered())")
            throw FixtureError(message: "policy has errors")
        }
        return policy
    }

    /// A shipped policy such as `config/policy.toml`.
    static func configPolicy(_ relativePath: String) throws -> Policy {
        let data = try #require(FileManager.default.contents(atPath: repositoryRoot.appendingPathComponent(relativePath).path))
        return try policy(String(decoding: data, as: UTF8.self), path: relativePath)
    }

    /// A minimal policy: a header, then `body`.
    static func policy(effective: String = "2026-10-01", version: String = "1", body: String) throws -> Policy {
        try policy("[policy]\nid = \"test\"\nversion = \(version)\neffective = \(effective)\n\n" + body)
    }

    static func scorer(_ policies: Policy..., community: CommunityDirectory? = nil, explain: Bool = true) -> Scorer {
        Scorer(timeline: PolicyTimeline(policies.enumerated().map { .init(label: "v\($0.offset + 1)", policy: $0.element) }),
               community: community, options: ScoringOptions(explain: explain))
    }

    /// `later` scored on a night after `earlier` was scored and posted (its scores in the history), by `scorer`.
    static func nightAfter(_ scorer: Scorer, posted earlier: [Record], then later: [Record]) throws -> ScoringRun {
        var history = InMemoryScoringHistory()
        history.record(try scorer.score(earlier))
        return try scorer.score(later, history: history)
    }

    /// A service record; times as "HH:MM".
    static func service(
        _ id: String, _ volunteer: String = "V1", _ category: String, _ date: String, _ start: String? = nil,
        _ end: String? = nil, minutes: Int? = nil, verifier: String? = "社区", level: ResponseLevel? = nil,
        rating: Int? = nil, tags: [String] = []
    ) -> Record {
        let startTime = start.flatMap { TimeOfDay(parsing: $0) }
        let endTime = end.flatMap { TimeOfDay(parsing: $0) }
        let length = minutes ?? ((endTime?.minutesSinceMidnight ?? 0) - (startTime?.minutesSinceMidnight ?? 0))
        return .service(ServiceRecord(id: id, volunteer: volunteer, category: category, date: LocalDate(date)!,
                                      start: startTime, end: endTime, minutes: length, verifier: verifier,
                                      responseLevel: level, rating: rating, tags: tags))
    }

    static func assessment(
        _ id: String, volunteer: String? = nil, household: String? = nil, _ indicator: String, period: String,
        result: AssessmentResult = .met, date: String? = nil, verifier: String? = "村委会"
    ) -> Record {
        .assessment(Assessment(id: id, volunteer: volunteer, household: household, indicator: indicator,
                               period: ScoringWindow(label: period)!, result: result, date: date.flatMap { LocalDate($0) },
                               verifier: verifier))
    }

    /// The score of the record with `id`.
    static func score(_ run: ScoringRun, _ id: String) throws -> RecordScore {
        try #require(run.scores.first { run.records[$0.recordIndex].id == id })
    }

    /// Hundredths of a decimal text: "26.5" -> 2650.
    static func points(_ text: String) -> Int64 { Hundredths.parse(text)! }

    struct FixtureError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }
}
