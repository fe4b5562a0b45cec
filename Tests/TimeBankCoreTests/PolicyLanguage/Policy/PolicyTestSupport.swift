import Foundation
import Testing
@testable import TimeBankCore

/// Shared helpers for the policy tests: the repository's files (found from this file's path, since
/// test targets cannot rely on the working directory), a minimal header, and short ways to load.
enum PolicyFixtures {
    /// This folder: Tests/TimeBankCoreTests/PolicyLanguage/Policy.
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    /// The repository root, four folders up from this one.
    static let repositoryRoot = folder.deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    /// The golden files: `NAME.toml` (a broken policy) and `NAME.expected` (its rendered diagnostics).
    static let goldenFolder = folder.appendingPathComponent("Golden")

    /// The bytes of a file of the repository, such as `config/policy.toml`.
    static func repositoryFile(_ relativePath: String) throws -> [UInt8] {
        let path = repositoryRoot.appendingPathComponent(relativePath).path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FixtureError(message: "cannot read \(path)")
        }
        return [UInt8](data)
    }

    /// The shipped policies.
    static let configFiles = ["config/policy.toml", "config/examples/xinyi-village.toml", "config/examples/red-account.toml",
                              "config/examples/wangjiang-aixin.toml"]

    /// Loads a shipped policy, which must have no diagnostic at all.
    static func configPolicy(_ relativePath: String) throws -> Policy {
        let result = PolicyLoader.load(bytes: try repositoryFile(relativePath), path: relativePath)
        #expect(result.diagnostics.isEmpty, "\(result.rendered())")
        return try #require(result.policy)
    }

    /// The smallest valid `[policy]` section.
    static let header = "[policy]\nid = \"example\"\nversion = 1\neffective = 2026-10-01\n\n"

    /// A category so that a policy has something to score.
    static let orange = "[categories.orange]\nlabel = \"橙色关怀\"\npoints_per_hour = 12\n\n"

    /// Loads `text` as it is.
    static func load(_ text: String, path: String = "policy.toml") -> PolicyLoadResult {
        PolicyLoader.load(text: text, path: path)
    }

    /// The ids of the diagnostics in source order.
    static func ids(_ result: PolicyLoadResult) -> [String] {
        result.diagnostics.map(\.id)
    }

    /// The file text a diagnostic's range covers.
    static func spanText(_ result: PolicyLoadResult, _ diagnostic: Diagnostic) -> String {
        let bytes = Array(result.source.utf8)
        return String(decoding: bytes[diagnostic.range.start.offset..<diagnostic.range.end.offset], as: UTF8.self)
    }

    struct FixtureError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }
}
