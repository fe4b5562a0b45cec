import Testing
@testable import TimeBankCore

/// Reading in pieces gives exactly what reading the whole file gives, wherever the pieces are cut:
/// inside a quoted field, between the CR and LF of a CRLF, inside a byte order mark or a Chinese character.
@Suite struct CSVStreamReaderTests {
    /// Files with every feature a cut could break.
    static let samples: [[UInt8]] = [
        Array("id,name\nV0001,王小明\nV0002,李娜\n".utf8),
        Array("a,b\r\nc,d\re,f".utf8),
        Array("id,note\n1,\"王, 小明\"\n2,\"他说\"\"好\"\"\"\n3,\"第一行\n第二行\"\n4,\"CR LF\r\nkept\"\n5,end\n".utf8),
        [0xEF, 0xBB, 0xBF] + Array("id,name\r\n\r\nV1,\"x\"\r\n".utf8),
        Array("\n\na\r\n\r\nb".utf8),
        Array("x\ny\"z,1\n\"a\"b,2\n,\n\"open".utf8),
        Array("a,\"\"\"\",\"\r\"\r\n\"\"\r".utf8),
        [0xEF, 0xBB],
        [],
    ]

    /// Reads `bytes` cut at the given sizes (the last size repeats), collecting rows and errors.
    static func streamed(_ bytes: [UInt8], pieces: [Int]) -> (rows: [CSVRow], errors: [CSVError], texts: [[UInt8]]) {
        var reader = CSVStreamReader()
        var rows: [CSVRow] = [], errors: [CSVError] = [], texts: [[UInt8]] = []
        func take(_ record: CSVStreamRecord, _ text: UnsafeBufferPointer<UInt8>) {
            rows.append(record.row)
            errors += record.errors
            texts.append(Array(text))
        }
        var start = 0, index = 0
        while start < bytes.count {
            let size = max(1, pieces[min(index, pieces.count - 1)])
            let end = min(bytes.count, start + size)
            reader.feed(Array(bytes[start..<end]), each: take)
            start = end
            index += 1
        }
        reader.finish(each: take)
        return (rows, errors, texts)
    }

    @Test("every cut into two pieces, and pieces of one byte, read like the whole file")
    func everyCut() {
        for bytes in Self.samples {
            let whole = CSVReader.parse(bytes)
            for cut in 0...bytes.count {
                let streamed = Self.streamed(bytes, pieces: [cut, bytes.count])
                #expect(streamed.rows == whole.rows, "cut at \(cut) of \(bytes)")
                #expect(streamed.errors == whole.errors, "cut at \(cut) of \(bytes)")
            }
            let bytewise = Self.streamed(bytes, pieces: [1])
            #expect(bytewise.rows == whole.rows && bytewise.errors == whole.errors)
        }
    }

    @Test("each record comes with its bytes as written, from its first field to its line break")
    func recordText() {
        let bytes = Array("id,note\n1,\"第一行\n第二行\"\r\n\n2,x".utf8)
        let streamed = Self.streamed(bytes, pieces: [3])
        #expect(streamed.texts.map { String(decoding: $0, as: UTF8.self) } == ["id,note\n", "1,\"第一行\n第二行\"\r\n", "2,x"])
        #expect(streamed.rows.map(\.line) == [1, 2, 5])
    }

    /// Found by RecordFileMutationTests: a row of 10,000 commas read a byte at a time took 13 s (each piece read the
    /// unfinished record again from its start), and `record import` of a 34 MB file whose second line opens a quote that
    /// never closes took 70 s in 1 MiB pieces against 27 s for the file without it: quadratic in the record's length.
    @Test("a record longer than many pieces is read again a logarithmic number of times, not once per piece")
    func longRecordStaysLinear() {
        let commas = Array(repeating: UInt8(ascii: ","), count: 10_000) + [UInt8(ascii: "\n")]
        let unclosed = Array("id,note\n1,\"".utf8) + Array(repeating: UInt8(ascii: "x"), count: 10_000)
        for bytes in [commas, unclosed] {
            var reader = CSVStreamReader()
            var rows: [CSVRow] = [], errors: [CSVError] = []
            for byte in bytes {
                reader.feed([byte]) { record, _ in rows.append(record.row); errors += record.errors }
            }
            reader.finish { record, _ in rows.append(record.row); errors += record.errors }
            let whole = CSVReader.parse(bytes)
            #expect(rows == whole.rows && errors == whole.errors)
            // Read once per piece, this was about bytes.count² / 2 = 50,000,000.
            #expect(reader.bytesScanned <= 4 * bytes.count, "\(reader.bytesScanned) bytes scanned for a file of \(bytes.count)")
        }
    }

    @Test("quoted fields are marked, so that a value's span can include its quotes")
    func quotedFlags() {
        var flags: [[Bool]] = []
        var reader = CSVStreamReader()
        reader.feed(Array("a,\"b\",c\n".utf8)) { record, _ in flags.append(record.fieldIsQuoted) }
        reader.finish { record, _ in flags.append(record.fieldIsQuoted) }
        #expect(flags == [[false, true, false]])
    }
}

