// MARK: - Candidate

/// One token still in the running, with its (possibly already modified) logit.
/// Anchor: llama.cpp `llama_token_data`.
public struct Candidate: Equatable, Sendable {
    public var id: Int32
    public var logit: Float

    public init(id: Int32, logit: Float) {
        self.id = id
        self.logit = logit
    }

    /// The sampling order: higher logit first, equal logits by lower id, so every sort and
    /// every greedy pick is deterministic.
    @inline(__always)
    static func ranksAbove(_ a: Candidate, _ b: Candidate) -> Bool {
        a.logit > b.logit || (a.logit == b.logit && a.id < b.id)
    }
}

// MARK: - Candidate buffer

/// The tokens a sampler chain works on: allocated once per vocabulary size and refilled from
/// each logits row, so that sampling a token allocates nothing (STYLE.md H2, H5).
///
/// Invariants: `candidates[0..<count]` are the tokens still in the running; the first
/// `sortedCount` of them are the best `sortedCount` of all, in `Candidate.ranksAbove`
/// order; right after `fill` the buffer is in vocabulary order (`candidates[i].id == i`)
/// until a stage reorders it.
public final class CandidateBuffer {
    /// The tokens, `capacity` of them; valid up to `count`.
    private let storage: UnsafeMutablePointer<Candidate>
    /// The vocabulary size this buffer was made for.
    public let capacity: Int
    /// How many candidates are still in the running.
    public private(set) var count = 0
    /// How many leading candidates are known to be the best ones, sorted.
    public private(set) var sortedCount = 0
    /// Whether `candidates[i].id == i` for every `i` (true right after `fill`).
    public private(set) var isInVocabularyOrder = false

    /// A buffer for a vocabulary of `capacity` tokens.
    public init(capacity: Int) {
        precondition(capacity > 0, "a candidate buffer needs room for at least one token")
        self.capacity = capacity
        storage = .allocate(capacity: capacity)
    }

    deinit { storage.deallocate() }

    /// The candidates still in the running.
    public var candidates: UnsafeMutableBufferPointer<Candidate> {
        UnsafeMutableBufferPointer(start: storage, count: count)
    }

    /// Puts every token of `logits` back in the running, in vocabulary order.
    public func fill(_ logits: UnsafeBufferPointer<Float>) {
        precondition(logits.count == capacity, "logits row of \(logits.count), buffer of \(capacity)")
        for i in 0..<capacity { storage[i] = Candidate(id: Int32(i), logit: logits[i]) }
        count = capacity
        sortedCount = 0
        isInVocabularyOrder = true
    }

    /// Fills the buffer from an array (tests, small vocabularies).
    public func fill(_ logits: [Float]) {
        logits.withUnsafeBufferPointer { fill($0) }
    }

    /// Sets one candidate's logit in place, keeping the buffer's order; the sorted prefix is
    /// forgotten (the new logit may rank elsewhere).
    func setLogit(at index: Int, _ logit: Float) {
        precondition(index >= 0 && index < count)
        storage[index].logit = logit
        sortedCount = 0
    }

    /// Divides every logit by `divisor` (a positive divisor keeps the order).
    func divideLogits(by divisor: Float) {
        precondition(divisor > 0, "a non-positive divisor would reorder the candidates")
        for i in 0..<count { storage[i].logit /= divisor }
    }

    // MARK: - Shrinking

    /// Keeps the first `newCount` candidates.
    func truncate(to newCount: Int) {
        precondition(newCount >= 0 && newCount <= count)
        count = newCount
        sortedCount = min(sortedCount, newCount)
        if newCount < capacity { isInVocabularyOrder = false }
    }

    /// Keeps the candidates whose logit is at least `threshold`, in their order. Dropping
    /// the tail of a sorted prefix keeps it a sorted prefix of the best ones.
    func keep(logitAtLeast threshold: Float) {
        var kept = 0
        var keptSorted = 0
        for i in 0..<count where storage[i].logit >= threshold {
            storage[kept] = storage[i]
            if i < sortedCount { keptSorted += 1 }
            kept += 1
        }
        if kept < count { isInVocabularyOrder = false }
        count = kept
        sortedCount = keptSorted
    }

    // MARK: - Sorting

    /// The largest logit in the running (the first one when the buffer is sorted).
    var maxLogit: Float {
        precondition(count > 0)
        if sortedCount > 0 { return storage[0].logit }
        var best = storage[0].logit
        for i in 1..<count where storage[i].logit > best { best = storage[i].logit }
        return best
    }

    /// Makes the first `m` candidates the best `m`, sorted, leaving the rest after them in
    /// some order. In place and allocation-free (Swift's `sort` may allocate): a heap of the
    /// best `m` seen so far is kept in `[0, m)` with the weakest at its root, the others
    /// compete against the root, then the heap is sorted. O(count log m).
    func sortPrefix(_ m: Int) {
        let m = min(m, count)
        guard m > sortedCount else { return }
        for root in stride(from: m / 2 - 1, through: 0, by: -1) { siftDown(root, heapSize: m) }
        for i in m..<count where Candidate.ranksAbove(storage[i], storage[0]) {
            storage.swapAt(0, i)
            siftDown(0, heapSize: m)
        }
        // Heapsort: move the weakest to the end of the heap each time.
        for end in stride(from: m - 1, to: 0, by: -1) {
            storage.swapAt(0, end)
            siftDown(0, heapSize: end)
        }
        sortedCount = m
        isInVocabularyOrder = false
    }

    /// Restores the heap order below `root`: in a heap whose root is the weakest candidate,
    /// a parent never ranks above its children.
    private func siftDown(_ root: Int, heapSize: Int) {
        var parent = root
        while true {
            let left = 2 * parent + 1
            guard left < heapSize else { return }
            var weakest = left
            let right = left + 1
            if right < heapSize, Candidate.ranksAbove(storage[weakest], storage[right]) {
                weakest = right
            }
            guard Candidate.ranksAbove(storage[parent], storage[weakest]) else { return }
            storage.swapAt(parent, weakest)
            parent = weakest
        }
    }

    /// The best candidate (argmax, ties to the lowest id) without reordering the buffer.
    var best: Candidate {
        precondition(count > 0)
        if sortedCount > 0 { return storage[0] }
        var best = storage[0]
        for i in 1..<count where Candidate.ranksAbove(storage[i], best) { best = storage[i] }
        return best
    }
}

extension UnsafeMutablePointer {
    @inline(__always)
    fileprivate func swapAt(_ i: Int, _ j: Int) {
        let t = self[i]
        self[i] = self[j]
        self[j] = t
    }
}
