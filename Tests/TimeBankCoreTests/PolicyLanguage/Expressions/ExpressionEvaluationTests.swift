import Testing
@testable import TimeBankCore

@Suite("Expression evaluation")
struct ExpressionEvaluationTests {
    typealias F = ExpressionFixtures

    // MARK: Numbers

    @Test("record.rating / 5 with rating 4 is exactly 0.8")
    func ratingFactor() throws {
        let value = try F.value("has(record.rating) ? record.rating / 5 : 1", expecting: .decimal, in: F.context(rating: 4))
        #expect(value == .decimal(F.decimal("0.8")))
        #expect(value.description == "0.8")
        let noRating = try F.value("has(record.rating) ? record.rating / 5 : 1", expecting: .decimal, in: F.context(rating: nil))
        #expect(noRating == .decimal(.one))
    }

    /// Each case: an expression expecting a number, and its value worked out by hand.
    @Test("arithmetic", arguments: [
        ("1 + 2 * 3", "7"),
        ("(1 + 2) * 3", "9"),
        ("7 / 2", "3.5"),
        ("1 / 3", "0.333333333333333333"),
        ("2 / 3 * 3", "2.000000000000000001"),
        ("10 - 2.5", "7.5"),
        ("1.5 * 1.5", "2.25"),
        ("-record.minutes", "-90"),
        ("record.minutes / 60", "1.5"),
        ("record.hours * 12.5", "18.75"),
        ("volunteer.hours_total + record.hours", "121.5"),
        ("household.hours_total / household.members", "83.5"),
        ("size(record.tags) * 2", "4"),
        ("2", "2"),
        (#"record.response_level == "I" ? 2 : 1.5"#, "1.5"),
    ])
    func arithmetic(text: String, expected: String) throws {
        let value = try F.value(text, expecting: .decimal)
        #expect(value == .decimal(F.decimal(expected)), "\(text) = \(value)")
    }

    @Test("int arithmetic stays int; int / int is a decimal")
    func intResults() throws {
        #expect(try F.value("record.minutes + 30", expecting: .int) == .int(120))
        #expect(try F.value("record.minutes * 2 - 1", expecting: .int) == .int(179))
        #expect(F.errors("record.minutes / 30", expecting: .int).map(\.id) == ["P223"])
        #expect(try F.value("record.minutes / 30 == 3") == .bool(true))
    }

    @Test("record.hours is minutes / 60, rounded half-even at 18 digits when it does not terminate")
    func hours() throws {
        let value = try F.value("record.hours", expecting: .decimal, in: F.context(minutes: 25))
        #expect(value == .decimal(F.decimal("0.416666666666666667")))
    }

    // MARK: Comparisons and operators

    /// Each case: a condition and its truth on the fixture context (Saturday 2026-10-03, 90 minutes,
    /// rating 4, tags elder/长者, volunteer v-001 aged 75, household h-12 of 3).
    @Test("conditions", arguments: [
        (#"record.category == "orange" && record.weekday in ["sat", "sun"]"#, true),
        (#"record.weekday == "sat""#, true),
        (#"record.weekday != "sat""#, false),
        ("record.minutes >= 60", true),
        ("record.minutes > 90", false),
        ("record.minutes <= 90", true),
        ("record.minutes < 90", false),
        ("record.hours == 1.5", true),
        ("3 == 3.0", true),
        ("2 in [1, 2.0]", true),
        ("record.rating >= 4", true),
        ("record.rating > 4.5", false),
        ("record.is_holiday", true),
        ("!record.is_holiday", false),
        ("record.is_holiday || false", true),
        ("true && false", false),
        ("false || false", false),
        (#""ab" + "c" == "abc""#, true),
        (#""apple" < "banana""#, true),
        (#"record.date >= date("2026-10-01")"#, true),
        (#"record.date == date("2026-10-03")"#, true),
        ("volunteer.joined < record.date", true),
        (#""elder" in record.tags"#, true),
        (#""child" in record.tags"#, false),
        (#"record.tags.contains("长者")"#, true),
        (#"record.tags == ["elder", "长者"]"#, true),
        (#"record.tags != ["elder"]"#, true),
        (#"size("长者") == 2"#, true),
        ("record.tags.size() == 2", true),
        ("size([]) == 0", true),
        (#"volunteer.id.startsWith("v-")"#, true),
        (#"volunteer.id.endsWith("001")"#, true),
        (#"volunteer.id.contains("-0")"#, true),
        (#"volunteer.id.contains("")"#, true),
        (#"volunteer.id.startsWith("x")"#, false),
        ("volunteer.age == 75", true),
        ("volunteer.age >= 60 && volunteer.records_total > 40", true),
        (#""orange-team" in volunteer.teams"#, true),
        (#"volunteer.tags.contains("driver")"#, true),
        (#"volunteer.level == "star2""#, true),
        (#"volunteer.household == "h-12""#, true),
        (#"household.name == "王家""#, true),
        ("household.members * 2 == 6", true),
        ("household.points_total > 299.99", true),
        (#"record.kind == "service""#, true),
        (#"record.station == "taibaihu-1""#, true),
        (#"record.verifier == "op-7""#, true),
        ("record.start_hour < 12", true),
        ("record.minutes > 60 ? record.rating == 4 : false", true),
        ("(record.minutes > 60) == true", true),
    ])
    func conditions(text: String, expected: Bool) throws {
        #expect(try F.value(text) == .bool(expected), "\(text)")
    }

    // MARK: Absent optional fields

    @Test("every comparison with an absent field is false, even !=")
    func absentComparisons() throws {
        let context = F.context(rating: nil, responseLevel: nil)
        #expect(try F.value("record.rating == 4", in: context) == .bool(false))
        #expect(try F.value("record.rating != 4", in: context) == .bool(false))
        #expect(try F.value("record.rating < 4", in: context) == .bool(false))
        #expect(try F.value("!(record.rating == 4)", in: context) == .bool(true))
        #expect(try F.value("record.rating in [4, 5]", in: context) == .bool(false))
        #expect(try F.value("[4, 5].contains(record.rating)", in: context) == .bool(false))
        #expect(try F.value(#"record.response_level == "I""#, in: context) == .bool(false))
        #expect(try F.value("has(record.rating)", in: context) == .bool(false))
        #expect(try F.value("has(record.rating)") == .bool(true))
    }

    @Test("arithmetic on an absent field fails with P245 at the field")
    func absentArithmetic() throws {
        let text = "record.rating / 5"
        let result = try F.evaluate(text, expecting: .decimal, in: F.context(rating: nil))
        guard case .failure(let error) = result else {
            Issue.record("expected a failure, got \(result)")
            return
        }
        #expect(error.reason == .absentField("record.rating"))
        #expect(error.code == "P245")
        #expect(error.range.start == F.start)
        #expect(error.range.end.column == F.start.column + 13)
        #expect(error.description == "error[P245]: `record.rating` is absent for this record (at 31:9)")
    }

    @Test("a missing household makes household fields absent")
    func missingHousehold() throws {
        let context = F.context(household: nil)
        #expect(try F.value("household.members > 2", in: context) == .bool(false))
        #expect(try F.value("has(volunteer.household)", in: context) == .bool(false))
        #expect(try F.value("has(household.name)", in: context) == .bool(false))
        let result = try F.evaluate("household.members * 2", expecting: .decimal, in: context)
        #expect(throws: ExpressionEvaluationError.self) { try result.get() }
    }

    @Test("volunteer.age is computed on the service date")
    func age() {
        let born = ExpressionVolunteerFacts(id: "v", birthDate: LocalDate(year: 1950, month: 10, day: 4), joined: F.serviceDate)
        #expect(born.age(on: LocalDate(year: 2026, month: 10, day: 3)!) == 75)
        #expect(born.age(on: LocalDate(year: 2026, month: 10, day: 4)!) == 76)
        let leapling = ExpressionVolunteerFacts(id: "v", birthDate: LocalDate(year: 2000, month: 2, day: 29), joined: F.serviceDate)
        #expect(leapling.age(on: LocalDate(year: 2027, month: 2, day: 28)!) == 26)
        #expect(leapling.age(on: LocalDate(year: 2027, month: 3, day: 1)!) == 27)
        #expect(leapling.age(on: LocalDate(year: 1999, month: 1, day: 1)!) == nil)
        let unknown = ExpressionVolunteerFacts(id: "v", joined: F.serviceDate)
        #expect(unknown.age(on: F.serviceDate) == nil)
    }

    // MARK: Short-circuit and errors

    @Test("&& and || short-circuit: the right side is not evaluated when the left decides")
    func shortCircuit() throws {
        // 9223372036854775807 + 1 overflows whenever it is evaluated.
        #expect(try F.value("false && 9223372036854775807 + 1 > 0") == .bool(false))
        #expect(try F.value("true || 9223372036854775807 + 1 > 0") == .bool(true))
        let evaluated = try F.evaluate("true && 9223372036854775807 + 1 > 0")
        guard case .failure(let error) = evaluated else {
            Issue.record("expected an overflow")
            return
        }
        #expect(error.reason == .integerOverflow)
        #expect(error.code == "P246")
        // The ternary evaluates only the chosen branch.
        #expect(try F.value("true ? 1 : 9223372036854775807 + 1", expecting: .decimal) == .decimal(.one))
    }

    @Test("an error on the left is absorbed when the right side decides, as in CEL")
    func errorAbsorption() throws {
        let context = F.context(rating: nil)
        #expect(try F.value("record.rating * 2 > 1 && false", in: context) == .bool(false))
        #expect(try F.value("record.rating * 2 > 1 || true", in: context) == .bool(true))
        #expect(throws: ExpressionEvaluationError.self) { try F.evaluate("record.rating * 2 > 1 && true", in: context).get() }
        #expect(throws: ExpressionEvaluationError.self) { try F.evaluate("record.rating * 2 > 1 || false", in: context).get() }
        #expect(try F.value("false && record.rating * 2 > 1", in: context) == .bool(false))
    }

    @Test("runtime failures are values with codes", arguments: [
        ("10 / (record.minutes - 90)", ExpressionEvaluationError.Reason.divisionByZero, "P248"),
        ("volunteer.hours_total * 100000000000", ExpressionEvaluationError.Reason.decimalOutOfRange, "P247"),
        ("record.minutes * 9223372036854775807", ExpressionEvaluationError.Reason.integerOverflow, "P246"),
    ])
    func runtimeFailures(text: String, reason: ExpressionEvaluationError.Reason, code: String) throws {
        let result = try F.evaluate(text, expecting: .decimal, in: F.context(hoursTotal: F.decimal("1e10")))
        guard case .failure(let error) = result else {
            Issue.record("expected \(reason), got \(result)")
            return
        }
        #expect(error.reason == reason)
        #expect(error.code == code)
        #expect(F.covered(Diagnostic(severity: .error, id: code, message: "", range: error.range), in: text) == text)
    }

    // MARK: API

    @Test("compile once, evaluate against many contexts")
    func compileOnce() throws {
        let (compiled, diagnostics) = F.compile(#"record.weekday in ["sat", "sun"] && record.rating >= 4"#)
        #expect(diagnostics.isEmpty)
        let expression = try #require(compiled)
        #expect(expression.referencedFields == ["record.weekday", "record.rating"])
        #expect(expression.resultType == .bool)
        var context = F.context(rating: 5)
        #expect(expression.evaluateCondition(context) == .success(true))
        context.record.date = LocalDate(year: 2026, month: 10, day: 5)! // a Monday
        #expect(expression.evaluateCondition(context) == .success(false))
        #expect(expression.evaluateCondition(F.context(rating: 3)) == .success(false))
    }

    @Test("evaluateNumber and evaluateCondition")
    func typedEvaluation() throws {
        let factor = try #require(F.compile("record.minutes / 60", expecting: .decimal).0)
        #expect(factor.evaluateNumber(F.context()) == .success(F.decimal("1.5")))
        #expect(factor.evaluate(F.context()) == .success(.decimal(F.decimal("1.5"))))
        guard case .failure(let error) = factor.evaluateCondition(F.context()) else {
            Issue.record("a number is not a condition")
            return
        }
        #expect(error.code == "P249")
        let whole = try #require(F.compile("record.minutes", expecting: .decimal).0)
        #expect(whole.evaluate(F.context()) == .success(.decimal(ExactDecimal(90))))
    }

    @Test("values print as expressions would write them")
    func valueDescriptions() {
        #expect(ExpressionValue.list([.int(1), .string("a\"b"), .bool(true)]).description == #"[1, "a\"b", true]"#)
        #expect(ExpressionValue.date(F.serviceDate).description == #"date("2026-10-03")"#)
        #expect(ExpressionValue.decimal(F.decimal("0.80")).description == "0.8")
        #expect(ExpressionType.list(.string).description == "list<string>")
    }
}
