/// Checks the rows of a record file one by one and turns the good ones into `Record` values.
///
/// Each row is checked on its own (fields, ids, dates, times, the category or indicator of the
/// policy in force on its date) and against the rows accepted before it and the records already
/// stored (the same id, overlapping times, a day of more than 24 hours, an indicator assessed twice
/// in one period). A bad row is rejected with every problem found in it; good rows go on.
///
///     var validator = RecordValidator(context: context)
///     for row in rows {
///         switch validator.check(row) {
///         case .accepted(let record): ...
///         case .duplicate(let record, let firstRow): ...   // the same id and content earlier in the file
///         case .rejected(let errors): ...
///         }
///     }
public struct RecordValidator {
    /// What rows are checked against.
    public struct Context {
        /// The source of rows that have no `source` value.
        public var defaultSource: String
        /// The policy versions; categories and indicators must be declared by the version in force
        /// on the record's date. Nil: not checked.
        public var policies: PolicyTimeline?
        /// The community; volunteers, households and stations must exist. Nil: not checked.
        public var community: CommunityDirectory?
        /// Records dated after this day are refused. Nil: not checked.
        public var today: LocalDate?
        /// The records already stored, for the overlap and once-per-period checks. Nil: none.
        public var stored: (any StoredRecordLookup)?
        /// Whether a record dated before every version is refused (E021), as an import must; a dry run
        /// leaves it to the scorer, which reports it as not scored.
        public var requiresPolicyInForce = true
        /// What the store holds of each volunteer (balances, lifetime totals), read when a record is scored alone to see
        /// whether a penalty applies to it (I114): a penalty whose condition reads `volunteer.records_total` is judged
        /// as for this volunteer, not as for a newcomer. Nil: an empty history.
        public var history: (any ScoringHistory)?

        /// Creates a context; by default nothing outside the file is checked.
        public init(
            defaultSource: String = "default", policies: PolicyTimeline? = nil, community: CommunityDirectory? = nil,
            today: LocalDate? = nil, stored: (any StoredRecordLookup)? = nil
        ) {
            self.defaultSource = defaultSource
            self.policies = policies
            self.community = community
            self.today = today
            self.stored = stored
        }
    }

    /// One volunteer on one day.
    public struct VolunteerDay: Hashable, Sendable {
        public var volunteer: String
        public var date: LocalDate
        public init(volunteer: String, date: LocalDate) {
            self.volunteer = volunteer
            self.date = date
        }
    }

    /// A service already stored (or accepted earlier in the file): its times, for overlap checks.
    public struct StoredService: Hashable, Sendable {
        /// `SOURCE:ID` of the record.
        public var reference: String
        public var start: TimeOfDay?
        public var end: TimeOfDay?
        public var minutes: Int
        /// The category, to find the same service typed twice (I111); nil: not known, not compared.
        public var category: String?
        public init(reference: String, start: TimeOfDay?, end: TimeOfDay?, minutes: Int, category: String? = nil) {
            self.reference = reference
            self.start = start
            self.end = end
            self.minutes = minutes
            self.category = category
        }
    }

    /// An indicator in one period for one volunteer or household (`volunteer:V1`, `household:H1`).
    public struct AssessmentSlot: Hashable, Sendable {
        public var target: String
        public var indicator: String
        public var period: ScoringWindow
        public init(target: String, indicator: String, period: ScoringWindow) {
            self.target = target
            self.indicator = indicator
            self.period = period
        }
    }

    /// An assessment stored for a period (not rejected, not withdrawn), with what decides whose account its points go to.
    public struct StoredAssessment: Hashable, Sendable {
        /// `SOURCE:ID` of the record.
        public var reference: String
        /// Whom it names: `volunteer:V1`, or `household:H1` when it names no volunteer.
        public var target: String
        public var indicator: String
        /// The household the row gave beside its volunteer (the volunteer's, E025); nil when none.
        public var household: String?
        /// The day it counts on, whose version in force says where its points go; nil: not known, not compared by household.
        public var date: LocalDate?
        /// The account it was posted to (`household:H1`), once posted; nil when not posted.
        public var postedAccount: String?
        public init(reference: String, target: String, indicator: String, household: String? = nil, date: LocalDate? = nil,
                    postedAccount: String? = nil) {
            self.reference = reference
            self.target = target
            self.indicator = indicator
            self.household = household
            self.date = date
            self.postedAccount = postedAccount
        }
    }

    /// What checking one row gave.
    public enum Outcome: Sendable, Hashable {
        /// The row is a good record, new in this file; with the slips it may hold (I110, I111, I112), which do not refuse it.
        case accepted(Record, warnings: [RecordRowWarning] = [])
        /// The same id with the same content appeared earlier in the file, at `firstRow`.
        case duplicate(Record, firstRow: Int)
        /// The row is bad; every problem found in it.
        case rejected([RecordRowError])
    }

    /// The most characters of a note.
    public static let noteLengthMaximum = 500
    /// The most characters of a verifier's name or a tag.
    public static let nameLengthMaximum = 64
    /// The most tags on one record.
    public static let tagCountMaximum = 20

    public let context: Context
    /// Accepted ids in this file: `SOURCE:ID` -> (row, record).
    private var seen: [String: (row: Int, record: Record)] = [:]
    /// Services accepted in this file, with the stored ones of the same days (loaded once per day).
    private var services: [VolunteerDay: [StoredService]] = [:]
    private var loadedDays: Set<LocalDate> = []
    /// The day loaded last: rows usually come day by day, and this spares hashing the day for each.
    private var lastLoadedDay: LocalDate?
    private var assessments: [AssessmentSlot: String] = [:]
    /// The assessments whose points go to a household's account (a household's own, or a member's under
    /// `earn_to = "household"`), by `household:H` slot: the scorer counts an indicator once per account and period, so a
    /// second one of the household gives nothing whoever it names. The value: the record and whom it names.
    private var householdAssessments: [AssessmentSlot: (reference: String, target: String)] = [:]
    private var loadedPeriods: Set<ScoringWindow> = []
    /// Suggestions cost an edit-distance search over the community; only the first few rows get them.
    private var suggestionsLeft = 200

    /// `max_minutes_per_record` of each policy version, by its index in `context.policies`: read once, not per row.
    private let maxMinutesByVersion: [Int]
    /// `min_minutes` of each policy version, by its index in `context.policies`.
    private let minMinutesByVersion: [Int]
    /// Scores a service of 0 minutes for I114; made the first time one is read (such records are few).
    private var penaltyScorer: Scorer?

    /// Creates a validator for one file.
    public init(context: Context) {
        self.context = context
        self.maxMinutesByVersion = context.policies?.versions.map { $0.policy.earning.maxMinutesPerRecord } ?? []
        self.minMinutesByVersion = context.policies?.versions.map { $0.policy.earning.minMinutes } ?? []
    }

