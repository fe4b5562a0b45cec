import Foundation
import Testing
import TimeBankCore
import TimeBankStorage
@testable import TimeBankCLI

@Suite("Operators' access at the command line")
struct OperatorAccessCommandTests {
    static let receive = ["stock", "receive", "--station", "S1", "--item", "biscuits", "--qty", "5", "--key", "in-1"]

    @Test("operator disable: the next command of the operator is refused (O013, exit 1); a retry writes nothing; enable gives it back")
    func disableThenEnable() throws {
        let cli = try CLIHarness()
        try cli.stations()
        let disabled = try cli.ok(["operator", "disable", "op1", "--reason", "调离兑换站"], CLIHarness.asAdmin)
        #expect(disabled == "Withdrew the access of op1 (张敏): from the next command on, their PIN signs in no more (O013). "
                + "Receipts and entries keep naming op1. `timebank operator enable op1` gives the access back.\n")

        let refused = cli.run(Self.receive, environment: CLIHarness.asOp1)
        #expect(refused.exit == 1)
        #expect(refused.errors == "error[O013]: the access of \"op1\" was withdrawn by admin: op1 may no longer sign in; ask an admin to "
                + "give it back, if it should be (`timebank operator enable op1`); nothing was done\n")
        // A wrong PIN tells nothing more than for an id that does not exist.
        let wrong = cli.run(Self.receive, environment: ["TIMEBANK_OPERATOR": "op1", "TIMEBANK_PIN": "1112"])
        let unknown = cli.run(Self.receive, environment: ["TIMEBANK_OPERATOR": "op9", "TIMEBANK_PIN": "1112"])
        #expect(wrong.exit == 1 && wrong.errors == unknown.errors && wrong.errors.hasPrefix("error[O001]"))

        // Sent again: exit 0, nothing written, and it says since when.
        let again = try cli.ok(["operator", "disable", "op1", "--reason", "调离兑换站"], CLIHarness.asAdmin)
        #expect(again.hasPrefix("The access of op1 (张敏) was withdrawn already, 2027-01-05 "))
        #expect(again.hasSuffix(" (UTC+8) by admin (调离兑换站); nothing was written.\n"))
        #expect(try TimeBankStore(path: cli.databasePath).operatorAccessChanges(of: "op1").count == 1)

        let list = try cli.ok(["operator", "list"])
        #expect(list.contains("op1    张敏    operator  S1       disabled 2027-01-05 by admin: 调离兑换站\n"), "\(list)")
        #expect(list.hasSuffix("4 operators, 1 disabled\n"))
        let json = try cli.ok(["operator", "list", "--json"])
        #expect(json.contains("\"enabled\": false"))
        #expect(json.contains("\"change\": \"disabled\""))

        // A new PIN for a disabled operator: set, and the access stays withdrawn (said so).
        let pin = try cli.ok(["operator", "pin", "--for", "op1"], CLIHarness.asAdmin.merging(["TIMEBANK_NEW_PIN": "4391"]) { $1 })
        #expect(pin == "New PIN set for op1. Its access stays withdrawn: `timebank operator enable op1` gives it back.\n")
        #expect(cli.run(Self.receive, environment: ["TIMEBANK_OPERATOR": "op1", "TIMEBANK_PIN": "4391"]).errors.hasPrefix("error[O013]"))

        let enabled = try cli.ok(["operator", "enable", "op1", "--json"], CLIHarness.asAdmin)
        #expect(enabled.contains("\"changed\": true") && enabled.contains("\"enabled\": true"))
        #expect(cli.run(Self.receive, environment: ["TIMEBANK_OPERATOR": "op1", "TIMEBANK_PIN": "4391"]).exit == 0)
        let enabledAgain = try cli.ok(["operator", "enable", "op1"], CLIHarness.asAdmin)
        #expect(enabledAgain.hasPrefix("op1 (张敏) may sign in already (access given back 2027-01-05 "), "\(enabledAgain)")
        #expect(enabledAgain.hasSuffix("by admin); nothing was written.\n"))
    }

    @Test("operator pin --for and operator add: an unknown or taken id, an unknown station, a non-admin are refused before the new PIN is asked for")
    func pinForCheckedFirst() throws {
        let cli = try CLIHarness()
        try cli.stations()
        // No $TIMEBANK_NEW_PIN and no terminal: before, both were refused only for the missing PIN (O002), after which a
        // person at a terminal would have typed a new PIN twice for nothing.
        let unknown = cli.run(["operator", "pin", "--for", "op9"], environment: CLIHarness.asAdmin)
        #expect(unknown.exit == 2 && unknown.errors == "error[O011]: no operator \"op9\" (timebank operator list)\n", "\(unknown.errors)")
        // An id typed in another case, or in full width, names the operator meant (op9 is as near to op1 as to op2: no guess).
        let cased = cli.run(["operator", "pin", "--for", "OP1"], environment: CLIHarness.asAdmin)
        #expect(cased.exit == 2 && cased.errors == "error[O011]: no operator \"OP1\"; did you mean \"op1\"?\n", "\(cased.errors)")
        let notAdmin = cli.run(["operator", "pin", "--for", "op2"], environment: CLIHarness.asOp1)
        #expect(notAdmin.exit == 1 && notAdmin.errors.hasPrefix("error[O003]: op1 is an operator and may not set another operator's PIN"))
        // operator add likewise: a taken id (O006) or an unknown station (R019) before the new PIN.
        let taken = cli.run(["operator", "add", "--id", "op2", "--name", "刘强", "--role", "operator", "--station", "S2"],
                            environment: CLIHarness.asAdmin)
        #expect(taken.exit == 1 && taken.errors.hasPrefix("error[O006]"), "\(taken.errors)")
        let station = cli.run(["operator", "add", "--id", "op3", "--name", "三", "--role", "operator", "--station", "s1"],
                              environment: CLIHarness.asAdmin)
        #expect(station.exit == 2 && station.errors.hasPrefix("error[R019]"), "\(station.errors)")
        // One's own PIN still needs no admin.
        #expect(cli.run(["operator", "pin"], environment: CLIHarness.asOp1.merging(["TIMEBANK_NEW_PIN": "1212"]) { $1 }).exit == 0)
    }

    @Test("no new PIN and no terminal: O002 names $TIMEBANK_NEW_PIN, not the signer's $TIMEBANK_PIN, which is set")
    func newPINNotGiven() throws {
        let cli = try CLIHarness()
        try cli.stations()
        let expected = "error[O002]: no new PIN for %@: set TIMEBANK_NEW_PIN to it, or run the command in a terminal to type it twice "
            + "(TIMEBANK_PIN is the PIN of whoever signs in; a PIN is never given on the command line); nothing was written\n"
        let added = cli.run(["operator", "add", "--id", "op3", "--name", "三", "--role", "operator", "--station", "S1"],
                            environment: CLIHarness.asAdmin)
        #expect(added.exit == 2 && added.errors == expected.replacingOccurrences(of: "%@", with: "op3"), "\(added.errors)")
        let forOther = cli.run(["operator", "pin", "--for", "op2"], environment: CLIHarness.asAdmin.merging(["TIMEBANK_NEW_PIN": ""]) { $1 })
        #expect(forOther.exit == 2 && forOther.errors == expected.replacingOccurrences(of: "%@", with: "op2"), "\(forOther.errors)")
        let own = cli.run(["operator", "pin"], environment: CLIHarness.asOp1)
        #expect(own.exit == 2 && own.errors == expected.replacingOccurrences(of: "%@", with: "op1"), "\(own.errors)")
        #expect(try TimeBankStore(path: cli.databasePath).operators().map(\.id).contains("op3") == false)
        // The signer's own PIN missing is still the plain O002.
        let noSigner = cli.run(["operator", "pin"], environment: ["TIMEBANK_OPERATOR": "op1", "TIMEBANK_NEW_PIN": "1212"])
        #expect(noSigner.errors.hasPrefix("error[O002]: no PIN: set TIMEBANK_PIN"), "\(noSigner.errors)")
    }

    @Test("refusals: the last admin (O015), one's own access (O014), not an admin (O003), unknown id (O011), bad or missing reason")
    func refusals() throws {
        let cli = try CLIHarness()
        try cli.stations()
        let last = cli.run(["operator", "disable", "admin", "--reason", "leaving"], environment: CLIHarness.asAdmin)
        #expect(last.exit == 1)
        #expect(last.errors.hasPrefix("error[O015]: admin is the last admin who can sign in"))
        #expect(last.errors.hasSuffix("add or enable another admin first; nothing was written\n"))

        try cli.ok(["operator", "add", "--id", "admin2", "--name", "二", "--role", "admin"],
                   CLIHarness.asAdmin.merging(["TIMEBANK_NEW_PIN": "9002"]) { $1 })
        let own = cli.run(["operator", "disable", "admin", "--reason", "leaving"], environment: CLIHarness.asAdmin)
        #expect(own.exit == 1 && own.errors.hasPrefix("error[O014]: admin may not withdraw their own access"))

        let byOperator = cli.run(["operator", "disable", "op2", "--reason", "x"], environment: CLIHarness.asOp1)
        #expect(byOperator.exit == 1)
        #expect(byOperator.errors == "error[O003]: op1 is an operator and may not withdraw or give back an operator's access: only "
                + "an admin may (ask one to do it); nothing was written\n")
        #expect(cli.run(["operator", "enable", "op2"], environment: CLIHarness.asAuditor).exit == 1)

        let unknown = cli.run(["operator", "disable", "op9", "--reason", "x"], environment: CLIHarness.asAdmin)
        #expect(unknown.exit == 2 && unknown.errors.hasPrefix("error[O011]: no operator \"op9\""))
        for (typed, meant) in [("ｏｐ２", "op2"), ("adimn2", "admin2")] {
            let near = cli.run(["operator", "disable", typed, "--reason", "x"], environment: CLIHarness.asAdmin)
            #expect(near.exit == 2 && near.errors == "error[O011]: no operator \"\(typed)\"; did you mean \"\(meant)\"?\n", "\(near.errors)")
            let enable = cli.run(["operator", "enable", typed], environment: CLIHarness.asAdmin)
            #expect(enable.errors.hasPrefix("error[O011]: no operator \"\(typed)\"; did you mean \"\(meant)\"?"), "\(enable.errors)")
        }
        #expect(cli.run(["operator", "disable", "op2"], environment: CLIHarness.asAdmin).errors.hasPrefix("error[U001]: missing --reason"))
        #expect(cli.run(["operator", "disable", "op2", "--reason", " "], environment: CLIHarness.asAdmin).exit == 2)
        let bidi = cli.run(["operator", "disable", "op2", "--reason", "调离\u{202E}站"], environment: CLIHarness.asAdmin)
        #expect(bidi.exit == 2 && bidi.errors.contains("U+202E"))
        #expect(cli.run(["operator", "disable", "--reason", "x"], environment: CLIHarness.asAdmin).exit == 2)
        // Nothing of all that was written.
        #expect(try TimeBankStore(path: cli.databasePath).operatorAccesses().allSatisfy(\.isEnabled))
    }
}
