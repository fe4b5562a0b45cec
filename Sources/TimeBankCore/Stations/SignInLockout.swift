/// The sign-in lock-out: after `failuresAllowed` wrong PINs for one operator id within `windowMinutes`, with no right
/// PIN (or new PIN) since, that id cannot sign in for `windowMinutes` after the last of them (O012). A counter's PIN
/// has as few as 4 digits, and without a limit a script could try all 10,000 in minutes.
///
/// While locked the PIN is not checked at all, so a right one learns nothing and a wrong one does not lengthen the lock.
public enum SignInLockout {
    /// Wrong PINs in a row that lock the sign-in.
    public static let failuresAllowed = 5
    /// How far back wrong PINs count, and how long the lock lasts after the last of them.
    public static let windowMinutes = 15

    /// The moment the sign-in opens again, or nil when it is open at `now`. `failures` are the times of the wrong PINs
    /// since the last right PIN or new PIN. Locked when the last `failuresAllowed` of them came within `windowMinutes`,
    /// until `windowMinutes` after the last (no wrong PIN is recorded while locked, so the last is the one that locked it).
    public static func lockedUntil(failures: [Timestamp], now: Timestamp) -> Timestamp? {
        let window = Int64(windowMinutes) * 60_000
        let run = failures.filter { $0 <= now }.sorted().suffix(failuresAllowed)
        guard run.count == failuresAllowed, let first = run.first, let last = run.last,
              last.millisecondsSinceEpoch - first.millisecondsSinceEpoch < window else { return nil }
        let until = Timestamp(millisecondsSinceEpoch: last.millisecondsSinceEpoch + window)
        return until > now ? until : nil
    }

    /// How many more wrong PINs lock the sign-in, given the wrong PINs since the last right PIN or new PIN (the one just
    /// given among them): 0 when it is locked now.
    public static func triesLeft(failures: [Timestamp], now: Timestamp) -> Int {
        let window = Int64(windowMinutes) * 60_000
        let recent = failures.filter { $0 <= now && now.millisecondsSinceEpoch - $0.millisecondsSinceEpoch < window }
        return max(0, failuresAllowed - min(recent.count, failuresAllowed))
    }
}
