// MARK: - Special tokens in text

/// Finds special tokens (control or user-defined) in text: exact, case-sensitive byte
/// matches, leftmost first and the longest at a position (Hugging Face's added-vocabulary
/// Aho-Corasick uses LeftmostLongest). Neighbouring spaces are left alone.
struct SpecialTokenMatcher: Sendable {
    struct Candidate: Sendable {
        let bytes: [UInt8]
        let id: Int32
    }

    /// The candidates by their first byte, longest first.
    let byFirstByte: [[Candidate]]
    /// Whether any candidate starts with the byte (a quick test for the scan).
    let startsWith: [Bool]
    let isEmpty: Bool

    /// Matches the tokens of `vocabulary` whose type is in `types` (empty texts never match).
    init(_ vocabulary: Vocabulary, types: Set<TokenType>) {
        var lists = [[Candidate]](repeating: [], count: 256)
        for id in 0..<vocabulary.count {
            guard let type = vocabulary.type(id), types.contains(type) else { continue }
            let bytes = Array(vocabulary.tokens[id].utf8)
            guard let first = bytes.first else { continue }
            lists[Int(first)].append(Candidate(bytes: bytes, id: Int32(id)))
        }
        for k in lists.indices { lists[k].sort { $0.bytes.count > $1.bytes.count } }
        byFirstByte = lists
        startsWith = lists.map { !$0.isEmpty }
        isEmpty = !startsWith.contains(true)
    }

    /// The first special token in `bytes[from..<to]`: where it starts and ends, and its id.
    func firstMatch(in bytes: UnsafeBufferPointer<UInt8>, from: Int, to: Int)
        -> (start: Int, end: Int, id: Int32)? {
        if isEmpty { return nil }
        return startsWith.withUnsafeBufferPointer { starts in
            var i = from
            while i < to {
                if starts[Int(bytes[i])], let found = match(bytes, at: i, to: to) {
                    return (i, i + found.bytes.count, found.id)
                }
                i += 1
            }
            return nil
        }
    }

    private func match(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int, to: Int) -> Candidate? {
        for candidate in byFirstByte[Int(bytes[i])] where candidate.bytes.count <= to - i {
            var k = 1
            while k < candidate.bytes.count && candidate.bytes[k] == bytes[i + k] { k += 1 }
            if k == candidate.bytes.count { return candidate }
        }
        return nil
    }
}
