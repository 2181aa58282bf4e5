// MARK: - Split patterns as scanners

/// Finds the pieces the pre-tokenizer patterns match, over classified scalars. Each
/// `…Piece(at:end:)` returns where the pattern's match starting at scalar `i` ends; the
/// alternatives are tried in the patterns' order, as a backtracking regex engine would.
/// `end` bounds the match like the end of the string (so `(?!\S)` holds there).
struct PieceScanner {
    let kinds: UnsafeBufferPointer<UInt8>
    let starts: UnsafeBufferPointer<Int32>
    /// The whole text (`starts` are offsets into it).
    let bytes: UnsafeBufferPointer<UInt8>

    @inline(__always) private func kind(_ i: Int) -> UInt8 { kinds[i] & ScalarKind.kindMask }
    @inline(__always) private func has(_ i: Int, _ flag: UInt8) -> Bool { kinds[i] & flag != 0 }

    /// The first index at or after `i` whose kind is not `kind`.
    @inline(__always)
    private func skip(from i: Int, _ end: Int, _ kind: UInt8) -> Int {
        var e = i
        while e < end && self.kind(e) == kind { e += 1 }
        return e
    }

    // MARK: - Whole fragments

    /// GPT-2 pattern over scalars `from..<end`.
    func splitGPT2(_ from: Int, _ end: Int, into ends: inout [Int32]) {
        var i = from
        while i < end {
            i = gpt2Piece(at: i, end: end)
            ends.append(Int32(truncatingIfNeeded: i))
        }
    }

    /// Every number character alone, the GPT-2 pattern on the text between them.
    func splitSmolLM(_ count: Int, into ends: inout [Int32]) {
        var i = 0
        while i < count {
            if kind(i) == ScalarKind.number {
                i += 1
                ends.append(Int32(truncatingIfNeeded: i))
                continue
            }
            var segmentEnd = i + 1
            while segmentEnd < count && kind(segmentEnd) != ScalarKind.number { segmentEnd += 1 }
            splitGPT2(i, segmentEnd, into: &ends)
            i = segmentEnd
        }
    }

    /// Llama 3 (`maxDigits` 3) or Qwen 2 (`maxDigits` 1) pattern.
    func splitLlama(_ count: Int, maxDigits: Int, into ends: inout [Int32]) {
        var i = 0
        while i < count {
            i = llamaPiece(at: i, end: count, maxDigits: maxDigits)
            ends.append(Int32(truncatingIfNeeded: i))
        }
    }

    // MARK: - One match

    /// `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`
    @inline(__always)
    func gpt2Piece(at i: Int, end: Int) -> Int {
        let contraction = contractionLength(at: i, end: end, ignoringCase: false)
        if contraction > 0 { return i + contraction }
        // ` ?`: a space joins the letters, numbers or symbols after it.
        var j = i
        if has(i, ScalarKind.space) && i + 1 < end && kind(i + 1) != ScalarKind.whitespace {
            j = i + 1
        }
        let k = kind(j)
        if k != ScalarKind.whitespace { return skip(from: j + 1, end, k) }
        return whitespacePiece(at: i, end: end)
    }

    /// `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,maxDigits}|
    ///  ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`
    func llamaPiece(at i: Int, end: Int, maxDigits: Int) -> Int {
        let contraction = contractionLength(at: i, end: end, ignoringCase: true)
        if contraction > 0 { return i + contraction }
        let first = kind(i)
        if first == ScalarKind.letter { return skip(from: i + 1, end, ScalarKind.letter) }
        if first != ScalarKind.number && !has(i, ScalarKind.newline)
            && i + 1 < end && kind(i + 1) == ScalarKind.letter {
            return skip(from: i + 2, end, ScalarKind.letter)
        }
        if first == ScalarKind.number {
            var e = i + 1
            while e < end && e - i < maxDigits && kind(e) == ScalarKind.number { e += 1 }
            return e
        }
        var j = i
        if has(i, ScalarKind.space) && i + 1 < end && kind(i + 1) == ScalarKind.other { j = i + 1 }
        if kind(j) == ScalarKind.other {
            var e = skip(from: j + 1, end, ScalarKind.other)
            while e < end && has(e, ScalarKind.newline) { e += 1 }
            return e
        }
        // `\s*[\r\n]+`: the whitespace up to and including its last line break.
        let runEnd = skip(from: i + 1, end, ScalarKind.whitespace)
        var last = runEnd - 1
        while last >= i && !has(last, ScalarKind.newline) { last -= 1 }
        if last >= i { return last + 1 }
        return whitespacePiece(at: i, end: end)
    }

    /// `\s+(?!\S)|\s+` at a whitespace scalar: the run, less its last scalar when a
    /// non-space follows (that one then joins the next piece, e.g. `Ġworld`).
    @inline(__always)
    private func whitespacePiece(at i: Int, end: Int) -> Int {
        let runEnd = skip(from: i + 1, end, ScalarKind.whitespace)
        if runEnd == end || runEnd - i == 1 { return runEnd }
        return runEnd - 1
    }

    /// The length of the contraction (`'s`, `'t`, `'re`, `'ve`, `'m`, `'ll`, `'d`) at `i`, or 0.
    @inline(__always)
    private func contractionLength(at i: Int, end: Int, ignoringCase: Bool) -> Int {
        guard has(i, ScalarKind.apostrophe) && i + 1 < end else { return 0 }
        let first = letter(i + 1, ignoringCase)
        switch first {
        case UInt8(ascii: "s"), UInt8(ascii: "t"), UInt8(ascii: "m"), UInt8(ascii: "d"):
            return 2
        case UInt8(ascii: "r"), UInt8(ascii: "v"), UInt8(ascii: "l"):
            guard i + 2 < end else { return 0 }
            let second = letter(i + 2, ignoringCase)
            let wanted = first == UInt8(ascii: "l") ? UInt8(ascii: "l") : UInt8(ascii: "e")
            return second == wanted ? 3 : 0
        default:
            return 0
        }
    }

    /// The first byte of scalar `i`, lower-cased if asked and an ASCII capital.
    @inline(__always)
    private func letter(_ i: Int, _ ignoringCase: Bool) -> UInt8 {
        let byte = bytes[Int(starts[i])]
        if ignoringCase && byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") { return byte | 0x20 }
        return byte
    }
}
