import Foundation
import Testing
import TimeBankCore
import TimeBankStorage
@testable import TimeBankCLI

/// Keys typed at the command line: the engine's own prefixes, spaces, and keys that read as numbers.
@Suite("CLI: keys typed at the counter and by the admin")
struct StationKeyCommandTests {
    /// 2026-10-10 10:00 in UTC+8, a station community with 300 points for V1 (born 1956).
    func counter() throws -> CLIHarness {
        let cli = try CLIHarness(now: Timestamp("2026-10-10T02:00:00.000Z")!)
        try cli.stations()
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "300", "--kind", "award", "--key", "a1",
                    "--date", "2026-10-01"], CLIHarness.asAdmin)
        return cli
    }

    @Test("an admin's post or reverse under a key the engine needs (release:B1) is refused with L021; the cancel then works")
    func adminKeyReservedByEngine() throws {
        let cli = try counter()
        try cli.ok(["book", "--station", "S1", "--volunteer", "V1", "--item", "health_check", "--key", "bk-1"], CLIHarness.asOp1)
        let entries = try cli.entryCount()
        let taken = cli.run(["post", "--from", "system:issuance", "--to", "V2", "--points", "1", "--key", "release:B1"],
                            environment: CLIHarness.asAdmin)
        #expect(taken.exit == 2)
        #expect(taken.errors.hasPrefix("error[L021]: the key \"release:B1\" starts with \"release:\""), "\(taken.errors)")
        #expect(taken.errors.contains("cancelled or lapses") && taken.errors.contains("\"fix-release-B1\""))
        let reversal = cli.run(["reverse", "1", "--key", "refund:R1", "--reason", "test"], environment: CLIHarness.asAdmin)
        #expect(reversal.exit == 2 && reversal.errors.hasPrefix("error[L021]"), "\(reversal.errors)")
        #expect(try cli.entryCount() == entries)
        let cancelled = try cli.ok(["cancel", "B1", "--reason", "改期"], CLIHarness.asOp1)
        #expect(cancelled.contains("100.00 points back to volunteer:V1"))
        #expect(try cli.ok(["stock", "verify"]).hasPrefix("OK"))
    }
}