    /// Checks one row.
    public mutating func check(_ row: RecordInputRow) -> Outcome {
        var reader = RowReader(row: row, validator: self)
        let record = reader.read()
        if suggestionsLeft > 0, !reader.errors.isEmpty { suggestionsLeft -= 1 }
        guard let record, reader.errors.isEmpty else { return .rejected(reader.errors) }

        // Made once per row: the key of `seen`, and the reference of the service registered for overlap checks.
        let reference = record.reference
        if let first = seen[reference] {
            if first.record == record { return .duplicate(record, firstRow: first.row) }
            return .rejected([Self.conflictInFile(record, first: first.record, firstRow: first.row, row: row.row,
                                                  idRange: row.values[.id]?.range ?? row.range)])
        }
        loadStored(for: record)
        switch record {
        case .service(let service):
            // One lookup of the volunteer's day serves both the check and the registration.
            let day = VolunteerDay(volunteer: service.volunteer, date: service.date)
            let dayIndex = services.index(forKey: day)
            if let problem = Self.crossCheck(service, reference: reference, against: dayIndex.map { services.values[$0] } ?? [], row: row,
                                             advice: { [context] in context.stored?.correctionAdvice(for: $0) }) {
                return storedUnderSameID(record) ? .accepted(record) : .rejected([problem])
            }
            seen[reference] = (row.row, record)
            var warnings: [RecordRowWarning] = []
            if let version = reader.versionInForce, version < maxMinutesByVersion.count, service.minutes > maxMinutesByVersion[version] {
                warnings.append(Self.minutesOverCounted(service, record: record, row: row, counted: maxMinutesByVersion[version],
                                                        policyLabel: context.policies?.versions[version].label ?? ""))
            }
            if let version = reader.versionInForce, version < minMinutesByVersion.count, service.minutes > 0,
               service.minutes < minMinutesByVersion[version] {
                warnings.append(Self.minutesBelowMinimum(service, record: record, row: row, minimum: minMinutesByVersion[version],
                                                         counted: maxMinutesByVersion[version],
                                                         policyLabel: context.policies?.versions[version].label ?? ""))
            }
            if service.minutes == 0, let version = reader.versionInForce,
               let warning = zeroMinutesNoPenalty(service, record: record, row: row, version: version) {
                warnings.append(warning)
            }
            if let dayIndex, let twin = Self.sameServiceTwice(service, reference: reference, among: services.values[dayIndex]) {
                warnings.append(RecordRowWarning(row: row.row, record: record, kind: .sameServiceTwice(
                    other: twin.reference, otherHasTimes: twin.start != nil,
                    otherTimes: twin.start.flatMap { start in twin.end.map { "\(start)–\($0)" } })))
            }
            let registered = StoredService(reference: reference, start: service.start, end: service.end, minutes: service.minutes,
                                           category: service.category)
            if let dayIndex {
                services.values[dayIndex].append(registered)
            } else {
                services[day] = [registered]
            }
            return .accepted(record, warnings: warnings)
        case .assessment(let assessment):
            let slot = AssessmentSlot(target: Self.target(of: assessment), indicator: assessment.indicator, period: assessment.period)
            let household = householdAccount(volunteer: assessment.volunteer, household: assessment.household, date: assessment.date)
            let householdSlot = household.map { AssessmentSlot(target: "household:" + $0, indicator: assessment.indicator, period: assessment.period) }
            if let problem = crossCheck(assessment, slot: slot, householdSlot: householdSlot, reference: reference, row: row) {
                return storedUnderSameID(record) ? .accepted(record) : .rejected([problem])
            }
            seen[reference] = (row.row, record)
            assessments[slot] = reference
            if let householdSlot { householdAssessments[householdSlot] = (reference, slot.target) }
            if assessment.result == .broken, let version = reader.versionInForce,
               let policy = context.policies?.versions[version].policy,
               let declared = policy.indicator(assessment.indicator), declared.points.isNegative {
                return .accepted(record, warnings: [RecordRowWarning(row: row.row, record: record, kind: .deductionBroken(
                    label: declared.label, points: declared.points, unit: policy.unit))])
            }
        }
        return .accepted(record)
    }

    /// I110: more minutes than the policy in force counts in one record. What was typed is the minutes as written when the
    /// row gives them (the end then follows from them), else its start and end; only typed minutes get a suggestion.
    static func minutesOverCounted(_ service: ServiceRecord, record: Record, row: RecordInputRow, counted: Int,
                                   policyLabel: String) -> RecordRowWarning {
        func given(_ field: RecordField) -> String? {
            guard let text = row.values.text(of: field)?.trimmingASCIISpaces(), !text.isEmpty else { return nil }
            return text
        }
        let typed: String
        var suggestion: Int?
        if let minutes = given(.minutes), given(.end) == nil {
            typed = minutes
            suggestion = RecordRowWarning.suggestedMinutes(service.minutes, counted: counted)
        } else if let start = service.start, let end = service.end {
            typed = "\(start)–\(end)"
        } else {
            typed = String(service.minutes)
        }
        return RecordRowWarning(row: row.row, record: record, kind: .minutesOverCounted(
            minutes: service.minutes, counted: counted, typed: typed, policyLabel: policyLabel, suggestion: suggestion))
    }

    /// I113: fewer minutes than the policy in force counts at all (`min_minutes`): the service earns nothing. Minutes typed
    /// as a number (no end) small enough to be hours get the minutes of as many hours as a suggestion.
    static func minutesBelowMinimum(_ service: ServiceRecord, record: Record, row: RecordInputRow, minimum: Int, counted: Int,
                                    policyLabel: String) -> RecordRowWarning {
        let typed = row.values.text(of: .minutes)?.trimmingASCIISpaces().isEmpty == false
            && row.values.text(of: .end)?.trimmingASCIISpaces().isEmpty != false
        let suggestion = typed ? RecordRowWarning.suggestedMinutes(hoursTyped: service.minutes, minimum: minimum, counted: counted) : nil
        return RecordRowWarning(row: row.row, record: record, kind: .minutesBelowMinimum(
            minutes: service.minutes, minimum: minimum, policyLabel: policyLabel, suggestion: suggestion))
    }

    /// I114: a service of 0 minutes earns nothing, so it is there for a penalty (a volunteer who signed up and did not
    /// come); when no penalty of the version in force applies to it (the `no_show` tag forgotten, or `缺席` written where the
    /// policy reads `no_show`), it posts nothing. The record is scored alone, as the nightly settlement would score it,
    /// with the context's history, if any: penalties are never capped, so the records between do not change whether one
    /// applies, and a condition reading the volunteer's totals sees those of what the store holds. A penalty that could
    /// not be evaluated, or whose amount is not below 0, is not this slip: the scorer reports it. Nil when a penalty
    /// applies, or the record would not be scored.
    private mutating func zeroMinutesNoPenalty(_ service: ServiceRecord, record: Record, row: RecordInputRow,
                                               version: Int) -> RecordRowWarning? {
        guard let policies = context.policies, version < policies.versions.count else { return nil }
        if penaltyScorer == nil { penaltyScorer = Scorer(timeline: policies, community: context.community) }
        // A record without a verifier is scored once it is accepted, with the approval standing in for one (as the
        // settlement scores it); scored as it is, a policy that requires a verifier would leave it pending here.
        var scored = service
        if scored.verifier == nil {
            scored.verifier = RecordAcceptance.autoAcceptVerifier(days: policies.versions[version].policy.earning.autoAcceptAfterDays ?? 0)
        }
        guard let run = try? penaltyScorer?.score([.service(scored)], history: context.history ?? EmptyScoringHistory()), let score = run.scores.first, score.status == .scored else { return nil }
        for index in score.steps {
            let step = run.steps[index]
            switch step.kind {
            case .penalty: return nil
            case .ruleFailed where step.detail == RuleFamily.penalty.rawValue,
                 .ruleInvalidAmount where step.detail == RuleFamily.penalty.rawValue: return nil
            default: continue
            }
        }
        let penalties = policies.versions[version].policy.penalties.map { penalty in
            var text = penalty.id + (penalty.label.isEmpty || penalty.label == penalty.id ? "" : " " + penalty.label)
            if let categories = penalty.condition.categories { text += " for categories " + categories.joined(separator: ", ") }
            if let when = penalty.condition.when { text += " when " + when.text }
            return text
        }
        return RecordRowWarning(row: row.row, record: record, kind: .zeroMinutesNoPenalty(
            policyLabel: policies.versions[version].label, penalties: penalties, tags: service.tags))
    }

    /// I111: another service of the volunteer's day (accepted before in the file, or stored) of the same category and
    /// minutes, where one has times and the other minutes only: the overlap check cannot compare them, and two team
    /// leaders' sheets of one event often write it so. The first such one; nil when there is none.
    static func sameServiceTwice(_ service: ServiceRecord, reference: String, among day: [StoredService]) -> StoredService? {
        guard service.minutes > 0 else { return nil }
        let hasTimes = service.start != nil
        return day.first { other in
            other.reference != reference && other.minutes == service.minutes && (other.start != nil) != hasTimes
                && other.category == service.category
        }
    }

    /// E015: the row's id appears at `firstRow` of the file with other content; the message names the fields that differ.
    /// The import says the same when the earlier row was checked by another validator (and found in the store).
    public static func conflictInFile(_ record: Record, first: Record, firstRow: Int, row: Int, idRange: SourceRange) -> RecordRowError {
        RecordRowError(
            .conflictingDuplicate, row: row, column: "id", range: idRange,
            message: "id \"\(record.id)\" appears at row \(firstRow) with other content ("
                + RecordDifference.summary(RecordDifference.fields(first, record), firstName: "at row \(firstRow)", secondName: "here") + ")",
            help: "give each record its own id; the same id twice must be the same record")
    }

    /// Whether a record is stored under the row's source and id already (by an earlier import, or by this one
    /// from rows checked by another validator). Asked only of a row that failed a cross-check: such a row is
    /// never inserted, and what it is (the same record again, or E015/E016 when its content differs) is for the
    /// store to say, as it says for a row whose id it finds without a cross-check failing.
    private func storedUnderSameID(_ record: Record) -> Bool {
        context.stored?.isStored(source: record.source, id: record.id) ?? false
    }

