import Foundation
import Testing

/// `scripts/bench --help` ran every benchmark (some ten minutes, a release build first), and a mistyped option
/// (`--only setle`, `--round 3`) was ignored: the run measured something else than asked, or nothing, without a word.
@Suite("scripts/bench's command line")
struct BenchCommandLineTests {
    /// `timebank-bench`, built beside `timebank` by `swift build` (CI builds it before the tests).
    static var bench: String? {
        BuiltExecutable.path.map { URL(fileURLWithPath: $0).deletingLastPathComponent().appendingPathComponent("timebank-bench").path }
            .flatMap { FileManager.default.isExecutableFile(atPath: $0) ? $0 : nil }
    }

    @Test("--help prints the options and measures nothing; an unknown option or figure is refused with exit 2",
          .enabled(if: bench != nil, "timebank-bench was not built beside the tests (swift build builds it)"))
    func helpAndMistypedOptions() throws {
        let help = try runProcess(Self.bench!, ["--help"])
        #expect(help.status == 0)
        #expect(help.output.hasPrefix("Usage: scripts/bench [OPTIONS]"))
        for option in ["--only", "--rounds", "--settle-rounds", "--settle-records", "--verify-entries", "--keep-files"] {
            #expect(help.output.contains(option), "\(option) is not in --help")
        }
        #expect(!help.output.contains("machine:"), "--help measured the machine")
        let cases: [([String], String)] = [
            (["--only", "setle"], "error: --only setle: no such figure; the figures are commits, batch, verify, policy, redeem, scoring, settle"),
            (["--round", "3"], "error: unknown option --round; did you mean --rounds? (scripts/bench --help)"),
            (["--rounds", "three"], "error: --rounds needs a whole number of 1 or more, not three"),
            (["--rounds"], "error: --rounds needs a whole number of 1 or more"),
            (["settle"], "error: unexpected argument settle; scripts/bench --help lists the options"),
        ]
        for (arguments, message) in cases {
            let run = try runProcess(Self.bench!, arguments)
            #expect(run.status == 2, "\(arguments)")
            #expect(run.errors == message + "\n", "\(arguments)")
            #expect(run.output.isEmpty, "\(arguments) measured something")
        }
    }
}
