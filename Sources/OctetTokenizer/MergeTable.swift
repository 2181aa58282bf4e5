// MARK: - Merge ranks

/// The BPE merges as a hash table from a pair of token ids (packed into one 64-bit key) to
/// the merge's rank and the merged token. Open addressing with linear probing and a
/// multiplicative hash: a lookup is a multiply, a shift and usually one cache line, several
/// times faster than `Dictionary<Int64, _>` with its seeded SipHash, and the merge loop is
/// nothing but lookups.
struct MergeTable: Sendable {
    /// A pair's entry: the merge's rank (its line in the merge list) and the merged token.
    struct Merge: Equatable {
        let rank: Int32
        let merged: Int32
    }

    /// `slots[2k]` is a key (`emptyKey` when free), `slots[2k + 1]` its packed value.
    private var slots: [UInt64]
    private let shift: UInt64
    private let mask: Int
    private(set) var count = 0
    private static let emptyKey = UInt64.max

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }  // load factor at most 1/2
        slots = [UInt64](repeating: Self.emptyKey, count: size * 2)
        mask = size - 1
        shift = UInt64(64 - size.trailingZeroBitCount)
    }

    @inline(__always)
    private static func key(_ left: Int32, _ right: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))
    }

    @inline(__always)
    private func home(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// Adds a merge; returns false (keeping the first) when the pair is already there,
    /// as llama.cpp's `bpe_ranks.emplace` does.
    @discardableResult
    mutating func insert(_ left: Int32, _ right: Int32, _ merge: Merge) -> Bool {
        let key = Self.key(left, right)
        var slot = home(key)
        while slots[slot * 2] != Self.emptyKey {
            if slots[slot * 2] == key { return false }
            slot = (slot + 1) & mask
        }
        slots[slot * 2] = key
        slots[slot * 2 + 1] = UInt64(UInt32(bitPattern: merge.rank)) << 32
            | UInt64(UInt32(bitPattern: merge.merged))
        count += 1
        return true
    }

    /// The merge of a pair as one packed value (`rank << 32 | merged`), or `UInt64.max`.
    /// Packed so the merge loop compares ranks without unpacking.
    @inline(__always)
    func packed(_ left: Int32, _ right: Int32) -> UInt64 {
        let key = Self.key(left, right)
        return slots.withUnsafeBufferPointer { table in
            var slot = home(key)
            while true {
                let stored = table[slot &* 2]
                if stored == key { return table[slot &* 2 &+ 1] }
                if stored == Self.emptyKey { return UInt64.max }
                slot = (slot &+ 1) & mask
            }
        }
    }

    /// The merge of a pair, if there is one.
    func merge(_ left: Int32, _ right: Int32) -> Merge? {
        let value = packed(left, right)
        guard value != UInt64.max else { return nil }
        return Merge(rank: Int32(truncatingIfNeeded: value >> 32),
                     merged: Int32(truncatingIfNeeded: value & 0xFFFF_FFFF))
    }
}
