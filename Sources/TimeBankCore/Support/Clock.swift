import Synchronization

/// A moment in time as milliseconds since 1970-01-01T00:00:00Z.
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var millisecondsSinceEpoch: Int64

    public init(millisecondsSinceEpoch: Int64) {
        self.millisecondsSinceEpoch = millisecondsSinceEpoch
    }

    /// The UTC calendar date of this moment.
    /// Clamped to `LocalDate.earliest...latest` for a moment beyond them (`Int64.max` milliseconds from an API caller).
    public var utcDate: LocalDate {
        // Floor division without subtracting first: `Int64.min - remainder` would overflow.
        let days = millisecondsSinceEpoch / 86_400_000 - (millisecondsSinceEpoch % 86_400_000 < 0 ? 1 : 0)
        return LocalDate(daysSinceEpoch: Int(days))
    }

    /// The local calendar date at a fixed offset from UTC (e.g. +480 minutes for Asia/Shanghai).
    public func date(offsetMinutes: Int) -> LocalDate {
        adding(minutes: offsetMinutes).utcDate
    }

    /// This moment `minutes` later (earlier when negative), saturating at the first and last millisecond there are: a
    /// moment of `Int64.max` milliseconds from an API caller, shifted to local time, is not a trap.
    public func adding(minutes: Int) -> Timestamp {
        let (shift, shiftOverflow) = Int64(minutes).multipliedReportingOverflow(by: 60_000)
        let (sum, overflow) = millisecondsSinceEpoch.addingReportingOverflow(shift)
        return Timestamp(millisecondsSinceEpoch: shiftOverflow || overflow ? (minutes > 0 ? .max : .min) : sum)
    }

    /// RFC 3339 in UTC with milliseconds, e.g. `2026-11-21T08:30:00.000Z`.
    public var description: String {
        let ms = floorMod(millisecondsSinceEpoch, 86_400_000)
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let hours = ms / 3_600_000, minutes = ms / 60_000 % 60, seconds = ms / 1000 % 60, millis = ms % 1000
        return "\(utcDate)T\(pad(hours, 2)):\(pad(minutes, 2)):\(pad(seconds, 2)).\(pad(millis, 3))Z"
    }

    /// Parses exactly the form `description` writes: `YYYY-MM-DDTHH:MM:SS.mmmZ`.
    public init?(_ text: String) {
        var text = text
        guard let parsed = text.withUTF8({ Timestamp(utf8: UnsafeRawBufferPointer($0)) }) else { return nil }
        self = parsed
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS.mmmZ` from UTF-8 bytes.
    public init?(utf8 bytes: UnsafeRawBufferPointer) {
        let parsed: Int64? = {
            guard bytes.count == 24, bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"),
                  bytes[16] == UInt8(ascii: ":"), bytes[19] == UInt8(ascii: "."), bytes[23] == UInt8(ascii: "Z"),
                  let date = LocalDate(utf8: UnsafeRawBufferPointer(rebasing: bytes[0..<10])) else { return nil }
            func number(_ range: Range<Int>) -> Int64? {
                var value: Int64 = 0
                for index in range {
                    let byte = bytes[index]
                    guard byte >= 48, byte <= 57 else { return nil }
                    value = value * 10 + Int64(byte - 48)
                }
                return value
            }
            guard let h = number(11..<13), let m = number(14..<16), let s = number(17..<19), let ms = number(20..<23),
                  h < 24, m < 60, s < 60 else { return nil }
            return Int64(date.daysSinceEpoch) * 86_400_000 + h * 3_600_000 + m * 60_000 + s * 1000 + ms
        }()
        guard let parsed else { return nil }
        millisecondsSinceEpoch = parsed
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.millisecondsSinceEpoch < rhs.millisecondsSinceEpoch
    }
}

private func floorMod(_ value: Int64, _ divisor: Int64) -> Int64 {
    let remainder = value % divisor
    return remainder < 0 ? remainder + divisor : remainder
}

/// Where the engine learns the time. Injected so that tests and simulations are deterministic.
public protocol Clock: Sendable {
    func now() -> Timestamp
}

/// A clock that always says the same moment (or advances by a fixed step after each reading).
public final class FixedClock: Clock {
    private let current: Mutex<Timestamp>
    private let stepMilliseconds: Int64

    /// - Parameter stepMilliseconds: how far the clock moves after each reading (0 = frozen).
    public init(_ start: Timestamp, stepMilliseconds: Int64 = 0) {
        self.current = Mutex(start)
        self.stepMilliseconds = stepMilliseconds
    }

    public func now() -> Timestamp {
        current.withLock { value in
            let reading = value
            value.millisecondsSinceEpoch += stepMilliseconds
            return reading
        }
    }
}