    /// Reads the stored records of the record's day (or period) the first time it is needed.
    private mutating func loadStored(for record: Record) {
        guard let stored = context.stored else { return }
        switch record {
        case .service(let service):
            if service.date == lastLoadedDay { return }
            lastLoadedDay = service.date
            guard loadedDays.insert(service.date).inserted else { return }
            for (volunteer, list) in stored.services(on: service.date) {
                services[VolunteerDay(volunteer: volunteer, date: service.date), default: []].append(contentsOf: list)
            }
        case .assessment(let assessment):
            guard loadedPeriods.insert(assessment.period).inserted else { return }
            for stored in stored.storedAssessments(in: assessment.period) {
                let slot = AssessmentSlot(target: stored.target, indicator: stored.indicator, period: assessment.period)
                if assessments[slot] == nil { assessments[slot] = stored.reference }
                // A posted one counts for the account it was posted to (a volunteer who moved since keeps it there).
                let household: String? = if stored.target.hasPrefix("household:") {
                    String(stored.target.dropFirst("household:".count))
                } else if let posted = stored.postedAccount {
                    posted.hasPrefix("household:") ? String(posted.dropFirst("household:".count)) : nil
                } else if let date = stored.date {
                    householdAccount(volunteer: String(stored.target.dropFirst("volunteer:".count)), household: stored.household, date: date)
                } else {
                    nil
                }
                if let household {
                    let householdSlot = AssessmentSlot(target: "household:" + household, indicator: stored.indicator, period: assessment.period)
                    if householdAssessments[householdSlot] == nil { householdAssessments[householdSlot] = (stored.reference, stored.target) }
                }
            }
        }
    }

    /// Checks a service against the others of the volunteer's day, accepted before or stored: overlaps,
    /// a day of more than 24 hours. A stored copy of the same record (a re-import) is not a conflict
    /// with itself.
    ///
    /// This runs for every row: the others are read in place, without a filtered copy.
    private static func crossCheck(_ service: ServiceRecord, reference: String, against day: [StoredService],
                                   row: RecordInputRow, advice: (String) -> String?) -> RecordRowError? {
        if let start = service.start, let end = service.end {
            for other in day {
                guard let otherStart = other.start, let otherEnd = other.end else { continue }
                if start < otherEnd && otherStart < end && other.reference != reference {
                    let range = row.values[.start]?.range ?? row.range
                    return RecordRowError(
                        .overlap, row: row.row, column: "start", range: range,
                        message: "\(service.start!)–\(service.end!) overlaps record \(other.reference) "
                            + "(\(otherStart)–\(otherEnd)) of volunteer \(service.volunteer) on \(service.date)",
                        help: "one volunteer cannot serve twice at the same time; fix the times or drop one record"
                            + (advice(other.reference).map { "; " + $0 } ?? ""))
                }
            }
        }
        var total = service.minutes
        for other in day where other.reference != reference { total += other.minutes }
        if total > TimeOfDay.endOfDayMinutes {
            let range = row.values[.minutes]?.range ?? row.values[.end]?.range ?? row.range
            return RecordRowError(
                .dayOverfull, row: row.row, column: row.values[.minutes] != nil ? "minutes" : "end", range: range,
                message: "volunteer \(service.volunteer) would have \(total) minutes of service on \(service.date), more than 24 hours")
        }
        return nil
    }

    /// Checks an assessment against those accepted before (and those stored): an indicator assessed
    /// twice in one period, for the same volunteer or household, or (`householdSlot`) for one household's account whoever
    /// each names. A stored copy of the same record is not a conflict with itself.
    private func crossCheck(_ assessment: Assessment, slot: AssessmentSlot, householdSlot: AssessmentSlot?, reference: String,
                            row: RecordInputRow) -> RecordRowError? {
        let range = row.values[.period]?.range ?? row.values[.indicator]?.range ?? row.range
        let column = row.values[.period] != nil ? "period" : "indicator"
        if let other = assessments[slot], other != reference {
            return RecordRowError(
                .assessedTwice, row: row.row, column: column, range: range,
                message: "indicator \(assessment.indicator) is assessed for \(slot.target) in \(assessment.period.label) already, by record "
                    + describe(other),
                help: "an indicator is assessed at most once per period; drop one of the two"
                    + (context.stored?.correctionAdvice(for: other).map { "; " + $0 } ?? ""))
        }
        if let householdSlot, let other = householdAssessments[householdSlot], other.reference != reference {
            let household = String(householdSlot.target.dropFirst("household:".count))
            let otherVolunteer = String(other.target.dropFirst("volunteer:".count))
            // A member who has moved since the stored assessment was posted to this household's account is not "its member" now.
            let movedAway = context.community?.volunteer(otherVolunteer).map { $0.household != household } ?? false
            let named = other.target == "household:" + household ? "of the household itself"
                : movedAway ? "of \(otherVolunteer), its member then, whose points went to its account"
                : "of its member \(otherVolunteer)"
            let here = assessment.volunteer.map { "this row names its member \($0)" } ?? "this row names the household"
            return RecordRowError(
                .assessedTwice, row: row.row, column: column, range: range,
                message: "indicator \(assessment.indicator) is assessed for household \(household) in \(assessment.period.label) already, by "
                    + "record \(describe(other.reference)) \(named); \(here), and its points go to the household's account too",
                help: "the points of an indicator go to the household (earn_to = \"household\"), which is assessed once per period "
                    + "whoever the row names, the household or one of its members: a second assessment would earn nothing; drop one "
                    + "of the two" + (context.stored?.correctionAdvice(for: other.reference).map { "; " + $0 } ?? ""))
        }
        return nil
    }

    /// `default:a1 (row 2)` for a record accepted earlier in the file, `default:a1` for a stored one.
    private func describe(_ reference: String) -> String {
        seen[reference].map { "\(reference) (row \($0.row))" } ?? reference
    }

    /// The household whose account an assessment's points go to, as the scorer decides it: a household's own assessment,
    /// or under `earn_to = "household"` of the version in force on `date` the volunteer's household (the community's,
    /// else the one the row gives); nil: the volunteer's own account (a volunteer without a household keeps theirs).
    private func householdAccount(volunteer: String?, household: String?, date: LocalDate) -> String? {
        guard let volunteer else { return household }
        guard let policies = context.policies, let version = policies.index(inForceOn: date),
              policies.versions[version].policy.accounts.earnTo == .household else { return nil }
        return context.community?.volunteer(volunteer)?.household ?? household
    }

    /// Whom an assessment is of: `volunteer:V1`, or `household:H1` when it names no volunteer.
    public static func target(of assessment: Assessment) -> String {
        if let volunteer = assessment.volunteer { return "volunteer:" + volunteer }
        return "household:" + (assessment.household ?? "")
    }

    fileprivate var wantsSuggestions: Bool { suggestionsLeft > 0 }
}

/// The records already stored, as record checks need them. A storage implementation reads each day
/// (or period) once; it should not throw: a failure is remembered and reported after the file is read.
public protocol StoredRecordLookup {
    /// The services stored on `date` (not rejected, not withdrawn), by volunteer.
    func services(on date: LocalDate) -> [String: [RecordValidator.StoredService]]
    /// The assessments stored for `period` (not rejected, not withdrawn): slot -> `SOURCE:ID`.
    func assessments(in period: ScoringWindow) -> [RecordValidator.AssessmentSlot: String]
    /// The same with their dates, households and posted accounts, for the once-per-household check under
    /// `earn_to = "household"`; by default made from `assessments(in:)`, which leaves that check to the rows of the file.
    func storedAssessments(in period: ScoringWindow) -> [RecordValidator.StoredAssessment]
    /// What to do if the stored record `SOURCE:ID` that a row conflicts with is the wrong one (reject it, reverse its
    /// entries ...), for the help of E010 and E026; nil: nothing to add. Asked only when a row is refused.
    func correctionAdvice(for reference: String) -> String?
    /// Whether a record is stored under `source` and `id` (whatever its content or status).
    func isStored(source: String, id: String) -> Bool
}

extension StoredRecordLookup {
    /// No advice.
    public func correctionAdvice(for reference: String) -> String? { nil }

    /// The slots of `assessments(in:)`, without dates: a household's own assessments still count for its account.
    public func storedAssessments(in period: ScoringWindow) -> [RecordValidator.StoredAssessment] {
        assessments(in: period).map { slot, reference in
            RecordValidator.StoredAssessment(reference: reference, target: slot.target, indicator: slot.indicator)
        }
    }
}

/// Reads the fields of one row, collecting every problem.
private struct RowReader {
    let row: RecordInputRow
    let context: RecordValidator.Context
    let wantsSuggestions: Bool
    var errors: [RecordRowError] = []
    /// The index of the policy version in force on a record's date, once read (for I110 and I112).
    var versionInForce: Int?

    init(row: RecordInputRow, validator: RecordValidator) {
        self.row = row
        self.context = validator.context
        self.wantsSuggestions = validator.wantsSuggestions
    }

    mutating func fail(_ code: RecordRowError.Code, _ field: RecordField?, _ message: String, help: String? = nil) {
        let range = field.flatMap { row.values.range(of: $0) } ?? row.range
        errors.append(RecordRowError(code, row: row.row, column: field?.name ?? "", range: range, message: message, help: help))
    }

