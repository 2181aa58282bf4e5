// MARK: - One text fragment through the SentencePiece merges

/// The working state of one `SentencePieceEncoder.encode` call: buffers reused for every
/// fragment between special tokens. A port of llama.cpp's `llm_tokenizer_spm_session`
/// (`src/llama-vocab.cpp`, from the original implementation in llama.cpp commit 074bea2, itself
/// modelled on SentencePiece's `bpe_model.cc`).
///
/// The fragment is escaped (`▁` for every space, one in front when asked), cut into UTF-8
/// characters, and neighbouring symbols are merged, the best-scoring merge first (of equal
/// scores the leftmost), as long as the merged text is a token. Each symbol left at the end
/// becomes its token, or, if its text is none, one byte token per byte.
///
/// llama.cpp keeps a `rev_merge` map to re-split a final symbol whose text is not a token
/// (`resegment`). With valid UTF-8 input that never happens past the first step: a merged
/// symbol is a token by construction, and an unmerged one is a single character, which no
/// concatenation of two characters can equal. So the final symbols are looked up directly.
struct SentencePieceSession {
    private let table: TokenTextTable
    private let scores: [Float]
    private let idForByte: [Int32]
    private let unknownID: Int32?
    var output: [TokenID] = []
    /// The escaped fragment's bytes.
    private var text: [UInt8] = []
    /// Per symbol: where its text starts in `text`, its length in bytes (0 once merged into
    /// its left neighbour), its neighbours in the chain (-1 at the ends), and its token when
    /// a merge made it one (-1: not known yet).
    private var symbolStart: [Int32] = []
    private var symbolLength: [Int32] = []
    private var symbolPrevious: [Int32] = []
    private var symbolNext: [Int32] = []
    private var symbolToken: [Int32] = []
    private var queue = BigramQueue()

    init(table: TokenTextTable, scores: [Float], idForByte: [Int32], unknownID: Int32?) {
        self.table = table
        self.scores = scores
        self.idForByte = idForByte
        self.unknownID = unknownID
    }

    // MARK: - Encoding

    /// Appends the tokens of `bytes` (text without special tokens) to `output`, with a
    /// space in front when `spacePrefix` is set.
    mutating func encode(_ bytes: UnsafeBufferPointer<UInt8>, spacePrefix: Bool) {
        text.removeAll(keepingCapacity: true)
        if spacePrefix { text.append(contentsOf: SentencePiece.escapedSpace) }
        SentencePiece.escape(bytes, into: &text)
        guard !text.isEmpty else { return }
        splitIntoCharacters()
        queue.removeAll()
        queue.reserveCapacity(symbolStart.count)
        // A local reference to the bytes (not a copy: nothing writes `text` until the next
        // fragment), so the loop below can read them while it mutates the symbols.
        let bytes = text
        bytes.withUnsafeBufferPointer { text in
            for i in 1..<Int32(symbolStart.count) { tryAddBigram(i - 1, i, text) }
            mergeBestFirst(text)
        }
        emitSymbols()
    }

    /// One symbol per UTF-8 character (`unicode_len_utf8`; a cut sequence at the end is shorter).
    private mutating func splitIntoCharacters() {
        symbolStart.removeAll(keepingCapacity: true)
        symbolLength.removeAll(keepingCapacity: true)
        var offset = 0
        while offset < text.count {
            let length = min(SentencePiece.sequenceLength(lead: text[offset]), text.count - offset)
            symbolStart.append(Int32(offset))
            symbolLength.append(Int32(length))
            offset += length
        }
        let count = Int32(symbolStart.count)
        symbolPrevious = Array(-1..<(count - 1))
        symbolNext = Array(1...count)
        symbolNext[Int(count) - 1] = -1
        symbolToken = [Int32](repeating: -1, count: Int(count))
    }

    /// `try_add_bigram`: queues the merge of `left` and `right` if their text is a token.
    @inline(__always)
    private mutating func tryAddBigram(_ left: Int32, _ right: Int32, _ text: UnsafeBufferPointer<UInt8>) {
        guard left >= 0, right >= 0 else { return }
        let start = Int(symbolStart[Int(left)])
        let size = symbolLength[Int(left)] + symbolLength[Int(right)]
        let token = table.id(of: UnsafeBufferPointer(rebasing: text[start..<(start + Int(size))]))
        guard token >= 0 else { return }
        queue.push(Bigram(score: scores[Int(token)], left: left, right: right, size: size, token: token))
    }

    /// The main loop: take the best merge; skip it if either symbol has changed since it was
    /// queued; otherwise merge the right symbol into the left one and queue the merges of the
    /// new symbol with its two neighbours.
    private mutating func mergeBestFirst(_ text: UnsafeBufferPointer<UInt8>) {
        while let bigram = queue.pop() {
            let left = Int(bigram.left), right = Int(bigram.right)
            let leftLength = symbolLength[left], rightLength = symbolLength[right]
            if leftLength == 0 || rightLength == 0 || leftLength + rightLength != bigram.size {
                continue
            }
            symbolLength[left] = leftLength + rightLength
            symbolLength[right] = 0
            symbolToken[left] = bigram.token
            let next = symbolNext[right]
            symbolNext[left] = next
            if next >= 0 { symbolPrevious[Int(next)] = bigram.left }
            tryAddBigram(symbolPrevious[left], bigram.left, text)
            tryAddBigram(bigram.left, next, text)
        }
    }

    /// `resegment` for every symbol left, in order: its token, or its bytes.
    private mutating func emitSymbols() {
        var i: Int32 = 0
        let bytes = text
        bytes.withUnsafeBufferPointer { text in
            while i >= 0 {
                let index = Int(i)
                var token = symbolToken[index]
                let start = Int(symbolStart[index])
                let end = start + Int(symbolLength[index])
                if token < 0 { token = table.id(of: UnsafeBufferPointer(rebasing: text[start..<end])) }
                if token >= 0 {
                    output.append(TokenID(token))
                } else {
                    for k in start..<end { appendByte(text[k]) }
                }
                i = symbolNext[index]
            }
        }
    }

    /// llama.cpp's `byte_to_token` (the `<0xHH>` token, else the byte as a one-byte token). Where
    /// neither exists llama.cpp throws; here the unknown token stands in, as SentencePiece
    /// itself would emit it, or the byte is dropped when there is no unknown token either.
    @inline(__always)
    private mutating func appendByte(_ byte: UInt8) {
        let id = idForByte[Int(byte)]
        if id >= 0 {
            output.append(TokenID(id))
        } else if let unknown = unknownID {
            output.append(TokenID(unknown))
        }
    }
}
