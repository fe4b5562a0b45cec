/// What an operator may do: run the whole community, serve at one station's counter, or only read.
public enum OperatorRole: String, CaseIterable, Sendable, Hashable {
    /// Everything, at every station: operators, stations, policy, stock and redemptions.
    case admin
    /// Redemptions, bookings, refunds, transfers and stock at their own station.
    case `operator`
    /// Reads everything, writes nothing (the street office's auditor, 审计).
    case auditor
}

/// A person who works a station's counter or runs the community (操作员, 管理员).
public struct Operator: Hashable, Sendable {
    /// 1 to 64 characters without spaces or `:`, such as `op-zhang`.
    public var id: String
    public var name: String
    public var role: OperatorRole
    /// The station an operator works at: required for `operator`, optional for the others.
    public var station: String?

    public init(id: String, name: String, role: OperatorRole, station: String?) {
        self.id = id
        self.name = name
        self.role = role
        self.station = station
    }

    /// Checks the fields that do not depend on stored state: the id, the name, and that an operator has a station.
    public func validate() throws(AccessError) {
        guard AccountID.isValidOwner(id) else {
            throw .invalidOperator(field: "id", reason: "\"\(id)\" is not 1 to 64 characters without spaces or \":\"")
        }
        // The rules of volunteer and station ids (C006, C011, C012), as O008: an id that shows on screen as another one
        // (`op-zhang` with a zero-width space, or with the Cyrillic `о`), or is typed full-width, could not be typed at sign-in.
        if let lookAlike = CommunityRules.lookAlikeProblem(kind: "operator", id: id) {
            throw .invalidOperator(field: "id", reason: lookAlike.reasonAfterID)
        }
        if let halfWidth = CommunityRules.halfWidthID(id) {
            throw .invalidOperator(field: "id", reason: "the id \"\(id)\" " + CommunityError.fullWidthReason(halfWidth: halfWidth))
        }
        // The rule of volunteers' and stations' names: the name prints on every receipt and in `operator list`, where a
        // bidirectional override would show the rest of the line reversed and a C1 control (U+0085) break it.
        if let problem = CommunityRules.textProblem(name, required: true, maximum: CommunityRules.nameLengthMaximum) {
            throw .invalidOperator(field: "name", reason: "\(problem) (give 1 to \(CommunityRules.nameLengthMaximum) characters on one line)")
        }
        if role == .operator, station == nil {
            throw .invalidOperator(field: "station", reason: "an operator works at one station: give --station")
        }
        if role != .operator, let station {
            throw .invalidOperator(field: "station", reason: role == .admin
                ? "an admin acts at every station, so a station (\(station)) would mean nothing: leave out --station"
                : "an auditor reads every station and writes at none, so a station (\(station)) would mean nothing: leave out --station")
        }
    }
}

/// A signed-in operator: made only by `TimeBankStore.signIn` after the PIN was checked, and passed to
/// every write so that it is authorised and records who did it.
public struct OperatorSession: Hashable, Sendable {
    public let operatorID: String
    public let name: String
    public let role: OperatorRole
    public let station: String?
    /// The store whose `signIn` gave the session (its database file; see `TimeBankStore.sessionIssuer`): another
    /// store refuses it (O016), since the same operator id there may be somebody else.
    package let issuer: String

    /// For the store's sign-in only; everything else receives a session from it.
    package init(operatorID: String, name: String, role: OperatorRole, station: String?, issuer: String = "") {
        self.operatorID = operatorID
        self.name = name
        self.role = role
        self.station = station
        self.issuer = issuer
    }

    /// The operator this session is for.
    public var `operator`: Operator { Operator(id: operatorID, name: name, role: role, station: station) }
}

/// The kinds of action the access rules decide on.
public enum StationAction: String, Sendable, Hashable, CaseIterable {
    case redeem, book, fulfil, cancelBooking = "cancel", refund
    case receiveStock = "stock receive", adjustStock = "stock adjust", moveStock = "stock move"
    /// A stocktake (`stock count`): the counted numbers corrected in by count-corrections, as `stock adjust` does.
    case countStock = "stock count"
    case transfer, donate
    case manageOperators = "operator add"
    /// Withdrawing or giving back an operator's access (`operator disable`, `operator enable`).
    case manageAccess = "withdraw or give back an operator's access"
    /// Setting another operator's PIN (`operator pin --for ID`); one's own PIN anyone may change.
    case setPIN = "set another operator's PIN"
    /// Releasing lapsed bookings (`booking expire`): a write, so not an auditor's.
    case expireBookings = "expire bookings"
    /// Changing stations, the community or the ledger by hand, and activating a policy.
    case administer = "change the community, the ledger or the policy"
    /// Refunding a receipt after its return window (`refund --late`): an admin's correction.
    case lateRefund = "refund after the return window"

