import Foundation
import Testing
import TimeBankCore
@testable import TimeBankCLI

@Suite("CLI: opening the store at a path that has none")
struct StoreOpeningCommandTests {
    @Test("a relative path with nothing at it (TIMEBANK_DB set for another folder, a --db typed elsewhere) names the folder it was looked for in and where the path came from; nothing is created")
    func relativePathNamesTheFolder() throws {
        let cli = try CLIHarness()
        let current = FileManager.default.currentDirectoryPath
        let relative = "timebank-no-such-folder-\(UUID().uuidString)/community.sqlite"
        let fromEnvironment = cli.run(["balance", "V1"], environment: ["TIMEBANK_DB": relative])
        #expect(fromEnvironment.exit == 2)
        #expect(fromEnvironment.errors == "error[U001]: no database at \(relative) (TIMEBANK_DB, a path relative to the current folder "
                + "\(current)); create one with `timebank init --db \(relative)` or pass --db\n", "\(fromEnvironment.errors)")
        let fromOption = cli.run(["--db", relative, "balance", "V1"])
        #expect(fromOption.errors.contains("no database at \(relative) (--db, a path relative to the current folder \(current));"),
                "\(fromOption.errors)")
        // An absolute path is said as it is.
        let absolute = cli.folder + "/none.sqlite"
        #expect(cli.run(["--db", absolute, "balance", "V1"]).errors
                == "error[U001]: no database at \(absolute); create one with `timebank init --db \(absolute)` or pass --db\n")
        #expect(!FileManager.default.fileExists(atPath: current + "/" + relative))
    }
}
