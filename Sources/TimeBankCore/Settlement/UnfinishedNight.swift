/// A night whose settlement was started and did not finish (killed, or stopped by N005), and how it can be finished now.
///
///     UnfinishedNight(date: LocalDate("2026-11-08")!, finishing: .outOfOrder).command
///     // "timebank settle --date 2026-11-08 --allow-out-of-order"
public struct UnfinishedNight: Hashable, Sendable {
    /// What `settle --date D` needs to go ahead for this night, as things stand in the store.
    public enum Finishing: Hashable, Sendable {
        /// Nothing: it follows the last settled day (or is the first night).
        case inOrder
        /// A later day is settled already (it was left behind by a `--skip-missed` night, or started out of order):
        /// without `--allow-out-of-order` it is N001.
        case outOfOrder
        /// Days between the last settled day and it were never settled (it was started with `--skip-missed`): without
        /// `--skip-missed` it is N010. `--catch-up` would settle those days first, after this night's finished steps.
        case afterMissedDays
    }

    /// The night.
    public var date: LocalDate
    /// What finishing it needs.
    public var finishing: Finishing

    public init(date: LocalDate, finishing: Finishing) {
        self.date = date
        self.finishing = finishing
    }

    /// Whether `date` is out of order or after missed days, given the latest settled day (nil: none).
    public init(date: LocalDate, latestSettled: LocalDate?) {
        self.date = date
        if let latestSettled, latestSettled > date {
            finishing = .outOfOrder
        } else if let latestSettled, latestSettled.adding(days: 1) < date {
            finishing = .afterMissedDays
        } else {
            finishing = .inOrder
        }
    }

    /// The command line that finishes it: `timebank settle --date D`, with the option it needs.
    public var command: String {
        let option = switch finishing {
        case .inOrder: ""
        case .outOfOrder: " --allow-out-of-order"
        case .afterMissedDays: " --skip-missed"
        }
        return "timebank settle --date \(date)" + option
    }
}
