import TimeBankCore

/// The micro-fund report (`fundReport`, the fund's own numbers) as a report table, so that it is
/// printed, saved as CSV or JSON and stored like the other reports.
extension TimeBankStore {
    /// The fund over the range: one row per kind of money movement (entries, CNY in, CNY out) and a totals
    /// row; the notes give the opening and closing balance, the points outstanding, their value at the
    /// policy's point value, the coverage ratio and the warning below 1, and the figures carry the same numbers for
    /// CSV and JSON (the names of `fund report --json`). Q001/Q003 for a bad range.
    public func fundReportTable(from: LocalDate, through: LocalDate) throws -> ReportTable {
        try ReportError.validate(from: from, through: through)
        let report = try fundReport(from: from, through: through)
        let columns = [
            ReportColumn("kind", "Kind", .text), ReportColumn("entries", "Entries", .integer),
            ReportColumn("cny_in", "CNY in", .amount), ReportColumn("cny_out", "CNY out", .amount),
        ]
        // Named as the policy in force names the points (积分 outstanding); "Points" before any policy.
        let unit = policyUnit(on: through)
        var notes = [
            "Opening balance on \(from): \(Hundredths.format(report.openingBalance)) CNY; closing balance on \(through): "
                + "\(Hundredths.format(report.closingBalance)) CNY.",
            "\(unit ?? PointsUnit.heading) outstanding at the end of \(through): \(Hundredths.format(report.pointsOutstanding)) (volunteers "
                + "\(Hundredths.format(report.volunteerPoints)), households \(Hundredths.format(report.householdPoints)), "
                + "held for bookings \(Hundredths.format(report.heldPoints))).",
        ]
        if let pointValue = report.pointValue, let version = report.policyVersion {
            notes.append("Point value (policy #\(version)): \(pointValue) CNY; the \(unit ?? PointsUnit.unnamed) are worth "
                + "\(Hundredths.format((try? FundMath.fen(report.liability)) ?? 0)) CNY.")
        } else {
            notes.append("No policy is in force on \(through): the points have no value in CNY.")
        }
        notes.append(report.coverageLine + ".")
        if let warning = report.warning { notes.append(warning) }
        if let note = report.recordsNotPostedNote { notes.append(note) }
        let ratio = report.coverage.ratioText(decimals: 6).map(ReportFigure.Value.decimal) ?? .none
        // The figures of `fund report --json`, under the same names, so that a program reads either the same way.
        let figures = [
            ReportFigure("opening_balance", .amount(report.openingBalance)), ReportFigure("closing_balance", .amount(report.closingBalance)),
            ReportFigure("total_in", .amount(report.totalInflow)), ReportFigure("total_out", .amount(report.totalOutflow)),
            ReportFigure("points_volunteers", .amount(report.volunteerPoints)), ReportFigure("points_households", .amount(report.householdPoints)),
            ReportFigure("points_held", .amount(report.heldPoints)), ReportFigure("points_outstanding", .amount(report.pointsOutstanding)),
            ReportFigure("policy_version", report.policyVersion.map { .integer($0) } ?? .none),
            ReportFigure("point_value", report.pointValue.map { .decimal($0.description) } ?? .none),
            ReportFigure("points_value", .amount((try? FundMath.fen(report.liability)) ?? 0)),
            ReportFigure("coverage_ratio", ratio), ReportFigure("coverage", .text(report.coverage.text(decimals: 4))),
            ReportFigure("below_one", .flag(report.coverage.isBelowOne)), ReportFigure("warning", report.warning.map { .text($0) } ?? .none),
            ReportFigure("records_not_posted", .integer(report.recordsNotPosted)),
        ]
        return ReportTable(
            name: "fund", title: "微基金 Micro-fund \(ReportSupport.range(from, through)), CNY", from: from, to: through,
            columns: columns,
            rows: report.flows.map { [.text($0.kind.rawValue), .integer($0.entries), .amount($0.inflow), .amount($0.outflow)] },
            totals: [.text("Total"), .integer(report.flows.reduce(0) { $0 + $1.entries }), .amount(report.totalInflow),
                     .amount(report.totalOutflow)],
            notes: notes, figures: figures)
    }
}