    /// The trimmed text of a field, nil when absent or blank. A list where text is expected is a problem.
    mutating func text(_ field: RecordField) -> String? {
        if let text = row.values.text(of: field) {
            let trimmed = text.trimmingASCIISpaces()
            return trimmed.isEmpty ? nil : trimmed
        }
        // A value that is not text is a list.
        if let value = row.values[field] {
            // `"category": ["green"]`: the one value the list holds is what to write.
            let example = if case .list(let items) = value.content, items.count == 1 { items[0] } else { "…" }
            fail(.unexpectedField, field, "expected one value, not a list",
                 help: "write one \(field.name) as text: \"\(field.name)\": \"\(example)\"")
        }
        return nil
    }

    mutating func required(_ field: RecordField, _ what: String) -> String? {
        guard let value = text(field) else {
            if !row.values.contains(field) || isText(field) { fail(.missingField, field, "missing \(what)") }
            return nil
        }
        return value
    }

    func isText(_ field: RecordField) -> Bool {
        row.values.text(of: field) != nil
    }

    /// The field's id, read once. `namesake`: for a volunteer or household column, the help when the text, not an id at
    /// all (`李 娜`, with a space), is the name of one: the row then fails as an unknown volunteer or household with it.
    mutating func identifier(_ field: RecordField, _ what: String, required: Bool,
                             namesake: (String) -> (message: String, help: String)? = { _ in nil }) -> String? {
        let value = required ? self.required(field, what) : text(field)
        guard let value else { return nil }
        guard AccountID.isValidOwner(value) else {
            if let named = namesake(value) {
                fail(.unknownVolunteer, field, named.message, help: named.help)
            } else {
                fail(.invalidID, field, "\"\(value)\" is not a valid \(what): use 1 to 64 characters without spaces or \":\"")
            }
            return nil
        }
        // A new record's id with a hidden or look-alike character would show as another id in `record list`, and
        // `explain` typed from the screen would not find it (C011/C012 for community ids; here E002).
        if field == .id, let lookAlike = CommunityRules.lookAlikeProblem(kind: "record", id: value) {
            fail(.invalidID, field, lookAlike.reasonAfterID)
            return nil
        }
        return value
    }

    /// One line of text of at most `maximum` characters (a verifier, a tag).
    mutating func name(_ field: RecordField, _ value: String, _ what: String) -> Bool {
        if value.unicodeScalars.count > RecordValidator.nameLengthMaximum {
            fail(.invalidText, field, "\(what) \"\(value.prefix(20))…\" is " + TextLength.tooLong(value, maximum: RecordValidator.nameLengthMaximum))
            return false
        }
        if value.unicodeScalars.contains(where: \.isControl) {
            fail(.invalidText, field, "\(what) has a line break or control character")
            return false
        }
        return true
    }

    mutating func date(_ field: RecordField, required: Bool) -> LocalDate? {
        let text = required ? self.required(field, "date (YYYY-MM-DD)") : self.text(field)
        guard let text else { return nil }
        // 2026/10/3, 2026年10月3日, full-width digits: one day, read as 2026-10-03 (SpreadsheetDates.swift).
        if let date = LocalDate(text) ?? LocalDate.yearFirst(text) {
            if let today = context.today, date > today {
                fail(.dateInFuture, field, "\(date) is in the future (today is \(today))", help: "check the year and month")
                return nil
            }
            return date
        }
        fail(.invalidDate, field, Self.dateProblem(text), help: Self.dateHelp(text))
        return nil
    }

