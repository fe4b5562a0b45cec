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
        let explicit = StationReference.explicitNumber(in: reference)
        if let number = explicit ?? StationReference.number(in: digits, letter: nil), let entry = try entry(sequence: number) {
            let original = try entry.reverses.flatMap { try self.entry(sequence: $0) }
            if let named = [entry.key, original?.key].compactMap({ $0 }).lazy.compactMap(RecordEntryKey.parse).first {
                // With --source, an entry of another source's record is not the record asked for.
                guard source == nil || named.source == source else { throw notFound }
                return try storedRecord(id: named.id, source: named.source)
            }
            // A bare number is first a record id (apps export numeric ids): say that none has it, then what the entry is.
            throw LedgerError.entryPostedNoRecord(sequence: number, kind: entry.kind, memo: entry.memo,
                                                  noRecordWithID: explicit == nil && digits == reference)
        }
        throw notFound
    }

    /// The record `SOURCE:ID` names (also written as its entry's key, `record:SOURCE:ID:award` or `:penalty`, with or
    /// without `record:`); nil when none is stored. Neither a source nor an id holds a colon (E104).
    func recordNamedBySourceAndID(_ text: String) throws -> StoredRecord? {
        let named: (source: String, id: String)
        if let key = RecordEntryKey.parse(text) ?? RecordEntryKey.parse(EngineKey.record.prefix + text) {
            named = (key.source, key.id)
        } else {
            let bare = text.hasPrefix(EngineKey.record.prefix) ? text.dropFirst(EngineKey.record.prefix.count) : Substring(text)
            let parts = bare.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
            named = (String(parts[0]), String(parts[1]))
        }
        return try database.statement("SELECT \(Self.recordColumns) FROM \(Self.recordTables) WHERE r.id = ? AND r.source = ?")
            .bind(.text(named.id), .text(named.source)).first(Self.storedRecord)
    }
}
