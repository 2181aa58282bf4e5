import OctetKernels

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - Memory for the INT8 matrices

/// One allocation holding all of a model's INT8 matrices, 2 MB aligned and marked for
/// transparent huge pages (`madvise(MADV_HUGEPAGE)`, Linux). Decode streams all 143 MB of
/// weights per token; with 4 KB pages the hardware prefetcher stops at every page boundary,
/// and one core read them at ~15 GB/s here, with 2 MB pages at 21-24 GB/s.
final class WeightArena {
    private let base: UnsafeMutableRawPointer
    /// Bytes allocated.
    let capacity: Int
    private var used = 0

    static let hugePage = 2 << 20

    /// At least `byteCount` bytes (rounded up to whole huge pages).
    /// - Throws: `InferenceError.outOfMemory`.
    init(byteCount: Int) throws {
        capacity = max(Self.hugePage, (byteCount + Self.hugePage - 1) / Self.hugePage * Self.hugePage)
        var memory: UnsafeMutableRawPointer?
        guard posix_memalign(&memory, Self.hugePage, capacity) == 0, let memory else {
            throw InferenceError.outOfMemory(what: "\(byteCount / 1_000_000) MB of INT8 weights")
        }
        base = memory
        #if os(Linux)
        _ = madvise(base, capacity, Int32(MADV_HUGEPAGE))
        #endif
    }

    deinit {
        free(base)
    }

    /// Bytes one matrix takes: its bytes and its scales, each rounded up to 64.
    static func bytes(rows: Int, cols: Int) -> Int {
        func up(_ n: Int) -> Int { (n + 63) / 64 * 64 }
        return up(oct_q8_matrix_qs_bytes(Int32(rows), Int32(cols)))
            + up(2 * oct_q8_matrix_scale_count(Int32(rows), Int32(cols)))
    }

    /// The next `byteCount` bytes, 64-byte aligned.
    /// - Precondition: they fit (the arena was sized with `bytes(rows:cols:)` for every matrix).
    func take(_ byteCount: Int) -> UnsafeMutableRawPointer {
        let size = (byteCount + 63) / 64 * 64
        precondition(used + size <= capacity, "weight arena too small")
        defer { used += size }
        return base + used
    }
}
