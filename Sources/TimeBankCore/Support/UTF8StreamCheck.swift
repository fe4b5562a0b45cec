/// Checks that a file handed over in pieces is UTF-8 text, by the same strict rules as
/// `TextEncodingCheck.requireUTF8` (no overlong forms, no surrogates, nothing above U+10FFFF, no
/// NUL), finding the same first bad byte wherever the pieces are cut.
///
///     var check = UTF8StreamCheck()
///     for chunk in chunks { guard check.feed(chunk) else { break } }
///     check.finish()
///     check.firstBadOffset   // nil: the file is UTF-8
///
/// - Complexity: O(n) in the number of bytes; holds at most the 3 bytes of a split character.
public struct UTF8StreamCheck: Sendable {
    /// The bytes of a character split between two pieces, from its lead byte.
    private var carry: [UInt8] = []
    /// The file offset of the next byte to be fed.
    private var offset = 0
    /// The file offset of the first byte that is not part of valid UTF-8, once one is found.
    public private(set) var firstBadOffset: Int?

    /// Creates a check at the start of a file.
    public init() {}

    /// Checks the next piece; false once a bad byte is found (later pieces are not checked).
    @discardableResult
    public mutating func feed(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard firstBadOffset == nil else { return false }
        let pieceOffset = offset
        offset += bytes.count
        var start = 0
        if !carry.isEmpty {
            // Complete the split character with the first bytes of this piece.
            let carryOffset = pieceOffset - carry.count
            let needed = Self.length(of: carry[0]) - carry.count
            let taken = min(needed, bytes.count)
            carry.append(contentsOf: bytes.prefix(taken))
            switch Self.check(carry[...]) {
            case .valid: carry.removeAll(keepingCapacity: true)
            case .bad:
                firstBadOffset = carryOffset
                return false
            case .incomplete: return true // the piece was shorter than the rest of the character
            }
            start = taken
        }
        bytes.withMemoryRebound(to: UInt8.self) { buffer in
            var index = start
            let count = buffer.count
            while index < count {
                let lead = buffer[index]
                if lead < 0x80 {
                    if lead == 0 {
                        firstBadOffset = pieceOffset + index
                        return
                    }
                    index += 1
                    continue
                }
                let length = Self.length(of: lead)
                let end = min(count, index + max(length, 1))
                switch Self.check(buffer[index..<end]) {
                case .valid: index += length
                case .bad:
                    firstBadOffset = pieceOffset + index
                    return
                case .incomplete:
                    carry = Array(buffer[index..<count])
                    return
                }
            }
        }
        return firstBadOffset == nil
    }

    /// Checks the next piece (an array).
    @discardableResult
    public mutating func feed(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { feed($0) }
    }

    /// Ends the file: a character cut off by the end is bad. Returns true when the file is UTF-8.
    @discardableResult
    public mutating func finish() -> Bool {
        if firstBadOffset == nil, !carry.isEmpty { firstBadOffset = offset - carry.count }
        carry.removeAll()
        return firstBadOffset == nil
    }

    /// The length a lead byte announces; 0 for a byte that cannot start a character.
    private static func length(of lead: UInt8) -> Int {
        switch lead {
        case 0x01...0x7F: 1
        case 0xC2...0xDF: 2
        case 0xE0...0xEF: 3
        case 0xF0...0xF4: 4
        default: 0 // NUL, a stray continuation byte, C0, C1 or F5–FF
        }
    }

    private enum Verdict { case valid, bad, incomplete }

    /// Checks one character starting at its lead byte (non-ASCII): the bytes may stop short of its length.
    private static func check<C: Collection>(_ bytes: C) -> Verdict where C.Element == UInt8, C.Index == Int {
        let lead = bytes[bytes.startIndex]
        let length = length(of: lead)
        guard length > 1 else { return length == 1 ? .valid : .bad }
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xE0: secondRange = 0xA0...0xBF
        case 0xED: secondRange = 0x80...0x9F
        case 0xF0: secondRange = 0x90...0xBF
        case 0xF4: secondRange = 0x80...0x8F
        default: break
        }
        var position = 1
        var index = bytes.index(after: bytes.startIndex)
        while position < length {
            guard index < bytes.endIndex else { return .incomplete }
            let byte = bytes[index]
            let valid = position == 1 ? secondRange.contains(byte) : byte & 0xC0 == 0x80
            if !valid { return .bad }
            position += 1
            index = bytes.index(after: index)
        }
        return .valid
    }
}
