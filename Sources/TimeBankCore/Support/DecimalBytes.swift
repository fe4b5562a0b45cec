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

    /// Appends the canonical text of `value` ("21.6", "-0.05", "720"; its `description`), without making a String: the
    /// steps of a posted explanation are written for every record a settlement posts.
    public mutating func appendDecimal(_ value: ExactDecimal) {
        if value.significand < 0 { append(UInt8(ascii: "-")) }
        let magnitude = value.significand.magnitude
        let scale = value.scale
        // The digits from the last, and zeros up to the units when the value is below 1 (0.05: "500" read backwards).
        // A magnitude is below 10^38: at most 38 digits, and at most 19 with the zeros before a fraction.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 40) { digits in
            var count = 0
            func write<Magnitude: BinaryInteger>(_ magnitude: Magnitude) {
                var rest = magnitude
                repeat {
                    digits[count] = UInt8(48 + rest % 10)
                    rest /= 10
                    count += 1
                } while rest > 0
            }
            // Most values fit 64 bits, whose divisions are much cheaper than 128-bit ones.
            if magnitude <= UInt128(UInt64.max) { write(UInt64(truncatingIfNeeded: magnitude)) } else { write(magnitude) }
            while count <= scale {
                digits[count] = UInt8(ascii: "0")
                count += 1
            }
            for position in stride(from: count - 1, through: 0, by: -1) {
                append(digits[position])
                if position == scale, scale > 0 { append(UInt8(ascii: ".")) }
            }
        }
    }
}
