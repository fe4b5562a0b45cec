import Testing
@testable import TimeBankCore

/// Byte samples below were produced with Python's codecs, e.g. `"王小明".encode("gb18030")`.
@Suite struct TextEncodingCheckTests {
    /// "id,name\nV0001,王小明\n" in GB18030: 王 = CD F5, 小 = D0 A1, 明 = C3 F7.
    let gb18030Sample: [UInt8] = [
        0x69, 0x64, 0x2C, 0x6E, 0x61, 0x6D, 0x65, 0x0A,
        0x56, 0x30, 0x30, 0x30, 0x31, 0x2C, 0xCD, 0xF5, 0xD0, 0xA1, 0xC3, 0xF7, 0x0A,
    ]

    private func checkError(_ bytes: [UInt8], fileName: String = "volunteers.csv") throws -> TextEncodingError {
        do {
            try TextEncodingCheck.requireUTF8(bytes, fileName: fileName)
        } catch {
            return error
        }
        Issue.record("expected the bytes to be rejected")
        throw CancellationError()
    }

    @Test func acceptsUTF8WithAndWithoutByteOrderMark() throws {
        let text = Array("id,name\nV0001,王小明\nV0002,Zoë 😀\n".utf8)
        try TextEncodingCheck.requireUTF8(text, fileName: "volunteers.csv")
        try TextEncodingCheck.requireUTF8([0xEF, 0xBB, 0xBF] + text, fileName: "volunteers.csv")
        try TextEncodingCheck.requireUTF8([], fileName: "empty.csv")
        #expect(TextEncodingCheck.startsWithByteOrderMark([0xEF, 0xBB, 0xBF] + text))
        #expect(!TextEncodingCheck.startsWithByteOrderMark(text))
    }

