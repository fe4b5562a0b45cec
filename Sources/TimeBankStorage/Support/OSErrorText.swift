#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The system's words for a failed call's `errno`, for messages that say why a file could not be opened, written or
/// moved ("Permission denied", "No space left on device").
public enum OSErrorText {
    /// The words for `code`; read `errno` at the failing call's site and pass it here before anything else can change it.
    public static func describe(_ code: Int32) -> String { String(cString: strerror(code)) }
}