    /// The action as a person says it, after "may not": `add an operator`, `redeem points`.
    public var inWords: String {
        switch self {
        case .redeem: "redeem points"
        case .book: "book a service"
        case .fulfil: "fulfil a booking"
        case .cancelBooking: "cancel a booking"
        case .refund: "refund a receipt"
        case .receiveStock: "receive stock"
        case .adjustStock: "adjust stock"
        case .moveStock: "move stock to another station"
        case .countStock: "record a stocktake"
        case .transfer: "record a gift of points"
        case .donate: "record a donation of points"
        case .manageOperators: "add an operator"
        case .manageAccess: "withdraw or give back an operator's access"
        case .setPIN: "set another operator's PIN"
        case .expireBookings: "release lapsed bookings"
        case .administer: "change the community, the ledger or the policy"
        case .lateRefund: "refund after the return window"
        }
    }

    /// Who may do it, as a person says it, before "may": `only an admin`, `an operator of station S01 or an admin`.
    /// `station`: where a counter action was asked for.
    public func whoMay(at station: String?) -> String {
        if needsAdmin { return "only an admin" }
        if isAtStation { return station.map { "an operator of station \($0) or an admin" } ?? "that station's operators or an admin" }
        return "an operator or an admin"
    }

    /// Whether the action happens at one station's counter (and so only at the operator's own station).
    public var isAtStation: Bool {
        switch self {
        case .redeem, .book, .fulfil, .cancelBooking, .refund, .receiveStock, .adjustStock, .moveStock, .countStock: true
        case .transfer, .donate, .manageOperators, .manageAccess, .setPIN, .expireBookings, .administer, .lateRefund: false
        }
    }

    /// Whether only an admin may do it.
    public var needsAdmin: Bool {
        self == .manageOperators || self == .manageAccess || self == .setPIN || self == .administer || self == .lateRefund
    }
}

/// Who may do what, where. A refusal names the rule that refused it.
public enum AccessRules {
    /// Checks that `session` may do `action` (at `station` for counter actions). Throws the refusal, naming the rule.
    /// `doing`: the action in words when `action.inWords` is too general (`activate a policy` for `.administer`).
    ///
    ///     try AccessRules.check(session, .redeem, at: "S02")
    ///     // an operator of S01: error[O004]: op-zhang works at station S01, not S02 (rule: operators act only at their own station)
    public static func check(_ session: OperatorSession, _ action: StationAction, at station: String? = nil,
                             doing: String? = nil) throws(AccessError) {
        switch session.role {
        case .auditor:
            throw .roleForbidden(operatorID: session.operatorID, role: .auditor, action: action, doing: doing ?? action.inWords,
                                 whoMay: action.whoMay(at: station))
        case .operator:
            if action.needsAdmin {
                throw .roleForbidden(operatorID: session.operatorID, role: .operator, action: action, doing: doing ?? action.inWords,
                                     whoMay: action.whoMay(at: station))
            }
            if action.isAtStation, let station, session.station != station {
                throw .wrongStation(operatorID: session.operatorID, ownStation: session.station ?? "-", station: station)
            }
        case .admin:
            return
        }
    }
}

/// A stored PIN: `pbkdf2-sha256$ITERATIONS$SALT$HASH` with the salt and the 32-byte hash in lowercase hex.
/// The PIN itself is never stored.
///
///     let credential = PINCredential.make(pin: "482916", salt: salt, iterations: 100_000)!
///     credential.matches(pin: "482916")   // true
public struct PINCredential: Hashable, Sendable {
    /// The iterations new PINs are hashed with. Chosen so that one sign-in costs tens of milliseconds on
    /// a small machine: cheap for a counter, slow for someone guessing PINs from a stolen database.
    public static let defaultIterations = 60_000
    /// The fewest iterations a stored PIN may have (tests use few; stored values below this are refused).
    public static let iterationsMinimum = 1
    public static let saltByteCount = 16
    public static let pinLengthMinimum = 4
    public static let pinLengthMaximum = 64