    /// Why `text` is not a date: a day that does not exist, or the wrong form.
    static func dateProblem(_ text: String) -> String {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        if text.utf8.count == 10, parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]) {
            if !(1...12).contains(month) { return "\"\(text)\" is not a day: there is no month \(month)" }
            let days = LocalDate.daysIn(month: month, year: year)
            if day < 1 || day > days {
                return "\"\(text)\" is not a day: \(LocalDate.monthName(month)) \(year) has \(days) days"
            }
        }
        return "\"\(text)\" is not a date"
    }

    static func dateHelp(_ typed: String) -> String {
        // What is still refused: a day with a time of day (2026/11/5 9:00), which the file would lose; a day or month
        // first (3/10/2026), which could be two days; a spreadsheet's date number (46331), a date cell saved as its
        // serial number.
        let text = typed.halfWidth
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "T" })
        if parts.count == 2, let date = LocalDate.yearFirst(parts[0]) {
            return "write the day alone, as YYYY-MM-DD: \(date) (the column takes no time of day)"
        }
        if parts.count == 1, let help = yearLastHelp(String(parts[0])) { return help }
        // 20261105, as forms and file names write a day: the digits alone could be a number, so they are not read.
        if let date = SpreadsheetDates.eightDigitDay(text) { return "write \(date) (the date as YYYY-MM-DD)" }
        // 2026年10月, 2026/10: a month (出生年月 on a form), where the column wants one day of it.
        if let month = ScoringWindow.yearFirst(text) ?? ScoringWindow(label: text), month.period == .month {
            return "a month is not a day: write the day it was, from \(month.start) to \(month.lastDay) (YYYY-MM-DD)"
        }
        // 2026/2/30: year first, but no such day.
        if parts.count == 1, let fields = SpreadsheetDates.yearFirstFields(parts[0], count: 3), (1...12).contains(fields[1]),
           LocalDate(year: fields[0], month: fields[1], day: fields[2]) == nil {
            let days = LocalDate.daysIn(month: fields[1], year: fields[0])
            return "write the date as YYYY-MM-DD: \(LocalDate.monthName(fields[1])) \(fields[0]) has \(days) days"
        }
        if text.utf8.count == 5, let serial = Int(text), (20_000...80_000).contains(serial) {
            let date = LocalDate(daysSinceEpoch: serial - excelSerialOf1970)
            return "\(typed) looks like a spreadsheet's date number (\(date)): format the column as text or as a date "
                + "written YYYY-MM-DD before saving, or write \(date)"
        }
        return "write the date as YYYY-MM-DD, e.g. 2026-10-03"
    }

    /// The help for a date written with the year last (`5/8/1962`, `28.4.1965`): the day it is when only one reading
    /// is a day, and both days when the day and the month could be either way round.
    static func yearLastHelp(_ text: String) -> String? {
        let fields = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "/" || $0 == "." || $0 == "-" })
        guard fields.count == 3, fields[2].count == 4, fields[0].count <= 2, fields[1].count <= 2,
              let first = Int(fields[0]), let second = Int(fields[1]), let year = Int(fields[2]) else { return nil }
        switch (LocalDate(year: year, month: second, day: first), LocalDate(year: year, month: first, day: second)) {
        case let (dayFirst?, monthFirst?) where dayFirst != monthFirst:
            return "write the date as YYYY-MM-DD, year first: \(dayFirst) for the \(first)\(ordinalSuffix(first)) of "
                + "\(LocalDate.monthName(second)), or \(monthFirst) for the \(second)\(ordinalSuffix(second)) of \(LocalDate.monthName(first))"
        case let (date?, _), let (nil, date?):
            return "write the date as YYYY-MM-DD, year first: \(date)"
        case (nil, nil):
            return nil
        }
    }

    static func ordinalSuffix(_ number: Int) -> String {
        if (11...13).contains(number % 100) { return "th" }
        return switch number % 10 { case 1: "st"; case 2: "nd"; case 3: "rd"; default: "th" }
    }

    /// What to write for a period that is not one: `2026.1` (January, or October saved by a spreadsheet as the number
    /// 2026.1), `10月` (no year). Periods written year first another way (`2026年10月`, `2026/10`) are read as they are
    /// (`ScoringWindow.yearFirst`).
    static func periodHelp(_ typed: String) -> String {
        let text = typed.halfWidth.filter { !$0.isWhitespace }
        if text.count == 6, text.hasSuffix(".1"), let year = Int(text.prefix(4)) {
            return "write the period as \(year)-01 for January, or \(year)-10 for October (a spreadsheet shows \(year).10 "
                + "as the number \(year).1: format the column as text)"
        }
        return "write a month 2026-10, a quarter 2026-Q4 or a year 2026"
    }

    /// The time of day a team leader wrote another way, on a 24-hour clock: `下午3点` is 15:00, `9点半` 09:30,
    /// `9:00 AM` 09:00, `晚上7点15分` 19:15; nil when it is not one of those.
    static func timeSpelledOtherwise(_ typed: String) -> TimeOfDay? {
        var text = typed.halfWidth.lowercased().filter { !$0.isWhitespace }
        var afternoon: Bool?
        for (marker, isAfternoon) in [("下午", true), ("晚上", true), ("傍晚", true), ("p.m.", true), ("pm", true),
                                      ("上午", false), ("早上", false), ("凌晨", false), ("a.m.", false), ("am", false)] {
            if let range = text.firstRange(of: marker) {
                afternoon = isAfternoon
                text.removeSubrange(range)
                break
            }
        }
        var hour = 0, minute = 0, hourDigits = 0, minuteDigits = 0, inMinutes = false
        for character in text {
            if let digit = character.wholeNumberValue, character.isASCII {
                if inMinutes { minute = minute * 10 + digit; minuteDigits += 1 } else { hour = hour * 10 + digit; hourDigits += 1 }
            } else if !inMinutes, character == ":" || character == "点" || character == "时" {
                inMinutes = true
            } else if inMinutes, minuteDigits == 0, character == "半" {
                minute = 30
                minuteDigits = 2
            } else if !(inMinutes && (character == "分" || character == "钟")) {
                return nil
            }
        }
        guard (1...2).contains(hourDigits), minuteDigits <= 2, minute < 60 else { return nil }
        if let afternoon {
            guard hour <= 12 else { return nil }
            if afternoon, hour < 12 { hour += 12 }
            if !afternoon, hour == 12 { hour = 0 }
        }
        guard hour < 24 else { return nil }
        return TimeOfDay(minutesSinceMidnight: hour * 60 + minute)
    }

    /// For a label typed in traditional characters (`橙色關懷`) that is, in simplified ones, the label of one declared id
    /// (`orange`, 橙色关怀): the help naming that id. Nil when the text is no such label.
    static func traditionalLabelHint(_ typed: String, among declared: [(id: String, label: String)]) -> String? {
        let simplified = TraditionalChinese.simplifiedForm(typed)
        guard simplified != typed else { return nil }
        let matches = declared.filter { TraditionalChinese.simplifiedForm($0.label) == simplified }
        guard matches.count == 1 else { return nil }
        return "did you mean \"\(matches[0].id)\"? \"\(typed)\" is \(matches[0].label), the label of \"\(matches[0].id)\", "
            + "written in traditional characters: write \(matches[0].id) or \(matches[0].label)"
    }

    /// "did you mean "patrol"?" for part of one category's label typed for it (巡逻 for 治安巡逻, 环保 for 绿色环保),
    /// or a label with more around it (绿色环保活动): what a clerk types from memory. Nil for a value of one character,
    /// or one that is part of several labels: no guessing.
    static func labelPartHint(_ value: String, among declared: [(id: String, label: String)]) -> String? {
        guard value.count >= 2, value.unicodeScalars.contains(where: { $0.value > 0x7F }) else { return nil }
        let matches = declared.filter { !$0.label.isEmpty && ($0.label.contains(value) || value.contains($0.label)) }
        guard matches.count == 1 else { return nil }
        let how = matches[0].label.contains(value) ? "is part of" : "holds"
        return "did you mean \"\(matches[0].id)\"? \"\(value)\" \(how) \(matches[0].label), the label of \"\(matches[0].id)\": "
            + "write \(matches[0].id) or \(matches[0].label)"
    }

    /// "did you mean "orange"?" for one category's (or indicator's) label typed with one character wrong, as a pinyin input
    /// method makes it (橙色关坏 for 橙色关怀, 绿色环宝 for 绿色环保): the same length, every other character in place. Nil for a
    /// value under three characters, or one character off several labels: no guessing.
    static func labelTypoHint(_ value: String, among declared: [(id: String, label: String)]) -> String? {
        let typed = Array(value)
        guard typed.count >= 3, value.unicodeScalars.contains(where: { $0.value > 0x7F }) else { return nil }
        let matches = declared.filter { entry in
            let label = Array(entry.label)
            return label.count == typed.count && zip(label, typed).filter { $0 != $1 }.count == 1
        }
        guard matches.count == 1 else { return nil }
        return "did you mean \"\(matches[0].id)\"? \"\(value)\" is one character off \(matches[0].label), the label of "
            + "\"\(matches[0].id)\": write \(matches[0].id) or \(matches[0].label)"
    }

    /// The serial number spreadsheets (Excel, WPS) give 1970-01-01: day 1 is 1900-01-01, counting a 29 February 1900.
    static let excelSerialOf1970 = 25_569

    mutating func time(_ field: RecordField) -> TimeOfDay? {
        guard let text = text(field) else { return nil }
        guard let time = TimeOfDay(parsing: text) ?? TimeOfDay(parsing: text.halfWidth) else {
            fail(.invalidTime, field, "\"\(text)\" is not a time of day",
                 help: Self.timeSpelledOtherwise(text).map { "write it as HH:MM on a 24-hour clock: \($0)" }
                    ?? "write HH:MM on a 24-hour clock, e.g. 09:30 or 14:00")
            return nil
        }
        if field == .start, time.minutesSinceMidnight == TimeOfDay.endOfDayMinutes {
            fail(.invalidTime, field, "a service cannot start at 24:00", help: "a service on the next day starts at 00:00 of that day")
            return nil
        }
        return time
    }

    mutating func integer(_ field: RecordField) -> (text: String, value: Int?)? {
        guard let typed = text(field) else { return nil }
        func value(_ text: String) -> Int? {
            guard text.utf8.count <= 9, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) || (text.hasPrefix("-") && text.utf8.count > 1) else { return nil }
            return Int(text)
        }
        // `６０` from a Chinese input method is 60, as `０９：００` is 09:00 (converted only when the text is not ASCII digits).
        return (typed, value(typed) ?? value(typed.halfWidth))
    }

    /// How a duration's hours and minutes are written after their number (a longer word before one it ends with: 个小时
    /// before 小时, hours before h), lower case.
    static let hourUnits = ["个小时", "小时", "钟头", "hours", "hour", "hrs", "hr", "h"]
    static let minuteUnits = ["分钟", "分", "minutes", "mins", "min", "m"]

    /// The minutes of a duration written as hours and minutes, as a paper form's 时长 is: `1:30` (two digits after the colon),
    /// `1小时30分`, `1个小时15分钟`, `1h30m`; nil for anything else, or minutes of 60 or more (`1:75`). `text` is half-width,
    /// without spaces.
    static func hoursAndMinutes(_ text: String) -> Int? {
        let lower = text.lowercased()
        let hours: Substring, minutes: Substring
        if let colon = lower.firstIndex(of: ":") {
            hours = lower[..<colon]
            minutes = lower[lower.index(after: colon)...]
            guard minutes.count == 2 else { return nil }
        } else {
            // The hours' unit right after the hours' digits.
            let afterDigits = lower.firstIndex { !($0.isASCII && $0.isNumber) } ?? lower.endIndex
            guard let unit = Self.hourUnits.first(where: { lower[afterDigits...].hasPrefix($0) })
            else { return nil }
            hours = lower[..<afterDigits]
            var rest = lower[afterDigits...].dropFirst(unit.count)
            if let suffix = Self.minuteUnits.first(where: { rest.hasSuffix($0) }) { rest = rest.dropLast(suffix.count) }
            minutes = rest
        }
        let digits: (Substring) -> Bool = { !$0.isEmpty && $0.count <= 4 && $0.allSatisfy { $0.isASCII && $0.isNumber } }
        guard digits(hours), digits(minutes), let hourCount = Int(hours), let minuteCount = Int(minutes), minuteCount < 60 else { return nil }
        return hourCount * 60 + minuteCount
    }

    /// What to write instead of minutes that are not 0–1440: the number alone for `1.5小时` or `90分钟`, one record a day
    /// for more than a day, 0 for a no-show rather than a negative number.
    static func minutesHelp(_ typed: String) -> String {
        let text = typed.halfWidth.filter { !$0.isWhitespace }
        if let minutes = hoursAndMinutes(text), (0...TimeOfDay.endOfDayMinutes).contains(minutes) {
            return "write the minutes as a number alone: \(minutes) (\(typed) is \(minutes) minutes)"
        }
        let units = Self.hourUnits.map { (suffix: $0, minutes: 60) } + Self.minuteUnits.map { (suffix: $0, minutes: 1) }
        for unit in units where text.lowercased().hasSuffix(unit.suffix) && text.count > unit.suffix.count {
            guard let number = ExactDecimal(String(text.dropLast(unit.suffix.count))),
                  let minutes = try? number.multiplied(by: ExactDecimal(unit.minutes)), let whole = minutes.exactInteger,
                  (0...TimeOfDay.endOfDayMinutes).contains(whole) else { break }
            return "write the minutes as a number alone: \(whole)" + (unit.minutes == 1 ? "" : " (\(typed) is \(whole) minutes)")
        }
        if let value = ExactDecimal(text)?.exactInteger {
            if value < 0 { return "minutes cannot be negative: write 0 for a no-show, or the minutes served" }
            return "one record holds at most 1440 minutes (24 hours): check the number, or write a longer service as one record for each day"
        }
        return "write the minutes as a whole number from 0 to 1440, such as 90 for an hour and a half"
    }

    mutating func list(_ field: RecordField) -> [String] {
        guard let value = row.values[field] else { return [] }
        // A JSON list's item is split as a sheet's cell is: an item "探访;独居" stored as one tag would come back from an
        // export (tags joined by ";") as two.
        let texts: [String]
        switch value.content {
        case .text(let text): texts = [text]
        case .list(let list): texts = list
        }
        let items = texts.flatMap { text in
            text.split(whereSeparator: { $0 == ";" || $0 == "," || $0 == "，" || $0 == "；" || $0 == "、" }).map { String($0).trimmingASCIISpaces() }
        }
        var result: [String] = []
        for item in items where !item.isEmpty && !result.contains(item) {
            guard name(field, item, "tag") else { return [] }
            result.append(item)
        }
        if result.count > RecordValidator.tagCountMaximum {
            fail(.invalidText, field, "\(result.count) tags; at most \(RecordValidator.tagCountMaximum)")
            return []
        }
        return result
    }

    mutating func note() -> String {
        guard let value = row.values[.note] else { return "" }
        guard case .text(let text) = value.content else {
            fail(.unexpectedField, .note, "expected text, not a list")
            return ""
        }
        if text.unicodeScalars.count > RecordValidator.noteLengthMaximum {
            fail(.invalidText, .note, "the note has \(text.unicodeScalars.count) characters; at most \(RecordValidator.noteLengthMaximum)")
        }
        // Line breaks and tabs are fine in a note (quoted in CSV); other control characters are not.
        if text.unicodeScalars.contains(where: { $0.isControl && $0 != "\n" && $0 != "\r" && $0 != "\t" }) {
            fail(.invalidText, .note, "the note has a control character")
        }
        return text
    }

    /// The id `word` most likely means (`Spelling.nearest`), while the row still gets suggestions.
    func suggestion(_ word: String, among candidates: [String]) -> String? {
        guard wantsSuggestions else { return nil }
        return Spelling.nearest(to: word, among: candidates)
    }

    // MARK: The row

    mutating func read() -> Record? {
        if let total = totalRow() {
            // A spreadsheet's total row (合计 and the minutes added up): one problem that says what it is, not a missing id
            // and "fill in the category".
            fail(.kindUnclear, total.field, "the row is the sheet's total (\(total.word)), not a record",
                 help: "a total row adds up the rows above it and records no service of its own: delete the row (the import "
                    + "counts the rows and minutes itself), then import the file again; the other rows need nothing")
            return nil
        }
        let category = text(.category)
        let indicator = text(.indicator)
        let id = identifier(.id, "record id", required: true)
        let source = identifier(.source, "source", required: false) ?? context.defaultSource
        switch (category, indicator) {
        case (let category?, nil):
            guard let record = service(id: id, source: source, category: category), errors.isEmpty else { return nil }
            return .service(record)
        case (nil, let indicator?):
            guard let assessment = assessment(id: id, source: source, indicator: indicator), errors.isEmpty else { return nil }
            return .assessment(assessment)
        case (.some, .some):
            fail(.kindUnclear, .indicator, "a row has either a category (a service record) or an indicator (an assessment), not both")
            return nil
        case (nil, nil):
            // `"category": ["green"]` has its own error (E022, not a list): the row does have a category, just not as one value.
            if row.values.contains(.category) && !isText(.category) || row.values.contains(.indicator) && !isText(.indicator) { return nil }
            fail(.kindUnclear, nil, "the row has neither a category (a service record) nor an indicator (an assessment)",
                 help: "fill in the category column for service, or the indicator column for an assessment")
            return nil
        }
    }

    /// The words that head a spreadsheet's total row, after spaces (ASCII and full-width) and a closing colon are taken out
    /// and ASCII letters lowercased: 合计, 合　计, 总计：, Total.
    static let totalWords: Set<String> = ["合计", "总计", "小计", "共计", "累计", "总合计", "合計", "總計", "小計", "共計",
                                          "total", "subtotal", "grandtotal", "sum"]

    /// The field and word of a row with neither a category nor an indicator whose cell is a total word (`totalWords`),
    /// the leftmost in the row; nil for any other row (a record whose note says 合计 has a category, and is a record).
    func totalRow() -> (field: RecordField, word: String)? {
        guard !row.values.contains(.category), !row.values.contains(.indicator) else { return nil }
        let found = RecordField.allCases.compactMap { field -> (field: RecordField, word: String, offset: Int)? in
            guard let text = row.values.text(of: field) else { return nil }
            var word = text.filter { $0 != " " && $0 != "\u{3000}" && $0 != "\t" }
            if word.hasSuffix(":") || word.hasSuffix("：") { word.removeLast() }
            guard Self.totalWords.contains(word.lowercased()) else { return nil }
            return (field, text.trimmingASCIISpaces(), row.values.range(of: field)?.start.offset ?? 0)
        }
        return found.min { $0.offset < $1.offset }.map { ($0.field, $0.word) }
    }

    mutating func verifier() -> String? {
        guard let verifier = text(.verifier) else { return nil }
        return name(.verifier, verifier, "verifier") ? verifier : nil
    }

    /// E029: the verifier is the record's own volunteer, or a member of the household it assesses (`SelfVerification`).
    /// Without a community there is no name to compare with, and nothing is checked (as for unknown ids).
    mutating func selfVerification(_ verifier: String?, id: String?, volunteer: String?, household: String?) {
        guard let verifier, let id, let community = context.community,
              let found = SelfVerification.find(verifier: verifier, volunteer: volunteer, household: household, in: community)
        else { return }
        fail(.verifiedBySelf, .verifier, found.message(record: id), help: found.importHelp(recordID: id))
    }

    mutating func volunteer(required: Bool) -> String? {
        // A name with a space in it (`李 娜`) is no id at all: still, say whose name it is.
        let community = context.community, suggesting = wantsSuggestions
        guard let volunteer = identifier(.volunteer, "volunteer id", required: required, namesake: { typed in
            guard let community, !community.volunteers(named: typed).isEmpty else { return nil }
            return ("no volunteer \"\(typed)\"", Self.unknownVolunteerHelp(typed, in: community, wantsSuggestions: suggesting))
        }) else { return nil }
        if let community = context.community, !community.volunteersByID.keys.contains(volunteer) {
            fail(.unknownVolunteer, .volunteer, "no volunteer \"\(volunteer)\"", help: Self.unknownVolunteerHelp(volunteer, in: community, wantsSuggestions: wantsSuggestions))
            return nil
        }
        return volunteer
    }

    /// What to write instead of an unknown volunteer id. Team leaders often write the volunteer's name, or type the id
    /// in full-width characters: "add the volunteer first" would then make a second 张红梅, so the help names the
    /// volunteers with that name (and their households), or the id the full-width form stands for.
    static func unknownVolunteerHelp(_ typed: String, in community: CommunityDirectory, wantsSuggestions: Bool) -> String {
        let reading = StationReference.readingForm(typed)
        if reading != typed, community.volunteer(reading) != nil {
            return "did you mean \"\(reading)\"? It was typed in full-width characters"
        }
        let named = community.volunteers(named: typed)
        if named.count == 1 {
            let volunteer = named[0]
            return "\"\(typed)\" is a volunteer's name; the column takes the id: write \(volunteer.id) (\(volunteer.name)"
                + (volunteer.household.map { ", household \($0)" } ?? "") + ")"
        }
        if named.count > 1 {
            let shown = named.prefix(CommunityRules.namesakesShownMaximum).map { volunteer in
                volunteer.id + (volunteer.household.map { " (household \($0))" } ?? " (no household)")
            }
            return "\(named.count) volunteers are named \"\(typed)\": \(shown.joined(separator: ", "))"
                + (named.count > shown.count ? ", …" : "") + "; the column takes the id: write the id of the one who served"
        }
        // Sorting the ids costs more than the row: only rows that still get suggestions do it.
        if wantsSuggestions, let hint = Spelling.nearest(to: typed, among: community.volunteerIDs) {
            return "did you mean \"\(hint)\"?"
        }
        if typed.unicodeScalars.contains(where: { $0.value > 0x7F }) {
            return "the column takes a volunteer's id, and no volunteer has this id or this name: "
                + "`timebank volunteer list` shows them; a new volunteer is added first (timebank volunteer add)"
        }
        return "add the volunteer first (timebank volunteer add)"
    }

    /// What to write instead of an unknown household id: as for volunteers, the household whose name it is (`姚学文户`).
    static func unknownHouseholdHelp(_ typed: String, in community: CommunityDirectory, wantsSuggestions: Bool) -> String? {
        let reading = StationReference.readingForm(typed)
        if reading != typed, community.household(reading) != nil {
            return "did you mean \"\(reading)\"? It was typed in full-width characters"
        }
        let named = community.households(named: typed)
        if !named.isEmpty {
            let ids = named.prefix(CommunityRules.namesakesShownMaximum).map(\.id).joined(separator: ", ") + (named.count > CommunityRules.namesakesShownMaximum ? ", …" : "")
            return "\"\(typed)\" is the name of household \(ids); the column takes the id: write \(named.count == 1 ? ids : "the id of the one assessed")"
        }
        guard wantsSuggestions else { return nil }
        return Spelling.nearest(to: typed, among: community.householdIDs).map { "did you mean \"\($0)\"?" }
    }

    /// The version in force on `date` (its index in `context.policies`), or a problem when policies are
    /// checked and none is. An index, not the `Policy`: a copy of a whole policy for every row costs more
    /// than the checks that read it.
    mutating func policyVersion(on date: LocalDate?, field: RecordField) -> (checked: Bool, version: Int?) {
        guard let policies = context.policies else { return (false, nil) }
        guard let date else { return (true, nil) }
        guard let version = policies.index(inForceOn: date) else {
            guard context.requiresPolicyInForce else { return (false, nil) }
            let first = policies.firstEffective.map { "the first version takes effect on \($0)" } ?? "no policy is active"
            // Before the first version, "activate a policy" alone sends a clerk to A002 (a version must take effect after the
            // latest one): say the effective date it needs, and that it takes --force with a reason.
            let help = policies.firstEffective.map { firstDay in
                "check the date; for service before \(firstDay), activate a version with effective = \(date) or earlier "
                    + "(timebank policy activate FILE --force --reason TEXT: it takes effect before the first version, A002)"
            } ?? "activate a policy that covers this date (timebank policy activate)"
            fail(.noPolicyInForce, .date, "no policy is in force on \(date) to check the \(field.name) against (\(first))", help: help)
            return (true, nil)
        }
        return (true, version)
    }

    mutating func unexpected(_ fields: [RecordField], kind: String) {
        for field in fields where row.values.contains(field) {
            if let text = row.values.text(of: field), text.trimmingASCIISpaces().isEmpty { continue }
            fail(.unexpectedField, field, "\(kind) has no \(field.name)",
                 help: kind == "a service record" ? "leave it empty; \(field.name) belongs to assessments"
                                                  : "leave it empty; \(field.name) belongs to service records")
        }
    }

    /// For a category id the version in force (`version`) does not declare, when another version declared it with a label
    /// that one category in force has now (`[categories.purple]` renamed `[categories.violet]`, both 紫色便民): the help
    /// that names the new id. Nil when no label says so, or the labels point at several ids: no guessing.
    func renamedCategoryHint(_ id: String, version: Int, date: LocalDate) -> String? {
        guard let versions = context.policies?.versions else { return nil }
        let inForce = versions[version]
        // The other versions, nearest first: the latest earlier one, then the earliest later one.
        let others = (0..<version).reversed().map { $0 } + ((version + 1)..<versions.count).map { $0 }
        var found: (newID: String, label: String, former: PolicyTimeline.Version)?
        for index in others {
            guard let former = versions[index].policy.categories.first(where: { $0.id == id }), former.label != id else { continue }
            let holders = inForce.policy.categories.filter { $0.label == former.label }
            if holders.isEmpty { continue }
            guard holders.count == 1 else { return nil }
            if let found, found.newID != holders[0].id { return nil }
            if found == nil { found = (holders[0].id, former.label, versions[index]) }
        }
        guard let found else { return nil }
        return "did you mean \"\(found.newID)\"? The policy in force on \(date) (\(inForce.label)) has no \"\(id)\"; "
            + "its label \(found.label) (of \"\(id)\" in \(found.former.label)) now belongs to \"\(found.newID)\""
    }

    /// For a category or indicator (its id or label) that the version in force on `date` does not declare and another
    /// version does: which version has it and from or until when, so that the clerk checks the date (a new category's
    /// record dated before its version, a dropped one's after). Nil when no other version declares it.
    /// `kind` with its article (`a category`); `declared`: a version's (id, label) pairs of that kind.
    func otherVersionHint(_ typed: String, kind: String, version: Int, date: LocalDate,
                          declared: (Policy) -> [(id: String, label: String)]) -> String? {
        guard let versions = context.policies?.versions else { return nil }
        let inForce = versions[version]
        // The nearest version that has it: the earliest later one, then the latest earlier one.
        let others = ((version + 1)..<versions.count).map { $0 } + (0..<version).reversed().map { $0 }
        for index in others {
            guard let found = declared(versions[index].policy).first(where: { $0.id == typed || $0.label == typed }) else { continue }
            let named = found.label.isEmpty || found.label == found.id ? "\"\(found.id)\"" : "\"\(found.id)\" (\(found.label))"
            let other = versions[index]
            let when: String
            if index > version {
                when = "in force from \(other.policy.effective)"
            } else {
                let next = versions[index + 1].policy.effective.adding(days: -1)
                when = "in force until \(next)"
            }
            let current = declared(inForce.policy).map { Self.idAndLabel($0.id, $0.label) }
            return "\(named) is \(kind) of \(other.label) (version \(other.policy.version), \(when)); the policy in force on "
                + "\(date) (\(inForce.label)) does not have it: check the record's date"
                + (current.isEmpty ? "" : "; that policy has \(current.joined(separator: ", "))")
        }
        return nil
    }

    /// `orange (橙色关怀)`, or the id alone when the label is none or the id itself.
    static func idAndLabel(_ id: String, _ label: String) -> String {
        label.isEmpty || label == id ? id : "\(id) (\(label))"
    }

    mutating func service(id: String?, source: String, category rawCategory: String) -> ServiceRecord? {
        unexpected([.household, .period, .result], kind: "a service record")
        let volunteer = volunteer(required: true)
        let date = date(.date, required: true)
        var category = rawCategory
        let (checked, version) = policyVersion(on: date, field: .category)
        versionInForce = version
        if let version, let categories = context.policies?.versions[version].policy.categories {
            if !categories.contains(where: { $0.id == category }) {
                if let byLabel = categories.first(where: { $0.label == category }) {
                    category = byLabel.id
                } else {
                    let ids = categories.map(\.id)
                    let hint = renamedCategoryHint(category, version: version, date: date!)
                        ?? otherVersionHint(category, kind: "a category", version: version, date: date!,
                                            declared: { $0.categories.map { ($0.id, $0.label) } })
                        ?? Self.traditionalLabelHint(category, among: categories.map { ($0.id, $0.label) })
                        ?? Self.labelPartHint(category, among: categories.map { ($0.id, $0.label) })
                        ?? Self.labelTypoHint(category, among: categories.map { ($0.id, $0.label) })
                        ?? ExpressionSpelling.suggestion(for: category, among: ids).map { "did you mean \"\($0)\"?" }
                    // The ids with their labels: a clerk who typed a label from memory finds it here.
                    let listed = categories.map { Self.idAndLabel($0.id, $0.label) }
                    fail(.unknownCategory, .category, "unknown category \"\(category)\"",
                         help: hint ?? "the policy in force on \(date!) has: \(listed.joined(separator: ", "))")
                }
            }
        } else if !checked, !AccountID.isValidOwner(category) {
            fail(.invalidID, .category, "\"\(category)\" is not a category id")
        }

        let start = time(.start)
        let end = time(.end)
        let minutesText = integer(.minutes)
        var minutes: Int?
        if let minutesText {
            if let value = minutesText.value, (0...TimeOfDay.endOfDayMinutes).contains(value) {
                minutes = value
            } else if let decimal = ExactDecimal(minutesText.text), decimal.exactInteger.map({ (0...TimeOfDay.endOfDayMinutes).contains($0) }) ?? true {
                // "60.0" as text (a JSON number 60.0 is read as 60), or 60.5: minutes are counted whole.
                let help = decimal.exactInteger.map { "write the minutes as a whole number: \($0)" } ?? "write a whole number of minutes from 0 to 1440"
                fail(.invalidMinutes, .minutes, "\"\(minutesText.text)\" is not a whole number of minutes", help: help)
            } else {
                fail(.invalidMinutes, .minutes, "\"\(minutesText.text)\" is not a number of minutes from 0 to 1440",
                     help: Self.minutesHelp(minutesText.text))
            }
        }
        var resolvedEnd = end
        // A time that was given but unreadable is reported already; "missing" is only for absent values.
        let startGiven = text(.start) != nil, endGiven = text(.end) != nil
        switch (start, end) {
        case (let start?, let end?):
            if end <= start {
                fail(.endNotAfterStart, .end, end == start ? "the service ends when it starts (\(start))"
                                                            : "the end \(end) is before the start \(start)",
                     help: end == start ? "for a no-show leave start and end empty and write minutes = 0"
                                        : "a service that runs past midnight is two records, one on each day")
            } else if let given = minutes, given != end.minutesSinceMidnight - start.minutesSinceMidnight {
                fail(.invalidMinutes, .minutes,
                     "\(given) minutes disagree with \(start)–\(end) (\(end.minutesSinceMidnight - start.minutesSinceMidnight) minutes)",
                     help: "give either start and end, or minutes, or make them agree")
            } else {
                minutes = end.minutesSinceMidnight - start.minutesSinceMidnight
            }
        case (let start?, nil):
            if let given = minutes {
                if let computed = TimeOfDay(minutesSinceMidnight: start.minutesSinceMidnight + given) {
                    resolvedEnd = given > 0 ? computed : nil
                } else {
                    fail(.endNotAfterStart, .minutes, "\(given) minutes from \(start) run past midnight",
                         help: "a service that runs past midnight is two records, one on each day")
                }
            } else if !endGiven {
                fail(.missingField, .end, "missing end (or minutes)", help: "give the end time, or the minutes served")
            }
        case (nil, .some):
            if !startGiven { fail(.missingField, .start, "missing start: an end time needs a start time") }
        case (nil, nil):
            if minutesText == nil, !startGiven, !endGiven {
                fail(.missingField, .minutes, "missing minutes (or start and end)",
                     help: "give start and end (09:00, 10:30), or the minutes served (90)")
            }
        }

        var responseLevel: ResponseLevel?
        if let text = text(.responseLevel) {
            responseLevel = ResponseLevel(spelling: text)
            if responseLevel == nil { fail(.invalidResponseLevel, .responseLevel, "\"\(text)\" is not a response level",
                                           help: "write I (severe), II (serious) or III (normal), or leave it empty") }
        }
        var rating: Int?
        if let ratingText = integer(.rating) {
            if let value = ratingText.value, (1...5).contains(value) { rating = value } else {
                fail(.invalidRating, .rating, "\"\(ratingText.text)\" is not a rating", help: "a rating is a whole number from 1 to 5, or empty")
            }
        }
        let tags = list(.tags)
        var station = identifier(.station, "station id", required: false)
        if let id = station, let community = context.community, !community.stations.contains(id) {
            let hint = suggestion(id, among: community.stations.sorted()).map { "did you mean \"\($0)\"?" }
            fail(.unknownStation, .station, "no station \"\(id)\"", help: hint)
            station = nil
        }
        let verifier = verifier()
        selfVerification(verifier, id: id, volunteer: volunteer, household: nil)
        let note = note()
        guard let id, let volunteer, let date, let minutes, errors.isEmpty else { return nil }
        return ServiceRecord(source: source, id: id, volunteer: volunteer, category: category, date: date,
                             start: start, end: start == nil ? nil : resolvedEnd, minutes: minutes, verifier: verifier,
                             responseLevel: responseLevel, rating: rating, tags: tags, station: station, note: note)
    }

    mutating func assessment(id: String?, source: String, indicator rawIndicator: String) -> Assessment? {
        unexpected([.start, .end, .minutes, .responseLevel, .rating, .tags, .station], kind: "an assessment")
        let volunteer = volunteer(required: false)
        let community = context.community, suggesting = wantsSuggestions
        var household = identifier(.household, "household id", required: false, namesake: { typed in
            guard let community, !community.households(named: typed).isEmpty else { return nil }
            return ("no household \"\(typed)\"", Self.unknownHouseholdHelp(typed, in: community, wantsSuggestions: suggesting) ?? "add the household first")
        })
        if let id = household, let community = context.community, community.household(id) == nil {
            let hint = Self.unknownHouseholdHelp(id, in: community, wantsSuggestions: wantsSuggestions)
            fail(.unknownVolunteer, .household, "no household \"\(id)\"", help: hint ?? "add the household first")
            household = nil
        }
        if volunteer == nil, household == nil, row.values[.volunteer] == nil || text(.volunteer) == nil,
           row.values[.household] == nil || text(.household) == nil {
            fail(.missingField, .volunteer, "missing volunteer or household: an assessment is of one of them")
        }
        if let volunteer, let household, let member = context.community?.volunteer(volunteer), member.household != household {
            fail(.householdMismatch, .household, "volunteer \(volunteer) belongs to "
                 + (member.household.map { "household \($0)" } ?? "no household") + ", not \(household)")
        }
        let givenDate = date(.date, required: false)
        let periodText = text(.period)
        var period = periodText.flatMap { ScoringWindow(label: $0) ?? ScoringWindow.yearFirst($0) }
        if let periodText, period == nil {
            fail(.invalidPeriod, .period, "\"\(periodText)\" is not a period", help: Self.periodHelp(periodText))
        }
        if periodText == nil, givenDate == nil, row.values[.date].map({ _ in false }) ?? true {
            fail(.missingField, .period, "missing period (or date)", help: "write the period assessed: 2026-10, 2026-Q4 or 2026")
        }
        var indicator = rawIndicator
        let dayForPolicy = givenDate ?? period?.lastDay
        let (checked, version) = policyVersion(on: dayForPolicy, field: .indicator)
        versionInForce = version
        if let version, let policy = context.policies?.versions[version].policy {
            var declared = policy.indicator(indicator)
            if declared == nil, let byLabel = policy.indicators.first(where: { $0.label == indicator }) {
                indicator = byLabel.id
                declared = byLabel
            }
            if let declared {
                if let given = period, given.period != declared.per {
                    let right = ScoringWindow(declared.per, containing: given.start).label
                    fail(.invalidPeriod, .period, "\(given.label) is a \(given.period.rawValue), but indicator \(indicator) is assessed per \(declared.per.rawValue)",
                         help: "write the \(declared.per.rawValue), e.g. \(right)")
                } else if period == nil, let givenDate {
                    period = ScoringWindow(declared.per, containing: givenDate)
                }
            } else {
                let ids = policy.indicators.map(\.id)
                let hint = dayForPolicy.flatMap { day in
                        otherVersionHint(indicator, kind: "an indicator", version: version, date: day,
                                         declared: { $0.indicators.map { ($0.id, $0.label) } })
                    }
                    ?? Self.traditionalLabelHint(indicator, among: policy.indicators.map { ($0.id, $0.label) })
                    ?? Self.labelPartHint(indicator, among: policy.indicators.map { ($0.id, $0.label) })
                    ?? Self.labelTypoHint(indicator, among: policy.indicators.map { ($0.id, $0.label) })
                    ?? ExpressionSpelling.suggestion(for: indicator, among: ids).map { "did you mean \"\($0)\"?" }
                // The ids with their labels, as for a category: a clerk who typed a label from memory finds it here.
                let listed = policy.indicators.map { Self.idAndLabel($0.id, $0.label) }
                fail(.unknownIndicator, .indicator, "unknown indicator \"\(indicator)\"",
                     help: hint ?? (ids.isEmpty ? "the policy in force declares no indicators" : "the policy in force declares: \(listed.joined(separator: ", "))"))
            }
        } else if !checked, period == nil, let givenDate {
            period = ScoringWindow(.month, containing: givenDate)
        }
        if let period, let givenDate, givenDate < period.start {
            fail(.invalidPeriod, .date, "the date \(givenDate) is before the period \(period.label) it assesses")
        }
        var result = AssessmentResult.met
        if let text = text(.result) {
            if let parsed = AssessmentResult(spelling: text) { result = parsed } else {
                fail(.invalidResult, .result, "\"\(text)\" is not a result", help: "write met or broken (达标 or 未达标)")
            }
        }
        let verifier = verifier()
        selfVerification(verifier, id: id, volunteer: volunteer, household: household)
        let note = note()
        guard let id, let period, volunteer != nil || household != nil, errors.isEmpty else { return nil }
        // Without a date the assessment counts on the period's last day, whatever day the file is read:
        // the same row always makes the same record.
        return Assessment(source: source, id: id, volunteer: volunteer, household: household, indicator: indicator,
                          period: period, result: result, date: givenDate ?? period.lastDay, verifier: verifier, note: note)
    }
}

extension RecordValidator {
    /// Why `text` is not a date, as a record's date is told (`"2026-02-30" is not a day: February 2026 has 28 days`);
    /// the community imports tell their dates the same way.
    static func dateProblem(_ text: String) -> String { RowReader.dateProblem(text) }

    /// What to write for a date written another way (`2026/10/3`, `2026年10月3日`, a spreadsheet's date number).
    static func dateHelp(_ text: String) -> String { RowReader.dateHelp(text) }
}
