// MARK: - SentencePiece's space marker

/// How SentencePiece vocabularies write text: a space is U+2581 `▁` (LOWER ONE EIGHTH BLOCK),
/// so a token can carry its leading space visibly (`▁Hello`); every other byte is itself.
/// llama.cpp `llama_escape_whitespace` / `llama_unescape_whitespace`.
enum SentencePiece {
    /// The UTF-8 bytes of `▁`.
    static let escapedSpace: [UInt8] = [0xE2, 0x96, 0x81]

    /// Appends `bytes` with every space (0x20 only: tabs and newlines stay) written as `▁`.
    static func escape(_ bytes: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        for byte in bytes {
            if byte == 0x20 {
                out.append(0xE2)
                out.append(0x96)
                out.append(0x81)
            } else {
                out.append(byte)
            }
        }
    }

    /// Appends `text` with every `▁` written as a space.
    static func unescape(_ text: String.UTF8View, into out: inout [UInt8]) {
        var pending = 0  // how many bytes of `▁` have been seen and held back
        for byte in text {
            if byte == escapedSpace[pending] {
                pending += 1
                if pending == 3 {
                    out.append(0x20)
                    pending = 0
                }
                continue
            }
            out.append(contentsOf: escapedSpace[0..<pending])
            pending = byte == escapedSpace[0] ? 1 : 0
            if pending == 0 { out.append(byte) }
        }
        out.append(contentsOf: escapedSpace[0..<pending])
    }

    /// The length of the UTF-8 sequence a lead byte announces, as llama.cpp's
    /// `unicode_len_utf8` reads it: by its top four bits, a stray continuation byte counting 1.
    @inline(__always)
    static func sequenceLength(lead: UInt8) -> Int {
        switch lead >> 4 {
        case 0xC, 0xD: return 2
        case 0xE: return 3
        case 0xF: return 4
        default: return 1
        }
    }
}
