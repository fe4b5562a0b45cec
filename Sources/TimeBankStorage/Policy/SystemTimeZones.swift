import Foundation
import TimeBankCore

/// The machine's time zone database, through Foundation: which `[policy] timezone` names it knows, and a zone's offset
/// from UTC at an instant (summer time included).
public enum SystemTimeZones {
    /// The names for `PolicyLoader.load(timeZones:)`: known when Foundation resolves them, suggested from its list.
    public static let names = TimeZoneNames(isKnown: { TimeZone(identifier: $0) != nil },
                                            suggestions: TimeZone.knownTimeZoneIdentifiers)

    /// The offset of a store without a policy, or whose policy names a zone this machine does not know: UTC+8 (China).
    public static let fallbackOffsetMinutes = 480

    /// The community's offset at `instant`: that of `zone` (`TimeBankStore.communityTimeZone(at:)`), else
    /// `fallbackOffsetMinutes`.
    public static func communityOffsetMinutes(zone: String?, at instant: Timestamp) -> Int {
        zone.flatMap { offsetMinutes(of: $0, at: instant) } ?? fallbackOffsetMinutes
    }

    /// The minutes east of UTC of `zone` (a policy's `timezone`: a name, `UTC` or `+08:00`) at `instant`; nil when the
    /// system does not know the name.
    public static func offsetMinutes(of zone: String, at instant: Timestamp) -> Int? {
        if let fixed = TimeZoneNames.fixedOffsetMinutes(zone) { return fixed }
        guard let timeZone = TimeZone(identifier: zone) else { return nil }
        let date = Date(timeIntervalSince1970: TimeInterval(instant.millisecondsSinceEpoch / 1_000))
        return timeZone.secondsFromGMT(for: date) / 60
    }
}

extension TimeBankStore {
    /// The community's offset from UTC at the end of `date` (when the night's lapsed holds are counted), in the zone of the
    /// policy in force at that moment (`Hold.offsetAtEnd`).
    public func communityOffsetMinutes(atEndOf date: LocalDate) throws -> Int {
        try Hold.offsetAtEnd(of: date) { SystemTimeZones.communityOffsetMinutes(zone: try communityTimeZone(at: $0), at: $0) }
    }

    /// The community's time zone at `now`: the `[policy] timezone` of the version in force then (each version's own
    /// zone decides whether its effective date has come; a zone this machine does not know, at `fallbackOffsetMinutes`),
    /// else of the first version to come into force; nil when no policy was ever activated. A version that no longer
    /// compiles (A007, A010) is passed over here; the commands that read it report it.
    public func communityTimeZone(at now: Timestamp) throws -> String? {
        let versions = try policyVersions().sorted { ($0.effective, $0.number) > ($1.effective, $1.number) }
        var earliest: String?
        for version in versions {
            guard let text = try? policyText(version: version.number),
                  let zone = try? compiledStoredPolicy(version, text: text).timezone else { continue }
            earliest = zone
            // A name this machine does not know (a version activated where it was known) is judged at the fallback
            // offset and still returned, so that the caller can say it fell back instead of using an older version's zone.
            let offset = SystemTimeZones.offsetMinutes(of: zone, at: now) ?? SystemTimeZones.fallbackOffsetMinutes
            if version.effective <= now.date(offsetMinutes: offset) { return zone }
        }
        return earliest
    }
}

extension TimeBankStore {
    /// Today in the community's time zone by the store's clock, and that zone's offset from UTC now in minutes: the
    /// policy's `timezone` (`communityTimeZone(at:)`), else UTC+8 (a store without a policy, or a zone name this
    /// machine's database does not know).
    public func communityToday() throws -> (date: LocalDate, utcOffsetMinutes: Int) {
        let now = clock.now()
        let offset = try utcOffsetOverride ?? SystemTimeZones.communityOffsetMinutes(zone: communityTimeZone(at: now), at: now)
        return (now.date(offsetMinutes: offset), offset)
    }
}

extension TimeBankStore {
    /// The community's day of a stored moment (`imported_at`, `decided_at`): its date at the offset `zone` had then
    /// (`communityTimeZone(at:)`, looked up once by the caller; nil: `fallbackOffsetMinutes`).
    public static func communityDate(of moment: Timestamp, zone: String?) -> LocalDate {
        moment.date(offsetMinutes: SystemTimeZones.communityOffsetMinutes(zone: zone, at: moment))
    }

    /// The community's day of a stored moment for this store: at `utcOffsetOverride` when it is set, else as
    /// `communityDate(of:zone:)`.
    public func communityDay(of moment: Timestamp, zone: String?) -> LocalDate {
        utcOffsetOverride.map { moment.date(offsetMinutes: $0) } ?? Self.communityDate(of: moment, zone: zone)
    }
}

extension TimeBankStore {
    /// A stored moment as people read it: `2026-11-08 10:00:00 (UTC+8)`, in the community's time zone now
    /// (`communityTimeZone(at:)`, else UTC+8) at the offset of the moment's own day, as receipts and `policy versions` show
    /// one. For the times a message from the store names; `--json` keeps the stored UTC time.
    public func communityLocalTime(_ moment: Timestamp) throws -> String {
        if let fixed = utcOffsetOverride { return Receipt.localTime(moment, utcOffsetMinutes: fixed) }
        let zone = try communityTimeZone(at: clock.now())
        return Receipt.localTime(moment, utcOffsetMinutes: SystemTimeZones.communityOffsetMinutes(zone: zone, at: moment))
    }
}

extension SettlementRequest {
    /// The nightly request: yesterday in the community's time zone (`TimeBankStore.communityToday()`), with `today` and
    /// the offset set as `timebank settle` sets them when `--date` is left out.
    public static func yesterday(in store: TimeBankStore, actor: String, reportsDirectory: String? = nil,
                                 missedDays: MissedDays = .refuse) throws -> SettlementRequest {
        let (today, offset) = try store.communityToday()
        return SettlementRequest(date: today.adding(days: -1), actor: actor, reportsDirectory: reportsDirectory, today: today,
                                 utcOffsetMinutes: offset, missedDays: missedDays)
    }
}
