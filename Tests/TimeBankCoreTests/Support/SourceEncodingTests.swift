import Testing
import TimeBankCore

@Suite("The names --encoding takes")
struct SourceEncodingTests {
    @Test("names and aliases, whatever their case and hyphens; nil for others")
    func names() {
        #expect(SourceEncoding(named: "GB18030") == .gb18030)
        for alias in ["gbk", "GBK", "gb2312", "CP936", "gb-18030", "EUC-CN"] { #expect(SourceEncoding(named: alias) == .gb18030, "\(alias)") }
        #expect(SourceEncoding(named: "utf8") == .utf8 && SourceEncoding(named: "UTF-8") == .utf8)
        #expect(SourceEncoding(named: "utf-16le") == .utf16LittleEndian && SourceEncoding(named: "UTF16BE") == .utf16BigEndian)
        #expect(SourceEncoding(named: "latin-1") == .latin1 && SourceEncoding(named: "ISO-8859-1") == .latin1)
        #expect(SourceEncoding(named: "big5") == nil && SourceEncoding(named: "") == nil)
        for encoding in SourceEncoding.allCases { #expect(SourceEncoding(named: encoding.name) == encoding) }
    }

    @Test("I100's help names --encoding first when a conversion makes the file text, and not for a damaged file")
    func offeringTheOption() throws {
        let gbk = Array("id,name\n1,".utf8) + [0xD5, 0xC5, 0xC8, 0xFD, 0x0A]
        let error = #expect(throws: TextEncodingError.self) { try TextEncodingCheck.requireUTF8(gbk, fileName: "v.csv") }
        let offered = try #require(error).offeringEncodingOption
        #expect(offered.help.hasPrefix("run the command again with --encoding GB18030 to read it as it is, or convert it: iconv -f GB18030"))
        let damaged = Array(String(repeating: "张三,", count: 20).utf8) + [0xFF]
        let other = #expect(throws: TextEncodingError.self) { try TextEncodingCheck.requireUTF8(damaged, fileName: "v.csv") }
        #expect(try #require(other).offeringEncodingOption == other)
    }
}
