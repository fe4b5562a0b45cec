import Foundation
import Testing
import TimeBankCore
@testable import TimeBankStorage

@Suite("Converting imported files to UTF-8 (--encoding)")
struct TextConversionTests {
    /// 张三,社区 in GB18030 (GBK), as Excel's "CSV (逗号分隔)" saves it on a Chinese Windows: 张 D5C5, 三 C8FD, 社 C9E7, 区 C7F8.
    static let gbk: [UInt8] = [0xD5, 0xC5, 0xC8, 0xFD, 0x2C, 0xC9, 0xE7, 0xC7, 0xF8, 0x0A]

    @Test("GB18030, UTF-16 and Latin-1 bytes come out as the UTF-8 of the same text; UTF-8 is left as it is")
    func convertsKnownBytes() throws {
        #expect(try TextConversion.utf8(Self.gbk, from: .gb18030, fileName: "f.csv") == Array("张三,社区\n".utf8))
        // Four-byte GB18030 sequences, which GBK lacks: À is 81 30 86 38, and 😀 (beyond U+FFFF) 94 39 FC 36.
        #expect(try TextConversion.utf8([0x81, 0x30, 0x86, 0x38, 0x94, 0x39, 0xFC, 0x36], from: .gb18030, fileName: "f.csv") == Array("À😀".utf8))
        let utf16: [UInt8] = [0xFF, 0xFE] + Array("id,姓名\n".utf16).flatMap { unit -> [UInt8] in [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        #expect(try TextConversion.utf8(utf16, from: .utf16, fileName: "f.csv") == Array("id,姓名\n".utf8))
        let bigEndian: [UInt8] = Array("id,名\n".utf16).flatMap { unit -> [UInt8] in [UInt8(unit >> 8), UInt8(unit & 0xFF)] }
        #expect(try TextConversion.utf8(bigEndian, from: .utf16BigEndian, fileName: "f.csv") == Array("id,名\n".utf8))
        #expect(try TextConversion.utf8([0x63, 0x61, 0x66, 0xE9], from: .latin1, fileName: "f.csv") == Array("café".utf8))
        #expect(try TextConversion.utf8(Array("张".utf8), from: .utf8, fileName: "f.csv") == Array("张".utf8))
        // Plain ASCII reads the same in GB18030: nothing to refuse.
        #expect(try TextConversion.utf8(Array("id,name\n".utf8), from: .gb18030, fileName: "f.csv") == Array("id,name\n".utf8))
    }

    @Test("a copy made in pieces of any size is the same, characters cut between pieces included")
    func copyInPieces() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("timebank-conversion-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // V0001,张三,社区 and a line break, 50 times, then À as four GB18030 bytes.
        let line: [UInt8] = Array("V0001,".utf8) + [0xD5, 0xC5, 0xC8, 0xFD, 0x2C, 0xC9, 0xE7, 0xC7, 0xF8, 0x0D, 0x0A]
        let bytes = Array([[UInt8]](repeating: line, count: 50).joined()) + [0x81, 0x30, 0x86, 0x38]
        let text = String(repeating: "V0001,张三,社区\r\n", count: 50) + "À"
        let path = folder + "/records.csv"
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        let whole = try TextConversion.utf8(bytes, from: .gb18030, fileName: path)
        for size in [1, 2, 3, 5, 7, 64, 1 << 20] {
            let copy = try TextConversion.utf8Copy(ofFileAt: path, from: .gb18030, fileName: path, chunkByteCount: size)
            defer { try? FileManager.default.removeItem(atPath: copy) }
            #expect([UInt8](try Data(contentsOf: URL(fileURLWithPath: copy))) == whole, "pieces of \(size) bytes")
        }
        #expect(String(decoding: whole, as: UTF8.self) == text)
    }

    @Test("a byte that is no character in the encoding is I108 with its line and column in the converted text")
    func invalidByte() throws {
        // Line 2 is 张三,<0xFF><0x41>: 张三, is three characters, so the bad byte is at column 4.
        let bytes = Array("id,name\n".utf8) + [0xD5, 0xC5, 0xC8, 0xFD, 0x2C, 0xFF, 0x41, 0x0A]
        let error = #expect(throws: TextConversionError.self) { try TextConversion.utf8(bytes, from: .gb18030, fileName: "v.csv") }
        #expect(error?.code == "I108")
        #expect(error?.message.hasPrefix("v.csv:2:4: not GB18030 text: the bytes 0xFF 0x41 at line 2, column 4 (byte 14 of the file)") == true)
        // A character cut off by the end of the file.
        let cut = #expect(throws: TextConversionError.self) { try TextConversion.utf8(Array("id\n".utf8) + [0xD5], from: .gb18030, fileName: "v.csv") }
        #expect(cut?.code == "I108" && cut?.message.contains("the file ends inside a character (bytes 0xD5)") == true)
        // UTF-16 read as GB18030: the help names the encoding it looks like.
        let utf16: [UInt8] = [0xFF, 0xFE] + Array("id,名字\n".utf16).flatMap { unit -> [UInt8] in [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let wrong = #expect(throws: TextConversionError.self) { try TextConversion.utf8(utf16, from: .gb18030, fileName: "v.csv") }
        #expect(wrong?.message.contains("run the command again with --encoding UTF-16") == true)
    }

    @Test("a file that is UTF-8 already is I109: read as GB18030 its names would be other characters")
    func alreadyUTF8() throws {
        for encoding in [SourceEncoding.gb18030, .latin1, .utf16LittleEndian] {
            let error = #expect(throws: TextConversionError.self) {
                try TextConversion.utf8(Array("id,name\n1,张三\n".utf8), from: encoding, fileName: "v.csv")
            }
            #expect(error?.code == "I109", "\(encoding)")
            #expect(error?.message.contains("run the command again without --encoding") == true)
        }
        // Plain ASCII as UTF-16 would be read as other characters too.
        let ascii = #expect(throws: TextConversionError.self) { try TextConversion.utf8(Array("id,name\n".utf8), from: .utf16, fileName: "v.csv") }
        #expect(ascii?.code == "I109")
    }
}
