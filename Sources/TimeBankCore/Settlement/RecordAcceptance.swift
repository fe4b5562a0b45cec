/// What the nightly settlement does with a pending record: the rules of step 1, pure.
///
/// A pending record dated on or before the settlement date is
/// - **rejected** when no policy version is in force on its date, or the version in force does not know
///   its category (service) or indicator (assessment): no policy could ever score it as it is;
/// - **approved** when it names a verifier, or the version in force does not require one;
/// - **auto-accepted** when it names no verifier, the version requires one and has
///   `auto_accept_after_days = N`, and the settlement date is at least N days after the record's date or, when it was
///   imported later than that date, after the day it was imported: nobody can object to a record before it is in the
///   store, so a record imported late gets the same N days as one imported on its day;
/// - otherwise left **pending** (waiting for a verifier, or for its auto-accept date).
///
///     RecordAcceptance.decide(facts, policy: policy, on: LocalDate("2026-11-21")!)   // .autoAccept(days: 7)
public enum RecordAcceptance {
    /// The facts of a stored record that the decision reads.
    public struct Facts: Sendable, Hashable {
        public var isService: Bool
        /// The category (service) or indicator (assessment).
        public var rule: String
        public var date: LocalDate
        public var hasVerifier: Bool
        /// The day the record was imported, in the community's time zone (nil: not known, taken as its date).
        public var importedOn: LocalDate?

        public init(isService: Bool, rule: String, date: LocalDate, hasVerifier: Bool, importedOn: LocalDate? = nil) {
            self.isService = isService
            self.rule = rule
            self.date = date
            self.hasVerifier = hasVerifier
            self.importedOn = importedOn
        }

        /// The facts of `record`; `hasVerifier` overrides whether it has a verifier (by default, whether it names one).
        public init(_ record: Record, hasVerifier: Bool? = nil, importedOn: LocalDate? = nil) {
            self.init(isService: { if case .service = record { true } else { false } }(), rule: record.ruleSubject, date: record.date,
                      hasVerifier: hasVerifier ?? (record.verifier != nil), importedOn: importedOn)
        }

        /// The day from which the days of `auto_accept_after_days` count: the record's date, or the day it was
        /// imported when that is later.
        public var objectionsOpenOn: LocalDate { max(date, importedOn ?? date) }
    }

    /// The first settlement date that accepts a record with these facts on its own, under `auto_accept_after_days = days`.
    public static func autoAcceptDate(_ facts: Facts, days: Int) -> LocalDate {
        facts.objectionsOpenOn.adding(days: days)
    }

    /// What the accept step does with one pending record.
    public enum Decision: Sendable, Hashable {
        case approve
        /// Accepted without a verifier because nobody objected within `days` days.
        case autoAccept(days: Int)
        case reject(reason: String)
        case keepPending(reason: String)
    }

    /// The decision for one record, given the version in force on its date (nil: none) and the settlement date.
    public static func decide(_ facts: Facts, policy: Policy?, on settlementDate: LocalDate) -> Decision {
        guard let policy else {
            return .reject(reason: "no policy version is in force on \(facts.date)")
        }
        if facts.isService, policy.category(facts.rule) == nil {
            return .reject(reason: "category \"\(facts.rule)\" is not in policy version \(policy.version) in force on \(facts.date)")
        }
        if !facts.isService, policy.indicator(facts.rule) == nil {
            return .reject(reason: "indicator \"\(facts.rule)\" is not in policy version \(policy.version) in force on \(facts.date)")
        }
        if facts.hasVerifier || !policy.earning.requireVerifier { return .approve }
        guard let days = policy.earning.autoAcceptAfterDays else {
            return .keepPending(reason: "no verifier: approve it with a verifier (`record approve --verifier NAME`)")
        }
        let acceptOn = autoAcceptDate(facts, days: days)
        if settlementDate >= acceptOn { return .autoAccept(days: days) }
        let late = facts.objectionsOpenOn > facts.date ? " (\(days) days from its import on \(facts.objectionsOpenOn))" : ""
        return .keepPending(reason: "no verifier yet: accepted automatically on \(acceptOn)\(late) unless rejected before")
    }

    /// A record without a verifier that the night accepts on its own (`auto_accept_after_days` of `policy`, the version in
    /// force on its date), as that night scores it: with the auto-accept verifier; `on` is the first night that accepts it
    /// and `countsFrom` the day its days count from. Nil when it names a verifier or no night accepts it on its own. What
    /// `explain` and `score` preview, instead of "stays pending, 0.00".
    public static func previewedAsAutoAccepted(_ record: Record, policy: Policy?, importedOn: LocalDate?)
        -> (record: Record, on: LocalDate, countsFrom: LocalDate)? {
        guard record.verifier == nil, let policy, let days = policy.earning.autoAcceptAfterDays else { return nil }
        let facts = Facts(record, importedOn: importedOn)
        let night = autoAcceptDate(facts, days: days)
        guard case .autoAccept = decide(facts, policy: policy, on: night) else { return nil }
        var accepted = record
        accepted.verifier = autoAcceptVerifier(days: days)
        return (accepted, night, facts.objectionsOpenOn)
    }

    /// What `approval_verifier` says for a record accepted without a verifier.
    public static func autoAcceptVerifier(days: Int) -> String { "auto-accept after \(days) days" }
}
