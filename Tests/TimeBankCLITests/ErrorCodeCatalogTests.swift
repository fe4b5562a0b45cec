import Foundation
import Testing

/// Every error code the engine can give is documented, and every documented code is given or said to be retired.
/// The `--json` contract test checks the codes its scenario meets; this one reads the sources, so that a code added
/// for a case no scenario runs is not left out of docs/errors.md and docs/policy-errors.md.
@Suite("docs/errors.md and docs/policy-errors.md list every error code")
struct ErrorCodeCatalogTests {
    static let root = ScoringCommandTests.repositoryRoot

    /// The codes written as string literals (`"R001"`) in the code, not the comments, of the modules that give errors to
    /// people (the simulation's model names its volunteers `"V999"`, ids and not codes).
    static func codesInSources() throws -> [String: String] {
        var codes: [String: String] = [:]
        for module in ["TimeBankCore", "TimeBankStorage", "TimeBankCLI"] {
            let folder = root + "/Sources/" + module
            let files = try #require(FileManager.default.enumerator(atPath: folder)).compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }
            for file in files.sorted() {
                let text = try String(contentsOfFile: folder + "/" + file, encoding: .utf8)
                for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                    let code = line.drop { $0 == " " }
                    guard !code.hasPrefix("//") else { continue }
                    for match in code.matches(of: /"([A-Z][0-9]{3})"/) where codes[String(match.output.1)] == nil {
                        codes[String(match.output.1)] = "\(module)/\(file):\(number + 1)"
                    }
                }
            }
        }
        return codes
    }

    /// The codes the documentation lists: rows of errors.md's tables (`| R001 | 1 | ... |`) and headings of
    /// policy-errors.md (`### P104: ...`), each with its row or heading.
    static func documentedCodes() throws -> [String: String] {
        var codes: [String: String] = [:]
        let errors = try String(contentsOfFile: root + "/docs/errors.md", encoding: .utf8)
        for line in errors.split(separator: "\n") {
            if let match = line.prefixMatch(of: /\| ([A-Z][0-9]{3}) \|/) { codes[String(match.output.1)] = String(line) }
        }
        let policy = try String(contentsOfFile: root + "/docs/policy-errors.md", encoding: .utf8)
        for line in policy.split(separator: "\n") {
            if let match = line.prefixMatch(of: /### ([A-Z][0-9]{3})[: ]/) { codes[String(match.output.1)] = String(line) }
        }
        return codes
    }

    @Test("every code in the sources has a row in docs/errors.md or a section in docs/policy-errors.md")
    func everyCodeIsDocumented() throws {
        let documented = try Self.documentedCodes()
        let given = try Self.codesInSources()
        #expect(given.count > 300, "the sources were not read: \(given.count) codes")
        for (code, place) in given.sorted(by: { $0.key < $1.key }) where documented[code] == nil {
            Issue.record("\(code) (\(place)) is in neither docs/errors.md nor docs/policy-errors.md")
        }
    }

    @Test("every documented code is given by the sources, or its row says it is retired")
    func everyDocumentedCodeIsGiven() throws {
        let given = try Self.codesInSources()
        for (code, row) in try Self.documentedCodes().sorted(by: { $0.key < $1.key }) where given[code] == nil {
            #expect(row.contains("retired"), "\(code) is documented but no source gives it, and its row does not say it is retired: \(row.prefix(120))")
        }
    }
}
