import TimeBankCore
import TimeBankStorage

/// A merchant pays a share of turnover into the micro-fund.
struct ContributeOperation: SimulatedOperation {
    var name: String
    var merchant: String
    var turnover: Int64
    var date: LocalDate
    var key: String

    var description: String { "fund contribute key=\(key) merchant=\(merchant) turnover=\(Hundredths.format(turnover)) date=\(date)" }

    func focus(_ model: SimModel) -> Focus { Focus(accounts: [.fund, .outside]) }

    func runEngine(_ engine: EngineDriver) throws -> Outcome {
        let outcome = try engine.store.contribute(merchant: merchant, turnover: turnover, date: date, key: key, actor: "sim-admin")
        let detail = "C \(Hundredths.format(outcome.value.amount)) #\(outcome.value.entry)"
        return .written(detail, isNew: outcome.isNew)
    }

    func runModel(_ model: SimModel) throws(ModelRefusal) -> Outcome {
        let (detail, isNew) = try model.contribute(merchant: merchant, turnover: turnover, date: date, key: key)
        return .written(detail, isNew: isNew)
    }
}

/// A resident or merchant donates money to the micro-fund.
struct FundDonationOperation: SimulatedOperation {
    var name: String
    var donor: String
    var amount: Int64
    var date: LocalDate
    var key: String

    var description: String { "fund donate key=\(key) donor=\(donor) amount=\(Hundredths.format(amount)) date=\(date)" }

    func focus(_ model: SimModel) -> Focus { Focus(accounts: [.fund, .outside]) }

    func runEngine(_ engine: EngineDriver) throws -> Outcome {
        let outcome = try engine.store.donate(donor: donor, amount: amount, date: date, key: key, actor: "sim-admin")
        let detail = "D \(Hundredths.format(outcome.value.amount)) #\(outcome.value.entry)"
        return .written(detail, isNew: outcome.isNew)
    }

    func runModel(_ model: SimModel) throws(ModelRefusal) -> Outcome {
        let (detail, isNew) = try model.donateMoney(donor: donor, amount: amount, date: date, key: key)
        return .written(detail, isNew: isNew)
    }
}

/// A dividend of the fund's money shared among households by the points they earned in a period.
struct DividendOperation: SimulatedOperation {
    var name: String
    var period: String
    var amount: Int64
    var basis: String
    var date: LocalDate
    var key: String
    /// `--unsettled --reason`: paid on the points posted so far.
    var unsettledReason: String? = nil

    var description: String {
        "dividend key=\(key) period=\(period) amount=\(Hundredths.format(amount)) basis=\(basis) date=\(date)"
            + (unsettledReason.map { " unsettled=\($0)" } ?? "")
    }

    func focus(_ model: SimModel) -> Focus {
        Focus(accounts: [.fund] + model.households.sorted().map { AccountID.household($0) })
    }

    func runEngine(_ engine: EngineDriver) throws -> Outcome {
        let outcome = try engine.store.payDividend(period: period, amount: amount, basis: basis, key: key, actor: "sim-admin", date: date,
                                                   unsettledReason: unsettledReason)
        let shares = outcome.value.shares.filter { $0.share > 0 }
            .sorted { Array($0.household.utf8).lexicographicallyPrecedes(Array($1.household.utf8)) }
        let detail = "V \(outcome.value.period) " + shares.map { "\($0.household)=\($0.share)" }.joined(separator: ",") + " #\(outcome.value.entry)"
        return .written(detail, isNew: outcome.isNew)
    }

    func runModel(_ model: SimModel) throws(ModelRefusal) -> Outcome {
        let (detail, isNew) = try model.payDividend(period: period, amount: amount, basis: basis, key: key, date: date,
                                                  unsettledReason: unsettledReason)
        return .written(detail, isNew: isNew)
    }
}
