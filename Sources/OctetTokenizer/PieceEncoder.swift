// MARK: - Encoding one text

/// The working state of one `encode` call: buffers reused for every fragment and piece.
struct PieceEncoder {
    private let vocabulary: Vocabulary
    private let merges: MergeTable
    private let preTokenizer: PreTokenizer
    /// The text's UTF-8 bytes.
    private let bytes: UnsafeBufferPointer<UInt8>
    var output: [TokenID] = []
    private var run = ScalarRun()
    private var pieceEnds: [Int32] = []
    private var symbols: [Int32] = []
    /// The packed merge (`rank << 32 | merged`) of each adjacent pair of `symbols`.
    private var pairs: [UInt64] = []

    init(tokenizer: BytePairEncoder, bytes: UnsafeBufferPointer<UInt8>) {
        vocabulary = tokenizer.vocabulary
        merges = tokenizer.merges
        preTokenizer = tokenizer.preTokenizer
        self.bytes = bytes
        output.reserveCapacity(bytes.count / 3 + 1)
    }

    /// Encodes `bytes[from..<to]`, a stretch of text without special tokens.
    mutating func encodeFragment(from: Int, to: Int) {
        guard from < to else { return }
        run.load(bytes, from: from, to: to)
        pieceEnds.removeAll(keepingCapacity: true)
        preTokenizer.split(run, bytes: bytes, into: &pieceEnds)
        var start = 0
        for end in pieceEnds {
            encodePiece(from: Int(run.starts[start]), to: Int(run.starts[Int(end)]))
            start = Int(end)
        }
    }

    /// Appends the tokens of the piece `bytes[from..<to]`.
    private mutating func encodePiece(from: Int, to: Int) {
        if preTokenizer == .llamaBPE, let whole = wholePieceToken(from: from, to: to) {
            output.append(whole)
            return
        }
        symbols.removeAll(keepingCapacity: true)
        vocabulary.idForByte.withUnsafeBufferPointer { idForByte in
            for i in from..<to {
                let id = idForByte[Int(bytes[i])]
                if id >= 0 {
                    symbols.append(id)
                } else if let unknown = vocabulary.unknownID {
                    symbols.append(unknown)
                }
            }
        }
        if symbols.count > 1 { mergeSymbols() }
        for symbol in symbols { output.append(TokenID(symbol)) }
    }

    /// Llama 3 ignores merges for a piece that is a token as a whole (llama.cpp
    /// `ignore_merges`, Hugging Face `BPE.ignore_merges`).
    private func wholePieceToken(from: Int, to: Int) -> TokenID? {
        guard to - from > 1 else { return nil }
        return vocabulary.idByToken[ByteLevel.encode(UnsafeBufferPointer(rebasing: bytes[from..<to]))]
    }

    /// Applies merges to `symbols`: the lowest rank first, the leftmost among equals.
    /// Ranks of adjacent pairs are kept in `pairs`, so each step is one scan over integers
    /// and two table lookups for the new neighbours.
    private mutating func mergeSymbols() {
        let merges = self.merges
        var count = symbols.count
        pairs.removeAll(keepingCapacity: true)
        for k in 0..<(count - 1) { pairs.append(merges.packed(symbols[k], symbols[k + 1])) }
        symbols.withUnsafeMutableBufferPointer { symbol in
            pairs.withUnsafeMutableBufferPointer { pair in
                while count > 1 {
                    var best = 0
                    var bestValue = pair[0]
                    for k in 1..<(count - 1) where pair[k] < bestValue {
                        bestValue = pair[k]
                        best = k
                    }
                    if bestValue == UInt64.max { break }
                    symbol[best] = Int32(truncatingIfNeeded: bestValue & 0xFFFF_FFFF)
                    // Drop symbol best+1 and pair best, then re-rank the two new neighbours.
                    for k in (best + 1)..<(count - 1) { symbol[k] = symbol[k + 1] }
                    for k in best..<(count - 2) { pair[k] = pair[k + 1] }
                    count -= 1
                    if best > 0 { pair[best - 1] = merges.packed(symbol[best - 1], symbol[best]) }
                    if best < count - 1 { pair[best] = merges.packed(symbol[best], symbol[best + 1]) }
                }
            }
        }
        symbols.removeLast(symbols.count - count)
    }
}
