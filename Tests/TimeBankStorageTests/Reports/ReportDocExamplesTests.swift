import Foundation
import Testing
import TimeBankCore
@testable import TimeBankStorage

/// The sample outputs docs/reports.md shows are the reports of `ReportFixture`, rendered as the commands print them:
/// each fenced block of the page that begins as a report begins must be that report, whole.
@Suite("docs/reports.md examples")
struct ReportDocExamplesTests {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The contents of every fenced block of the page, with a trailing newline as a command's output has.
    static func blocks() throws -> [String] {
        let page = try String(contentsOf: repository.appendingPathComponent("docs/reports.md"), encoding: .utf8)
        var blocks: [String] = [], current: [String]? = nil
        for line in page.components(separatedBy: "\n") {
            if line.hasPrefix("```") {
                if let open = current { blocks.append(open.joined(separator: "\n") + "\n"); current = nil } else { current = [] }
            } else {
                current?.append(line)
            }
        }
        return blocks
    }

    @Test("each sample (the six reports as text, report stations as CSV and JSON) is what the fixture's report prints")
    func samplesAreTheFixturesReports() throws {
        let fixture = try ReportFixture()
        let store = fixture.store
        let text: [ReportTable] = [
            try store.dailyReport(from: fixture.first, through: fixture.last),
            try store.stationsReport(from: fixture.first, through: fixture.last),
            try store.categoriesReport(from: fixture.first, through: fixture.last),
            try store.rejectsReport(from: fixture.first, through: fixture.last),
            try store.expiringReport(asOf: fixture.last, withinDays: 30),
            try store.rankingReport(from: fixture.first, through: fixture.last, top: 2, by: .hours),
        ]
        let stations = text[1]
        let samples = text.map { $0.rendered(as: .text) } + [stations.rendered(as: .csv), stations.rendered(as: .json)]
        #expect(samples.count == 8)
        let blocks = try Self.blocks()
        for sample in samples {
            // The page's block for this sample is the one that starts with its first line (a title, a CSV header, `{`
            // of the only JSON block); it must be there and equal it.
            let firstLine = String(sample.prefix { $0 != "\n" })
            let candidates = blocks.filter { $0.hasPrefix(firstLine + "\n") }
            #expect(!candidates.isEmpty, "docs/reports.md shows no block beginning \(firstLine)")
            #expect(candidates.contains(sample), "docs/reports.md differs from what the report prints:\n\(sample)")
        }
    }
}
