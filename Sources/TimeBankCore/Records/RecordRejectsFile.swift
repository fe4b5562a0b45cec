/// The rejected rows of a record import written back as a file the team leader can fix and send again
/// (`record import --rejects FILE`): the rows exactly as they were written, each with one more column, `rejected_because`,
/// holding the errors. The import ignores that column (CSV) or key (JSON Lines), so the fixed file imports as it is:
/// rows put right are stored, rows still wrong are rejected again with their new reasons.
public enum RecordRejectsFile {
    /// The column (CSV) or key (JSON Lines) that carries the reasons, and that the import reads past.
    public static let column = "rejected_because"

    /// `E003 volunteer: no volunteer "V9" (did you mean "V1"?); E010 start: …`: every error of the row, with its help.
    public static func reasons(_ row: RejectedRow) -> String {
        row.errors.map { error in
            error.id + (error.column.isEmpty ? "" : " " + error.column) + ": " + error.message + (error.help.map { " (\($0))" } ?? "")
        }.joined(separator: "; ")
    }

    /// The first line of the file: a CSV's header row (its fields as the import read them) with the column added, and,
    /// when the header ends with the column already (a rejects file imported again), its field count: each row's last
    /// field then holds the old reasons, which `line` replaces. Nil for JSON Lines, whose lines carry their own keys.
    public static func header(_ fields: [String], format: RecordFileFormat) -> (line: String, replacingFieldOf: Int?)? {
        guard format == .csv else { return nil }
        let line = fields.map(ReportTable.csvField).joined(separator: ",")
        if fields.last == column { return (line, fields.count) }
        return (line + "," + column, nil)
    }

    /// One rejected row as written, with its reasons added: a CSV row gains a last field; a JSON object gains the key. A
    /// rejects file imported again keeps one set of reasons: in a CSV whose header ended with the column
    /// (`replacingFieldOf`: the header's field count), a row with that many fields has its last one replaced; a JSON
    /// object's earlier key is removed. A line that is not a JSON object is written as it was.
    public static func line(_ text: String, row: RejectedRow, format: RecordFileFormat, replacingFieldOf headerFields: Int? = nil) -> String {
        var content = Substring(text)
        while let last = content.last, last == "\n" || last == "\r" || last == "\r\n" { content.removeLast() }
        let reasons = Self.reasons(row)
        switch format {
        case .csv:
            if let headerFields, let (count, comma) = lastFieldStart(content), count == headerFields, let comma { content = content[..<comma] }
            return content + "," + ReportTable.csvField(reasons)
        case .jsonLines:
            var bytes = Array(content.utf8)
            guard case .success(let members) = JSONLineParser.parseObject(bytes, line: 1, lineOffset: 0) else { return String(content) }
            // The reasons of an earlier import (a rejects file sent again) make way for the new ones.
            if let earlier = members.first(where: { $0.key == column }) {
                bytes.removeSubrange(memberSpan(earlier, in: bytes))
            }
            guard let close = bytes.lastIndex(of: UInt8(ascii: "}")) else { return String(content) }
            let before = bytes[..<close].last { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }
            let added = (before == UInt8(ascii: "{") ? "" : ", ") + JSONText.quote(column) + ": " + JSONText.quote(reasons)
            bytes.insert(contentsOf: Array(added.utf8), at: close)
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    /// The bytes of a member of a JSON object (`"key": value`) with the comma that joins it to its neighbour.
    static func memberSpan(_ member: JSONLineParser.Member, in bytes: [UInt8]) -> Range<Int> {
        func isSpace(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        var start = member.keyRange.start.offset, end = member.range.end.offset
        var after = end
        while after < bytes.count, isSpace(bytes[after]) { after += 1 }
        if after < bytes.count, bytes[after] == UInt8(ascii: ",") {
            end = after + 1
            while end < bytes.count, isSpace(bytes[end]) { end += 1 }
        } else {
            var before = start - 1
            while before >= 0, isSpace(bytes[before]) { before -= 1 }
            if before >= 0, bytes[before] == UInt8(ascii: ",") { start = before }
        }
        return start..<end
    }

    /// How many fields a CSV row has, and where its last field starts (the index of the comma before it; nil for one
    /// field), reading quotes.
    static func lastFieldStart(_ row: Substring) -> (count: Int, comma: Substring.Index?)? {
        var quoted = false, last: Substring.Index?, count = 1
        var index = row.startIndex
        while index < row.endIndex {
            let character = row[index]
            if character == "\"" {
                quoted.toggle()
            } else if character == ",", !quoted {
                last = index
                count += 1
            }
            index = row.index(after: index)
        }
        return (count, last)
    }
}
