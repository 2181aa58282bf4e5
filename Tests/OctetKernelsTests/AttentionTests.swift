import XCTest
import OctetKernels
import Foundation

/// Attention over the float16 cache against a double-precision reference over the same
/// (float16-rounded) keys and values.
final class AttentionTests: XCTestCase {
    struct Shape {
        var heads = 6, kvHeads = 2, headDim = 32, capacity = 48
    }

    func reference(_ s: Shape, q: [Float], k: [Float], v: [Float], n: Int, pos0: Int) -> [Float] {
        let kvDim = s.kvHeads * s.headDim, qDim = s.heads * s.headDim
        let scale = 1 / Double(s.headDim).squareRoot()
        var out = [Float](repeating: 0, count: n * qDim)
        for i in 0 ..< n {
            for h in 0 ..< s.heads {
                let g = h / (s.heads / s.kvHeads)
                let keys = pos0 + i + 1
                var scores = (0 ..< keys).map { t -> Double in
                    (0 ..< s.headDim).reduce(0.0) { acc, d in
                        acc + Double(q[i * qDim + h * s.headDim + d]) * Double(k[t * kvDim + g * s.headDim + d])
                    } * scale
                }
                let m = scores.max()!
                scores = scores.map { exp($0 - m) }
                let sum = scores.reduce(0, +)
                for d in 0 ..< s.headDim {
                    let o = (0 ..< keys).reduce(0.0) { $0 + scores[$1] / sum * Double(v[$1 * kvDim + g * s.headDim + d]) }
                    out[i * qDim + h * s.headDim + d] = Float(o)
                }
            }
        }
        return out
    }

    /// Keys and values of `count` positions, rounded to float16 as the cache stores them.
    func halfRounded(_ rng: inout SplitMix64, _ count: Int) -> [Float] {
        rng.floats(count, 2).map { Float(Float16($0)) }
    }

    func testDecodeAndPrefillAtEveryLevel() throws {
        var rng = SplitMix64(state: 11)
        let s = Shape(), kvDim = s.kvHeads * s.headDim, qDim = s.heads * s.headDim
        let total = 37
        let k = halfRounded(&rng, total * kvDim), v = halfRounded(&rng, total * kvDim)
        let bytes = oct_kv_layer_bytes(Int32(s.capacity), Int32(s.kvHeads), Int32(s.headDim))
        var kc = [UInt16](repeating: 0, count: bytes / 2), vc = kc
        try kc.withUnsafeMutableBufferPointer { kp in
            try vc.withUnsafeMutableBufferPointer { vp in
                var kv = oct_kv_layer(k: kp.baseAddress, v: vp.baseAddress, capacity: Int32(s.capacity),
                                      kv_heads: Int32(s.kvHeads), head_dim: Int32(s.headDim))
                oct_kv_store(&kv, 0, Int32(total), k, v)
                // (queries, first position): decode at several depths, and batches.
                for (n, pos0) in [(1, 0), (1, 17), (1, 36), (5, 0), (9, 28), (37, 0)] {
                    let q = rng.floats(n * qDim, 1.5)
                    let want = reference(s, q: q, k: k, v: v, n: n, pos0: pos0)
                    try forEachISA { isa in
                        var out = [Float](repeating: .nan, count: n * qDim)
                        var scratch = [Float](repeating: 0, count: oct_attention_scratch(Int32(s.capacity)))
                        oct_attention(&kv, q, Int32(n), Int32(pos0), Int32(s.heads), 1 / Float(s.headDim).squareRoot(),
                                      &out, &scratch, 0, 1)
                        XCTAssertLessThan(maxAbsDiff(out, want), 2e-5, "\(isaName(isa)) n=\(n) pos0=\(pos0)")
                        let pool = try XCTUnwrap(oct_pool_create(3))
                        defer { oct_pool_destroy(pool) }
                        var outPar = [Float](repeating: .nan, count: n * qDim)
                        var scratchPar = [Float](repeating: 0, count: 3 * oct_attention_scratch(Int32(s.capacity)))
                        oct_par_attention(pool, &kv, q, Int32(n), Int32(pos0), Int32(s.heads),
                                          1 / Float(s.headDim).squareRoot(), &outPar, &scratchPar)
                        XCTAssertEqual(outPar, out, "\(isaName(isa)): split over threads, same items")
                    }
                }
            }
        }
    }
}
