import XCTest
import OctetKernels

/// The worker pool runs every item of a task exactly once, and the parallel products equal
/// the single-threaded kernels.
final class PoolTests: XCTestCase {
    func testEveryItemRunsOncePerTask() throws {
        let pool = try XCTUnwrap(oct_pool_create(4))
        defer { oct_pool_destroy(pool) }
        XCTAssertEqual(oct_pool_threads(pool), 4)
        for items in [0, 1, 3, 37] {
            // counts[item] += 1 per run; the last slot records the largest thread index seen.
            var counts = [Int32](repeating: 0, count: items + 1)
            for _ in 0 ..< 200 {
                counts.withUnsafeMutableBufferPointer { buffer in
                    oct_pool_run(pool, { ctx, item, thread in
                        let p = ctx!.assumingMemoryBound(to: Int32.self)
                        p[Int(item)] += 1  // items are distinct, so no two threads share a slot
                        precondition(thread >= 0 && thread < 4)
                    }, buffer.baseAddress, Int32(items))
                }
            }
            XCTAssertEqual(Array(counts.prefix(items)), Array(repeating: 200, count: items), "\(items) items")
        }
    }

    /// Tasks of changing sizes back to back, as a decode step runs them: a worker that read
    /// the end of one task must never claim an item of the next before it is published (the
    /// item count lived apart from the claim counter, and a late worker could run an item of
    /// the next task twice or with a half-written context; ThreadSanitizer found it).
    func testTasksOfChangingSizesBackToBackRunEachItemOnce() throws {
        let pool = try XCTUnwrap(oct_pool_create(2))
        defer { oct_pool_destroy(pool) }
        var seed: UInt32 = 1
        var counts = [Int32](repeating: 0, count: 41)
        for round in 0 ..< 20_000 {
            seed = seed &* 1_103_515_245 &+ 12345
            let items = Int(seed >> 16) % 41
            counts.withUnsafeMutableBufferPointer { buffer in
                for i in 0 ..< items { buffer[i] = 0 }
                oct_pool_run(pool, { ctx, item, _ in
                    ctx!.assumingMemoryBound(to: Int32.self)[Int(item)] += 1
                }, buffer.baseAddress, Int32(items))
            }
            guard counts.prefix(items).allSatisfy({ $0 == 1 }) else {
                return XCTFail("round \(round), \(items) items: \(Array(counts.prefix(items)))")
            }
        }
    }

    func testParallelMatmulEqualsTheKernels() throws {
        var rng = SplitMix64(state: 12)
        let cols = 128
        let a = PackedMatrix(rows: 48, cols: cols, floats: rng.floats(48 * cols))
        let b = PackedMatrix(rows: 21, cols: cols, floats: rng.floats(21 * cols))
        let pool = try XCTUnwrap(oct_pool_create(2))
        defer { oct_pool_destroy(pool) }
        for n in [1, 6] {
            let act = Activation(rng.floats(n * cols))
            var wantA = [Float](repeating: 0, count: n * 48), wantB = [Float](repeating: 0, count: n * 21)
            act.withKernel { x in
                oct_q8_gemm(&a.kernel, x, Int32(n), &wantA, 48, 0, a.tiles)
                oct_q8_gemm(&b.kernel, x, Int32(n), &wantB, 21, 0, b.tiles)
            }
            var gotA = [Float](repeating: .nan, count: n * 48), gotB = [Float](repeating: .nan, count: n * 21)
            withUnsafePointer(to: &a.kernel) { pa in
                withUnsafePointer(to: &b.kernel) { pb in
                    gotA.withUnsafeMutableBufferPointer { oa in
                        gotB.withUnsafeMutableBufferPointer { ob in
                            let ms: [UnsafePointer<oct_q8_matrix>?] = [pa, pb]
                            let outs: [UnsafeMutablePointer<Float>?] = [oa.baseAddress, ob.baseAddress]
                            act.withKernel { x in oct_par_matmul(pool, 2, ms, x, Int32(n), outs) }
                        }
                    }
                }
            }
            if n == 1 {
                // n == 1 runs the matrix-vector kernel: same sums, maybe another order.
                XCTAssertLessThan(maxAbsDiff(gotA, wantA), 1e-4)
                XCTAssertLessThan(maxAbsDiff(gotB, wantB), 1e-4)
            } else {
                XCTAssertEqual(gotA, wantA)
                XCTAssertEqual(gotB, wantB)
            }
        }
    }
}
