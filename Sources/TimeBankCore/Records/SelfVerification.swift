/// A record verified by the person it credits (本人核实): its verifier is the name of its own volunteer, or, for an
/// assessment of a household, the name of a member of that household. The verifier is the one check between a
/// volunteer's claim and the points, so such a record is refused (E029): by `record import` and `score` as the row is
/// read, and by `record approve --verifier NAME`. Records stored before are left as they are.
///
/// Names are compared whole, as `PersonName` compares them (white space left out, a middle dot however typed), with
/// full-width letters and digits read as the ASCII they stand for: `王秀英` and `王 秀英` are one name, `王秀英的队长` is
/// another.
///
///     let wang = Volunteer(id: "V0001", name: "王秀英", ...)
///     SelfVerification.find(verifier: "王 秀英", volunteer: wang)           // V0001 王秀英
///     SelfVerification.find(verifier: "王秀英的队长", volunteer: wang)      // nil
public struct SelfVerification: Sendable, Hashable {
    /// The id of the volunteer the verifier names.
    public var volunteerID: String
    /// That volunteer's name, as stored.
    public var volunteerName: String
    /// The household the record assesses, when the verifier is one of its members; nil when the verifier is the record's
    /// own volunteer.
    public var household: String?

    /// Creates one; `household` when the verifier is a member of the household assessed.
    public init(volunteerID: String, volunteerName: String, household: String? = nil) {
        self.volunteerID = volunteerID
        self.volunteerName = volunteerName
        self.household = household
    }

    /// Whether `verifier` is `name` (whole names, as `PersonName` compares them, full-width forms as their ASCII):
    /// `PersonName.same(verifier.halfWidth, name.halfWidth)`, compared scalar by scalar without making either string, so
    /// that the check every imported row makes stops at the first scalar that differs (`社区` beside `王秀英`).
    public static func sameName(_ verifier: String, _ name: String) -> Bool {
        if verifier == name { return true }
        var left = verifier.unicodeScalars.lazy.compactMap(comparedForm).makeIterator()
        var right = name.unicodeScalars.lazy.compactMap(comparedForm).makeIterator()
        while true {
            let next = left.next()
            guard next == right.next() else { return false }
            if next == nil { return true }
        }
    }

    /// A scalar as `sameName` compares it: nil for white space, a full-width form as its ASCII, every middle dot as `·`.
    static func comparedForm(_ scalar: Unicode.Scalar) -> Unicode.Scalar? {
        let scalar = scalar.asciiOfFullWidthForm ?? scalar
        if scalar.properties.isWhitespace { return nil }
        return PersonName.middleDots.contains(scalar) ? "\u{00B7}" : scalar
    }

    /// The record's own volunteer when `verifier` is their name; nil otherwise.
    public static func find(verifier: String, volunteer: Volunteer) -> SelfVerification? {
        sameName(verifier, volunteer.name) ? SelfVerification(volunteerID: volunteer.id, volunteerName: volunteer.name) : nil
    }

    /// The first member of `household` (in the order given) whose name `verifier` is; nil when none is.
    public static func find(verifier: String, household: String, members: [Volunteer]) -> SelfVerification? {
        members.first { sameName(verifier, $0.name) }.map {
            SelfVerification(volunteerID: $0.id, volunteerName: $0.name, household: household)
        }
    }

    /// Whom the record of `community` would be verified by, of those it credits: its volunteer (by the stored name of
    /// `volunteer`), else for a household's own assessment a member of `household`. Nil when the verifier is somebody
    /// else, or the volunteer or household is not in `community` (nothing to compare with).
    public static func find(verifier: String, volunteer: String?, household: String?,
                            in community: CommunityDirectory) -> SelfVerification? {
        if let volunteer {
            return community.volunteer(volunteer).flatMap { find(verifier: verifier, volunteer: $0) }
        }
        guard let household else { return nil }
        return find(verifier: verifier, household: household, members: community.members(of: household))
    }

    /// Whom the verifier names, for messages: `its own volunteer 王秀英 (V0001)`, or `王秀英 (V0003), a member of household
    /// H0002 it assesses`.
    public var whom: String {
        household.map { "\(volunteerName) (\(volunteerID)), a member of household \($0) it assesses" }
            ?? "its own volunteer \(volunteerName) (\(volunteerID))"
    }

    /// Why the verifier does not count, after what names it.
    public static let rule = "a record is verified by somebody other than the one it credits"

    /// `record r1 names its own volunteer 王秀英 (V0001) as its verifier: ...`; `record` as the message names it (an id, or
    /// `SOURCE:ID`).
    public func message(record: String) -> String {
        "record \(record) names \(whom)\(household == nil ? "" : ",") as its verifier: \(Self.rule)"
    }

    /// What to write instead in a record file: who checked it, or no verifier (the record then waits for an approver).
    public func importHelp(recordID: String) -> String {
        "write the name of who checked it, or leave verifier empty: the record then waits for an approver's "
            + "`timebank record approve \(recordID) --verifier NAME`, or is accepted by the night once the policy's "
            + "auto_accept_after_days have passed, when it has them. " + namesakeHelp
    }

    /// For a verifier who is another person of the same name (names are all the check has): `another 王秀英 who checked
    /// it is written with more than the name, such as 王秀英(网格员)`.
    public var namesakeHelp: String {
        "Another \(volunteerName) who checked it is written with more than the name, such as \(volunteerName)(网格员)"
    }
}
