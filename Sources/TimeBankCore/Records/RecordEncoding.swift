/// The canonical bytes of a record's content, hashed to tell "the same record again" (a re-import
/// adds nothing) from "the same id with other content" (reported). Every field is written as
/// `name:length:value` so that no value can be mistaken for another's.
public enum RecordEncoding {
    /// The canonical text of every field of `record`, version-tagged.
    public static func canonicalText(of record: Record) -> String {
        var out = "record-v1\n"
        func field(_ name: String, _ value: String?) {
            guard let value else { out += name + ":-\n"; return }
            out += name + ":" + String(value.utf8.count) + ":" + value + "\n"
        }
        switch record {
        case .service(let service):
            field("kind", "service")
            field("source", service.source)
            field("id", service.id)
            field("volunteer", service.volunteer)
            field("category", service.category)
            field("date", service.date.description)
            field("start", service.start?.description)
            field("end", service.end?.description)
            field("minutes", String(service.minutes))
            field("verifier", service.verifier)
            field("response_level", service.responseLevel?.rawValue)
            field("rating", service.rating.map(String.init))
            field("tags", String(service.tags.count))
            for tag in service.tags { field("tag", tag) }
            field("station", service.station)
            field("note", service.note)
        case .assessment(let assessment):
            field("kind", "assessment")
            field("source", assessment.source)
            field("id", assessment.id)
            field("volunteer", assessment.volunteer)
            field("household", assessment.household)
            field("indicator", assessment.indicator)
            field("period", assessment.period.label)
            field("result", assessment.result.rawValue)
            field("date", assessment.date.description)
            field("verifier", assessment.verifier)
            field("note", assessment.note)
        }
        return out
    }

    /// SHA-256 of the canonical text, in lowercase hex.
    public static func contentDigest(of record: Record) -> String {
        SHA256.hexHash(utf8: canonicalText(of: record))
    }
}
