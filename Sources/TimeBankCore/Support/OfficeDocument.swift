/// Recognises a spreadsheet or word-processor file given where a text file belongs (`volunteers.xlsx` for a CSV,
/// `规则.docx` for a policy): its bytes are not text in any encoding, so the encoding help (`iconv ...`) would mislead.
public enum OfficeDocument {
    /// What the file is, for a message ("an Excel or Word file (.xlsx, .docx)"), or nil when it is not one.
    public static func kind(of bytes: [UInt8]) -> String? {
        // .xlsx, .docx, .pptx and WPS's files are zip archives; .xls and .doc are OLE compound files.
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return "an Excel or Word file (.xlsx, .docx: a zip archive, not text)" }
        if bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) { return "an old Excel or Word file (.xls, .doc), not text" }
        return nil
    }
}
