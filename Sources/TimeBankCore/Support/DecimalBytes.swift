extension Array where Element == UInt8 {
    /// Appends `value` in decimal, as `String(value)` writes it, without making the String: for texts built as
    /// bytes on hot paths (a record's canonical text, a posted explanation).
    public mutating func appendDecimal(_ value: Int) {
        if value < 0 { append(UInt8(ascii: "-")) }
        let magnitude = value.magnitude
        var divisor: UInt = 1
        while divisor <= magnitude / 10 { divisor *= 10 }
        repeat {
            append(UInt8(48 + magnitude / divisor % 10))
            divisor /= 10
        } while divisor > 0
    }

    /// Appends the last `count` decimal digits of `value` (not negative), with leading zeros: `2026-01-05`'s parts.
    public mutating func appendDigits(_ value: Int, count: Int) {
        var divisor = 1
        for _ in 1..<Swift.max(1, count) { divisor *= 10 }
        for _ in 0..<count {
            append(UInt8(48 + value / divisor % 10))
            divisor /= 10
        }
    }
}