/// The streaming UTF-8 check finds the same first bad byte as the whole-file check, wherever the file is cut.
@Suite struct UTF8StreamCheckTests {
    static let samples: [[UInt8]] = [
        Array("id,name\nV0001,王小明 😀\n".utf8),
        Array("id,name\nV0001,".utf8) + [0xCD, 0xF5, 0xD0, 0xA1, 0x0A],   // GB18030
        Array("王".utf8).dropLast() + Array("x".utf8),                      // a character cut short
        Array("ok 😀".utf8).dropLast(),                                      // cut short by the end of the file
        [0x61, 0x00, 0x62],                                                 // NUL
        [0xE0, 0x80, 0x80],                                                 // overlong
        [0xED, 0xA0, 0x80],                                                 // a surrogate
        [0xF4, 0x90, 0x80, 0x80],                                           // above U+10FFFF
        [0xEF, 0xBB, 0xBF, 0x41],
    ]

    @Test("every cut gives the whole-file answer")
    func everyCut() {
        for bytes in Self.samples {
            let expected = TextEncodingCheck.scanUTF8(bytes, stoppingAtFirstBadByte: true).firstBadOffset
            for cut in 0...bytes.count {
                var check = UTF8StreamCheck()
                check.feed(Array(bytes[..<cut]))
                check.feed(Array(bytes[cut...]))
                check.finish()
                #expect(check.firstBadOffset == expected, "cut at \(cut) of \(bytes)")
            }
            var bytewise = UTF8StreamCheck()
            for byte in bytes { bytewise.feed([byte]) }
            bytewise.finish()
            #expect(bytewise.firstBadOffset == expected)
        }
    }
}

/// A record file read in pieces gives the rows, problems and counts of reading it whole.
@Suite struct RecordFileStreamTests {
    static func rows(_ bytes: [UInt8], fileName: String, piece: Int) throws -> (read: Int, accepted: [Int], rejected: [Int], lines: [Int]) {
        var stream = RecordFileStream(fileName: fileName, context: RecordValidator.Context())
        var accepted: [Int] = [], rejected: [Int] = [], lines: [Int] = []
        func take(_ row: RecordFileStream.Row, _ text: RecordFileStream.RowText) {
            lines.append(text.line)
            switch row {
            case .checked(let input, .accepted): accepted.append(input.row)
            case .checked(let input, _): rejected.append(input.row)
            case .unreadable(let row): rejected.append(row.row)
            }
        }
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + piece)
            try stream.feed(Array(bytes[start..<end]), each: take)
            start = end
        }
        try stream.finish(each: take)
        return (stream.rowsRead, accepted, rejected, lines)
    }

    @Test("CSV and JSON Lines, with a byte order mark, in pieces of 1, 7 and 64 bytes")
    func pieces() throws {
        let csv = [0xEF, 0xBB, 0xBF] + Array("""
            id,volunteer,category,date,minutes,note
            r1,V1,orange,2026-10-03,60,"第一行
            第二行"
            r2,V1,red,2026-10-03,abc,
            ,,,,,
            r3,V2,red,2026-10-04,30,"x"y
            r4,V2,red,2026-10-04,30,a,b

            """.utf8)
        let jsonl = [0xEF, 0xBB, 0xBF] + Array("""
            {"id": "j1", "volunteer": "V1", "category": "orange", "date": "2026-10-03", "minutes": 60}

            {"id": "j2", "volunteer": "V1", "colour": "red"}
            not json
            {"id": "j3", "volunteer": "V2", "category": "red", "date": "2026-10-04", "minutes": 30}
            """.utf8)
        for (bytes, name) in [(csv, "records.csv"), (jsonl, "records.jsonl"), (csv, "records"), (jsonl, "records")] {
            let whole = try RecordFile.read(bytes, fileName: name, context: RecordValidator.Context())
            for piece in [1, 7, 64] {
                let streamed = try Self.rows(bytes, fileName: name, piece: piece)
                #expect(streamed.read == whole.rowsRead)
                #expect(streamed.accepted == whole.accepted.map(\.row), "\(name) in pieces of \(piece)")
                #expect(streamed.rejected == whole.rejected.map(\.row), "\(name) in pieces of \(piece)")
            }
        }
        // Rows 2 and 3 (file lines 2 and 4): a row's text starts on its first line.
        #expect(try Self.rows(csv, fileName: "records.csv", piece: 5).lines.prefix(2) == [2, 4])
    }

    @Test("a byte that is not UTF-8 stops the stream with its offset; the file's start gives the I100 error")
    func notUTF8() throws {
        let good = Array("id,volunteer,category,date,minutes\n".utf8) + Array(repeating: Array("r,V1,red,2026-10-03,60\n".utf8), count: 50).flatMap { $0 }
        let bytes = good + [0xCD, 0xF5, 0x0A]
        var stream = RecordFileStream(fileName: "gbk.csv", context: RecordValidator.Context())
        do {
            try stream.feed(bytes) { _, _ in }
            try stream.finish { _, _ in }
            Issue.record("the stream must stop at the bad byte")
        } catch let stop as RecordFileStream.NotUTF8 {
            #expect(stop.offset == good.count)
            let error = RecordFile.encodingError(prefix: bytes, fileName: "gbk.csv")
            #expect(throws: error) { try RecordFile.read(bytes, fileName: "gbk.csv", context: RecordValidator.Context()) }
        }
    }

    @Test("a file with nothing but blank lines has no header (E040)")
    func noHeader() {
        var stream = RecordFileStream(fileName: "empty.csv", context: RecordValidator.Context())
        #expect(throws: RecordFileError.self) {
            try stream.feed(Array("\n\n".utf8)) { _, _ in }
            try stream.finish { _, _ in }
        }
    }
}
