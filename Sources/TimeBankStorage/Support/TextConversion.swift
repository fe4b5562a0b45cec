#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TimeBankCore

/// A file read with `--encoding` that is not text in that encoding (I108), or that is UTF-8 already, which the
/// conversion would garble (I109). Exit 2; nothing was read from the file.
public struct TextConversionError: TimeBankError, Hashable {
    /// `I108` or `I109`.
    public let code: String
    /// The file name as the user gave it.
    public let fileName: String
    /// Where the conversion stopped, in the text converted before it (I108); nil for I109.
    public let location: SourceLocation?
    /// What is wrong, without the file's name and place.
    public let problem: String
    /// What to do about it.
    public let help: String

    public var category: ErrorCategory { .badInput }
    /// `FILE:LINE:COLUMN: …` then the help line, as `FileEncodingError` words I100.
    public var message: String {
        "\(fileName)\(location.map { ":\($0)" } ?? ""): \(problem)\nhelp: \(help)"
    }
}

/// The reasons a file could not be converted that are not the file's text: it cannot be read, or its UTF-8 copy
/// cannot be written (no space left, no temporary folder).
public struct TextConversionFileError: TimeBankError, Hashable {
    public let message: String
    public var code: String { "U001" }
    public var category: ErrorCategory { .badInput }
}

/// Converts a file in another encoding (`SourceEncoding`) to UTF-8 with the C library's `iconv` (glibc carries
/// GB18030, UTF-16 and ISO-8859-1 on every Debian machine: package libc6), so that the imports read it as they
/// read UTF-8. Nothing is guessed: the caller names the encoding. A byte that is not part of a character in it
/// stops the conversion with the place it is at (I108); a file that is already UTF-8 with characters beyond ASCII
/// is refused (I109), since reading it as GB18030 would turn every name into other characters.
///
///     let utf8 = try TextConversion.utf8(bytes, from: .gb18030, fileName: "volunteers.csv")
public enum TextConversion {
    /// `bytes` (a whole file) in UTF-8; the same bytes for `.utf8`.
    public static func utf8(_ bytes: [UInt8], from encoding: SourceEncoding, fileName: String) throws -> [UInt8] {
        guard encoding != .utf8 else { return bytes }
        var conversion = try Conversion(from: encoding, fileName: fileName)
        var output = try bytes.withUnsafeBytes { try conversion.feed($0) }
        output += try conversion.finish()
        return output
    }

