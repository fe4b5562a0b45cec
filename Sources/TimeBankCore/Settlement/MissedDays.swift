/// What a settlement does about missed days: days after the last settled day and before the one asked for that no night
/// settled (the machine was off, the job failed, or a settlement was killed and not run again).
public enum MissedDays: Sendable {
    /// Refuse with N010, naming them (the default): a night is never left unsettled without somebody saying so.
    case refuse
    /// Settle each of them first, oldest first, each as a night of its own with its reports; then the day asked for.
    case settleFirst
    /// Settle the day asked for alone: the missed days' records, grants and expiries are settled with it, they get no
    /// settlement or reports of their own, and they can be settled later only out of order.
    case skip
}
