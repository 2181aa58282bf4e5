import OctetKernels

// MARK: - Worker pool

/// The kernels' persistent thread pool (`oct_pool`, pool.c): the caller is thread 0 and
/// `threads - 1` workers spin briefly between tasks, then sleep. One pool per model; the
/// contexts of a model take turns on it (`LanguageModel` serializes them).
final class WorkerPool {
    /// The C pool.
    let raw: OpaquePointer
    /// Threads in all, the caller included.
    let threads: Int

    /// A pool of `threads` threads (at least 1).
    /// - Throws: `InferenceError.outOfMemory` when the threads cannot be created.
    init(threads: Int) throws {
        guard let pool = oct_pool_create(Int32(max(1, threads))) else {
            throw InferenceError.outOfMemory(what: "a pool of \(threads) threads")
        }
        raw = pool
        self.threads = Int(oct_pool_threads(pool))
    }

    deinit {
        oct_pool_destroy(raw)
    }
}
