// MARK: - Jinja's `trim` and Python's `str.strip()`

/// The characters Python's `str.strip()` removes (and so Jinja's `| trim` filter, which calls
/// it): `str.isspace()` is true for Unicode category Zs and bidirectional classes WS, B and S.
/// Listed by hand because Foundation's `whitespacesAndNewlines` differs (it lacks U+001C-U+001F
/// and includes U+180E in some versions); the goldens of chat_formats.json come from Python.
private let pythonWhitespace: Set<Unicode.Scalar> = {
    var set: Set<Unicode.Scalar> = []
    let ranges: [ClosedRange<UInt32>] = [
        0x09...0x0D, 0x1C...0x20, 0x85...0x85, 0xA0...0xA0, 0x1680...0x1680,
        0x2000...0x200A, 0x2028...0x2029, 0x202F...0x202F, 0x205F...0x205F, 0x3000...0x3000,
    ]
    for range in ranges {
        for value in range { if let scalar = Unicode.Scalar(value) { set.insert(scalar) } }
    }
    return set
}()

extension String {
    /// This text without leading and trailing whitespace, exactly as Python's `str.strip()`
    /// (Jinja's `trim`) would cut it. Works on Unicode scalars, so "\r\n" is two characters
    /// to strip, as in Python.
    var strippedLikePython: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !pythonWhitespace.contains($0) }) else {
            return ""
        }
        let last = scalars.lastIndex(where: { !pythonWhitespace.contains($0) }) ?? first
        return String(scalars[first...last])
    }
}
