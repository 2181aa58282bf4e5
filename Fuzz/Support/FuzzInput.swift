// MARK: - Fuzz input
//
// Shared by every harness in Fuzz/Targets (compiled into each one by scripts/fuzz.sh). A harness
// is one `@_cdecl("LLVMFuzzerTestOneInput")` function; libFuzzer supplies `main`.
//
// Harnesses check properties with `fuzzCheck`, which crashes on purpose: libFuzzer then saves the
// input in fuzz-out/. Library code must never crash; a harness that finds a broken property must.

#if canImport(Glibc)
import Glibc
#endif

/// Reads typed values front to back from the bytes libFuzzer gives; past the end it reads
/// zeros, so every input is a valid sequence of choices.
struct FuzzInput {
    let bytes: [UInt8]
    private(set) var position = 0

    /// Copies libFuzzer's buffer (it may be a null pointer when `size` is 0).
    init(_ data: UnsafePointer<UInt8>?, _ size: Int) {
        bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    }

    init(bytes: [UInt8]) { self.bytes = bytes }

    var isAtEnd: Bool { position >= bytes.count }

    /// The next byte (0 past the end).
    mutating func byte() -> UInt8 {
        guard position < bytes.count else { return 0 }
        defer { position += 1 }
        return bytes[position]
    }

    /// A little-endian 16-bit value.
    mutating func uint16() -> UInt16 {
        UInt16(byte()) | UInt16(byte()) << 8
    }

    /// `true` or `false` from one byte.
    mutating func bool() -> Bool { byte() & 1 == 1 }

    /// Up to `limit` bytes: a length byte, then that many bytes (fewer at the end).
    mutating func chunk(limit: Int = 255) -> [UInt8] {
        let length = min(Int(byte()), limit, max(0, bytes.count - position))
        defer { position += length }
        return Array(bytes[position ..< position + length])
    }

    /// A string made of `chunk` (invalid UTF-8 repaired with U+FFFD, as `String(decoding:)`
    /// does for every text read from a file).
    mutating func string(limit: Int = 255) -> String {
        String(decoding: chunk(limit: limit), as: UTF8.self)
    }

    /// Every byte not read yet.
    mutating func rest() -> [UInt8] {
        defer { position = bytes.count }
        return position < bytes.count ? Array(bytes[position...]) : []
    }

    /// The whole input as text (the usual form for the YAML, JSON and command targets).
    var text: String { String(decoding: bytes, as: UTF8.self) }

    /// The YAML text of the file targets: the input itself, or, when it starts with a 0 byte,
    /// a fixed document with one value taken from the input (the byte after the 0 chooses
    /// which of `slots`; the rest is the value, each of its lines indented by `indent`), so that
    /// mutations go to the parsing of one scalar rather than to the YAML around it.
    func yaml(slots: [(before: String, after: String)], indent: String = "") -> String {
        guard bytes.first == 0, bytes.count >= 2, !slots.isEmpty else { return text }
        let slot = slots[Int(bytes[1]) % slots.count]
        let value = String(decoding: bytes.dropFirst(2), as: UTF8.self)
            .split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n" + indent)
        return slot.before + value + slot.after
    }
}

/// Crashes with `message` when a property a harness checks does not hold.
func fuzzCheck(
    _ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
    file: StaticString = #file, line: UInt = #line
) {
    guard !condition() else { return }
    fputs("fuzz property failed: \(message())\n", stderr)
    fatalError(message(), file: file, line: line)
}
