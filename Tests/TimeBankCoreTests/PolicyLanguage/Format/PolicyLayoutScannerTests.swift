import Testing
@testable import TimeBankCore

/// The layout reader: which statement and which element each comment is attached to.
struct PolicyLayoutScannerTests {
    func statements(_ text: String) throws -> [PolicyLayoutStatement] {
        let bytes = Array(text.utf8)
        let decoded = TOMLDecoder.decode(bytes)
        try #require(!decoded.hasErrors)
        var scanner = PolicyLayoutScanner(bytes: bytes, document: decoded.document)
        return try scanner.scanDocument()
    }

    @Test func statementsKeepKeyPartsAsWrittenAndCommentTextAfterTheHash() throws {
        #expect(try statements("# top  \n\n[ a . \"b c\" ]# h\nx . 'y' = 0x1F   #  two spaces kept before, none after  \n") == [
            .comment(" top"),
            .blank,
            .header(keyParts: ["a", "\"b c\""], isArrayOfTables: false, trailingComment: " h"),
            .keyValue(keyParts: ["x", "'y'"], value: .scalar("0x1F"), trailingComment: "  two spaces kept before, none after"),
        ])
    }

    @Test func arrayCommentsAttachToTheLineTheyAreOn() throws {
        let scanned = try statements("a = [ # open\n  1, # one\n  # lead\n  2\n  # close\n]\n")
        let expected = PolicyLayoutArray(
            openingComment: " open",
            items: [
                PolicyLayoutItem(leadingComments: [], keyParts: [], value: .scalar("1"), trailingComment: " one"),
                PolicyLayoutItem(leadingComments: [" lead"], keyParts: [], value: .scalar("2"), trailingComment: nil),
            ],
            closingComments: [" close"])
        #expect(scanned == [.keyValue(keyParts: ["a"], value: .array(expected), trailingComment: nil)])
    }

    @Test func inlineTablesRememberBeingWrittenOverSeveralLines() throws {
        let oneLine = try statements("t = { a = \"\"\"x\ny\"\"\" }\n")
        let several = try statements("t = {\n a = 1 }\n")
        guard case .keyValue(_, .inlineTable(let first), _) = oneLine.first,
              case .keyValue(_, .inlineTable(let second), _) = several.first else {
            Issue.record("not inline tables: \(oneLine) \(several)")
            return
        }
        // A line break inside a string value does not count.
        #expect(!first.isWrittenOverSeveralLines)
        #expect(second.isWrittenOverSeveralLines)
    }

    @Test func aDocumentThatDoesNotMatchTheBytesStopsTheScanWithTheOffset() throws {
        // The scanner trusts the decoder's value ranges; given another file's document it must stop
        // cleanly, never read past the end or guess.
        let document = TOMLDecoder.decode(Array("a = 1\n".utf8)).document
        var scanner = PolicyLayoutScanner(bytes: Array("名 = 1\n\"站\" = 'x'\n".utf8), document: document)
        #expect(throws: PolicyLayoutScanner.Failure(offset: 0)) { try scanner.scanDocument() }
        var second = PolicyLayoutScanner(bytes: Array("a = 1\n\"站\" = 'x'\n".utf8), document: document)
        #expect(throws: PolicyLayoutScanner.Failure(offset: 14)) { try second.scanDocument() }

        let diagnostic = PolicyFormatDiagnostics.layoutUnreadable(at: 14, in: Array("a = 1\n\"站\" = 'x'\n".utf8))
        #expect(diagnostic.id == "F001")
        #expect(diagnostic.range.start == TimeBankCore.SourceLocation(line: 2, column: 7, offset: 14))
        #expect(diagnostic.range.end.offset == 15)
    }
}
