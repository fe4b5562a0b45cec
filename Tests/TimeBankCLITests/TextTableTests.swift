import Testing
import TimeBankCore
@testable import TimeBankCLI

@Suite("Text tables")
struct TextTableTests {
    @Test("a cell with a control character or a bidirectional override is escaped before the widths are measured: columns stay in line")
    func escapedCellsKeepColumns() {
        var table = TextTable([("ID", .left), ("Name", .left), ("Role", .left)])
        table.add(["op-1", "张\u{202E}敏", "auditor"])
        table.add(["op-2", "刘强", "admin"])
        table.add(["op-3", "李\u{1B}[2J四", "operator"])
        let lines = table.rendered().split(separator: "\n").map(String.init)
        // Every row's third column starts where the header's does, and nothing the terminal would obey is left in.
        let column = lines[0].range(of: "Role").map { displayWidth(of: String(lines[0][..<$0.lowerBound])) }
        for line in lines.dropFirst(2) {
            let role = ["auditor", "admin", "operator"].compactMap { line.range(of: $0) }.first
            #expect(role.map { displayWidth(of: String(line[..<$0.lowerBound])) } == column, "\(lines)")
        }
        #expect(lines[2] == "op-1  张\\u{202E}敏   auditor", "\(lines)")
        #expect(!lines.joined().unicodeScalars.contains { TerminalText.isUnsafe($0) })
    }
}
