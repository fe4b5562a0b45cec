import TimeBankCore

extension TimeBankStore {
    /// The stored record a person names the way a passbook or a report shows it, for `explain` and `record show`.
    ///
    /// A resident disputing a passbook line has the line's entry number and its memo (`橙色关怀 60 min · default:pv-33`),
    /// not the bare id, so besides the id (`pv-33`, with `source` when several sources use it) this reads:
    /// - `SOURCE:ID` (`default:pv-33`), as award memos and `report rejects` write a record;
    /// - `record:SOURCE:ID:award` (or `:penalty`), the key its entry was posted under;
    /// - an entry number (`3028`, `#3028`, `number:3028`, full-width too) of the entry that posted the record's award or
    ///   penalty, or of the reversal of one.
    ///
    /// A stored id is read as an id first, so a record whose id is `3028` is that record. Throws what
    /// `storedRecord(id:source:)` throws (E100, E101) when nothing else fits, and L023 for an entry that posted no
    /// record's points.
    public func storedRecord(named reference: String, source: String? = nil) throws -> StoredRecord {
        let notFound: RecordStoreError
        do {
            return try storedRecord(id: reference, source: source)
        } catch let error as RecordStoreError {
            guard case .noSuchRecord = error else { throw error }
            notFound = error
        }
        if source == nil, let found = try recordNamedBySourceAndID(reference) { return found }
        let digits = reference.hasPrefix("#") || reference.hasPrefix("＃") ? String(reference.dropFirst()) : reference
        if let number = StationReference.explicitNumber(in: reference) ?? StationReference.number(in: digits, letter: nil),
           let entry = try entry(sequence: number) {
            let original = try entry.reverses.flatMap { try self.entry(sequence: $0) }
            for key in [entry.key, original?.key].compactMap({ $0 }) where key.hasPrefix(EngineKey.record.prefix) {
                if let found = try recordNamedBySourceAndID(String(key.dropFirst(EngineKey.record.prefix.count))) {
                    // With --source, an entry of another source's record is not the record asked for.
                    guard source == nil || found.record.source == source else { throw notFound }
                    return found
                }
            }
            // A bare number is first a record id (apps export numeric ids): say that none has it, then what the entry is.
            throw LedgerError.entryPostedNoRecord(sequence: number, kind: entry.kind, memo: entry.memo,
                                                  noRecordWithID: !reference.hasPrefix("#") && !reference.hasPrefix("＃"))
        }
        throw notFound
    }

    /// The record `SOURCE:ID` names (also written as its entry's key, `record:SOURCE:ID:award` or `:penalty`), trying each
    /// colon as the split, since an id may hold one; nil when none is stored.
    private func recordNamedBySourceAndID(_ text: String) throws -> StoredRecord? {
        var forms = [Substring(text)]
        if text.hasPrefix(EngineKey.record.prefix) { forms.append(Substring(text).dropFirst(EngineKey.record.prefix.count)) }
        for form in forms {
            for suffix in [":award", ":penalty"] where form.hasSuffix(suffix) && form.count > suffix.count {
                forms.append(form.dropLast(suffix.count))
            }
        }
        for form in forms {
            var index = form.startIndex
            while let colon = form[index...].firstIndex(of: ":") {
                let source = String(form[..<colon]), id = String(form[form.index(after: colon)...])
                if !source.isEmpty, !id.isEmpty,
                   let found = try database.statement("SELECT \(Self.recordColumns) FROM \(Self.recordTables) WHERE r.id = ? AND r.source = ?")
                    .bind(.text(id), .text(source)).first(Self.storedRecord) {
                    return found
                }
                index = form.index(after: colon)
            }
        }
        return nil
    }
}