    @Test func gb18030FileNamesTheBadByteTheEncodingAndTheFix() throws {
        let error = try checkError(gb18030Sample)
        #expect(error.likelyEncoding == .gb18030)
        #expect(error.badByte == 0xCD)
        #expect(error.location == SourceLocation(line: 2, column: 7, offset: 14))
        #expect(error.fixCommand == "iconv -f GB18030 -t UTF-8 volunteers.csv > volunteers-utf8.csv")
        #expect(error.message == "volunteers.csv is not UTF-8: byte 0xCD at line 2, column 7 does not start a "
            + "UTF-8 character; the file looks like GB18030/GBK, which Chinese spreadsheet software (Excel, WPS) often saves")
        #expect(error.help == "convert it: iconv -f GB18030 -t UTF-8 volunteers.csv > volunteers-utf8.csv, "
            + "or save it again as \"CSV UTF-8\"")
        #expect(error.description.hasPrefix("volunteers.csv:2:7: error[I100]: volunteers.csv is not UTF-8"))
        #expect(error.diagnostic.id == "I100")
    }

    @Test func aFileThatIsNotASpreadsheetIsSavedFromAnEditor() throws {
        // A cases file or a JSON-lines file is not saved by a spreadsheet: no "CSV UTF-8" there.
        let error = try checkError(gb18030Sample, fileName: "policy.cases.toml")
        #expect(error.message.hasSuffix("the file looks like GB18030/GBK, which Chinese Windows editors often save"))
        #expect(error.help == "convert it: iconv -f GB18030 -t UTF-8 policy.cases.toml > policy.cases-utf8.toml, "
            + "or save it again as UTF-8 (Save As, then Encoding: UTF-8)")
    }

    @Test func fixCommandUsesTheFileNameGiven() throws {
        #expect(try checkError(gb18030Sample, fileName: "import/户籍.csv").fixCommand
            == "iconv -f GB18030 -t UTF-8 import/户籍.csv > import/户籍-utf8.csv")
        #expect(try checkError(gb18030Sample, fileName: "my households.csv").fixCommand
            == "iconv -f GB18030 -t UTF-8 'my households.csv' > 'my households-utf8.csv'")
    }

    @Test func latin1File() throws {
        // "name,city\nRené,Zürich\n" in ISO-8859-1: é = E9, ü = FC.
        let bytes: [UInt8] = [
            0x6E, 0x61, 0x6D, 0x65, 0x2C, 0x63, 0x69, 0x74, 0x79, 0x0A,
            0x52, 0x65, 0x6E, 0xE9, 0x2C, 0x5A, 0xFC, 0x72, 0x69, 0x63, 0x68, 0x0A,
        ]
        let error = try checkError(bytes, fileName: "stations.csv")
        #expect(error.likelyEncoding == .latin1)
        #expect(error.location == SourceLocation(line: 2, column: 4, offset: 13))
        #expect(error.fixCommand == "iconv -f ISO-8859-1 -t UTF-8 stations.csv > stations-utf8.csv")
    }

    @Test func utf16WithByteOrderMark() throws {
        // "id\n" as Python's "utf-16" codec writes it: FF FE, then little-endian units.
        let error = try checkError([0xFF, 0xFE, 0x69, 0x00, 0x64, 0x00, 0x0A, 0x00], fileName: "teams.csv")
        #expect(error.likelyEncoding == .utf16WithByteOrderMark)
        #expect(error.location == SourceLocation(line: 1, column: 1, offset: 0))
        #expect(error.badByte == 0xFF)
        #expect(error.fixCommand == "iconv -f UTF-16 -t UTF-8 teams.csv > teams-utf8.csv")
    }

    @Test func utf16WithoutByteOrderMarkIsToldByItsNULs() throws {
        // "id,名\n": 名 is U+540D.
        let littleEndian: [UInt8] = [0x69, 0x00, 0x64, 0x00, 0x2C, 0x00, 0x0D, 0x54, 0x0A, 0x00]
        let bigEndian: [UInt8] = [0x00, 0x69, 0x00, 0x64, 0x00, 0x2C, 0x54, 0x0D, 0x00, 0x0A]
        let little = try checkError(littleEndian)
        #expect(little.likelyEncoding == .utf16LittleEndian)
        #expect(little.location == SourceLocation(line: 1, column: 2, offset: 1))
        #expect(little.fixCommand == "iconv -f UTF-16LE -t UTF-8 volunteers.csv > volunteers-utf8.csv")
        let big = try checkError(bigEndian)
        #expect(big.likelyEncoding == .utf16BigEndian)
        #expect(big.fixCommand == "iconv -f UTF-16BE -t UTF-8 volunteers.csv > volunteers-utf8.csv")
    }

    @Test func mostlyUTF8WithOneBadByteIsDamagedNotAnotherEncoding() throws {
        var bytes = Array("赵敏,周杰伦\n志愿者,王小明\n李娜,张建国\n".utf8)
        // "赵敏,周杰伦\n" is 17 bytes and "志愿者,王小明\n" 20, so 李 starts at offset 37.
        bytes[38] = UInt8(ascii: "A")
        let error = try checkError(bytes)
        #expect(error.likelyEncoding == .damagedUTF8)
        #expect(error.location == SourceLocation(line: 3, column: 1, offset: 37))
        #expect(error.badByte == 0xE6)
        #expect(error.fixCommand == nil)
        #expect(error.help.contains("export the file again as UTF-8"))
    }

    @Test func nulByteInTextIsRejected() throws {
        let error = try checkError(Array("id,name\nV0001,A".utf8) + [0x00] + Array("B\n".utf8))
        #expect(error.likelyEncoding == .damagedUTF8)
        #expect(error.location == SourceLocation(line: 2, column: 8, offset: 15))
        #expect(error.message == "volunteers.csv is not a text file: it holds a NUL byte (0x00) at line 2, column 8")
    }

    @Test func locationCountsCRLFAsOneLineBreakAndSkipsTheByteOrderMark() {
        let withMark: [UInt8] = [0xEF, 0xBB, 0xBF, 0x61, 0x2C, 0xFF]
        #expect(TextEncodingCheck.location(ofOffset: 5, in: withMark) == SourceLocation(line: 1, column: 3, offset: 5))
        let crlf = Array("a\r\nb\r\n".utf8) + [0xFF]
        #expect(TextEncodingCheck.location(ofOffset: 6, in: crlf) == SourceLocation(line: 3, column: 1, offset: 6))
    }

    @Test(arguments: [
        ([0xC0, 0x80] as [UInt8], 0),          // overlong NUL
        ([0x61, 0xE0, 0x80, 0x80], 1),         // overlong three-byte form
        ([0x61, 0xED, 0xA0, 0x80], 1),         // UTF-16 surrogate D800
        ([0xF4, 0x90, 0x80, 0x80], 0),         // above U+10FFFF
        ([0x61, 0x62, 0xE4, 0xB8], 2),         // cut off at the end
        ([0x80], 0),                           // stray continuation byte
        ([0xE4, 0xB8, 0xAD, 0xF5], 3),         // F5 never appears in UTF-8
    ])
    func strictValidationFindsTheFirstBadByte(bytes: [UInt8], badOffset: Int) {
        #expect(TextEncodingCheck.scanUTF8(bytes, stoppingAtFirstBadByte: true).firstBadOffset == badOffset)
    }

    @Test func longestValidFormsPass() {
        // U+07FF, U+FFFF, U+10FFFF and U+E000 (just past the surrogates).
        let bytes: [UInt8] = [0xDF, 0xBF, 0xEF, 0xBF, 0xBF, 0xF4, 0x8F, 0xBF, 0xBF, 0xEE, 0x80, 0x80]
        #expect(TextEncodingCheck.scanUTF8(bytes, stoppingAtFirstBadByte: true).firstBadOffset == nil)
    }

    @Test func gb18030GuessNeedsPairedHighBytes() {
        // "Müller" in Latin-1 has FC 6C, a valid GBK pair, but a lone one with a low trail byte.
        #expect(!TextEncodingCheck.looksLikeGB18030(Array("M\u{FC}ller".unicodeScalars.map { UInt8($0.value) })[...]))
        // 张建国户 in GB18030: D5 C5 BD A8 B9 FA BB A7, and a four-byte sequence 81 30 81 30.
        #expect(TextEncodingCheck.looksLikeGB18030([0xD5, 0xC5, 0xBD, 0xA8, 0xB9, 0xFA, 0xBB, 0xA7, 0x81, 0x30, 0x81, 0x30][...]))
    }

    @Test func convertedFileNames() {
        #expect(TextEncodingCheck.convertedFileName(for: "input.csv") == "input-utf8.csv")
        #expect(TextEncodingCheck.convertedFileName(for: "data.v2/input") == "data.v2/input-utf8")
        #expect(TextEncodingCheck.convertedFileName(for: ".hidden") == ".hidden-utf8")
        #expect(ShellWord.quoted("it's.csv") == "'it'\\''s.csv'")
        #expect(ShellWord.quoted("志愿者.csv") == "志愿者.csv")
    }

    @Test func spreadsheetWorkbooksAreNamedAndNotConvertedByIconv() throws {
        // An .xlsx is a zip file ("PK" 03 04 ...); an .xls an OLE2 file. Neither is text in any encoding.
        let xlsx: [UInt8] = [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00] + Array(repeating: 0x41, count: 40)
        let xls: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + Array(repeating: 0, count: 40)
        for (bytes, name) in [(xlsx, "october.xlsx"), (xls, "october.csv")] {
            let error = try checkError(bytes, fileName: name)
            #expect(error.likelyEncoding == .spreadsheetWorkbook)
            #expect(error.fixCommand == nil)
            #expect(error.message == "\(name) is a spreadsheet workbook (such as an Excel .xlsx or .xls file), not a text file")
            #expect(error.help.contains("Save As, type \"CSV UTF-8"))
        }
    }

    @Test func binaryDataIsNotCalledUTF16() throws {
        // The start of a program: NUL bytes at even and odd offsets alike, which UTF-16 text never has.
        var bytes: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00]
        for index in 0..<120 { bytes.append(index % 3 == 0 ? UInt8(index) : 0) }
        let error = try checkError(bytes, fileName: "records.csv")
        #expect(error.likelyEncoding == .binary)
        #expect(error.fixCommand == nil)
        #expect(error.message.hasPrefix("records.csv is not a text file: it holds binary data"))
    }
}
