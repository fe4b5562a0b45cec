/// The limits the TOML decoder enforces, each reported with its own diagnostic instead of a crash.
///
///     var limits = TOMLLimits()
///     limits.fileSizeMaxBytes = 64 * 1024
///     TOMLDecoder.decode(bytes, limits: limits)
public struct TOMLLimits: Sendable, Hashable {
    /// Largest accepted input (P003). Default 1 MiB.
    public var fileSizeMaxBytes: Int
    /// Deepest accepted nesting, counting every table, array and inline table from the root
    /// (header key parts, dotted key parts and brackets alike) (P004). Default 64; values above
    /// 256 are treated as 256 so the decoder's stack stays bounded.
    public var nestingDepthMax: Int
    /// Longest accepted string value or key, in UTF-8 bytes after unescaping (P005). Default 64 KiB.
    public var stringLengthMaxBytes: Int
    /// After this many problems the decoder stops and says so (P006). Default 100; at least 1.
    public var diagnosticsMax: Int

    /// Limits with the defaults above unless given.
    public init(
        fileSizeMaxBytes: Int = 1 << 20,
        nestingDepthMax: Int = 64,
        stringLengthMaxBytes: Int = 64 * 1024,
        diagnosticsMax: Int = 100
    ) {
        self.fileSizeMaxBytes = fileSizeMaxBytes
        self.nestingDepthMax = nestingDepthMax
        self.stringLengthMaxBytes = stringLengthMaxBytes
        self.diagnosticsMax = diagnosticsMax
    }

    /// The nesting limit the decoder actually applies.
    var effectiveNestingDepthMax: Int { min(max(nestingDepthMax, 1), 256) }
}
