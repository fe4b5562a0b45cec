import Testing
@testable import TimeBankCore

/// `record import --rejects`: each rejected row as written, with its errors in one more column or key.
@Suite("Record rejects file")
struct RecordRejectsFileTests {
    static let unknown = RejectedRow(row: 3, errors: [RecordRowError(.unknownVolunteer, row: 3, column: "volunteer",
                                                                     range: SourceRange(at: SourceLocation(line: 3, column: 4, offset: 0)),
                                                                     message: "no volunteer \"V9\"", help: "did you mean \"V1\"?")])

    @Test("the reasons: code, column, message and help, quoted for CSV")
    func csvRow() {
        #expect(RecordRejectsFile.reasons(Self.unknown) == "E003 volunteer: no volunteer \"V9\" (did you mean \"V1\"?)")
        let header = RecordRejectsFile.header(["id", "volunteer", "category"], format: .csv)
        #expect(header?.line == "id,volunteer,category,rejected_because" && header?.replacingFieldOf == nil)
        #expect(RecordRejectsFile.header(["id"], format: .jsonLines) == nil)
        #expect(RecordRejectsFile.line("r2,V9,\"探访, 老人\"\r\n", row: Self.unknown, format: .csv)
                == "r2,V9,\"探访, 老人\",\"E003 volunteer: no volunteer \"\"V9\"\" (did you mean \"\"V1\"\"?)\"")
    }

    @Test("a rejects file imported again keeps one set of reasons: the header is kept, the old field or key replaced")
    func againKeepsOneSetOfReasons() {
        let again = RecordRejectsFile.header(["id", "volunteer", "rejected_because"], format: .csv)
        #expect(again?.line == "id,volunteer,rejected_because" && again?.replacingFieldOf == 3)
        // Three fields, as many as the header: the last is the old reasons.
        #expect(RecordRejectsFile.line("r2,V9,\"E003 old, reason\"", row: Self.unknown, format: .csv, replacingFieldOf: 3)
                == "r2,V9,\"E003 volunteer: no volunteer \"\"V9\"\" (did you mean \"\"V1\"\"?)\"")
        // A short row keeps its fields.
        #expect(RecordRejectsFile.line("r2,V9", row: Self.unknown, format: .csv, replacingFieldOf: 3).hasPrefix("r2,V9,\"E003"))
        let json = RecordRejectsFile.line("{\"id\": \"r2\", \"rejected_because\": \"old\", \"volunteer\": \"V9\"}", row: Self.unknown, format: .jsonLines)
        #expect(json == "{\"id\": \"r2\", \"volunteer\": \"V9\", \"rejected_because\": \"E003 volunteer: no volunteer \\\"V9\\\" (did you mean \\\"V1\\\"?)\"}")
        #expect(RecordRejectsFile.line("{}", row: Self.unknown, format: .jsonLines).hasPrefix("{\"rejected_because\": \"E003"))
        #expect(RecordRejectsFile.line("not json", row: Self.unknown, format: .jsonLines) == "not json")
    }
}
