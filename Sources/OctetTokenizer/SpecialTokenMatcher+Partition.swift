// MARK: - Special tokens in text, the way llama.cpp cuts them out

extension SpecialTokenMatcher {
    /// A special token found in text: `bytes[start..<end]` is token `id`.
    struct Match: Equatable {
        let start: Int
        let end: Int
        let id: Int32
    }

    /// The special tokens of `bytes[from..<to]` as llama.cpp's `tokenizer_st_partition` finds
    /// them, in text order. llama.cpp does not take the leftmost match: it takes the special
    /// tokens one at a time, the longest text first, and cuts every occurrence of it, left to
    /// right, out of the text not yet cut; then the next token, in what is left. (Equal
    /// lengths: llama.cpp's `std::sort` leaves their order unspecified; here the lower id goes
    /// first.) The result differs from leftmost-longest only when special tokens overlap.
    ///
    /// Equivalent and linear in the text: collect every occurrence of every candidate, visit
    /// them by (length descending, id, start) and keep each one that overlaps none kept before.
    func partition(_ bytes: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> [Match] {
        if isEmpty { return [] }
        var found: [Match] = []
        for i in from..<to where startsWith[Int(bytes[i])] {
            for candidate in byFirstByte[Int(bytes[i])] where candidate.bytes.count <= to - i {
                var k = 1
                while k < candidate.bytes.count && candidate.bytes[k] == bytes[i + k] { k += 1 }
                if k == candidate.bytes.count {
                    found.append(Match(start: i, end: i + k, id: candidate.id))
                }
            }
        }
        guard found.count > 1 else { return found }
        found.sort {
            let (a, b) = ($0.end - $0.start, $1.end - $1.start)
            return a != b ? a > b : $0.id != $1.id ? $0.id < $1.id : $0.start < $1.start
        }
        var taken = [Bool](repeating: false, count: to - from)
        var kept: [Match] = []
        for match in found where !taken[(match.start - from)..<(match.end - from)].contains(true) {
            for k in match.start..<match.end { taken[k - from] = true }
            kept.append(match)
        }
        return kept.sorted { $0.start < $1.start }
    }
}
