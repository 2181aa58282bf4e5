// MARK: - GPT-2 byte-level alphabet

/// The GPT-2 byte-to-unicode mapping: every byte stands for one printable character, so a
/// byte-level vocabulary holds only visible strings (`Ġ` = space, `Ċ` = newline).
/// Port of `bytes_to_unicode` in openai/gpt-2 `src/encoder.py` (also llama.cpp `unicode.cpp`).
enum ByteLevel {
    /// The scalar value standing for each byte.
    static let scalarForByte: [UInt32] = {
        var table = [UInt32](repeating: 0, count: 256)
        var next: UInt32 = 256
        for byte in 0..<256 {
            if isPrintable(byte) {
                table[byte] = UInt32(byte)
            } else {
                table[byte] = next
                next += 1
            }
        }
        return table
    }()

    /// The byte for each scalar value below `byteForScalar.count`, or -1.
    static let byteForScalar: [Int16] = {
        var table = [Int16](repeating: -1, count: 256 + 68)
        for (byte, scalar) in scalarForByte.enumerated() { table[Int(scalar)] = Int16(byte) }
        return table
    }()

    /// Bytes GPT-2 keeps as themselves: `!`...`~`, `¡`...`¬`, `®`...`ÿ`.
    private static func isPrintable(_ byte: Int) -> Bool {
        (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || (0xAE...0xFF).contains(byte)
    }

    /// The vocabulary string for raw bytes.
    static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var scalars = String.UnicodeScalarView()
        for byte in bytes { scalars.append(Unicode.Scalar(scalarForByte[Int(byte)])!) }
        return String(scalars)
    }

    /// The raw bytes of a vocabulary string; characters outside the alphabet keep their
    /// own UTF-8 bytes (a lenient choice: llama.cpp would reject such a vocabulary).
    static func decode(_ token: String, into bytes: inout [UInt8]) {
        for scalar in token.unicodeScalars {
            let value = Int(scalar.value)
            if value < byteForScalar.count, byteForScalar[value] >= 0 {
                bytes.append(UInt8(byteForScalar[value]))
            } else {
                bytes.append(contentsOf: String(scalar).utf8)
            }
        }
    }
}