    /// Writes a UTF-8 copy of the file at `path` into a new file in `temporaryFolder` (nil: `TMPDIR`, else /tmp) and
    /// returns its path; the caller removes it. Read and written in pieces: a file of a million rows is never held.
    /// With `.utf8` the bytes are copied as they are (checked later, as the file's own would be): that makes a file
    /// of a pipe (`<(command)`, /dev/stdin), which an import that reads its start again cannot read twice.
    public static func utf8Copy(ofFileAt path: String, from encoding: SourceEncoding, fileName: String,
                                temporaryFolder: String? = nil, chunkByteCount: Int = 1 << 20) throws -> String {
        let input = open(path, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw TextConversionFileError(message: "cannot read \(path): \(OSErrorText.readProblem(errno, path: path))") }
        defer { close(input) }
        let folder = (temporaryFolder ?? getenv("TMPDIR").map { String(cString: $0) }).flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array("\(folder)/timebank-\(encoding.name.lowercased())-XXXXXX".utf8CString)
        let output = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        let copy = String(cString: template.withUnsafeBufferPointer { $0.baseAddress! })
        guard output >= 0 else {
            throw TextConversionFileError(message: "cannot convert \(fileName) to UTF-8: no file could be made in \(folder) "
                + "(\(OSErrorText.describe(errno))); set TMPDIR to a folder you may write in")
        }
        var finished = false
        defer {
            close(output)
            if !finished { unlink(copy) }
        }
        var conversion = encoding == .utf8 ? nil : try Conversion(from: encoding, fileName: fileName)
        var buffer = [UInt8](repeating: 0, count: max(1, chunkByteCount))
        while true {
            let count = try buffer.withUnsafeMutableBytes { target -> Int in
                while true {
                    let count = read(input, target.baseAddress, target.count)
                    if count >= 0 { return count }
                    if errno != EINTR { throw TextConversionFileError(message: "cannot read \(path): \(OSErrorText.readProblem(errno, path: path))") }
                }
            }
            let converted = count == 0 ? try conversion?.finish() ?? [] : try buffer.withUnsafeBytes { raw in
                let piece = UnsafeRawBufferPointer(rebasing: raw[..<count])
                return try conversion?.feed(piece) ?? Array(piece)
            }
            try writeAll(converted, to: output, copy: copy, fileName: fileName)
            if count == 0 { break }
        }
        finished = true
        return copy
    }

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32, copy: String, fileName: String) throws {
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + written, bytes.count - written) }
            if count < 0 {
                if errno == EINTR { continue }
                throw TextConversionFileError(message: "cannot convert \(fileName) to UTF-8: writing \(copy) failed: \(OSErrorText.describe(errno))")
            }
            written += count
        }
    }

    /// One file's conversion, fed in pieces: a character cut between two pieces is carried to the next.
    struct Conversion {
        let encoding: SourceEncoding
        let fileName: String
        private let converter: Converter
        /// Input bytes of a character the last piece cut off, waiting for the next piece.
        private var carry: [UInt8] = []
        /// The input offset of the next byte to convert (of `carry`'s first byte when there is one).
        private var offset = 0
        /// The file's first bytes, for the guess of what it is when it is not in `encoding`.
        private var sample: [UInt8] = []
        /// Whether the input read so far is UTF-8, and holds anything beyond ASCII.
        private var asUTF8 = UTF8StreamCheck()
        private var beyondASCII = false
        /// Where the converted text has got to, for the place of a bad byte.
        private var line = 1
        private var column = 1
        private var afterCarriageReturn = false

        init(from encoding: SourceEncoding, fileName: String) throws {
            guard let converter = Converter(from: encoding) else {
                throw TextConversionFileError(message: "cannot convert \(fileName) from \(encoding.name): this system's C library "
                    + "has no converter for it (glibc keeps them in /usr/lib/*/gconv)")
            }
            self.encoding = encoding
            self.fileName = fileName
            self.converter = converter
        }

        mutating func feed(_ piece: UnsafeRawBufferPointer) throws -> [UInt8] {
            if sample.count < TextEncodingCheck.sampleByteCountMax {
                sample += piece.prefix(TextEncodingCheck.sampleByteCountMax - sample.count)
            }
            asUTF8.feed(piece)
            if !beyondASCII { beyondASCII = piece.contains { $0 >= 0x80 } }
            var input = carry
            input += piece
            carry = []
            var output: [UInt8] = []
            let result = input.withUnsafeBytes { converter.convert($0, into: &output) }
            track(output)
            switch result.stop {
            case .end: break
            case .incomplete: carry = Array(input[result.consumed...])
            case .invalid: throw invalid(at: offset + result.consumed, bytes: Array(input[result.consumed...].prefix(2)))
            }
            offset += result.consumed
            return output
        }

        /// The end of the file: a character cut off by it is as bad as any other. Refuses a file that was UTF-8 already.
        mutating func finish() throws -> [UInt8] {
            if !carry.isEmpty { throw invalid(at: offset, bytes: Array(carry.prefix(4)), atEnd: true) }
            if readsAsUTF8Already { throw alreadyUTF8() }
            var output: [UInt8] = []
            converter.flush(into: &output)
            return output
        }

        private mutating func track(_ output: [UInt8]) {
            for byte in output {
                switch byte {
                case UInt8(ascii: "\n"):
                    if !afterCarriageReturn { line += 1 }
                    column = 1
                case UInt8(ascii: "\r"):
                    line += 1
                    column = 1
                default:
                    if byte & 0xC0 != 0x80 { column += 1 }
                }
                afterCarriageReturn = byte == UInt8(ascii: "\r")
            }
        }

        /// Whether the input read so far is UTF-8 that the conversion would garble: with characters beyond ASCII (ASCII
        /// reads the same in GB18030 and Latin-1), or any at all for UTF-16.
        private var readsAsUTF8Already: Bool {
            var check = asUTF8
            return check.finish() && (beyondASCII || encoding != .gb18030 && encoding != .latin1)
        }

        private func alreadyUTF8() -> TextConversionError {
            TextConversionError(
                code: "I109", fileName: fileName, location: nil,
                problem: "the file is UTF-8 already" + (beyondASCII ? "" : " (plain ASCII text)")
                    + ": read as \(encoding.name), its " + (beyondASCII ? "Chinese would turn into other characters" : "text would turn into other characters"),
                help: "run the command again without --encoding (UTF-8 is the default)")
        }

        private func invalid(at badOffset: Int, bytes: [UInt8], atEnd: Bool = false) -> TextConversionError {
            if readsAsUTF8Already { return alreadyUTF8() }
            let shown = bytes.map { "0x" + ($0 < 0x10 ? "0" : "") + String($0, radix: 16, uppercase: true) }.joined(separator: " ")
            let problem = "not \(encoding.name) text: " + (atEnd ? "the file ends inside a character (bytes \(shown))"
                : "the bytes \(shown) at line \(line), column \(column) (byte \(badOffset + 1) of the file) are not a \(encoding.name) character")
            let likely = TextEncodingCheck.likelyEncoding(of: sample)
            let help: String
            // Latin-1 reads any byte, so it is never offered: the file would be read, with every name garbled.
            if let other = SourceEncoding(likely), other != encoding, other != .latin1 {
                help = "the file looks like \(likely.displayName): run the command again with --encoding \(other.name)"
            } else if likely == .damagedUTF8 {
                help = "the file looks like UTF-8 with a damaged byte: run the command again without --encoding to see where"
            } else if likely == .spreadsheetWorkbook || likely == .binary {
                help = "the file is \(likely.displayName), not text in any encoding: give the CSV file (Save As, type \"CSV UTF-8\")"
            } else {
                help = "the file is damaged there, or in another encoding: open it and save it again as \"CSV UTF-8\", then import it without --encoding"
            }
            return TextConversionError(code: "I108", fileName: fileName, location: SourceLocation(line: line, column: column, offset: badOffset),
                                       problem: problem, help: help)
        }
    }

    /// An `iconv` descriptor from one encoding to UTF-8.
    final class Converter {
        private let descriptor: iconv_t

        init?(from encoding: SourceEncoding) {
            guard let descriptor = iconv_open("UTF-8", encoding.name), descriptor != iconv_t(bitPattern: -1) else { return nil }
            self.descriptor = descriptor
        }

        deinit { iconv_close(descriptor) }

        enum Stop { case end, incomplete, invalid }

        /// Converts as much of `input` as it can, appending to `output`: all of it (`.end`), all but a character the
        /// end cuts off (`.incomplete`), or up to a byte sequence that is no character (`.invalid`).
        func convert(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) -> (consumed: Int, stop: Stop) {
            guard let base = input.baseAddress, input.count > 0 else { return (0, .end) }
            var inPointer = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: CChar.self))
            var inLeft = input.count
            var block = [UInt8](repeating: 0, count: max(4096, input.count * 2))
            while true {
                let (produced, result, error) = block.withUnsafeMutableBytes { target -> (Int, Int, Int32) in
                    var outPointer: UnsafeMutablePointer<CChar>? = target.baseAddress!.assumingMemoryBound(to: CChar.self)
                    var outLeft = target.count
                    var inOptional: UnsafeMutablePointer<CChar>? = inPointer
                    let result = iconv(descriptor, &inOptional, &inLeft, &outPointer, &outLeft)
                    let error = errno
                    inPointer = inOptional!
                    return (target.count - outLeft, result, error)
                }
                output += block[..<produced]
                if result != -1 { return (input.count - inLeft, .end) }
                switch error {
                case E2BIG: continue
                case EINVAL: return (input.count - inLeft, .incomplete)
                default: return (input.count - inLeft, .invalid)
                }
            }
        }

        /// The end of the input: what a stateful encoding still holds.
        func flush(into output: inout [UInt8]) {
            var block = [UInt8](repeating: 0, count: 64)
            let produced = block.withUnsafeMutableBytes { target -> Int in
                var outPointer: UnsafeMutablePointer<CChar>? = target.baseAddress!.assumingMemoryBound(to: CChar.self)
                var outLeft = target.count
                _ = iconv(descriptor, nil, nil, &outPointer, &outLeft)
                return target.count - outLeft
            }
            output += block[..<produced]
        }
    }
}
