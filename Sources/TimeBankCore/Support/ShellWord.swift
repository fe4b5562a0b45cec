/// A word as it is typed into a shell, for the commands a message tells a person to run.
public enum ShellWord {
    /// `word` as one shell word: unchanged when it is plain (letters, digits, any non-ASCII, `._-/+,:@%`), otherwise in
    /// single quotes (`'王 秀'`, `'it'\''s'`).
    public static func quoted(_ word: String) -> String {
        let plain = !word.isEmpty && word.unicodeScalars.allSatisfy { scalar in
            scalar.value > 0x7F || ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
                || ("0"..."9").contains(scalar) || "._-/+,:@%".unicodeScalars.contains(scalar)
        }
        if plain { return word }
        return "'" + word.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
    }
}
