import Testing
@testable import TimeBankCore

/// Swift Testing has its own `SourceLocation`; these tests mean the policy file's.
private typealias SourceLocation = TimeBankCore.SourceLocation

@Suite("Expression checking")
struct ExpressionCheckerTests {
    typealias F = ExpressionFixtures

    /// Each case: the expression, the id of its first diagnostic, the exact text it points at, and its help.
    @Test("names, types and functions are checked with precise ranges", arguments: [
        (#"record.minutes == "60""#, "P220", #""60""#, ["write the number without quotes: `60`"]),
        ("record.category == 1", "P220", "1", [#"write it in quotes: "1""#]),
        ("record.date < 5", "P220", "5", []),
        ("true < false", "P220", "true < false", []),
        (#"record.category + 1 == "x""#, "P220", "record.category", []),
        (#"record.minutes + "30" > 60"#, "P220", #""30""#, ["write the number without quotes: `30`"]),
        ("!record.minutes", "P220", "record.minutes", []),
        (#"-record.category == "x""#, "P220", "record.category", []),
        ("record.minutes && true", "P220", "record.minutes", []),
        ("1 in record.tags", "P220", "1", []),
        (#"record.categry == "orange""#, "P213", "categry", ["did you mean `record.category`?"]),
        ("record.start > 8", "P213", "start", ["did you mean `record.start_hour`?"]),
        ("volunteer.hourstotal > 8", "P213", "hourstotal", ["did you mean `volunteer.hours_total`?"]),
        (#"recrod.category == "orange""#, "P212", "recrod", ["did you mean `record`?"]),
        (#"category == "orange""#, "P212", "category", ["did you mean `record.category`?"]),
        ("record.category == orange", "P212", "orange", [#"write text in quotes: "orange""#]),
        ("record.rating == null", "P212", "null", ["there is no null; test an optional field with `has(record.rating)`"]),
        ("record", "P219", "record", ["select one of its fields, such as `record.category`"]),
        ("size(record.tags, 1) > 0", "P216", "size(record.tags, 1)", []),
        (#"record.category.startsWith()"#, "P216", "record.category.startsWith()", []),
        ("record.tags.size(1) > 0", "P216", "record.tags.size(1)", []),
        (#"record.minutes.startsWith("6")"#, "P221", "record.minutes", []),
        ("record.category.startsWith(1)", "P221", "1", []),
        ("size(record.minutes) > 1", "P221", "record.minutes", []),
        (#"record.category.starts_with("o")"#, "P215", "starts_with", ["did you mean `.startsWith()`?"]),
        ("sise(record.tags) > 1", "P215", "sise", ["did you mean `size()`?"]),
        (#"contains(record.tags, "x")"#, "P215", "contains", ["call it as a method: `value.contains(...)`"]),
        ("record.rating.has()", "P215", "has", ["write it as a function: `has(...)`"]),
        ("has(record.rating + 1)", "P217", "record.rating + 1", ["write `has(record.rating)`"]),
        ("has(record.ratng)", "P213", "ratng", ["did you mean `record.rating`?"]),
        (#"date("2026-13-01") < record.date"#, "P218", #""2026-13-01""#, [#"write a date as `date("2026-10-01")`"#]),
        ("date(record.category) < record.date", "P218", "record.category", [#"write a date as `date("2026-10-01")`"#]),
        ("record.minutes / 0 > 1", "P227", "0", []),
        ("record.minutes / 0.0 > 1", "P227", "0.0", []),
        ("record.minutes / (60 - 60) > 1", "P227", "(60 - 60)", []),
        ("record.minutes / (2 * 0.0) + 1 > 1", "P227", "(2 * 0.0)", []),
        (#"[1, "a"] == [1]"#, "P224", #""a""#, []),
        (#"record.minutes > 60 ? 1 : "x""#, "P225", #"record.minutes > 60 ? 1 : "x""#, []),
        ("1 ? true : false", "P225", "1", []),
        (#"record.category in "orange""#, "P226", #""orange""#, [#"write a list such as `record.weekday in ["sat", "sun"]`"#]),
        ("record.rating.value > 1", "P228", "value", []),
        ("record.tags.size > 1", "P228", "size", ["write `.size()`"]),
        ("record.minutes", "P222", "record.minutes", ["compare it with something, e.g. `record.minutes >= 60`"]),
        ("(record.minutes + 1)", "P222", "(record.minutes + 1)", ["compare it with something, e.g. `record.minutes >= 60`"]),
    ] as [(String, String, String, [String])])
    func reportsMistakes(text: String, id: String, covered: String, help: [String]) throws {
        let diagnostics = F.errors(text)
        let first = try #require(diagnostics.first, "\(text)")
        #expect(first.id == id, "\(text): \(first.message)")
        #expect(F.covered(first, in: text) == covered, "\(text): \(first.message)")
        #expect(first.help == help, "\(text)")
    }

    @Test("messages read well")
    func messages() throws {
        #expect(F.errors(#"record.minutes == "60""#).first?.message == "cannot compare an int with a string")
        #expect(F.errors(#"record.categry == "orange""#).first?.message == "`record` has no field `categry`")
        #expect(F.errors("size(record.tags, 1) > 0").first?.message == "`size()` takes 1 argument, found 2")
        #expect(F.errors("record.minutes").first?.message == "a condition must be true or false, but this expression is an int")
        #expect(F.errors(#"record.category == "orange""#, expecting: .decimal).first?.message
            == "expected a number here, but this expression is a bool")
        #expect(F.errors("true < false").first?.message == "`<` cannot order bool values")
    }

    @Test("all mistakes in one expression are reported")
    func collectsErrors() {
        let text = #"record.categry == "x" && record.minutes == "60" && volunteer.agee > 3"#
        let diagnostics = F.errors(text)
        #expect(diagnostics.map(\.id) == ["P213", "P220", "P213"])
        #expect(diagnostics.map { F.covered($0, in: text) } == ["categry", #""60""#, "agee"])
    }

    // MARK: Value domains

    @Test("unknown categories and declared names, with suggestions", arguments: [
        (#"record.category == "orang""#, #""orang""#, #"unknown category "orang""#, [#"did you mean "orange"?"#]),
        (#""orang" == record.category"#, #""orang""#, #"unknown category "orang""#, [#"did you mean "orange"?"#]),
        (#"record.category != "Orange""#, #""Orange""#, #"unknown category "Orange""#, [#"did you mean "orange"?"#]),
        (#"record.category in ["orange", "bleu"]"#, #""bleu""#, #"unknown category "bleu""#, [#"did you mean "blue"?"#]),
        (#"["red", "gren"].contains(record.category)"#, #""gren""#, #"unknown category "gren""#, [#"did you mean "green"?"#]),
        (#"record.category == "yellow""#, #""yellow""#, #"unknown category "yellow""#, []),
        (#"record.indicator == "garbage_sortng""#, #""garbage_sortng""#, #"unknown indicator "garbage_sortng""#, [#"did you mean "garbage_sorting"?"#]),
        (#"record.station == "taibaihu-3""#, #""taibaihu-3""#, #"unknown station "taibaihu-3""#, []),
        (#"volunteer.level == "star4""#, #""star4""#, #"unknown level "star4""#, []),
    ] as [(String, String, String, [String])])
    func declaredNames(text: String, covered: String, message: String, help: [String]) throws {
        let first = try #require(F.errors(text).first)
        #expect(first.id == "P230")
        #expect(F.covered(first, in: text) == covered)
        #expect(first.message == message)
        #expect(first.help == help)
    }

    @Test("the declared names are listed in a note")
    func declaredNamesNote() throws {
        let first = try #require(F.errors(#"record.category == "orang""#).first)
        #expect(first.notes == [#"the declared category names are: "red", "orange", "blue", "green", "purple""#])
    }

    @Test("names the policy does not declare are not checked")
    func undeclaredListsAreOpen() {
        let open = ExpressionSchema(categories: ["orange"])
        #expect(F.compile(#"record.indicator == "anything""#, schema: open).0 != nil)
        #expect(F.compile(#"volunteer.level == "gold""#, schema: open).0 != nil)
        #expect(F.compile(#"record.category == "orange""#, schema: open).0 != nil)
    }

    @Test("comparisons that can never hold", arguments: [
        (#"record.weekday == "saturday""#, #""saturday""#, [#"did you mean "sat"?"#]),
        (#"record.weekday in ["sat", "Sun"]"#, #""Sun""#, [#"did you mean "sun"?"#]),
        (#"record.weekday == "周六""#, #""周六""#, [#"did you mean "sat"?"#]),
        (#"record.weekday != "sunday""#, #""sunday""#, [#"did you mean "sun"?"#]),
        (#"record.response_level == "IV""#, #""IV""#, []),
        (#"record.response_level == "2""#, #""2""#, [#"did you mean "II"?"#]),
        (#"record.kind == "services""#, #""services""#, [#"did you mean "service"?"#]),
        ("record.rating > 5", "5", []),
        ("5 < record.rating", "5", []),
        ("record.rating >= 6", "6", []),
        ("record.rating < 1", "1", []),
        ("record.rating == 4.5", "4.5", []),
        ("record.rating == -1", "-1", []),
        ("record.start_hour in [7, 24]", "24", []),
        ("record.start_hour == 24", "24", []),
    ] as [(String, String, [String])])
    func neverHolds(text: String, covered: String, help: [String]) throws {
        let first = try #require(F.errors(text).first)
        #expect(first.id == "P231", "\(text): \(first.message)")
        #expect(F.covered(first, in: text) == covered)
        #expect(first.help == help)
    }

    @Test("domain messages")
    func domainMessages() throws {
        let weekday = try #require(F.errors(#"record.weekday == "saturday""#).first)
        #expect(weekday.message == #"`record.weekday` is never "saturday", so this comparison is never true"#)
        #expect(weekday.notes == [#"`record.weekday` is one of "mon", "tue", "wed", "thu", "fri", "sat", "sun""#])
        let rating = try #require(F.errors("record.rating > 5").first)
        #expect(rating.message == "`record.rating > 5` never holds: `record.rating` is a whole number from 1 to 5")
        let level = try #require(F.errors(#"record.response_level == "IV""#).first)
        #expect(level.notes == [#"`record.response_level` is one of "I", "II", "III""#])
    }

    @Test("comparisons that always hold are warned about but compile", arguments: [
        "record.rating >= 1", "record.rating <= 5", "record.rating != 9", "record.start_hour < 24", "0 <= record.start_hour",
    ])
    func alwaysHolds(text: String) throws {
        let (compiled, diagnostics) = F.compile(text)
        #expect(compiled != nil)
        #expect(diagnostics.map(\.id) == ["P232"])
        #expect(diagnostics.first?.severity == .warning)
    }

    @Test("comparisons inside the domain are fine", arguments: [
        #"record.weekday in ["sat", "sun"]"#, #"record.response_level == "I""#, "record.rating >= 4",
        "record.rating > 4.5", "record.start_hour < 12", #"record.kind == "assessment""#,
        #"record.category == "orange" && record.weekday in ["sat", "sun"]"#,
    ])
    func insideDomain(text: String) {
        let (compiled, diagnostics) = F.compile(text)
        #expect(compiled != nil)
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.message))")
    }

    // MARK: Optional fields

    @Test("optional fields used where absence fails are warned about once", arguments: [
        ("record.rating / 5", ExpressionType.decimal, "record.rating", "has(record.rating) ? record.rating / 5 : 1"),
        ("record.rating * 2 > 6", ExpressionType.bool, "record.rating", "has(record.rating) && ..."),
        ("record.rating + record.rating > 6", ExpressionType.bool, "record.rating", "has(record.rating) && ..."),
        ("household.hours_total * 2 > 10", ExpressionType.bool, "household.hours_total", "has(household.hours_total) && ..."),
        ("volunteer.age", ExpressionType.decimal, "volunteer.age", "has(volunteer.age) ? volunteer.age / 5 : 1"),
        (#"record.verifier.startsWith("op-")"#, ExpressionType.bool, "record.verifier", "has(record.verifier) && ..."),
    ])
    func unguardedOptional(text: String, expecting: ExpressionType, covered: String, example: String) throws {
        let (compiled, diagnostics) = F.compile(text, expecting: expecting)
        #expect(compiled != nil)
        #expect(diagnostics.map(\.id) == ["P240"])
        let warning = try #require(diagnostics.first)
        #expect(warning.severity == .warning)
        #expect(F.covered(warning, in: text) == covered)
        #expect(warning.help == ["test it first: `\(example)`"])
    }

    @Test("has(), comparisons and ?: prove a field present", arguments: [
        ("has(record.rating) ? record.rating / 5 : 1", ExpressionType.decimal),
        ("has(record.rating) && record.rating * 2 > 6", ExpressionType.bool),
        ("!has(record.rating) || record.rating * 2 > 6", ExpressionType.bool),
        ("record.rating >= 4 && record.rating / 5 > 0.5", ExpressionType.bool),
        ("record.rating in [4, 5] && record.rating * 2 > 6", ExpressionType.bool),
        ("!has(record.rating) ? 1 : record.rating / 5", ExpressionType.decimal),
        ("has(volunteer.household) && household.hours_total * 2 > 10", ExpressionType.bool),
        ("household.members > 2 && household.hours_total * 2 > 10", ExpressionType.bool),
        ("(has(record.rating) && has(volunteer.age)) && record.rating + volunteer.age > 10", ExpressionType.bool),
        ("record.rating == 4", ExpressionType.bool),
        (#"record.response_level in ["I", "II"]"#, ExpressionType.bool),
    ])
    func guardedOptional(text: String, expecting: ExpressionType) {
        let (compiled, diagnostics) = F.compile(text, expecting: expecting)
        #expect(compiled != nil)
        #expect(diagnostics.isEmpty, "\(text): \(diagnostics.map(\.message))")
    }

    @Test("a guard on one side of || does not protect the other")
    func orDoesNotGuard() {
        let (_, diagnostics) = F.compile("has(record.rating) || record.rating * 2 > 6")
        #expect(diagnostics.map(\.id) == ["P240"])
    }

    @Test("has() on a field that is always present is a warning")
    func hasOnRequiredField() throws {
        let text = "has(record.minutes) && record.minutes > 0"
        let (compiled, diagnostics) = F.compile(text)
        #expect(compiled != nil)
        #expect(diagnostics.map(\.id) == ["P241"])
        #expect(F.covered(try #require(diagnostics.first), in: text) == "record.minutes")
    }

    // MARK: Result types and schema switches

    @Test("the expected result type is enforced")
    func resultTypes() {
        #expect(F.compile("record.rating >= 4").0 != nil)
        #expect(F.compile("1.5", expecting: .decimal).0 != nil)
        #expect(F.compile("2", expecting: .decimal).0 != nil)
        #expect(F.compile("record.minutes", expecting: .int).0 != nil)
        #expect(F.errors("1.5", expecting: .int).map(\.id) == ["P223"])
        #expect(F.errors(#""x""#, expecting: .decimal).map(\.id) == ["P223"])
        #expect(F.compile("record.tags", expecting: .list(.string)).0 != nil)
        #expect(F.errors("record.date", expecting: .string).map(\.id) == ["P223"])
    }

    @Test("a field the policy switched off is reported with the reason")
    func unavailableField() throws {
        var schema = F.schema
        schema.unavailableFields["record.rating"] = "ratings are switched off: [features] ratings = false"
        let text = "record.rating >= 4"
        let (compiled, diagnostics) = F.compile(text, schema: schema)
        #expect(compiled == nil)
        let diagnostic = try #require(diagnostics.first)
        #expect(diagnostic.id == "P214")
        #expect(F.covered(diagnostic, in: text) == "record.rating")
        #expect(diagnostic.notes == ["ratings are switched off: [features] ratings = false"])
        #expect(F.compile("has(record.rating)", schema: schema).1.map(\.id) == ["P214"])
    }

    @Test("the schema lists every field with its type")
    func schemaFields() {
        let fields = ExpressionSchema.fields
        #expect(fields.count == 28)
        #expect(Set(fields.map(\.path)).count == fields.count)
        let rating = fields.first { $0.path == "record.rating" }
        #expect(rating?.type == .int && rating?.isOptional == true)
        #expect(fields.first { $0.path == "volunteer.teams" }?.type == .list(.string))
        #expect(fields.first { $0.path == "household.points_total" }?.isOptional == true)
        #expect(fields.first { $0.path == "record.category" }?.isOptional == false)
    }

    @Test("spelling suggestions")
    func spelling() {
        #expect(ExpressionSpelling.suggestion(for: "orang", among: ["red", "orange"]) == "orange")
        #expect(ExpressionSpelling.suggestion(for: "Saturday", among: ExpressionField.weekdays, aliases: ExpressionField.weekdayAliases) == "sat")
        #expect(ExpressionSpelling.suggestion(for: "IV", among: ["I", "II", "III"]) == nil)
        #expect(ExpressionSpelling.suggestion(for: "xyz", among: ["red", "orange"]) == nil)
        #expect(ExpressionSpelling.suggestion(for: "start", among: ["start_hour", "end_hour"]) == "start_hour")
        #expect(ExpressionSpelling.suggestion(for: "starts_with", among: ["startsWith", "endsWith"]) == "startsWith")
    }
}
