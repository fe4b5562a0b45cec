/// The canonical bytes of a record's content, hashed to tell "the same record again" (a re-import
/// adds nothing) from "the same id with other content" (reported). Every field is written as
/// `name:length:value` so that no value can be mistaken for another's.
public enum RecordEncoding {
    /// The canonical text of every field of `record`, version-tagged.
    public static func canonicalText(of record: Record) -> String {
        var bytes: [UInt8] = []
        appendCanonicalText(of: record, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the UTF-8 bytes of `canonicalText(of:)` to `bytes`.
    ///
    /// An import hashes one record per row: it writes the text into one reused buffer and hashes the
    /// bytes, with no `String` built on the way (dates, times and numbers are written digit by digit).
    ///
    ///     var bytes: [UInt8] = []
    ///     RecordEncoding.appendCanonicalText(of: record, to: &bytes)
    ///     String(decoding: bytes, as: UTF8.self) == RecordEncoding.canonicalText(of: record)   // always
    public static func appendCanonicalText(of record: Record, to bytes: inout [UInt8]) {
        var writer = CanonicalTextWriter(appendingTo: bytes)
        // Taken out while written, so that writing never copies the caller's buffer.
        bytes = []
        writer.line(atMost: 10) { $0.put("record-v1\n") }
        switch record {
        case .service(let service):
            writer.field("kind", "service")
            writer.field("source", service.source)
            writer.field("id", service.id)
            writer.field("volunteer", service.volunteer)
            writer.field("category", service.category)
            writer.field("date", service.date)
            writer.field("start", service.start)
            writer.field("end", service.end)
            writer.field("minutes", number: service.minutes)
            writer.field("verifier", service.verifier)
            writer.field("response_level", service.responseLevel?.rawValue)
            writer.field("rating", number: service.rating)
            writer.field("tags", number: service.tags.count)
            for tag in service.tags { writer.field("tag", tag) }
            writer.field("station", service.station)
            writer.field("note", service.note)
        case .assessment(let assessment):
            writer.field("kind", "assessment")
            writer.field("source", assessment.source)
            writer.field("id", assessment.id)
            writer.field("volunteer", assessment.volunteer)
            writer.field("household", assessment.household)
            writer.field("indicator", assessment.indicator)
            writer.field("period", assessment.period.label)
            writer.field("result", assessment.result.rawValue)
            writer.field("date", assessment.date)
            writer.field("verifier", assessment.verifier)
            writer.field("note", assessment.note)
        }
        bytes = writer.finish()
    }

    /// SHA-256 of the canonical text, in lowercase hex.
    public static func contentDigest(of record: Record) -> String {
        SHA256.hexHash(utf8: canonicalText(of: record))
    }
}

/// Writes `name:length:value\n` lines (`name:-\n` for an absent value) as UTF-8 bytes.
///
/// Room for a whole line is made at once and the line is written through a pointer, so that no byte
/// is checked on its own: an import writes one record per row, some twenty lines each.
private struct CanonicalTextWriter {
    /// The bytes; those from `count` on are room, not written yet.
    private var bytes: [UInt8]
    private var count: Int

    init(appendingTo bytes: [UInt8]) {
        self.bytes = bytes
        self.count = bytes.count
    }

    /// The bytes written.
    mutating func finish() -> [UInt8] {
        bytes.removeSubrange(count...)
        return bytes
    }

    /// Writes one line of at most `byteCountMax` bytes with `write`.
    mutating func line(atMost byteCountMax: Int, _ write: (inout LineWriter) -> Void) {
        let start = count
        if bytes.count < start + byteCountMax {
            // Room up to the capacity at least: a buffer reused from row to row has room for a record at once.
            // In a new buffer, by half the size at least, so that a record needs few steps.
            let end = max(start + byteCountMax, bytes.capacity, bytes.count + bytes.count / 2)
            bytes.append(contentsOf: repeatElement(0, count: end - bytes.count))
        }
        let written = bytes.withUnsafeMutableBufferPointer { buffer in
            var writer = LineWriter(cursor: buffer.baseAddress! + start)
            write(&writer)
            return writer.cursor - (buffer.baseAddress! + start)
        }
        precondition(written <= byteCountMax, "a canonical line is longer than the room made for it")
        count = start + written
    }

    mutating func field(_ name: StaticString, _ value: String?) {
        guard let value else { return line(atMost: name.utf8CodeUnitCount + 3) { $0.put(name); $0.put(":-\n") } }
        let length = value.utf8.count
        line(atMost: name.utf8CodeUnitCount + length + LineWriter.decimalByteCountMax + 3) { line in
            line.put(name)
            line.put(":")
            line.put(decimal: length)
            line.put(":")
            line.put(utf8: value)
            line.put("\n")
        }
    }

    /// A number as `String(value)` writes it.
    mutating func field(_ name: StaticString, number value: Int?) {
        guard let value else { return line(atMost: name.utf8CodeUnitCount + 3) { $0.put(name); $0.put(":-\n") } }
        line(atMost: name.utf8CodeUnitCount + 2 * LineWriter.decimalByteCountMax + 3) { line in
            line.put(name)
            line.put(":")
            line.put(decimal: LineWriter.decimalByteCount(value))
            line.put(":")
            line.put(decimal: value)
            line.put("\n")
        }
    }

    /// A date as `LocalDate.description` writes it: `YYYY-MM-DD`, ten bytes.
    mutating func field(_ name: StaticString, _ date: LocalDate) {
        line(atMost: name.utf8CodeUnitCount + 15) { line in
            line.put(name)
            line.put(":10:")
            line.put(digits: date.year, count: 4)
            line.put("-")
            line.put(digits: date.month, count: 2)
            line.put("-")
            line.put(digits: date.day, count: 2)
            line.put("\n")
        }
    }

    /// A time as `TimeOfDay.description` writes it: `HH:MM`, five bytes (the hour is at most 24).
    mutating func field(_ name: StaticString, _ time: TimeOfDay?) {
        guard let time else { return line(atMost: name.utf8CodeUnitCount + 3) { $0.put(name); $0.put(":-\n") } }
        line(atMost: name.utf8CodeUnitCount + 9) { line in
            line.put(name)
            line.put(":5:")
            line.put(digits: time.minutesSinceMidnight / 60, count: 2)
            line.put(":")
            line.put(digits: time.minutesSinceMidnight % 60, count: 2)
            line.put("\n")
        }
    }
}

/// Writes bytes at a pointer into room made beforehand (`CanonicalTextWriter.line`).
private struct LineWriter {
    var cursor: UnsafeMutablePointer<UInt8>

    /// The most bytes of an `Int` in decimal: `-9223372036854775808`.
    static let decimalByteCountMax = 20

    mutating func put(_ text: StaticString) {
        cursor.update(from: text.utf8Start, count: text.utf8CodeUnitCount)
        cursor += text.utf8CodeUnitCount
    }

    mutating func put(utf8 text: String) {
        let copied = text.utf8.withContiguousStorageIfAvailable { bytes in
            guard let base = bytes.baseAddress else { return 0 }
            cursor.update(from: base, count: bytes.count)
            return bytes.count
        }
        if let copied {
            cursor += copied
        } else {
            for byte in text.utf8 {
                cursor.pointee = byte
                cursor += 1
            }
        }
    }

    /// The last `count` decimal digits of `value`, as `LocalDate.description` writes them.
    mutating func put(digits value: Int, count: Int) {
        var value = value
        for position in stride(from: count - 1, through: 0, by: -1) {
            cursor[position] = UInt8(48 + value % 10)
            value /= 10
        }
        cursor += count
    }

    /// `value` in decimal, with a minus sign when negative: what `String(value)` writes.
    mutating func put(decimal value: Int) {
        if value < 0 {
            cursor.pointee = UInt8(ascii: "-")
            cursor += 1
        }
        var rest = value.magnitude
        let count = Self.decimalByteCount(rest)
        for position in stride(from: count - 1, through: 0, by: -1) {
            cursor[position] = UInt8(48 + rest % 10)
            rest /= 10
        }
        cursor += count
    }

    /// The bytes of `String(value)`.
    static func decimalByteCount(_ value: Int) -> Int {
        decimalByteCount(value.magnitude) + (value < 0 ? 1 : 0)
    }

    static func decimalByteCount(_ magnitude: UInt) -> Int {
        var count = 1, rest = magnitude
        while rest >= 10 {
            rest /= 10
            count += 1
        }
        return count
    }
}
