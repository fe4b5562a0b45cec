import TimeBankCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a command writes text: the terminal, a file, or a buffer in tests. Both implementations pass what they are
/// given through `TerminalText.escaped`, so no name, memo, id or file content ever reaches a terminal as an escape
/// sequence, a carriage return or a bidirectional override (docs/errors.md, at its start).
public protocol TextOutput: AnyObject {
    func write(_ text: String)
}

extension TextOutput {
    /// Writes `text` and a newline.
    public func line(_ text: String = "") { write(text + "\n") }
}

/// Collects everything written, for tests.
public final class BufferedOutput: TextOutput {
    public private(set) var text = ""
    public init() {}
    /// Keeps the text as a terminal would be sent it (control characters escaped).
    public func write(_ text: String) { self.text += TerminalText.escaped(text) }
}

/// Standard output or standard error of the process. Writes go straight to the file descriptor.
public final class StandardStream: TextOutput, Sendable {
    private let descriptor: Int32

    /// Standard output (file descriptor 1).
    public static var output: StandardStream { StandardStream(1) }
    /// Standard error (file descriptor 2).
    public static var error: StandardStream { StandardStream(2) }

    init(_ descriptor: Int32) { self.descriptor = descriptor }

    /// Writes the text at once, control characters escaped, retrying short writes.
    public func write(_ text: String) {
        var text = TerminalText.escaped(text)
        text.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written <= 0 { if errno == EINTR { continue } else { return } }
                offset += written
            }
        }
    }

    /// Whether the stream is a terminal (progress goes to stderr only then).
    public var isTerminal: Bool { isatty(descriptor) != 0 }
}
