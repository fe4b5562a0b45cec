import Foundation
import Testing
@testable import TimeBankCore

/// Broken policies checked against their full rendered diagnostics, character for character.
///
/// Each `Golden/NAME.toml` has its expected output in `Golden/NAME.expected`. After a deliberate
/// change to a message, re-record with `TIMEBANK_RECORD_GOLDEN=1 swift test --filter PolicyGolden`
/// and review the diff; without the variable a difference is a failure, never a silent update.
@Suite("Policy golden diagnostics")
struct PolicyGoldenTests {
    static let names: [String] = {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: PolicyFixtures.goldenFolder.path)) ?? []
        return files.filter { $0.hasSuffix(".toml") }.map { String($0.dropLast(5)) }.sorted()
    }()

    static var isRecording: Bool { ProcessInfo.processInfo.environment["TIMEBANK_RECORD_GOLDEN"] == "1" }

    @Test("there are at least 40 broken policies, each with an error")
    func enoughCases() throws {
        #expect(Self.names.count >= 40)
        var broken = 0
        for name in Self.names {
            let bytes = try #require(FileManager.default.contents(atPath: PolicyFixtures.goldenFolder.appendingPathComponent(name + ".toml").path))
            if PolicyLoader.load(bytes: [UInt8](bytes), path: name + ".toml").hasErrors { broken += 1 }
        }
        #expect(broken >= 40)
    }

    @Test("the rendered diagnostics match the golden file", arguments: names)
    func golden(_ name: String) throws {
        let input = PolicyFixtures.goldenFolder.appendingPathComponent(name + ".toml")
        let expectedFile = PolicyFixtures.goldenFolder.appendingPathComponent(name + ".expected")
        let bytes = try #require(FileManager.default.contents(atPath: input.path))
        let result = PolicyLoader.load(bytes: [UInt8](bytes), path: name + ".toml")
        let rendered = result.rendered()
        #expect(!result.diagnostics.isEmpty, "a golden policy must have something to report")
        if Self.isRecording {
            try rendered.write(to: expectedFile, atomically: true, encoding: .utf8)
            print("recorded \(expectedFile.lastPathComponent)")
            return
        }
        guard let expectedData = FileManager.default.contents(atPath: expectedFile.path) else {
            Issue.record("no \(expectedFile.lastPathComponent); record it with TIMEBANK_RECORD_GOLDEN=1 and review it")
            return
        }
        let expected = String(decoding: expectedData, as: UTF8.self)
        #expect(rendered == expected, "\(name): rendered diagnostics differ from the golden file:\n\(rendered)")
    }
}
