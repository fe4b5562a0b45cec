/// Turns byte offsets of a source into line/column locations (columns count Unicode scalars).
///
/// Locations are mostly asked for in increasing order, so the last answer is kept and the next
/// one counts on from it; this keeps long single-line inputs linear.
struct TOMLSourceMap {
    private let bytes: [UInt8]
    /// Offset of the first byte of every line (after each line feed).
    private let lineStarts: [Int]
    private var cachedOffset = 0
    private var cachedLineIndex = 0
    private var cachedColumn = 1
    /// A byte-order mark is not a column: the first character after it is column 1.
    private let byteOrderMarkLength: Int

    init(bytes: [UInt8]) {
        self.bytes = bytes
        self.byteOrderMarkLength = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var starts = [0]
        starts.reserveCapacity(bytes.count / 24 + 1)
        for (offset, byte) in bytes.enumerated() where byte == 0x0A {
            starts.append(offset + 1)
        }
        self.lineStarts = starts
        self.cachedOffset = byteOrderMarkLength
    }

    /// The location of the byte at `offset` (0...bytes.count).
    mutating func location(at requestedOffset: Int) -> SourceLocation {
        let offset = min(max(requestedOffset, 0), bytes.count)
        let lineIndex: Int
        var column: Int
        var countFrom: Int
        let nextLineStart = cachedLineIndex + 1 < lineStarts.count ? lineStarts[cachedLineIndex + 1] : Int.max
        if offset >= cachedOffset && offset < nextLineStart {
            lineIndex = cachedLineIndex
            column = cachedColumn
            countFrom = cachedOffset
        } else {
            // Usually the offset is earlier on the same line, or on one of the next two lines.
            let lineStart = lineStarts[cachedLineIndex]
            if offset < cachedOffset && offset >= lineStart {
                lineIndex = cachedLineIndex
                if cachedOffset - offset < offset - lineStart && offset >= byteOrderMarkLength {
                    // Closer to the last answer than to the line start: count backwards, so
                    // the start of a long value on a very long line costs its length, not the line's.
                    column = cachedColumn
                    var index = cachedOffset
                    while index > offset {
                        index -= 1
                        if bytes[index] & 0xC0 != 0x80 { column -= 1 }
                    }
                    return remember(offset: offset, lineIndex: lineIndex, column: column)
                }
            } else if offset >= nextLineStart, cachedLineIndex + 2 < lineStarts.count, offset < lineStarts[cachedLineIndex + 2] {
                lineIndex = cachedLineIndex + 1
            } else if offset >= nextLineStart, cachedLineIndex + 3 < lineStarts.count,
                      offset >= lineStarts[cachedLineIndex + 2], offset < lineStarts[cachedLineIndex + 3] {
                lineIndex = cachedLineIndex + 2
            } else {
                lineIndex = lineIndexContaining(offset)
            }
            column = 1
            countFrom = lineIndex == 0 ? min(byteOrderMarkLength, offset) : lineStarts[lineIndex]
        }
        while countFrom < offset {
            // Every byte that is not a UTF-8 continuation byte starts a new scalar.
            if bytes[countFrom] & 0xC0 != 0x80 { column += 1 }
            countFrom += 1
        }
        return remember(offset: offset, lineIndex: lineIndex, column: column)
    }

    private mutating func remember(offset: Int, lineIndex: Int, column: Int) -> SourceLocation {
        cachedOffset = offset
        cachedLineIndex = lineIndex
        cachedColumn = column
        return SourceLocation(line: lineIndex + 1, column: column, offset: offset)
    }

    /// The range from `start` to `end` (byte offsets).
    mutating func range(_ start: Int, _ end: Int) -> SourceRange {
        let startLocation = location(at: start)
        return SourceRange(start: startLocation, end: location(at: max(start, end)))
    }

    /// A non-empty range for a point: the scalar at `offset`, or the last scalar when `offset`
    /// is the end of the input. Empty only for an empty input.
    mutating func pointRange(at offset: Int) -> SourceRange {
        if offset < bytes.count {
            return range(offset, offset + TOMLSourceMap.scalarLength(bytes, at: offset))
        }
        var start = bytes.count
        guard start > 0 else { return range(0, 0) }
        start -= 1
        while start > 0 && bytes[start] & 0xC0 == 0x80 { start -= 1 }
        return range(start, bytes.count)
    }

    private func lineIndexContaining(_ offset: Int) -> Int {
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        return low
    }

    /// Bytes in the UTF-8 sequence starting at `offset` (1 for a lone or invalid byte).
    static func scalarLength(_ bytes: [UInt8], at offset: Int) -> Int {
        let lead = bytes[offset]
        let length: Int
        switch lead {
        case 0xC0...0xDF: length = 2
        case 0xE0...0xEF: length = 3
        case 0xF0...0xF7: length = 4
        default: return 1
        }
        var end = offset + 1
        while end < bytes.count && end < offset + length && bytes[end] & 0xC0 == 0x80 { end += 1 }
        return end - offset
    }

    /// The offsets of invalid UTF-8 sequences (at most `limit`, and at most one per line).
    static func invalidUTF8Offsets(_ bytes: [UInt8], limit: Int) -> [Int] {
        var found: [Int] = []
        var offset = 0
        var lastReportedLineEnd = -1
        let count = bytes.count
        while offset < count {
            let lead = bytes[offset]
            if lead < 0x80 {
                offset += 1
                continue
            }
            let length = validSequenceLength(bytes, at: offset)
            if length > 0 {
                offset += length
                continue
            }
            if offset > lastReportedLineEnd {
                found.append(offset)
                if found.count >= limit { return found }
                var lineEnd = offset
                while lineEnd < count && bytes[lineEnd] != 0x0A { lineEnd += 1 }
                lastReportedLineEnd = lineEnd
            }
            offset += 1
        }
        return found
    }

    /// The length of the well-formed UTF-8 sequence at `offset`, or 0 when it is ill-formed
    /// (overlong forms, surrogates and values above U+10FFFF are ill-formed).
    private static func validSequenceLength(_ bytes: [UInt8], at offset: Int) -> Int {
        let lead = bytes[offset]
        func continuation(_ index: Int, _ range: ClosedRange<UInt8> = 0x80...0xBF) -> Bool {
            index < bytes.count && range.contains(bytes[index])
        }
        switch lead {
        case 0xC2...0xDF:
            return continuation(offset + 1) ? 2 : 0
        case 0xE0:
            return continuation(offset + 1, 0xA0...0xBF) && continuation(offset + 2) ? 3 : 0
        case 0xE1...0xEC, 0xEE...0xEF:
            return continuation(offset + 1) && continuation(offset + 2) ? 3 : 0
        case 0xED:
            return continuation(offset + 1, 0x80...0x9F) && continuation(offset + 2) ? 3 : 0
        case 0xF0:
            return continuation(offset + 1, 0x90...0xBF) && continuation(offset + 2) && continuation(offset + 3) ? 4 : 0
        case 0xF1...0xF3:
            return continuation(offset + 1) && continuation(offset + 2) && continuation(offset + 3) ? 4 : 0
        case 0xF4:
            return continuation(offset + 1, 0x80...0x8F) && continuation(offset + 2) && continuation(offset + 3) ? 4 : 0
        default:
            return 0
        }
    }
}
