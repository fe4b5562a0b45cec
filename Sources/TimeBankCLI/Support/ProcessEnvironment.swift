import Foundation

/// The process's environment variables.
public enum ProcessEnvironment {
    /// The environment of this process, as the executable passes it to the commands.
    public static var current: [String: String] { ProcessInfo.processInfo.environment }
}
