// MARK: - Token ids by their text bytes

/// The id of each token text, looked up by a run of bytes in place: llama.cpp's SPM merge loop
/// asks `text_to_token` for every candidate pair of neighbouring symbols, and building a
/// `String` for each question would cost more than the whole merge. Open addressing with
/// linear probing over a 64-bit FNV-1a hash; the texts are kept in one flat buffer.
struct TokenTextTable: Sendable {
    /// `texts[starts[id]..<starts[id + 1]]` are the UTF-8 bytes of token `id`.
    private let texts: [UInt8]
    private let starts: [Int32]
    /// A token id per slot, -1 when free; `hashes` holds the slot's full hash to skip
    /// most byte comparisons.
    private var slots: [Int32]
    private var hashes: [UInt64]
    private let mask: Int

    /// Indexes `tokens`; of two equal texts the later id wins, as in `Vocabulary.idByToken`.
    init(_ tokens: [String]) {
        var texts: [UInt8] = []
        var starts: [Int32] = [0]
        starts.reserveCapacity(tokens.count + 1)
        for token in tokens {
            texts.append(contentsOf: token.utf8)
            starts.append(Int32(texts.count))
        }
        self.texts = texts
        self.starts = starts
        var size = 16
        while size < tokens.count * 2 { size <<= 1 }  // load factor at most 1/2
        slots = [Int32](repeating: -1, count: size)
        hashes = [UInt64](repeating: 0, count: size)
        mask = size - 1
        for id in tokens.indices { insert(Int32(id)) }
    }

    @inline(__always)
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return h
    }

    private mutating func insert(_ id: Int32) {
        let start = Int(starts[Int(id)])
        let end = Int(starts[Int(id) + 1])
        let h = texts.withUnsafeBufferPointer { Self.hash(UnsafeBufferPointer(rebasing: $0[start..<end])) }
        var slot = Int(truncatingIfNeeded: h) & mask
        while slots[slot] >= 0 {
            if hashes[slot] == h, equal(slots[slot], texts, start, end) { break }
            slot = (slot + 1) & mask
        }
        slots[slot] = id
        hashes[slot] = h
    }

    private func equal(_ id: Int32, _ bytes: [UInt8], _ start: Int, _ end: Int) -> Bool {
        let from = Int(starts[Int(id)])
        return Int(starts[Int(id) + 1]) - from == end - start
            && texts[from..<(from + end - start)].elementsEqual(bytes[start..<end])
    }

    /// The id of the token whose text is exactly `bytes`, or -1.
    func id(of bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        let h = Self.hash(bytes)
        return slots.withUnsafeBufferPointer { slots in
            hashes.withUnsafeBufferPointer { hashes in
                texts.withUnsafeBufferPointer { texts in
                    var slot = Int(truncatingIfNeeded: h) & mask
                    while true {
                        let id = slots[slot]
                        if id < 0 { return -1 }
                        if hashes[slot] == h {
                            let from = Int(starts[Int(id)])
                            if Int(starts[Int(id) + 1]) - from == bytes.count,
                               memoryEqual(texts.baseAddress! + from, bytes) {
                                return id
                            }
                        }
                        slot = (slot &+ 1) & mask
                    }
                }
            }
        }
    }

    @inline(__always)
    private func memoryEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        for k in 0..<b.count where a[k] != b[k] { return false }
        return true
    }
}
