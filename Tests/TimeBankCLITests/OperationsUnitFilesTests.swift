import Foundation
import Testing

/// The systemd service and timer that docs/operations.md gives an administrator to copy, checked by systemd's own
/// `systemd-analyze verify` (unknown keys, a bad `OnCalendar=`, a section misspelt) with `ExecStart=` pointed at this
/// repository's `scripts/nightly-settlement`, as if it were installed where the page says. A machine without systemd's
/// tools skips the check and says so.
@Suite("docs/operations.md: the systemd units")
struct OperationsUnitFilesTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let analyzer = "/usr/bin/systemd-analyze"

    /// The `ini` block after the line that names `file` (`/etc/systemd/system/timebank-settlement.service`:).
    static func unit(named file: String, in lines: [String]) throws -> [String] {
        let named = try #require(lines.firstIndex { $0.contains("`/etc/systemd/system/\(file)`") }, "no \(file) in operations.md")
        let opening = try #require(lines[named...].firstIndex { $0 == "```ini" }, "no ini block after \(file)")
        return FencedBlock.read(lines, openingAt: opening).block.body
    }

    @Test func theServiceAndTimerPassSystemdAnalyzeVerify() throws {
        let page = try String(contentsOf: Self.repository.appendingPathComponent("docs/operations.md"), encoding: .utf8)
        let lines = page.components(separatedBy: "\n")
        let service = try Self.unit(named: "timebank-settlement.service", in: lines)
        let timer = try Self.unit(named: "timebank-settlement.timer", in: lines)
        // What the page promises of them, whatever the machine has.
        #expect(service.contains("ExecStart=/usr/local/bin/timebank-nightly-settlement"))
        #expect(service.contains("Type=oneshot"))
        #expect(timer.contains("OnCalendar=*-*-* 00:30:00 Asia/Shanghai"))
        #expect(timer.contains("Persistent=true"))
        guard FileManager.default.isExecutableFile(atPath: Self.analyzer) else {
            print("note: \(Self.analyzer) is not on this machine; the units of docs/operations.md were not verified by systemd")
            return
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("timebank-units-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let script = Self.repository.appendingPathComponent("scripts/nightly-settlement").path
        let installed = service.map { $0 == "ExecStart=/usr/local/bin/timebank-nightly-settlement" ? "ExecStart=\(script)" : $0 }
        try (installed.joined(separator: "\n") + "\n").write(toFile: folder + "/timebank-settlement.service", atomically: true, encoding: .utf8)
        try (timer.joined(separator: "\n") + "\n").write(toFile: folder + "/timebank-settlement.timer", atomically: true, encoding: .utf8)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.analyzer)
        process.arguments = ["verify", "--man=no", folder + "/timebank-settlement.service", folder + "/timebank-settlement.timer"]
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let said = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        // Without a running systemd (a container, CI) verify still parses both units and checks every key and the calendar.
        let problems = said.split(separator: "\n").filter { line in
            !line.contains("Failed to connect to bus") && !line.contains("System has not been booted with systemd")
                && !line.contains("timebank-alert@")   // OnFailure= names a unit each site defines (the page says so)
        }
        #expect(problems.isEmpty, "systemd-analyze verify: \(said)")
    }
}
