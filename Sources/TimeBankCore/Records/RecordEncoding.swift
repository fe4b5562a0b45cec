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
    /// bytes, with no `String` built for the whole text.
    ///
    ///     var bytes: [UInt8] = []
    ///     RecordEncoding.appendCanonicalText(of: record, to: &bytes)
    ///     String(decoding: bytes, as: UTF8.self) == RecordEncoding.canonicalText(of: record)   // always
    public static func appendCanonicalText(of record: Record, to bytes: inout [UInt8]) {
        var writer = CanonicalTextWriter(appendingTo: bytes)
        // Taken out while written, so that writing never copies the caller's buffer.
        bytes = []
        writer.put("record-v1\n")
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

/// Writes `name:length:value\n` lines (`name:-\n` for an absent value) as UTF-8 bytes; dates, times and numbers
/// as `LocalDate.description`, `TimeOfDay.description` and `String(Int)` write them.
private struct CanonicalTextWriter {
    private var bytes: [UInt8]

    init(appendingTo bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The bytes written.
    func finish() -> [UInt8] { bytes }

    mutating func put(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    private mutating func absent(_ name: StaticString) {
        put(name)
        put(":-\n")
    }

    mutating func field(_ name: StaticString, _ value: String?) {
        guard var value else { return absent(name) }
        put(name)
        put(":")
        value.withUTF8 { utf8 in
            bytes.appendDecimal(utf8.count)
            put(":")
            bytes.append(contentsOf: utf8)
        }
        put("\n")
    }

    mutating func field(_ name: StaticString, number value: Int?) {
        guard let value else { return absent(name) }
        put(name)
        put(":")
        var length = value < 0 ? 2 : 1, rest = value.magnitude
        while rest >= 10 { rest /= 10; length += 1 }
        bytes.appendDecimal(length)
        put(":")
        bytes.appendDecimal(value)
        put("\n")
    }

    /// `YYYY-MM-DD`, as `LocalDate.description` writes it: ten bytes.
    mutating func field(_ name: StaticString, _ date: LocalDate) {
        put(name)
        put(":10:")
        bytes.appendDigits(date.year, count: 4)
        put("-")
        bytes.appendDigits(date.month, count: 2)
        put("-")
        bytes.appendDigits(date.day, count: 2)
        put("\n")
    }

    /// `HH:MM`, as `TimeOfDay.description` writes it: five bytes.
    mutating func field(_ name: StaticString, _ time: TimeOfDay?) {
        guard let time else { return absent(name) }
        put(name)
        put(":5:")
        bytes.appendDigits(time.minutesSinceMidnight / 60, count: 2)
        put(":")
        bytes.appendDigits(time.minutesSinceMidnight % 60, count: 2)
        put("\n")
    }
}