    public let iterations: Int
    public let salt: [UInt8]
    public let hash: [UInt8]

    /// Hashes `pin` with `salt`; nil when the PIN, salt or iteration count is out of range.
    public static func make(pin: String, salt: [UInt8], iterations: Int = defaultIterations) -> PINCredential? {
        guard validatePIN(pin) == nil, !salt.isEmpty, salt.count <= 64,
              let hash = PBKDF2.deriveKey(password: Array(pin.utf8), salt: salt, iterations: iterations, byteCount: 32) else { return nil }
        return PINCredential(iterations: iterations, salt: salt, hash: hash)
    }

    /// Whether `pin` is the PIN this credential was made from (compared in constant time).
    public func matches(pin: String) -> Bool {
        guard let derived = PBKDF2.deriveKey(password: Array(pin.utf8), salt: salt, iterations: iterations, byteCount: hash.count) else {
            return false
        }
        return PBKDF2.constantTimeEqual(derived, hash)
    }

    /// What is wrong with a new PIN, or nil: 4 to 64 characters, no spaces or control characters.
    public static func validatePIN(_ pin: String) -> String? {
        let count = pin.unicodeScalars.count
        if count < pinLengthMinimum { return "a PIN has at least \(pinLengthMinimum) characters" }
        if count > pinLengthMaximum { return "a PIN has at most \(pinLengthMaximum) characters" }
        if pin.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F }) {
            return "a PIN has no spaces or control characters"
        }
        return nil
    }

    /// Why a new PIN is one a guesser tries first, or nil: one character repeated (`1111`, `0000`), a run of digits up or
    /// down (`1234`, `4321`, `0123`), or the operator's own id in any letter case. Five wrong PINs lock an id (O012), so a
    /// guesser spends those five on the commonest PINs, and these head every list of them. Checked where a PIN is set
    /// (`addOperator`, `changePIN`, `init`), not at sign-in: a PIN stored before this rule still signs in. The reason never
    /// repeats the PIN, which a message on screen or in a log would show.
    public static func guessablePINProblem(_ pin: String, operatorID: String) -> String? {
        let scalars = Array(pin.unicodeScalars)
        guard let first = scalars.first else { return nil }
        if scalars.allSatisfy({ $0 == first }) { return "it is one character repeated (such as 0000 or 1111), which a guesser tries first" }
        let digits = scalars.compactMap { $0.properties.numericType == .decimal && $0.isASCII ? Int($0.value) - 48 : nil }
        if digits.count == scalars.count, digits.count >= 2 {
            let steps = Set(zip(digits, digits.dropFirst()).map { $1 - $0 })
            if steps == [1] || steps == [-1] { return "it is a run of digits up or down (such as 1234 or 4321), which a guesser tries first" }
        }
        if pin.lowercased() == operatorID.lowercased() { return "it is the operator's id, which a guesser tries first" }
        return nil
    }

    /// The stored text form.
    public var encoded: String {
        "pbkdf2-sha256$\(iterations)$\(SHA256.hex(salt))$\(SHA256.hex(hash))"
    }

    /// Parses the stored text form; nil when it is not one.
    public init?(encoded text: String) {
        let parts = text.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "pbkdf2-sha256", let iterations = Int(parts[1]),
              (Self.iterationsMinimum...PBKDF2.iterationsMaximum).contains(iterations),
              let salt = Self.bytes(fromHex: parts[2]), !salt.isEmpty,
              let hash = Self.bytes(fromHex: parts[3]), hash.count == 32 else { return nil }
        self.init(iterations: iterations, salt: salt, hash: hash)
    }

    /// A credential from its parts (no check: `matches` simply fails for a hash of the wrong length).
    public init(iterations: Int, salt: [UInt8], hash: [UInt8]) {
        self.iterations = iterations
        self.salt = salt
        self.hash = hash
    }

    static func bytes(fromHex text: Substring) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        func value(_ digit: UInt8) -> UInt8? {
            switch digit {
            case 48...57: digit - 48
            case 97...102: digit - 87
            default: nil
            }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = value(digits[index]), let low = value(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }
}
