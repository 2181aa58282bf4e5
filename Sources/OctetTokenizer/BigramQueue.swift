// MARK: - The merge candidates, best first

/// A candidate merge of two neighbouring symbols into one token (llama.cpp `llm_bigram_spm`).
struct Bigram {
    /// The merged token's score (`tokenizer.ggml.scores`): higher merges first.
    let score: Float
    /// The symbols merged: `left` and the symbol after it, `right`.
    let left: Int32
    let right: Int32
    /// The merged text's length in bytes, to recognise a candidate made stale by an
    /// earlier merge of either symbol.
    let size: Int32
    /// The merged token.
    let token: Int32

    /// llama.cpp's `llm_bigram_spm::comparator` turned around: the higher score first, and
    /// of equal scores the leftmost.
    @inline(__always)
    func precedes(_ other: Bigram) -> Bool {
        score > other.score || (score == other.score && left < other.left)
    }
}

/// A binary max-heap of bigrams (the `std::priority_queue` of llama.cpp's SPM session): push
/// and pop in O(log n), so merging a whole text costs O(n log n), never O(n²).
struct BigramQueue {
    private var heap: [Bigram] = []

    var isEmpty: Bool { heap.isEmpty }

    mutating func removeAll() { heap.removeAll(keepingCapacity: true) }

    mutating func reserveCapacity(_ count: Int) { heap.reserveCapacity(count) }

    mutating func push(_ bigram: Bigram) {
        heap.append(bigram)
        heap.withUnsafeMutableBufferPointer { h in
            var child = h.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard h[child].precedes(h[parent]) else { break }
                h.swapAt(child, parent)
                child = parent
            }
        }
    }

    /// Removes and returns the best bigram.
    mutating func pop() -> Bigram? {
        guard let best = heap.first else { return nil }
        let last = heap.removeLast()
        guard !heap.isEmpty else { return best }
        heap.withUnsafeMutableBufferPointer { h in
            h[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1
                guard left < h.count else { break }
                var child = left
                if left + 1 < h.count, h[left + 1].precedes(h[left]) { child = left + 1 }
                guard h[child].precedes(h[parent]) else { break }
                h.swapAt(child, parent)
                parent = child
            }
        }
        return best
    }
}
