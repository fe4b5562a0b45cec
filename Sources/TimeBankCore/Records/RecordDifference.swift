/// The fields in which two records under one id differ, for the messages of E015 and E016: a clerk with two versions of
/// `r1` (two team leaders' files, or a corrected export) sees what changed without comparing the rows by hand.
///
///     RecordDifference.fields(stored, row)   // [("end", "19:00", "19:30")]
public enum RecordDifference {
    /// One field that differs: its name as a column is named, and its value in each record ("" when absent).
    public struct Field: Hashable, Sendable {
        public var name: String
        public var first: String
        public var second: String
    }

    /// The fields of `first` and `second` that differ, in column order; a service and an assessment differ in `kind`.
    public static func fields(_ first: Record, _ second: Record) -> [Field] {
        let a = values(first), b = values(second)
        // A service and an assessment share no columns worth comparing: the kind is the difference.
        guard a[0].value == b[0].value else { return [Field(name: "kind", first: a[0].value, second: b[0].value)] }
        return zip(a, b).compactMap { $0.value == $1.value ? nil : Field(name: $0.name, first: $0.value, second: $1.value) }
    }

    /// `column stored VALUE, here VALUE; ...`, at most `shown` fields, for a message.
    public static func summary(_ fields: [Field], firstName: String, secondName: String, shown: Int = 4) -> String {
        func quoted(_ value: String) -> String { value.isEmpty ? "(empty)" : value.count > 40 ? String(value.prefix(40)) + "…" : value }
        let parts = fields.prefix(shown).map { "\($0.name) \(quoted($0.first)) \(firstName), \(quoted($0.second)) \(secondName)" }
        return parts.joined(separator: "; ") + (fields.count > shown ? "; and \(fields.count - shown) more" : "")
    }

    private static func values(_ record: Record) -> [(name: String, value: String)] {
        switch record {
        case .service(let service):
            [("kind", "service"), ("volunteer", service.volunteer), ("category", service.category),
             ("date", service.date.description), ("start", service.start?.description ?? ""),
             ("end", service.end?.description ?? ""), ("minutes", String(service.minutes)), ("verifier", service.verifier ?? ""),
             ("response_level", service.responseLevel?.rawValue ?? ""), ("rating", service.rating.map(String.init) ?? ""),
             ("tags", service.tags.joined(separator: ";")), ("station", service.station ?? ""), ("note", service.note)]
        case .assessment(let assessment):
            [("kind", "assessment"), ("volunteer", assessment.volunteer ?? ""), ("household", assessment.household ?? ""),
             ("indicator", assessment.indicator), ("date", assessment.date.description), ("period", assessment.period.label),
             ("result", assessment.result.rawValue), ("verifier", assessment.verifier ?? ""), ("note", assessment.note)]
        }
    }
}
